"""Checks that run before any work: limits (LimitError) and numbers that cannot be drawn (RenderError)."""

from __future__ import annotations

import math
import numbers

from imagegen.errors import LimitError, RenderError
from imagegen.limits import LIMITS, Limits
from imagegen.scene import Scene, TextSpec


def check_limits(scene: Scene, limits: Limits = LIMITS) -> None:
    """Refuse a scene beyond a configured limit; the message states the limit.

    Timing is only checked for animated scenes (stills ignore it).

    :raise LimitError: canvas side, duration, frame rate or frame count out of range.
    """
    lo, hi = limits.min_canvas_side, limits.max_canvas_side
    for name, side in (("width", scene.canvas.width), ("height", scene.canvas.height)):
        if not isinstance(side, numbers.Integral) or isinstance(side, bool):
            raise LimitError(f"Canvas {name} {side!r} is not a whole number of pixels — use {lo} to {hi}.")
        if not lo <= side <= hi:
            raise LimitError(f"Canvas {name} {side} px is outside the allowed {lo}–{hi} px; choose a size in range.")
    _check_text(scene, limits)
    if not scene.animated:
        return
    timing = scene.timing
    if not (math.isfinite(timing.duration_s) and timing.duration_s > 0):
        raise LimitError(
            f"Animation length {timing.duration_s} s is not valid — use 0.1 to {_num(limits.max_duration_s)} s."
        )
    if timing.duration_s > limits.max_duration_s:
        raise LimitError(
            f"Animation length {_num(timing.duration_s)} s is over the {_num(limits.max_duration_s)} s limit;"
            " make it shorter."
        )
    if not (math.isfinite(timing.fps) and limits.min_fps <= timing.fps <= limits.max_fps):
        raise LimitError(
            f"Frame rate {_num(timing.fps)} fps is outside the allowed {_num(limits.min_fps)}–"
            f"{_num(limits.max_fps)} fps."
        )
    frames = scene.frame_count
    if frames > limits.max_frames:
        raise LimitError(
            f"{_num(timing.duration_s)} s at {_num(timing.fps)} fps is {frames} frames — the limit is"
            f" {limits.max_frames} frames; shorten the animation or lower the frame rate."
        )


def _check_text(scene: Scene, limits: Limits) -> None:
    texts = [layer.text for layer in scene.layers if layer.text is not None]
    if len(texts) > limits.max_text_layers:
        raise LimitError(
            f"The scene has {len(texts)} text layers — at most {limits.max_text_layers} are allowed;"
            " merge or drop some."
        )
    for spec in texts:
        if len(spec.text) > limits.max_text_chars:
            raise LimitError(
                f"Text '{spec.text[:30]}…' is {len(spec.text)} characters — at most {limits.max_text_chars};"
                " shorten it."
            )


def check_drawable(scene: Scene) -> None:
    """Refuse numbers the renderer cannot draw (NaN, infinities, non-positive sizes).

    :raise RenderError: naming the layer and the field.
    """
    for layer in scene.layers:
        where = f"Layer @{layer.tag}"
        for name in ("size", "opacity", "rotation", "margin"):
            value = getattr(layer, name)
            if not _finite(value):
                raise RenderError(f"{where} has {name} {value!r} — it must be a finite number.")
        if layer.size <= 0:
            raise RenderError(f"{where} has size {layer.size} — it must be above 0 (0.5 = half the canvas).")
        if layer.text is not None:
            _check_text_drawable(where, layer.text)
        for motion in layer.motions:
            for name in ("amount", "repeats", "start", "end"):
                value = getattr(motion, name)
                if value is not None and not _finite(value):
                    raise RenderError(
                        f"{where}: its {motion.kind} motion has {name} {value!r} — it must be a finite number."
                    )
            if motion.repeats <= 0:
                raise RenderError(
                    f"{where}: its {motion.kind} motion repeats {motion.repeats} times — it must be above 0."
                )


def _check_text_drawable(where: str, spec: TextSpec) -> None:
    for name in ("outline_em", "shadow_em", "padding_em", "radius_em"):
        value = getattr(spec, name)
        if not _finite(value) or value < 0 or value > 5:
            raise RenderError(f"{where} has text {name} {value!r} — it must be a number from 0 to 5 (em).")
    if not isinstance(spec.weight, int) or not 1 <= spec.weight <= 1000:
        raise RenderError(f"{where} has text weight {spec.weight!r} — use 100 (thin) to 900 (black).")
    if spec.font_px is not None and (not isinstance(spec.font_px, int) or not 1 <= spec.font_px <= 4096):
        raise RenderError(f"{where} has a font size of {spec.font_px!r} px — use 1 to 4096.")
    for name in ("colour", "outline", "shadow", "banner"):
        colour = getattr(spec, name)
        if colour is not None and (len(colour) != 4 or not all(isinstance(v, int) and 0 <= v <= 255 for v in colour)):
            raise RenderError(f"{where} has text {name} {colour!r} — it must be four numbers 0-255 (RGBA).")


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _num(value: float) -> str:
    """12.0 -> '12', 12.5 -> '12.5'."""
    return f"{value:g}"

"""Checks that run before any work: limits (LimitError) and numbers that cannot be drawn (RenderError)."""

from __future__ import annotations

import math
import numbers

from imagegen.errors import LimitError, RenderError
from imagegen.limits import LIMITS, Limits
from imagegen.scene import Scene, Timing


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
    if scene.animated:
        check_timing(scene.timing, limits)


def check_timing(timing: Timing, limits: Limits = LIMITS) -> None:
    """Refuse an animation length, frame rate or frame count beyond a limit (the message states it)."""
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
    frames = timing.frame_count
    if frames > limits.max_frames:
        raise LimitError(
            f"{_num(timing.duration_s)} s at {_num(timing.fps)} fps is {frames} frames — the limit is"
            f" {limits.max_frames} frames; shorten the animation or lower the frame rate."
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


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _num(value: float) -> str:
    """12.0 -> '12', 12.5 -> '12.5'."""
    return f"{value:g}"

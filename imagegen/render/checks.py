"""Checks that run before any work: limits (LimitError) and numbers that cannot be drawn (RenderError)."""

from __future__ import annotations

import math

from imagegen.errors import RenderError
from imagegen.limits import LIMITS, Limits, check_canvas, check_text, check_timing
from imagegen.scene import Layer, Scene, TextSpec


def check_limits(scene: Scene, limits: Limits = LIMITS) -> None:
    """Refuse a scene beyond a configured limit (timing only when animated); the message states the limit.

    :raise LimitError: canvas side, duration, frame rate or frame count out of range.
    """
    check_canvas(scene.canvas.width, scene.canvas.height, limits)
    check_text([layer.text.text for layer in scene.layers if layer.text is not None], limits)
    if scene.animated:
        check_timing(scene.timing.duration_s, scene.timing.fps, limits)


def check_drawable(scene: Scene) -> None:
    """Refuse numbers the renderer cannot draw (NaN, infinities, non-positive sizes).

    :raise RenderError: naming the layer and the field.
    """
    for layer in scene.layers:
        where = f"Layer {layer.name}"
        for name in ("size", "opacity", "rotation", "margin"):
            value = getattr(layer, name)
            if not _finite(value):
                raise RenderError(f"{where} has {name} {value!r} — it must be a finite number.")
        if layer.size <= 0:
            raise RenderError(f"{where} has size {layer.size} — it must be above 0 (0.5 = half the canvas).")
        _check_layout(layer, scene)
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


MAX_TREATMENT_SHARE = 0.5
"""A border, shadow offset, blur or gap may reach at most this share of the canvas's longer side."""


def _check_layout(layer: Layer, scene: Scene) -> None:
    """Refuse region, focus, shape, border, shadow, knock-out and gap values that cannot be drawn."""
    where = f"Layer {layer.name}"
    reach = MAX_TREATMENT_SHARE * max(scene.canvas.width, scene.canvas.height)
    numbers: list[tuple[str, object, float, float]] = [("corner radius", layer.corner_radius, 0.0, 0.5)]
    if layer.region is not None:
        r = layer.region
        numbers += [("region left", r.left, -1.0, 2.0), ("region top", r.top, -1.0, 2.0)]
        numbers += [("region width", r.width, 0.0, 2.0), ("region height", r.height, 0.0, 2.0)]
    if layer.focus is not None:
        numbers += [(f"focus {axis}", value, 0.0, 1.0) for axis, value in zip("xy", layer.focus, strict=False)]
    if layer.border is not None:
        numbers.append(("border width (px)", layer.border.width, 0.0, reach))
    if layer.shadow is not None:
        s = layer.shadow
        numbers += [("shadow offset x (px)", s.dx, -reach, reach), ("shadow offset y (px)", s.dy, -reach, reach)]
        numbers.append(("shadow blur (px)", s.blur, 0.0, reach))
    if layer.beside is not None:
        numbers.append(("gap (px)", layer.beside.gap, -reach, reach))
    if layer.knockout is not None:
        numbers.append(("knock-out tolerance", layer.knockout.tolerance, 0, 255))
    for name, value, lo, hi in numbers:
        if not _finite(value):
            raise RenderError(f"{where} has {name} {value!r} — it must be a finite number.")
        if not lo <= value <= hi:  # type: ignore[operator]
            raise RenderError(f"{where} has {name} {_num(value)} — use {_num(lo)} to {_num(hi)}.")  # type: ignore[arg-type]
    if layer.region is not None and min(layer.region.width, layer.region.height) <= 0:
        raise RenderError(f"{where} has an empty region {layer.region} — its width and height must be above 0.")
    if layer.focus is not None and len(layer.focus) != 2:
        raise RenderError(f"{where} has focus {layer.focus!r} — it must be two fractions (x, y).")
    colours = [("border colour", layer.border.colour if layer.border else None, 4)]
    colours.append(("shadow colour", layer.shadow.colour if layer.shadow else None, 4))
    colours.append(("knock-out colour", layer.knockout.colour if layer.knockout else None, 3))
    for name, colour, channels in colours:
        if colour is None:
            continue
        if len(colour) != channels or not all(isinstance(c, int) and 0 <= c <= 255 for c in colour):
            raise RenderError(f"{where} has {name} {colour!r} — it must be {channels} whole numbers from 0 to 255.")


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

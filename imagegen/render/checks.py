"""Checks that run before any work: limits (LimitError) and numbers that cannot be drawn (RenderError)."""

from __future__ import annotations

import math

from imagegen.errors import RenderError
from imagegen.limits import LIMITS, Limits, check_canvas, check_timing
from imagegen.scene import Scene


def check_limits(scene: Scene, limits: Limits = LIMITS) -> None:
    """Refuse a scene beyond a configured limit (timing only when animated); the message states the limit.

    :raise LimitError: canvas side, duration, frame rate or frame count out of range.
    """
    check_canvas(scene.canvas.width, scene.canvas.height, limits)
    if scene.animated:
        check_timing(scene.timing.duration_s, scene.timing.fps, limits)


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

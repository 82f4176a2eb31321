"""Easing curves: map linear progress ``t`` in [0, 1] to eased progress (Robert Penner / CSS shapes).

Every curve satisfies ``f(0) = 0`` and ``f(1) = 1``; ``BOUNCE`` and ``ELASTIC`` may leave [0, 1] in
between (elastic overshoots past 1), which is the point of them. Input outside [0, 1] is clamped.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from imagegen.errors import RenderError
from imagegen.scene import Easing

EasingFn = Callable[[float], float]


def _linear(t: float) -> float:
    return t


def _ease_in(t: float) -> float:
    return t * t * t


def _ease_out(t: float) -> float:
    return 1.0 - (1.0 - t) ** 3


def _ease_in_out(t: float) -> float:
    return 4.0 * t * t * t if t < 0.5 else 1.0 - (-2.0 * t + 2.0) ** 3 / 2.0


def _bounce(t: float) -> float:
    """easeOutBounce: falls to 1 and bounces three times with decreasing height."""
    n1, d1 = 7.5625, 2.75
    if t < 1 / d1:
        return n1 * t * t
    if t < 2 / d1:
        t -= 1.5 / d1
        return n1 * t * t + 0.75
    if t < 2.5 / d1:
        t -= 2.25 / d1
        return n1 * t * t + 0.9375
    t -= 2.625 / d1
    return n1 * t * t + 0.984375


def _elastic(t: float) -> float:
    """easeOutElastic: overshoots 1 and settles like a spring."""
    if t <= 0.0:
        return 0.0
    if t >= 1.0:
        return 1.0
    return 2.0 ** (-10.0 * t) * math.sin((10.0 * t - 0.75) * (2.0 * math.pi / 3.0)) + 1.0


EASINGS: dict[Easing, EasingFn] = {
    Easing.LINEAR: _linear,
    Easing.EASE_IN: _ease_in,
    Easing.EASE_OUT: _ease_out,
    Easing.EASE_IN_OUT: _ease_in_out,
    Easing.BOUNCE: _bounce,
    Easing.ELASTIC: _elastic,
}


def ease(easing: Easing, t: float) -> float:
    """Eased progress for linear progress ``t`` (clamped to [0, 1]; NaN counts as 0).

    :raise RenderError: for an easing this module does not know.
    """
    try:
        fn = EASINGS[Easing(easing)]
    except (ValueError, KeyError):
        known = ", ".join(e.value for e in EASINGS)
        raise RenderError(f"Unknown easing '{easing}' — expected one of: {known}.") from None
    t = 0.0 if math.isnan(t) else min(1.0, max(0.0, t))
    if t == 0.0:
        return 0.0
    if t == 1.0:
        return 1.0
    return fn(t)

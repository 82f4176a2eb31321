"""Easing curves: exact values at known points, end points, monotonicity, overshoot where expected."""

from __future__ import annotations

import itertools
import math

import pytest
from helpers_pixels import assert_close

from imagegen.errors import RenderError
from imagegen.render.easing import EASINGS, ease
from imagegen.scene import Easing

# (easing, t, expected) — values of the standard Penner / CSS formulas.
KNOWN = [
    (Easing.LINEAR, 0.25, 0.25),
    (Easing.LINEAR, 0.5, 0.5),
    (Easing.EASE_IN, 0.5, 0.125),
    (Easing.EASE_IN, 0.25, 0.015625),
    (Easing.EASE_OUT, 0.5, 0.875),
    (Easing.EASE_OUT, 0.25, 1 - 0.75**3),
    (Easing.EASE_IN_OUT, 0.25, 4 * 0.25**3),
    (Easing.EASE_IN_OUT, 0.5, 0.5),
    (Easing.EASE_IN_OUT, 0.75, 1 - 0.5**3 / 2),
    (Easing.BOUNCE, 1 / 2.75, 1.0),  # first landing
    (Easing.BOUNCE, 0.5, 7.5625 * (0.5 - 1.5 / 2.75) ** 2 + 0.75),
    (Easing.BOUNCE, 0.2, 7.5625 * 0.04),
    (Easing.ELASTIC, 0.5, 2**-5 * math.sin((5 - 0.75) * 2 * math.pi / 3) + 1),
    (Easing.ELASTIC, 0.1, 2**-1 * math.sin((1 - 0.75) * 2 * math.pi / 3) + 1),
]


@pytest.mark.parametrize(("easing", "t", "expected"), KNOWN)
def test_known_values(easing: Easing, t: float, expected: float) -> None:
    assert_close(ease(easing, t), expected, 1e-9, f"{easing}({t})")


@pytest.mark.parametrize("easing", list(Easing))
def test_end_points_are_exact(easing: Easing) -> None:
    assert ease(easing, 0.0) == 0.0
    assert ease(easing, 1.0) == 1.0


@pytest.mark.parametrize("easing", list(Easing))
@pytest.mark.parametrize(("t", "clamped"), [(-0.5, 0.0), (1.7, 1.0), (float("nan"), 0.0), (-math.inf, 0.0)])
def test_input_is_clamped(easing: Easing, t: float, clamped: float) -> None:
    assert ease(easing, t) == clamped


@pytest.mark.parametrize("easing", [Easing.LINEAR, Easing.EASE_IN, Easing.EASE_OUT, Easing.EASE_IN_OUT])
def test_plain_curves_are_monotonic_and_stay_in_range(easing: Easing) -> None:
    values = [ease(easing, i / 200) for i in range(201)]
    assert all(b >= a for a, b in itertools.pairwise(values)), f"{easing} is not monotonic"
    assert min(values) >= 0.0 and max(values) <= 1.0


def test_ease_in_is_slow_first_and_ease_out_fast_first() -> None:
    assert ease(Easing.EASE_IN, 0.3) < 0.3 < ease(Easing.EASE_OUT, 0.3)


def test_elastic_overshoots_then_settles() -> None:
    values = [ease(Easing.ELASTIC, i / 400) for i in range(401)]
    assert max(values) > 1.0, "elastic should overshoot 1"
    assert abs(values[-2] - 1.0) < 0.01


def test_bounce_touches_one_several_times_and_never_exceeds_it() -> None:
    values = [ease(Easing.BOUNCE, i / 1000) for i in range(1001)]
    assert max(values) <= 1.0 + 1e-12
    dips = sum(1 for a, b, c in zip(values, values[1:], values[2:], strict=False) if b < a and b < c)
    assert dips == 3, f"got {dips} local minima (bounces), expected 3"


def test_every_easing_has_a_curve() -> None:
    assert set(EASINGS) == set(Easing)


def test_unknown_easing_is_a_clear_error() -> None:
    with pytest.raises(RenderError, match="Unknown easing 'wobbly' — expected one of: linear, ease-in"):
        ease("wobbly", 0.5)  # type: ignore[arg-type]

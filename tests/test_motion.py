"""Motion maths without pixels: local time, each kind's transform, slide geometry, the kind table."""

from __future__ import annotations

import math

import pytest
from helpers_pixels import assert_close

from imagegen.errors import RenderError
from imagegen.render.motion import MOTIONS, Transform, motion_time, transform_at
from imagegen.render.placement import Placement, place
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind

CANVAS = Canvas(200, 100)


def placed(layer: Layer, size: tuple[int, int] = (40, 20)) -> Placement:
    return place(layer, size, CANVAS)


def at(layer: Layer, t: float, size: tuple[int, int] = (40, 20)) -> Transform:
    return transform_at(layer, placed(layer, size), CANVAS, t)


def centre_at(layer: Layer, t: float, size: tuple[int, int] = (40, 20)) -> tuple[float, float]:
    p = placed(layer, size)
    tr = transform_at(layer, p, CANVAS, t)
    return p.centre[0] + tr.dx, p.centre[1] + tr.dy


# --- motion_time ----------------------------------------------------------------------------------------

TIME_CASES = [
    # (motion, global t, local t)
    (Motion(MotionKind.SPIN), 0.0, 0.0),
    (Motion(MotionKind.SPIN), 0.3, 0.3),
    (Motion(MotionKind.SPIN), 1.0, 1.0),
    (Motion(MotionKind.SPIN), 1.5, 1.0),  # clamped
    (Motion(MotionKind.SPIN), -1.0, 0.0),
    (Motion(MotionKind.SPIN, start=0.5), 0.25, 0.0),  # holds the start before its window
    (Motion(MotionKind.SPIN, start=0.5), 0.75, 0.5),
    (Motion(MotionKind.SPIN, end=0.5), 0.25, 0.5),
    (Motion(MotionKind.SPIN, end=0.5), 0.9, 1.0),  # holds the end after its window
    (Motion(MotionKind.SPIN, repeats=2), 0.25, 0.5),
    (Motion(MotionKind.SPIN, repeats=2), 0.5, 1.0),  # a boundary is the end of the earlier repeat
    (Motion(MotionKind.SPIN, repeats=2), 0.75, 0.5),
    (Motion(MotionKind.SPIN, repeats=2), 1.0, 1.0),
    (Motion(MotionKind.SPIN, repeats=1.5), 1.0, 0.5),  # a partial last repeat ends part-way
    (Motion(MotionKind.SPIN, pingpong=True), 0.25, 0.5),
    (Motion(MotionKind.SPIN, pingpong=True), 0.5, 1.0),
    (Motion(MotionKind.SPIN, pingpong=True), 1.0, 0.0),
    (Motion(MotionKind.SPIN, easing=Easing.EASE_IN), 0.5, 0.125),
    (Motion(MotionKind.SPIN, easing=Easing.EASE_IN, pingpong=True), 0.75, 0.125),
    (Motion(MotionKind.SPIN, start=0.6, end=0.6), 0.59, 0.0),  # empty window: a step
    (Motion(MotionKind.SPIN, start=0.6, end=0.6), 0.6, 1.0),
]


@pytest.mark.parametrize(("motion", "t", "expected"), TIME_CASES)
def test_motion_time(motion: Motion, t: float, expected: float) -> None:
    assert_close(motion_time(motion, t), expected, 1e-9, f"local time of {motion} at t={t}")


@pytest.mark.parametrize("repeats", [0, -1, float("nan"), float("inf")])
def test_bad_repeats_are_a_clear_error(repeats: float) -> None:
    with pytest.raises(RenderError, match=r"The spin motion repeats .* it must be a positive number"):
        motion_time(Motion(MotionKind.SPIN, repeats=repeats), 0.5)


# --- each kind ------------------------------------------------------------------------------------------

# (motion, t, field, expected); layer sprite is 40x20 px.
KIND_CASES = [
    (Motion(MotionKind.SPIN), 0.5, "angle", 180.0),
    (Motion(MotionKind.SPIN), 1.0, "angle", 360.0),
    (Motion(MotionKind.SPIN, clockwise=False), 0.25, "angle", -90.0),
    (Motion(MotionKind.SPIN, amount=2), 0.5, "angle", 360.0),
    (Motion(MotionKind.BOUNCE), 0.5, "dy", -0.25 * 20),
    (Motion(MotionKind.BOUNCE), 0.0, "dy", 0.0),
    (Motion(MotionKind.BOUNCE), 1.0, "dy", 0.0),
    (Motion(MotionKind.BOUNCE, amount=1.0), 0.25, "dy", -20 * 4 * 0.25 * 0.75),
    (Motion(MotionKind.FADE_IN), 0.0, "opacity", 0.0),
    (Motion(MotionKind.FADE_IN), 0.5, "opacity", 0.5),
    (Motion(MotionKind.FADE_IN, easing=Easing.ELASTIC), 0.5, "opacity", 1.0),  # overshoot clamped
    (Motion(MotionKind.FADE_OUT), 0.25, "opacity", 0.75),
    (Motion(MotionKind.FADE_OUT), 1.0, "opacity", 0.0),
    (Motion(MotionKind.ZOOM_IN), 1.0, "scale", 1.5),
    (Motion(MotionKind.ZOOM_IN), 0.5, "scale", 1.25),
    (Motion(MotionKind.ZOOM_IN, amount=3), 0.5, "scale", 2.0),
    (Motion(MotionKind.ZOOM_OUT), 1.0, "scale", 1 / 1.5),
    (Motion(MotionKind.ZOOM_OUT, amount=2), 0.5, "scale", 0.75),
    (Motion(MotionKind.PULSE), 0.5, "scale", 1.1),
    (Motion(MotionKind.PULSE), 1.0, "scale", 1.0),
    (Motion(MotionKind.PULSE, amount=0.5), 0.25, "scale", 1.25),
    (Motion(MotionKind.SHAKE), 1 / 12, "dx", 0.05 * 40),
    (Motion(MotionKind.SHAKE), 3 / 12, "dx", -0.05 * 40),
    (Motion(MotionKind.SHAKE), 0.5, "dx", 0.0),
    (Motion(MotionKind.SHAKE), 1.0, "dx", 0.0),
]


@pytest.mark.parametrize(("motion", "t", "field", "expected"), KIND_CASES)
def test_kind_transform(motion: Motion, t: float, field: str, expected: float) -> None:
    layer = Layer("x", margin=0.0, motions=(motion,))
    assert_close(getattr(at(layer, t), field), expected, 1e-9, f"{motion.kind} {field} at t={t}")


def test_every_kind_has_a_function_and_defaults_are_the_documented_ones() -> None:
    assert set(MOTIONS) == set(MotionKind)
    assert MOTIONS[MotionKind.SPIN].default_amount == 1.0
    assert MOTIONS[MotionKind.BOUNCE].default_amount == 0.25
    assert MOTIONS[MotionKind.ZOOM_IN].default_amount == 1.5
    assert MOTIONS[MotionKind.PULSE].default_amount == 0.1
    assert MOTIONS[MotionKind.SHAKE].default_amount == 0.05


def test_unknown_kind_is_a_render_error_not_a_key_error() -> None:
    layer = Layer("x", motions=(Motion("wobble"),))  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="Unknown motion 'wobble' — the renderer knows: slide, spin"):
        at(layer, 0.5)


def test_motions_combine_offsets_add_scales_multiply() -> None:
    layer = Layer(
        "x",
        margin=0.0,
        motions=(
            Motion(MotionKind.ZOOM_IN, amount=2),
            Motion(MotionKind.PULSE, amount=0.5),
            Motion(MotionKind.FADE_OUT),
            Motion(MotionKind.SPIN, amount=0.25),
            Motion(MotionKind.SPIN, amount=0.25),
        ),
    )
    tr = at(layer, 0.5)
    assert_close((tr.scale, tr.opacity, tr.angle), (1.5 * 1.5, 0.5, 90.0), 1e-9, "combined transform")


@pytest.mark.parametrize("amount", [0, -2, float("inf")])
def test_bad_zoom_amount_is_a_clear_error(amount: float) -> None:
    layer = Layer("x", motions=(Motion(MotionKind.ZOOM_IN, amount=amount),))
    with pytest.raises(RenderError, match="zoom-in motion has amount"):
        at(layer, 0.5)


def test_same_look_compares_angles_modulo_a_turn() -> None:
    assert Transform(angle=360.0).same_look(Transform())
    assert Transform(angle=-720.0 + 1e-9).same_look(Transform())
    assert not Transform(angle=180.0).same_look(Transform())
    assert not Transform(dx=0.5).same_look(Transform())


# --- slide geometry -------------------------------------------------------------------------------------
# Canvas 200x100, sprite 40x20, margin 0: x centre at LEFT=20, CENTER=100, RIGHT=180; y: TOP=10, mid 50, BOTTOM=90.

SLIDES = [
    # (layer anchor, motion, t, expected centre)
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), 0.0, (20, 50)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), 0.5, (100, 50)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), 1.0, (180, 50)),
    # LEFT -> RIGHT keeps the layer's own y (here: bottom)
    (Anchor.BOTTOM, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), 0.0, (20, 90)),
    (Anchor.TOP, Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, to_anchor=Anchor.BOTTOM), 1.0, (100, 90)),
    # to None = the layer's own place
    (Anchor.TOP_RIGHT, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT), 0.0, (20, 10)),
    (Anchor.TOP_RIGHT, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT), 1.0, (180, 10)),
    # CENTER fixes only the axes the other end fixes: "left to centre" keeps y
    (Anchor.BOTTOM, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.CENTER), 1.0, (100, 90)),
    (Anchor.TOP_LEFT, Motion(MotionKind.SLIDE, from_anchor=Anchor.CENTER), 0.0, (100, 50)),
    (Anchor.LEFT, Motion(MotionKind.SLIDE, from_anchor=Anchor.CENTER), 0.0, (100, 50)),
    (Anchor.TOP, Motion(MotionKind.SLIDE, to_anchor=Anchor.CENTER), 1.0, (100, 50)),
    (Anchor.BOTTOM_RIGHT, Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP_LEFT), 0.5, (100, 50)),
    # enters: starts just outside beyond the from-anchor's edge(s)
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True), 0.0, (-20, 50)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.RIGHT, enters=True), 0.0, (220, 50)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, enters=True), 0.0, (100, -10)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.BOTTOM_RIGHT, enters=True), 0.0, (220, 110)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True), 1.0, (100, 50)),
    (Anchor.LEFT, Motion(MotionKind.SLIDE, enters=True), 0.0, (-20, 50)),  # own anchor names the edge
    (Anchor.CENTER, Motion(MotionKind.SLIDE, enters=True), 0.0, (-20, 50)),  # no edge named: from the left
    (Anchor.CENTER, Motion(MotionKind.SLIDE, exits=True), 1.0, (220, 50)),  # ... and out to the right
    # exits: ends just outside beyond the to-anchor's edge(s)
    (Anchor.CENTER, Motion(MotionKind.SLIDE, to_anchor=Anchor.RIGHT, exits=True), 1.0, (220, 50)),
    (Anchor.CENTER, Motion(MotionKind.SLIDE, to_anchor=Anchor.BOTTOM, exits=True), 0.5, (100, 80)),
    # across: LEFT -> RIGHT entering and exiting
    (
        Anchor.CENTER,
        Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, enters=True, exits=True),
        0.5,
        (100, 50),
    ),
]


@pytest.mark.parametrize(("anchor", "motion", "t", "expected"), SLIDES)
def test_slide_path(anchor: Anchor, motion: Motion, t: float, expected: tuple[float, float]) -> None:
    layer = Layer("x", anchor=anchor, margin=0.0, motions=(motion,))
    assert_close(centre_at(layer, t), expected, 1e-9, f"centre of {anchor} layer, {motion} at t={t}")


def test_slide_with_margin_targets_the_inset() -> None:
    # margin 0.1 of the shorter side (100) = 10 px: RIGHT puts the right edge at 190
    layer = Layer("x", margin=0.1, motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),))
    assert_close(centre_at(layer, 0.0), (30, 50), 1e-9, "start centre")
    assert_close(centre_at(layer, 1.0), (170, 50), 1e-9, "end centre")


def test_spinning_layer_enters_from_far_enough_that_no_corner_shows() -> None:
    layer = Layer(
        "x",
        margin=0.0,
        motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True), Motion(MotionKind.SPIN)),
    )
    x, _ = centre_at(layer, 0.0)
    assert_close(x, -math.hypot(20, 10), 1e-9, "start x of a spinning layer")


def test_slide_to_own_anchor_ends_exactly_at_rest() -> None:
    for anchor in Anchor:
        layer = Layer("x", anchor=anchor, motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT),))
        tr = at(layer, 1.0, size=(37, 23))  # odd sizes: rounding must agree with placement
        assert_close((tr.dx, tr.dy), (0.0, 0.0), 1e-9, f"end offset for {anchor}")

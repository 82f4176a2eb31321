"""Each motion's path measured from rendered pixels at t = 0, 0.5, 1 (centroids, sizes, blended colour)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_pixels import RED, WHITE, assert_close, assert_pixel, bbox, centroid, count, solid

from imagegen.render import RenderPlan, prepare
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind, Scene

CANVAS = Canvas(200, 200, WHITE)
MID = 99.5  # centroid of a centred 40x40 sprite (pixels 80..119)


def plan_for(*motions: Motion, anchor: Anchor = Anchor.CENTER, image_size: tuple[int, int] = (40, 40)) -> RenderPlan:
    layer = Layer("x", anchor=anchor, size=0.2, margin=0.0, motions=motions)
    return prepare(Scene(layers=(layer,), canvas=CANVAS), {"x": solid(*image_size)})


def size_at(plan: RenderPlan, t: float) -> tuple[int, int]:
    box = bbox(plan.image_at(t), RED)
    assert box is not None, f"nothing red at t={t}"
    return box[2] - box[0], box[3] - box[1]


# (motion, anchor, t, expected centroid or None for "not visible")
PATHS = [
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), Anchor.CENTER, 0.0, (19.5, MID)),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), Anchor.CENTER, 0.5, (MID, MID)),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), Anchor.CENTER, 1.0, (179.5, MID)),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, to_anchor=Anchor.BOTTOM), Anchor.LEFT, 0.5, (19.5, MID)),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, to_anchor=Anchor.BOTTOM), Anchor.LEFT, 1.0, (19.5, 179.5)),
    (
        Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, easing=Easing.EASE_IN),
        Anchor.CENTER,
        0.5,
        (19.5 + 160 * 0.125, MID),
    ),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True), Anchor.CENTER, 0.0, None),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True), Anchor.CENTER, 1.0, (MID, MID)),
    (Motion(MotionKind.SLIDE, to_anchor=Anchor.RIGHT, exits=True), Anchor.CENTER, 0.0, (MID, MID)),
    (Motion(MotionKind.SLIDE, to_anchor=Anchor.RIGHT, exits=True), Anchor.CENTER, 1.0, None),
    (Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP_LEFT, enters=True), Anchor.CENTER, 0.0, None),
    (Motion(MotionKind.BOUNCE), Anchor.CENTER, 0.0, (MID, MID)),
    (Motion(MotionKind.BOUNCE), Anchor.CENTER, 0.5, (MID, MID - 10)),  # up by 0.25 x 40 px
    (Motion(MotionKind.BOUNCE), Anchor.CENTER, 1.0, (MID, MID)),
    (Motion(MotionKind.SHAKE, amount=0.25), Anchor.CENTER, 1 / 12, (MID + 10, MID)),
    (Motion(MotionKind.SHAKE, amount=0.25), Anchor.CENTER, 0.5, (MID, MID)),
    (Motion(MotionKind.SHAKE, amount=0.25), Anchor.CENTER, 1.0, (MID, MID)),
    # grows about its own centre (20, 20) to 60 px: -10..50, clipped at the canvas edge -> 0..50
    (Motion(MotionKind.ZOOM_IN), Anchor.TOP_LEFT, 1.0, (24.5, 24.5)),
]


@pytest.mark.parametrize(("motion", "anchor", "t", "expected"), PATHS)
def test_motion_path(motion: Motion, anchor: Anchor, t: float, expected: tuple[float, float] | None) -> None:
    image = plan_for(motion, anchor=anchor).image_at(t)
    if expected is None:
        assert count(image, RED) == 0, f"{motion.kind} at t={t}: got {count(image, RED)} red pixels, expected none"
    else:
        assert_close(centroid(image, RED), expected, 0.6, f"{motion.kind} centroid at t={t}")


def test_entering_layer_is_partly_visible_on_the_way_in() -> None:
    plan = plan_for(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True))
    # centre x goes -20 -> 100; at t=0.25 it is 10: columns 0..29 visible
    image = plan.image_at(0.25)
    assert bbox(image, RED) == (0, 80, 30, 120), f"got {bbox(image, RED)}, expected (0, 80, 30, 120)"


def test_exiting_layer_is_clipped_at_the_far_edge() -> None:
    plan = plan_for(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, exits=True))
    # centre x goes 20 -> 220; at t=0.9 it is 200: half the sprite is beyond the right edge
    assert bbox(plan.image_at(0.9), RED) == (180, 80, 200, 120), f"got {bbox(plan.image_at(0.9), RED)}"


@pytest.mark.parametrize(
    ("motion", "sizes"),
    [
        (Motion(MotionKind.ZOOM_IN), {0.0: 40, 0.5: 50, 1.0: 60}),
        (Motion(MotionKind.ZOOM_OUT, amount=2), {0.0: 40, 0.5: 30, 1.0: 20}),
        (Motion(MotionKind.PULSE, amount=0.5), {0.0: 40, 0.5: 60, 1.0: 40}),
    ],
)
def test_scale_motions(motion: Motion, sizes: dict[float, int]) -> None:
    plan = plan_for(motion)
    for t, side in sizes.items():
        assert_close(size_at(plan, t), (side, side), 1, f"{motion.kind} size at t={t}")
        assert_close(centroid(plan.image_at(t), RED), (MID, MID), 0.6, f"{motion.kind} centre at t={t}")


@pytest.mark.parametrize(
    ("motion", "colours"),
    [
        (Motion(MotionKind.FADE_IN), {0.0: WHITE, 0.5: (255, 127, 127), 1.0: RED}),
        (Motion(MotionKind.FADE_OUT), {0.0: RED, 0.5: (255, 127, 127), 1.0: WHITE}),
    ],
)
def test_fade_motions(motion: Motion, colours: dict[float, tuple[int, ...]]) -> None:
    plan = plan_for(motion)
    for t, colour in colours.items():
        assert_pixel(plan.image_at(t), (100, 100), colour[:3], 1, f"{motion.kind} colour at t={t}")


def test_spin_turns_clockwise_and_swaps_sides_at_a_quarter_turn() -> None:
    plan = plan_for(Motion(MotionKind.SPIN), image_size=(40, 10))
    assert_close(size_at(plan, 0.0), (40, 10), 0, "size at t=0")
    assert_close(size_at(plan, 0.25), (10, 40), 1, "size at a quarter turn")
    assert_close(size_at(plan, 0.5), (40, 10), 1, "size at half a turn")
    arr = np.asarray(plan.image_at(1 / 16))  # 22.5 degrees clockwise: right end lower than left end
    ys, xs = np.nonzero((arr[..., 0] > 200) & (arr[..., 1] < 100))
    assert ys[xs > 110].mean() > ys[xs < 90].mean() + 3, "spin should be clockwise"


def test_counter_clockwise_spin_raises_the_right_end() -> None:
    plan = plan_for(Motion(MotionKind.SPIN, clockwise=False), image_size=(40, 10))
    arr = np.asarray(plan.image_at(1 / 16))
    ys, xs = np.nonzero((arr[..., 0] > 200) & (arr[..., 1] < 100))
    assert ys[xs > 110].mean() < ys[xs < 90].mean() - 3


def test_layer_rotation_and_spin_add_up() -> None:
    layer = Layer("x", size=0.2, margin=0.0, rotation=90, motions=(Motion(MotionKind.SPIN, amount=0.25),))
    plan = prepare(Scene(layers=(layer,), canvas=CANVAS), {"x": solid(40, 10)})
    assert_close(size_at(plan, 0.0), (10, 40), 0, "rotated 90 at rest")
    assert_close(size_at(plan, 1.0), (40, 10), 1, "90 + a quarter turn = 180")


def test_motion_window_holds_before_and_after() -> None:
    plan = plan_for(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, start=0.5, end=0.75))
    assert_close(centroid(plan.image_at(0.4), RED), (19.5, MID), 0.6, "before the window")
    assert_close(centroid(plan.image_at(0.625), RED), (MID, MID), 0.6, "mid-window")
    assert_close(centroid(plan.image_at(0.9), RED), (179.5, MID), 0.6, "after the window")

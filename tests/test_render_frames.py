"""Frame streaming: counts, timing, dirty boxes against full re-renders, cancel, progress, flat memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from helpers_pixels import BLUE, GREEN, RED, WHITE, solid
from PIL import Image

from imagegen.errors import RenderCancelled
from imagegen.render import NO_CHANGE, Frame, RenderPlan, frame_durations, frame_times, prepare
from imagegen.render.motion import Transform
from imagegen.render.sprites import SpriteRenderer
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Role, Scene, Timing

CANVAS = Canvas(200, 160, WHITE)


def slide_plan(timing: Timing, canvas: Canvas = CANVAS) -> RenderPlan:
    layer = Layer("x", size=0.2, motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),))
    return prepare(Scene(layers=(layer,), canvas=canvas, timing=timing), {"x": solid(20, 20)})


def busy_scene() -> tuple[Scene, dict[str, Image.Image]]:
    """Every kind of work at once: static base, moving layers, a static overlay between and above them."""
    rng = np.random.default_rng(7)
    noise = Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8))
    layers = (
        Layer("bg", role=Role.BACKGROUND, motions=(Motion(MotionKind.ZOOM_IN, amount=2.0, start=0.6),)),
        Layer(
            "logo",
            size=0.3,
            rotation=10,
            motions=(
                Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, enters=True, exits=True),
                Motion(MotionKind.FADE_IN, end=0.3),
            ),
        ),
        Layer("badge", size=0.25, anchor=Anchor.TOP_LEFT),
        Layer("spin", size=0.3, anchor=Anchor.BOTTOM_RIGHT, motions=(Motion(MotionKind.SPIN, start=0.2, end=0.5),)),
        Layer("bounce", size=0.2, anchor=Anchor.BOTTOM, motions=(Motion(MotionKind.BOUNCE, repeats=2),)),
        Layer("top", size=0.5, opacity=0.6),
    )
    logo = Image.new("RGBA", (60, 30), (0, 0, 0, 0))
    logo.paste(RED, (5, 5, 55, 25))
    images = {
        "bg": noise,
        "logo": logo,
        "badge": solid(20, 20, BLUE),
        "spin": solid(40, 20, GREEN),
        "bounce": solid(10, 10, (200, 0, 200, 255)),
        "top": solid(10, 3, (0, 0, 0, 120)),
    }
    return Scene(layers=layers, canvas=CANVAS, timing=Timing(1.5, 16)), images


def test_every_frame_equals_a_full_render_and_dirty_boxes_hold_all_changes() -> None:
    scene, images = busy_scene()
    plan = prepare(scene, images)
    times = plan.times()
    previous: np.ndarray | None = None
    dirty_boxes = []
    for frame in plan.frames():
        assert frame.image.shape == (160, 200, 4) and frame.image.dtype == np.uint8
        expected = np.asarray(plan.image_at(times[frame.index]))
        assert np.array_equal(frame.image, expected), f"frame {frame.index} differs from a full render"
        if previous is None:
            assert frame.dirty is None, "first frame must be marked all-dirty"
        else:
            left, top, right, bottom = frame.dirty or (0, 0, 200, 160)
            outside = np.ones((160, 200), dtype=bool)
            outside[top:bottom, left:right] = False
            assert np.array_equal(frame.image[outside], previous[outside]), f"frame {frame.index}: change outside dirty"
            dirty_boxes.append(frame.dirty)
        previous = frame.image.copy()
    assert len(dirty_boxes) == plan.frame_count - 1 == 23
    full = (0, 0, 200, 160)
    assert any(box != full for box in dirty_boxes), "dirty boxes should be smaller than the canvas sometimes"


def test_still_is_the_first_frame() -> None:
    scene, images = busy_scene()
    plan = prepare(scene, images)
    first = next(plan.frames())
    assert np.array_equal(np.asarray(plan.still()), first.image)


def test_nothing_moving_gives_an_empty_dirty_box() -> None:
    layer = Layer("x", size=0.2, motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, start=0.5),))
    plan = prepare(Scene(layers=(layer,), canvas=CANVAS, timing=Timing(1, 10)), {"x": solid(20, 20)})
    dirty = [frame.dirty for frame in plan.frames()]
    assert dirty[0] is None
    assert dirty[1:5] == [NO_CHANGE] * 4, f"got {dirty[1:5]}, expected the layer to hold still"
    assert all(box != NO_CHANGE for box in dirty[5:]), f"got {dirty[5:]}"


@pytest.mark.parametrize(
    ("duration", "fps", "count", "total"),
    [(1.0, 3, 3, 1000), (2.0, 24, 48, 2000), (0.5, 7, 4, 500), (1.3, 30, 39, 1300), (10, 24, 240, 10000)],
)
def test_frame_count_and_durations_sum_exactly(duration: float, fps: float, count: int, total: int) -> None:
    plan = slide_plan(Timing(duration, fps))
    durations = plan.durations()
    assert plan.frame_count == count == len(durations)
    assert sum(durations) == total, f"got {sum(durations)} ms, expected {total}"
    assert max(durations) - min(durations) <= 1, f"durations should differ by at most 1 ms: {set(durations)}"
    assert [f.duration_ms for f in plan.frames()] == durations


def test_frame_durations_spread_rounding() -> None:
    assert frame_durations(1000, 3) == [333, 333, 334]
    assert frame_durations(100, 6) == [16, 17, 17, 16, 17, 17]


def test_static_scene_is_one_frame() -> None:
    plan = prepare(Scene(layers=(Layer("x"),), canvas=CANVAS, timing=Timing(3, 24)), {"x": solid(5, 5)})
    frames = [(f.index, f.dirty, f.duration_ms) for f in plan.frames()]
    assert plan.frame_count == 1 and frames == [(0, None, 3000)]
    assert plan.sprites == []


def test_frame_times_rule() -> None:
    assert frame_times(4, cyclic=False) == [0.0, 1 / 3, 2 / 3, 1.0]
    assert frame_times(4, cyclic=True) == [0.0, 0.25, 0.5, 0.75]
    assert frame_times(1, cyclic=True) == [0.0]


@pytest.mark.parametrize(
    ("motion", "cyclic"),
    [
        (Motion(MotionKind.SPIN), True),
        (Motion(MotionKind.SPIN, amount=0.5), False),
        (Motion(MotionKind.PULSE), True),
        (Motion(MotionKind.BOUNCE, repeats=3), True),
        (Motion(MotionKind.SHAKE), True),
        (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, pingpong=True), True),
        (Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT), False),
        (Motion(MotionKind.FADE_IN), False),
        (Motion(MotionKind.ZOOM_IN), False),
    ],
)
def test_looping_motions_skip_the_seam_frame_others_end_at_their_end(motion: Motion, cyclic: bool) -> None:
    layer = Layer("x", size=0.2, motions=(motion,))
    plan = prepare(Scene(layers=(layer,), canvas=CANVAS, timing=Timing(1, 4)), {"x": solid(20, 10)})
    assert plan.cyclic is cyclic
    assert plan.times()[-1] == (0.75 if cyclic else 1.0)


def test_progress_is_reported_after_each_frame() -> None:
    plan = slide_plan(Timing(1, 6))
    calls: list[tuple[int, int]] = []
    frames = list(plan.frames(progress=lambda done, total: calls.append((done, total))))
    assert len(frames) == 6
    assert calls == [(i, 6) for i in range(1, 7)]


def test_cancel_stops_between_frames() -> None:
    plan = slide_plan(Timing(1, 10))
    seen: list[Frame] = []
    with pytest.raises(RenderCancelled, match="Rendering was cancelled after 3 of 10 frames"):
        for frame in plan.frames(cancel=lambda: len(seen) >= 3):
            seen.append(frame)
    assert [f.index for f in seen] == [0, 1, 2]


def test_partial_render_of_a_huge_sprite_matches_the_whole_one() -> None:
    rng = np.random.default_rng(3)
    source = Image.fromarray(rng.integers(0, 256, (300, 400, 4), dtype=np.uint8))
    sprite = SpriteRenderer(source, (200, 150), rotation=20, opacity=0.8, canvas=(100, 100))
    for transform in (Transform(scale=1.7, angle=13), Transform(scale=1.2), Transform(dx=30, dy=-20, scale=1.5)):
        part = sprite.draw(transform, (50, 50))
        assert part is not None and part.image.size == (100, 100), "only the visible part is rendered"
        whole = sprite._whole(sprite.look(transform))
        left = round(50 + transform.dx - whole.width / 2)
        top = round(50 + transform.dy - whole.height / 2)
        crop = whole.crop((part.left - left, part.top - top, part.left - left + 100, part.top - top + 100))
        diff = np.abs(np.asarray(crop, dtype=np.int32) - np.asarray(part.faded(), dtype=np.int32))
        assert np.percentile(diff, 99.9) <= 2, f"{transform}: 99.9th percentile difference {np.percentile(diff, 99.9)}"


def test_zoomed_background_stays_sharp_and_covering() -> None:
    pattern = Image.new("RGBA", (400, 400), WHITE)
    pattern.paste(RED, (0, 0, 200, 400))
    layer = Layer("bg", role=Role.BACKGROUND, motions=(Motion(MotionKind.ZOOM_IN, amount=4),))
    plan = prepare(Scene(layers=(layer,), canvas=Canvas(100, 100, None), timing=Timing(1, 4)), {"bg": pattern})
    end = np.asarray(plan.image_at(1.0))
    assert (end[..., 3] == 255).all(), "a zoomed background still covers the canvas"
    row = end[50, :, 0].astype(int)  # left red, right white: a sharp edge at x = 50
    assert row[:48].min() == 255 and row[53:].min() == 255 and (end[50, 53:, 1] > 250).all()


def _peak_while_iterating(seconds: float) -> tuple[int, int]:
    rng = np.random.default_rng(0)
    images = {
        "bg": Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)),
        "logo": solid(300, 200, RED),
        "spin": solid(200, 100, BLUE),
    }
    layers = (
        Layer("bg", role=Role.BACKGROUND),
        Layer(
            "logo",
            size=0.3,
            motions=(
                Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),
                Motion(MotionKind.FADE_IN),
            ),
        ),
        Layer("spin", size=0.2, anchor=Anchor.TOP_RIGHT, motions=(Motion(MotionKind.SPIN),)),
    )
    plan = prepare(Scene(layers=layers, canvas=Canvas(1080, 1080), timing=Timing(seconds, 24)), images)
    tracemalloc.start()
    try:
        frames = sum(1 for _ in plan.frames())
        return frames, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_flat_in_frame_count() -> None:
    short_frames, short_peak = _peak_while_iterating(2)
    long_frames, long_peak = _peak_while_iterating(10)
    assert (short_frames, long_frames) == (48, 240)
    ratio = long_peak / short_peak
    assert ratio < 1.1, f"peak grew {ratio:.2f}x ({short_peak} -> {long_peak} bytes) for 5x the frames"
    assert long_peak < 6 * 1080 * 1080 * 4, f"peak {long_peak} bytes is more than a few canvas buffers"

"""Random scenes: rendering never crashes, and streamed frames always equal full re-renders."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from imagegen.render import prepare
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind, Role, Scene, Timing

fractions = st.floats(0.0, 1.0)
motions = st.builds(
    Motion,
    kind=st.sampled_from(list(MotionKind)),
    easing=st.sampled_from(list(Easing)),
    from_anchor=st.none() | st.sampled_from(list(Anchor)),
    to_anchor=st.none() | st.sampled_from(list(Anchor)),
    enters=st.booleans(),
    exits=st.booleans(),
    clockwise=st.booleans(),
    amount=st.none() | st.floats(0.05, 4.0),
    repeats=st.floats(0.25, 3.0),
    pingpong=st.booleans(),
    start=fractions,
    end=fractions,
)
layers = st.builds(
    Layer,
    tag=st.sampled_from(["a", "b", "c"]),
    role=st.sampled_from(list(Role)),
    anchor=st.sampled_from(list(Anchor)),
    size=st.floats(0.02, 1.5),
    opacity=st.floats(0.0, 1.0),
    rotation=st.floats(-400.0, 400.0),
    stretch=st.booleans(),
    margin=st.floats(0.0, 0.3),
    motions=st.lists(motions, max_size=3).map(tuple),
)
scenes = st.builds(
    Scene,
    layers=st.lists(layers, min_size=1, max_size=4).map(tuple),
    canvas=st.builds(
        Canvas,
        width=st.integers(16, 80),
        height=st.integers(16, 80),
        background=st.none() | st.just((255, 255, 255, 255)) | st.just((10, 20, 30, 128)),
    ),
    timing=st.builds(Timing, duration_s=st.floats(0.2, 1.0), fps=st.floats(4.0, 12.0)),
)


def _images() -> dict[str, Image.Image]:
    rng = np.random.default_rng(5)
    return {
        "a": Image.fromarray(rng.integers(0, 256, (30, 50, 4), dtype=np.uint8)),
        "b": Image.new("RGBA", (7, 90), (200, 30, 30, 255)),
        "c": Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)),
    }


IMAGES = _images()


# found by the test below: a zoom whose window is empty at the very end grows by 1e-6 there, which the
# sprite key once rounded away (same key, other pixels: the streamed frame kept the old ones)
LATE_ZOOM = Motion(MotionKind.ZOOM_IN, easing=Easing.EASE_IN, repeats=1.015625, start=1.0, end=0.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scene=scenes)
@example(
    scene=Scene(
        layers=(Layer("a", role=Role.BACKGROUND, opacity=0.0), Layer("a", role=Role.BACKGROUND, motions=(LATE_ZOOM,))),
        canvas=Canvas(16, 16),
        timing=Timing(1.0, 4.0),
    )
)
def test_random_scenes_stream_exactly_what_a_full_render_draws(scene: Scene) -> None:
    plan = prepare(scene, IMAGES)
    times = plan.times()
    durations = plan.durations()
    assert len(times) == len(durations) == plan.frame_count
    previous = None
    for frame in plan.frames():
        expected = np.asarray(plan.image_at(times[frame.index]))
        assert np.array_equal(frame.image, expected), f"frame {frame.index} of {scene}"
        if previous is not None:
            assert frame.dirty is not None
            left, top, right, bottom = frame.dirty
            outside = np.ones(frame.image.shape[:2], dtype=bool)
            outside[top:bottom, left:right] = False
            assert np.array_equal(frame.image[outside], previous[outside]), f"change outside dirty in {frame.index}"
        previous = frame.image.copy()

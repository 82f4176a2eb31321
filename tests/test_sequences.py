"""Time in the language and the renderer: slideshows, transitions, enter/exit, bounces, loops, Ken Burns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers_pixels import RED, WHITE, bbox, centroid, solid
from PIL import Image

from imagegen.errors import LimitError
from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.render import prepare
from imagegen.render.layout import prescale
from imagegen.render.slides import slide_state, slide_windows, transition_fraction
from imagegen.scene import (
    Anchor,
    Canvas,
    Layer,
    Motion,
    MotionKind,
    Role,
    Scene,
    Slide,
    Slideshow,
    Timing,
    Transition,
)

TAGS = ["BG", "hero", "rocket", "logo", "product"]
CANVAS = Canvas(120, 90, WHITE)


def photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like RGB image: a gradient in a colour of its own, soft blobs and sensor noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = rng.uniform(30, 220, 3)
    rgb = base + np.stack([60 * x / width, 50 * y / height, -40 * (x + y) / (width + height)], axis=-1)
    for _ in range(3):
        cx, cy, radius = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(8, 30)
        weight = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2))
        rgb += weight[..., None] * rng.uniform(-60, 60, 3)
    rgb += rng.normal(0, 4, rgb.shape)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


PHOTOS = {"a": photo(160, 100, 1), "b": photo(90, 140, 2), "c": photo(200, 120, 3)}


def cover(tag: str, canvas: Canvas = CANVAS) -> np.ndarray:
    """What slide ``tag`` looks like alone: cover-fitted to the canvas."""
    return np.asarray(prescale(Layer(tag, role=Role.BACKGROUND), PHOTOS[tag], canvas).convert("RGB")).astype(int)


def show_scene(transition: Transition, loops: int = 0, **kwargs) -> Scene:
    slides = (Slide("a", 1.0), Slide("b", 2.0), Slide("c", 1.0))
    show = Slideshow(slides, transition, transition_s=0.5, **kwargs)
    return Scene(layers=(), canvas=CANVAS, timing=Timing(4.0, 10, loops), slideshow=show)


def rgb_frames(scene: Scene, images=PHOTOS) -> tuple[list[float], list[np.ndarray]]:
    plan = prepare(scene, images)
    frames = [np.asarray(f.image)[..., :3].astype(int).copy() for f in plan.frames()]
    return plan.times(), frames


# --- the language ------------------------------------------------------------------------------------

SLIDESHOWS = [
    ("Make a slideshow of @BG, @hero and @rocket, 2 seconds each", ("BG", "hero", "rocket"), (2, 2, 2), "crossfade"),
    ("show @BG then @hero then @rocket", ("BG", "hero", "rocket"), (2, 2, 2), "crossfade"),
    ("@BG, @hero, @rocket one after another", ("BG", "hero", "rocket"), (2, 2, 2), "crossfade"),
    ("slideshow of @BG, @hero for 4 seconds and @rocket", ("BG", "hero", "rocket"), (2, 4, 2), "crossfade"),
    ("slideshow of @BG, @hero and @rocket for 6 seconds", ("BG", "hero", "rocket"), (2, 2, 2), "crossfade"),
    ("slideshow of @BG and @hero, 3 s each, hard cuts", ("BG", "hero"), (3, 3), "cut"),
    ("slideshow of @BG and @hero, fade between them", ("BG", "hero"), (2, 2), "crossfade"),
    ("slideshow of @BG and @hero, push from the left", ("BG", "hero"), (2, 2), "push"),
    ("slideshow of @BG and @hero, wipe from the top", ("BG", "hero"), (2, 2), "wipe"),
    ("slideshow of @BG and @hero with a zoom transition", ("BG", "hero"), (2, 2), "zoom"),
    (
        "carousel of @BG, @hero and @rocket, 1.5 seconds per slide",
        ("BG", "hero", "rocket"),
        (1.5, 1.5, 1.5),
        "crossfade",
    ),
]


@pytest.mark.parametrize(("prompt", "tags", "seconds", "transition"), SLIDESHOWS)
def test_slideshow_phrases(prompt: str, tags: tuple, seconds: tuple, transition: str) -> None:
    result = parse(prompt, TAGS)
    show = result.scene.slideshow
    assert show is not None, describe_scene(result.scene)
    assert show.tags == tags
    assert tuple(s.seconds for s in show.slides) == seconds
    assert show.transition.value == transition
    assert result.scene.timing.duration_s == sum(seconds)
    assert [w.message for w in result.warnings if not w.message.startswith("Not used")] == []


def test_push_and_wipe_take_their_side_and_layers_placed_somewhere_stay_on_top() -> None:
    scene = parse("slideshow of @BG, @hero and @rocket, push from the left, @logo at the top right", TAGS).scene
    assert scene.slideshow is not None and scene.slideshow.direction is Anchor.LEFT
    assert scene.slideshow.tags == ("BG", "hero", "rocket")
    assert [layer.tag for layer in scene.layers] == ["logo"]
    lines = describe_scene(scene)
    assert (
        lines[1].startswith("Slideshow of 3 images")
        and "@hero 2-4 s, push from the left (0.5 s) to @rocket" in lines[1]
    )


MOTION_PHRASES = [
    ("@logo slides in from the left", Anchor.LEFT, None, True, False),
    ("@logo flies in from the top", Anchor.TOP, None, True, False),
    ("@logo flies out to the right", None, Anchor.RIGHT, False, True),
    ("@rocket flies from bottom to top", Anchor.BOTTOM, Anchor.TOP, True, True),
    ("@rocket flies", Anchor.LEFT, Anchor.RIGHT, True, True),
    ("@logo drops in", Anchor.TOP, None, True, False),
]


@pytest.mark.parametrize(("prompt", "start", "end", "enters", "exits"), MOTION_PHRASES)
def test_enter_and_exit_phrases(prompt: str, start, end, enters: bool, exits: bool) -> None:
    (layer,) = parse(prompt, TAGS).scene.layers
    motion = layer.motions[0]  # what the phrase says (a seamless loop may add how it leaves after it)
    assert (motion.kind, motion.from_anchor, motion.to_anchor, motion.enters, motion.exits) == (
        MotionKind.SLIDE,
        start,
        end,
        enters,
        exits,
    )


@pytest.mark.parametrize(
    ("prompt", "kind", "repeats"),
    [
        ("@logo pops in", MotionKind.POP_IN, 1.0),
        ("@product bounces", MotionKind.BOUNCE, 3.0),
        ("@product bounces 5 times", MotionKind.BOUNCE, 5.0),
        ("@product bounces twice", MotionKind.BOUNCE, 2.0),
        ("slowly zoom into @BG", MotionKind.ZOOM_IN, 1.0),
    ],
)
def test_pop_bounce_and_zoom_phrases(prompt: str, kind: MotionKind, repeats: float) -> None:
    (layer,) = parse(prompt, TAGS).scene.layers
    assert (layer.motions[0].kind, layer.motions[0].repeats) == (kind, repeats)


def test_pan_across_a_picture_makes_it_a_ken_burns_background() -> None:
    (layer,) = parse("pan across @BG from right to left", TAGS).scene.layers
    assert layer.role is Role.BACKGROUND
    assert (layer.motions[0].kind, layer.motions[0].from_anchor, layer.motions[0].to_anchor) == (
        MotionKind.PAN,
        Anchor.RIGHT,
        Anchor.LEFT,
    )


@pytest.mark.parametrize(
    ("prompt", "loops", "says"),
    [
        ("@logo spins", 0, "loops seamlessly"),
        ("@rocket flies across", 0, "loops seamlessly"),
        ("@logo slides from left to right and back", 0, "loops seamlessly"),
        ("@logo slides from left to right", 0, "loops seamlessly"),  # made to come back: the default
        ("@logo fades in", 0, "loops seamlessly"),
        ("@logo fades in then spins", 0, "loops seamlessly"),  # it fades out while the spin ends
        ("@logo spins then fades in", 1, 'plays once (@logo ends elsewhere than it starts; say "loop"'),
        ("@logo spins then fades in, loop", 0, "loops forever (@logo jumps back to its start each time)"),
        ("@logo fades in, play once", 1, "plays once"),
        ("@logo slides from left to right, plays once", 1, "plays once"),
        ("@logo spins, repeat 3 times", 3, "plays 3 times"),
    ],
)
def test_an_animation_loops_seamlessly_or_says_what_it_does(prompt: str, loops: int, says: str) -> None:
    scene = parse(prompt, TAGS).scene
    assert scene.timing.loops == loops
    assert says in describe_scene(scene)[0]


def test_a_looping_fade_in_holds_and_fades_out_and_explain_shows_the_timeline() -> None:
    result = parse("@logo fades in, loop", ["logo"])
    (layer,) = result.scene.layers
    assert [(m.kind, m.start, m.end) for m in layer.motions] == [
        (MotionKind.FADE_IN, 0.0, 0.3),
        (MotionKind.FADE_OUT, 0.8, 1.0),
    ]
    assert result.scene.timing.loops == 0
    assert "@logo timeline: 0-0.6 s fades in, 0.6-1.6 s holds, 1.6-2 s fades out" in describe_scene(result.scene)
    assert [w.message for w in result.warnings] == [
        '@logo fades in, holds, and fades out at the end, so the loop does not jump — say "play once" to keep it '
        "on screen."
    ]


def test_a_loop_that_cannot_be_seamless_jumps_back_and_says_what_would_work() -> None:
    result = parse("@logo spins then fades in, loop", ["logo"])  # it appears at the very end: no time to leave
    assert result.scene.timing.loops == 0
    assert [(w.message, w.quiet) for w in result.warnings] == [
        (
            "@logo ends somewhere else than it starts, so each loop jumps back to the start — end it as it started "
            '(e.g. "then fades out") for a seamless loop, or say "play once".',
            False,
        )
    ]
    assert parse("@logo spins then fades in then fades out, loop", ["logo"]).warnings == ()


def test_seconds_said_in_a_then_step_are_that_steps_length() -> None:
    scene = parse("@logo fades in over 3 seconds then spins", TAGS).scene
    # a step unsaid: 1 s; the loop fades it out as the spin ends
    assert "@logo timeline: 0-3 s fades in, 3-4 s spins clockwise, 3.2-4 s fades out" in describe_scene(scene)


TIMELINES = [
    ("@logo fades in for 1 second, then holds for 2 seconds", 3.0, "0-1 s fades in, 1-3 s holds"),
    (
        "@logo fades in for 1 second then spins for 2 seconds then fades out",
        4.0,
        "0-1 s fades in, 1-3 s spins clockwise, 3-4 s fades out",
    ),
    ("@logo spins, @product pops in at 1 s for 0.5 seconds", 2.0, None),
    ("@logo spins at 5 s", 6.0, "0-5 s waits, 5-6 s spins clockwise"),
    ("@logo spins after 1 second", 2.0, "0-1 s waits, 1-2 s spins clockwise"),
]


@pytest.mark.parametrize(("prompt", "seconds", "steps"), TIMELINES)
def test_timeline_phrases(prompt: str, seconds: float, steps: str | None) -> None:
    result = parse(prompt, TAGS)
    assert result.scene.timing.duration_s == seconds
    if steps is not None:
        assert f"@logo timeline: {steps}" in describe_scene(result.scene)


def test_at_with_for_times_one_motion_without_changing_the_length() -> None:
    scene = parse("@logo spins, @product pops in at 1 s for 0.5 seconds", TAGS).scene
    pop, out = scene.layer("product").motions  # a seamless loop: what popped in fades out at the end
    assert (pop.start, pop.end, out.kind, out.start) == (0.5, 0.75, MotionKind.FADE_OUT, 0.8)
    assert "@product timeline: 0-1 s waits, 1-1.5 s pops in, 1.5-1.6 s holds, 1.6-2 s fades out" in describe_scene(
        scene
    )


def test_together_and_meanwhile_run_with_the_previous_step() -> None:
    for prompt in (
        "@logo fades in, then @product spins and @BG zooms in together",
        "@logo fades in, then @product spins, meanwhile @BG zooms in",
    ):
        scene = parse(prompt, TAGS).scene
        spin, zoom = scene.layer("product").motions[0], scene.layer("BG").motions[0]
        assert (spin.start, spin.end) == (zoom.start, zoom.end) == (0.5, 1.0), prompt


def test_a_fade_in_then_out_comes_back_invisible_and_loops() -> None:
    scene = parse("@logo fades in then fades out", TAGS).scene
    assert scene.timing.loops == 0


def test_at_a_time_after_the_said_end_is_refused_with_what_would_work() -> None:
    from imagegen.errors import PromptError

    with pytest.raises(
        PromptError, match=r'"at 5 s" runs to 6 s, after the end of the 2 s animation .* "over 6 seconds"'
    ):
        parse("@logo spins at 5 s, over 2 seconds", TAGS)


# --- bad input ---------------------------------------------------------------------------------------


def test_a_slideshow_of_one_image_is_a_still_and_says_so() -> None:
    result = parse("slideshow of @BG", TAGS)
    assert result.scene.slideshow is None and not result.scene.animated
    assert result.scene.layer("BG").role is Role.BACKGROUND
    assert any("needs two or more images" in w.message for w in result.warnings)


def test_too_many_slides_names_the_limit() -> None:
    tags = [f"p{i}" for i in range(60)]
    prompt = "slideshow of " + ", ".join(f"@{t}" for t in tags) + ", 0.5 seconds each"
    with pytest.raises(LimitError, match="at most 30 images — this one lists 60"):
        parse(prompt, tags)


@pytest.mark.parametrize(
    "prompt", ["slideshow of @BG and @hero, 0 seconds each", "slideshow of @BG and @hero, -2 s each"]
)
def test_a_slide_time_of_zero_or_less_is_refused(prompt: str) -> None:
    with pytest.raises(LimitError, match="a slide must show for more than 0 s"):
        parse(prompt, TAGS)


def test_a_slideshow_over_the_length_limit_is_refused() -> None:
    with pytest.raises(LimitError, match="at most 60 s"):
        parse("slideshow of @BG, @hero and @rocket, 30 seconds each", TAGS)


@pytest.mark.parametrize("prompt", ["@logo at the top right, crossfade", "@logo spins, 2 seconds each"])
def test_a_transition_word_without_a_slideshow_is_reported(prompt: str) -> None:
    result = parse(prompt, TAGS)
    assert any("there is no slideshow here" in w.message for w in result.warnings)


# --- the renderer ------------------------------------------------------------------------------------


@pytest.mark.parametrize("transition", list(Transition))
def test_each_slide_is_fully_visible_in_its_own_window(transition: Transition) -> None:
    scene = show_scene(transition)
    times, frames = rgb_frames(scene)
    show = scene.slideshow
    assert show is not None
    blend = transition_fraction(show)
    for (start, end), slide in zip(slide_windows(show), show.slides, strict=True):
        expected = cover(slide.tag)
        inside = [f for t, f in zip(times, frames, strict=True) if start <= t < end - blend - 1e-9]
        assert inside, slide.tag
        for frame in inside:
            assert np.array_equal(frame, expected), (transition, slide.tag)


def test_crossfade_frames_are_blends_of_the_two_slides() -> None:
    scene = show_scene(Transition.CROSSFADE)
    times, frames = rgb_frames(scene)
    blends = 0
    for t, frame in zip(times, frames, strict=True):
        state = slide_state(scene.slideshow, t, looping=True)
        if state.following is None:
            continue
        old, new = cover(scene.slideshow.slides[state.current].tag), cover(scene.slideshow.slides[state.following].tag)
        p = state.progress
        assert np.abs(frame - (old * (1 - p) + new * p)).max() <= 1.001, t  # rounding to 8 bits
        blends += 1
    assert blends >= 6  # a -> b, b -> c and c -> a (the loop) each have frames


def test_a_looping_slideshow_blends_back_into_the_first_slide_and_one_that_plays_once_holds() -> None:
    loop_times, looping = rgb_frames(show_scene(Transition.CROSSFADE, loops=0))
    once_times, once = rgb_frames(show_scene(Transition.CROSSFADE, loops=1))
    assert loop_times[-1] < 1.0 and once_times[-1] == 1.0
    assert np.array_equal(once[-1], cover("c"))
    assert np.abs(looping[-1] - cover("a")).mean() < np.abs(looping[-1] - cover("c")).mean()


def test_a_seamless_slideshow_loop_steps_from_last_to_first_like_any_other_frame() -> None:
    _, frames = rgb_frames(show_scene(Transition.CROSSFADE))
    steps = [np.abs(frames[i + 1] - frames[i]).mean() for i in range(len(frames) - 1)]
    assert np.abs(frames[0] - frames[-1]).mean() <= max(steps) + 0.5  # + 8-bit rounding; a cut back would be ~5x


def test_push_moves_both_slides_and_wipe_uncovers_the_new_one() -> None:
    for transition, direction in ((Transition.PUSH, Anchor.LEFT), (Transition.WIPE, Anchor.RIGHT)):
        scene = show_scene(transition, direction=direction)
        plan = prepare(scene, PHOTOS)
        _, end = slide_windows(scene.slideshow)[0]
        mid = end - transition_fraction(scene.slideshow) / 2
        frame = np.asarray(plan.image_at(mid).convert("RGB")).astype(int)
        a, b = cover("a"), cover("b")
        half = CANVAS.width // 2
        if transition is Transition.PUSH:  # b comes from the left: its right half is on the canvas's left half
            assert np.array_equal(frame[:, :half], b[:, CANVAS.width - half :])
            assert np.array_equal(frame[:, half:], a[:, : CANVAS.width - half])
        else:  # b is uncovered from the right edge, a still shows on the left
            assert np.array_equal(frame[:, half:], b[:, half:])
            assert np.array_equal(frame[:, :half], a[:, :half])


def test_layers_stay_on_top_of_every_slide_and_frames_match_full_renders() -> None:
    scene = Scene(
        layers=(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.2),),
        canvas=CANVAS,
        timing=Timing(4.0, 10),
        slideshow=show_scene(Transition.PUSH).slideshow,
    )
    images = {**PHOTOS, "logo": solid(20, 20, RED)}
    plan = prepare(scene, images)
    box = None
    for frame, t in zip(plan.frames(), plan.times(), strict=True):
        full = np.asarray(plan.image_at(t))
        assert np.array_equal(frame.image, full), t
        box = box or bbox(frame.image, RED, tol=10)
        assert bbox(frame.image, RED, tol=10) == box, t


def test_slides_are_scaled_once_and_memory_stays_flat(monkeypatch: pytest.MonkeyPatch) -> None:
    from imagegen.render import slides

    calls: list[str] = []
    real = slides.prescale
    monkeypatch.setattr(slides, "prescale", lambda layer, *a: calls.append(layer.tag) or real(layer, *a))
    slides_six = tuple(Slide(tag, 0.5) for tag in "abcabc")
    scene = Scene(layers=(), canvas=CANVAS, timing=Timing(3.0, 10), slideshow=Slideshow(slides_six, transition_s=0.2))
    plan = prepare(scene, PHOTOS)
    held = []
    for _ in plan.frames():
        held.append(plan._backdrop.cached)
    assert len(calls) == 6  # each slide scaled once, the first kept for the loop back into it
    assert max(held) <= slides.CACHED_SLIDES


def blend_of(frame: np.ndarray, old: np.ndarray, new: np.ndarray) -> tuple[float, float]:
    """(p, mean error) of the best fit of ``frame`` as old * (1 - p) + new * p."""
    d = (new - old).astype(float)
    p = float(np.clip(((frame - old) * d).sum() / (d * d).sum(), 0.0, 1.0))
    return p, float(np.abs(frame - (old + p * d)).mean())


@pytest.mark.parametrize("fmt", ["apng", "webp", "mp4"])
def test_crossfades_survive_the_animated_encoders(fmt: str, tmp_path) -> None:
    import imageio.v3 as iio

    from imagegen.export import OutputFormat, export

    scene = show_scene(Transition.CROSSFADE, loops=1)
    dest = export(prepare(scene, PHOTOS), tmp_path / f"show.{fmt}", OutputFormat(fmt), quality=95)
    tol = {"apng": 0.6, "webp": 6.0, "mp4": 6.0}[fmt]
    pairs = [(cover("a"), cover("b")), (cover("b"), cover("c"))]
    blends = []
    for image in iio.imiter(dest):
        frame = np.asarray(image)[..., :3].astype(int)
        p, error = min((blend_of(frame, old, new) for old, new in pairs), key=lambda fit: fit[1])
        assert error <= tol, (fmt, p, error)  # every frame is a slide or a blend of two consecutive slides
        if 0.1 < p < 0.9:
            blends.append(round(p, 2))
    assert len(set(blends)) >= 4, blends  # the transitions have distinct in-between frames


# --- enter, exit, bounce, loops, Ken Burns ----------------------------------------------------------


def layer_frames(layer: Layer, image: Image.Image, timing: Timing, canvas: Canvas = CANVAS) -> list[np.ndarray]:
    plan = prepare(Scene(layers=(layer,), canvas=canvas, timing=timing), {layer.tag: image})
    return [np.asarray(f.image).copy() for f in plan.frames()]


def test_uncropped_slides_are_shown_whole_on_the_canvas_colour() -> None:
    scene = parse("slideshow of @BG and @hero, uncropped", TAGS).scene
    assert scene.slideshow is not None and not scene.slideshow.cover
    show = replace(scene.slideshow, slides=(Slide("b", 1.0), Slide("a", 1.0)))  # b is tall: bars at the sides
    plan = prepare(Scene(layers=(), canvas=CANVAS, timing=Timing(2.0, 10), slideshow=show), PHOTOS)
    first = np.asarray(plan.image_at(0.0).convert("RGB")).astype(int)
    assert (first[:, :10] == 255).all() and (first[:, -10:] == 255).all()  # white bars left and right
    whole = np.asarray(PHOTOS["b"].resize((58, 90), Image.Resampling.LANCZOS)).astype(int)
    assert np.abs(first[:, 31:89] - whole).mean() < 3  # the whole picture, centred


def test_in_from_the_left_starts_fully_outside_and_ends_at_its_anchor() -> None:
    scene = parse("@logo slides in from the left to the right, play once", ["logo"]).scene
    (layer,) = scene.layers
    frames = layer_frames(layer, solid(30, 30, RED), Timing(1.0, 12, 1))
    assert bbox(frames[0], RED) is None  # nothing of it on the canvas yet
    still = layer_frames(Layer("logo", anchor=Anchor.RIGHT, size=layer.size), solid(30, 30, RED), Timing(1.0, 12))
    assert bbox(frames[-1], RED) == bbox(still[0], RED)


def test_a_layer_off_the_canvas_at_both_ends_loops_without_a_doubled_blank_frame() -> None:
    (layer,) = parse("@rocket flies across", ["rocket"]).scene.layers
    plan = prepare(Scene(layers=(layer,), canvas=CANVAS, timing=Timing(1.0, 12)), {"rocket": solid(20, 20, RED)})
    assert plan.cyclic and plan.times()[-1] < 1.0  # frames at i / n: the seam (off the canvas) is shown once


def test_a_rocket_that_flies_from_bottom_to_top_leaves_the_frame() -> None:
    (layer,) = parse("@rocket flies from bottom to top", ["rocket"]).scene.layers
    frames = layer_frames(layer, solid(20, 30, RED), Timing(1.0, 12))
    assert bbox(frames[0], RED) is None and bbox(frames[-1], RED) is None
    middle = centroid(frames[len(frames) // 2], RED)
    assert middle is not None and 25 < middle[1] < 65


def test_bounce_count_equals_floor_hits() -> None:
    for said, hits in (("@ball bounces", 3), ("@ball bounces 5 times", 5), ("@ball bounces twice", 2)):
        (layer,) = parse(said + " at the bottom", ["ball"]).scene.layers
        frames = layer_frames(layer, solid(10, 10, RED), Timing(2.0, 30))
        bottoms = [bbox(frame, RED)[3] for frame in frames]
        floor = max(bottoms)
        touches = sum(1 for i, b in enumerate(bottoms) if b == floor and bottoms[i - 1] != floor)
        assert touches == hits, (said, bottoms)


@pytest.mark.parametrize(
    "prompt", ["@logo spins", "@rocket flies across", "@logo pulses", "@logo slides left to right and back"]
)
def test_a_seamless_loop_steps_from_last_to_first_no_more_than_between_frames(prompt: str) -> None:
    scene = parse(prompt, ["logo", "rocket"]).scene
    assert scene.timing.loops == 0
    image = photo(40, 30, 5).convert("RGBA")
    frames = [f[..., :3].astype(int) for f in layer_frames(scene.layers[0], image, Timing(1.0, 16))]
    steps = [np.abs(frames[i + 1] - frames[i]).mean() for i in range(len(frames) - 1)]
    assert np.abs(frames[0] - frames[-1]).mean() <= max(steps) + 1e-9


def test_slow_ken_burns_zoom_keeps_its_centre_to_the_sub_pixel() -> None:
    picture = Image.new("RGB", (240, 180), (30, 60, 90))
    picture.paste((250, 250, 250), (110, 80, 130, 100))  # a bright square at the centre
    layer = Layer("bg", role=Role.BACKGROUND, motions=(Motion(MotionKind.ZOOM_IN, amount=1.05),))
    frames = layer_frames(layer, picture, Timing(3.0, 20), Canvas(121, 91))
    centres = [centroid(frame, (250, 250, 250), tol=60) for frame in frames]
    xs = [c[0] for c in centres if c is not None]
    assert len(xs) == len(frames)
    assert max(xs) - min(xs) < 0.2  # whole-pixel rounding wobbled by up to half a pixel


def test_a_ken_burns_pan_moves_smoothly_from_one_side_of_the_picture_to_the_other() -> None:
    picture = photo(240, 120, 9)
    (layer,) = parse("pan across @bg from left to right, play once", ["bg"]).scene.layers
    frames = layer_frames(layer, picture, Timing(2.0, 12), Canvas(120, 60))
    first, last = frames[0][..., :3].astype(int), frames[-1][..., :3].astype(int)
    enlarged = np.asarray(picture.resize((144, 72), Image.Resampling.LANCZOS)).astype(int)
    assert np.abs(first - enlarged[6:66, :120]).mean() < 6  # the left part of the picture
    assert np.abs(last - enlarged[6:66, 24:144]).mean() < 6  # the right part


# --- videos of stills ---------------------------------------------------------------------------------


def test_an_mp4_of_a_still_lasts_five_seconds_unless_a_duration_is_set(tmp_path) -> None:
    import imageio.v3 as iio

    from imagegen.export import OutputFormat, export
    from imagegen.service import Overrides, held_length

    scene = parse("@BG as background", ["BG"]).scene
    assert held_length(scene, OutputFormat.MP4) == 5.0
    assert held_length(scene, OutputFormat.WEBP) is None and held_length(scene, OutputFormat.PNG) is None
    longer = Overrides(duration_s=3.0, fps=10).apply(scene)
    assert held_length(longer, OutputFormat.MP4) == 3.0
    for chosen, seconds, fps in ((scene, 5.0, 24), (longer, 3.0, 10)):
        plan = prepare(chosen, {"BG": PHOTOS["a"]})  # export holds a still in a video: nothing wired by hand
        dest = export(plan, tmp_path / f"still{seconds}.mp4", OutputFormat.MP4)
        assert sum(1 for _ in iio.imiter(dest)) == round(seconds * fps)


def jpeg_slides(folder, count: int, size: tuple[int, int] = (1200, 900)) -> dict[str, object]:
    """``count`` photo-like JPEG files (paths, as the app passes them)."""
    paths = {}
    for index in range(count):
        path = folder / f"s{index}.jpg"
        photo(size[0] // 10, size[1] // 10, index).resize(size, Image.Resampling.BICUBIC).save(path, quality=90)
        paths[f"s{index}"] = path
    return paths


SHOW_CANVAS = Canvas(160, 120, WHITE)


def slideshow_of(tags, canvas: Canvas = SHOW_CANVAS, seconds: float = 0.4) -> Scene:
    show = Slideshow(tuple(Slide(tag, seconds) for tag in tags), Transition.CROSSFADE, transition_s=0.1)
    return Scene(layers=(), canvas=canvas, timing=Timing(seconds * len(tags), 10), slideshow=show)


def test_a_long_slideshow_never_holds_more_than_two_slides_decoded(tmp_path, monkeypatch) -> None:
    """30 phone photos decoded at once would be a gigabyte: a slide is decoded when it is shown (after a
    small thumbnail for the palette) and the decoded file is dropped once the slide is scaled."""
    import weakref

    from imagegen.render import plan as plan_module

    alive: list[weakref.ref] = []
    real = plan_module.load_source

    def tracked(*args, **kwargs):
        image = real(*args, **kwargs)
        alive.append(weakref.ref(image))
        return image

    monkeypatch.setattr(plan_module, "load_source", tracked)
    paths = jpeg_slides(tmp_path, 8)
    plan = prepare(slideshow_of(list(paths)), paths)
    assert len(plan.sprites) == 8  # a palette thumbnail per slide
    most = 0
    for _ in plan.frames():
        most = max(most, sum(ref() is not None for ref in alive))
    assert len(alive) == 16  # each slide read twice: its thumbnail while preparing, itself when shown
    assert most <= 2


def test_a_jpeg_slide_is_decoded_at_the_smallest_scale_that_still_covers_the_canvas(tmp_path) -> None:
    from imagegen.limits import LIMITS
    from imagegen.render.slides import shown_size
    from imagegen.render.sources import load_source

    paths = jpeg_slides(tmp_path, 1, (2400, 1800))
    show = slideshow_of(["s0"], Canvas(300, 300)).slideshow
    image = load_source("s0", paths["s0"], LIMITS, at_least=shown_size(show, Canvas(300, 300)))
    assert image.size == (600, 450)  # 1/4 scale: 1/8 (300x225) would not cover 300x300
    assert shown_size(show, Canvas(1920, 1080))((4000, 3000)) == (2560, 1920)  # covers it turned upright too


def test_slides_decoded_at_a_reduced_scale_look_like_full_decodes(tmp_path, monkeypatch) -> None:
    from imagegen.render import plan as plan_module

    paths = jpeg_slides(tmp_path, 2, (1600, 1200))
    for index in range(2):  # the second photo stored on its side, turned upright by its EXIF orientation
        exif = Image.Exif()
        exif[0x0112] = 6 if index else 1
        with Image.open(paths[f"s{index}"]) as stored:
            rotated = stored.transpose(Image.Transpose.ROTATE_90) if index else stored.copy()
        rotated.save(paths[f"s{index}"], quality=90, exif=exif)
    scene = slideshow_of(list(paths), Canvas(200, 150, WHITE))
    reduced = [frame.image.copy() for frame in prepare(scene, paths).frames()]
    monkeypatch.setattr(plan_module, "shown_size", lambda show, canvas: lambda size: size)  # full decodes
    full = [frame.image.copy() for frame in prepare(scene, paths).frames()]
    assert not all(np.array_equal(got, want) for got, want in zip(reduced, full, strict=True))
    for got, want in zip(reduced, full, strict=True):
        mse = float(((got[..., :3].astype(float) - want[..., :3]) ** 2).mean())
        assert 10 * np.log10(255**2 / max(mse, 1e-9)) > 45  # measured: 53 dB at worst


def test_an_unreadable_slide_is_named_while_the_scene_is_prepared(tmp_path) -> None:
    from imagegen.errors import RenderError

    paths = jpeg_slides(tmp_path, 3)
    paths["s1"].write_bytes(paths["s1"].read_bytes()[:2000])  # cut short
    with pytest.raises(RenderError, match=r"The image for @s1 \(s1\.jpg\) cannot be read"):
        prepare(slideshow_of(list(paths)), paths)


def test_an_image_that_is_a_slide_and_a_layer_is_decoded_once(tmp_path, monkeypatch) -> None:
    from imagegen.render import plan as plan_module

    reads: list[str] = []
    real = plan_module.load_source
    monkeypatch.setattr(plan_module, "load_source", lambda tag, *a, **k: reads.append(tag) or real(tag, *a, **k))
    paths = jpeg_slides(tmp_path, 2)
    scene = replace(slideshow_of(list(paths)), layers=(Layer("s0", anchor=Anchor.TOP_RIGHT, size=0.3),))
    plan = prepare(scene, paths)
    frames = [frame.image.copy() for frame in plan.frames()]
    assert reads.count("s0") == 1 and reads.count("s1") == 2  # s1: its thumbnail, then itself when shown
    assert len(plan.sprites) == 2 and not np.array_equal(frames[0], frames[-1])


def test_a_thumbnail_that_cannot_be_read_falls_back_to_the_slide_itself(tmp_path) -> None:
    paths = jpeg_slides(tmp_path, 2)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(30))
    scene = slideshow_of(list(paths))
    given = prepare(scene, paths, thumbnails={"S0": tmp_path / "gone.png", "s1": tmp_path / "broken.png"})
    made = prepare(scene, paths)
    assert [np.asarray(t).tolist() for t in given.sprites] == [np.asarray(t).tolist() for t in made.sprites]

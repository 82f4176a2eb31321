"""Loops: an animation loops without a jump by default and when asked ("seamlessly", "looping smoothly").

Measured on frames over a photo-like background: the step from the last frame back to the first (the seam a
looping GIF shows) is no bigger than a step between two frames, for a slide that wraps round the canvas, a
slide that goes there and back, a fade-in and a slide-in that leave again. The same measure on the motion as
said, looping (the old "loop"), catches the jump where the mark stays on the canvas.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from helpers_pixels import centroid
from PIL import Image, ImageDraw
from test_sequences import photo

from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.prompt.vocabulary import entry
from imagegen.render import prepare
from imagegen.scene import Canvas, Motion, MotionKind, Scene, Timing

TAGS = ["BG", "logo"]
MARK = (220, 20, 60)
CANVAS = Canvas(160, 120)


def logo() -> Image.Image:
    """A crimson round mark with a white bar, on transparency (a logo with its background removed)."""
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, 37, 37), fill=(*MARK, 255))
    draw.rectangle((15, 10, 24, 30), fill=(255, 255, 255, 255))
    return image


IMAGES = {"BG": photo(200, 150, 7), "logo": logo()}


def small(scene: Scene, loops: int | None = None) -> Scene:
    """``scene`` at 160x120, 1 s at 16 fps (16 frames), looping as parsed unless ``loops`` is given."""
    timing = Timing(1.0, 16, scene.timing.loops if loops is None else loops)
    return replace(scene, canvas=CANVAS, timing=timing)


def rgb_frames(scene: Scene) -> list[np.ndarray]:
    plan = prepare(scene, IMAGES)
    return [np.asarray(frame.image).astype(int).copy() for frame in plan.frames()]


def steps(frames: list[np.ndarray]) -> tuple[list[float], float, list[float], float | None]:
    """(mean pixel difference of each step, of the seam; the mark's centroid move per step, at the seam).

    The seam is the step from the last frame back to the first; a centroid move is only measured where the
    mark is on the canvas in both frames.
    """
    looped = [*frames, frames[0]]
    diffs = [float(np.abs(b[..., :3] - a[..., :3]).mean()) for a, b in pairwise(looped)]
    centres = [centroid(frame, MARK, tol=30) for frame in looped]
    moves = [
        float(np.hypot(b[0] - a[0], b[1] - a[1])) if a is not None and b is not None else None
        for a, b in pairwise(centres)
    ]
    inner = [move for move in moves[:-1] if move is not None]
    return diffs[:-1], diffs[-1], inner, moves[-1]


SEAMLESS = [
    # (prompt, how the layer comes back)
    ("@BG as background, @logo moving from left to right, looping seamlessly", "there and back"),
    ("@BG as background, @logo moving from left to right", "there and back"),  # the default
    ("@BG as background, @logo slides out to the right, looping seamlessly", "wraps"),
    ("@BG as background, @logo slides out to the right linearly, seamless", "wraps"),
    ("@BG as background, @logo fades in, looping smoothly", "fades out"),
    ("@BG as background, @logo slides in from the left", "slides on out"),
    ("@BG as background, @logo zooms in, smooth loop", "there and back"),
]


@pytest.mark.parametrize(("prompt", "how"), SEAMLESS)
def test_the_step_from_the_last_frame_to_the_first_is_no_bigger_than_a_step(prompt: str, how: str) -> None:
    scene = small(parse(prompt, TAGS).scene)
    assert scene.timing.loops == 0
    frames = rgb_frames(scene)
    assert len(frames) == 16
    diffs, seam, moves, seam_move = steps(frames)
    assert seam <= max(diffs), (seam, max(diffs))
    if seam_move is not None:  # the mark is on the canvas at the seam: it moves no further than in a step
        assert seam_move <= max(moves) + 1e-9, (seam_move, max(moves))


@pytest.mark.parametrize(
    "prompt",
    [
        "@BG as background, @logo moving from left to right, play once",
        "@BG as background, @logo fades in, play once",
    ],
)
def test_the_same_motion_as_said_looping_jumps_back_and_the_measure_sees_it(prompt: str) -> None:
    scene = small(parse(prompt, TAGS).scene, loops=0)  # what "loop" drew before: forwards, then back to the start
    diffs, seam, _, _ = steps(rgb_frames(scene))
    assert seam > max(diffs) * 1.4, (seam, max(diffs))


def test_a_linear_wrap_steps_across_the_seam_exactly_as_between_frames() -> None:
    scene = small(parse("@BG as background, @logo slides out to the right linearly, seamless", TAGS).scene)
    (slide,) = scene.layer("logo").motions
    assert (slide.wrap, slide.exits, slide.pingpong) == (True, True, False)
    _, _, moves, seam_move = steps(rgb_frames(scene))
    # The mark is whole on the canvas at the seam and in the first steps: one lap / 16 frames each time.
    assert seam_move is not None and abs(seam_move - moves[0]) <= 1.0 and abs(moves[0] - moves[1]) <= 1.0, moves


def test_a_wrapping_slide_leaves_at_the_right_and_comes_back_in_at_the_left() -> None:
    scene = small(parse("@BG as background, @logo slides out to the right linearly, seamless", TAGS).scene)
    xs = [centre[0] if (centre := centroid(frame, MARK, tol=30)) else None for frame in rgb_frames(scene)]
    shown = [x for x in xs if x is not None]
    assert xs[0] is not None and abs(xs[0] - 80) < 2  # starts at its place, the centre
    assert None in xs  # off the canvas for a moment ...
    gone = xs.index(None)
    after = next(x for x in xs[gone:] if x is not None)
    assert max(shown[:gone]) > 120 and after < 40  # ... gone at the right, back in at the left
    assert all(b > a for a, b in pairwise(xs[:gone]))  # always rightwards


def test_a_ping_pong_return_reaches_the_far_end_half_way() -> None:
    scene = small(parse("@BG as background, @logo moving from left to right, looping seamlessly", TAGS).scene)
    xs = [centroid(frame, MARK, tol=30)[0] for frame in rgb_frames(scene)]
    assert xs.index(max(xs)) == 8 and xs[0] == min(xs) and max(xs) - min(xs) > 80, xs


def test_a_fade_in_is_gone_again_at_the_seam() -> None:
    scene = small(parse("@BG as background, @logo fades in, looping seamlessly", TAGS).scene)
    background = rgb_frames(replace(scene, layers=scene.layers[:1]))[0]
    frames = rgb_frames(scene)
    shown = [float(np.abs(frame[..., :3] - background[..., :3]).mean()) for frame in frames]
    assert shown[0] == 0  # invisible at the start ...
    assert shown[8] > 5 and shown[8] == max(shown)  # ... fully there in the middle ...
    assert shown[-1] < shown[8] / 3 and shown[-1] < shown[-2] < shown[-3]  # ... fading away by the last frame


# --- the words, and what explain says -----------------------------------------------------------------

LOOP_WORDS = [
    "seamless",
    "seamlessly",
    "looping seamlessly",
    "loops seamlessly",
    "loop seamlessly",
    "looping smoothly",
    "loops smoothly",
    "smooth loop",
    "in a smooth loop",
    "in a seamless loop",
    "seamless loop",
    "on a loop",
]


@pytest.mark.parametrize("words", LOOP_WORDS)
def test_seamless_words_are_understood_and_loop_without_a_jump(words: str) -> None:
    result = parse(f"@BG as background, @logo moving from left to right, {words}", TAGS)
    assert result.not_understood == ()
    (slide,) = result.scene.layer("logo").motions
    assert (result.scene.timing.loops, slide.pingpong, slide.easing.value) == (0, True, "ease-in-out")
    assert describe_scene(result.scene)[0].endswith(", loops seamlessly")
    assert words in entry("timing", "loop").words or words == "loops seamlessly"


def test_the_issue_prompt_is_understood_and_explain_says_how_it_loops() -> None:
    result = parse("@BG as background, @logo moving from left to right, looping seamlessly", TAGS)
    assert describe_scene(result.scene) == [
        "Canvas 1080x1080, covered by @BG, animation 2.0 s at 24 fps (48 frames), loops seamlessly",
        "@BG — background, covers the canvas, still",
        "@logo — center, half (50 % of the canvas), slides left -> right then back over 2.0 s, ease-in-out",
    ]
    assert [(w.message, w.quiet) for w in result.warnings] == [
        ('@logo goes there and back, so the loop does not jump — say "play once" to stop at the end instead.', True)
    ]
    assert result.not_understood == ()


EXPLAINED = [
    (
        "@logo slides out to the right",
        "loops seamlessly",
        "@logo — center, half (50 % of the canvas), slides its place -> right (then off the canvas) and in again "
        "from the other side over 2.0 s, ease-in-out",
        '@logo leaves the canvas and comes back in from the other side, so the loop does not jump — say "play once" '
        "to stop off the canvas.",
    ),
    (
        "@logo slides in from the left",
        "loops seamlessly",
        "@logo timeline: 0-0.6 s slides left (from off the canvas) -> its place, 0.6-1.6 s holds, "
        "1.6-2 s slides its place -> right (then off the canvas)",
        '@logo slides in, holds, and slides out to the right at the end, so the loop does not jump — say "play once" '
        "to keep it on screen.",
    ),
    (
        "@logo fades in",
        "loops seamlessly",
        "@logo timeline: 0-0.6 s fades in, 0.6-1.6 s holds, 1.6-2 s fades out",
        '@logo fades in, holds, and fades out at the end, so the loop does not jump — say "play once" to keep it on '
        "screen.",
    ),
    (
        "@logo zooms in",
        "loops seamlessly",
        "@logo — center, half (50 % of the canvas), zooms in then back over 2.0 s, ease-in-out",
        '@logo goes there and back, so the loop does not jump — say "play once" to stop at the end instead.',
    ),
    (
        "@logo fades in, then @BG spins",
        "loops seamlessly",
        "@logo timeline: 0-1 s fades in, 1-1.6 s holds, 1.6-2 s fades out",
        '@logo fades in and fades out at the end, so the loop does not jump — say "play once" to keep it on screen.',
    ),
    (
        "@logo spins",
        "loops seamlessly",
        "@logo — center, half (50 % of the canvas), spins clockwise over 2.0 s, linear",
        None,
    ),
    (
        "@logo fades in, play once",
        'plays once (@logo ends elsewhere than it starts; say "loop" to repeat)',
        "@logo — center, half (50 % of the canvas), fades in over 2.0 s, ease-in-out",
        None,
    ),
    (
        "@logo spins then fades in",  # it appears at the very end: no time to leave, so it plays once
        'plays once (@logo ends elsewhere than it starts; say "loop" to repeat)',
        "@logo timeline: 0-1 s spins clockwise, 1-2 s fades in",
        None,
    ),
]


@pytest.mark.parametrize(("prompt", "loop", "line", "note"), EXPLAINED)
def test_explain_says_how_each_motion_loops(prompt: str, loop: str, line: str, note: str | None) -> None:
    result = parse(prompt, TAGS)
    lines = describe_scene(result.scene)
    assert lines[0].endswith(f"(48 frames), {loop}"), lines[0]
    assert line in lines, lines
    notes = [w.message for w in result.warnings if "loop" in w.message]
    assert notes == ([note] if note else [])


def test_play_once_and_a_count_keep_the_motion_as_said() -> None:
    for words, loops in (("play once", 1), ("plays once", 1), ("once", 1), ("loop 3 times", 3)):
        scene = parse(f"@logo moving from left to right, {words}", TAGS).scene
        assert scene.timing.loops == loops, words
        assert scene.layer("logo").motions == (
            Motion(MotionKind.SLIDE, scene.layer("logo").motions[0].easing, from_anchor="left", to_anchor="right"),
        ), words


def test_the_choice_is_in_the_scene_as_plain_json() -> None:
    scene = parse("@logo slides out to the right, looping seamlessly", TAGS).scene
    data = scene.to_dict()
    assert data["timing"]["loops"] == 0 and data["layers"][0]["motions"][0]["wrap"] is True
    assert Scene.from_json(scene.to_json()) == scene


def test_the_cli_explain_for_the_issue_prompt_has_no_ignored_word() -> None:
    prompt = "@BG as background, @logo moving from left to right, looping seamlessly"
    done = subprocess.run(
        [sys.executable, "-m", "imagegen", "explain", "--tags", "logo,BG", "--prompt", prompt],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].endswith("loops seamlessly")
    assert done.stderr.splitlines() == [
        'note: @logo goes there and back, so the loop does not jump — say "play once" to stop at the end instead.'
    ]


def test_the_prompt_guide_row_says_the_default_and_a_search_finds_it(data_dir: Path) -> None:
    from apptest_helpers import new_app

    row = entry("timing", "loop")
    assert row.meaning == (
        "The animation repeats forever without a jump (the default): a path that leaves the canvas comes back in "
        "from the other side, a fade-in fades out again, anything else goes there and back."
    )
    assert row.example == "@logo moving from left to right, looping seamlessly"
    at = new_app("pages/help.py")
    at.text_input(key="guide_filter").input("looping smoothly").run()
    text = "\n".join(m.value for m in at.markdown)
    assert f"**loop** — {row.meaning}" in text and f"*{row.example}*" in text


# --- a length said is kept: the loop grows instead of squeezing what was said ----------------------------

SAID_SPEED = [
    # (prompt, seconds, the quiet note)
    (
        "@BG as background, @logo moving from left to right over 3 seconds",
        6.0,
        '@logo goes there and back at the speed said, 3 s each way (6 s in all), so the loop does not jump — say "play'
        ' once" to stop at the end instead.',
    ),
    (
        "@BG as background, @logo fades in over 3 seconds",
        6.0,
        '@logo fades in over the 3 s said, holds, and fades out (6 s in all), so the loop does not jump — say "play '
        'once" to stop at the end instead.',
    ),
    (
        "@BG as background, can you make @logo slide in from the left in 1.5 seconds",
        3.0,
        "@logo slides in over the 1.5 s said, holds, and slides out to the right (3 s in all), so the loop does not "
        'jump — say "play once" to stop at the end instead.',
    ),
]


@pytest.mark.parametrize(("prompt", "seconds", "note"), SAID_SPEED)
def test_a_said_length_keeps_its_speed_and_the_loop_grows(prompt: str, seconds: float, note: str) -> None:
    result = parse(prompt, TAGS)
    assert (result.scene.timing.duration_s, result.scene.timing.loops) == (seconds, 0)
    assert [w.message for w in result.warnings if w.quiet] == [note]


def test_a_fade_said_to_take_3_seconds_is_half_in_at_1_5_seconds_and_whole_at_3() -> None:
    scene = parse("@BG as background, @logo fades in over 3 seconds linearly", TAGS).scene
    scene = replace(scene, canvas=CANVAS, timing=replace(scene.timing, fps=4))  # 6 s at 4 fps: a frame each 0.25 s
    background = rgb_frames(replace(scene, layers=scene.layers[:1]))[0]
    shown = [float(np.abs(f[..., :3] - background[..., :3]).mean()) for f in rgb_frames(scene)]
    assert len(shown) == 24
    full = shown[12]  # 3 s: in as said
    assert full > 5 and shown[6] == pytest.approx(full / 2, rel=0.15)  # 1.5 s: half way in
    assert shown[13:19] == pytest.approx([full] * 6, rel=0.01)  # holds to 4.8 s
    assert shown[0] == 0 and shown[-1] < full / 3  # unseen at the seam


def test_a_wrap_keeps_its_length_and_play_once_keeps_the_motion_as_said() -> None:
    wrap = parse("@BG as background, @logo slides out to the right over 3 seconds", TAGS).scene
    once = parse("@BG as background, @logo moving from left to right over 3 seconds, play once", TAGS).scene
    assert wrap.timing.duration_s == 3.0 and wrap.layer("logo").motions[0].wrap
    assert (once.timing.duration_s, once.timing.loops, once.layer("logo").motions[0].pingpong) == (3.0, 1, False)

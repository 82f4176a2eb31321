"""describe_scene: one plain line for the canvas, then one per layer in drawing order."""

from __future__ import annotations

from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind, Role, Scene, Timing


def test_a_still() -> None:
    scene = Scene(
        layers=(
            Layer("BG", role=Role.BACKGROUND),
            Layer("product", anchor=Anchor.CENTER, size=0.5),
            Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.18, opacity=0.5, rotation=-15.0, margin=0.0),
        )
    )
    assert describe_scene(scene) == [
        "Canvas 1080x1080, covered by @BG, still image",
        "@BG — background, covers the canvas",
        "@product — center, half (50 % of the canvas)",
        "@logo — top right, 18 % of the canvas, 50 % opacity, rotated 15° counterclockwise, margin 0 %",
    ]


def test_an_animation() -> None:
    slide = Motion(MotionKind.SLIDE, Easing.EASE_IN_OUT, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT)
    scene = Scene(
        layers=(
            Layer("BG", role=Role.BACKGROUND, stretch=True),
            Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.2, motions=(slide,)),
        ),
        canvas=Canvas(1080, 1920, background=None),
        timing=Timing(duration_s=3.0, fps=30, loops=1),
    )
    assert describe_scene(scene) == [
        "Canvas 1080x1920, covered by @BG, animation 3.0 s at 30 fps (90 frames), plays once"
        ' (@logo ends elsewhere than it starts; say "loop" to repeat)',
        "@BG — background, stretched to fill the canvas, still",
        "@logo — top right, small (20 % of the canvas), slides left -> right over 3.0 s, ease-in-out",
    ]


def test_motions_in_words() -> None:
    motions = (
        Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, enters=True, start=0.0, end=0.5),
        Motion(MotionKind.SPIN, clockwise=False, amount=0.25, repeats=2, start=0.5, end=1.0),
        Motion(MotionKind.FADE_IN, Easing.EASE_IN_OUT, pingpong=True),
    )
    scene = Scene(
        layers=(Layer("logo", role=Role.FOREGROUND, size=0.6, motions=motions),),
        canvas=Canvas(background=(255, 0, 102, 255)),
        timing=Timing(duration_s=2.0, fps=24, loops=3),
    )
    assert describe_scene(scene) == [
        "Canvas 1080x1080, #ff0066 background, animation 2.0 s at 24 fps (48 frames), plays 3 times",
        "@logo — foreground, center, large (60 % of the canvas), "
        "slides left (from off the canvas) -> its place from 0.0 s to 1.0 s, linear; "
        "spins 90° counterclockwise 2 times from 1.0 s to 2.0 s, linear; "
        "fades in then back over 2.0 s, ease-in-out",
        "@logo timeline: 0-1 s slides left (from off the canvas) -> its place, 0-2 s fades in then back, "
        "1-2 s spins 90° counterclockwise",
    ]


def test_scene_describe_uses_it_and_lines_follow_drawing_order() -> None:
    scene = parse("@logo on top right, @BG as background, @logo slides across", ["BG", "logo"]).scene
    assert describe_scene(scene) == [
        "Canvas 1080x1080, covered by @BG, animation 2.0 s at 24 fps (48 frames), loops seamlessly",
        "@BG — background, covers the canvas, still",
        "@logo — top right, small (20 % of the canvas), "
        "slides left (from off the canvas) -> right (then off the canvas) over 2.0 s, ease-in-out",
    ]


def test_odd_durations_are_not_rounded_away() -> None:
    timing = Timing(duration_s=1.25, fps=24)
    scene = Scene(layers=(Layer("logo", motions=(Motion(MotionKind.PULSE),)),), timing=timing)
    assert (
        describe_scene(scene)[0]
        == "Canvas 1080x1080, white background, animation 1.25 s at 24 fps (30 frames), loops seamlessly"
    )


def test_a_size_word_means_one_size_everywhere() -> None:
    tags = ["BG", "logo"]
    said = describe_scene(parse("@logo medium at the top", tags).scene)[1]
    edge_default = describe_scene(parse("@logo at the top", tags).scene)[1]
    assert said == "@logo — top, medium (35 % of the canvas)"
    assert edge_default == "@logo — top, 30 % of the canvas"  # 30 % is no "medium": no word for it


def test_the_canvas_colour_is_listed_only_where_it_can_show() -> None:
    half_seen = Scene(layers=(Layer("BG", role=Role.BACKGROUND, opacity=0.5),))
    assert describe_scene(half_seen)[0] == "Canvas 1080x1080, white background, still image"

"""Table-driven prompts -> Scenes: placement, roles, sizes, canvas, colours, style, motions, timing, order."""

from __future__ import annotations

import pytest
from test_prompt_support import TAGS, check_scene, layer, motion

from imagegen.prompt import parse

WHITE = (255, 255, 255, 255)
BLACK = (0, 0, 0, 255)

PLACEMENT = [
    # The bug we replace: every keyword went to every tag.
    (
        "Place @product in center, @logo on top right, and @BG as background",
        {
            "order": ("BG", "product", "logo"),
            "product": layer(anchor="center", role="layer", size=0.5),
            "logo": layer(anchor="top-right", role="layer", size=0.2),
            "BG": layer(role="background"),
            "animated": False,
        },
    ),
    ("Set @BG as background", {"BG": layer(role="background", stretch=False)}),
    ("Background: @BG", {"BG": layer(role="background")}),
    ("@logo on top right", {"logo": layer(anchor="top-right")}),
    ("put @logo at the top-left", {"logo": layer(anchor="top-left")}),
    ("@logo in the upper right corner", {"logo": layer(anchor="top-right")}),
    ("@logo right top", {"logo": layer(anchor="top-right")}),
    ("@logo lower-left", {"logo": layer(anchor="bottom-left")}),
    ("@logo in the top right corner", {"logo": layer(anchor="top-right")}),
    ("@logo bottom-right", {"logo": layer(anchor="bottom-right", size=0.2)}),
    ("@logo at the top center", {"logo": layer(anchor="top", size=0.3)}),
    ("@logo centre left", {"logo": layer(anchor="left")}),
    ("@logo on the right-hand side", {"logo": layer(anchor="right")}),
    ("@logo at the bottom", {"logo": layer(anchor="bottom")}),
    ("@logo in the corner", {"logo": layer(anchor="bottom-right")}),
    ("@logo in the left corner", {"logo": layer(anchor="bottom-left")}),
    ("Please place the image of @logo at the top right", {"logo": layer(anchor="top-right")}),
    ("@product in the middle", {"product": layer(anchor="center", size=0.5)}),
    ("@product centred", {"product": layer(anchor="center")}),
    ("@logo", {"logo": layer(anchor="center", role="layer", size=0.5, opacity=1.0, rotation=0.0, margin=0.04)}),
    ("Top right: @logo", {"logo": layer(anchor="top-right")}),
    ("Move @logo to the top right", {"logo": layer(anchor="top-right", motions=[]), "animated": False}),
    ("Put @logo to the left", {"logo": layer(anchor="left"), "animated": False}),
    (
        "@logo top left, @product bottom right, @BG fills the canvas",
        {
            "order": ("BG", "logo", "product"),
            "logo": layer(anchor="top-left"),
            "product": layer(anchor="bottom-right"),
            "BG": layer(role="background"),
        },
    ),
    (
        "Place @product in center @logo on top right",  # no punctuation between the two
        {"product": layer(anchor="center"), "logo": layer(anchor="top-right")},
    ),
    (
        "@BG and @logo at the bottom",  # a bare tag joined by "and" shares what follows
        {"BG": layer(anchor="bottom"), "logo": layer(anchor="bottom")},
    ),
    (
        "@BG, @logo top right",  # joined by a comma only: @BG does not share
        {"BG": layer(anchor="center", role="layer"), "logo": layer(anchor="top-right")},
    ),
    (
        "@logo top left and bottom right",  # the last placement wins
        {"logo": layer(anchor="bottom-right")},
    ),
    (
        "@logo top right and @logo's margin 10%",
        {"logo": layer(anchor="top-right", margin=0.1)},
    ),
    ("@logo top left, no margin", {"logo": layer(anchor="top-left", margin=0.0)}),
]

ROLES = [
    ("@BG full screen", {"BG": layer(role="background")}),
    ("@BG covers the whole canvas", {"BG": layer(role="background")}),
    ("@BG is the backdrop", {"BG": layer(role="background")}),
    ("@BG in the background", {"BG": layer(role="background")}),
    ("@BG stretched", {"BG": layer(role="background", stretch=True)}),
    ("@BG as background, stretch to fill", {"BG": layer(role="background", stretch=True)}),
    ("@product in the foreground", {"product": layer(role="foreground", anchor="center", size=0.6)}),
    (
        "@product in front, @BG as background, @logo top left",
        {"order": ("BG", "logo", "product"), "product": layer(role="foreground")},
    ),
    (
        "@logo on the background top left, @BG",  # "on the background" is a place, not a role
        {"logo": layer(role="layer", anchor="top-left"), "BG": layer(role="layer")},
    ),
]

RELATIONS = [
    ("@logo over @BG", {"order": ("BG", "logo"), "BG": layer(role="background"), "logo": layer(role="layer")}),
    (
        "@logo slides across @BG",
        {
            "order": ("BG", "logo"),
            "BG": layer(role="background", motions=[]),
            "logo": layer(motions=[motion("slide", from_anchor="left", to_anchor="right", enters=True, exits=True)]),
        },
    ),
    (
        "@logo in the center with @BG behind it",
        {"order": ("BG", "logo"), "BG": layer(role="background"), "logo": layer(anchor="center")},
    ),
    (
        "@logo on top of @product, @product bottom left",  # a placed image keeps its place; only order changes
        {"order": ("product", "logo"), "product": layer(role="layer", anchor="bottom-left")},
    ),
    (
        "@logo in the center in front of @product, @product in the center",
        {"order": ("product", "logo")},
    ),
    (
        "@logo in the center, @product in the center behind @logo",
        {"order": ("product", "logo"), "product": layer(role="layer")},
    ),
    (
        "@product in the center, @logo top right, @BG behind everything",
        {"order": ("BG", "product", "logo"), "BG": layer(role="background")},
    ),
    (
        "@logo bottom left, @product top right at the back",  # placed, so only sent to the back
        {"order": ("product", "logo"), "product": layer(role="layer", anchor="top-right")},
    ),
    ("@logo top right of @BG", {"BG": layer(role="background"), "logo": layer(anchor="top-right")}),
]

SIZES = [
    ("a tiny @logo", {"logo": layer(size=0.1)}),
    ("@logo small at the top right", {"logo": layer(size=0.2, anchor="top-right")}),
    ("@product medium sized", {"product": layer(size=0.35)}),
    ("@product big", {"product": layer(size=0.6)}),
    ("@product huge", {"product": layer(size=0.85)}),
    ("@product full width at the bottom", {"product": layer(size=1.0, anchor="bottom")}),
    ("@product half size", {"product": layer(size=0.5)}),
    ("@logo quarter size", {"logo": layer(size=0.25)}),
    ("@logo 15% bottom center", {"logo": layer(size=0.15, anchor="bottom")}),
    ("@logo at 30 percent", {"logo": layer(size=0.3)}),
    ("@logo 200%", {"logo": layer(size=0.5)}),  # out of range: ignored (the default), never clamped to 100 %
    ("@logo on the left", {"logo": layer(size=0.3)}),
]

CANVAS = [
    ("@logo", {"canvas": (1080, 1080), "background": WHITE}),
    ("1080x1920 @logo", {"canvas": (1080, 1920)}),
    ("@logo, 1080 x 1920", {"canvas": (1080, 1920)}),
    ("@logo 1920 by 1080", {"canvas": (1920, 1080)}),
    ("@logo 800 × 600 px", {"canvas": (800, 600)}),
    ("Instagram post, @logo", {"canvas": (1080, 1080)}),
    ("Instagram portrait: @logo", {"canvas": (1080, 1350)}),
    ("Instagram story: @logo", {"canvas": (1080, 1920)}),
    ("@logo for a TikTok", {"canvas": (1080, 1920)}),
    ("Reel with @logo", {"canvas": (1080, 1920)}),
    ("portrait @logo", {"canvas": (1080, 1920)}),
    ("YouTube, @logo", {"canvas": (1920, 1080)}),
    ("HD landscape @logo", {"canvas": (1920, 1080)}),
    ("Facebook post: @logo", {"canvas": (1200, 630)}),
    ("Twitter: @logo", {"canvas": (1200, 675)}),
    ("an X post with @logo", {"canvas": (1200, 675)}),
    ("LinkedIn post, @logo", {"canvas": (1200, 627)}),
    ("square, @logo", {"canvas": (1080, 1080)}),
    ("4K, @logo", {"canvas": (3840, 2160)}),
    ("@logo in the center on a black background", {"background": BLACK}),
    ("@logo, background colour #ff0066", {"background": (255, 0, 102, 255)}),
    ("@logo, background color: #f06", {"background": (255, 0, 102, 255)}),
    ("@logo on a transparent background", {"background": None}),
    ("transparent background, @logo", {"background": None}),
    ("@logo with no background", {"background": None}),
    ("@logo, background rgb(10, 20, 30)", {"background": (10, 20, 30, 255)}),
    ("Navy background: @logo top right", {"background": (0, 0, 128, 255), "logo": layer(anchor="top-right")}),
    ("@logo; red", {"background": (255, 0, 0, 255)}),
    ("white @logo on a dark blue background", {"background": (0, 0, 139, 255)}),
    (
        "@logo, light grey background",
        {"background": (211, 211, 211, 255)},
    ),  # a colour alone in a clause colours the canvas
    ("@logo make it red", {"background": WHITE}),  # about the image: ignored with a warning
    (
        "@BG as background on a white background",  # both: a role and a canvas colour
        {"BG": layer(role="background"), "background": WHITE},
    ),
]

STYLE = [
    ("@logo at 50% opacity", {"logo": layer(opacity=0.5)}),
    ("@logo opacity 0.3", {"logo": layer(opacity=0.3)}),
    ("@logo with an opacity of 80%", {"logo": layer(opacity=0.8)}),
    ("@logo 20% transparent", {"logo": layer(opacity=0.8)}),
    ("@logo semi-transparent", {"logo": layer(opacity=0.5)}),
    ("@logo faded", {"logo": layer(opacity=0.5, motions=[])}),
    ("@logo translucent", {"logo": layer(opacity=0.5)}),
    ("@logo rotated 15 degrees", {"logo": layer(rotation=15.0), "animated": False}),
    ("@logo rotated -20°", {"logo": layer(rotation=-20.0)}),
    ("@logo tilted", {"logo": layer(rotation=10.0)}),
    ("@logo counterclockwise 15 degrees", {"logo": layer(rotation=-15.0)}),
    ("@logo rotated 15 degrees anticlockwise", {"logo": layer(rotation=-15.0)}),
    ("@logo at 30°", {"logo": layer(rotation=30.0)}),
]

# A seamless loop (the default) ends what appeared: out of the far side, or faded out, from 80 % of the time.
OUT_RIGHT = motion("slide", from_anchor=None, to_anchor="right", exits=True, start=0.8, end=1.0)
OUT_DOWN = motion("slide", from_anchor=None, to_anchor="bottom", exits=True, start=0.8, end=1.0)
FADE_BACK_OUT = motion("fade-out", start=0.8, end=1.0)

MOTIONS = [
    (
        "@BG is stable background and @logo is moving from left to right",
        {
            "order": ("BG", "logo"),
            "BG": layer(role="background", motions=[]),
            "logo": layer(
                role="layer",
                motions=[motion("slide", from_anchor="left", to_anchor="right", enters=False, pingpong=True)],
            ),
            "timing": (2.0, 24.0, 0),  # a seamless loop by default: it goes there and back (a note says so)
        },
    ),
    ("@logo slides left to right", {"logo": layer(motions=[motion("slide", from_anchor="left", to_anchor="right")])}),
    (
        "@logo glides from the bottom to the top",
        {"logo": layer(motions=[motion("slide", from_anchor="bottom", to_anchor="top")])},
    ),
    (
        "@logo moving from the top left to the bottom right",
        {"logo": layer(motions=[motion("slide", from_anchor="top-left", to_anchor="bottom-right")])},
    ),
    ("@logo pans right -> left", {"logo": layer(motions=[motion("slide", from_anchor="right", to_anchor="left")])}),
    (
        "@logo slides in from the left",  # a seamless loop by default: in, hold, out of the other side
        {"logo": layer(motions=[motion("slide", from_anchor="left", to_anchor=None, enters=True, end=0.3), OUT_RIGHT])},
    ),
    (
        "@logo slides out to the right",
        {"logo": layer(motions=[motion("slide", from_anchor=None, to_anchor="right", enters=False, exits=True)])},
    ),
    (
        "@logo flies in from the left and out to the right",
        {"logo": layer(motions=[motion("slide", from_anchor="left", to_anchor="right", enters=True, exits=True)])},
    ),
    (
        "@logo flies across from right to left",
        {"logo": layer(motions=[motion("slide", from_anchor="right", to_anchor="left", enters=True, exits=True)])},
    ),
    ("@logo slides to the right", {"logo": layer(anchor="center", motions=[motion("slide", to_anchor="right")])}),
    ("@logo moves up", {"logo": layer(motions=[motion("slide", from_anchor=None, to_anchor="top")])}),
    ("@logo is moving", {"logo": layer(motions=[motion("slide", from_anchor="left", to_anchor="right")])}),
    ("Make @logo move", {"logo": layer(motions=[motion("slide")])}),
    ("@logo moves side to side", {"logo": layer(motions=[motion("slide", pingpong=True, from_anchor="left")])}),
    ("@logo back and forth", {"logo": layer(motions=[motion("slide", pingpong=True)])}),
    (
        "@logo slides left to right and back",
        {"logo": layer(motions=[motion("slide", from_anchor="left", to_anchor="right", pingpong=True)])},
    ),
    ("@logo spins", {"logo": layer(motions=[motion("spin", clockwise=True, easing="linear", amount=None)])}),
    ("@logo rotates counterclockwise", {"logo": layer(motions=[motion("spin", clockwise=False)])}),
    ("@logo turning anti-clockwise", {"logo": layer(motions=[motion("spin", clockwise=False)])}),
    ("@logo spins 90 degrees", {"logo": layer(rotation=0.0, motions=[motion("spin", amount=0.25)])}),
    ("@product bounces", {"product": layer(motions=[motion("bounce", repeats=3.0)])}),  # real bounces: 3 hops
    ("@product jumps 3 times", {"product": layer(motions=[motion("bounce", repeats=3.0)])}),
    ("@product hops twice", {"product": layer(motions=[motion("bounce", repeats=2.0)])}),
    ("@logo fades in", {"logo": layer(motions=[motion("fade-in", easing="ease-in-out", end=0.3), FADE_BACK_OUT])}),
    ("@logo fading", {"logo": layer(motions=[motion("fade-in", end=0.3), FADE_BACK_OUT])}),
    ("@logo appears", {"logo": layer(motions=[motion("fade-in", end=0.3), FADE_BACK_OUT])}),
    ("@logo fades out", {"logo": layer(motions=[motion("fade-out")])}),
    ("@logo disappears", {"logo": layer(motions=[motion("fade-out")])}),
    ("@logo fading in and out", {"logo": layer(motions=[motion("fade-in", pingpong=True)])}),
    ("@product zooms in", {"product": layer(motions=[motion("zoom-in")])}),
    ("@product grows", {"product": layer(motions=[motion("zoom-in")])}),
    ("@product zoom out", {"product": layer(motions=[motion("zoom-out")])}),
    ("@product shrinks", {"product": layer(motions=[motion("zoom-out")])}),
    ("@product zooms in and out", {"product": layer(motions=[motion("zoom-in", pingpong=True)])}),
    ("@logo pulses", {"logo": layer(motions=[motion("pulse")])}),
    ("@logo breathing", {"logo": layer(motions=[motion("pulse")])}),
    ("@logo shakes", {"logo": layer(motions=[motion("shake", easing="linear")])}),
    ("@logo wiggles", {"logo": layer(motions=[motion("shake")])}),
    ("@logo stays still", {"logo": layer(motions=[]), "animated": False}),
    ("@logo is static, @product spins", {"logo": layer(motions=[]), "product": layer(motions=[motion("spin")])}),
    (
        "@logo spins while sliding left to right",  # the tag-less "while" clause is about @logo
        {"logo": layer(motions=[motion("spin"), motion("slide", from_anchor="left", to_anchor="right")])},
    ),
    (
        "Put @logo at the top right and make it spin",
        {"logo": layer(anchor="top-right", motions=[motion("spin")])},
    ),
    (
        "Make @BG and @logo bounce",
        {"BG": layer(motions=[motion("bounce")]), "logo": layer(motions=[motion("bounce")])},
    ),
    (
        "@logo slides in from the left, @product zooms in, @BG stays still as background",
        {
            "logo": layer(motions=[motion("slide", from_anchor="left", enters=True, end=0.3), OUT_RIGHT]),
            "product": layer(motions=[motion("zoom-in", pingpong=True)]),
            "BG": layer(role="background", motions=[]),
            "order": ("BG", "logo", "product"),
        },
    ),
    (
        "@logo slides in from the left, then spins",
        {
            "logo": layer(
                # a seamless loop: it slides on out to the right while the spin ends
                motions=[motion("slide", start=0.0, end=0.5), motion("spin", start=0.5, end=1.0), OUT_RIGHT],
            )
        },
    ),
    (
        "@logo fades in, then @product fades in",
        {
            "logo": layer(motions=[motion("fade-in", start=0.0, end=0.5)]),
            "product": layer(motions=[motion("fade-in", start=0.5, end=1.0)]),
        },
    ),
    ("Spin @logo and @product", {"logo": layer(motions=[motion("spin")]), "product": layer(motions=[motion("spin")])}),
    (
        "Spin @logo, @product and @BG",
        {"BG": layer(motions=[motion("spin")]), "product": layer(motions=[motion("spin")])},
    ),
    ("Place @logo top right and @product", {"product": layer(anchor="center", motions=[])}),
    (
        "Fade in @logo, then @product",
        {
            "logo": layer(motions=[motion("fade-in", start=0.0, end=0.5)]),
            "product": layer(motions=[motion("fade-in", start=0.5, end=1.0)]),
        },
    ),
    (
        "@logo fades in over 1 second then stays",  # a still after "then" holds the motion's end
        # loops: the 1 s fade kept as said, then it holds and fades out (2 s in all)
        {"logo": layer(motions=[motion("fade-in", end=0.5), FADE_BACK_OUT]), "timing": (2.0, 24.0, 0)},
    ),
    (
        "@product zooms in, @logo appears in the bottom right corner after that",
        {
            "product": layer(motions=[motion("zoom-in", start=0.0, end=0.5)]),
            "logo": layer(anchor="bottom-right", motions=[motion("fade-in", start=0.5, end=1.0)]),
        },
    ),
    (
        "@logo spins, @product bounces, all smoothly",  # a tag-less clause about "all" images
        {
            "logo": layer(motions=[motion("spin", easing="ease-in-out")]),
            "product": layer(motions=[motion("bounce", easing="ease-in-out")]),
        },
    ),
    (
        "@logo top right, @product bottom left, both 50% opacity",
        {"logo": layer(opacity=0.5, anchor="top-right"), "product": layer(opacity=0.5, anchor="bottom-left")},
    ),
    ("@logo doesn't spin", {"logo": layer(motions=[]), "animated": False}),
    ("@logo isn't moving, @product spins", {"logo": layer(motions=[]), "product": layer(motions=[motion("spin")])}),
    ("@logo should not be moving", {"logo": layer(motions=[])}),
    ("Rotate @logo 15 degrees", {"logo": layer(rotation=15.0, motions=[]), "animated": False}),
    ("@logo rotates 90 degrees", {"logo": layer(rotation=0.0, motions=[motion("spin", amount=0.25)])}),
    ("Rotate @logo", {"logo": layer(motions=[motion("spin")])}),
    ("@logo pulses 2x", {"logo": layer(motions=[motion("pulse", repeats=2.0)])}),
    (
        "@logo drops in from the top",
        {"logo": layer(motions=[motion("slide", from_anchor="top", enters=True), OUT_DOWN])},
    ),
    ("@logo top right with a drop shadow", {"logo": layer(anchor="top-right", motions=[]), "animated": False}),
    (
        "Slowly, @logo slides in from the top",
        {"logo": layer(motions=[motion("slide", from_anchor="top"), OUT_DOWN]), "timing": (3.0, 24.0, 0)},  # loops
    ),
]

TIMING = [
    ("@logo spins over 3 seconds", {"timing": (3.0, 24.0, 0)}),
    ("@logo spins for 4 s", {"timing": (4.0, 24.0, 0)}),
    ("@logo spins 3s", {"timing": (3.0, 24.0, 0)}),
    ("@logo spins for 2.5 sec", {"timing": (2.5, 24.0, 0)}),
    ("@logo spins for three seconds", {"timing": (3.0, 24.0, 0)}),
    ("@logo pulses for 1500 ms", {"timing": (1.5, 24.0, 0)}),
    ("@logo spins at 30 fps", {"timing": (2.0, 30.0, 0)}),
    ("@logo spins, 12 frames per second", {"timing": (2.0, 12.0, 0)}),
    ("@logo spins slowly", {"timing": (3.0, 24.0, 0)}),
    ("@logo spins quickly", {"timing": (1.0, 24.0, 0)}),
    ("@logo spins fast over 4 seconds", {"timing": (4.0, 24.0, 0)}),  # an explicit duration wins
    ("@logo spins twice", {"logo": layer(motions=[motion("spin", repeats=2.0)])}),
    ("@logo spins 3 times", {"logo": layer(motions=[motion("spin", repeats=3.0)])}),
    ("@logo spins, play once", {"timing": (2.0, 24.0, 1)}),
    ("@logo fades in, no loop", {"timing": (2.0, 24.0, 1)}),
    ("@logo spins, loop 3 times", {"timing": (2.0, 24.0, 3), "logo": layer(motions=[motion("spin", repeats=1.0)])}),
    ("@logo spins in a loop", {"timing": (2.0, 24.0, 0)}),
    ("@logo spins linearly", {"logo": layer(motions=[motion("spin", easing="linear")])}),
    ("@logo spins smoothly", {"logo": layer(motions=[motion("spin", easing="ease-in-out")])}),
    ("@logo slides to the right, ease-in", {"logo": layer(motions=[motion("slide", easing="ease-in")])}),
    (
        "@logo slides in from the left, slowing down",
        {"logo": layer(motions=[motion("slide", easing="ease-out"), motion("slide", easing="ease-out", start=0.8)])},
    ),
    ("@logo zooms in with a bounce", {"logo": layer(motions=[motion("zoom-in", easing="bounce")])}),
    (
        "@logo drops in from the top, bouncy",
        {"logo": layer(motions=[motion("slide", easing="bounce"), motion("slide", easing="bounce", start=0.8)])},
    ),
    ("@logo zooms in, elastic", {"logo": layer(motions=[motion("zoom-in", easing="elastic")])}),
    ("@logo spins for 1 minute at 5 fps", {"timing": (60.0, 5.0, 0)}),
    ("@logo top right, 3 seconds", {"animated": False, "timing": (5.0, 24.0, 0)}),  # a still ignores it (5 s as video)
]

ALL = PLACEMENT + ROLES + RELATIONS + SIZES + CANVAS + STYLE + MOTIONS + TIMING


@pytest.mark.parametrize(("prompt", "expected"), ALL, ids=[p for p, _ in ALL])
def test_prompt_builds_the_scene(prompt: str, expected: dict) -> None:
    check_scene(parse(prompt, TAGS).scene, expected)


def test_the_table_is_large_enough() -> None:
    assert len(ALL) >= 80


def test_only_mentioned_tags_are_drawn_with_the_session_spelling() -> None:
    scene = parse("@LOGO top right, @bg as background", ["BG", "Logo", "product"]).scene
    assert scene.tags == ("BG", "Logo")


def test_trailing_punctuation_and_possessives_are_not_part_of_a_tag() -> None:
    for prompt in ("@logo.", "@logo!", "(@logo)", "@logo's top right corner", "@logo- top right"):
        assert parse(prompt, TAGS).scene.tags == ("logo",), prompt


def test_an_email_address_is_not_a_tag() -> None:
    assert parse("send to me@product.com, @logo top", TAGS).scene.tags == ("logo",)


def test_many_tags_can_move_at_once() -> None:
    scene = parse("@logo spins, @product bounces and @BG slides left to right", TAGS).scene
    assert [m.kind.value for layer in scene.layers for m in layer.motions] == ["spin", "bounce", "slide"]

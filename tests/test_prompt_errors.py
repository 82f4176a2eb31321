"""Errors and warnings about prompts, with their exact wording."""

from __future__ import annotations

import pytest
from test_prompt_support import TAGS

from imagegen.errors import LimitError, NoTagError, PromptError, UnknownTagError
from imagegen.limits import Limits
from imagegen.prompt import PromptWarning, parse

ERRORS = [
    ("@lgo top right", ["BG", "logo"], UnknownTagError, "Unknown tag @lgo. Did you mean @logo? Tags here: @BG, @logo"),
    ("@Lgo top right", ["BG", "logo"], UnknownTagError, "Unknown tag @Lgo. Did you mean @logo? Tags here: @BG, @logo"),
    ("@xyz on top", ["BG", "logo"], UnknownTagError, "Unknown tag @xyz. Tags here: @BG, @logo"),
    (
        "@logo on top",
        [],
        UnknownTagError,
        "Unknown tag @logo — no images are uploaded yet; upload images first, "
        "then mention each one with @ and its tag.",
    ),
    (
        "Place the banner on top right",
        ["BG", "logo"],
        NoTagError,
        'No image is mentioned. Mention your images with @ and their tag, e.g. "Place @logo on top right and @BG as'
        ' background". Tags here: @BG, @logo.',
    ),
    (
        "Place the banner in the center",
        ["product"],
        NoTagError,
        'No image is mentioned. Mention your images with @ and their tag, e.g. "Place @product in the center".'
        " Tags here: @product.",
    ),
    (
        "Place the logo",
        [],
        NoTagError,
        "No image is mentioned. Upload images first, then mention each one with @ and its tag, "
        'e.g. "Place @logo on top right and @BG as background".',
    ),
    (
        "  \n ",
        ["BG", "logo"],
        PromptError,
        'The prompt is empty. Mention your images with @ and their tag, e.g. "Place @logo on top right and @BG as'
        ' background". Tags here: @BG, @logo.',
    ),
    (
        "5000x1080, @logo",
        TAGS,
        LimitError,
        "Canvas 5000x1080 is too large — each side must be between 16 and 4096 px.",
    ),
    ("@logo 10 by 10", TAGS, LimitError, "Canvas 10x10 is too small — each side must be between 16 and 4096 px."),
    (
        "@logo spins for 20 s at 60 fps",
        TAGS,
        LimitError,
        "20 s at 60 fps is 1200 frames — at most 600 frames are allowed; "
        "shorten the animation or lower the frame rate.",
    ),
    (
        "@logo spins for 90 seconds",
        TAGS,
        LimitError,
        "Duration 90 s is too long — animations can last at most 60 s.",
    ),
    ("@logo spins for 0 s", TAGS, LimitError, "Duration 0 s is too short — an animation must last more than 0 s."),
    ("@logo spins at 120 fps", TAGS, LimitError, "Frame rate 120 fps is out of range — use 1 to 60 fps."),
    ("@logo spins at 0.5 fps", TAGS, LimitError, "Frame rate 0.5 fps is out of range — use 1 to 60 fps."),
    (
        "@logo, background colour rgb(300, 0, 0)",
        TAGS,
        PromptError,
        '"rgb(300, 0, 0)" is not a colour — each of r, g, b must be between 0 and 255.',
    ),
    (
        "@logo on a #12345 background",
        TAGS,
        PromptError,
        '"#12345" is not a colour code — use #rgb or #rrggbb, e.g. #ff0066.',
    ),
]


@pytest.mark.parametrize(("prompt", "tags", "kind", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_error_wording(prompt: str, tags: list[str], kind: type[Exception], message: str) -> None:
    with pytest.raises(kind) as caught:
        parse(prompt, tags)
    assert str(caught.value) == message


def test_a_prompt_over_the_limit_names_the_limit() -> None:
    with pytest.raises(LimitError) as caught:
        parse("@logo " + "x" * 2000, TAGS)
    assert str(caught.value) == "The prompt is 2006 characters long — at most 2000 are allowed; shorten it."


def test_custom_limits_are_used() -> None:
    limits = Limits(max_canvas_side=2000, max_frames=100)
    with pytest.raises(LimitError, match="between 16 and 2000 px"):
        parse("@logo 1920x2160", TAGS, limits=limits)
    with pytest.raises(LimitError, match="is 120 frames — at most 100 frames"):
        parse("@logo spins for 4 s at 30 fps", TAGS, limits=limits)


def test_timing_is_not_checked_for_a_still() -> None:
    result = parse("@logo top right for 90 seconds", TAGS)
    assert not result.scene.animated
    assert PromptWarning('Nothing moves, so "90 seconds" is ignored — this makes a still image.', "90 seconds") in (
        result.warnings
    )


def test_a_long_unknown_tag_is_shortened_in_the_message() -> None:
    with pytest.raises(UnknownTagError) as caught:
        parse("@" + "a" * 100, TAGS)
    assert str(caught.value) == f"Unknown tag @{'a' * 40}…. Tags here: @BG, @logo, @product"


WARNINGS = [
    (
        "@logo top left, then @logo bottom right",
        PromptWarning(
            '@logo is placed twice ("top left", then "bottom right") — using bottom right, the last one.', "@logo"
        ),
    ),
    ("@logo zig-zags", PromptWarning('Not understood, so ignored: "zig-zags".', "zig-zags")),
    ("@logo swirls", PromptWarning('Not understood, so ignored: "swirls".', "swirls")),  # no "whirls": not a typo
    ("@logo moonwalks", PromptWarning('Not understood, so ignored: "moonwalks".', "moonwalks")),
    ("@logo bounse", PromptWarning('Not understood, so ignored: "bounse". Did you mean "bounce"?', "bounse")),
    ("@logo top rigth", PromptWarning('Not understood, so ignored: "rigth". Did you mean "right"?', "rigth")),
    (
        "@logo sparkles, glitter and bounse",
        PromptWarning(
            'Not understood, so ignored: "sparkles", "glitter", "bounse". Did you mean "bounce" for "bounse"?',
            "sparkles",
        ),
    ),
    ("@logo spins", PromptWarning("Not used: @BG, @product.", "@BG", quiet=True)),
    (
        "@logo 7 top",
        PromptWarning('The number 7 was not understood — say what it is, e.g. "7 seconds" or "7%".', "7"),
    ),
    (
        "@logo top right, make it red",
        PromptWarning(
            'The colour "red" was ignored — an image keeps its own colours: say "red background" to colour the '
            'canvas, or "tinted red" to tint the image.',
            "red",
        ),
    ),
    ("@logo top right, smoothly", PromptWarning('"smoothly" was ignored — @logo does not move.', "smoothly")),
    (
        "@logo spins slowly and quickly",
        PromptWarning('Both "slowly" and "quickly" — using "quickly", the last one.', "quickly"),
    ),
    (
        "@logo spins. @logo is still",
        PromptWarning("@logo is said to move and also to stay still — it stays still.", "@logo"),
    ),
    (
        "@logo zooms in from the left",
        PromptWarning(
            '"from the left" was ignored — only a sliding image moves along a path; say "slides from the left".',
            "from the left",
        ),
    ),
    (
        "@logo 250% wide",
        PromptWarning('Size "250% wide" is not 1-100 % of the canvas, so it was ignored.', "250% wide"),
    ),
    (
        "1080x1920 @logo, square",
        PromptWarning('"square" is 1080x1080; using 1080x1920 as written.', "square", quiet=True),
    ),
    (
        "1080x1920 @logo, 1200x628",
        PromptWarning(
            'The canvas size is given twice ("1080x1920", then "1200x628") — using 1200x628, the last one.',
            "1200x628",
        ),
    ),
]


@pytest.mark.parametrize(("prompt", "warning"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_wording(prompt: str, warning: PromptWarning) -> None:
    assert warning in parse(prompt, TAGS).warnings


FILLER_PROMPTS = [
    "Please place the image of @logo at the top right, it should be small",
    "Put @product in the center and make the picture large",
    "I want @BG to be the background and @logo should show in the top left corner",
    "Could you set @product as the foreground, @logo is at the bottom and @BG is the backdrop",
    "Show @logo on top right, @product in the middle and use @BG as background image",
]


@pytest.mark.parametrize("prompt", FILLER_PROMPTS)
def test_ordinary_words_raise_no_warning(prompt: str) -> None:
    warnings = [w for w in parse(prompt, TAGS).warnings if not w.quiet]
    assert warnings == []


def test_each_unused_tag_is_reported_once_in_session_order() -> None:
    result = parse("@logo top right, @logo spins", ["BG", "logo", "product"])
    assert [(w.message, w.quiet) for w in result.warnings] == [("Not used: @BG, @product.", True)]

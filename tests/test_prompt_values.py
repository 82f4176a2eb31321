"""parse_canvas_size and parse_colour: the forms people write, and clear errors for the rest."""

from __future__ import annotations

import pytest

from imagegen.errors import LimitError, PromptError
from imagegen.limits import Limits
from imagegen.prompt import parse_canvas_size, parse_colour
from imagegen.prompt.colours import colour_name
from imagegen.prompt.vocabulary import entries

SIZES = [
    ("1080x1920", (1080, 1920)),
    ("1080 x 1920", (1080, 1920)),
    ("1920 by 1080", (1920, 1080)),
    ("800×600", (800, 600)),
    ("1200 x 630 px", (1200, 630)),
    ("square", (1080, 1080)),
    ("instagram", (1080, 1080)),
    ("Instagram Portrait", (1080, 1350)),
    ("instagram-portrait", (1080, 1350)),
    ("story", (1080, 1920)),
    ("reel", (1080, 1920)),
    ("TikTok", (1080, 1920)),
    ("portrait", (1080, 1920)),
    ("landscape", (1920, 1080)),
    ("youtube", (1920, 1080)),
    ("HD", (1920, 1080)),
    ("facebook", (1200, 630)),
    ("twitter", (1200, 675)),
    ("x post", (1200, 675)),
    ("linkedin", (1200, 627)),
    ("4k", (3840, 2160)),
    ("16 x 16", (16, 16)),
    ("4096x4096", (4096, 4096)),
]


@pytest.mark.parametrize(("text", "size"), SIZES)
def test_canvas_sizes(text: str, size: tuple[int, int]) -> None:
    assert parse_canvas_size(text) == size


def test_every_preset_key_is_a_canvas_size() -> None:
    # The Compose page offers the vocabulary's canvas keys as presets.
    presets = {e.key: e.value.size for e in entries("canvas") if e.value.size is not None}
    assert {key: parse_canvas_size(key) for key in presets} == presets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5000x1080", "Canvas 5000x1080 is too large — each side must be between 16 and 4096 px."),
        ("15 by 15", "Canvas 15x15 is too small — each side must be between 16 and 4096 px."),
        ("99999999999999999999x2", "Canvas 1e+12x2 is too large — each side must be between 16 and 4096 px."),
    ],
)
def test_canvas_out_of_range(text: str, message: str) -> None:
    with pytest.raises(LimitError) as caught:
        parse_canvas_size(text)
    assert str(caught.value) == message


def test_canvas_limits_can_be_configured() -> None:
    with pytest.raises(LimitError, match="between 100 and 2000 px"):
        parse_canvas_size("4k", limits=Limits(min_canvas_side=100, max_canvas_side=2000))


@pytest.mark.parametrize("text", ["", "custom", "big", "1080", "1080x", "story and square", "storey"])
def test_not_a_canvas_size(text: str) -> None:
    with pytest.raises(PromptError, match="is not a canvas size — write width x height"):
        parse_canvas_size(text)


def test_a_misspelt_format_gets_a_suggestion() -> None:
    with pytest.raises(PromptError, match='Did you mean "story"'):
        parse_canvas_size("storey")


COLOURS = [
    ("red", (255, 0, 0, 255)),
    ("Navy", (0, 0, 128, 255)),
    ("  rebeccapurple ", (102, 51, 153, 255)),
    ("Dark Blue", (0, 0, 139, 255)),
    ("#fff", (255, 255, 255, 255)),
    ("#F06", (255, 0, 102, 255)),
    ("#ff0066", (255, 0, 102, 255)),
    ("#ff006680", (255, 0, 102, 128)),
    ("#f068", (255, 0, 102, 136)),
    ("rgb(1, 2, 3)", (1, 2, 3, 255)),
    ("RGB(10,20,30)", (10, 20, 30, 255)),
    ("rgba(1, 2, 3, 0.5)", (1, 2, 3, 128)),
    ("rgb(100%, 0%, 50%)", (255, 0, 128, 255)),
    ("transparent", None),
]


@pytest.mark.parametrize(("text", "rgba"), COLOURS)
def test_colours(text: str, rgba: tuple[int, int, int, int] | None) -> None:
    assert parse_colour(text) == rgba


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("blu", '"blu" is not a colour I know. Did you mean "blue"?'),
        ("qqq", '"qqq" is not a colour I know. Use a CSS colour name (e.g. navy), #rrggbb or rgb(r, g, b).'),
        ("#ggg", '"#ggg" is not a colour code — use #rgb or #rrggbb, e.g. #ff0066.'),
        ("#12345", '"#12345" is not a colour code — use #rgb or #rrggbb, e.g. #ff0066.'),
        ("rgb(1, 2)", '"rgb(1, 2)" is not a colour — write rgb(r, g, b) with three numbers 0-255.'),
        ("rgb(256, 0, 0)", '"rgb(256, 0, 0)" is not a colour — each of r, g, b must be between 0 and 255.'),
        ("rgba(1, 2, 3, 2)", '"rgba(1, 2, 3, 2)" is not a colour — alpha must be between 0 and 1.'),
    ],
)
def test_bad_colours(text: str, message: str) -> None:
    with pytest.raises(PromptError) as caught:
        parse_colour(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("rgba", "words"),
    [
        ((255, 255, 255, 255), "white"),
        ((0, 255, 255, 255), "aqua"),
        ((255, 0, 102, 255), "#ff0066"),
        ((255, 0, 0, 128), "red at 50 % opacity"),
        (None, "transparent"),
    ],
)
def test_colour_names_for_explanations(rgba: tuple[int, int, int, int] | None, words: str) -> None:
    assert colour_name(rgba) == words

"""Hostile text: what a prompt could put in quotes never crashes the renderer nor leaves the text box."""

from __future__ import annotations

import pytest

from imagegen.prompt import parse
from imagegen.render import render_still
from imagegen.render.text import rasterise, text_box
from imagegen.scene import Anchor, Canvas, Layer, Scene, TextSpec

pytestmark = pytest.mark.adversarial

HOSTILE = {
    "only emoji": "🎉" * 200,
    "only spaces": " " * 200,
    "only joiners": "\u200d" * 200,
    "stacked accents": "a" + "\u0301\u0316\u0327" * 66,
    "empty lines": "\n" * 199 + "x",
    "controls": "a\x00b\x01c\x7f",
    "replacement chars": "\ufffd" * 120,
    "one long arabic word": "ب" * 200,
    "mixed directions": ("שלום abc 123 " * 20)[:200],
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE)
@pytest.mark.parametrize("canvas", [Canvas(16, 16), Canvas(640, 360)], ids=["16x16", "640x360"])
def test_hostile_text_renders_inside_its_box(text: str, canvas: Canvas) -> None:
    style = {"outline": (0, 0, 0, 255), "shadow": (0, 0, 0, 255), "banner": (255, 0, 0, 255), "radius_em": 1.0}
    layer = Layer("#text1", anchor=Anchor.BOTTOM_RIGHT, size=0.5, text=TextSpec(text, **style))  # type: ignore[arg-type]
    sprite = rasterise(layer, canvas).image
    box = text_box(layer, canvas)
    assert sprite.width <= box[0] and sprite.height <= box[1]
    assert render_still(Scene(layers=(layer,), canvas=canvas), {}).size == canvas.size


@pytest.mark.parametrize(
    "prompt",
    [
        '"\u202e@logo spin" over @BG',
        '"a" "b" "c" "d" over @BG',
        "'''' over @BG",
        '"Sale" "" \'\' “” over @BG',
        "headline:\n@BG",
        '"' + "x" * 200 + '" @BG',
    ],
)
def test_hostile_quoting_is_parsed_or_refused_with_a_message(prompt: str) -> None:
    from imagegen.errors import ImagegenError

    try:
        result = parse(prompt, ["BG", "logo"])
    except ImagegenError as exc:
        assert str(exc) and "internal" not in str(exc)
        return
    assert result.scene.layers

"""Parse-and-render fuzz of layout, frame and text words on a small canvas: every prompt either renders
or is refused with one of our errors whose words name no internal id.

This found three bugs: a margin that left nothing of a region and grid gaps wider than the canvas reached
the renderer as "empty region Region(left=…)", and a text placed "next to" a slide was named "@#text1".
"""

from __future__ import annotations

import random

import pytest
from helpers_logos import photo
from PIL import Image, ImageDraw

from imagegen.errors import ImagegenError
from imagegen.prompt import parse
from imagegen.render import prepare

pytestmark = pytest.mark.adversarial

PIECES = [
    '"Sale"', '"Summer Sale — 30 % off"', '"دبي"', '"दिवाली"', "@BG", "@logo", "@product",
    "on the left half", "on the right half", "top third", "left 40 %", "next to @logo", "under @product",
    "above @logo", "side by side", "grid of", "in a row", "with a red outline", "with a border in navy",
    "with a drop shadow", "soft shadow", "rounded corners", "as a circle", "remove the white background",
    "crop to the top", "fit", "uncropped", "40 px padding", "20 px gap", "100 px gap", "at the top right",
    "in the center", "as background", "fades in", "slides from left to right", "slideshow of", "then", ",",
    "and", "5 % margin", "on a white pill", "bold", "spins",
]  # fmt: skip


def _images() -> dict[str, Image.Image]:
    logo = Image.new("RGB", (80, 80), (255, 255, 255))
    ImageDraw.Draw(logo).ellipse((10, 10, 70, 70), fill=(200, 0, 0))
    return {"BG": photo(300, 200), "logo": logo, "product": Image.new("RGBA", (100, 60), (0, 200, 0, 255))}


@pytest.mark.parametrize("seed", range(4))
def test_layout_and_text_words_render_or_refuse_in_our_words(seed: int) -> None:
    rng, images = random.Random(seed), _images()
    rendered = 0
    for _ in range(150):
        prompt = "200x160, " + " ".join(rng.choice(PIECES) for _ in range(rng.randint(2, 9)))
        try:
            result = parse(prompt, list(images))
            plan = prepare(result.scene, images)
            for index, frame in enumerate(plan.frames()):
                assert frame.image.shape[:2] == (160, 200)
                if index >= 2:
                    break
        except ImagegenError as exc:
            assert "#text" not in str(exc) and "Region(" not in str(exc), (prompt, str(exc))
            continue
        for warning in result.warnings:
            assert "#text" not in warning.message, (prompt, warning.message)
        rendered += 1
    assert rendered >= 90, "most of these prompts name an image and must render"

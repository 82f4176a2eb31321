"""No false alarm: every example of the Prompt guide (the vocabulary's) and every prompt of the README
renders with no design line, except the few listed below, each a real problem the example shows
(checked here to be exactly the line expected, so a new alarm on any example fails this test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from imagegen.prompt import parse
from imagegen.prompt.vocabulary import VOCABULARY
from imagegen.render import prepare
from imagegen.render.design import IssueKind, check_design
from tests.design_images import example_images

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def readme_prompts() -> list[str]:
    """The prompts of the README: its prompt tables (`prompt` | result) and the layouts' captions."""
    tables = re.findall(r"^\| `([^`]*@[^`]+)` \|", README, flags=re.M)
    captions = re.findall(r"\| \*([^*|]*@[^*|]+)\* ", README)
    return tables + captions


PROMPTS = list(dict.fromkeys([entry.example for entry in VOCABULARY] + readme_prompts()))

#: The examples that do show a design problem: (kind, the layers named) per line they get.
EXPECTED: dict[str, list[tuple[IssueKind, str]]] = {
    # A timing example: both pictures are in the centre, so the product covers the logo once it pops in.
    "@logo fades in, @product pops in at 1 s for 0.5 seconds": [(IssueKind.OVERLAP, "@product covers 6")],
    # A timing example whose three pictures all sit in the centre (@BG is not said to be the background).
    "@logo fades in, then @product spins and @BG zooms in together": [
        (IssueKind.OVERLAP, "@BG covers 100% of @product"),
        (IssueKind.OVERLAP, "@product covers 5"),
        (IssueKind.OVERLAP, "@BG covers 100% of @logo"),
    ],
    # The README's story: the logo in the top-left corner sits under Instagram's account name.
    "Instagram story: @BG as backdrop, @product bounces at the bottom, @logo fades in at the top left over 3 seconds": [
        (IssueKind.SAFE_ZONE, "@logo is in the top 14%")
    ],
}


@pytest.fixture(scope="module")
def images() -> dict[str, Image.Image]:
    return example_images()


def test_the_examples_are_all_here() -> None:
    assert len(PROMPTS) > 150
    assert "Place @product in center, @logo on top right, and @BG as background" in PROMPTS
    assert any("LinkedIn banner" in prompt for prompt in PROMPTS)
    assert set(EXPECTED) <= set(PROMPTS)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_an_example_renders_with_no_design_line_unless_it_shows_one(prompt: str, images: dict) -> None:
    scene = parse(prompt, list(images)).scene
    found = [(issue.kind, issue.message) for issue in check_design(prepare(scene, images))]
    expected = EXPECTED.get(prompt, [])
    assert len(found) == len(expected), found
    for (kind, message), (want_kind, start) in zip(found, expected, strict=True):
        assert kind is want_kind and message.startswith(start), message

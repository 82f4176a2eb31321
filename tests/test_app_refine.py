"""AppTest: 'Change it' after a render, Undo, and 'Use prompt' restoring an edited output's Scene."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import new_app, png_bytes, session_of
from streamlit.testing.v1 import AppTest

from imagegen.scene import Anchor, Scene
from imagegen.store.assets import add_images
from imagegen.ui.compose import LAST_OUTPUT_KEY

PROMPT = "@BG as background, @logo small at the top right, 200x200"


def rendered(data_dir: Path, prompt: str = PROMPT) -> AppTest:
    at = new_app()
    session = session_of(at, data_dir)
    files = [("BG.png", png_bytes((160, 120), "skyblue")), ("logo.png", png_bytes((40, 40), "red", alpha=True))]
    assert not add_images(session, files).errors
    at.switch_page("pages/compose.py").run()
    at.text_area(key="compose_prompt").input(prompt).run()
    at.button(key="compose_go").click().run()
    assert not at.exception and len(session.manifest().outputs) == 1
    return at


def change(at: AppTest, text: str) -> AppTest:
    at.text_input(key="compose_change").input(text)
    at.button(key="compose_change_go").click().run()
    return at


def test_change_it_renders_the_edited_scene_and_undo_goes_back(data_dir: Path) -> None:
    at = rendered(data_dir)
    change(at, "make @logo bigger")
    assert not at.exception
    outputs = session_of(at, data_dir).manifest().outputs
    assert len(outputs) == 2
    first, second = outputs
    assert (second.edits, second.parent) == (("make @logo bigger",), first.id)
    assert at.session_state[LAST_OUTPUT_KEY] == second.id
    assert at.success[0].value == "Changed — @logo: small (20 %) -> medium (35 %)"
    assert at.text_input(key="compose_change").value == ""
    assert "“make @logo bigger”" in at.caption[-1].value or any("make @logo bigger" in c.value for c in at.caption)

    at.button(key="compose_undo").click().run()
    assert at.session_state[LAST_OUTPUT_KEY] == first.id
    assert at.info[-1].value == "Back to the previous version."


def test_a_change_that_cannot_apply_is_shown_and_adds_nothing(data_dir: Path) -> None:
    at = rendered(data_dir)
    change(at, "make the text bigger")
    assert "This composition has no text to change" in at.error[0].value
    assert len(session_of(at, data_dir).manifest().outputs) == 1


def test_use_prompt_on_an_edited_output_restores_its_scene(data_dir: Path) -> None:
    at = rendered(data_dir)
    change(at, "move @logo to the bottom left")
    session = session_of(at, data_dir)
    edited = session.manifest().outputs[-1]
    at.text_area(key="compose_prompt").input("@BG as background").run()  # the user moves on
    at.button(key=f"history_reuse_{edited.id}").click().run()
    assert at.text_area(key="compose_prompt").value == PROMPT
    assert any("move @logo to the bottom left" in c.value for c in at.caption)

    at.button(key="compose_go").click().run()
    again = session_of(at, data_dir).manifest().outputs[-1]
    assert again.edits == ("move @logo to the bottom left",)
    assert Scene.from_json(again.scene_json).layer("logo").anchor is Anchor.BOTTOM_LEFT


SLIDESHOW = "Slideshow of @BG and @logo, 1 second each, 120x120"


@pytest.mark.parametrize(
    ("instruction", "message"),
    [
        (
            "make @logo bigger",
            "@logo is a slide of the slideshow: a change can move, resize or remove the layers over it, not a "
            "slide. This composition holds a slideshow of @BG, @logo.",
        ),
        (
            "make @lgo bigger",
            "@lgo is not in this composition. Did you mean @logo? It holds a slideshow of @BG, @logo.",
        ),
    ],
    ids=["a-slide", "not-in-it"],
)
def test_a_change_on_a_slideshow_says_what_the_composition_holds(
    data_dir: Path, instruction: str, message: str
) -> None:
    """Issue 33: "make @logo bigger" on a slideshow answered "It holds ." — every message names its parts."""
    at = rendered(data_dir, SLIDESHOW)
    change(at, instruction)
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert len(session_of(at, data_dir).manifest().outputs) == 1

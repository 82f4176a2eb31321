"""AppTest: after a render the understanding box shows what the design checks saw; an overlap's fix is one
click that edits the output (like 'Change it'), and the line is gone from the new output."""

from __future__ import annotations

from pathlib import Path

from apptest_helpers import new_app, png_bytes, session_of

from imagegen.service.request import notices_from_json
from imagegen.store.assets import add_images
from imagegen.ui.compose import LAST_OUTPUT_KEY

PROMPT = '400x400, @BG as background, "Summer Sale -50%" at the bottom, @acme at the bottom left'


def test_an_overlap_is_shown_after_the_render_and_its_fix_moves_the_logo(data_dir: Path) -> None:
    at = new_app()
    session = session_of(at, data_dir)
    files = [("BG.png", png_bytes((400, 300), "navy")), ("acme.png", png_bytes((200, 100), "orange"))]
    assert not add_images(session, files).errors
    at.switch_page("pages/compose.py").run()
    at.text_area(key="compose_prompt").input(PROMPT).run()
    assert not any("covers" in w.value for w in at.warning)  # nothing is said before a render
    at.button(key="compose_go").click().run()
    assert not at.exception
    (first,) = session.manifest().outputs
    line, unreadable = notices_from_json(first.design)  # white letters over the orange logo: 2:1 as well
    assert "@acme" in line.message and "“Summer Sale -50%”" in line.message
    assert "is hard to read" in unreadable.message
    assert any(w.value == line.message for w in at.warning)
    assert any(m.value == "**Looking at the result**" for m in at.markdown)

    fix = next(b for b in at.button if b.label == "Fix: move @acme to the top left")
    fix.click().run()
    assert not at.exception
    first, second = session.manifest().outputs
    assert (second.edits, second.parent, second.prompt) == (("move @acme to the top left",), first.id, PROMPT)
    assert at.session_state[LAST_OUTPUT_KEY] == second.id
    assert second.design == ""  # moved: nothing overlaps, and the text is on the navy background
    assert not any(w.value == line.message for w in at.warning)
    assert at.success[0].value.startswith("Fixed — @acme: bottom-left -> top-left")

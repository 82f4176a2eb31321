"""AppTest: the Prompt guide is generated from the vocabulary table, every entry with its example."""

from __future__ import annotations

from pathlib import Path

from apptest_helpers import new_app

from imagegen.prompt.vocabulary import CATEGORIES, EDIT_VOCABULARY, VOCABULARY, entries
from imagegen.ui.guide import TITLES


def test_guide_lists_every_vocabulary_entry_under_its_category(data_dir: Path) -> None:
    at = new_app("pages/help.py")
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings == [TITLES.get(c, c.capitalize()) for c in CATEGORIES if entries(c)]
    text = "\n".join(m.value for m in at.markdown)
    for entry in (*VOCABULARY, *EDIT_VOCABULARY):
        assert f"**{entry.key}**" in text, entry.key
        assert entry.example.replace("|", "\\|") in text, entry.example
        assert f"`{entry.words[0]}`" in text, entry.words[0]

"""A page rerun that changes nothing writes nothing to the session (the session has one door)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import new_app, png_bytes, session_of

from imagegen.store import session as session_module
from imagegen.store.assets import add_images


@pytest.mark.parametrize("page", ["pages/compose.py", "pages/images.py", "pages/help.py"])
def test_a_rerun_that_changes_nothing_writes_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = new_app()
    session = session_of(at, data_dir)
    add_images(session, [("BG.png", png_bytes((160, 120), "skyblue")), ("logo.png", png_bytes((40, 40), "red"))])
    at.switch_page(page).run()
    writes: list[Path] = []
    real = session_module.write_atomic

    def counted(path: Path, data: bytes) -> None:
        writes.append(path)
        real(path, data)

    monkeypatch.setattr(session_module, "write_atomic", counted)
    at.run()
    at.run()
    assert not at.exception
    assert writes == []

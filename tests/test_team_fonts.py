"""Team fonts: a TTF/OTF uploaded on the Brand & templates page is kept in the library (SQLite and PostgreSQL)
and said by name in any prompt; what is not a font, a taken name, an unknown one are refused with nothing saved.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from apptest_helpers import new_app, session_of
from library_helpers import BRAND_FONT, sky
from PIL import Image
from sqlalchemy import create_engine, func, select, text

from imagegen import library
from imagegen.errors import FontFileError, TemplateError
from imagegen.library import db
from imagegen.library.fonts import delete_font, save_font, team_fonts
from imagegen.store.assets import add_images

LIBRARY = "pages/library.py"
COMPOSE = "pages/compose.py"
FONT = BRAND_FONT.read_bytes()  # Noto Sans Mono: a real font that is not the default text font


def _fonts_rows(url: str) -> int:
    with db.transaction(url) as conn:
        return conn.execute(select(func.count()).select_from(db.team_fonts)).scalar_one()


def test_a_font_is_saved_by_its_family_name_listed_and_deleted(db_url: str) -> None:
    saved = save_font(FONT, "NotoSansMono-Regular.ttf", url=db_url)
    assert (saved.name, saved.family) == ("Noto Sans Mono", "Noto Sans Mono")
    renamed = save_font(FONT, "brand.ttf", "  Team   Mono ", url=db_url)  # same file, a second name
    assert renamed.name == "Team Mono" and renamed.key == saved.key
    assert [(f.name, f.key) for f in team_fonts(db_url)] == [("Noto Sans Mono", saved.key), ("Team Mono", saved.key)]
    with db.transaction(db_url) as conn:  # the file is stored once
        assert conn.execute(select(func.count()).select_from(db.blobs)).scalar_one() == 1
    delete_font("team mono", db_url)
    assert [f.name for f in team_fonts(db_url)] == ["Noto Sans Mono"]


@pytest.mark.parametrize(
    ("data", "file", "name", "message"),
    [
        (
            b"<html>not a font</html>",
            "brand.ttf",
            "Acme",
            "'brand.ttf' is not a font — use a TrueType (.ttf) or OpenType (.otf) file, e.g. one of your brand's font "
            "files as your designer delivered it.",
        ),
        (
            FONT,
            "a.ttf",
            "Team Mono",
            "A team font named 'Team Mono' already exists — pick another name, or delete that one first.",
        ),
        (FONT, "a.ttf", "   ", None),  # an empty name is the family's
    ],
)
def test_what_cannot_be_saved_is_said_and_nothing_is_saved(
    db_url: str, data: bytes, file: str, name: str, message: str | None
) -> None:
    save_font(FONT, "a.ttf", "Team Mono", url=db_url)
    if message is None:
        assert save_font(data, file, name, url=db_url).name == "Noto Sans Mono"
        return
    with pytest.raises((FontFileError, TemplateError)) as caught:
        save_font(data, file, name, url=db_url)
    assert str(caught.value) == message
    assert _fonts_rows(db_url) == 1


def test_deleting_an_unknown_font_names_the_nearest(db_url: str) -> None:
    save_font(FONT, "a.ttf", "Team Mono", url=db_url)
    with pytest.raises(TemplateError) as caught:
        delete_font("Team Mnoo", db_url)
    assert str(caught.value) == "There is no team font 'Team Mnoo'. Did you mean 'Team Mono'?"


def test_a_version_1_library_is_upgraded_and_keeps_its_templates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    raw = create_engine(url)
    with raw.begin() as conn:  # a library written by the first release: version 1, no team fonts
        conn.execute(text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (0)"))
    with raw.begin() as conn:
        db.UPGRADES[0](conn)  # the first step alone: the tables version 1 had
        conn.execute(text("UPDATE schema_version SET version = 1"))
        conn.execute(
            text(
                "INSERT INTO templates (name, name_key, prompt, scene, slots, saved) VALUES ('Old', 'old', 'p', '{}', "
                "'{\"slots\": []}', 0)"
            )
        )
        assert "team_fonts" not in {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    raw.dispose()
    assert db.upgrade(db.engine_for(url)) == 2  # engine_for upgraded it: 1 -> 2
    assert [t.name for t in library.list_templates(url)] == ["Old"]
    assert save_font(FONT, "a.ttf", url=url).name == "Noto Sans Mono"
    db.forget_engines()


def _ink(image: Image.Image) -> np.ndarray:
    """Where the text is drawn: dark pixels of the bottom band."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    band = pixels[pixels.shape[0] * 2 // 3 :]
    return band.sum(axis=2) < 150


def test_a_font_uploaded_on_the_page_is_said_in_compose_and_drawn(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMAGEGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'library.sqlite3'}")
    page = new_app(LIBRARY)
    assert not page.exception
    page.get("file_uploader")[0].set_value(("AcmeMono.ttf", FONT, "font/ttf")).run()
    page.text_input(key="library_font_name").input("Team Mono").run()
    page.button(key="library_font_save").click().run()
    assert not page.exception
    assert [s.value for s in page.success][-1] == "Saved the font “Team Mono”: say *in Team Mono* in any prompt."
    assert "**Team Mono** (Noto Sans Mono)" in "\n".join(m.value for m in page.markdown)

    at = new_app()  # another browser, a new session: the team's font is there
    session = session_of(at, data_dir)
    add_images(session, [("BG.png", _png(sky()))])
    at.switch_page(COMPOSE).run()
    rendered = {}
    for words in ("", " in Team Mono"):
        at.text_area(key="compose_prompt").input(
            f'400x300, @BG as background, "Fresh daily"{words} in black at the bottom'
        ).run()
        lines = "\n".join(m.value for m in at.markdown)
        assert ("brand font Team Mono" in lines) is bool(words), lines
        at.button(key="compose_go").click().run()
        assert not at.exception
        output = session_of(at, data_dir).manifest().outputs[-1]
        rendered[words] = _ink(Image.open(session.outputs / output.file))
    default, team = rendered[""], rendered[" in Team Mono"]
    assert default.sum() > 500 and team.sum() > 500  # both drew the words ...
    assert (default != team).mean() > 0.01  # ... in different letters


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()

"""AppTest: the repository's brand kit in the app, and the Brand & templates page (save, open, fill, render)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from apptest_helpers import new_app, session_of
from library_helpers import BRAND_BLUE, make_kit, sky
from PIL import Image
from streamlit.testing.v1 import AppTest

from imagegen import library
from imagegen.store.assets import add_images
from imagegen.store.session import SessionStore
from imagegen.ui.templates import OPEN_KEY

COMPOSE = "pages/compose.py"
LIBRARY = "pages/library.py"
PROMPT = '400x300, @BG as background, @acme at the top right, "Summer Sale" in brand blue at the bottom'


@pytest.fixture
def kit(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = make_kit(tmp_path / "brand")
    monkeypatch.setenv("IMAGEGEN_BRAND_DIR", str(folder))
    monkeypatch.setenv("IMAGEGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'library.sqlite3'}")
    return folder


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_new_session_has_the_kit_images_and_understands_its_words(kit: Path, data_dir: Path) -> None:
    at = new_app()
    session = session_of(at, data_dir)
    assert [a.tag for a in session.manifest().assets] == ["acme"]
    add_images(session, [("BG.jpg", _png(sky()))])
    at.switch_page(COMPOSE).run()
    at.text_area(key="compose_prompt").input(PROMPT).run()
    text = "\n".join(m.value for m in at.markdown)
    assert '"Summer Sale" — bottom, brand blue (#0055A4), bold brand font Acme Mono' in text
    assert "@acme" in at.button_group(key="compose_chips").options


def _generate(at: AppTest) -> AppTest:
    return at.button(key="compose_go").click().run()


def test_save_as_template_then_open_it_in_a_new_session(kit: Path, data_dir: Path, tmp_path: Path) -> None:
    at = new_app()
    add_images(session_of(at, data_dir), [("BG.jpg", _png(sky()))])
    at.switch_page(COMPOSE).run()
    at.text_area(key="compose_prompt").input(PROMPT).run()
    _generate(at)
    assert not at.exception
    output = session_of(at, data_dir).manifest().outputs[-1]
    at.text_input(key=f"compose_template_name_{output.id}").input("Summer promo").run()
    at.button(key=f"compose_template_save_{output.id}").click().run()
    assert [s.value for s in at.success][-1] == "Saved “Summer promo” with slots {BG}, {acme}, {headline}."
    assert [t.name for t in library.list_templates()] == ["Summer promo"]

    other = new_app(LIBRARY)  # another browser: a new session
    assert session_of(other, data_dir).id != session_of(at, data_dir).id
    assert "Summer promo" in "\n".join(m.value for m in other.markdown)
    other.button(key="library_open_Summer promo").click().run()
    assert other.session_state[OPEN_KEY] == "Summer promo"
    slot = other.text_input(key="library_slot_Summer promo_headline")
    assert slot.value == "Summer Sale"  # pre-filled with the saved words
    slot.input("").run()
    other.button(key="library_render").click().run()
    assert [e.value for e in other.error] == [
        "The slot {headline} is empty — give it some words, or leave it out to keep the saved “Summer Sale”."
    ]
    other.text_input(key="library_slot_Summer promo_headline").input("Winter Sale").run()
    other.button(key="library_render").click().run()
    assert not other.exception
    session = SessionStore(data_dir).open(session_of(other, data_dir).id)
    made = session.manifest().outputs[-1]
    assert '"text": "Winter Sale"' in made.scene_json
    frame = np.asarray(Image.open(session.dir / "outputs" / made.file).convert("RGB")).astype(int)
    blue = (np.abs(frame - BRAND_BLUE).sum(axis=2) < 40).sum()
    assert blue > 200  # the headline, in brand blue


def test_the_library_page_without_a_kit_says_how_to_add_one(data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("IMAGEGEN_BRAND_DIR", raising=False)
    monkeypatch.setenv("IMAGEGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'library.sqlite3'}")
    at = new_app(LIBRARY)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any("No brand kit yet: add `brand/brand.toml`" in c for c in captions)
    assert [i.value for i in at.info] == ["No templates yet — render something in Compose, then *Save as template*."]


def test_a_passphrase_from_secrets_guards_saving(kit: Path, data_dir: Path) -> None:
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.secrets["library_passphrase"] = "sunflower"
    at.run()
    add_images(session_of(at, data_dir), [("BG.jpg", _png(sky()))])
    at.switch_page(COMPOSE).run()
    at.text_area(key="compose_prompt").input(PROMPT).run()
    _generate(at)
    output = session_of(at, data_dir).manifest().outputs[-1]
    names = [t.key for t in at.text_input]
    assert f"compose_template_name_{output.id}" not in names  # no saving before the passphrase
    at.text_input(key=f"compose_save_{output.id}_passphrase").input("tulip").run()
    assert "That is not the library's passphrase." in [e.value for e in at.error]
    at.text_input(key=f"compose_save_{output.id}_passphrase").input("sunflower").run()
    at.text_input(key=f"compose_template_name_{output.id}").input("Guarded").run()
    at.button(key=f"compose_template_save_{output.id}").click().run()
    assert [t.name for t in library.list_templates()] == ["Guarded"]


def test_the_batch_page_fills_a_saved_template(kit: Path, data_dir: Path) -> None:
    from imagegen.prompt import parse
    from imagegen.service.library import save_as_template

    files = {"BG": _png(sky()), "acme": (kit / "logo.png").read_bytes()}
    words = library.load_kit(kit).words()
    save_as_template("Summer promo", PROMPT, parse(PROMPT, list(files), brand=words).scene, files)
    at = new_app("pages/batch.py")
    at.get("file_uploader")[0].set_value(
        ("rows.csv", b"headline,name\nSpring Sale,spring\nAutumn Sale,autumn\n", "text/csv")
    )
    at.selectbox(key="batch_template").select("Summer promo").run()
    assert not at.exception
    assert not at.text_area  # the template replaces the prompt
    assert at.success[0].value == "All 2 rows are ready."
    at.button(key="batch_go").click().run()
    assert at.success[-1].value.startswith("2 of 2 rows rendered in ")
    with zipfile.ZipFile(session_of(at, data_dir).dir / "batch.zip") as archive:
        assert sorted(archive.namelist()) == ["autumn.png", "manifest.csv", "spring.png"]


def test_a_kit_saved_in_the_library_is_used_when_the_repository_has_none(
    kit: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imagegen.library.store import save_kit

    save_kit(library.load_kit(kit))
    monkeypatch.delenv("IMAGEGEN_BRAND_DIR")
    monkeypatch.setenv("IMAGEGEN_BRAND_KIT", "Acme")
    at = new_app(LIBRARY)
    assert not at.exception
    assert at.subheader[0].value == "Brand kit: Acme"
    assert [a.tag for a in session_of(at, data_dir).manifest().assets] == ["acme"]

"""The team library's storage, on SQLite and on a real PostgreSQL server (see tests/library_helpers.py)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from library_helpers import ROOT, logo_on_white, sky
from PIL import Image
from sqlalchemy import create_engine, func, select, text

from imagegen import library
from imagegen.errors import LibraryError, TemplateError
from imagegen.library import db
from imagegen.library import store as library_store
from imagegen.prompt import parse
from imagegen.service.library import fill_template, save_as_template

PROMPT = '@BG as background, @logo at the top right, "Summer Sale" at the bottom, "Only this week" at the top'


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


FILES = {"BG": png(sky()), "logo": png(logo_on_white())}
SCENE = parse(PROMPT, ["BG", "logo"]).scene


def blob_count(url: str) -> int:
    with db.transaction(url) as conn:
        return conn.execute(select(func.count()).select_from(db.blobs)).scalar_one()


def test_a_new_database_gets_the_schema_and_its_version(db_url: str) -> None:
    engine = db.engine_for(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(db.schema_version.c.version)).scalars().all() == [db.SCHEMA_VERSION]
    assert db.upgrade(engine) == db.SCHEMA_VERSION  # a second look changes nothing


def test_an_older_database_is_upgraded_and_a_newer_one_refused(db_url: str) -> None:
    raw = create_engine(db_url)
    with raw.begin() as conn:  # version 0: an empty database that has only the version table
        conn.execute(text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (0)"))
    assert db.upgrade(db.engine_for(db_url)) == db.SCHEMA_VERSION  # engine_for already upgraded: now 2
    assert library.list_templates(db_url) == []
    db.forget_engines()
    with raw.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = 99"))
    raw.dispose()
    with pytest.raises(LibraryError) as caught:
        db.engine_for(db_url)
    assert str(caught.value) == (
        f"The library database {db.describe(db_url)} has schema version 99, newer than this imagegen's 2 — "
        "update imagegen (pip install -r requirements.txt)."
    )


def test_a_template_is_saved_listed_loaded_renamed_and_deleted(db_url: str) -> None:
    info = save_as_template("Summer promo", PROMPT, SCENE, FILES, url=db_url)
    assert [(s.label, s.kind.value, s.saved) for s in info.slots] == [
        ("{BG}", "image", db.blob_sha(FILES["BG"])),
        ("{logo}", "image", db.blob_sha(FILES["logo"])),
        ("{headline}", "text", "Summer Sale"),
        ("{text2}", "text", "Only this week"),
    ]
    listed = library.list_templates(db_url)
    assert [t.name for t in listed] == ["Summer promo"]
    thumb = Image.open(io.BytesIO(library_store.blob(listed[0].thumbnail or "", db_url) or b""))
    assert (thumb.format, thumb.size) == ("WEBP", (320, 320))
    loaded = library.load_template("summer PROMO", db_url)
    assert (loaded.name, loaded.prompt, loaded.scene, loaded.images) == ("Summer promo", PROMPT, SCENE, FILES)
    assert library.rename_template("Summer promo", "Summer promo 2026", db_url) == "Summer promo 2026"
    assert [t.name for t in library.list_templates(db_url)] == ["Summer promo 2026"]
    library.delete_template("summer promo 2026", db_url)
    assert library.list_templates(db_url) == []


def test_images_are_stored_once_by_content(db_url: str) -> None:
    save_as_template("One", PROMPT, SCENE, FILES, url=db_url)
    before = blob_count(db_url)
    other = parse('@BG as background, @logo in the center, "Other words"', ["BG", "logo"]).scene
    save_as_template("Two", PROMPT, other, FILES, url=db_url)
    assert blob_count(db_url) == before + 1  # only the new thumbnail; both images were already there


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda url: save_as_template("SUMMER promo", PROMPT, SCENE, FILES, url=url),
            "A template named 'Summer promo' already exists — pick another name, or delete or rename that one first.",
        ),
        (
            lambda url: library.rename_template("Summer promo", "  ", url),
            "A template needs a name — e.g. 'Summer promo'.",
        ),
        (
            lambda url: library.load_template("Sumer promo", url),
            "There is no template 'Sumer promo'. Did you mean 'Summer promo'? Templates: 'Summer promo'.",
        ),
        (
            lambda url: library.delete_template("Autumn", url),
            "There is no template 'Autumn'. Templates: 'Summer promo'.",
        ),
        (
            lambda url: save_as_template("No logo", PROMPT, SCENE, {"BG": FILES["BG"]}, url=url),
            "Cannot save 'No logo': no file for @logo — every image it draws is saved with it.",
        ),
        (
            lambda url: fill_template("Summer promo", texts={"headline": "  "}, url=url),
            "The slot {headline} is empty — give it some words, or leave it out to keep the saved “Summer Sale”.",
        ),
        (
            lambda url: fill_template("Summer promo", texts={"headlin": "Hi"}, url=url),
            "The template 'Summer promo' has no slot {headlin}. Did you mean {headline}? "
            "Its slots: {BG}, {logo}, {headline}, {text2}.",
        ),
        (
            lambda url: fill_template("Summer promo", texts={"logo": "Hi"}, url=url),
            "{logo} is an image slot — give it a picture (an image file), not words.",
        ),
        (
            lambda url: fill_template("Summer promo", images={"headline": FILES["BG"]}, url=url),
            "{headline} is a text slot — give it words (its saved text is “Summer Sale”), not a file.",
        ),
    ],
)
def test_refusals_say_what_would_work_and_save_nothing(db_url: str, call: object, message: str) -> None:
    save_as_template("Summer promo", PROMPT, SCENE, FILES, url=db_url)
    blobs = blob_count(db_url)
    with pytest.raises(TemplateError) as caught:
        call(db_url)  # type: ignore[operator]
    assert str(caught.value) == message
    assert [t.name for t in library.list_templates(db_url)] == ["Summer promo"]
    assert blob_count(db_url) == blobs


def test_a_save_that_fails_half_way_leaves_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise LibraryError("the disk filled up")  # after the images went in, before the row

    monkeypatch.setattr(library_store, "slots_of", broken)
    with pytest.raises(LibraryError, match="the disk filled up"):
        save_as_template("Half", PROMPT, SCENE, FILES, url=db_url)
    assert (library.list_templates(db_url), blob_count(db_url)) == ([], 0)


def _at_once(count: int, work: object) -> list[object]:
    """Run ``work(i)`` in ``count`` threads released together; each result or the error it raised."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)  # type: ignore[operator]
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_sessions_saving_at_the_same_moment_lose_nothing(db_url: str) -> None:
    results = _at_once(8, lambda i: save_as_template(f"Variant {i}", PROMPT, SCENE, FILES, url=db_url).name)
    assert sorted(results) == sorted(f"Variant {i}" for i in range(8))  # type: ignore[type-var]
    assert sorted(t.name for t in library.list_templates(db_url)) == sorted(f"Variant {i}" for i in range(8))


def test_the_same_name_saved_at_the_same_moment_lands_once(db_url: str) -> None:
    results = _at_once(6, lambda i: save_as_template("Launch", PROMPT, SCENE, FILES, url=db_url).name)
    assert results.count("Launch") == 1
    clashes = [str(r) for r in results if isinstance(r, TemplateError)]
    assert (
        clashes
        == ["A template named 'Launch' already exists — pick another name, or delete or rename that one first."] * 5
    )
    assert [t.name for t in library.list_templates(db_url)] == ["Launch"]


_SAVER = """
import io, sys
from PIL import Image
from imagegen.prompt import parse
from imagegen.library import save_template
url, who = sys.argv[1], sys.argv[2]
image = io.BytesIO(); Image.linear_gradient("L").resize((64, 48)).save(image, "PNG")
scene = parse('@BG as background, "Sale" at the top', ["BG"]).scene
for n in range(3):
    save_template(f"{who}-{n}", "@BG", scene, {"BG": image.getvalue()}, url=url)
"""


def test_processes_saving_at_once_lose_nothing(db_url: str) -> None:
    db.engine_for(db_url)  # the schema exists before they start, as in a running app
    savers = [
        subprocess.Popen([sys.executable, "-c", _SAVER, db_url, f"p{i}"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for i in range(4)
    ]
    for saver in savers:
        assert saver.wait(timeout=120) == 0, saver.stderr.read() if saver.stderr else ""
    names = sorted(t.name for t in library.list_templates(db_url))
    assert names == sorted(f"p{i}-{n}" for i in range(4) for n in range(3))


def test_a_template_renders_with_its_slots_filled(db_url: str, tmp_path: Path) -> None:
    save_as_template("Summer promo", PROMPT, SCENE, FILES, url=db_url)
    filled = fill_template("Summer promo", texts={"headline": "Winter Sale"}, url=db_url)
    texts = [layer.text.text for layer in filled.request.scene.layers if layer.text]  # type: ignore[union-attr]
    assert texts == ["Winter Sale", "Only this week"]
    new_logo = png(logo_on_white((120, 120)))
    filled = fill_template("Summer promo", images={"logo": new_logo}, url=db_url)
    assert filled.images["logo"].size == (120, 120)
    assert filled.images["BG"].size == (320, 200)  # kept from the template


def test_the_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(db.ENV_URL, raising=False)
    assert db.default_url() == f"sqlite:///{tmp_path / 'data' / 'library' / 'library.sqlite3'}"
    monkeypatch.setenv(db.ENV_URL, "postgresql://team:secret@db.example/imagegen")
    assert db.default_url() == "postgresql://team:secret@db.example/imagegen"
    assert db.describe(db.default_url()) == "postgresql://team:***@db.example/imagegen"


def test_a_url_that_is_no_database_is_refused() -> None:
    with pytest.raises(LibraryError) as caught:
        db.engine_for("not a url")
    assert str(caught.value) == (
        "'not a url' is not a database URL — use e.g. sqlite:///library.sqlite3 or "
        "postgresql+psycopg://user:password@host/dbname."
    )


def test_the_slots_are_stored_as_json(db_url: str) -> None:
    save_as_template("Summer promo", PROMPT, SCENE, FILES, url=db_url)
    with db.transaction(db_url) as conn:
        document = json.loads(conn.execute(select(db.templates.c.slots)).scalar_one())
    assert [s["name"] for s in document["slots"]] == ["BG", "logo", "headline", "text2"]


def test_opening_a_template_in_a_session_says_which_image_it_replaced(db_url: str, store: object) -> None:
    from imagegen.service.library import open_in_session
    from imagegen.store.assets import add_images

    save_as_template("Summer promo", PROMPT, SCENE, FILES, url=db_url)
    template = library.load_template("Summer promo", db_url)
    session = store.create()  # type: ignore[attr-defined]
    add_images(session, [("BG.png", png(logo_on_white((90, 90)))), ("logo.png", FILES["logo"])])
    request, replaced = open_in_session(session, template, texts={"headline": "Hello"})
    assert replaced == ("BG",)  # @logo was the same picture: kept
    tags = {a.tag: a.sha256 for a in session.manifest().assets}
    assert tags == {"logo": db.blob_sha(FILES["logo"]), "BG": db.blob_sha(FILES["BG"])}
    assert request.scene is not None
    assert [layer.text.text for layer in request.scene.layers if layer.text] == ["Hello", "Only this week"]


def test_a_server_that_does_not_answer_is_said_without_the_password() -> None:
    with pytest.raises(LibraryError) as caught:
        db.engine_for("postgresql://team:s3cret@127.0.0.1:1/imagegen")
    message = str(caught.value)
    assert message.startswith(
        "The library database postgresql+psycopg://team:***@127.0.0.1:1/imagegen cannot be opened: "
    )
    assert "s3cret" not in message and "\n" not in message

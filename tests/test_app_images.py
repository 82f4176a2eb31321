"""AppTest: the Images & tags page, the sidebar and the session lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import new_app, png_bytes, session_id, session_of, upload
from fixtures_images import animated_gif
from streamlit.testing.v1 import AppTest

from imagegen.store.assets import set_tag
from imagegen.store.session import SessionStore
from imagegen.ui.library import typed_tag


def sidebar_summary(at: AppTest) -> str:
    """The sidebar's summary line, read on a fresh run of the same session.

    AppTest drops sidebar elements on reruns of an ``st.navigation`` app, so read them on a first run.
    """
    return new_app(query={"s": session_id(at)}).sidebar.markdown[0].value


def test_first_visit_creates_a_session_and_shows_what_to_do(data_dir: Path) -> None:
    at = new_app()
    assert not at.exception
    assert len(session_id(at)) == 32
    assert (data_dir / session_id(at) / "manifest.json").is_file()
    assert "No images yet" in at.info[0].value
    assert "**0** images" in sidebar_summary(at)


def test_upload_keeps_good_files_and_names_the_bad_one(data_dir: Path) -> None:
    at = upload(
        new_app(),
        ("Logo Final (2).png", png_bytes((40, 40), "red", alpha=True)),
        ("broken.png", b"definitely not an image"),
        ("bg.png", png_bytes((120, 80), "blue")),
    )
    assert not at.exception
    assert [s.value for s in at.success] == ["Added 2 images: @Logo_Final_2, @bg"]
    assert [e.value for e in at.error] == [
        "broken.png: this is not an image we can read — use PNG, JPEG, WebP, GIF or BMP."
    ]
    manifest = session_of(at, data_dir).manifest()
    assert [(a.tag, a.original_name, a.width, a.height) for a in manifest.assets] == [
        ("Logo_Final_2", "Logo Final (2).png", 40, 40),
        ("bg", "bg.png", 120, 80),
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "Logo Final (2).png" in captions and "120×80 px" in captions
    assert "**2** images" in sidebar_summary(at)


def test_a_failed_upload_changes_nothing_already_held(data_dir: Path) -> None:
    at = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")))
    manifest_path = data_dir / session_id(at) / "manifest.json"
    before = [(a.id, a.tag) for a in session_of(at, data_dir).manifest().assets]
    upload(at, ("empty.png", b""))
    assert [e.value for e in at.error] == ["empty.png: the file is empty — choose a PNG, JPEG, WebP, GIF or BMP image."]
    assert [(a.id, a.tag) for a in session_of(at, data_dir).manifest().assets] == before
    assert manifest_path.is_file()


def test_remove_button_deletes_the_image_and_its_files(data_dir: Path) -> None:
    at = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")), ("logo.png", png_bytes((20, 20), "red")))
    session = session_of(at, data_dir)
    logo = session.manifest().assets[1]
    remove = next(b for b in at.button if b.key == f"images_remove_{logo.id}")
    remove.click().run()
    assert [a.tag for a in session.manifest().assets] == ["bg"]
    assert not (session.uploads / logo.file).exists()
    assert "Removed logo.png (@logo)." in [i.value for i in at.info]


def test_batch_table_shows_every_image_with_its_tag(data_dir: Path) -> None:
    at = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")), ("logo.png", png_bytes((20, 20), "red")))
    table = at.dataframe[0].value
    assert list(table["tag"]) == ["bg", "logo"]
    assert list(table["file"]) == ["bg.png", "logo.png"]
    assert all(str(uri).startswith("data:image/png;base64,") for uri in table["image"])


def test_refresh_with_the_session_link_reattaches(data_dir: Path) -> None:
    first = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")))
    again = new_app(query={"s": session_id(first)})
    assert session_id(again) == session_id(first)
    assert "**1** image ·" in again.sidebar.markdown[0].value
    assert not again.info or "expired" not in again.info[0].value


def test_unknown_or_malformed_session_link_starts_fresh_with_a_notice(data_dir: Path) -> None:
    for bad in ("0" * 32, "../../etc/passwd"):
        at = new_app(query={"s": bad})
        assert session_id(at) != bad and len(session_id(at)) == 32
        notices = [i.value for i in at.info]
        assert any(n.endswith("A new session was started.") for n in notices), notices


def test_expired_session_link_starts_fresh(data_dir: Path) -> None:
    first = new_app()
    old = session_id(first)
    SessionStore(data_dir).sweep(now=10**11)
    at = new_app(query={"s": old})
    assert session_id(at) != old
    assert not (data_dir / old).exists()


def test_new_session_asks_before_deleting(data_dir: Path) -> None:
    # Clicking sidebar widgets after a first run is not delivered by AppTest for st.navigation apps; the
    # confirm-and-delete click is covered by the browser test (tests/e2e).
    old = session_id(upload(new_app(), ("bg.png", png_bytes((50, 50), "blue"))))
    at = new_app(query={"s": old}, state={"sidebar_confirm_reset": True})
    assert at.sidebar.warning[0].value == "Delete all images and outputs of this session and start again?"
    assert [b.label for b in at.sidebar.button] == ["Yes, start over", "Cancel"]
    assert (data_dir / old / "manifest.json").is_file()


def test_tags_changed_in_the_engine_show_on_the_cards(data_dir: Path) -> None:
    at = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")))
    session = session_of(at, data_dir)
    set_tag(session, session.manifest().assets[0].id, "Backdrop")
    at.run()
    assert list(at.dataframe[0].value["tag"]) == ["Backdrop"]


def test_a_cards_tag_editor_mounts_only_when_the_user_opens_it(data_dir: Path) -> None:
    # streamlit-tags re-sends its value whenever its iframe loads, rerunning this page on its own and
    # replacing the user's next click: the cards show a button until the user asks to edit a tag.
    at = upload(new_app(), ("bg.png", png_bytes((50, 50), "blue")), ("logo.png", png_bytes((20, 20), "red")))
    bg, logo = session_of(at, data_dir).manifest().assets
    assert [(b.key, b.label) for b in at.button if b.key.startswith("images_tag_")] == [
        (f"images_tag_open_{bg.id}", "@bg"),
        (f"images_tag_open_{logo.id}", "@logo"),
    ]
    assert not at.get("component_instance")

    at.button(key=f"images_tag_open_{logo.id}").click().run()
    assert len(at.get("component_instance")) == 1  # the logo's editor, and only it
    assert [b.key for b in at.button if b.key.startswith("images_tag_")] == [
        f"images_tag_open_{bg.id}",
        f"images_tag_close_{logo.id}",
    ]
    at.button(key=f"images_tag_close_{logo.id}").click().run()
    assert not at.get("component_instance")
    assert at.button(key=f"images_tag_open_{logo.id}").label == "@logo"


def test_the_same_file_uploaded_again_is_named_not_added(data_dir: Path) -> None:
    logo = png_bytes((40, 40), "red", alpha=True)
    at = upload(new_app(), ("logo.png", logo))
    upload(at, ("logo (1).png", logo), ("bg.png", png_bytes((60, 40), "blue")))
    assert not at.exception
    assert [s.value for s in at.success] == ["Added 1 image: @bg"]
    assert [i.value for i in at.info] == ["logo (1).png is already uploaded as @logo; it was not added again."]
    assert [a.tag for a in session_of(at, data_dir).manifest().assets] == ["logo", "bg"]


def test_an_animated_gif_upload_says_its_first_frame_is_used(data_dir: Path) -> None:
    at = upload(new_app(), ("spinner.gif", animated_gif(6, size=(16, 16))))
    assert not at.exception
    assert [i.value for i in at.info] == ["spinner.gif (@spinner) is an animated GIF: only its first frame is used."]
    assert "first frame of an animation" in " ".join(c.value for c in at.caption)


def test_the_sidebar_says_the_link_gives_access_to_the_session(data_dir: Path) -> None:
    captions = " ".join(c.value for c in new_app().sidebar.caption)
    assert "Anyone who has this page's link" in captions and "can see, download and change" in captions


@pytest.mark.parametrize(
    ("chips", "expected"),
    [
        (["logo"], None),  # just opened: nothing to do
        (["logo", "brand"], "brand"),  # typed beside the old chip: the new tag
        (["brand"], "brand"),  # the old chip removed first
        (["logo", "9lives", "brand"], "brand"),  # a refused one, then another: the latest
        (["9lives"], "9lives"),  # refused again by the engine, with its message
    ],
    ids=["opened", "beside-the-old-chip", "old-removed", "after-a-refused-one", "only-a-bad-one"],
)
def test_the_tag_editor_takes_the_latest_chip_that_is_not_the_current_tag(
    chips: list[str], expected: str | None
) -> None:
    assert typed_tag(chips, "logo") == expected

"""AppTest: the Images page offers to remove a plain background, applies it under the same tag, undoes it."""

from __future__ import annotations

from pathlib import Path

from apptest_helpers import new_app, png_bytes, session_of, upload
from fixtures_images import encode
from helpers_logos import known_logo, letter_a
from PIL import Image

OFFER = "This logo has a white background — remove it?"


def test_a_logo_on_white_is_offered_cleaned_and_restored(data_dir: Path) -> None:
    at = upload(new_app(), ("logo.png", encode(known_logo(120).image)), ("bg.png", png_bytes((120, 80), "blue")))
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert captions.count(OFFER) == 1, "offered for the logo only, not for the plain blue picture"
    at.button(key=next(b.key for b in at.button if b.key.startswith("images_knockout_"))).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["@logo: white background removed — now transparent."]
    session = session_of(at, data_dir)
    logo = next(a for a in session.manifest().assets if a.tag == "logo")
    assert logo.has_alpha and logo.original_file is not None
    with Image.open(session.uploads / logo.file) as stored:
        assert stored.mode == "RGBA" and stored.getpixel((0, 0))[3] == 0
    removed = "Background removed — the checkerboard shows what is transparent now."
    assert OFFER not in [c.value for c in at.caption] and removed in [c.value for c in at.caption]
    at.button(key=f"images_restore_{logo.id}").click().run()
    assert [s.value for s in at.success] == ["@logo: the original image is back."]
    assert [c.value for c in at.caption].count(OFFER) == 1


def _logo(at, data_dir: Path):  # type: ignore[no-untyped-def]
    return next(a for a in session_of(at, data_dir).manifest().assets if a.tag == "brand")


def _counter_alpha(at, data_dir: Path) -> int:  # type: ignore[no-untyped-def]
    session = session_of(at, data_dir)
    with Image.open(session.uploads / _logo(at, data_dir).file) as stored:
        return stored.convert("RGBA").getpixel((100, 112))[3]


def test_the_white_inside_a_letter_is_offered_with_the_knock_out(data_dir: Path) -> None:
    at = upload(new_app(), ("brand.png", encode(letter_a(200).image)))
    logo = _logo(at, data_dir)
    box = at.checkbox(key=f"images_inside_{logo.id}")
    assert box.label == "Also remove white inside the shapes" and not box.value
    assert box.help.startswith("1,2") and "enclosed by the mark (like the triangle inside an A)" in box.help
    box.check().run()
    at.button(key=f"images_knockout_{logo.id}").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "@brand: white background removed, white inside the shapes too — now transparent."
    ]
    assert _counter_alpha(at, data_dir) == 0
    assert not [b for b in at.button if b.key.startswith("images_knockout_inside_")], "nothing left to offer"


def test_kept_white_inside_can_go_in_one_click_after_the_knock_out(data_dir: Path) -> None:
    at = upload(new_app(), ("brand.png", encode(letter_a(200).image)))
    at.button(key=f"images_knockout_{_logo(at, data_dir).id}").click().run()
    assert [s.value for s in at.success] == ["@brand: white background removed — now transparent."]
    assert _counter_alpha(at, data_dir) == 255
    logo = _logo(at, data_dir)
    at.button(key=f"images_knockout_inside_{logo.id}").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["@brand: white inside the shapes removed too."]
    assert _counter_alpha(at, data_dir) == 0
    at.button(key=f"images_restore_{logo.id}").click().run()
    assert _counter_alpha(at, data_dir) == 255 and _logo(at, data_dir).original_file is None


def test_no_inside_offer_for_a_mark_that_encloses_nothing(data_dir: Path) -> None:
    disc = Image.new("RGB", (120, 120), "white")
    disc.paste((200, 30, 40), (20, 20, 100, 100))
    at = upload(new_app(), ("brand.png", encode(disc)))
    assert [c.value for c in at.caption].count(OFFER) == 1
    assert not at.checkbox, "nothing enclosed: no checkbox"

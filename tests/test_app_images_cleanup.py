"""AppTest: the Images page offers to remove a plain background, applies it under the same tag, undoes it."""

from __future__ import annotations

from pathlib import Path

from apptest_helpers import new_app, png_bytes, session_of, upload
from fixtures_images import encode
from helpers_logos import known_logo
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
    assert OFFER not in [c.value for c in at.caption] and "Background removed." in [c.value for c in at.caption]
    at.button(key=f"images_restore_{logo.id}").click().run()
    assert [s.value for s in at.success] == ["@logo: the original image is back."]
    assert [c.value for c in at.caption].count(OFFER) == 1

"""The Images page's knock-out offer, in the store: detected at upload, applied in place, undone."""

from __future__ import annotations

import os

import numpy as np
import pytest
from fixtures_images import encode
from helpers_logos import known_logo, letter_a, photo
from PIL import Image

from imagegen.errors import SessionError
from imagegen.render import render_still
from imagegen.scene import Canvas, Layer, Scene
from imagegen.store.assets import add_image, remove_background, remove_image, restore_original, tag_map
from imagegen.store.session import Session, SessionStore


@pytest.fixture
def session(store: SessionStore) -> Session:
    return store.create()


def _pixels(session: Session, tag: str) -> np.ndarray:
    with Image.open(tag_map(session)[tag]) as image:
        return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(encode(known_logo(120).image), (255, 255, 255), id="png-logo-on-white"),
        pytest.param(encode(known_logo(120).image, "JPEG", quality=85), (255, 255, 255), id="jpeg-logo-on-white"),
        pytest.param(encode(photo()), None, id="photo"),
        pytest.param(encode(Image.new("RGBA", (40, 40), (255, 255, 255, 0))), None, id="transparent"),
    ],
)
def test_upload_notes_a_plain_background(session: Session, data: bytes, expected: tuple[int, int, int] | None) -> None:
    asset = add_image(session, "logo.png", data)
    got = asset.plain_background
    assert (got is None) is (expected is None), got
    if expected is not None and got is not None:
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 3
    assert session.manifest().asset(asset.id).plain_background == got, "survives the manifest round trip"


def test_remove_background_keeps_the_tag_and_can_be_undone(session: Session) -> None:
    asset = add_image(session, "logo.png", encode(known_logo(120).image))
    before = set(os.listdir(session.uploads))
    cleaned = remove_background(session, asset.id)
    assert cleaned.tag == "logo" and cleaned.has_alpha and cleaned.plain_background is None
    assert cleaned.original_file == asset.file
    arr = _pixels(session, "logo")
    assert arr[0, 0, 3] == 0 and tuple(arr[40, 40]) == (200, 30, 40, 255) and tuple(arr[60, 54]) == (255, 255, 255, 255)
    # The renderer sees the cleaned pixels under the same tag: the canvas shows through the corners.
    still = render_still(
        Scene((Layer("logo", size=1.0, margin=0, trim=False),), Canvas(120, 120, (0, 0, 0, 255))), tag_map(session)
    )
    assert still.getpixel((1, 1)) == (0, 0, 0, 255)
    with pytest.raises(SessionError, match="no plain background to remove"):
        remove_background(session, asset.id)
    restored = restore_original(session, asset.id)
    assert restored.file == asset.file and restored.original_file is None and not restored.has_alpha
    assert restored.plain_background == (255, 255, 255)
    assert _pixels(session, "logo")[0, 0, 3] == 255
    assert set(os.listdir(session.uploads)) - before == {restored.thumb}, "no cleaned copy left behind"
    assert len(os.listdir(session.uploads)) == 2


def test_removing_a_cleaned_image_removes_the_original_too(session: Session) -> None:
    asset = add_image(session, "logo.png", encode(known_logo(60).image))
    remove_background(session, asset.id)
    remove_image(session, asset.id)
    assert os.listdir(session.uploads) == []


def test_a_photo_is_never_offered_and_refuses_plainly(session: Session) -> None:
    asset = add_image(session, "beach.png", encode(photo()))
    with pytest.raises(SessionError, match=r"@beach has no plain background to remove; nothing was changed\."):
        remove_background(session, asset.id)
    with pytest.raises(SessionError, match="already the image as uploaded"):
        restore_original(session, asset.id)


def test_remove_background_inside_too_clears_the_counter_of_an_a_and_restores(session: Session) -> None:
    asset = add_image(session, "brand.png", encode(letter_a(200).image))
    kept = remove_background(session, asset.id)
    assert _pixels(session, "brand")[112, 100, 3] == 255, "by default the white inside the letter stays"
    restore_original(session, kept.id)
    remove_background(session, asset.id, inside=True)
    arr = _pixels(session, "brand")
    assert arr[112, 100, 3] == 0 and arr[190, 100, 3] == 0 and arr[150, 55, 3] == 255
    restored = restore_original(session, asset.id)
    assert restored.plain_background == (255, 255, 255) and _pixels(session, "brand")[112, 100, 3] == 255

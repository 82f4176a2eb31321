"""Uploads into a session: each file on its own, stored under generated names, auto-tagged; tag edits."""

from __future__ import annotations

import errno
import json
import os
import re
import tracemalloc
from pathlib import Path

import pytest
from fixtures_images import (
    BLUE,
    RED,
    animated_gif,
    corner_image,
    encode,
    mode_uploads,
    png_bomb,
    solid_png,
    with_orientation,
)
from PIL import Image
from session_helpers import Clock, make_store, run_in_threads, snapshot

from imagegen.errors import SessionError, TagError, UploadError
from imagegen.store import session as session_module
from imagegen.store.assets import add_image, add_images, remove_image, set_tag, set_tags, tag_map, tags
from imagegen.store.session import MANIFEST, Session, SessionStore

STORED_NAME = re.compile(r"[0-9a-f]{16}\.png")


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return make_store(tmp_path / "data", Clock())


@pytest.fixture
def session(store: SessionStore) -> Session:
    return store.create()


def _manifest(session: Session) -> dict[str, object]:
    return json.loads((session.dir / MANIFEST).read_text())


def _upload_files(session: Session) -> list[str]:
    return sorted(os.listdir(session.uploads))


def test_a_bad_file_among_good_ones(session: Session) -> None:
    result = add_images(
        session, [("one.png", solid_png()), ("broken.png", b"not an image"), ("two.png", solid_png(color=BLUE))]
    )
    assert [a.original_name for a in result.added] == ["one.png", "two.png"]
    assert [str(e) for e in result.errors] == [
        "broken.png: this is not an image we can read — use PNG, JPEG, WebP, GIF or BMP."
    ]
    manifest = _manifest(session)
    assert [a["tag"] for a in manifest["assets"]] == ["one", "two"]  # type: ignore[index]
    expected = sorted(n for a in result.added for n in (a.file, a.thumb))
    assert _upload_files(session) == expected


def test_stored_files_hold_the_normalised_pixels(session: Session) -> None:
    asset = add_image(session, "phone.png", with_orientation(corner_image((60, 30)), 6))
    assert STORED_NAME.fullmatch(asset.file)
    assert asset.thumb == asset.file.replace(".png", ".thumb.png")
    with Image.open(session.uploads / asset.file) as stored:
        assert stored.size == (30, 60) == (asset.width, asset.height)
        assert stored.mode == "RGB"  # opaque: no alpha channel kept
        assert stored.getpixel((29, 0)) == RED
        assert stored.getpixel((0, 0)) == BLUE


def test_alpha_is_kept_and_recorded(session: Session) -> None:
    data, _ = mode_uploads()["LA"]
    asset = add_image(session, "shadow.png", data)
    assert asset.has_alpha is True
    with Image.open(session.uploads / asset.file) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((0, 0)) == (128, 128, 128, 64)
    assert _manifest(session)["assets"][0]["has_alpha"] is True  # type: ignore[index]


@pytest.mark.parametrize("mode", list(mode_uploads()))
def test_every_mode_can_be_uploaded(session: Session, mode: str) -> None:
    data, expected = mode_uploads()[mode]
    asset = add_image(session, f"{mode}.img", data)
    with Image.open(session.uploads / asset.file) as stored:
        pixel = stored.convert("RGBA").getpixel((0, 0))
    tolerance = 3 if mode == "CMYK" else 0
    assert max(abs(a - b) for a, b in zip(pixel, expected, strict=True)) <= tolerance
    assert asset.has_alpha is (expected[3] < 255)


def test_path_like_names_are_shown_plainly_and_stored_under_generated_names(session: Session, tmp_path: Path) -> None:
    asset = add_image(session, "../../x.png", solid_png())
    assert asset.original_name == "x.png"
    assert asset.tag == "x"
    assert STORED_NAME.fullmatch(asset.file)
    assert (session.uploads / asset.file).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing escaped the store


def test_duplicate_names_are_both_kept(session: Session) -> None:
    first = add_image(session, "logo.png", solid_png())
    second = add_image(session, "logo.png", solid_png(color=BLUE))
    assert (first.tag, second.tag) == ("logo", "logo_2")
    assert first.file != second.file
    assert len(_upload_files(session)) == 4


def test_the_same_file_uploaded_again_is_noticed_not_added(session: Session) -> None:
    logo = add_image(session, "logo.png", solid_png())
    with pytest.raises(UploadError, match="already uploaded as @logo"):
        add_image(session, "again.png", solid_png(), refuse_duplicate=True)
    result = add_images(
        session, [("logo copy.png", solid_png()), ("other.png", solid_png(color=BLUE))], refuse_duplicates=True
    )
    assert [a.original_name for a in result.added] == ["other.png"]
    assert [str(d) for d in result.duplicates] == [
        "logo copy.png is already uploaded as @logo; it was not added again."
    ]
    assert result.errors == ()
    assert result.duplicates[0].existing == logo
    assert [a.tag for a in session.manifest().assets] == ["logo", "other"]
    again = add_images(
        session, [("x.png", solid_png(color=BLUE)), ("y.png", solid_png(color=BLUE))], refuse_duplicates=True
    )
    assert (again.added, [d.existing.tag for d in again.duplicates]) == ((), ["other", "other"])


def test_without_refusing_duplicates_the_engine_keeps_both(session: Session) -> None:
    result = add_images(session, [("a.png", solid_png()), ("b.png", solid_png())])
    assert [a.tag for a in result.added] == ["a", "b"] and result.duplicates == ()
    assert result.added[0].sha256 == result.added[1].sha256 != ""


def test_one_file_twice_in_one_batch_is_added_once(session: Session) -> None:
    result = add_images(session, [("a.png", solid_png()), ("b.png", solid_png())], refuse_duplicates=True)
    assert [a.tag for a in result.added] == ["a"]
    assert [str(d) for d in result.duplicates] == ["b.png is already uploaded as @a; it was not added again."]


def test_an_animated_gif_is_recorded_as_animated_and_stored_as_its_first_frame(session: Session) -> None:
    gif = add_image(session, "spinner.gif", animated_gif(5, size=(8, 8)))
    still = add_image(session, "still.png", solid_png(color=BLUE))
    assert (gif.animated, still.animated) == (True, False)
    with Image.open(session.uploads / gif.file) as stored:
        assert stored.convert("RGB").getpixel((4, 4)) == RED  # the first frame, not the later blue ones


def test_auto_tags_and_fallback_numbers_never_restart(session: Session) -> None:
    named = add_image(session, "Logo Final (2).png", solid_png())
    first = add_image(session, "1.png", solid_png())
    second = add_image(session, "2024.png", solid_png())
    assert (named.tag, first.tag, second.tag) == ("Logo_Final_2", "Image1", "Image2")
    remove_image(session, second.id)
    remove_image(session, first.id)
    third = add_image(session, "---.png", solid_png())
    nameless = add_image(session, "", solid_png())
    assert (third.tag, nameless.tag, nameless.original_name) == ("Image3", "Image4", "unnamed")
    assert _manifest(session)["next_image_number"] == 5


def test_tag_clash_is_case_insensitive_and_changes_nothing(session: Session) -> None:
    add_image(session, "logo.png", solid_png())
    other = add_image(session, "badge.png", solid_png())
    before = snapshot(session.dir)
    with pytest.raises(TagError) as caught:
        set_tag(session, other.id, "LOGO")
    assert str(caught.value) == (
        "badge.png: Tag 'LOGO' is already used by another image (as 'logo'); tags are compared ignoring case."
        " Try 'LOGO_2'. Nothing was changed."
    )
    assert snapshot(session.dir) == before


def test_set_tags_is_all_or_nothing(session: Session) -> None:
    a = add_image(session, "a.png", solid_png())
    b = add_image(session, "b.png", solid_png())
    before = snapshot(session.dir)
    with pytest.raises(TagError) as caught:
        set_tags(session, {a.id: "hero", b.id: "bad tag"})
    assert str(caught.value) == (
        "b.png: Tag 'bad tag' is not valid — use letters, digits, _ or -, starting with a letter. Try 'bad_tag'."
        " Nothing was changed."
    )
    assert snapshot(session.dir) == before
    with pytest.raises(TagError, match=r"^No image with id 'nope' in this session; nothing was changed\.$"):
        set_tags(session, {a.id: "hero", "nope": "x"})
    assert snapshot(session.dir) == before


def test_two_tags_can_be_swapped_in_one_batch(session: Session) -> None:
    a = add_image(session, "logo.png", solid_png())
    b = add_image(session, "BG.png", solid_png())
    changed = set_tags(session, {a.id: "BG", b.id: "@logo "})
    assert [(x.id, x.tag) for x in changed] == [(a.id, "BG"), (b.id, "logo")]
    assert tags(session) == ["BG", "logo"]
    assert tag_map(session) == {"BG": session.uploads / a.file, "logo": session.uploads / b.file}


def test_a_batch_that_creates_a_clash_within_itself_is_refused(session: Session) -> None:
    a = add_image(session, "a.png", solid_png())
    b = add_image(session, "b.png", solid_png())
    with pytest.raises(TagError, match="already used by another image"):
        set_tags(session, {a.id: "Same", b.id: "same"})
    assert tags(session) == ["a", "b"]


def test_remove_image(session: Session) -> None:
    keep = add_image(session, "keep.png", solid_png())
    gone = add_image(session, "gone.png", solid_png())
    removed = remove_image(session, gone.id)
    assert removed == gone
    assert _upload_files(session) == sorted([keep.file, keep.thumb])
    assert tags(session) == ["keep"]
    with pytest.raises(SessionError, match=r"No image with id '.*' in this session\."):
        remove_image(session, gone.id)


def test_bomb_upload_is_refused_before_decoding(session: Session) -> None:
    before = snapshot(session.dir)
    tracemalloc.start()
    try:
        result = add_images(session, [("bomb.png", png_bomb())])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert [str(e) for e in result.errors] == [
        "bomb.png: the image is too large to open safely (2500 megapixels); the limit is 40 megapixels."
    ]
    assert snapshot(session.dir) == before


def test_images_per_session_limit(tmp_path: Path) -> None:
    session = make_store(tmp_path / "d", max_images_per_session=2).create()
    result = add_images(session, [(f"{n}.png", solid_png()) for n in "abc"])
    assert len(result.added) == 2
    assert [str(e) for e in result.errors] == [
        "c.png: this session already holds 2 images, the most allowed; remove one first."
    ]
    assert len(_upload_files(session)) == 4


def test_bytes_per_session_limit(tmp_path: Path) -> None:
    session = make_store(tmp_path / "d", max_session_bytes=5000).create()
    add_image(session, "a.png", solid_png((2, 2)))
    assert session.bytes_used() < 5000
    before = snapshot(session.dir)
    with pytest.raises(UploadError) as caught:
        add_image(session, "big.png", _noise_png())
    assert re.fullmatch(
        r"big\.png: the session would use [\d.]+ KB, over the 4\.9 KB limit per session;"
        r" remove some images or outputs first\.",
        str(caught.value),
    )
    assert snapshot(session.dir) == before


def _noise_png() -> bytes:
    """A PNG that does not compress: its stored copy is several KB."""
    return encode(Image.effect_noise((64, 64), 80).convert("RGB"))


def test_disk_full_while_storing_an_upload_leaves_the_session_unchanged(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_image(session, "first.png", solid_png())
    before = snapshot(session.dir)
    real = session_module.write_atomic
    calls: list[Path] = []

    def fills_up(path: Path, data: bytes, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 2:  # the image was written, the thumbnail does not fit
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "write_atomic", fills_up)
    with pytest.raises(UploadError) as caught:
        add_image(session, "second.png", solid_png())
    assert str(caught.value) == (
        "second.png: could not be saved (No space left on device); the session is unchanged — try again later."
    )
    assert snapshot(session.dir) == before


def test_concurrent_tag_edits_and_uploads_on_one_session(store: SessionStore) -> None:
    session = store.create()
    owned = [add_image(session, f"start{w}.png", solid_png()) for w in range(8)]
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        handle = store.open(session.id)
        try:
            for n in range(25):
                set_tag(handle, owned[worker].id, f"w{worker}_t{n}")
                if n % 5 == 0:
                    add_image(handle, f"w{worker}_{n}.png", solid_png((2, 2)))
        except BaseException as exc:
            errors.append(exc)

    run_in_threads(work, [(w,) for w in range(8)])
    assert errors == []
    assets = _manifest(session)["assets"]
    by_id = {a["id"]: a["tag"] for a in assets}  # type: ignore[union-attr]
    assert [by_id[a.id] for a in owned] == [f"w{w}_t24" for w in range(8)]
    assert len(assets) == 8 + 8 * 5  # type: ignore[arg-type]
    assert sorted(t for t in by_id.values() if "_t" not in t) == sorted(
        f"w{w}_{n}" for w in range(8) for n in range(0, 25, 5)
    )
    stored = {n for a in assets for n in (a["file"], a["thumb"])}  # type: ignore[union-attr]
    assert set(_upload_files(session)) == stored  # every file recorded, no strays


def test_stored_copies_drop_camera_metadata_and_are_private(session: Session) -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS latitude
    data = encode(corner_image(), "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    assert b"CameraMaker" in data and b"secret comment" in data
    asset = add_image(session, "holiday.jpg", data)
    for name in (asset.file, asset.thumb):
        stored = (session.uploads / name).read_bytes()
        assert b"CameraMaker" not in stored and b"secret" not in stored and b"eXIf" not in stored
        assert (session.uploads / name).stat().st_mode & 0o777 == 0o600
    assert (session.dir / MANIFEST).stat().st_mode & 0o777 == 0o600

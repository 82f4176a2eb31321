"""Decoding uploads: content decides, limits are checked before decoding, every mode ends up RGBA."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from fixtures_images import (
    BLUE,
    RED,
    corner_image,
    encode,
    mode_uploads,
    png_bomb,
    png_by_hand,
    solid_png,
    with_orientation,
)
from PIL import Image, ImageFile

from imagegen.errors import UploadError
from imagegen.files import format_bytes
from imagegen.limits import Limits
from imagegen.store.images import (
    MAX_NAME_CHARS,
    decode_image,
    display_name,
    load_image,
    thumbnail,
    to_rgba,
)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("photo.png", "photo.png"),
        ("../../x.png", "x.png"),
        ("a/b.png", "b.png"),
        ("C:\\x.png", "x.png"),
        ("x.png\x00.exe", "x.png.exe"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("  spaced   name .png ", "spaced name .png"),
        (".hidden.png", "hidden.png"),
    ],
)
def test_display_name(given: str, shown: str) -> None:
    assert display_name(given) == shown


def test_display_name_bounds_length_and_keeps_the_extension() -> None:
    shown = display_name("a" * 5000 + ".png")
    assert len(shown) <= MAX_NAME_CHARS
    assert shown.endswith("….png")


@pytest.mark.parametrize(("mode", "case"), mode_uploads().items(), ids=list(mode_uploads()))
def test_every_mode_becomes_rgba_with_sensible_pixels(mode: str, case: tuple[bytes, tuple[int, ...]]) -> None:
    data, expected = case
    decoded = decode_image(f"{mode}.img", data)
    assert decoded.image.mode == "RGBA"
    got = decoded.image.getpixel((0, 0))
    tolerance = 3 if mode == "CMYK" else 0  # JPEG
    assert np.abs(np.subtract(got, expected)).max() <= tolerance, (got, expected)
    assert decoded.has_alpha is (expected[3] < 255)


def test_palette_transparency_keeps_opaque_pixels_opaque() -> None:
    data, _ = mode_uploads()["P"]
    image = decode_image("p.png", data).image
    assert image.getpixel((1, 1)) == (0, 255, 0, 255)


def test_an_opaque_rgba_file_has_no_alpha() -> None:
    decoded = decode_image("opaque.png", solid_png((4, 4), (1, 2, 3, 255), "RGBA"))
    assert decoded.has_alpha is False


@pytest.mark.parametrize(
    ("mode", "values", "expected"),
    [
        ("I;16", [0, 257, 65535, 200], [0, 1, 255, 0]),  # the 16-bit range is known: dark stays dark
        ("I", [0, 32896, 65535, 1000], [0, 128, 255, 3]),  # values above 255: treated as 16-bit
        ("I", [0, 10, 200, 255], [0, 10, 200, 255]),  # values within 8 bits stay as they are
        ("F", [0.0, 0.5, 1.0, 0.25], [0, 127, 255, 63]),  # 0..1 floats
        ("F", [float("nan"), -5.0, 50000.0, 100000.0], [0, 0, 127, 255]),  # beyond 16 bits: scaled by the max
    ],
)
def test_high_bit_depth_greys_are_scaled(mode: str, values: list[float], expected: list[int]) -> None:
    dtype = {"I;16": np.uint16, "I": np.int32, "F": np.float32}[mode]
    image = Image.fromarray(np.array([values], dtype=dtype), mode if mode != "I;16" else None)
    assert image.mode == mode
    rgba = np.asarray(to_rgba(image))
    assert rgba[0, :, 0].tolist() == expected
    assert (rgba[0, :, 0] == rgba[0, :, 2]).all() and (rgba[..., 3] == 255).all()


def test_cmyk_and_one_bit_convert() -> None:
    assert to_rgba(Image.new("CMYK", (1, 1), (0, 0, 0, 255))).getpixel((0, 0)) == (0, 0, 0, 255)
    assert to_rgba(Image.new("1", (1, 1), 0)).getpixel((0, 0)) == (0, 0, 0, 255)


@pytest.mark.parametrize(
    ("orientation", "red_corner"),
    [(1, "top-left"), (3, "bottom-right"), (6, "top-right"), (8, "bottom-left")],
)
def test_exif_orientation_rotates_the_pixels(orientation: int, red_corner: str) -> None:
    decoded = decode_image("phone.png", with_orientation(corner_image((60, 30)), orientation))
    width, height = decoded.size
    assert (width, height) == ((30, 60) if orientation in (6, 8) else (60, 30))
    corners = {
        "top-left": (0, 0),
        "top-right": (width - 1, 0),
        "bottom-left": (0, height - 1),
        "bottom-right": (width - 1, height - 1),
    }
    for name, xy in corners.items():
        assert decoded.image.getpixel(xy)[:3] == (RED if name == red_corner else BLUE), name


def test_exif_orientation_in_a_jpeg() -> None:
    data = with_orientation(corner_image((90, 45)), 6, "JPEG", quality=95)
    image = decode_image("phone.jpg", data).image
    assert image.size == (45, 90)
    r, g, b, _ = image.getpixel((44, 0))
    assert r > 200 and g < 50 and b < 50


def test_uploaded_metadata_is_dropped() -> None:
    data = with_orientation(corner_image((6, 6)), 1, icc_profile=b"\x00" * 200)
    assert decode_image("meta.png", data).image.info == {}


def test_bomb_is_refused_before_decoding_with_small_memory_growth() -> None:
    data = png_bomb(50_000, 50_000)
    assert len(data) < 10_000
    images_before = Image.core.get_stats()["new_count"]
    tracemalloc.start()
    try:
        with pytest.raises(UploadError) as caught:
            decode_image("bomb.png", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert Image.core.get_stats()["new_count"] == images_before  # no pixel buffer was ever allocated
    assert str(caught.value) == (
        "bomb.png: the image is too large to open safely (2500 megapixels); the limit is 40 megapixels."
    )


@pytest.mark.parametrize(
    ("size", "limits", "message"),
    [
        (
            (2000, 1000),
            Limits(max_image_pixels=1_000_000),
            "big.png: 2000x1000 is 2 megapixels, over the limit of 1 megapixel; resize it and upload again.",
        ),
        (
            (3000, 10),
            Limits(max_image_side=2000),
            "big.png: 3000x10 has a side longer than 2,000 px; resize it and upload again.",
        ),
    ],
)
def test_header_limits_state_the_limit(size: tuple[int, int], limits: Limits, message: str) -> None:
    with pytest.raises(UploadError) as caught:
        decode_image("big.png", png_by_hand(*size), limits)
    assert str(caught.value) == message


def test_file_size_limit_states_exact_bytes_when_rounding_would_hide_them() -> None:
    limits = Limits(max_file_bytes=20 * 1024 * 1024)
    with pytest.raises(UploadError) as caught:
        decode_image("x.png", b"\x89PNG" + bytes(20 * 1024 * 1024 - 3), limits)
    assert str(caught.value) == "x.png: the file is 20,971,521 bytes, over the 20,971,520 bytes limit per file."


@pytest.mark.parametrize(
    ("n", "text"),
    [(100, "100 bytes"), (2048, "2 KB"), (1536, "1.5 KB"), (20 * 1024 * 1024, "20 MB"), (1_572_864, "1.5 MB")],
)
def test_format_bytes(n: int, text: str) -> None:
    assert format_bytes(n) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.png: the file is empty — choose a PNG, JPEG, WebP, GIF or BMP image."),
        (b"hello world", "x.png: this is not an image we can read — use PNG, JPEG, WebP, GIF or BMP."),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "x.png: the file looks like a PNG image but is damaged and cannot be read."),
        (b"BM" + bytes(10), "x.png: the file looks like a BMP image but is damaged and cannot be read."),
    ],
)
def test_unreadable_files(data: bytes, message: str) -> None:
    with pytest.raises(UploadError) as caught:
        decode_image("x.png", data)
    assert str(caught.value) == message


def test_truncated_pixels_are_an_error_not_a_grey_image() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    data = encode(Image.effect_noise((64, 64), 50).convert("RGB"), "JPEG")
    with pytest.raises(UploadError) as caught:
        decode_image("cut.jpg", data[: len(data) // 2])
    assert str(caught.value).startswith("cut.jpg: the file is damaged or incomplete and cannot be read (")


def test_source_format_and_size_are_reported() -> None:
    decoded = decode_image("x.gif", encode(Image.new("RGB", (7, 5), RED), "GIF"))
    assert (decoded.source_format, decoded.size) == ("GIF", (7, 5))
    assert decoded.image.getpixel((3, 3)) == (255, 0, 0, 255)


def test_load_image_applies_the_same_rules(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(solid_png((3, 2)))
    assert load_image(good).size == (3, 2)
    big = tmp_path / "big.png"
    big.write_bytes(solid_png((3, 2)))
    with pytest.raises(UploadError, match=r"^big\.png: the file is \d+ bytes, over the 10 bytes limit per file\.$"):
        load_image(big, Limits(max_file_bytes=10))
    with pytest.raises(UploadError, match=r"missing\.png: cannot read the file \(No such file or directory\)\."):
        load_image(tmp_path / "missing.png")


def test_thumbnail_is_square_letterboxed_and_keeps_the_original() -> None:
    image = Image.new("RGBA", (1000, 500), (*RED, 255))
    thumb = thumbnail(image, 100)
    assert (thumb.size, thumb.mode) == ((100, 100), "RGBA")
    assert image.size == (1000, 500)
    assert thumb.getpixel((50, 50)) == (255, 0, 0, 255)  # the picture, fitted to the width, centred
    assert thumb.getpixel((50, 5))[3] == 0 and thumb.getpixel((50, 94))[3] == 0  # transparent bands
    assert thumbnail(Image.new("RGB", (30, 90), BLUE), 60).getpixel((30, 30)) == (0, 0, 255, 255)

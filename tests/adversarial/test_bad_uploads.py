"""Hostile files: each is refused with a message naming the file (or loads correctly), leaves the session
byte-for-byte unchanged, and stays within bounded memory."""

from __future__ import annotations

import io
import random
import tracemalloc
import warnings
import zlib

import pytest
from fixtures_images import (
    BLUE,
    GREEN,
    RED,
    animated_gif,
    corner_image,
    encode,
    eps_header,
    html_document,
    pdf_header,
    png_bomb,
    png_by_hand,
    png_chunk,
    psd_header,
    solid_png,
    svg_document,
    tiff_header,
    with_orientation,
)
from PIL import GifImagePlugin, Image, ImageFile
from session_helpers import snapshot

from imagegen.errors import UploadError
from imagegen.limits import Limits
from imagegen.store.assets import add_image
from imagegen.store.images import decode_image
from imagegen.store.session import Session

from .conftest import assert_refused_cleanly

pytestmark = pytest.mark.adversarial

ALLOWED = "use PNG, JPEG, WebP, GIF or BMP"
MEMORY_BOUND = 20 * 1024 * 1024


@pytest.fixture
def stocked(session: Session) -> Session:
    """A session that already holds an image, so 'unchanged' means something."""
    add_image(session, "existing.png", solid_png())
    return session


def _noise_jpeg() -> bytes:
    return encode(Image.effect_noise((64, 64), 60).convert("RGB"), "JPEG", quality=90)


def _text_chunk_png(kind: bytes, payload: bytes) -> bytes:
    return png_by_hand(4, 4, extra_chunks=[png_chunk(kind, payload)])


REFUSED = {
    "bomb": (
        "bomb.png",
        png_bomb(),
        r"bomb\.png: the image is too large to open safely \(2500 megapixels\);"
        r" the limit is 40 megapixels\.",
    ),
    "wide": (
        "wide.png",
        png_by_hand(60_000, 1),
        r"wide\.png: 60000x1 has a side longer than 12,000 px;"
        r" resize it and upload again\.",
    ),
    "truncated jpeg": (
        "cut.jpg",
        _noise_jpeg()[:1500],
        r"cut\.jpg: the file is damaged or incomplete and cannot"
        r" be read \(image file is truncated.*\)\.",
    ),
    "jpeg header only": (
        "head.jpg",
        _noise_jpeg()[:150],
        r"head\.jpg: the file is damaged and cannot be read \(.+\)\.",
    ),
    "random bytes": (
        "noise.png",
        random.Random(7).randbytes(4096),
        rf"noise\.png: this is not an image we can"
        rf" read — {ALLOWED}\.",
    ),
    "empty": ("empty.png", b"", r"empty\.png: the file is empty — choose a PNG, JPEG, WebP, GIF or BMP image\."),
    "svg as png": ("vector.png", svg_document(), rf"vector\.png: SVG images are not supported — {ALLOWED}\."),
    "html as png": ("page.png", html_document(), rf"page\.png: this is an HTML page, not an image — {ALLOWED}\."),
    "tiff as png": ("scan.png", tiff_header(), rf"scan\.png: TIFF images are not supported — {ALLOWED}\."),
    "psd as png": (
        "layers.png",
        psd_header(),
        rf"layers\.png: Photoshop \(PSD\) images are not supported — {ALLOWED}\.",
    ),
    "eps as png": ("print.png", eps_header(), rf"print\.png: PostScript/EPS images are not supported — {ALLOWED}\."),
    "pdf as png": ("doc.png", pdf_header(), rf"doc\.png: PDF images are not supported — {ALLOWED}\."),
    "png signature only": (
        "sig.png",
        b"\x89PNG\r\n\x1a\n" + bytes(30),
        r"sig\.png: the file looks like a PNG image"
        r" but is damaged and cannot be read\.",
    ),
    "gif header only": (
        "anim.gif",
        b"GIF89a\x10\x00",
        r"anim\.gif: the file looks like a GIF image but is damaged"
        r" and cannot be read\.",
    ),
    "png with a broken idat": (
        "idat.png",
        png_by_hand(8, 8, zero_bytes=10),
        r"idat\.png: the file is damaged or"
        r" incomplete and cannot be read \(.+\)\.",
    ),
    "zTXt beyond MAX_TEXT_CHUNK": (
        "ztxt.png",
        _text_chunk_png(b"zTXt", b"k\x00\x00" + zlib.compress(bytes(5 << 20))),
        r"ztxt\.png: the file carries a text or colour-profile block too large to read safely; re-save it without"
        r" metadata and upload again\.",
    ),
    "iCCP beyond MAX_TEXT_CHUNK": (
        "icc.png",
        _text_chunk_png(b"iCCP", b"p\x00\x00" + zlib.compress(bytes(5 << 20))),
        r"icc\.png: the file carries a text or colour-profile block too large to read safely; re-save it without"
        r" metadata and upload again\.",
    ),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("filename", "data", "pattern"), REFUSED.values(), ids=list(REFUSED))
def test_hostile_file_is_refused_cleanly_in_bounded_memory(
    stocked: Session, filename: str, data: bytes, pattern: str
) -> None:
    tracemalloc.start()
    try:
        assert_refused_cleanly(stocked, filename, data, pattern)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND


@pytest.mark.parametrize(
    "data", [png_bomb(), png_by_hand(60_000, 1), png_by_hand(7000, 7000)], ids=["bomb", "wide", "49MP"]
)
def test_oversized_images_are_refused_before_any_pixel_buffer_exists(data: bytes) -> None:
    allocated = Image.core.get_stats()["new_count"]
    with pytest.raises(UploadError):
        decode_image("big.png", data)
    assert Image.core.get_stats()["new_count"] == allocated


def test_pillows_bomb_warning_becomes_an_upload_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Between Pillow's warning and error thresholds (shrunk here so the image is tiny): refused, not decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    generous = Limits(max_image_pixels=1_000_000)
    filters_before = list(warnings.filters)
    allocated = Image.core.get_stats()["new_count"]
    with pytest.raises(UploadError) as caught:
        decode_image("warn.png", png_by_hand(150, 100), generous)  # 15,000 px: warning zone (10k..20k)
    assert (
        str(caught.value)
        == "warn.png: the image is too large to open safely (15,000 pixels); the limit is 10,000 pixels."
    )
    with pytest.raises(UploadError, match=r"\(30,000 pixels\); the limit is 10,000 pixels\.$"):
        decode_image("error.png", png_by_hand(300, 100), generous)  # past Pillow's error threshold
    assert Image.core.get_stats()["new_count"] == allocated
    assert warnings.filters == filters_before  # no filter leaked into the process
    assert decode_image("fine.png", png_by_hand(100, 100), generous).size == (100, 100)


def test_our_own_pixel_limit_applies_below_pillows(stocked: Session) -> None:
    session = stocked
    session.store.limits = Limits(max_image_pixels=5_000)
    assert_refused_cleanly(
        session,
        "small.png",
        png_by_hand(100, 60),
        r"small\.png: 100x60 is 6,000 pixels, over the limit of"
        r" 5,000 pixels; resize it and upload again\.",
    )


# --- odd but valid files load with sensible pixels --------------------------------------------------------
PNG_KINDS = [(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2), (8, 4), (16, 4), (8, 6), (16, 6)]


@pytest.mark.parametrize(("bit_depth", "color_type"), PNG_KINDS, ids=[f"{b}bit-type{c}" for b, c in PNG_KINDS])
def test_every_png_bit_depth_and_colour_type(session: Session, bit_depth: int, color_type: int) -> None:
    asset = add_image(session, "odd.png", png_by_hand(5, 3, bit_depth=bit_depth, color_type=color_type))
    with Image.open(session.uploads / asset.file) as stored:
        pixel = stored.convert("RGBA").getpixel((4, 2))
    has_alpha = color_type in (4, 6)  # zero alpha samples: fully transparent
    assert pixel == (0, 0, 0, 0 if has_alpha else 255)
    assert asset.has_alpha is has_alpha
    assert (asset.width, asset.height) == (5, 3)


@pytest.mark.parametrize(
    ("fmt", "params", "mode_on_open"),
    [
        ("BMP", {}, "1"),
        ("BMP", {"compression": 1}, "P"),  # RLE8
        ("GIF", {"interlace": True}, "P"),
        ("JPEG", {"progressive": True, "quality": 95}, "RGB"),
        ("WEBP", {"lossless": True}, "RGB"),
        ("PNG", {"interlace": 1}, "RGB"),
    ],
    ids=["bmp-1bit", "bmp-rle8", "gif-interlaced", "jpeg-progressive", "webp-lossless", "png-interlaced"],
)
def test_odd_encodings_load_with_the_right_colours(
    session: Session, fmt: str, params: dict[str, object], mode_on_open: str
) -> None:
    source = corner_image((30, 21), corner=(255, 255, 255) if mode_on_open == "1" else RED, rest=(0, 0, 0))
    if mode_on_open == "1":
        source = source.convert("1")
    elif fmt == "BMP":
        source = source.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    data = encode(source, fmt, **params)
    with Image.open(io.BytesIO(data)) as opened:
        assert opened.mode == mode_on_open
    asset = add_image(session, f"odd.{fmt.lower()}", data)
    with Image.open(session.uploads / asset.file) as stored:
        corner, rest = stored.convert("RGB").getpixel((2, 2)), stored.convert("RGB").getpixel((25, 18))
    expected_corner = (255, 255, 255) if mode_on_open == "1" else RED
    assert max(abs(a - b) for a, b in zip(corner, expected_corner, strict=True)) <= 8
    assert max(rest) <= 8


@pytest.mark.parametrize(("orientation", "red_at"), [(6, "top-right"), (8, "bottom-left")])
def test_exif_rotation_of_a_large_image_rechecks_the_limits(session: Session, orientation: int, red_at: str) -> None:
    data = with_orientation(corner_image((3000, 1000)), orientation)
    session.store.limits = Limits(max_image_side=2999)
    assert_refused_cleanly(
        session,
        "phone.png",
        data,
        r"phone\.png: 3000x1000 has a side longer than 2,999 px; resize it and upload again\.",
    )
    session.store.limits = Limits(max_image_side=3000)
    asset = add_image(session, "phone.png", data)
    assert (asset.width, asset.height) == (1000, 3000)
    with Image.open(session.uploads / asset.file) as stored:
        where = {"top-right": (999, 0), "bottom-left": (0, 2999)}[red_at]
        assert stored.getpixel(where) == RED
        assert stored.getpixel((0, 0)) == BLUE


@pytest.mark.timeout(60)
def test_a_gif_with_thousands_of_frames_decodes_only_the_first(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = animated_gif(5000, (32, 32))
    seeks: list[tuple[int, bool]] = []
    real_seek = GifImagePlugin.GifImageFile._seek

    def spy(self: GifImagePlugin.GifImageFile, frame: int, update_image: bool = True) -> None:
        seeks.append((frame, update_image))
        real_seek(self, frame, update_image)

    monkeypatch.setattr(GifImagePlugin.GifImageFile, "_seek", spy)
    allocated = Image.core.get_stats()["new_count"]
    tracemalloc.start()
    try:
        asset = add_image(session, "long.gif", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Only frame 0 is decoded; frame 1's header is read (no image update) to tell that the upload is animated.
    assert {frame for frame, decoded in seeks if decoded} == {0}
    assert {frame for frame, _ in seeks} == {0, 1}
    assert asset.animated
    assert Image.core.get_stats()["new_count"] - allocated < 20  # a handful of 32x32 buffers, not 5,000
    assert peak < MEMORY_BOUND
    with Image.open(session.uploads / asset.file) as stored:
        assert stored.convert("RGB").getpixel((16, 16)) == RED


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_other_animations_use_their_first_frame(session: Session, fmt: str) -> None:
    frames = [Image.new("RGB", (8, 8), RED)] + [Image.new("RGB", (8, 8), c) for c in (BLUE, GREEN) * 100]
    data = encode(
        frames[0], fmt, save_all=True, append_images=frames[1:], **({"lossless": True} if fmt == "WEBP" else {})
    )
    asset = add_image(session, f"anim.{fmt.lower()}", data)
    with Image.open(session.uploads / asset.file) as stored:
        assert stored.convert("RGB").getpixel((4, 4)) == RED


def test_a_huge_plain_text_chunk_loads_and_is_not_kept(session: Session) -> None:
    data = _text_chunk_png(b"tEXt", b"comment\x00" + b"a" * (5 << 20))
    asset = add_image(session, "chatty.png", data)
    stored = (session.uploads / asset.file).read_bytes()
    assert len(stored) < 10_000
    assert b"comment" not in stored


def test_a_large_but_allowed_icc_profile_loads_and_is_not_kept(session: Session) -> None:
    data = _text_chunk_png(b"iCCP", b"p\x00\x00" + zlib.compress(bytes(900_000)))
    asset = add_image(session, "profile.png", data)
    assert b"iCCP" not in (session.uploads / asset.file).read_bytes()


def test_truncated_images_are_never_padded_with_grey() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- file names ------------------------------------------------------------------------------------------
NAMES = {
    "parent dirs": ("../../x.png", "x.png", "x"),
    "sub dir": ("a/b.png", "b.png", "b"),
    "windows path": ("C:\\x.png", "x.png", "x"),
    "nul byte": ("x.png\x00.exe", "x.png.exe", "x_png"),
    "dot dot": ("..", "unnamed", "Image1"),
    "empty": ("", "unnamed", "Image1"),
    "rtl override": ("photo\u202egnp.exe", "photognp.exe", "photognp"),
    "only controls": ("\x01\x02\u202e", "unnamed", "Image1"),
}


@pytest.mark.parametrize(("given", "shown", "tag"), NAMES.values(), ids=list(NAMES))
def test_hostile_names_are_shown_plainly_and_never_used_as_paths(
    session: Session, given: str, shown: str, tag: str
) -> None:
    asset = add_image(session, given, solid_png())
    assert (asset.original_name, asset.tag) == (shown, tag)
    assert sorted(p.name for p in session.dir.iterdir()) == [".lock", "manifest.json", "outputs", "uploads"]
    assert sorted(p.name for p in session.uploads.iterdir()) == sorted([asset.file, asset.thumb])
    assert sorted(p.name for p in session.store.root.iterdir()) == [session.id]
    with pytest.raises(UploadError) as caught:
        add_image(session, given, b"junk")
    assert str(caught.value).startswith(f"{shown}: ")


def test_a_5000_character_name_is_shortened_everywhere(session: Session) -> None:
    asset = add_image(session, "n" * 5000 + ".png", solid_png())
    assert len(asset.original_name) <= 80 and asset.original_name.endswith("….png")
    assert asset.tag == "n" * 32
    with pytest.raises(UploadError) as caught:
        add_image(session, "n" * 5000 + ".png", b"")
    assert len(str(caught.value)) < 200


def test_same_name_three_times(session: Session) -> None:
    tags = [add_image(session, "logo.png", solid_png()).tag for _ in range(3)]
    assert tags == ["logo", "logo_2", "logo_3"]
    assert len(list(session.uploads.iterdir())) == 6


# --- the file-size limit, to the byte ---------------------------------------------------------------------
def test_a_file_exactly_at_the_size_limit_is_accepted_and_one_byte_over_is_not(session: Session) -> None:
    data = solid_png((6, 6))
    session.store.limits = Limits(max_file_bytes=len(data))
    assert add_image(session, "exact.png", data).bytes == len(data)
    before = snapshot(session.dir)
    with pytest.raises(UploadError) as caught:
        add_image(session, "over.png", data + b"\x00")
    assert (
        str(caught.value) == f"over.png: the file is {len(data) + 1} bytes, over the {len(data)} bytes limit per file."
    )
    assert snapshot(session.dir) == before

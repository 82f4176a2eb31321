"""Fuzzing: tag rules never raise anything but TagError; decoding mutated files raises only UploadError.

The decode fuzzer is seeded and runs ``IMAGEGEN_FUZZ_CASES`` cases (1,000 by default, about a second); set it
higher for a long run, e.g. ``IMAGEGEN_FUZZ_CASES=20000 pytest -m adversarial -k fuzz``.
"""

from __future__ import annotations

import os
import random
import struct
import traceback
from collections.abc import Callable

import pytest
from fixtures_images import animated_gif, encode, with_orientation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from imagegen.errors import ImagegenError, TagError, UploadError
from imagegen.limits import Limits
from imagegen.prompt import parse
from imagegen.store.images import decode_image
from imagegen.store.tags import MAX_TAG_LENGTH, TAG_RE, auto_tag, suggest_tag, tag_key, unique_tag, validate_tag

pytestmark = pytest.mark.adversarial

FUZZ_CASES = int(os.environ.get("IMAGEGEN_FUZZ_CASES", "1000"))
FUZZ_SEED = int(os.environ.get("IMAGEGEN_FUZZ_SEED", "20240611"))
# Small limits keep every mutated header that claims a big image cheap to refuse.
FUZZ_LIMITS = Limits(max_image_pixels=250_000, max_image_side=2000, max_file_bytes=1 << 20)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that exercises the tag rules: tag characters, separators, '@', digits first, unicode, controls.
tag_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="aZ09_-@ .()\u00e9\u202e\x00/", max_size=40),
    st.from_regex(TAG_RE, fullmatch=True),
)


def _is_valid(tag: str) -> bool:
    return bool(TAG_RE.fullmatch(tag)) and len(tag) <= MAX_TAG_LENGTH


# --- tag rules -------------------------------------------------------------------------------------------
@SETTINGS
@given(tag=tag_text, existing=st.lists(tag_text, max_size=6))
def test_validate_tag_returns_a_valid_free_tag_or_raises_tag_error(tag: str, existing: list[str]) -> None:
    try:
        cleaned = validate_tag(tag, existing)
    except TagError as exc:
        assert str(exc)
        return
    assert _is_valid(cleaned)
    assert tag_key(cleaned) not in {tag_key(t) for t in existing}


@SETTINGS
@given(text=tag_text)
def test_suggest_tag_is_valid_or_empty(text: str) -> None:
    suggestion = suggest_tag(text)
    assert suggestion == "" or _is_valid(suggestion)


@SETTINGS
@given(filename=tag_text, existing=st.lists(tag_text, max_size=8), number=st.integers(1, 10**9))
def test_auto_tag_always_returns_a_valid_unique_tag(filename: str, existing: list[str], number: int) -> None:
    tag, next_number = auto_tag(filename, existing, number)
    assert _is_valid(tag)
    assert tag_key(tag) not in {tag_key(t) for t in existing}
    assert next_number >= number


@SETTINGS
@given(base=st.from_regex(TAG_RE, fullmatch=True), existing=st.lists(tag_text, max_size=8))
def test_unique_tag_is_valid_and_unique(base: str, existing: list[str]) -> None:
    tag = unique_tag(base, existing)
    assert _is_valid(tag)
    assert tag_key(tag) not in {tag_key(t) for t in existing}


# --- the prompt parser (its own suite fuzzes it more; this checks the contract from the outside) --------------
prompt_words = st.sampled_from(
    [
        "@bg",
        "@logo",
        "@Logo",
        "@",
        "@@",
        "@x-",
        "as",
        "background",
        "moves",
        "from",
        "left",
        "to",
        "right",
        "then",
        "spin",
        "fade",
        "in",
        "center",
        "top",
        "and",
        ",",
        ".",
        "3s",
        "1080x1080",
        "fps",
        "-1",
        "1e309",
        "\u202e",
    ]
)
prompts = st.one_of(
    st.text(max_size=300),
    st.lists(prompt_words, max_size=40).map(" ".join),
)


@settings(max_examples=200, deadline=None)
@given(prompt=prompts, tags=st.lists(st.sampled_from(["bg", "logo", "Logo_2", "x"]), max_size=3, unique=True))
def test_the_parser_raises_only_imagegen_errors(prompt: str, tags: list[str]) -> None:
    try:
        result = parse(prompt, tags)
    except ImagegenError as exc:
        assert str(exc)
        return
    # every image is a session's; a quoted text is a layer of its own (its tag is internal: '"0"' with no images)
    images = [layer for layer in result.scene.layers if layer.text is None]
    assert {tag_key(layer.tag) for layer in images} <= {tag_key(t) for t in tags}


# --- decoding mutated files ------------------------------------------------------------------------------
def _seed_files() -> dict[str, bytes]:
    picture = Image.effect_noise((24, 16), 60).convert("RGB")
    with_alpha = picture.convert("RGBA")
    with_alpha.putalpha(128)
    return {
        "png": encode(picture, "PNG"),
        "png-alpha": encode(with_alpha, "PNG"),
        "png-exif": with_orientation(picture, 6),
        "jpeg": encode(picture, "JPEG", quality=80),
        "jpeg-progressive": with_orientation(picture, 8, "JPEG", progressive=True),
        "gif": animated_gif(3, (12, 8)),
        "webp": encode(picture, "WEBP"),
        "webp-lossless": encode(with_alpha, "WEBP", lossless=True),
        "bmp": encode(picture, "BMP"),
        "bmp-rle": encode(picture.convert("P", palette=Image.Palette.ADAPTIVE), "BMP", compression=1),
    }


def _flip(data: bytearray, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return "flip"


def _truncate(data: bytearray, rng: random.Random) -> str:
    del data[rng.randrange(1, len(data)) :]
    return "truncate"


def _insert(data: bytearray, rng: random.Random) -> str:
    at = rng.randrange(len(data) + 1)
    data[at:at] = rng.randbytes(rng.randint(1, 64))
    return "insert"


def _big_number(data: bytearray, rng: random.Random) -> str:
    """Overwrite 2 or 4 bytes in the header area with an extreme value (sizes, lengths, offsets)."""
    at = rng.randrange(min(len(data) - 4, 64))
    value = rng.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 65_000])
    fmt = rng.choice([">I", "<I", ">H", "<H"])
    packed = struct.pack(fmt, value & (0xFFFF if fmt.endswith("H") else 0xFFFFFFFF))
    data[at : at + len(packed)] = packed
    return "big-number"


def _duplicate(data: bytearray, rng: random.Random) -> str:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 200)]
    at = rng.randrange(len(data))
    data[at:at] = piece * rng.randint(1, 20)
    return "duplicate"


MUTATIONS: tuple[Callable[[bytearray, random.Random], str], ...] = (_flip, _truncate, _insert, _big_number, _duplicate)


def _mutate(data: bytearray, rng: random.Random) -> str:
    if len(data) < 16:  # too short for the others to pick positions: grow it
        return _insert(data, rng)
    return rng.choice(MUTATIONS)(data, rng)


@pytest.mark.timeout(180)
def test_decoding_mutated_files_raises_only_upload_errors() -> None:
    rng = random.Random(FUZZ_SEED)
    seeds = _seed_files()
    names = sorted(seeds)
    failures: list[str] = []
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(FUZZ_CASES):
        kind = names[case % len(names)]
        data = bytearray(seeds[kind])
        applied = [_mutate(data, rng) for _ in range(rng.randint(1, 3))]
        try:
            decoded = decode_image(f"case{case}.{kind}", bytes(data), FUZZ_LIMITS)
        except UploadError as exc:
            outcomes["refused"] += 1
            assert str(exc).startswith(f"case{case}.{kind}: ")
            continue
        except Exception:
            failures.append(f"case {case} ({kind}, {'+'.join(applied)}): {traceback.format_exc(limit=3)}")
            continue
        outcomes["loaded"] += 1
        assert decoded.image.mode == "RGBA"
        assert decoded.image.width * decoded.image.height <= FUZZ_LIMITS.max_image_pixels
    assert failures == [], "\n".join(failures[:5])
    assert outcomes["refused"] > 0 and outcomes["loaded"] > 0  # the mutations reach both outcomes

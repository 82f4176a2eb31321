"""Fonts by content: a TTF/OTF file checked to be a font, kept once under the data folder by its SHA-256.

A Scene names such a font as ``font:<sha256>`` in ``TextSpec.family``; the renderer finds the file here
(:func:`font_file`), so a Scene stays plain JSON and renders the same wherever the font was kept.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
from pathlib import Path

from PIL import ImageFont

from imagegen.errors import FontFileError
from imagegen.files import atomic_path
from imagegen.store.session import library_root

log = logging.getLogger(__name__)

FONT_PREFIX = "font:"
MAX_FONT_BYTES = 20 * 1024 * 1024
_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")


def font_name(data: bytes, file: str) -> str:
    """The family name inside a TrueType/OpenType font file ("Acme Sans").

    :raise FontFileError: naming ``file`` when it is not a font (its content decides, never its name).
    """
    if len(data) > MAX_FONT_BYTES:
        raise FontFileError(f"'{file}' is {len(data) / 1e6:.1f} MB — a font may be at most 20 MB.")
    if data[:4] not in _MAGIC:
        raise FontFileError(
            f"'{file}' is not a font — use a TrueType (.ttf) or OpenType (.otf) file, e.g. one of your brand's "
            "font files as your designer delivered it."
        )
    try:
        loaded = ImageFont.truetype(io.BytesIO(data), 24)
    except OSError as exc:
        raise FontFileError(f"'{file}' is not a font FreeType can read ({exc}) — use a .ttf or .otf file.") from exc
    family, _style = loaded.getname()
    return family or Path(file).stem


def font_key(data: bytes) -> str:
    """``font:<sha256>``: how a Scene names this font."""
    return FONT_PREFIX + hashlib.sha256(data).hexdigest()


def fonts_dir() -> Path:
    return library_root() / "fonts"


def keep_font(data: bytes, file: str) -> tuple[str, str]:
    """Check ``data`` is a font and keep it under the data folder (once per content).

    :return: (its key for ``TextSpec.family``, its family name).
    :raise FontFileError: when it is not a font; nothing is written then.
    """
    name = font_name(data, file)
    key = font_key(data)
    dest = fonts_dir() / f"{key.removeprefix(FONT_PREFIX)}.font"
    if not dest.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(dest) as tmp:
            tmp.write_bytes(data)
    return key, name


def font_file(key: str) -> Path | None:
    """The kept file of a ``font:<sha256>`` family, or None when it is not (or no longer) here."""
    digest = key.removeprefix(FONT_PREFIX)
    if not key.startswith(FONT_PREFIX) or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        return None
    path = fonts_dir() / f"{digest}.font"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=64)
def kept_family(key: str) -> str | None:
    """The family name inside the kept font ``key`` ("Acme Sans"), or None when it is not kept here or cannot
    be read (a key names its content, so the answer never changes)."""
    path = font_file(key)
    if path is None:
        return None
    try:
        return font_name(path.read_bytes(), path.name)
    except (OSError, FontFileError):
        return None

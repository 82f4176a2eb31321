"""A small PNG of an output's first frame, for lists of outputs (the History).

Pillow opens every format we write except MP4 and decodes only the first frame; for MP4 the caller passes
the first frame it already has (the render plan's), so no video decoder is started.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from imagegen.files import atomic_path

log = logging.getLogger(__name__)

THUMB_SIDE = 160
_PILLOW_FORMATS = ["PNG", "JPEG", "WEBP", "GIF"]


def thumbnail_name(file: str) -> str:
    """``20240501-093000-BG.gif`` -> ``20240501-093000-BG.gif.thumb.png`` (never another output's name)."""
    return f"{file}.thumb.png"


def write_thumbnail(source: Path, first_frame: Callable[[], Image.Image] | None = None) -> Path | None:
    """Write the thumbnail of ``source`` beside it; None (logged) when it cannot be made.

    A missing thumbnail never fails a render: the History then shows the file without a picture.

    :param first_frame: builds the first frame when Pillow cannot read ``source`` (MP4).
    """
    source = Path(source)
    dest = source.with_name(thumbnail_name(source.name))
    try:
        image = _first_frame(source, first_frame)
        image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        with atomic_path(dest) as tmp:
            image.save(tmp, format="PNG", optimize=True)
    except Exception as exc:  # a thumbnail is a convenience: log and go on
        log.warning("no thumbnail for %s: %s", source.name, exc)
        return None
    return dest


def _first_frame(source: Path, first_frame: Callable[[], Image.Image] | None) -> Image.Image:
    if source.suffix.lower() == ".mp4":
        if first_frame is None:
            raise ValueError("an MP4 needs its first frame passed in")
        return first_frame().convert("RGBA")
    with Image.open(source, formats=_PILLOW_FORMATS) as image:
        image.seek(0)
        return image.convert("RGBA")


def thumbnail_png(data: bytes, side: int = THUMB_SIDE) -> bytes | None:
    """A PNG of the first frame of an output held in memory (a batch row's file), at most ``side`` px a
    side; None for an MP4 (no decoder is started) or bytes Pillow cannot read (logged)."""
    try:
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS) as image:
            image.seek(0)
            image.draft("RGB", (side, side))  # a JPEG decodes at a reduced scale
            frame = image.convert("RGBA")
        frame.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        frame.save(buffer, format="PNG", optimize=True)
    except Exception as exc:  # a preview is a convenience: log and go on
        log.info("no preview of a %d-byte file: %s", len(data), exc)
        return None
    return buffer.getvalue()

"""How many frames a written file holds, read from its container's structure (no pixel is decoded).

An encoder may store fewer frames than were drawn: the GIF and APNG encoders merge a frame identical
to the previous one into its delay, and libwebp does the same for WebP. What users are told about a
file (the preview's caption, the History, a ZIP's manifest) is what the file holds.
"""

from __future__ import annotations

import logging
import mmap
import struct
from collections.abc import Callable
from pathlib import Path

from imagegen.export.formats import OutputFormat

log = logging.getLogger(__name__)

_GIF_EXTENSION, _GIF_IMAGE, _GIF_TRAILER = 0x21, 0x2C, 0x3B
#: MP4 boxes that hold the video track's sample table (``stsz`` counts one sample per stored frame).
_MP4_PATH = (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsz")


class _Truncated(Exception):
    """The structure ends before it should."""


def _byte(data: mmap.mmap, at: int) -> int:
    if at >= len(data):
        raise _Truncated
    return data[at]


def _skip_sub_blocks(data: mmap.mmap, at: int) -> int:
    """Past a chain of GIF data sub-blocks (each a length byte, then that many bytes; 0 ends it)."""
    while (size := _byte(data, at)) != 0:
        at += 1 + size
    return at + 1


def _colour_table(flags: int) -> int:
    """Bytes of the colour table a GIF descriptor's flags announce."""
    return 3 * (2 << (flags & 0x07)) if flags & 0x80 else 0


def _gif_frames(data: mmap.mmap) -> int:
    if data[:4] != b"GIF8":
        raise _Truncated
    at = 13 + _colour_table(_byte(data, 10))
    frames = 0
    while (kind := _byte(data, at)) != _GIF_TRAILER:
        if kind == _GIF_EXTENSION:
            at = _skip_sub_blocks(data, at + 2)
        elif kind == _GIF_IMAGE:
            frames += 1
            at += 10 + _colour_table(_byte(data, at + 9))
            at = _skip_sub_blocks(data, at + 1)  # past the LZW minimum code size, then the image data
        else:
            raise _Truncated
    return frames


def _apng_frames(data: mmap.mmap) -> int:
    """The animation control chunk's frame count; a PNG without one is a still."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise _Truncated
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        if kind == b"acTL":
            return int(struct.unpack_from(">I", data, at + 8)[0])
        if kind in (b"IDAT", b"IEND"):
            return 1
        at += 12 + length
    raise _Truncated


def _webp_frames(data: mmap.mmap) -> int:
    """One ``ANMF`` chunk per stored frame; a WebP without any is a still."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _Truncated
    at, frames = 12, 0
    while at + 8 <= len(data):
        kind, size = struct.unpack_from("<4sI", data, at)
        if at + 8 + size > len(data):
            raise _Truncated
        frames += kind == b"ANMF"
        at += 8 + size + (size & 1)
    return max(frames, 1)


def _mp4_box(data: mmap.mmap, start: int, end: int, kind: bytes) -> tuple[int, int]:
    """(payload start, box end) of the first ``kind`` box between ``start`` and ``end``."""
    at = start
    while at + 8 <= end:
        size, found = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, at + 8)[0], 16
        elif size == 0:
            size = end - at
        if size < header:
            break
        if found == kind:
            return at + header, at + size
        at += size
    raise _Truncated


def _mp4_frames(data: mmap.mmap) -> int:
    start, end = 0, len(data)
    for kind in _MP4_PATH:
        start, end = _mp4_box(data, start, end, kind)
    return int(struct.unpack_from(">I", data, start + 8)[0])  # after version/flags and the sample size


_COUNTERS: dict[OutputFormat, Callable[[mmap.mmap], int]] = {
    OutputFormat.GIF: _gif_frames,
    OutputFormat.APNG: _apng_frames,
    OutputFormat.WEBP: _webp_frames,
    OutputFormat.MP4: _mp4_frames,
}


def stored_frames(path: Path, fmt: OutputFormat) -> int | None:
    """The frames ``path`` (a file written as ``fmt``) holds; 1 for PNG/JPEG; None when its structure
    cannot be read (the caller keeps the count it drew)."""
    counter = _COUNTERS.get(fmt)
    if counter is None:
        return 1
    try:
        with Path(path).open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return counter(data)
    except (OSError, ValueError, struct.error, _Truncated):
        log.warning("could not count the frames of %s", Path(path).name)
        return None

"""A streaming APNG writer.

Pillow's own APNG writer keeps every frame in memory (it needs the frame count before writing), so we
write the chunks ourselves: each frame's changed box is compressed by Pillow's PNG encoder and its
IDAT data re-wrapped as ``fdAT``; identical frames are merged into the previous frame's delay; the
frame count in ``acTL`` is patched at the end (the output must be seekable). Memory holds one canvas
copy and one pending compressed frame, whatever the frame count.

The file is always RGBA (an opaque canvas costs a constant alpha channel, which compresses to almost
nothing) so a frame can be drawn "over" the previous one with every unchanged pixel fully clear: a
box spanning a logo at the top and a product at the bottom then stores the photo between them as
runs of zeros instead of re-encoding it. A frame whose changed pixels are not all opaque (transparent
canvases) replaces its box instead ("source" blending).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image

from imagegen.export.boxes import Box, changes, clip
from imagegen.export.gif import FrameLike

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_DISPOSE_NONE, _BLEND_SOURCE, _BLEND_OVER = 0, 0, 1
COMPRESS_LEVEL = 6


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_chunks(image: Image.Image) -> Iterator[tuple[bytes, bytes]]:
    """(type, data) of every chunk Pillow writes for ``image`` as a plain PNG."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=COMPRESS_LEVEL, compress_type=zlib.Z_RLE)
    data = buffer.getvalue()
    pos = len(_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        yield data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length


@dataclass
class _Pending:
    box: Box
    idat: list[bytes]  # compressed image data, one entry per IDAT chunk Pillow wrote
    duration_ms: int
    blend: int = _BLEND_SOURCE


class ApngWriter:
    """Write RGBA frames of one size as an animated PNG.

    :param loops: how many times the animation plays; 0 = forever.
    """

    def __init__(self, fp: BinaryIO, size: tuple[int, int], *, loops: int = 0) -> None:
        self._fp = fp
        self._size = size
        self._loops = max(0, loops)
        self._previous: np.ndarray | None = None
        self._pending: _Pending | None = None
        self._sequence = 0
        self._written = 0
        self._actl_at = -1

    def add(self, rgba: np.ndarray, duration_ms: int, dirty: Box | None = None) -> None:
        """Add a frame; ``dirty`` bounds what changed since the previous ``add`` (None = anything)."""
        width, height = self._size
        if rgba.shape != (height, width, 4):
            raise ValueError(f"frame is {rgba.shape[1]}x{rgba.shape[0]}, the APNG is {width}x{height} RGBA")
        if self._previous is None:
            self._previous = rgba.copy()
            self._start(Image.fromarray(self._previous), duration_ms)
            return
        assert self._pending is not None
        region = clip((0, 0, width, height) if dirty is None else dirty, self._size)
        found = None if region is None else changes(rgba, self._previous, region)
        if found is None:
            self._pending.duration_ms += duration_ms
            return
        (bl, bt, br, bb), moved = found
        patch = rgba[bt:bb, bl:br].copy()
        blend = _BLEND_SOURCE
        if patch[moved][:, 3].min() == 255:  # every change opaque: draw over, unchanged pixels clear
            patch[~moved] = 0
            blend = _BLEND_OVER
        self._previous[bt:bb, bl:br] = rgba[bt:bb, bl:br]
        idat = [data for kind, data in _png_chunks(Image.fromarray(patch)) if kind == b"IDAT"]
        self._flush()
        self._pending = _Pending((bl, bt, br, bb), idat, duration_ms, blend)

    def _start(self, image: Image.Image, duration_ms: int) -> None:
        self._fp.write(_SIGNATURE)
        idat = []
        for kind, data in _png_chunks(image):
            if kind == b"IHDR":
                self._fp.write(_chunk(kind, data))
                self._actl_at = self._fp.tell()
                self._fp.write(_chunk(b"acTL", struct.pack(">II", 1, self._loops)))
            elif kind == b"IDAT":
                idat.append(data)
        self._pending = _Pending((0, 0, *self._size), idat, duration_ms)

    def _flush(self) -> None:
        pending = self._pending
        if pending is None:
            return
        left, top, right, bottom = pending.box
        numerator, denominator = (
            (pending.duration_ms, 1000)
            if pending.duration_ms <= 0xFFFF
            else (
                min(round(pending.duration_ms / 10), 0xFFFF),
                100,
            )
        )
        control = struct.pack(
            ">IIIIIHHBB", self._sequence, right - left, bottom - top, left, top,
            numerator, denominator, _DISPOSE_NONE, pending.blend,
        )  # fmt: skip
        self._fp.write(_chunk(b"fcTL", control))
        self._sequence += 1
        for data in pending.idat:
            if self._written == 0:  # the first frame is the default image: plain IDAT
                self._fp.write(_chunk(b"IDAT", data))
            else:
                self._fp.write(_chunk(b"fdAT", struct.pack(">I", self._sequence) + data))
                self._sequence += 1
        self._written += 1
        self._pending = None

    def close(self) -> int:
        """Write the last frame and IEND, patch the frame count; returns the number of frames written."""
        if self._pending is None:
            raise ValueError("an APNG needs at least one frame")
        self._flush()
        self._fp.write(_chunk(b"IEND", b""))
        end = self._fp.tell()
        self._fp.seek(self._actl_at)
        self._fp.write(_chunk(b"acTL", struct.pack(">II", self._written, self._loops)))
        self._fp.seek(end)
        return self._written


def write_apng(frames: Iterable[FrameLike], fp: BinaryIO, *, loops: int = 0) -> int:
    """Encode ``frames`` (streamed) as an APNG into the seekable ``fp``; returns frames written."""
    writer: ApngWriter | None = None
    for frame in frames:
        if writer is None:
            height, width = frame.image.shape[:2]
            writer = ApngWriter(fp, (width, height), loops=loops)
        writer.add(frame.image, frame.duration_ms, frame.dirty)
    if writer is None:
        raise ValueError("an APNG needs at least one frame")
    return writer.close()

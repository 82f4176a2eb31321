"""A streaming GIF encoder: one global palette, frame deltas, duplicate merging, exact timing.

Each frame is mapped onto the global palette only inside the region the renderer says changed
(:attr:`FrameLike.dirty`), compared with what is on screen, and written as the tight box of changed
pixels with unchanged pixels inside the box set to the transparent index (disposal 1, "do not
dispose"), so a sliding logo over a static photo costs a few KB per frame. Frames identical to what
is on screen are merged into the previous frame's delay.

Frames stream: a frame is written as soon as the next distinct one arrives (its delay is only known
then), so memory holds one canvas of indices and one pending box, whatever the frame count.

Timing: GIF delays are centiseconds. Each frame's start is rounded from the exact millisecond
timeline, so rounding never accumulates and the total is exact to 10 ms. Browsers show delays
under 20 ms as 100 ms, so a frame that would be on screen for less than ``min_delay_cs`` is folded
into the previous one (only happens above 50 fps); the animation then plays at the right speed.

Transparent canvases: GIF alpha is 1 bit (alpha < 128 is clear). A pixel turning clear cannot be
drawn with a transparent index, so the previous frame's box is grown to cover it and disposed to
background (disposal 2); the next frame redraws that box.

Pillow's LZW encoder writes the image data (``GifImagePlugin.getdata``); we write every other block.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

import numpy as np
from PIL import GifImagePlugin, Image

from imagegen.export.boxes import Box, changes, clip, mask_box, union
from imagegen.export.palette import GifPalette, build_palette

log = logging.getLogger(__name__)

_KEEP, _CLEAR = 1, 2  # GIF disposal methods: leave the frame in place / clear its box
_MAX_DELAY_CS = 0xFFFF


class FrameLike(Protocol):
    """What the encoders need from a rendered frame (``imagegen.render.Frame`` satisfies it)."""

    @property
    def image(self) -> np.ndarray: ...  # (H, W, 4) uint8 RGBA; may be reused by the producer

    @property
    def duration_ms(self) -> int: ...

    @property
    def dirty(self) -> Box | None: ...  # changed vs the previous frame; None = anything may have


@dataclass
class _Pending:
    """A frame whose pixels are known but whose delay is not (it ends when the next one starts)."""

    indices: np.ndarray  # (h, w) palette indices of the box
    box: Box
    start_cs: int
    disposal: int = _KEEP


@dataclass(frozen=True)
class GifStats:
    frames_in: int
    frames_written: int
    delays_cs: tuple[int, ...]


def _bands(mask: np.ndarray, gap: int = 16) -> Iterator[Box]:
    """Boxes covering the True pixels of ``mask``, one per run of rows (runs split at >= ``gap`` clean rows).

    A dirty region spanning two far-apart sprites (a logo at the top, a product at the bottom) then
    maps two small boxes instead of the whole height between them.
    """
    rows = np.flatnonzero(mask.any(axis=1))
    splits = np.flatnonzero(np.diff(rows) > gap)
    starts = rows[np.r_[0, splits + 1]]
    ends = rows[np.r_[splits, len(rows) - 1]] + 1
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        cols = np.flatnonzero(mask[start:end].any(axis=0))
        yield (int(cols[0]), start, int(cols[-1]) + 1, end)


class GifEncoder:
    """Write an animated GIF frame by frame to a binary file object.

    :param loops: how many times the animation plays; 0 = forever.
    :param transparent: honour alpha (clear where alpha < 128); False treats frames as opaque.
    :param min_delay_cs: shortest delay a frame may get (see module docs); 1 disables folding.
    """

    def __init__(
        self,
        fp: BinaryIO,
        size: tuple[int, int],
        palette: GifPalette,
        *,
        loops: int = 0,
        transparent: bool = False,
        min_delay_cs: int = 2,
    ) -> None:
        self._fp = fp
        self._size = size
        self._palette = palette
        self._transparent = transparent
        self._min_delay_cs = max(1, min_delay_cs)
        self._screen: np.ndarray | None = None  # indices on screen once the pending frame is drawn
        self._previous: np.ndarray | None = None  # RGBA of the last frame written (not skipped)
        self._pending: _Pending | None = None
        self._dirty: Box | None = None  # union of the dirty boxes since the last kept frame
        self._time_ms = 0
        self._frames_in = 0
        self._delays: list[int] = []
        self._write_header(loops)

    def _write_header(self, loops: int) -> None:
        width, height = self._size
        bits = self._palette.table_bits
        packed = 0x80 | ((bits - 1) << 4) | (bits - 1)  # global table, its resolution and size
        self._fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, packed, self._palette.transparent_index, 0))
        self._fp.write(self._palette.table_bytes())
        if loops != 1:
            # NETSCAPE2.0 counts *extra* plays (browsers play it count + 1 times); 0 = forever.
            repeat = 0 if loops <= 0 else min(loops - 1, 0xFFFF)
            self._fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", repeat) + b"\x00")

    def add(self, rgba: np.ndarray, duration_ms: int, dirty: Box | None = None) -> None:
        """Add a frame shown for ``duration_ms``; ``dirty`` bounds what changed since the last ``add``."""
        width, height = self._size
        if rgba.shape[:2] != (height, width):
            raise ValueError(f"frame is {rgba.shape[1]}x{rgba.shape[0]}, the GIF is {width}x{height}")
        start_cs = (self._time_ms + 5) // 10
        self._time_ms += max(0, int(duration_ms))
        self._frames_in += 1
        self._dirty = union(self._dirty, (0, 0, width, height) if dirty is None else clip(dirty, self._size))
        if self._pending is None:
            self._start(rgba, start_cs)
        elif start_cs - self._pending.start_cs >= self._min_delay_cs and self._dirty is not None:
            self._delta(rgba, start_cs)

    def _start(self, rgba: np.ndarray, start_cs: int) -> None:
        indices = self._palette.map(rgba, alpha=self._transparent)
        self._screen = indices.copy()  # the mapped array is read-only and becomes the first frame
        self._previous = rgba.copy()
        self._pending = _Pending(indices, (0, 0, *self._size), start_cs)
        self._dirty = None

    def _delta(self, rgba: np.ndarray, start_cs: int) -> None:
        assert self._screen is not None and self._pending is not None and self._dirty is not None
        region, self._dirty = self._dirty, None
        found = changes(rgba, self._previous, region)
        if found is None:
            return  # identical to what is on screen: the pending frame simply lasts longer
        region, moved = found
        current, changed = self._compare(rgba, region, moved)
        if changed is None:
            return  # changed only within a palette colour's reach: same indices, nothing to draw
        if self._transparent:
            clearing = changed & (current == self._palette.transparent_index)
            clear_box = mask_box(clearing, region[0], region[1])
            if clear_box is not None:
                region = self._dispose_pending(clear_box, region)
                current, changed = self._compare(rgba, region, None)
                if changed is None:  # all clear now: still a frame, so the disposal happens on time
                    changed = np.zeros(current.shape, bool)
                    changed[0, 0] = True
        left, top, right, bottom = region
        il, it, ir, ib = mask_box(changed) or (0, 0, 1, 1)
        patch = np.where(changed[it:ib, il:ir], current[it:ib, il:ir], np.uint8(self._palette.transparent_index))
        self._screen[top:bottom, left:right] = current
        self._previous[top:bottom, left:right] = rgba[top:bottom, left:right]
        self._flush(start_cs)
        self._pending = _Pending(patch, (il + left, it + top, ir + left, ib + top), start_cs)

    def _compare(self, rgba: np.ndarray, region: Box, moved: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Indices of ``region`` in ``rgba`` and the mask of those differing from the screen.

        :param moved: pixels of ``region`` whose RGBA changed; only bands holding some are mapped
            (the rest keep their on-screen index). None maps the whole region.
        """
        assert self._screen is not None
        left, top, right, bottom = region
        on_screen = self._screen[top:bottom, left:right]
        if moved is None:
            current = self._palette.map(rgba[top:bottom, left:right], alpha=self._transparent)
        else:
            current = on_screen.copy()
            for bl, bt, br, bb in _bands(moved):
                block = rgba[top + bt : top + bb, left + bl : left + br]
                current[bt:bb, bl:br] = self._palette.map(block, alpha=self._transparent)
        changed = current != on_screen
        return current, (changed if changed.any() else None)

    def _dispose_pending(self, clear_box: Box, region: Box) -> Box:
        """Grow the pending frame's box over ``clear_box`` and dispose it to transparent.

        :return: the region the next frame must cover (it repaints everything in the disposed box).
        """
        assert self._screen is not None and self._pending is not None
        pending = self._pending
        grown = union(pending.box, clear_box)
        assert grown is not None
        gl, gt, gr, gb = grown
        indices = np.full((gb - gt, gr - gl), self._palette.transparent_index, np.uint8)
        pl, pt, pr, pb = pending.box
        indices[pt - gt : pb - gt, pl - gl : pr - gl] = pending.indices
        pending.indices, pending.box, pending.disposal = indices, grown, _CLEAR
        self._screen[gt:gb, gl:gr] = self._palette.transparent_index
        cover = union(region, grown)
        assert cover is not None
        return cover

    def _flush(self, end_cs: int) -> None:
        """Write the pending frame, now that it is known to last until ``end_cs``."""
        pending = self._pending
        if pending is None:
            return
        delay = min(max(1, end_cs - pending.start_cs), _MAX_DELAY_CS)
        self._delays.append(delay)
        packed = (pending.disposal << 2) | 1  # disposal method, transparency flag
        self._fp.write(b"!\xf9\x04" + struct.pack("<BHB", packed, delay, self._palette.transparent_index) + b"\0")
        frame = Image.fromarray(pending.indices)
        for chunk in GifImagePlugin.getdata(frame, offset=pending.box[:2]):
            self._fp.write(chunk)
        self._pending = None

    def close(self) -> GifStats:
        """Write the last frame and the trailer; the encoder cannot be used afterwards."""
        if self._pending is None:
            raise ValueError("a GIF needs at least one frame")
        self._flush((self._time_ms + 5) // 10)
        self._fp.write(b";")
        return GifStats(self._frames_in, len(self._delays), tuple(self._delays))


def write_gif(
    frames: Iterable[FrameLike],
    fp: BinaryIO,
    *,
    palette_sources: Sequence[Image.Image | np.ndarray] = (),
    loops: int = 0,
    transparent: bool = False,
    min_delay_cs: int = 2,
) -> GifStats:
    """Encode ``frames`` (streamed) as a GIF into ``fp``.

    :param palette_sources: images whose colours the palette must cover (the static base and the
        moving sprites); the first frame is always added to them.
    """
    iterator: Iterator[FrameLike] = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise ValueError("a GIF needs at least one frame")
    image = first.image
    palette = build_palette([*palette_sources, image])
    log.debug("GIF palette: %d colours", len(palette.colors))
    height, width = image.shape[:2]
    encoder = GifEncoder(fp, (width, height), palette, loops=loops, transparent=transparent, min_delay_cs=min_delay_cs)
    encoder.add(image, first.duration_ms, None)
    for frame in iterator:
        encoder.add(frame.image, frame.duration_ms, frame.dirty)
    return encoder.close()

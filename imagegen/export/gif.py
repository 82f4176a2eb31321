"""A streaming GIF encoder: a global palette, local palettes where it falls short, frame deltas, exact timing.

Each frame is compared with the previous one only inside the region the renderer says changed
(:attr:`FrameLike.dirty`) and written as the tight box of pixels to redraw, the rest of the box set to
the transparent index (disposal 1, "do not dispose"), so a sliding logo over a static photo costs a
few KB per frame. Frames identical to the previous one are merged into its delay.

Small changes (less than an eighth of the canvas: sprites moving over a static base) take a fast path:
the rows holding changed pixels are mapped onto the global palette and every pixel whose index differs
from the one on screen is redrawn (the nearest colour is then at least as close as the one shown). A
local colour table does not pay for so few pixels, and index comparison costs far less than the error
scoring below. Colours are searched exactly once each and remembered (``palette.NearestCache``); noisy
photo pixels go through Pillow's mapping. If the global colours cannot show a small change at all (the
first steps of a logo's fade), it goes the slow way below, which can give it a local table.

A small change the global palette serves far worse than the first frame (a photo moving over a sky
whose gradient took most of the global colours) gets a table of its own instead: the exact global
colours of the background it uncovers, so that background looks as it did before the sprite passed,
and colours fitted to the sprite, half of them error-diffused (see ``GifEncoder._redraw_sprite``).

A static base that is a photo (the plan's base, ``write_gif(base=...)``) is mapped once with a stable
dither (``GifPalette.map_balanced``: nearest colours corrected so that small regions keep their average),
and every frame that shows a base pixel, in the first frame or uncovered behind a sprite, gives it that
same index: the dither never moves, so static pixels never shimmer.

Every pixel remembers the source colour it showed when it was last drawn (``_drawn``); larger changes
(fades, crossfades, slideshow transitions) are decided from that by measured error (:class:`GifQuality`):

* Redraw: pixels whose source differs from what was drawn for them are candidates, judged in tiles
  (:mod:`imagegen.export.drift`). All changed tiles are redrawn together once they drifted 3/4 of
  ``drift`` (mean squared change per channel) on average: redrawn one by one, a fade's tiles make a
  patchwork that shows as blocks. Otherwise a tile is redrawn when it drifted past ``drift``, when one
  of its pixels moved far, or when it stopped changing while it still shows an older picture: a fade
  settles on its exact final colours, so a held slide shows no trace of the drift allowed while it moved.
  In a slow fade most pixels move by a level or two per frame: redrawing only when the drift adds up
  saves most of the bytes at a bounded cost in error. The decision reads bytes only (no mapping, no
  float errors); only the pixels drawn are mapped.
* Lead: a fade's tiles are drawn not as they are but where they will be halfway to their next refresh
  (:func:`~imagegen.export.drift.lead`: each pixel's step since the previous frame, times the frames
  its tile's pace takes to reach the refresh bar), so the picture is first ahead, then exact, then
  behind: the same largest error as a refresh that only lags, half as many refreshes. Led pixels
  settle on their exact colours when the fade stops (never left as "faint"); still pixels are never led.
* Palette: the pixels to draw use the animation's global palette unless it maps them worse than
  ``local_below_db`` (and clearly worse than the first frame); then they get a local colour table built
  from them, used when it measurably beats the global one (else they are drawn with the global colours;
  the table is built where the frame is written, see below). Content that is not a photo gets the
  smallest table (4 to 64 colours) that stays 3 dB above that budget: its LZW codes are shorter. A photo
  fade's refresh of half the canvas or more always gets a table of its own (its bytes, not its error:
  every pixel written, no holes). With the
  global palette a pixel is written only when its colour beats what is on screen; when none would, or
  some global colour is far off, the global colours cannot show the change and a local table is built.
* Distinct frames stay distinct: when the source changed but no tile passes the bar, every eighth row
  of tiles is redrawn anyway (the next frame, the next rows), so a fade never collapses into a cut.

Frames stream: a frame is written as soon as the next distinct one arrives (its delay is only known
then), so memory holds the screen, the drawn sources, the previous frame and one pending box, whatever
the frame count.

Timing: GIF delays are centiseconds. Each frame's start is rounded from the exact millisecond
timeline, so rounding never accumulates and the total is exact to 10 ms. Browsers show delays
under 20 ms as 100 ms, so a frame that would be on screen for less than ``min_delay_cs`` is folded
into the previous one (only happens above 50 fps); the animation then plays at the right speed.

Transparent canvases: GIF alpha is 1 bit (alpha < 128 is clear). A pixel turning clear cannot be
drawn with a transparent index, so the previous frame's box is grown to cover it and disposed to
background (disposal 2); the next frame redraws that box.

Pillow's LZW encoder writes the image data (with the code size of the frame's colour table); we write
every other block. The LZW, a frame's local table (:class:`_LocalTable`) and the mapping onto it run in
a worker thread (:mod:`imagegen.export.lzw`) while the encoder decides the next frame: the encoder only
needs to know that the frame is drawn whole, not with which colours. The file is written in order and
does not depend on the threads' timing.
"""

from __future__ import annotations

import logging
import math
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, Protocol

import numpy as np
from PIL import Image

from imagegen.export.boxes import Box, changes, clip, mask_box, pixel_words, union
from imagegen.export.drift import FAR_LEVELS, expand, lead, tile_any, tile_drift, tiles_to_draw
from imagegen.export.lzw import OrderedWriter
from imagegen.export.palette import (
    ALPHA_CUTOFF,
    MAX_COLORS,
    SMOOTH_COLORS,
    ColourCounts,
    GifPalette,
    build_palette,
    rgba_array,
)

log = logging.getLogger(__name__)

_KEEP, _CLEAR = 1, 2  # GIF disposal methods: leave the frame in place / clear its box
_MAX_DELAY_CS = 0xFFFF
_ERROR_SAMPLE = 16_384  # pixels to draw that the palette decision measures (a strided sample)
_LOCAL_GAIN = 0.8  # a local palette is used when its error is at most this fraction of the global one's
_LOCAL_MIN_PIXELS = 4096  # fewer changed pixels than this never pay for a 768-byte local table
# ... nor do fewer than 1/8 of the canvas, unless the global colours cannot show the change at all: a
# sprite sliding over a photo reveals what the global palette was built from (fades, crossfades and
# slideshow transitions change far more of the canvas)
_LOCAL_MIN_SHARE = 8
_SMALL_TABLES = (4, 8, 16, 64)  # colour counts of the smaller local tables tried for content that is not a photo
_SMALL_TABLE_MARGIN_DB = 3.0  # ... used when they map it this far above the budget for a local palette
# a tile that stopped changing is left as it is when its source drifted at most this share of the drift
# budget since it was drawn (quality 90: a mean squared 2.25, 1.5 levels) and no byte of it more than
# _SETTLED_LEVELS: redrawing it would not show; measured on the slideshow: 4.05 -> 3.86 MB, same PSNR
_SETTLED_SHARE = 0.25
_SETTLED_LEVELS = 8
_FIRST_FRAME_SLACK = 1.15  # the global palette "still serves" up to this multiple of its first-frame error
# a small change (a sprite) whose pixels the global palette serves badly, such as a photo moving over a
# sky whose gradient took most of the global colours, gets a table of its own: the global colours its
# well-served pixels use (within this many levels on every channel: the sky revealed behind it, drawn
# exactly as the sky around it is), and the rest fitted to the badly served pixels
_SERVED_LEVELS = 3
_SPRITE_MIN_COLOURS = 128  # ... at least this many of them
# ... when they map those pixels this many times worse than the first frame: a photo over a sky (the sky
# maps far better), not a sprite over a photo (its edges and the photo revealed map about as well)
_SPRITE_SLACK = 4.0
# the fitted colours are error-diffused on this share of the pixels (an ordered pattern picks which) and
# mapped to their nearest colour on the rest: diffusion keeps a photo's local averages (no bands under a
# blur), nearest colours keep each pixel close; half and half measured best on both at once
_SPRITE_DITHER = 0.5
# a photo fade's refresh drawing at least this share of the canvas gets a table of its own, however well the
# global colours would do: every pixel written with it (the global colours write only the pixels they
# show better, and the holes cost LZW more than they save: the slideshow's refreshes took 500-570 KB
# with the global colours against 340-420 KB with a table of their own)
_REFRESH_LOCAL_SHARE = 0.5


class FrameLike(Protocol):
    """What the encoders need from a rendered frame (``imagegen.render.Frame`` satisfies it)."""

    @property
    def image(self) -> np.ndarray: ...  # (H, W, 4) uint8 RGBA; may be reused by the producer

    @property
    def duration_ms(self) -> int: ...

    @property
    def dirty(self) -> Box | None: ...  # changed vs the previous frame; None = anything may have


@dataclass(frozen=True)
class GifQuality:
    """What the 1-100 quality setting buys in a GIF (see the module docs for how each is used).

    :param local_below_db: changed pixels that the global palette maps below this PSNR get a local palette.
    :param drift: mean squared change per channel a tile's source may drift from what was drawn
        before the tile is redrawn; 0 redraws every change.
    """

    local_below_db: float
    drift: float

    @classmethod
    def of(cls, quality: int) -> GifQuality:
        """100: redraw every change, local palettes below 40 dB; 90 (the default): drift up to 9
        (a drifting tile stays above ~38 dB), local palettes below 38 dB; 50: drift 45, local
        palettes below 30 dB; 1: drift 89, local palettes below 25 dB.

        The default was chosen on the quality benchmark's photo scenes against gifski (issue 30): at
        drift 9 the fades' worst frames after a 3 px blur (where a drift shows: it is a smooth shift,
        not noise) match or beat gifski's; drift 16 was 0.7-0.9 dB behind on the photo fade and the
        slideshow. Since a fade's refreshes are drawn ahead of it (the module docs' "Lead"), drift 9
        costs about what drift 16 did before: photo fade 5.1 MB (was 8.0 at drift 9, 5.2 at 16),
        slideshow 4.6 MB (5.3, 3.9), 42-58 % of gifski's bytes, each worst frame and blurred worst frame
        at or above gifski's. A larger drift saves bytes that a fade shows: the error of a refresh
        drawn ahead grows with the drift as a lagging one's does."""
        quality = min(100, max(1, int(quality)))
        return cls(local_below_db=max(25.0, 40.0 - (100 - quality) * 0.2), drift=(100 - quality) * 0.9)


DEFAULT_QUALITY = GifQuality.of(90)


@dataclass
class _Pending:
    """A frame whose pixels are known but whose delay is not (it ends when the next one starts)."""

    indices: np.ndarray | _LocalPatch  # (h, w) palette indices of the box, or how to map them
    box: Box
    start_cs: int
    palette: _LocalTable | None = None  # a local colour table; None = the global one
    disposal: int = _KEEP

    def table_or(self, global_palette: GifPalette) -> GifPalette:
        """The colour table the frame is drawn with: its local one when chosen, else ``global_palette``."""
        local = None if self.palette is None else self.palette.chosen()
        return global_palette if local is None else local


@dataclass(frozen=True)
class GifStats:
    frames_in: int
    frames_written: int
    delays_cs: tuple[int, ...]
    local_palettes: int = 0  # frames written with their own colour table


@dataclass(frozen=True)
class _LocalPixels:
    """The pixels a local palette draws, to be mapped onto it later (gathered in row order of the mask)."""

    pixels: np.ndarray  # (1, n, 4) RGBA
    likely: np.ndarray | None  # colours of a sample of them, mapped without counting; None: a photo's


@dataclass(frozen=True)
class _LocalPatch:
    """A frame drawn with a local palette, mapped when called: in the compressing thread
    (:class:`~imagegen.export.lzw.OrderedWriter`), while the encoder decides the next frame."""

    table: _LocalTable
    local: _LocalPixels
    draw: np.ndarray  # (h, w) bool: where the pixels go; elsewhere the transparent index
    fallback: GifPalette  # the global palette (without its cache) when the table is not chosen

    def __call__(self) -> np.ndarray:
        palette = self.table.chosen()
        if palette is None:
            palette = self.fallback
        likely = self.local.likely  # a photo's pixels (None) Pillow maps at once (see GifPalette.map)
        mapped = palette.map(self.local.pixels, alpha=False, noisy=likely is None, likely=likely)[0]
        if len(mapped) == self.draw.size:  # every pixel of the box drawn (a fade's refresh)
            return mapped.reshape(self.draw.shape)
        patch = np.full(self.draw.shape, palette.transparent_index, np.uint8)
        patch[self.draw] = mapped
        return patch


@dataclass(frozen=True)
class _Sample:
    """A strided sample of the pixels a frame draws: what its palette is chosen, built and judged on."""

    pixels: np.ndarray  # (1, n, 4) RGBA
    counts: ColourCounts | None  # its histogram; None for a photo's (nearly every pixel its own colour)

    @classmethod
    def of(cls, pixels: np.ndarray) -> _Sample:
        pixels = np.ascontiguousarray(pixels)
        counts = ColourCounts.of(pixels)
        return cls(pixels, counts if counts.smooth else None)

    def error(self, palette: GifPalette) -> float:
        """Mean squared error per channel of the sample mapped onto ``palette`` (from its histogram
        when it has few colours: the cost of its distinct colours, not of its pixels)."""
        return _mean_error(palette, self.pixels) if self.counts is None else self.counts.mean_error(palette)

    def palette(self, size: int = MAX_COLORS) -> GifPalette:
        return build_palette([self.pixels], size) if self.counts is None else self.counts.palette(size)


class _LocalTable:
    """A frame's local colour table, built when first asked for: in the compressing thread, while the
    encoder decides the next frame (the encoder only needs to know that the frame is drawn whole with
    a table of its own, see ``GifEncoder._choose_palette``).

    Tables are built in frame order whichever thread asks (each first builds the one before it): the
    size that served one frame's table is where the next frame's search starts, so the file does not
    depend on the threads' timing.

    :param global_error: how the global palette maps the frame's sample (inf: it cannot show it).
    """

    def __init__(
        self, build: Callable[[], tuple[GifPalette, float]], after: _LocalTable | None, global_error: float
    ) -> None:
        self._build: Callable[[], tuple[GifPalette, float]] | None = build
        self._after = after
        self._global_error = global_error
        self._lock = threading.Lock()
        self._built: tuple[GifPalette, float] | None = None

    def built(self) -> tuple[GifPalette, float]:
        """The table and its mean squared error on the frame's sample."""
        with self._lock:
            if self._built is None:
                assert self._build is not None
                if self._after is not None:
                    self._after.built()
                self._built = self._build()
                self._build = self._after = None  # what they hold (a sample, older tables) can go
            return self._built

    def chosen(self) -> GifPalette | None:
        """The table, or None when it maps the sample no better than :data:`_LOCAL_GAIN` times the global
        palette's error: a table that does not pay for its bytes (the frame is drawn with the global colours)."""
        palette, error = self.built()
        return None if error > _LOCAL_GAIN * self._global_error else palette


@dataclass
class _Redraw:
    """One frame's decision inside ``box``: the pixels to write, their indices, and what is now shown."""

    box: Box
    draw: np.ndarray  # (h, w) bool: pixels written
    indices: np.ndarray | _LocalPixels  # (h, w) global indices, meaningful where ``draw``; or local pixels
    palette: _LocalTable | None  # a local colour table; None = the global one
    settled: np.ndarray  # (h, w) bool: pixels that now show the current source as well as they can
    words: np.ndarray  # (h, w) uint32: the current source's RGBA words
    # every pixel whose source differs from what was drawn for it is settled: the others already hold
    # their source, so recording what is drawn is a plain copy of ``words`` (opaque GIFs only: there a
    # pixel is a candidate exactly when its source differs; a masked copy costs 5x more)
    all_settled: bool = False
    # a sprite's own table (see GifEncoder._redraw_sprite): the indices written into it, and which drawn
    # pixels show a colour of that table that is no global one (the others show ``indices``' global colour)
    patch: np.ndarray | None = None
    foreign: np.ndarray | None = None
    # (h, w) bool: pixels whose ``words`` are where a fade will be, not its source (see GifEncoder._lead)
    ahead: np.ndarray | None = None


def _bands(mask: np.ndarray, gap: int = 16) -> Iterator[Box]:
    """Boxes covering the True pixels of ``mask``, one per run of rows (runs split at >= ``gap`` clean rows).

    A changed box spanning two far-apart sprites (a logo at the top, a product at the bottom) then
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
    :param quality: the error budgets (see :class:`GifQuality`).
    :param base: (h, w, 4) RGBA of the static layers under the moving ones (opaque canvases): when it is
        a photo, its pixels get the indices of :meth:`GifPalette.map_balanced` wherever a frame shows
        them (see :meth:`_base_at`).
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
        quality: GifQuality = DEFAULT_QUALITY,
        base: np.ndarray | None = None,
    ) -> None:
        self._out = OrderedWriter(fp)
        self._size = size
        self._palette = palette.cached()
        self._transparent = transparent
        self._min_delay_cs = max(1, min_delay_cs)
        self._quality = quality
        width, height = size
        # the source colour (RGBA word) each pixel showed when it was last drawn: what drift is measured from
        self._drawn = np.zeros((height, width), np.uint32)
        self._stale: Box | None = None  # bounds the pixels left undrawn within the drift budget
        self._clear = np.zeros((height, width), bool)  # pixels clear on screen (transparent canvases)
        # global palette indices on screen once the pending frame is drawn (the transparent one shows
        # as black), except where ``_foreign``: a local table's colour shows there
        self._screen = np.zeros((height, width), np.uint8)
        self._foreign = np.zeros((height, width), bool)
        self._global_words = _palette_words(self._palette.colors)  # each index's colour as an RGBA word
        self._shared_palette = palette.uncached()  # for the compressing thread: a cache is not thread-safe
        self._previous: np.ndarray | None = None  # RGBA of the last frame taken in (not folded)
        # pixels drawn from where a fade will be rather than where it is (drift.lead): they settle on
        # their exact colours when the fade stops, however close they came
        self._ahead = np.zeros((height, width), bool)
        self._pending: _Pending | None = None
        self._dirty: Box | None = None  # union of the dirty boxes since the last kept frame
        self._time_ms = 0
        self._frames_in = 0
        self._delays: list[int] = []
        self._local_palettes = 0
        self._table_size = 0  # which of _SMALL_TABLES served the last local palette (len: none did)
        self._last_table: _LocalTable | None = None  # the latest frame's local table (built in order after it)
        self._global_error = 0.0  # how well the global palette maps the first frame (mean squared error)
        # a photo base's RGBA words and its indices, error-balanced once: every pixel that shows the base
        # (in the first frame, or uncovered behind a sprite later) gets the same index, so the dither is
        # stable; None when there is no such base
        self._base: tuple[np.ndarray, np.ndarray] | None = None
        if base is not None and not transparent and base.shape[:2] == (size[1], size[0]) and _photo(base):
            self._base = pixel_words(base), self._palette.map_balanced(base)
        self._write_header(loops)

    def _write_header(self, loops: int) -> None:
        width, height = self._size
        bits = self._palette.table_bits
        packed = 0x80 | ((bits - 1) << 4) | (bits - 1)  # global table, its resolution and size
        self._out.write(b"GIF89a" + struct.pack("<HHBBB", width, height, packed, self._palette.transparent_index, 0))
        self._out.write(self._palette.table_bytes())
        if loops != 1:
            # NETSCAPE2.0 counts *extra* plays (browsers play it count + 1 times); 0 = forever.
            repeat = 0 if loops <= 0 else min(loops - 1, 0xFFFF)
            self._out.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", repeat) + b"\x00")

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
        elif start_cs - self._pending.start_cs >= self._min_delay_cs and (self._dirty or self._stale) is not None:
            self._delta(rgba, start_cs)

    def _start(self, rgba: np.ndarray, start_cs: int) -> None:
        indices = self._first_indices(rgba)
        self._screen[:] = indices
        self._drawn[:] = pixel_words(rgba)
        if self._transparent:
            np.equal(indices, self._palette.transparent_index, out=self._clear)
        self._previous = rgba.copy()
        self._pending = _Pending(indices, (0, 0, *self._size), start_cs)
        self._dirty = None
        # how well the global palette maps the first frame, from the indices it just got (a strided sample)
        step = max(1, math.isqrt(indices.size // _ERROR_SAMPLE))
        sampled = indices[::step, ::step]
        shown = self._global_words[sampled].view(np.uint8).reshape(*sampled.shape, 4)[..., :3]
        error = _squared(shown, rgba[::step, ::step, :3])
        opaque = ~self._clear[::step, ::step]
        if opaque.any():
            self._global_error = float(error[opaque].mean()) / 3

    def _first_indices(self, rgba: np.ndarray) -> np.ndarray:
        """The first frame's indices: the base's balanced ones where it shows the base, else mapped."""
        if self._base is None:
            return self._palette.map(rgba, alpha=self._transparent)
        words, base_indices = self._base
        other = pixel_words(rgba) != words
        indices = base_indices.copy()
        for left, top, right, bottom in _bands(other) if other.any() else ():
            mapped = self._palette.map(rgba[top:bottom, left:right], alpha=False)
            np.copyto(indices[top:bottom, left:right], mapped, where=other[top:bottom, left:right])
        return indices

    def _base_at(self, indices: np.ndarray, words: np.ndarray, box: Box) -> None:
        """Give the pixels of ``box`` whose source ``words`` show the base its balanced ``indices``."""
        if self._base is None:
            return
        left, top, right, bottom = box
        base_words, base_indices = self._base
        back = words == base_words[top:bottom, left:right]
        np.copyto(indices, base_indices[top:bottom, left:right], where=back)

    def _delta(self, rgba: np.ndarray, start_cs: int) -> None:
        assert self._previous is not None and self._pending is not None
        region, self._dirty = self._dirty, None
        found = None if region is None else changes(rgba, self._previous, region)
        if found is None and self._stale is None:
            return  # identical to the previous frame: the pending frame simply lasts longer
        box = union(None if found is None else found[0], self._stale)
        assert box is not None
        left, top, right, bottom = box
        pieces: list[Box] = []  # the change's rows of pixels, as far-apart parts (in its own box)
        if found is not None:
            (fl, ft, fr, fb), found_moved = found
            pieces = list(_bands(found_moved))
        if found is not None and self._stale is None:
            moved = found[1]  # changed since the previous frame (the box is the change's own)
        else:
            moved = np.zeros((bottom - top, right - left), bool)
            if found is not None:
                moved[ft - top : fb - top, fl - left : fr - left] = found[1]
        disposed = False
        if self._transparent:
            clearing = moved & (rgba[top:bottom, left:right, 3] < ALPHA_CUTOFF) & ~self._clear[top:bottom, left:right]
            clear_box = mask_box(clearing, left, top)
            if clear_box is not None:
                box = self._dispose_pending(clear_box, box)
                left, top, right, bottom = box
                moved = np.ones((bottom - top, right - left), bool)  # nothing to settle: all is redrawn
                disposed = True
        parts = None if disposed or self._stale is not None else self._redraw_parts(rgba, box, moved, pieces)
        if parts is not None:
            self._keep(rgba, found, pieces)
            self._flush(start_cs)
            self._draw_parts(parts, start_cs)
            return
        redraw = self._redraw(rgba, box, moved)
        self._keep(rgba, found, pieces)  # after the redraw, which reads the fade's step from the previous frame
        if redraw is None and not disposed:
            return  # nothing a palette colour shows better: same picture, the pending frame lasts longer
        self._flush(start_cs)
        if redraw is None:  # all clear now: still a frame, so the disposal happens on time
            tile = np.full((1, 1), self._palette.transparent_index, np.uint8)
            self._pending = _Pending(tile, (left, top, left + 1, top + 1), start_cs)
            return
        self._draw(redraw, start_cs)

    def _keep(self, rgba: np.ndarray, found: tuple[Box, np.ndarray] | None, pieces: list[Box]) -> None:
        """Remember the changed ``pieces`` (bands of ``found``'s box, see :func:`_bands`) of ``rgba`` as
        the previous frame (the pixels between them did not change)."""
        if found is None:
            return
        fl, ft = found[0][:2]
        for pl, pt, pr, pb in pieces:
            self._previous[ft + pt : ft + pb, fl + pl : fl + pr] = rgba[ft + pt : ft + pb, fl + pl : fl + pr]

    def _redraw_parts(self, rgba: np.ndarray, box: Box, moved: np.ndarray, parts: list[Box]) -> list[_Redraw] | None:
        """The fast path part by part, for a small change made of far-apart parts (a logo at the top, a
        product at the bottom: Scene A's box is twice their area), so that the pixels between them are
        never touched; None when the change is one part, is not small, or a part does not take the
        fast path (then ``box`` is redrawn as one). Opaque canvases with nothing stale only: there the
        candidates are exactly the ``moved`` pixels, and ``parts`` their bands (see :func:`_bands`)."""
        if self._transparent or len(parts) < 2:
            return None
        count = sum(int(np.count_nonzero(moved[top:bottom, left:right])) for left, top, right, bottom in parts)
        width, height = self._size
        if count >= max(_LOCAL_MIN_PIXELS, width * height // _LOCAL_MIN_SHARE):
            return None  # not small: decided by tiles
        if count >= _LOCAL_MIN_PIXELS and self._base is None:
            return None  # over a smooth base a sprite may need a table of its own (see _redraw)
        left, top = box[:2]
        redraws = []
        for part_left, part_top, part_right, part_bottom in parts:
            part = (left + part_left, top + part_top, left + part_right, top + part_bottom)
            region = (slice(part[1], part[3]), slice(part[0], part[2]))
            if self._foreign[region].any():
                return None
            words = pixel_words(rgba[region])
            redraw = self._redraw_changed_indices(rgba, part, words != self._drawn[region], words)
            if redraw is None:
                return None
            redraws.append(redraw)
        return redraws

    def _draw_parts(self, redraws: list[_Redraw], start_cs: int) -> None:
        """Make the fast path's ``redraws`` (global indices, every candidate settled) one pending frame:
        their tight boxes' union, transparent between them."""
        drawn: list[tuple[Box, np.ndarray, np.ndarray]] = []
        for redraw in redraws:
            left, top, right, bottom = redraw.box
            self._drawn[top:bottom, left:right] = redraw.words
            self._ahead[top:bottom, left:right] = False  # none there (they keep the stale box open), to be sure
            il, it, ir, ib = mask_box(redraw.draw) or (0, 0, 1, 1)
            draw, indices = redraw.draw[it:ib, il:ir], redraw.indices[it:ib, il:ir]
            assert isinstance(indices, np.ndarray)
            screen = (slice(top + it, top + ib), slice(left + il, left + ir))
            np.copyto(self._screen[screen], indices, where=draw)
            self._foreign[screen] &= ~draw
            drawn.append(((left + il, top + it, left + ir, top + ib), draw, indices))
        whole = drawn[0][0]
        for part, _draw, _indices in drawn[1:]:
            whole = union(whole, part) or whole
        wl, wt, wr, wb = whole
        patch = np.full((wb - wt, wr - wl), self._palette.transparent_index, np.uint8)
        for (left, top, right, bottom), draw, indices in drawn:
            np.copyto(patch[top - wt : bottom - wt, left - wl : right - wl], indices, where=draw)
        self._pending = _Pending(patch, whole, start_cs)

    def _redraw(self, rgba: np.ndarray, box: Box, moved: np.ndarray) -> _Redraw | None:
        """Which pixels of ``box`` to redraw, with which palette; None when none.

        Candidates are the pixels whose source differs from what was drawn for them. Small changes
        take the fast path; larger ones are decided by tiles (:mod:`imagegen.export.drift`): a tile is
        redrawn when its source drifted past the budget, when a pixel in it is far off, when it is
        clear on screen but opaque now, or when it stopped changing (``moved`` is False throughout)
        while it still shows an older picture: a fade settles on its final colours (within a faint
        drift that would not show, see :data:`_SETTLED_SHARE`).
        """
        left, top, right, bottom = box
        source = rgba[top:bottom, left:right]
        words = pixel_words(source)
        candidates = words != self._drawn[top:bottom, left:right]
        if self._transparent:
            candidates &= source[..., 3] >= ALPHA_CUTOFF
        self._stale = None
        count = int(np.count_nonzero(candidates))
        if not count:
            return None
        width, height = self._size
        small = count < max(_LOCAL_MIN_PIXELS, width * height // _LOCAL_MIN_SHARE)
        # a sprite over a photo base is served by the photo's palette (what it uncovers, by the base's
        # own indices); over a smooth one it may need a table of its own
        if small and count >= _LOCAL_MIN_PIXELS and not self._transparent and self._base is None:
            sprite = self._redraw_sprite(rgba, box, candidates, words, count)
            if sprite is not None:
                return sprite
        if small and not self._foreign[top:bottom, left:right].any():
            exact = self._redraw_changed_indices(rgba, box, candidates, words)
            if exact is not None:
                return exact
        drawn = self._drawn[top:bottom, left:right].view(np.uint8).reshape(*candidates.shape, 4)
        drift, peaks = tile_drift(source, drawn)
        # in an opaque GIF the candidates are the pixels with a byte off, so the tiles holding one are
        # those whose largest difference is not 0 (a pass over the tiles, not the pixels)
        changed = tile_any(candidates) if self._transparent else peaks > 0
        holding = changed.copy()  # the tiles holding a candidate
        drift[~changed] = 0  # changes of pixels that cannot be drawn (clear in the source) do not count
        peaks[~changed] = 0
        # tiles that stopped changing settle: redrawn with their final colours, unless what is on screen
        # is already within a faint drift of them (then it stays, and counts as drawn)
        stopped = changed & ~tile_any(moved)
        faint = stopped & (drift <= self._quality.drift * _SETTLED_SHARE) & (peaks <= _SETTLED_LEVELS)
        faint &= ~tile_any(self._ahead[top:bottom, left:right])
        forced = stopped & ~faint
        if self._transparent:
            forced |= tile_any(candidates & self._clear[top:bottom, left:right])  # clear now, opaque next
        changed &= ~faint
        chosen = tiles_to_draw(drift, peaks, forced, changed, self._quality.drift, phase=self._frames_in)
        # pixel masks only where the tiles do not decide alone (a fade's refresh draws every candidate)
        everywhere = not (holding & ~chosen).any()
        draw = candidates if everywhere else expand(chosen, candidates.shape) & candidates
        accepted = expand(faint, candidates.shape) & candidates if faint.any() else None
        if not draw.any():  # every tile holding a candidate is faint (then accepted is not None)
            if accepted is not None:
                np.copyto(self._drawn[top:bottom, left:right], words, where=accepted)
                candidates &= ~accepted
            self._stale = mask_box(candidates, left, top)
            return None
        target, ahead = self._lead(source, box, words, draw)
        moving = bool((chosen & ~stopped).any())
        palette, indices, write, settled = self._mapped(box, target, draw, count, moving)
        if accepted is not None:
            settled = settled | accepted
        if palette is not None and not (holding & ~(chosen | faint)).any():
            self._stale = None  # a local palette settles what it draws: every candidate is drawn or faint
        else:
            self._stale = mask_box(candidates & ~settled, left, top)
        if ahead is not None:  # checked again next frame: they settle when the fade stops
            self._stale = union(self._stale, mask_box(settled & ahead, left, top))
        return _Redraw(box, write, indices, palette, settled, target, self._stale is None and not self._transparent,
                       ahead=ahead)  # fmt: skip

    def _lead(
        self, source: np.ndarray, box: Box, words: np.ndarray, draw: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The RGBA words to draw the ``draw`` pixels of ``box`` from: where a fade will be
        (:func:`~imagegen.export.drift.lead`, from its step since the previous frame), and which pixels
        that moves (None: none, ``words`` as they are). Opaque canvases only: a transparent one's
        pixels turn clear at an alpha of 128, which a lead would bring forward."""
        if self._transparent or self._previous is None:
            return words, None
        inner = mask_box(draw)  # only what is drawn: most frames of a slow fade draw one band of rows
        assert inner is not None
        il, it, ir, ib = inner
        left, top = box[:2]
        previous = self._previous[top + it : top + ib, left + il : left + ir]
        led = lead(source[it:ib, il:ir], previous, self._quality.drift)
        if led is None:
            return words, None
        target = words.copy()
        target[it:ib, il:ir] = pixel_words(led)
        return target, target != words

    def _mapped(
        self, box: Box, words: np.ndarray, draw: np.ndarray, changed: int, moving: bool = False
    ) -> tuple[_LocalTable | None, np.ndarray | _LocalPixels, np.ndarray, np.ndarray]:
        """The palette for the ``draw`` pixels (None = the global one), their indices on it, which of
        them to write and which now show their source as well as they can (settled).

        With the global palette a pixel is written only when its global colour is closer to its source
        than what is on screen (a global colour, or a local one: then the source it was drawn from
        stands for it, up to that palette's error), and it is settled when written or when its global
        index is already on screen. The global palette is kept only when some pixel is written and
        every global colour is within :data:`FAR_LEVELS` of its source; else the global colours cannot
        show this change (the first steps of a logo's fade, a new photo) and a local palette is built,
        with which every ``draw`` pixel is written.

        :param words: (h, w) RGBA words of the region's source.
        :param changed: how many pixels of the region changed (whether a local table can pay for itself).
        """
        picked = _where(words, draw)  # the pixels to draw, gathered: mapping costs what is drawn
        pixels = picked.view(np.uint8).reshape(1, -1, 4)
        sample = _Sample.of(pixels[:, :: max(1, len(picked) // _ERROR_SAMPLE)])
        photo = sample.counts is None
        width, height = self._size
        refresh = moving and photo and len(picked) >= _REFRESH_LOCAL_SHARE * width * height
        palette = self._choose_palette(changed, sample, always=refresh)
        if palette is None:
            mapped = self._palette.map(pixels, alpha=False, noisy=photo)[0]
            left, top, right, bottom = box
            region = (slice(top, bottom), slice(left, right))
            whole = len(picked) == draw.size  # every pixel of the box (a fade's refresh): no masked gathers
            on_screen, foreign = _read(self._screen[region], draw, whole), _read(self._foreign[region], draw, whole)
            shown = (mapped == on_screen) & ~foreign
            # what is on screen: a global colour, or a local table's colour whose source is known
            screen = self._global_words[on_screen]
            if foreign.any():
                screen = np.where(foreign, _read(self._drawn[region], draw, whole), screen)
            closer = _distance(self._global_words[mapped], picked) < _distance(screen, picked)
            written = ~shown & closer
            if written.any() and not self._far_off(mapped, picked):
                settled = written | shown
                if whole:
                    return None, mapped.reshape(draw.shape), written.reshape(draw.shape), settled.reshape(draw.shape)
                indices = np.zeros(draw.shape, np.uint8)
                indices[draw] = mapped
                write, settled_at = np.zeros_like(draw), np.zeros_like(draw)
                write[draw] = written
                settled_at[draw] = settled
                return None, indices, write, settled_at
            palette = self._choose_palette(0, sample, always=True)
            assert palette is not None
        return palette, _LocalPixels(pixels, None if sample.counts is None else sample.counts.keys), draw, draw

    def _far_off(self, indices: np.ndarray, words: np.ndarray) -> bool:
        """Whether a pixel's global colour (1-D ``indices``) is more than :data:`FAR_LEVELS` off its
        source colour (1-D RGBA ``words``)."""
        opaque = np.uint32(0xFF000000)  # equal alpha bytes: whole words compare, not strided channels (20x faster)
        shown = (self._global_words[indices] | opaque).view(np.uint8)
        wanted = (words | opaque).view(np.uint8)
        difference = np.maximum(shown, wanted)
        difference -= np.minimum(shown, wanted)
        return bool(len(difference)) and int(difference.max()) > FAR_LEVELS

    def _redraw_changed_indices(
        self, rgba: np.ndarray, box: Box, candidates: np.ndarray, words: np.ndarray
    ) -> _Redraw | None:
        """The fast path for changes too small to pay for a local table (sprites moving over a static
        base): map the rows holding ``candidates`` onto the global palette and redraw every pixel whose
        index differs from the one on screen (the nearest colour is then at least as close as the one
        shown, so this is the drift-free decision at the cost of an index comparison; every candidate
        is settled). None when no index differs: the global colours cannot show this change.
        """
        left, top, right, bottom = box
        screen = self._screen[top:bottom, left:right]
        indices = screen.copy()
        for bl, bt, br, bb in _bands(candidates):
            block = rgba[top + bt : top + bb, left + bl : left + br]
            band = indices[bt:bb, bl:br]
            band[:] = self._palette.map(block, alpha=False)
            # the base uncovered shows its own (stable) indices again
            self._base_at(band, words[bt:bb, bl:br], (left + bl, top + bt, left + br, top + bb))
        draw = (indices != screen) & candidates
        if not draw.any():
            return None
        return _Redraw(box, draw, indices, None, candidates, words, not self._transparent)

    def _redraw_sprite(
        self, rgba: np.ndarray, box: Box, candidates: np.ndarray, words: np.ndarray, count: int
    ) -> _Redraw | None:
        """A small change drawn with a table of its own when the global palette serves many of its
        pixels badly (more than :data:`_SERVED_LEVELS` off) and far worse than the first frame (a
        photo moving over a sky; not a photo revealed behind a logo, which maps as it did at first).

        The table holds the global colours of the well-served pixels, so the background revealed
        behind the sprite shows exactly the colours it would with the global palette (no seam, no
        band that moves), and colours fitted to the badly served pixels. Its pixels that show a
        global colour count as global on screen. None when the global palette will do.
        """
        step = max(1, count // _ERROR_SAMPLE)  # every step-th row: most changes are turned down on it
        if not self._serves_badly(words[::step][candidates[::step]], step):
            return None
        picked = words[candidates]
        pixels = picked.view(np.uint8).reshape(1, -1, 4)
        # served: colours met in smooth content before (the sky the sprite uncovers: drawn as the sky
        # around it is), then other smooth pixels close to their exact nearest global colour while there
        # is room (mapped apart from a photo's pixels: with them, they would get Pillow's cell-cached
        # colours)
        known = self._palette.known(picked)
        smooth = known | _smooth_at(rgba, box)[candidates]
        mapped = np.zeros(len(picked), np.uint8)
        for part in (known, smooth & ~known):  # the known ones from the cache, exactly
            mapped[part] = self._palette.map(np.ascontiguousarray(pixels[:, part]), alpha=False)[0]
        close = known | (smooth & (_largest_step(self._global_words[mapped], picked) <= _SERVED_LEVELS))
        room = MAX_COLORS - _SPRITE_MIN_COLOURS
        kept = np.unique(mapped[close & known])[:room]
        others, uses = np.unique(mapped[close & ~known & ~np.isin(mapped, kept)], return_counts=True)
        kept = np.sort(np.concatenate([kept, others[np.argsort(uses)[::-1][: room - len(kept)]]]))
        rough = ~close | ~np.isin(mapped, kept)
        rough_pixels = np.ascontiguousarray(pixels[:, rough])
        fitted = build_palette(
            [rough_pixels[:, :: max(1, rough_pixels.shape[1] // _ERROR_SAMPLE)]], MAX_COLORS - len(kept)
        )
        table = GifPalette.from_colors(np.concatenate([self._palette.colors[kept], fitted.colors]))
        left, top, right, bottom = box
        local = np.empty(len(picked), np.uint8)
        local[~rough] = np.searchsorted(kept, mapped[~rough])
        # the sprite moves, so its pixels are drawn anew every frame: a dither cannot shimmer on them
        dithered = fitted.map_dithered(rgba[top:bottom, left:right], _SPRITE_DITHER, (left, top))
        local[rough] = len(kept) + dithered[candidates][rough]
        screen = self._screen[top:bottom, left:right]
        indices = screen.copy()
        indices[candidates] = mapped
        foreign = np.zeros_like(candidates)
        foreign[candidates] = rough
        # a well-served pixel whose global colour is already on screen need not be written
        draw = candidates & (foreign | (indices != screen) | self._foreign[top:bottom, left:right])
        patch = np.zeros(candidates.shape, np.uint8)
        patch[candidates] = local
        return _Redraw(box, draw, indices, _LocalTable(lambda: (table, 0.0), None, math.inf), candidates, words, True,
                       patch, foreign)  # fmt: skip

    def _serves_badly(self, sample: np.ndarray, step: int) -> bool:
        """Whether the global palette maps at least :data:`_LOCAL_MIN_PIXELS` of a change's pixels
        (``sample``: every ``step``-th of their RGBA words) more than :data:`_SERVED_LEVELS` off, and
        the change below the budget for local palettes and :data:`_SPRITE_SLACK` times worse than the
        first frame."""
        mapped = self._palette.map(sample.view(np.uint8).reshape(1, -1, 4), alpha=False)[0]
        shown = self._global_words[mapped]
        rough = _largest_step(shown, sample) > _SERVED_LEVELS
        if int(np.count_nonzero(rough)) * step < _LOCAL_MIN_PIXELS:
            return False
        error = float(_distance(shown, sample).mean()) / 3  # all of the change's, as the first frame's is
        return _psnr(error) < self._quality.local_below_db and error > _SPRITE_SLACK * self._global_error

    def _choose_palette(self, count: int, sample: _Sample, *, always: bool = False) -> _LocalTable | None:
        """A local palette for the pixels to draw when the global one maps them worse than the budget
        and clearly worse than it maps the first frame (a photo revealed behind a sprite maps as well
        as it did at first: no local palette); else None. ``always``: the global colours cannot show
        the change at all, so a local palette it is.

        The table is built later, where the frame is written (:class:`_LocalTable`); when it does not
        beat the global palette by :data:`_LOCAL_GAIN` after all, the frame's pixels are drawn with the
        global colours instead (as a local table draws them: all of them, taken as showing their source
        within that error).

        :param count: pixels that changed: fewer than a local table pays for get the global palette.
        :param sample: of the pixels to draw, for measuring errors and building the palette.
        """
        width, height = self._size
        if not always and count < max(_LOCAL_MIN_PIXELS, width * height // _LOCAL_MIN_SHARE):
            return None
        global_error = math.inf
        if not always:
            global_error = sample.error(self._palette)
            if (
                _psnr(global_error) >= self._quality.local_below_db
                or global_error <= _FIRST_FRAME_SLACK * self._global_error
            ):
                return None
        build = partial(self._local_palette, sample)
        self._last_table = _LocalTable(build, self._last_table, global_error)
        return self._last_table

    def _local_palette(self, sample: _Sample) -> tuple[GifPalette, float]:
        """The smallest local palette (of :data:`_SMALL_TABLES`, then a full one) that maps ``sample``
        within the budget, and its error: a flat logo's fade step needs a few colours, and a 16-colour
        table's 5-bit codes compress to about half of a 255-colour table's 9-bit ones.

        The steps of a fade need about the same: the size that served the last frame is tried first,
        then one smaller, and larger ones only when it fails.
        """
        sizes = () if sample.counts is None else _SMALL_TABLES
        for position in range(max(0, self._table_size - 1), len(sizes)):
            small = sample.palette(sizes[position])
            error = sample.error(small)
            if _psnr(error) >= self._quality.local_below_db + _SMALL_TABLE_MARGIN_DB:
                self._table_size = position
                return small, error
        self._table_size = len(sizes)
        local = sample.palette()  # built from the pixels its error is measured on
        return local, sample.error(local)

    def _draw(self, redraw: _Redraw, start_cs: int) -> None:
        """Make ``redraw`` the pending frame: its tight box, transparent where nothing is drawn."""
        left, top, right, bottom = redraw.box
        _copy_where(self._drawn[top:bottom, left:right], redraw.words, True if redraw.all_settled else redraw.settled)
        if redraw.ahead is not None:
            np.copyto(self._ahead[top:bottom, left:right], redraw.ahead, where=redraw.settled)
        elif self._ahead[top:bottom, left:right].any():  # redrawn from their source now
            self._ahead[top:bottom, left:right] &= ~redraw.settled
        whole = redraw.draw.all()  # a fade's refresh: every pixel of the box (masked copies cost 5x more)
        il, it, ir, ib = (0, 0, *redraw.draw.shape[::-1]) if whole else mask_box(redraw.draw) or (0, 0, 1, 1)
        draw = redraw.draw[it:ib, il:ir]
        screen = (slice(top + it, top + ib), slice(left + il, left + ir))
        patch: np.ndarray | _LocalPatch
        if redraw.patch is not None:
            assert redraw.palette is not None and redraw.foreign is not None
            table = redraw.palette.chosen()
            assert table is not None
            patch = np.where(draw, redraw.patch[it:ib, il:ir], np.uint8(table.transparent_index))
            foreign = redraw.foreign[it:ib, il:ir]
            np.copyto(self._screen[screen], redraw.indices[it:ib, il:ir], where=draw & ~foreign)
            self._foreign[screen] &= ~draw
            self._foreign[screen] |= draw & foreign
        elif isinstance(redraw.indices, _LocalPixels):
            assert redraw.palette is not None
            patch = _LocalPatch(redraw.palette, redraw.indices, draw, self._shared_palette)
            self._foreign[screen] |= draw
        else:
            indices = redraw.indices[it:ib, il:ir]
            patch = np.where(draw, indices, np.uint8(self._palette.transparent_index))
            np.copyto(self._screen[screen], indices, where=draw)
            self._foreign[screen] &= ~draw
        if self._transparent:
            self._clear[screen][draw] = False
        self._pending = _Pending(patch, (il + left, it + top, ir + left, ib + top), start_cs, redraw.palette)

    def _dispose_pending(self, clear_box: Box, region: Box) -> Box:
        """Grow the pending frame's box over ``clear_box`` and dispose it to transparent.

        :return: the region the next frame must cover (it repaints everything in the disposed box,
            which now counts as drawn from nothing).
        """
        assert self._pending is not None
        pending = self._pending
        table = pending.table_or(self._palette)
        grown = union(pending.box, clear_box)
        assert grown is not None
        gl, gt, gr, gb = grown
        indices = np.full((gb - gt, gr - gl), table.transparent_index, np.uint8)
        pl, pt, pr, pb = pending.box
        indices[pt - gt : pb - gt, pl - gl : pr - gl] = (
            pending.indices if isinstance(pending.indices, np.ndarray) else pending.indices()
        )
        pending.indices, pending.box, pending.disposal = indices, grown, _CLEAR
        self._clear[gt:gb, gl:gr] = True
        self._screen[gt:gb, gl:gr] = self._palette.transparent_index
        self._foreign[gt:gb, gl:gr] = False
        self._drawn[gt:gb, gl:gr] = 0
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
        self._out.write_frame(partial(self._frame, pending, delay))
        self._pending = None

    def _frame(self, pending: _Pending, delay: int) -> tuple[bytes, np.ndarray, int]:
        """A frame's graphic control extension, image descriptor and local table, its indices and their
        code size (called in the compressing thread: its local table may be built there)."""
        table = pending.table_or(self._palette)
        local = None if table is self._palette else table
        self._local_palettes += local is not None  # counted here, where a table is chosen (one thread)
        packed = (pending.disposal << 2) | 1  # disposal method, transparency flag
        head = b"!\xf9\x04" + struct.pack("<BHB", packed, delay, table.transparent_index) + b"\0"
        left, top, right, bottom = pending.box
        flags = 0 if local is None else 0x80 | (local.table_bits - 1)  # local colour table?
        head += b"," + struct.pack("<HHHHB", left, top, right - left, bottom - top, flags)
        if local is not None:
            head += local.table_bytes()
        indices = pending.indices if isinstance(pending.indices, np.ndarray) else pending.indices()
        return head, indices, table.table_bits

    def abandon(self) -> None:
        """Stop without finishing the file (its frames failed): frees the compressing thread."""
        self._out.abandon()

    def close(self) -> GifStats:
        """Write the last frame and the trailer; the encoder cannot be used afterwards."""
        if self._pending is None:
            raise ValueError("a GIF needs at least one frame")
        self._flush((self._time_ms + 5) // 10)
        self._out.write(b";")
        self._out.close()
        return GifStats(self._frames_in, len(self._delays), tuple(self._delays), self._local_palettes)


def _largest_step(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The largest RGB difference per pixel of two 1-D arrays of RGBA words."""
    a8, b8 = a.view(np.uint8).reshape(-1, 4), b.view(np.uint8).reshape(-1, 4)
    largest = np.zeros(len(a), np.uint8)
    for channel in range(3):
        difference = np.maximum(a8[:, channel], b8[:, channel])
        difference -= np.minimum(a8[:, channel], b8[:, channel])
        np.maximum(largest, difference, out=largest)
    return largest


def _smooth_at(rgba: np.ndarray, box: Box) -> np.ndarray:
    """(h, w) bool: pixels of ``box`` within :data:`_SERVED_LEVELS` of their left neighbour on every
    channel (a gradient's, a flat colour's; not a photo's)."""
    left, top, right, bottom = box
    here = rgba[top:bottom, left:right, :3].astype(np.int16)
    before = rgba[top:bottom, max(0, left - 1) : right - 1, :3]
    smooth = np.ones(here.shape[:2], bool)
    offset = 1 if left == 0 else 0  # the canvas's first column has no left neighbour: smooth
    step = np.abs(here[:, offset:] - before).max(axis=-1)
    smooth[:, offset:] = step <= _SERVED_LEVELS
    return smooth


def _photo(rgba: np.ndarray) -> bool:
    """Whether ``rgba`` holds too many colours to be smooth or flat content (Pillow counts in C and
    gives up past the limit, so a photo costs little)."""
    return Image.fromarray(np.ascontiguousarray(rgba)).getcolors(SMOOTH_COLORS) is None


def _where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``values[mask]`` (a new array: the frame's buffer is reused while a local patch is still mapped),
    copied without the gather when every pixel is masked (5x cheaper on a fade's refresh)."""
    return values.reshape(-1).copy() if mask.all() else values[mask]


def _read(values: np.ndarray, mask: np.ndarray, whole: bool) -> np.ndarray:
    """``values[mask]`` to read at once (a view of ``values`` when every pixel is masked)."""
    return values.reshape(-1) if whole else values[mask]


def _copy_where(dest: np.ndarray, values: np.ndarray, mask: np.ndarray | bool) -> None:
    """``np.copyto(dest, values, where=mask)``, a plain copy when every pixel is masked."""
    np.copyto(dest, values, where=True if mask is True or mask.all() else mask)


def _palette_words(colors: np.ndarray) -> np.ndarray:
    """A palette's colours as 256 RGBA words (alpha 0), padded with black, so any index (the transparent
    one too) looks up: one gather per pixel instead of three."""
    table = np.zeros((256, 4), np.uint8)
    table[: len(colors), :3] = colors
    return table.view(np.uint32)[:, 0]


def _squared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared RGB distance per pixel of two (..., 3) uint8 arrays, as float32."""
    difference = a.astype(np.float32)  # integers below 2**24 stay exact in float32
    difference -= b
    difference *= difference
    return difference[..., 0] + difference[..., 1] + difference[..., 2]


def _mean_error(palette: GifPalette, sample: np.ndarray) -> float:
    """Mean squared error per channel of ``sample`` (1, n, 4) mapped onto ``palette``."""
    mapped = palette.colors[palette.map(sample, alpha=False)[0]]
    return float(_squared(mapped, sample[0, :, :3]).mean()) / 3


def _distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared RGB distance of two 1-D arrays of RGBA words (channel by channel: a sum over a
    3-wide axis costs 6x more; a frame's million pixels took 38 ms that way, 6 ms this way)."""
    a8, b8 = a.view(np.uint8).reshape(-1, 4), b.view(np.uint8).reshape(-1, 4)
    total = np.zeros(len(a), np.int32)
    for channel in range(3):
        difference = a8[:, channel].astype(np.int32)
        difference -= b8[:, channel]
        difference *= difference
        total += difference
    return total


def _psnr(mse: float) -> float:
    return math.inf if mse <= 0 else 10 * math.log10(255**2 / mse)


def _thinned(sources: Sequence[Image.Image | np.ndarray], budget: int) -> list[np.ndarray]:
    """``sources`` as RGBA arrays, the large ones strided so that together they hold about ``budget`` pixels.

    The first frame dominates the global palette; sprites and the base only add their colours. A
    full-canvas photo fading in is not on screen at first: it gets local palettes while it shows.
    """
    arrays = [rgba_array(s) for s in sources]
    # sprites smaller than the budget (a logo, a product shot) count whole: their colours are on screen
    # from the start; the large ones (the base, full-canvas photos fading in) share the budget
    large = sum(a.shape[0] * a.shape[1] for a in arrays if a.shape[0] * a.shape[1] > budget)
    step = max(1, math.isqrt(-(-large // max(1, budget))))
    return [a if a.shape[0] * a.shape[1] <= budget else a[::step, ::step] for a in arrays]


def write_gif(
    frames: Iterable[FrameLike],
    fp: BinaryIO,
    *,
    palette_sources: Sequence[Image.Image | np.ndarray] = (),
    blends: Iterable[np.ndarray] = (),
    base: np.ndarray | None = None,
    loops: int = 0,
    transparent: bool = False,
    min_delay_cs: int = 2,
    quality: int = 90,
) -> GifStats:
    """Encode ``frames`` (streamed) as a GIF into ``fp``.

    :param palette_sources: images whose colours the palette must cover (the static base and the
        moving sprites); the first frame is always added to them.
    :param blends: (h, w, 4) RGBA of the moving sprites drawn over the base (``RenderPlan.sprites_on_base``,
        may be lazy): a palette fitted to smooth content covers their colours too (see :func:`build_palette`).
    :param base: (h, w, 4) RGBA of the static layers under the moving ones (see :class:`GifEncoder`).
    :param quality: 1-100, see :meth:`GifQuality.of`.
    """
    iterator: Iterator[FrameLike] = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise ValueError("a GIF needs at least one frame")
    image = first.image
    sources = [image, *_thinned(palette_sources, image.shape[0] * image.shape[1] // 4)]
    palette = build_palette(sources, protect_smooth=True, blends=blends)
    log.debug("GIF palette: %d colours", len(palette.colors))
    height, width = image.shape[:2]
    encoder = GifEncoder(
        fp,
        (width, height),
        palette,
        loops=loops,
        transparent=transparent,
        min_delay_cs=min_delay_cs,
        quality=GifQuality.of(quality),
        base=base,
    )
    try:
        encoder.add(image, first.duration_ms, None)
        for frame in iterator:
            encoder.add(frame.image, frame.duration_ms, frame.dirty)
    except BaseException:
        encoder.abandon()
        raise
    return encoder.close()

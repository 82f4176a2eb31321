"""GIF palettes (the animation's global one and per-frame local ones) and mapping pixels onto them.

Why one global palette: the static background then maps to the same indices in every frame, so
frame deltas stay tiny and static areas never shimmer. Colours come from the static composite plus
every moving sprite plus the first frame (which holds the blends of the sprites on screen over the
background); a palette fitted to smooth content also fits the moving sprites drawn at rest over the
background (``blends``: a logo that enters later still finds colours for its anti-aliased rim).
The encoder gives a frame its own local palette when the global one measurably cannot represent it
(fades, crossfades), built by the same :func:`build_palette`.

Two kinds of content, told apart by counting distinct colours (Pillow counts in C and stops early):

* Few colours (flat graphics, smooth gradients such as a clean sky; at most :data:`SMOOTH_COLORS`):
  the palette is Pillow's median cut refined by weighted Lloyd steps over the distinct colours, and
  pixels are mapped to their exact nearest colour. Pillow's own mapping looks colours up in a cache
  of 8x4x8-level cells, so neighbouring shades of a gradient collapse into one index: contour bands
  (a 1920x1080 dusk sky: 41 dB with Pillow's mapping, 54 dB exact).
* Many colours (photos, where noise hides the cells): for a frame's local palette, Pillow's fast octree
  plus a few Lloyd steps whose assignment reuses Pillow's mapping (~30 ms for a 1080x1080 photo),
  mapped by Pillow; for the animation's palette, a median cut refined by Lloyd steps with near-exact
  assignment (:meth:`GifPalette.nearest_photo`), and a photo base is mapped near-exactly with a stable
  dither (:meth:`GifPalette.map_balanced`): Pillow's cells cost a photo about 1 dB. Both come from
  :mod:`imagegen.export.photo_map` (nearest colours from Pillow's exact answers at its cell corners).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from PIL import Image

from imagegen.export.photo_map import CornerGrid, PhotoLookup, colour_keys, distinct, key_colours, map_balanced

#: Alpha below this is "transparent" in a GIF (1-bit alpha); at or above it, the colour is kept.
ALPHA_CUTOFF = 128
MAX_COLORS = 255  # one of the 256 entries is reserved for transparency
_SAMPLE_BUDGET = 65_536  # pixels whose distinct colours a photo's palette is fitted to; more barely changes it
_SEED_BUDGET = 8_192  # ... of which these seed Pillow's median cut (the seed's cost grows with its pixels)
_SMOOTH_BUDGET = 65_536  # weighted colours fed to the median cut of smooth content (Lloyd steps refine it)
# ... for a frame's local palette (built every frame of a fade): the median cut costs what it is fed, and
# seeds from 1,024 weighted colours refine as well as from 4,096 or 65,536 (flat fade: the same PSNR,
# 50.51/44.12 dB, 0.1 % fewer bytes; Pillow's median cut 0.35 -> 0.2 ms, holding the GIL)
_FRAME_SMOOTH_BUDGET = 1_024
_FRAME_LLOYD_STEPS = 4  # ... and refine it in fewer steps (flat fade: -17 % of the encoder's time, +0.2 % bytes)
_LLOYD_STEPS = 4
_BIN_SHIFT = 1  # a photo's Lloyd steps search bins of 2 levels per channel (see _binned)
# a frame's local palette for a photo (built every frame of a fade) is Pillow's octree over this many
# pixels and fewer Lloyd steps, assigned by Pillow's mapping: cheaper, and its coarser colours compress
# better (the photo fade with the animation palette's method: 5.2 -> 8.4 MB for +1 dB)
_OCTREE_BUDGET = 262_144
_OCTREE_LLOYD_STEPS = 2
#: At most this many distinct colours counts as "smooth or flat" content: exact mapping and palettes.
SMOOTH_COLORS = 16_384
_SMOOTH_LLOYD_STEPS = 6
_PIXELS_PER_COLOR = 8  # smooth content has at least this many pixels per distinct colour
_LOOKUP_CHUNK = 262_144  # pixels looked up at a time by the exact mapping
_COLOURS = 1 << 24
_GATE_SAMPLE = 4096  # new pixels sampled to tell a photo (no search) from smooth content
_FEW_NEW = 256  # new colours searched exactly whatever their count of pixels (~0.3 ms)
_RUN_PIXELS = 4  # regions whose runs of one colour average fewer pixels are mapped pixel by pixel
# a pixel within this many levels of its left and upper neighbours (every channel) is smooth content: a
# gradient steps by a level or two, a photo's sensor noise by several
_SMOOTH_STEP = 2
_SPLIT_BUDGET = 65_536  # pixels sampled to split them (every GIF's start pays for it: a photo's too)
_MIN_SMOOTH_SHARE = 0.05  # mixed palettes need at least this share of smooth pixels (else: a photo's palette)
_MIN_ROUGH_COLOURS = 16  # ... and give the rough pixels (photos, edges) at least this many colours
# ... and at least this many distinct smooth colours (a gradient's): flat graphics' few colours are
# found by the octree as they are
_MIN_SMOOTH_COLOURS = 64


# a photo base's error feedback (see GifPalette.map_balanced): its 4x4 block means are compared, and
# this share of their difference is taken off the source before it is mapped again
_BALANCE_BLOCK = 4
_BALANCE_STRENGTH = 0.5

_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32)  # 4x4 ordered


class NearestCache:
    """The nearest palette index of every 24-bit colour met so far: the global palette maps the same
    colours frame after frame (a sky behind a moving sprite, a logo's flat colours), so each distinct
    colour is searched once.

    A two-level table: colours are grouped in pages of 4,096 (by their top 12 bits) and a page is
    allocated when one of its colours is first remembered, so memory follows the colours met (a sky:
    a few pages; a full table would be 32 MB). Page 0 stays empty: colours of unallocated pages find
    nothing there. The tables grow by doubling: a fade meets new pages frame after frame, and copying
    the tables for each (as concatenation would) cost 0.3 ms a frame.
    """

    _PAGE_BITS = 12

    def __init__(self) -> None:
        self._page_of = np.zeros(_COLOURS >> self._PAGE_BITS, np.int32)
        self._pages = 1  # allocated, page 0 included
        self.lookup = np.zeros(1 << self._PAGE_BITS, np.uint8)
        self.known = np.zeros(1 << self._PAGE_BITS, bool)

    def slots(self, keys: np.ndarray) -> np.ndarray:
        """Where each of ``keys`` (24-bit colours) lives in :attr:`lookup` and :attr:`known`."""
        keys = keys.view(np.int32)  # 24-bit values: the same numbers, and int32 slots (not int64) result
        return (self._page_of[keys >> self._PAGE_BITS] << self._PAGE_BITS) | (keys & ((1 << self._PAGE_BITS) - 1))

    def remember(self, keys: np.ndarray, indices: np.ndarray) -> None:
        """Store the nearest palette ``indices`` of distinct ``keys``, allocating their pages."""
        pages = distinct(keys >> self._PAGE_BITS)
        missing = pages[self._page_of[pages] == 0]
        if len(missing):
            first, self._pages = self._pages, self._pages + len(missing)
            self._page_of[missing] = np.arange(first, self._pages, dtype=np.int32)
            needed = self._pages << self._PAGE_BITS
            if needed > len(self.known):
                grown = max(needed, 2 * len(self.known)) - len(self.known)
                self.lookup = np.concatenate([self.lookup, np.zeros(grown, np.uint8)])
                self.known = np.concatenate([self.known, np.zeros(grown, bool)])
        slots = self.slots(keys)
        self.lookup[slots] = indices
        self.known[slots] = True


@dataclass(frozen=True, eq=False)
class GifPalette:
    """Up to 255 colours plus a reserved transparent index (``len(colors)``)."""

    colors: np.ndarray  # (n, 3) uint8, 1 <= n <= 255
    _mapper: Image.Image  # a "P" image holding exactly ``colors``, for Image.quantize(palette=...)
    _cache: NearestCache | None = field(default=None, repr=False)

    @classmethod
    def from_colors(cls, colors: np.ndarray) -> GifPalette:
        colors = np.ascontiguousarray(colors, dtype=np.uint8).reshape(-1, 3)
        if not 1 <= len(colors) <= MAX_COLORS:
            raise ValueError(f"a GIF palette holds 1..{MAX_COLORS} colours, got {len(colors)}")
        mapper = Image.new("P", (1, 1))
        mapper.putpalette(colors.tobytes())
        return cls(colors, mapper)

    def cached(self) -> GifPalette:
        """The same palette remembering the nearest colour of every colour it maps exactly (for a
        palette that maps many frames; a local palette maps one and needs no cache)."""
        return GifPalette(self.colors, self._mapper, NearestCache())

    def uncached(self) -> GifPalette:
        """The same colours without a cache and with a mapper of their own: safe to map with in another
        thread while this palette maps (its cache and its mapper's lazy loading are not thread-safe)."""
        return GifPalette.from_colors(self.colors)

    @property
    def transparent_index(self) -> int:
        return len(self.colors)

    @property
    def table_bits(self) -> int:
        """Bits of the GIF colour table: it holds 2**bits entries, enough for colours + transparency."""
        return max(1, len(self.colors).bit_length())

    def table_bytes(self) -> bytes:
        """The colour table as written in a GIF: RGB triples padded with black to 2**bits entries."""
        padded = np.zeros((1 << self.table_bits, 3), np.uint8)
        padded[: len(self.colors)] = self.colors
        return padded.tobytes()

    def map(
        self, rgba: np.ndarray, *, alpha: bool, noisy: bool = False, likely: np.ndarray | None = None
    ) -> np.ndarray:
        """Palette indices (h, w) uint8 for an (h, w, 4) RGBA or (h, w, 3) RGB array; no dithering.

        Regions of few distinct colours (at most :data:`SMOOTH_COLORS`, and at least 8 pixels per
        colour) map exactly to the nearest colour, the rest through Pillow's (cell-cached) mapping.

        :param alpha: when True, pixels with alpha below :data:`ALPHA_CUTOFF` get the transparent
            index; when False alpha is ignored (opaque canvas).
        :param noisy: the caller knows the region is a photo (not :attr:`ColourCounts.smooth`): Pillow
            maps it at once.
        :param likely: 24-bit colours the region (smooth) mostly holds, e.g. a sample's: a palette
            without a cache then maps through one that knows them, instead of counting the colours.
        """
        indices = None
        if self._cache is not None and not noisy:
            indices = self._map_cached(rgba, self._cache)
        elif likely is not None and not noisy:
            indices = self._map_likely(rgba, likely)
        if indices is None:
            image = Image.fromarray(np.ascontiguousarray(rgba))
            # the cache's own test, the caller's "photo", or too many colours besides the likely ones
            decided = self._cache is not None or noisy or likely is not None
            counted = None if decided else _smooth_count(image)
            if counted is not None:
                indices = self._map_exact(rgba, counted)
            else:
                rgb = image if image.mode == "RGB" else image.convert("RGB")
                indices = np.asarray(rgb.quantize(palette=self._mapper, dither=Image.Dither.NONE))
        if alpha and rgba.shape[-1] == 4:
            indices = np.where(rgba[..., 3] < ALPHA_CUTOFF, np.uint8(self.transparent_index), indices)
        return indices

    def known(self, words: np.ndarray) -> np.ndarray:
        """Which of the RGBA ``words`` (alpha ignored) this palette's cache has searched before: the
        colours of smooth content it mapped exactly (a photo's go through Pillow and are never
        remembered). All False without a cache."""
        if self._cache is None:
            return np.zeros(words.shape, bool)
        keys = words & np.uint32(0xFFFFFF)
        return self._cache.known[self._cache.slots(keys)]

    def map_dithered(self, rgba: np.ndarray, share: float, origin: tuple[int, int] = (0, 0)) -> np.ndarray:
        """Palette indices (h, w) of an (h, w, 4) RGBA array (alpha ignored): Pillow's Floyd-Steinberg
        dither on ``share`` of the pixels (chosen by a 4x4 ordered pattern anchored at ``origin``, the
        array's place on the canvas), its undithered mapping on the rest. For pixels drawn anew every
        frame only: a dither moves with what it dithers."""
        rgb = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
        plain = np.asarray(rgb.quantize(palette=self._mapper, dither=Image.Dither.NONE))
        if share <= 0:
            return plain
        dithered = np.asarray(rgb.quantize(palette=self._mapper, dither=Image.Dither.FLOYDSTEINBERG))
        height, width = plain.shape
        x, y = origin
        pattern = np.roll(share > (_BAYER + 0.5) / 16, (-y % 4, -x % 4), axis=(0, 1))
        chosen = np.tile(pattern, (height // 4 + 1, width // 4 + 1))[:height, :width]
        return np.where(chosen, dithered, plain)

    @cached_property
    def _grid(self) -> CornerGrid:
        return CornerGrid.of(self.colors, self._mapper)

    def nearest_photo(self, colors: np.ndarray) -> np.ndarray:
        """Index of the near-exact nearest palette colour of each of (n, 3) uint8 ``colors``, found from
        the exact nearest colours of the corners of their Pillow cells (see :mod:`photo_map`): a
        photo's many colours at a fraction of the cost of :meth:`nearest`."""
        return self._grid.nearest(colors)

    def map_balanced(self, rgb: np.ndarray, strength: float = _BALANCE_STRENGTH) -> np.ndarray:
        """(h, w) indices of an (h, w, 3 or 4) photo (alpha ignored): nearest colours corrected once so
        that a region's average shows its source's average (see :func:`photo_map.map_balanced`); the
        same picture always gets the same indices."""
        rgba = np.ascontiguousarray(
            rgb if rgb.shape[-1] == 4 else np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
        )
        lookups = PhotoLookup(self._grid), PhotoLookup(GifPalette.from_colors(self.colors)._grid)  # two threads
        return map_balanced(lookups, self.colors, rgba, strength, _BALANCE_BLOCK)

    def nearest_keys(self, keys: np.ndarray) -> np.ndarray:
        """Index of the nearest palette colour for each of the distinct 24-bit colour ``keys``
        (remembered when the palette has a cache)."""
        cache = self._cache
        if cache is None:
            return self.nearest(key_colours(keys))
        slots = cache.slots(keys)
        unknown = ~cache.known[slots]
        if unknown.any():
            self._learn(cache, keys, slots, unknown, keys[unknown])
        return cache.lookup[slots]

    def _learn(
        self, cache: NearestCache, keys: np.ndarray, slots: np.ndarray, unknown: np.ndarray, new: np.ndarray
    ) -> None:
        """Search and remember the distinct ``new`` colours of the ``unknown`` ones among ``keys``, and
        point their ``slots`` (taken before) at where they now live: a colour of a page met only now had
        a slot in the empty page 0. Remembering only adds pages, so the known colours' slots stay put."""
        cache.remember(new, self.nearest(key_colours(new)))
        slots[unknown] = cache.slots(keys[unknown])

    def nearest(self, colors: np.ndarray) -> np.ndarray:
        """Index of the nearest palette colour (squared RGB distance) for each of (n, 3) ``colors``."""
        return nearest_of(self.colors, colors)

    def _map_cached(self, rgba: np.ndarray, cache: NearestCache) -> np.ndarray | None:
        """Exact mapping through ``cache`` when every colour is known or the region is smooth (then
        its new colours are searched and remembered); None for a region of new, many colours."""
        keys = colour_keys(rgba)
        runs = _Runs.of(keys)
        slots = cache.slots(runs.keys)
        unknown = ~cache.known[slots]
        if not unknown.any():
            return runs.expand(cache.lookup[slots])
        pixel_unknown = runs.expand(unknown)
        new_pixels = int(np.count_nonzero(pixel_unknown))
        mostly_new = new_pixels > keys.size // _PIXELS_PER_COLOR
        # a photo's noise gives (nearly) every pixel its own colour, so neighbours differ; smooth content
        # (flat colours, a clean gradient, a fade's step) repeats each colour along the row
        photo = new_pixels > _FEW_NEW and _noisy(keys, pixel_unknown)
        if not photo:
            new = distinct(runs.keys[unknown])
            if len(new) <= min(SMOOTH_COLORS, max(_FEW_NEW, new_pixels // _PIXELS_PER_COLOR)):
                self._learn(cache, runs.keys, slots, unknown, new)
                return runs.expand(cache.lookup[slots])
        if mostly_new:
            return None  # Pillow's mapping for the whole region
        # a strip of noisy photo revealed beside a sprite: not worth a search, Pillow maps just those pixels
        indices = runs.expand(cache.lookup[slots])
        strip = Image.fromarray(np.ascontiguousarray(rgba[pixel_unknown][None, :, :3]))
        indices[pixel_unknown] = np.asarray(strip.quantize(palette=self._mapper, dither=Image.Dither.NONE))[0]
        return indices

    def _map_likely(self, rgba: np.ndarray, likely: np.ndarray) -> np.ndarray | None:
        """Exact mapping through a cache that first learns the ``likely`` colours (a sample's; the
        pixels' other colours are then few: found and searched), as :meth:`_map_exact` maps but without
        counting every pixel's colour in Pillow (which holds the GIL); None when the region holds too
        many colours to be smooth (see :func:`_smooth_count`)."""
        cache = NearestCache()
        cache.remember(likely, self.nearest(key_colours(likely)))
        keys = colour_keys(rgba)
        runs = _Runs.of(keys)
        slots = cache.slots(runs.keys)
        unknown = ~cache.known[slots]
        if unknown.any():
            new = distinct(runs.keys[unknown])
            if len(likely) + len(new) > _smooth_limit(keys.size):
                return None
            self._learn(cache, runs.keys, slots, unknown, new)
        return runs.expand(cache.lookup[slots])

    def _map_exact(self, rgba: np.ndarray, counted: list[tuple[int, tuple[int, ...]]]) -> np.ndarray:
        """Nearest colours of the distinct colours, looked up per pixel by its 24-bit RGB key."""
        colours = distinct(colour_keys(np.array([colour[:3] for _count, colour in counted], np.uint8)))
        table = NearestCache()  # a lookup per pixel: 10x cheaper than a binary search of the colours
        table.remember(colours, self.nearest(key_colours(colours)))
        indices = np.empty(rgba.shape[:-1], np.uint8)
        rows = max(1, _LOOKUP_CHUNK // max(1, rgba.shape[1] if rgba.ndim == 3 else 1))
        for top in range(0, rgba.shape[0], rows):  # in bands: the keys and slots stay small
            indices[top : top + rows] = table.lookup[table.slots(colour_keys(rgba[top : top + rows]))]
        return indices


@dataclass(frozen=True)
class _Runs:
    """Runs of one colour in a region read row after row: smooth content repeats a colour along its
    row, so a run maps as its first pixel does (a flat logo's fade: 3 % of its pixels start a run, and
    mapping a local table's pixels by runs takes 17 ms where pixel by pixel took 42)."""

    keys: np.ndarray  # (r,) each run's colour
    lengths: np.ndarray | None  # (r,) its pixels; None: every pixel is its own run (short runs, a photo's)
    shape: tuple[int, ...]  # the region's keys

    @classmethod
    def of(cls, keys: np.ndarray) -> _Runs:
        """The runs of ``keys``; when they average under :data:`_RUN_PIXELS` (a photo's noise), pixels."""
        line = keys.reshape(-1)
        if len(line) < _RUN_PIXELS:
            return cls(line, None, keys.shape)
        starts = np.empty(len(line), bool)
        starts[0] = True
        np.not_equal(line[1:], line[:-1], out=starts[1:])
        if np.count_nonzero(starts) * _RUN_PIXELS > len(line):
            return cls(line, None, keys.shape)
        heads = np.flatnonzero(starts)
        return cls(line[heads], np.diff(heads, append=len(line)), keys.shape)

    def expand(self, values: np.ndarray) -> np.ndarray:
        """One value per run -> one per pixel, in the region's shape."""
        return (values if self.lengths is None else np.repeat(values, self.lengths)).reshape(self.shape)


def nearest_of(palette_colors: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """Index of the nearest of (k, 3) ``palette_colors`` (squared RGB distance) for each of (n, 3)
    ``colors`` (a function: the Lloyd steps that move a palette's centres need no GifPalette)."""
    palette = palette_colors.astype(np.float32)
    lengths = (palette**2).sum(axis=1)
    found = np.empty(len(colors), np.uint8)
    chunk = 2048  # (chunk, 255) float32 distances: 2 MB at a time
    for start in range(0, len(colors), chunk):
        block = colors[start : start + chunk].astype(np.float32)
        # |c - p|^2 = |c|^2 - 2 c.p + |p|^2; |c|^2 is the same for every p, so it is left out.
        # Every term is an integer below 2**24, so float32 is exact.
        # three broadcast multiply-adds, not a matrix product: the inner dimension is 3, and BLAS
        # threads would spin on a busy machine
        dot = block[:, 0:1] * palette[:, 0] + block[:, 1:2] * palette[:, 1] + block[:, 2:3] * palette[:, 2]
        found[start : start + chunk] = (lengths[None] - 2 * dot).argmin(axis=1)
    return found


def _distinct_rows(colors: np.ndarray) -> np.ndarray:
    """The distinct rows of (n, 3) uint8 ``colors``, sorted as ``np.unique(colors, axis=0)`` sorts them
    (whose first call imports numpy.ma: 10-25 ms of every fresh process that builds a palette)."""
    wide = colors.astype(np.uint32)
    keys = distinct((wide[:, 0] << 16) | (wide[:, 1] << 8) | wide[:, 2])
    return np.stack([keys >> 16, (keys >> 8) & 0xFF, keys & 0xFF], axis=1).astype(np.uint8)


@dataclass(frozen=True)
class ColourCounts:
    """The distinct colours of some pixels and how many pixels have each (a histogram)."""

    keys: np.ndarray  # (k,) sorted 24-bit colours (see colour_keys)
    counts: np.ndarray  # (k,) int64 pixels of each

    @classmethod
    def of(cls, pixels: np.ndarray) -> ColourCounts:
        """The histogram of (..., 4) RGBA ``pixels`` (alpha ignored)."""
        ordered = np.sort(colour_keys(pixels), axis=None)
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(ordered) else ordered
        return cls(ordered[starts], np.diff(np.append(starts, len(ordered))))

    @property
    def smooth(self) -> bool:
        """At most one distinct colour per :data:`_PIXELS_PER_COLOR` pixels: smooth or flat content
        repeats its colours, a photo's noise gives nearly every pixel its own."""
        return len(self.keys) * _PIXELS_PER_COLOR <= int(self.counts.sum())

    def mean_error(self, palette: GifPalette) -> float:
        """Mean squared error per channel of these pixels mapped exactly onto ``palette``: from the
        distinct colours, so it costs what they number, not what the pixels do."""
        colors = key_colours(self.keys).astype(np.int32)
        difference = colors - palette.colors[palette.nearest_keys(self.keys)]
        squared = (difference * difference).sum(axis=1)
        return float(squared @ self.counts) / (3 * max(1, int(self.counts.sum())))

    def palette(self, size: int = MAX_COLORS) -> GifPalette:
        """A frame's palette for these pixels, as :func:`build_palette` makes it (exact when they fit,
        else fitted) but seeded from fewer weighted colours."""
        if len(self.keys) <= size:
            return GifPalette.from_colors(key_colours(self.keys) if len(self.keys) else np.zeros((1, 3), np.uint8))
        colors, counts = key_colours(self.keys).astype(np.float64), self.counts.astype(np.float64)
        return _smooth_palette(colors, counts, size, budget=_FRAME_SMOOTH_BUDGET, steps=_FRAME_LLOYD_STEPS)


def _noisy(keys: np.ndarray, mask: np.ndarray) -> bool:
    """Whether fewer than a quarter of the ``mask``ed pixels of (h, w) ``keys`` repeat their left
    neighbour's colour, judged on every ``step``-th row (about :data:`_GATE_SAMPLE` pixels)."""
    step = max(1, keys.size // _GATE_SAMPLE)
    rows, inside = keys[::step], mask[::step, 1:]
    considered = int(np.count_nonzero(inside))
    if not considered:
        return False
    repeats = int(np.count_nonzero((rows[:, 1:] == rows[:, :-1]) & inside))
    return repeats * 4 < considered


def _smooth_count(image: Image.Image) -> list[tuple[int, tuple[int, ...]]] | None:
    """The colours of ``image`` with their counts when it is smooth or flat, else None.

    Smooth content repeats its colours: at most one distinct colour per 8 pixels (a noisy photo crop
    has nearly one per pixel), and at most :data:`SMOOTH_COLORS`; alpha only splits colours further.
    Pillow counts in C and gives up past the limit, so a photo costs little.
    """
    return image.getcolors(_smooth_limit(image.width * image.height))


def _smooth_limit(pixels: int) -> int:
    """Most distinct colours that ``pixels`` pixels of smooth content hold (see :func:`_smooth_count`)."""
    return min(SMOOTH_COLORS, max(MAX_COLORS, pixels // _PIXELS_PER_COLOR))


def rgba_array(sample: Image.Image | np.ndarray) -> np.ndarray:
    """``sample`` as an RGBA array (an array is taken as it is; convert() would copy an RGBA image)."""
    if isinstance(sample, Image.Image):
        return np.asarray(sample if sample.mode == "RGBA" else sample.convert("RGBA"))
    return sample


def _visible(pixels: np.ndarray) -> np.ndarray:
    """(n, 3) RGB of the (n, 4) RGBA pixels that will be visible (alpha >= cutoff)."""
    visible = pixels[:, 3] >= ALPHA_CUTOFF
    return pixels[:, :3] if visible.all() else pixels[visible][:, :3]  # opaque canvases: no gather


@dataclass(frozen=True)
class _VisibleColours:
    """The distinct visible colours of some images (in the order met) and their pixel counts."""

    colors: dict[tuple[int, int, int], int]
    exact: bool  # few enough for a palette of exactly these colours
    smooth: bool  # few enough, and repeated enough, for a palette fitted to them (see _count_visible)


def _count_visible(arrays: list[np.ndarray], size: int) -> _VisibleColours | None:
    """The visible colours of all ``arrays``, counted once per array; None when they are neither
    exact nor smooth.

    Exact: every array has at most ``4 * MAX_COLORS`` colours (alpha included) and they show at most
    ``size``. Smooth: at most :data:`SMOOTH_COLORS`, and at most one per :data:`_PIXELS_PER_COLOR`
    pixels (a small sample of a photo has few colours only because it has few pixels). Pillow counts
    in C and gives up past its limit, so a photo costs little.
    """
    pixels = sum(a.shape[0] * a.shape[1] for a in arrays)
    exact_limit = 4 * MAX_COLORS
    smooth_limit = _smooth_limit(pixels)
    found: dict[tuple[int, int, int], int] = {}
    exact = smooth = True
    for array in arrays:
        counted = Image.fromarray(np.ascontiguousarray(array)).getcolors(max(exact_limit, smooth_limit))
        if counted is None:
            return None
        for count, (r, g, b, a) in counted:
            if a >= ALPHA_CUTOFF:
                found[(r, g, b)] = found.get((r, g, b), 0) + count
        exact = exact and len(counted) <= exact_limit and len(found) <= size
        smooth = smooth and len(counted) <= smooth_limit and len(found) <= smooth_limit
        if not (exact or smooth):
            return None
    return _VisibleColours(found, exact, smooth and bool(found))


def _smooth_palette(
    colors: np.ndarray,
    counts: np.ndarray,
    size: int = MAX_COLORS,
    *,
    budget: int = _SMOOTH_BUDGET,
    steps: int = _SMOOTH_LLOYD_STEPS,
) -> GifPalette:
    """Median cut over the distinct colours (fed about ``budget`` of them, weighted), then weighted
    Lloyd steps with exact assignment."""
    scaled = min(budget, counts.sum())  # a sample of pixels is already weighted: never scaled up
    weights = np.maximum(1, np.rint(counts * (scaled / counts.sum()))).astype(np.int64)
    sample = np.repeat(colors.astype(np.uint8), weights, axis=0)  # every colour at least once
    seed = Image.fromarray(np.ascontiguousarray(sample[None])).quantize(size, method=Image.Quantize.MEDIANCUT)
    seeds = seed.getpalette() or []
    centres = np.asarray(seeds[: len(seeds) // 3 * 3], np.float64).reshape(-1, 3)
    weighted = colors * counts[:, None]
    for _ in range(steps):
        nearest = nearest_of(np.rint(centres), colors)
        totals = np.bincount(nearest, weights=counts, minlength=len(centres))
        sums = np.stack([np.bincount(nearest, weights=weighted[:, c], minlength=len(centres)) for c in range(3)], 1)
        centres = np.where(totals[:, None] > 0, sums / np.maximum(totals, 1)[:, None], centres)  # unused stay put
    return GifPalette.from_colors(_distinct_rows(np.rint(centres).astype(np.uint8)))


def build_palette(
    samples: Iterable[Image.Image | np.ndarray],
    size: int = MAX_COLORS,
    *,
    protect_smooth: bool = False,
    blends: Iterable[np.ndarray] = (),
) -> GifPalette:
    """The palette of at most ``size`` colours that best covers the visible pixels of ``samples``
    (RGBA images or arrays).

    When the samples hold at most ``size`` distinct colours the palette is exactly those colours, so
    flat graphics come out lossless; up to :data:`SMOOTH_COLORS` it is fitted to the distinct colours.

    :param protect_smooth: the samples are whole images (neighbours are neighbours): when they mix
        smooth areas (a sky, flat graphics) with photos, each gets its own share of the colours (see
        :func:`_mixed_palette`) instead of one octree over both, which starves the gradient.
    :param blends: RGBA arrays of colours later frames show (moving sprites drawn over the base):
        counted with the samples when the palette is fitted to smooth content, where every colour
        is mapped exactly and a colour without a palette entry near it shows (a logo's anti-aliased
        rim over a sky: the sky's worst frame 51.7 -> 52.8 dB). An exact palette stays exact, and a
        photo's ignores them (its noise hides them; a logo over a photo lost 0.4 dB with them).
    """
    arrays = [rgba_array(sample) for sample in samples]
    visible = _count_visible(arrays, size)
    if visible is not None and visible.exact:
        return GifPalette.from_colors(np.array(sorted(visible.colors) or [(0, 0, 0)], np.uint8))
    if visible is not None and visible.smooth:
        counted = _with_blends(visible.colors, blends)
        colors = np.array(list(counted), np.float64)
        return _smooth_palette(colors, np.array(list(counted.values()), np.float64), size)
    if protect_smooth:
        mixed = _mixed_palette(arrays, size)
        if mixed is not None:
            return mixed
    if protect_smooth:  # the animation's palette, built once: a finer fit is worth its time
        return _photo_palette(arrays, size)
    return _rough_palette(arrays, size)


def _with_blends(
    colors: dict[tuple[int, int, int], int], blends: Iterable[np.ndarray]
) -> dict[tuple[int, int, int], int]:
    """``colors`` (visible colour -> pixels) with the visible pixels of the ``blends`` arrays added."""
    counted = dict(colors)
    for blend in blends:
        found = Image.fromarray(np.ascontiguousarray(blend)).getcolors(blend.shape[0] * blend.shape[1]) or []
        for count, (r, g, b, a) in found:
            if a >= ALPHA_CUTOFF:
                counted[(r, g, b)] = counted.get((r, g, b), 0) + count
    return counted


def _split_smooth(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A strided sample (about :data:`_SPLIT_BUDGET` pixels) of the visible pixels of ``arrays``,
    split into smooth ones (within :data:`_SMOOTH_STEP` levels of their left and upper neighbours)
    and the rest; both (n, 4) RGBA."""
    total = sum(a.shape[0] * a.shape[1] for a in arrays)
    step = max(1, math.isqrt(-(-total // _SPLIT_BUDGET)))
    smooth, rough = [], []
    for array in arrays:
        if array.shape[0] < 2 or array.shape[1] < 2:
            rough.append(array.reshape(-1, 4)[::step])
            continue
        here = array[1::step, 1::step]
        step_left = _largest_step(here, array[1::step, :-1:step])
        step_up = _largest_step(here, array[:-1:step, 1::step])
        flat = np.maximum(step_left, step_up) <= _SMOOTH_STEP
        visible = here[..., 3] >= ALPHA_CUTOFF
        smooth.append(here[flat & visible])
        rough.append(here[~flat & visible])
    return np.concatenate(smooth), np.concatenate(rough)


def _largest_step(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The largest RGB difference per pixel of two (h, w, 4) uint8 arrays."""
    difference = np.abs(a[..., :3].astype(np.int16) - b[..., :3])
    return difference.max(axis=-1)


def _mixed_palette(arrays: list[np.ndarray], size: int) -> GifPalette | None:
    """Separate colours for the smooth pixels and the rest, or None when the images are (nearly) all
    photo.

    The rough pixels (a photo's, edges) get colours by their share of the pixels, at least
    :data:`_MIN_ROUGH_COLOURS`: a gradient bands at every step between two colours, while a photo's
    noise hides its palette's steps (and a photo moving over the gradient gets a table of its own,
    see ``GifEncoder._redraw_sprite``); the smooth pixels get the rest (or just their distinct colours,
    when fewer, as flat graphics have), fitted as a smooth image's palette is.
    """
    smooth, rough = _split_smooth(arrays)
    share = len(smooth) / max(1, len(smooth) + len(rough))
    if share < _MIN_SMOOTH_SHARE or not len(rough):
        return None
    rough_colours = min(size - 1, max(_MIN_ROUGH_COLOURS, round(size * (1 - share))))
    counts = ColourCounts.of(smooth[None])
    if len(counts.keys) < _MIN_SMOOTH_COLOURS or not counts.smooth:
        return None  # flat graphics (the octree finds them) or a photo's calm areas (many colours)
    smooth_colours = min(len(counts.keys), size - rough_colours)
    if len(counts.keys) <= smooth_colours:
        fitted = key_colours(counts.keys)
    else:
        weights = counts.counts.astype(np.float64)
        fitted = _smooth_palette(key_colours(counts.keys).astype(np.float64), weights, smooth_colours).colors
    others = _rough_palette([rough[None]], size - len(fitted)).colors
    return GifPalette.from_colors(np.concatenate([fitted, others]))


def _photo_palette(arrays: list[np.ndarray], size: int) -> GifPalette:
    """A photo's palette: Pillow's median cut over a small sample of the visible pixels (a better seed
    than its octree: Scene A's photo 38.7 dB against 38.3 after the same steps), then Lloyd steps over
    a larger one, binned (:func:`_binned`), each bin assigned to the centre nearest its mean
    (:meth:`GifPalette.nearest_photo`; Pillow's cell-cached mapping moved the centres by its own error).

    Built before the first frame is written, while the other threads wait: the seed is cut while the
    bins are counted, and each step's bins are assigned half on each core."""
    total = sum(a.shape[0] * a.shape[1] for a in arrays)
    step = max(1, -(-total // _SAMPLE_BUDGET))
    sample = np.ascontiguousarray(np.concatenate([_visible(a.reshape(-1, 4)[::step]) for a in arrays]))
    if not len(sample):
        return GifPalette.from_colors(np.zeros((1, 3), np.uint8))
    with ThreadPoolExecutor(max_workers=1) as pool:
        seeding = pool.submit(_median_cut, np.ascontiguousarray(sample[:: max(1, len(sample) // _SEED_BUDGET)]), size)
        colors, weights, weighted = _binned(sample)
        centres = seeding.result()
        half = len(colors) // 2
        for _ in range(_LLOYD_STEPS):
            rounded = np.rint(centres)  # each thread maps with a palette (a Pillow mapper) of its own
            upper = pool.submit(GifPalette.from_colors(rounded).nearest_photo, colors[half:])
            nearest = np.concatenate([GifPalette.from_colors(rounded).nearest_photo(colors[:half]), upper.result()])
            totals = np.bincount(nearest, weights=weights, minlength=len(centres))
            sums = np.stack([np.bincount(nearest, weights=weighted[:, c], minlength=len(centres)) for c in range(3)], 1)
            centres = np.where(totals[:, None] > 0, sums / np.maximum(totals, 1)[:, None], centres)  # unused stay put
    return GifPalette.from_colors(_distinct_rows(np.rint(centres).astype(np.uint8)))


def _median_cut(pixels: np.ndarray, size: int) -> np.ndarray:
    """(k, 3) float64 centres of Pillow's median cut of (n, 3) ``pixels`` into at most ``size`` colours."""
    seed = Image.fromarray(pixels[None]).quantize(size, method=Image.Quantize.MEDIANCUT)
    seeds = seed.getpalette() or []
    return np.asarray(seeds[: len(seeds) // 3 * 3], np.float64).reshape(-1, 3)


def _binned(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, 4) RGBA ``pixels`` (alpha ignored) grouped in bins of 2 levels per channel: each bin's mean
    colour (n, 3) uint8, its pixels (n,) and the sum of their colours (n, 3), both float64.

    A Lloyd step moves a centre to the mean of its pixels, so the sums keep it exact while the bins
    halve what is searched: a photo's noise gives most pixels a colour of their own (Scene A's 65,536
    sampled pixels: 39,545 colours, 21,308 bins; the palette 26 % faster, the photo +0.03 dB).
    """
    wide = pixels[:, :3].astype(np.int64)
    bins = ((wide[:, 2] >> _BIN_SHIFT) << 16) | ((wide[:, 1] >> _BIN_SHIFT) << 8) | (wide[:, 0] >> _BIN_SHIFT)
    order = np.argsort(bins, kind="stable")
    ordered = bins[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered))).astype(np.float64)
    sums = np.add.reduceat(wide[order], starts, axis=0).astype(np.float64)
    return np.rint(sums / counts[:, None]).astype(np.uint8), counts, sums


def _rough_palette(arrays: list[np.ndarray], size: int) -> GifPalette:
    """Pillow's fast octree over a sample of the visible pixels, refined by Lloyd steps (photos)."""
    total = sum(a.shape[0] * a.shape[1] for a in arrays)
    step = max(1, -(-total // _OCTREE_BUDGET))
    sample = np.ascontiguousarray(np.concatenate([_visible(a.reshape(-1, 4)[::step]) for a in arrays]))
    if not len(sample):
        return GifPalette.from_colors(np.zeros((1, 3), np.uint8))
    sample_image = Image.fromarray(sample[None])
    seed = sample_image.quantize(size, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    count = len(seed.getpalette() or []) // 3
    centres = np.asarray(seed.getpalette()[: count * 3], np.float64).reshape(-1, 3)
    for _ in range(_OCTREE_LLOYD_STEPS):
        centres = _lloyd_step(sample_image, sample, centres)
    return GifPalette.from_colors(np.rint(centres))


def _lloyd_step(sample_image: Image.Image, sample: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Move every centre to the mean of the pixels mapped to it (unused centres stay put)."""
    mapper = GifPalette.from_colors(np.rint(centres))._mapper
    indices = np.asarray(sample_image.quantize(palette=mapper, dither=Image.Dither.NONE)).ravel()
    counts = np.bincount(indices, minlength=len(centres))
    moved = centres.copy()
    for channel in range(3):
        sums = np.bincount(indices, weights=sample[:, channel], minlength=len(centres))
        moved[:, channel] = np.where(counts > 0, sums / np.maximum(counts, 1), centres[:, channel])
    return moved

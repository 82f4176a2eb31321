"""Near-exact nearest palette colours for photos, and a photo base's stable, balanced mapping.

Pillow maps a colour through a cache of 4-level cells: every colour of a cell gets the exact nearest
palette colour of the cell's lower corner (``c & ~3``). That is cheap, but a photo's colours sit
anywhere in their cells, so about a third of a photo's pixels get a colour one cell off (Scene A's
photo: 38.2 dB, 39.4 exact). Pillow's exact answers at the 64**3 cell corners are the grid here
(:class:`CornerGrid`): a colour whose eight cell corners share one nearest colour has that colour
too (the region nearest to a palette colour is convex, so it holds the whole cell), and the others
take the nearest of their corners' colours, which is the true nearest for all but about 0.15 % of a
photo's colours. That costs half of searching 16 candidates per colour, and is more often exact.

Keys are 24-bit colours ``b << 16 | g << 8 | r`` (an RGBA pixel's little-endian word without alpha).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from PIL import Image, ImageChops

from imagegen.export.boxes import pixel_words

_CELL = 4  # Pillow's cache cells: colour levels per cell and channel
_CELLS = 256 // _CELL  # cells per channel
_SIDE = _CELLS + 1  # corners per channel: the far edge (256) repeats the last corner (252)
# the eight corners of a cell, as offsets in the flattened (_SIDE, _SIDE, _SIDE) corner table (b, g, r)
_CORNER_OFFSETS = np.array(
    [b * _SIDE * _SIDE + g * _SIDE + r for b in (0, 1) for g in (0, 1) for r in (0, 1)], np.int32
)
_COLOURS = 1 << 24
_LEVELS_ZERO = 32  # a correction of 0 levels, as map_balanced spreads it
# quarter levels around 128 -> whole levels around 32, rounded (a lookup table per channel)
_QUARTERS_TO_LEVELS = [(value + 2) // 4 for value in range(256)] * 3
_BAND_ROWS = 256  # rows of a photo mapped at a time (see _mapped)
_FEW_CHOICES = 4  # a cell with up to this many distinct corner colours searches just those (95 % of a photo's)
_T = TypeVar("_T")
_UNKNOWN = 255  # a corner not asked for yet (a palette has at most 255 colours: indices 0-254)


def colour_keys(pixels: np.ndarray) -> np.ndarray:
    """One uint32 per colour of (..., 3 or 4) uint8 pixels: ``b << 16 | g << 8 | r`` (alpha ignored).

    For RGBA this is the pixel's little-endian 32-bit word without its alpha byte: one operation.
    """
    if pixels.shape[-1] == 4 and pixels.ndim == 3 and sys.byteorder == "little":
        return pixel_words(pixels) & np.uint32(0xFFFFFF)
    rgb = pixels[..., :3].astype(np.uint32)
    return rgb[..., 0] | (rgb[..., 1] << 8) | (rgb[..., 2] << 16)


def key_colours(keys: np.ndarray) -> np.ndarray:
    """(n, 3) RGB of 24-bit keys (the inverse of :func:`colour_keys`)."""
    return np.stack([keys & 0xFF, (keys >> 8) & 0xFF, keys >> 16], axis=1).astype(np.uint8)


def distinct(keys: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an array (``np.unique`` without its one-time import of numpy.ma)."""
    ordered = np.sort(keys, axis=None)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


@dataclass(frozen=True, eq=False)
class CornerGrid:
    """The exact nearest palette colour of the 4-level cell corners met so far (Pillow's own answers,
    asked once per corner), and the nearest colour of any colour from its cell's corners.

    Each cell met is summed up once: its corners' distinct colours (one: every colour of the cell
    has it; up to four: the nearest of those; more: the nearest of its eight corners), so that a
    photo's colours, a dozen per cell, are searched among two or three candidates each.
    """

    mapper: Image.Image  # a "P" image holding the palette colours (its Pillow cache fills as it maps)
    colors: np.ndarray  # (n, 3) float32 palette colours
    lengths: np.ndarray  # (n,) float32 their squared lengths
    corners: np.ndarray  # (_SIDE**3,) uint8 palette index of each corner; _UNKNOWN: not asked yet
    kinds: np.ndarray  # (_CELLS**3,) uint8 per cell: 0 not summed up yet, 1-4 distinct corner colours, 5 more
    choices: np.ndarray  # (_CELLS**3, 4) uint8 per cell: its distinct corner colours, the first repeated

    @classmethod
    def of(cls, colors: np.ndarray, mapper: Image.Image) -> CornerGrid:
        """The grid of the palette ``colors`` (held by ``mapper``), empty: corners are asked for as the
        colours mapped need them (a photo's colours touch a fraction of the colour cube)."""
        channels = colors.astype(np.float32)
        cells = _CELLS**3
        return cls(
            mapper,
            channels,
            (channels**2).sum(axis=1),
            np.full(_SIDE**3, _UNKNOWN, np.uint8),
            np.zeros(cells, np.uint8),
            np.zeros((cells, _FEW_CHOICES), np.uint8),
        )

    def nearest(self, colors: np.ndarray) -> np.ndarray:
        """Index of the (near-exact) nearest palette colour of each of (n, 3) uint8 ``colors``."""
        colors = np.ascontiguousarray(colors, dtype=np.uint8).reshape(-1, 3)
        cell = colors.astype(np.int32) // _CELL
        cells = (cell[:, 2] * _CELLS + cell[:, 1]) * _CELLS + cell[:, 0]
        kinds = self.kinds[cells]
        if not kinds.all():
            self._sum_up(cells[kinds == 0])
            kinds = self.kinds[cells]
        found = self.choices[cells, 0]
        few = np.flatnonzero((kinds > 1) & (kinds <= _FEW_CHOICES))
        if len(few):
            found[few] = self._closest(colors[few], self.choices[cells[few]])
        many = np.flatnonzero(kinds > _FEW_CHOICES)
        if len(many):
            found[many] = self._closest(
                colors[many], self.corners[_first_corner(cells[many])[:, None] + _CORNER_OFFSETS]
            )
        return found

    def _closest(self, colors: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """For each of (m, 3) ``colors``, the nearest of its (m, k) ``candidates`` (palette indices)."""
        wanted = colors.astype(np.float32)
        # |c - p|^2 - |c|^2 = |p|^2 - 2 c.p orders the candidates p of one colour c as the distance does
        score = self.lengths[candidates]
        for channel in range(3):
            score -= (2 * wanted[:, channel : channel + 1]) * self.colors[candidates, channel]
        return candidates[np.arange(len(candidates)), score.argmin(axis=1)]

    def _sum_up(self, cells: np.ndarray) -> None:
        """Sum up ``cells`` (flat cell numbers, repeats allowed) from their corners' nearest colours."""
        todo = _each_once(cells, _CELLS**3)
        corners = _first_corner(todo)[:, None] + _CORNER_OFFSETS  # (c, 8)
        picks = self.corners[corners]
        missing = picks == _UNKNOWN
        if missing.any():
            self._ask(corners[missing])
            picks = self.corners[corners]
        picks.sort(axis=1)
        repeats = picks[:, 1:] == picks[:, :-1]
        kinds = 8 - repeats.sum(axis=1)
        # each distinct colour once, in front: a repeat goes to the back as a sentinel, then the first
        distinct = picks.astype(np.int16)
        distinct[:, 1:][repeats] = _UNKNOWN + 1
        distinct.sort(axis=1)
        distinct = np.where(distinct > _UNKNOWN, distinct[:, :1], distinct)
        self.choices[todo] = distinct[:, :_FEW_CHOICES]
        self.kinds[todo] = np.minimum(kinds, _FEW_CHOICES + 1)

    def _ask(self, corners: np.ndarray) -> None:
        """Fill in the nearest colours of ``corners`` (flat corner numbers, repeats allowed) from Pillow,
        which maps a corner's colour exactly (255 stands for the far edge, 256: Pillow maps it as 252)."""
        todo = _each_once(corners, _SIDE**3)
        levels = np.stack([todo % _SIDE, todo // _SIDE % _SIDE, todo // (_SIDE * _SIDE)], axis=1) * _CELL
        image = Image.fromarray(np.minimum(levels, 255).astype(np.uint8)[None])
        self.corners[todo] = np.asarray(image.quantize(palette=self.mapper, dither=Image.Dither.NONE))[0]


def _each_once(numbers: np.ndarray, count: int) -> np.ndarray:
    """The distinct values of ``numbers`` (all below ``count``), sorted: a flag each, not a sort."""
    flags = np.zeros(count, bool)
    flags[numbers] = True
    return np.flatnonzero(flags)


def _first_corner(cells: np.ndarray) -> np.ndarray:
    """The flat corner number of each cell's lowest corner."""
    red, green, blue = cells % _CELLS, cells // _CELLS % _CELLS, cells // (_CELLS * _CELLS)
    return (blue * _SIDE + green) * _SIDE + red


class PhotoLookup:
    """The nearest palette index of every 24-bit colour met so far, found by a :class:`CornerGrid`.

    One byte per possible colour (16 MB of address space, zeroed lazily by the system: only the pages a
    photo's colours touch are ever allocated), holding the index plus one (0: not searched yet), so
    that a second mapping of nearly the same colours searches only the new ones. Not thread-safe: a
    thread maps with a lookup of its own (and a grid whose mapper is its own: Pillow's cache is not
    thread-safe either).
    """

    def __init__(self, grid: CornerGrid) -> None:
        self._grid = grid
        self._table = np.zeros(_COLOURS, np.uint8)
        self._searched = False

    def indices(self, keys: np.ndarray) -> np.ndarray:
        """Palette indices of an array of 24-bit ``keys`` (any shape)."""
        if not self._searched:  # nothing known yet: no need to look before searching
            self._search(distinct(keys))
            return self._table[keys] - 1
        found = self._table[keys]
        unknown = found == 0
        if unknown.any():
            new_keys = keys[unknown]
            self._search(distinct(new_keys))
            found[unknown] = self._table[new_keys]
        found -= 1
        return found

    def _search(self, keys: np.ndarray) -> None:
        """Search the distinct ``keys`` and remember their indices."""
        self._searched = True
        self._table[keys] = self._grid.nearest(key_colours(keys)) + 1


def map_balanced(
    lookups: tuple[PhotoLookup, PhotoLookup], colors: np.ndarray, rgba: np.ndarray, strength: float, block: int
) -> np.ndarray:
    """(h, w) indices of an (h, w, 4) photo (alpha ignored), nearest colours corrected once so that a
    region's average shows its source's average (what the eye sees of a noisy photo).

    The nearest colours of neighbouring pixels tend to err the same way (a palette cell holds a slope
    of the photo), which shows as blotches in the smooth parts. The ``block`` x ``block`` means of what
    they show and of the source are compared, ``strength`` of the difference is spread back to the
    pixels (bilinear) and taken off the source, and that is mapped again: a dither that depends on the
    picture alone, so the same pixels always get the same indices (a static base that is never redrawn
    cannot shimmer). Most corrected colours are colours the photo already holds (85 % of Scene A's
    pixels): the second mapping searches only the others.

    It runs before the first frame is written, while the other threads wait, so it runs on two cores:
    the rows above the middle with ``lookups[0]``, the others with ``lookups[1]``; only the block
    errors are joined between the two mappings (the spread near the middle reads both halves').
    """
    height, width = rgba.shape[:2]
    if height < 2 * block or width < 2 * block:
        return _mapped(lookups[0], rgba)
    middle = height // 2 // block * block  # a block boundary: each block's rows are in one half
    halves = ((0, middle), (middle, height))
    with ThreadPoolExecutor(max_workers=1) as pool:

        def both(work: Callable[[int], _T]) -> tuple[_T, _T]:
            lower = pool.submit(work, 1)
            return work(0), lower.result()

        def first(half: int) -> tuple[Image.Image, np.ndarray]:
            top, bottom = halves[half]
            source = Image.fromarray(rgba[top:bottom]).convert("RGB")
            shown = Image.fromarray(_mapped(lookups[half], rgba[top:bottom]))
            shown.putpalette(colors.tobytes())  # "L" becomes "P"
            reduced = np.asarray(shown.convert("RGB").reduce(block), np.int16)
            return source, reduced - np.asarray(source.reduce(block), np.int16)

        (upper, upper_error), (lower, lower_error) = both(first)
        # the correction in quarter levels around 128, spread by Pillow's 8-bit bilinear resize (three
        # channels at once, a quarter level from a float spread), then rounded to whole levels around 32:
        # the source is whole levels, so round(source - correction) = source - round(correction)
        error = np.concatenate([upper_error, lower_error])
        quarters = np.clip(np.rint(128 + 4 * strength * error), 0, 255).astype(np.uint8)
        scale = quarters.shape[0] / height  # block rows per row

        def second(half: int) -> np.ndarray:
            top, bottom = halves[half]
            # this half's rows of the whole picture's spread (Pillow reads the block rows beyond the
            # box, so the two halves meet as one spread would)
            box = (0.0, top * scale, float(quarters.shape[1]), bottom * scale)
            spread = Image.fromarray(quarters).resize((width, bottom - top), Image.Resampling.BILINEAR, box=box)
            source = upper if half == 0 else lower
            target = ImageChops.subtract(source, spread.point(_QUARTERS_TO_LEVELS), scale=1.0, offset=_LEVELS_ZERO)
            return _mapped(lookups[half], np.asarray(target))

        return np.concatenate(both(second))


def _mapped(lookup: PhotoLookup, pixels: np.ndarray) -> np.ndarray:
    """(h, w) indices of (h, w, 3 or 4) ``pixels`` through ``lookup``, in bands of rows: the keys and
    the sorting of a band's new colours stay small (a 1080x1080 photo: 1.1 MB at a time, not 4.7)."""
    indices = np.empty(pixels.shape[:2], np.uint8)
    for top in range(0, pixels.shape[0], _BAND_ROWS):
        indices[top : top + _BAND_ROWS] = lookup.indices(colour_keys(pixels[top : top + _BAND_ROWS]))
    return indices

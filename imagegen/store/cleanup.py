"""Clean-up of uploaded images: knock out a plain background, find a flat border, trim margins.

Pure functions on Pillow images (no Streamlit, no model): the Images page offers the knock-out and
stores the result; the renderer applies the same functions when a prompt asks for them.

Knock-out
---------
1. Pixels whose largest channel difference from the background colour is at most ``tolerance`` are
   background candidates; those connected (4-neighbours) to the image border are the background
   (every candidate with ``everywhere``), so white inside a logo stays.
2. Along the boundary (``EDGE_REACH`` pixels each side) every pixel is modelled as a mix
   ``p = a * F + (1 - a) * C`` of the background ``C`` and a nearby foreground colour ``F``: ``F`` is
   the non-background pixel of its neighbourhood farthest from ``C`` among those that explain ``p``
   (``p - C`` lies within ``MIX_SLACK`` of the line from ``C`` to ``F``: JPEG chroma smear passes, a red
   pixel beside a black one does not and stays itself); ``a`` is the projection of ``p - C`` on
   ``F - C``. The pixel becomes ``F`` at alpha ``a``: anti-aliased edges stay soft and carry no trace
   of the old background (no white fringe on a dark photo).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

RGB = tuple[int, int, int]

DEFAULT_TOLERANCE = 32
"""Largest channel difference (0-255) from the background colour that still counts as background."""
EDGE_REACH = 3
"""Pixels on each side of the background boundary whose alpha is estimated (anti-aliasing width)."""
MIX_SLACK = (16.0, 0.12)
"""A colour explains a mix when the residual is within max(16 levels, 12 % of the mix's distance from C)."""
FLAT_TOLERANCE = 12
"""Largest channel difference from the border's median for a border pixel to count as flat."""
FLAT_SHARE = 0.97
"""Share of border pixels that must be flat for the border to be one colour (JPEG noise, a touching mark)."""


@dataclass(frozen=True)
class FlatBorder:
    """An opaque image whose border is one colour: what the Images page offers to remove."""

    colour: RGB

    @property
    def name(self) -> str:
        """'white', 'black' or the colour code, for the offer's sentence."""
        if min(self.colour) >= 235:
            return "white"
        if max(self.colour) <= 20:
            return "black"
        return "#{:02x}{:02x}{:02x}".format(*self.colour)


def flat_border(image: Image.Image, tolerance: int = FLAT_TOLERANCE) -> FlatBorder | None:
    """The border's colour when ``image`` is opaque and its outermost 2-pixel ring is one colour.

    None for images with any transparency on the border (already cut out), for images whose every
    pixel is that colour (nothing would be left) and for busy borders (photos).
    """
    if image.width < 3 or image.height < 3:
        return None
    ring = _ring(image)  # a large image converts only its border: most (photos) stop here
    if (ring[:, 3] < 255).any():
        return None
    colour = np.median(ring[:, :3], axis=0).round().astype(np.int16)
    flat = np.abs(ring[:, :3].astype(np.int16) - colour).max(axis=1) <= tolerance
    if flat.mean() < FLAT_SHARE:
        return None
    arr = np.asarray(image.convert("RGB"))
    inside = np.abs(arr.astype(np.int16) - colour).max(axis=-1) > tolerance
    if not inside.any():
        return None
    return FlatBorder(tuple(int(v) for v in colour))  # type: ignore[arg-type]


def looks_like_photo(image: Image.Image) -> bool:
    """Opaque, with no plain one-colour border: a photograph rather than a logo or a product shot on white
    (how "the photo" in a prompt finds it; an upload records the same as ``Asset.photo_like``)."""
    if "A" in image.getbands() and image.getchannel("A").getextrema()[0] < 255:
        return False
    return flat_border(image) is None


_WHOLE_BELOW = 1_000_000
"""Images of fewer pixels are converted whole to read their border (one buffer); larger ones by strips."""


def _ring_of(arr: np.ndarray, width: int = 2) -> np.ndarray:
    """The pixels of the outermost ``width`` rows and columns of an (h, w, c) array, as (N, c)."""
    w = min(width, arr.shape[0] // 2, arr.shape[1] // 2) or 1
    strips = [arr[:w], arr[-w:], arr[w:-w, :w], arr[w:-w, -w:]]
    return np.concatenate([strip.reshape(-1, arr.shape[2]) for strip in strips])


def _ring(image: Image.Image, width: int = 2) -> np.ndarray:
    """The RGBA pixels of the image's outermost ``width`` rows and columns, as (N, 4)."""
    if image.width * image.height < _WHOLE_BELOW:
        return _ring_of(np.asarray(image.convert("RGBA")), width)
    # a photo: converting the border alone spares a full copy on every render
    w = min(width, image.height // 2, image.width // 2) or 1
    boxes = [
        (0, 0, image.width, w),
        (0, image.height - w, image.width, image.height),
        (0, w, w, image.height - w),
        (image.width - w, w, image.width, image.height - w),
    ]
    return np.concatenate([np.asarray(image.crop(box).convert("RGBA")).reshape(-1, 4) for box in boxes])


def knock_out(
    image: Image.Image,
    colour: RGB | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    everywhere: bool = False,
) -> Image.Image:
    """``image`` (RGBA) with its plain background transparent and a soft, decontaminated edge.

    :param colour: the background colour; None = the border's median colour.
    :param tolerance: largest channel difference from ``colour`` that counts as background.
    :param everywhere: remove every pixel of that colour, not only those connected to the border.
    :return: a new RGBA image, or ``image`` itself when nothing is removed (an already transparent
        border without ``everywhere``, or no pixel of the colour on the border).
    """
    arr = np.asarray(image.convert("RGBA"))
    ring = _ring_of(arr)
    if not everywhere and (ring[:, 3] < 255).any():
        return image  # already cut out: its edges are the designer's, not ours to redo
    background = np.asarray(colour if colour is not None else np.median(ring[:, :3], axis=0).round(), dtype=np.int16)
    distance = np.abs(arr[..., :3].astype(np.int16) - background).max(axis=-1)
    candidate = (distance <= max(0, tolerance)) & (arr[..., 3] > 0)
    removed = candidate if everywhere else _touching_border(candidate)
    if not removed.any():
        return image
    alpha, rgb = _soft_edge(arr, removed, background.astype(np.float32))
    out = np.dstack([rgb, (alpha * arr[..., 3].astype(np.float32)).round().clip(0, 255).astype(np.uint8)])
    return Image.fromarray(out, "RGBA")


ENCLOSED_MIN_SHARE = 0.001
"""Enclosed background under this share of the image's pixels (a few anti-aliased specks) is not worth an offer."""
ENCLOSED_SIDE = 512
"""Larger images are counted on a copy reduced to at most this many pixels a side (the count is scaled back)."""


def enclosed_background(image: Image.Image, colour: RGB | None = None, tolerance: int = DEFAULT_TOLERANCE) -> int:
    """How many pixels of the background colour the mark encloses — the triangle inside an "A", the inside
    of an "O" — which :func:`knock_out` keeps and removes with ``everywhere``. 0 when there are fewer than
    :data:`ENCLOSED_MIN_SHARE` of the image's pixels (nothing worth offering), or nothing is enclosed. Counted
    on a copy of at most :data:`ENCLOSED_SIDE` px a side, so the count of a large image is approximate.

    :param colour: the background colour; None = the image's flat border's (0 when it has none: a photo).
    """
    factor = -(-max(image.size) // ENCLOSED_SIDE)  # an offer needs no more detail: a 2000 px logo took 1.3 s
    if factor > 1:
        image = image.reduce(factor)
    if colour is None:
        border = flat_border(image)
        if border is None:
            return 0
        colour = border.colour
    arr = np.asarray(image.convert("RGBA"))
    background = np.asarray(colour, dtype=np.int16)
    candidate = (np.abs(arr[..., :3].astype(np.int16) - background).max(axis=-1) <= max(0, tolerance)) & (
        arr[..., 3] > 0
    )
    inside = int((candidate & ~_touching_border(candidate)).sum())
    return inside * factor * factor if inside >= ENCLOSED_MIN_SHARE * candidate.size else 0


def _touching_border(mask: np.ndarray) -> np.ndarray:
    """The parts of ``mask`` 4-connected to the image border (connected components over row runs)."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    starts_y, starts_x = np.nonzero(edges == 1)
    ends_x = np.nonzero(edges == -1)[1]  # same row order as the starts
    parent = list(range(len(starts_x)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_first = np.searchsorted(starts_y, np.arange(height + 1))
    for y in range(1, height):
        a, a_end = row_first[y - 1], row_first[y]
        b, b_end = a_end, row_first[y + 1]
        while a < a_end and b < b_end:  # merge runs overlapping in x with the row above
            if starts_x[a] < ends_x[b] and starts_x[b] < ends_x[a]:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[ra] = rb
            if ends_x[a] < ends_x[b]:
                a += 1
            else:
                b += 1
    on_border = (starts_y == 0) | (starts_y == height - 1) | (starts_x == 0) | (ends_x == width)
    border_roots = {find(i) for i in np.nonzero(on_border)[0]}
    keep = np.array([find(i) in border_roots for i in range(len(parent))], dtype=bool)
    out = np.zeros((height, width), dtype=bool)
    for y, x0, x1 in zip(starts_y[keep], starts_x[keep], ends_x[keep], strict=True):
        out[y, x0:x1] = True
    return out


def _dilate(mask: np.ndarray, reach: int) -> np.ndarray:
    """``mask`` grown by ``reach`` pixels in every direction (a square: separable running maximum)."""
    out = mask.copy()
    for axis in (0, 1):
        grown = out.copy()
        for step in range(1, reach + 1):
            ahead = [slice(None), slice(None)]
            behind = [slice(None), slice(None)]
            ahead[axis], behind[axis] = slice(step, None), slice(None, -step)
            grown[tuple(behind)] |= out[tuple(ahead)]
            grown[tuple(ahead)] |= out[tuple(behind)]
        out = grown
    return out


def _soft_edge(arr: np.ndarray, removed: np.ndarray, background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(alpha 0..1, RGB) with ``removed`` transparent and the boundary band un-mixed (see module doc)."""
    alpha = (~removed).astype(np.float32)
    rgb = arr[..., :3].copy()
    band = (_dilate(removed, EDGE_REACH) & ~removed) | (_dilate(~removed, EDGE_REACH) & removed)
    ys, xs = np.nonzero(band)
    if ys.size == 0:
        return alpha, rgb
    height, width = removed.shape
    mix = arr[ys, xs, :3].astype(np.float32) - background
    slack = np.maximum(MIX_SLACK[0] ** 2, MIX_SLACK[1] ** 2 * (mix * mix).sum(axis=1))
    best_length = np.full(ys.size, -1.0, dtype=np.float32)
    best_alpha = np.where(removed[ys, xs], 0.0, 1.0).astype(np.float32)
    best_colour = arr[ys, xs, :3].copy()
    for dy in range(-EDGE_REACH, EDGE_REACH + 1):
        for dx in range(-EDGE_REACH, EDGE_REACH + 1):
            yy, xx = np.clip(ys + dy, 0, height - 1), np.clip(xs + dx, 0, width - 1)
            usable = ~removed[yy, xx]
            colour = arr[yy, xx, :3]
            pure = colour.astype(np.float32) - background
            length = (pure * pure).sum(axis=1)
            share = np.clip((mix * pure).sum(axis=1) / np.maximum(length, 1.0), 0.0, 1.0)
            residual = mix - share[:, None] * pure
            explains = (residual * residual).sum(axis=1) <= slack
            better = usable & explains & (length > 0) & (length > best_length)
            best_length[better] = length[better]
            best_alpha[better] = share[better]
            best_colour[better] = colour[better]
    alpha[ys, xs] = best_alpha
    rgb[ys, xs] = best_colour
    return alpha, rgb


MARGIN_TOLERANCE = 24
"""Largest channel difference from a flat border's colour for a margin pixel to be trimmed (JPEG noise)."""


def content_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of what is visible: inside the fully transparent margins, or, for an opaque image with a
    flat border (a logo or product delivered on white), inside the margins of that colour. None when
    nothing is visible."""
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = image.getchannel("A")
        if alpha.getextrema()[0] < 255:
            return alpha.getbbox()
    border = flat_border(image)
    if border is None:
        return (0, 0, *image.size)
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    differs = np.abs(rgb - np.array(border.colour, dtype=np.int16)).max(axis=-1) > MARGIN_TOLERANCE
    ys, xs = np.nonzero(differs)
    if not len(xs):
        return (0, 0, *image.size)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def trim(image: Image.Image) -> Image.Image:
    """``image`` without its fully transparent or flat margins (itself when there are none, or when
    nothing would be left)."""
    box = content_box(image)
    if box is None or box == (0, 0, *image.size):
        return image
    return image.crop(box)

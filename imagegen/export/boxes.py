"""Pixel boxes ``(left, top, right, bottom)``, right/bottom exclusive, as Pillow uses them; pixel equality."""

from __future__ import annotations

import numpy as np

Box = tuple[int, int, int, int]


def union(a: Box | None, b: Box | None) -> Box | None:
    """The smallest box holding both (None is the empty box)."""
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def clip(box: Box, size: tuple[int, int]) -> Box | None:
    """``box`` cut to a ``size`` canvas; None when nothing is left."""
    left, top = max(0, box[0]), max(0, box[1])
    right, bottom = min(size[0], box[2]), min(size[1], box[3])
    return (left, top, right, bottom) if left < right and top < bottom else None


def mask_box(mask: np.ndarray, dx: int = 0, dy: int = 0) -> Box | None:
    """The box of the True pixels of a 2-D mask, moved by (dx, dy); None when there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return (int(cols[0]) + dx, int(rows[0]) + dy, int(cols[-1]) + 1 + dx, int(rows[-1]) + 1 + dy)


def pixel_words(block: np.ndarray) -> np.ndarray:
    """An (h, w, 4) uint8 block as (h, w) 32-bit words: one comparison per pixel, ~25x faster than
    comparing the four channels."""
    if block.strides[-1] != 1 or block.strides[-2] != 4:
        block = np.ascontiguousarray(block)
    return block.view(np.uint32)[..., 0]

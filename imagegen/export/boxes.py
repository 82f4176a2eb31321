"""Pixel boxes ``(left, top, right, bottom)``, right/bottom exclusive, as Pillow uses them; pixel equality."""

from __future__ import annotations

import numpy as np

from imagegen.render.compose import Box, union

__all__ = ["Box", "changes", "clip", "mask_box", "pixel_words", "union"]


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


def changes(rgba: np.ndarray, previous: np.ndarray, region: Box) -> tuple[Box, np.ndarray] | None:
    """The tight box of ``region``'s pixels that differ between two RGBA frames, and their mask in it.

    Comparing RGBA as 32-bit words is ~25x cheaper than mapping to a palette or encoding, so encoders only
    touch pixels that really changed. None when nothing did.
    """
    left, top, right, bottom = region
    moved = pixel_words(rgba[top:bottom, left:right]) != pixel_words(previous[top:bottom, left:right])
    box = mask_box(moved)
    if box is None:
        return None
    bl, bt, br, bb = box
    return (bl + left, bt + top, br + left, bb + top), moved[bt:bb, bl:br]

"""Boxes and region compositing: only the part of the canvas that changed is redrawn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PIL import Image

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Draw:
    """A sprite to composite with its top-left corner at (left, top) in canvas pixels.

    ``key`` identifies the look (same key and position = same pixels), for dirty tracking.
    """

    image: Image.Image
    left: int
    top: int
    key: Any = None

    @property
    def box(self) -> Box:
        return (self.left, self.top, self.left + self.image.width, self.top + self.image.height)


def intersect(a: Box, b: Box) -> Box | None:
    """The overlap of two boxes, None when they do not overlap."""
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def union(a: Box | None, b: Box | None) -> Box | None:
    """The smallest box holding both (either may be None = nothing)."""
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def composite(base: Image.Image, box: Box, draws: Iterable[Draw]) -> Image.Image:
    """``base`` cropped to ``box`` with every draw alpha-composited on top in order (clipped)."""
    region = base.crop(box)
    for draw in draws:
        overlap = intersect(box, draw.box)
        if overlap is None:
            continue
        source = (overlap[0] - draw.left, overlap[1] - draw.top, overlap[2] - draw.left, overlap[3] - draw.top)
        region.alpha_composite(draw.image, (overlap[0] - box[0], overlap[1] - box[1]), source)
    return region


def paste_onto(canvas: Image.Image, draw: Draw) -> None:
    """Alpha-composite ``draw`` onto ``canvas`` in place, clipped to the canvas (negative coords allowed)."""
    overlap = intersect((0, 0, *canvas.size), draw.box)
    if overlap is None:
        return
    source = (overlap[0] - draw.left, overlap[1] - draw.top, overlap[2] - draw.left, overlap[3] - draw.top)
    canvas.alpha_composite(draw.image, overlap[:2], source)

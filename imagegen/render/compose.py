"""Boxes and region compositing: only the part of the canvas that changed is redrawn.

Compositing is Pillow's ``alpha_composite`` to the bit, but cheaper where the result allows it: over an
opaque canvas (a photo or colour background) Pillow's masked ``paste`` blends with the same rounding
(``(s * a + d * (255 - a)) / 255`` rounded; checked for every source, destination and alpha value by
tests/test_render_compose.py) at a third of the cost, an opaque sprite at full opacity is a plain copy, and
a fading sprite is blended with a constant weight instead of being copied with a new alpha channel first.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]
_KEPT_ALPHAS = 4  # sprites fading at once whose alpha channels a frame buffer keeps


def with_opacity(image: Image.Image, level: int) -> Image.Image:
    """A copy of ``image`` with its alpha multiplied by ``level`` / 255 (the image itself at 255)."""
    if level >= 255:
        return image
    faded = image.copy()
    faded.putalpha(_faded_alpha(image, level))
    return faded


def _faded_alpha(image: Image.Image, level: int, alpha: Image.Image | None = None) -> Image.Image:
    """``image``'s alpha channel (or ``alpha``, when it is already at hand) times ``level`` / 255, rounded."""
    return (image.getchannel("A") if alpha is None else alpha).point(_level_table(level))


@functools.lru_cache(maxsize=256)
def _level_table(level: int) -> list[int]:
    return [(v * level + 127) // 255 for v in range(256)]


def is_opaque(image: Image.Image) -> bool:
    """Every pixel fully opaque."""
    return image.mode == "RGB" or (image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255)


@dataclass(frozen=True)
class Draw:
    """A sprite to composite with its top-left corner at (left, top) in canvas pixels.

    ``image`` is RGBA; ``level`` multiplies its alpha (rounded as :func:`with_opacity`) when it is
    composited, so a fading sprite is never copied per opacity. ``opaque`` says every pixel of
    ``image`` has alpha 255. ``key`` identifies the look (same key and position = same pixels), for
    dirty tracking.
    """

    image: Image.Image
    left: int
    top: int
    key: Any = None
    level: int = 255
    opaque: bool = False

    @property
    def box(self) -> Box:
        return (self.left, self.top, self.left + self.image.width, self.top + self.image.height)

    @property
    def covers(self) -> bool:
        """Hides whatever is below it (an opaque image at full opacity)."""
        return self.opaque and self.level >= 255

    def faded(self) -> Image.Image:
        """The image with ``level`` applied to its alpha, as it is seen."""
        return with_opacity(self.image, self.level)


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
    return box_union(a, b)


def box_union(a: Box, b: Box) -> Box:
    """The smallest box holding both."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _contains(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


class FrameBuffer:
    """One RGBA canvas held as a numpy array (what the encoders read) with a Pillow image over the same
    memory, so Pillow composites in C straight into the array: no copy of the frame per frame.

    :param image: the starting pixels (copied).
    """

    def __init__(self, image: Image.Image):
        self._adopt(np.empty((image.height, image.width, 4), np.uint8))
        self.image.paste(image if image.mode == "RGBA" else image.convert("RGBA"))

    @classmethod
    def filled(cls, size: tuple[int, int], colour: tuple[int, int, int, int]) -> FrameBuffer:
        """A canvas of one RGBA ``colour`` (filled in numpy: no Pillow image to copy from)."""
        buffer = cls.__new__(cls)
        buffer._adopt(np.empty((size[1], size[0], 4), np.uint8))
        buffer.array[...] = colour
        return buffer

    def _adopt(self, array: np.ndarray) -> None:
        self.size = (array.shape[1], array.shape[0])
        self.array = array
        self.image = Image.frombuffer("RGBA", self.size, array, "raw", "RGBA", 0, 1)
        # frombuffer marks the image read-only because Pillow does not own the memory, and Pillow would
        # copy it away on the first paste; the array is ours and writable, so Pillow may write through it.
        self.image.readonly = 0
        # alpha channels of the sprites faded lately: a fading sprite is the same image every frame
        self._alphas: dict[int, tuple[Image.Image, Image.Image]] = {}

    def redraw(self, base: Image.Image, box: Box, draws: Sequence[Draw], base_opaque: bool) -> None:
        """``box`` becomes ``base`` with every draw composited over it in order, clipped to ``box``.

        :param base_opaque: every pixel of ``base`` is opaque (then the cheap blends apply).
        """
        cover = None  # the topmost draw that hides everything below it in the box
        for index, draw in enumerate(draws):
            if draw.covers and _contains(draw.box, box):
                cover = index
        if cover is None:
            self.image.paste(base if box == (0, 0, *self.size) else base.crop(box), box[:2])
        else:
            base_opaque = True
        for draw in draws[cover or 0 :]:
            self.draw(draw, box, base_opaque)

    def draw(self, draw: Draw, box: Box, opaque: bool) -> None:
        """Composite ``draw`` over the canvas, clipped to ``box``; ``opaque``: the canvas is opaque there."""
        overlap = intersect(box, draw.box)
        if overlap is None:
            return
        source = (overlap[0] - draw.left, overlap[1] - draw.top, overlap[2] - draw.left, overlap[3] - draw.top)
        image = draw.image
        part = image if source == (0, 0, *image.size) else image.crop(source)
        if draw.covers:  # alpha_composite of an opaque pixel is that pixel, whatever is below
            self.image.paste(part, overlap[:2])
        elif not opaque:
            self.image.alpha_composite(with_opacity(part, draw.level), overlap[:2])
        elif draw.opaque:
            self.image.paste(part, overlap[:2], Image.new("L", part.size, draw.level))
        else:
            mask = part if draw.level >= 255 else _faded_alpha(part, draw.level, self._alpha(image, source))
            self.image.paste(part, overlap[:2], mask)
            # paste blended the alpha channel too; over an opaque canvas alpha_composite keeps it 255
            self.array[overlap[1] : overlap[3], overlap[0] : overlap[2], 3] = 255

    def copy(self) -> Image.Image:
        """The canvas as a new RGBA image."""
        return Image.fromarray(self.array.copy())

    def _alpha(self, image: Image.Image, source: Box) -> Image.Image:
        """The ``source`` box of ``image``'s alpha channel; the channel is kept for the next frames."""
        kept = self._alphas.get(id(image))
        if kept is None or kept[0] is not image:
            if len(self._alphas) >= _KEPT_ALPHAS:
                del self._alphas[next(iter(self._alphas))]
            kept = self._alphas[id(image)] = (image, image.getchannel("A"))
        alpha = kept[1]
        return alpha if source == (0, 0, *alpha.size) else alpha.crop(source)

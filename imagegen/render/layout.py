"""Fitting a source image to its layer: cover/stretch for backgrounds, contain-fit for the rest."""

from __future__ import annotations

import math

from PIL import Image

from imagegen.render.placement import margin_px
from imagegen.scene import Canvas, Layer, Role

Size = tuple[int, int]
Box = tuple[int, int, int, int]

#: Reduce big images by whole factors first; visually the same as a pure Lanczos, much faster.
REDUCING_GAP = 3.0


def resample_for(src: Size, dst: Size) -> Image.Resampling:
    """Lanczos when shrinking (sharp, alias-free), bicubic when enlarging (no ringing halos)."""
    shrinking = dst[0] * dst[1] < src[0] * src[1]
    return Image.Resampling.LANCZOS if shrinking else Image.Resampling.BICUBIC


def layer_box(layer: Layer, canvas: Canvas) -> Size:
    """The box a non-background layer is contain-fitted into: ``size`` x canvas, within the margins."""
    margin = margin_px(layer, canvas)
    width = min(layer.size * canvas.width, canvas.width - 2 * margin)
    height = min(layer.size * canvas.height, canvas.height - 2 * margin)
    return max(1, round(width)), max(1, round(height))


def contain_size(image: Size, box: Size) -> Size:
    """The largest size with ``image``'s aspect ratio inside ``box`` (as ``ImageOps.contain``)."""
    (iw, ih), (bw, bh) = image, box
    if iw * bh > ih * bw:  # wider than the box: width limits
        return bw, max(1, round(ih * bw / iw))
    return max(1, round(iw * bh / ih)), bh


def fitted_size(layer: Layer, image: Size, canvas: Canvas) -> Size:
    """The layer's sprite size at scale 1 before rotation."""
    if layer.role is Role.BACKGROUND:
        return canvas.size
    return contain_size(image, layer_box(layer, canvas))


def cover_box(image: Size, target: Size) -> tuple[float, float, float, float]:
    """The centred part of ``image`` with ``target``'s aspect ratio (what a cover-fit keeps)."""
    (iw, ih), (tw, th) = image, target
    if iw * th > ih * tw:  # image is wider: crop the sides
        crop_w = ih * tw / th
        left = (iw - crop_w) / 2
        return left, 0.0, left + crop_w, float(ih)
    crop_h = iw * th / tw
    top = (ih - crop_h) / 2
    return 0.0, top, float(iw), top + crop_h


def prescale(layer: Layer, image: Image.Image, canvas: Canvas, scale: float = 1.0) -> Image.Image:
    """The layer's source sprite at ``scale`` x its fitted size, resampled once from the original.

    Backgrounds are cover-fitted (centred crop, aspect preserved) unless ``layer.stretch``.
    """
    fw, fh = fitted_size(layer, image.size, canvas)
    size = max(1, round(fw * scale)), max(1, round(fh * scale))
    box: tuple[float, float, float, float] = (0.0, 0.0, float(image.width), float(image.height))
    if layer.role is Role.BACKGROUND and not layer.stretch:
        box = cover_box(image.size, (fw, fh))
    if size == image.size and box == (0.0, 0.0, image.width, image.height):
        return image
    crop = (round(box[2] - box[0]), round(box[3] - box[1]))
    return image.resize(size, resample_for(crop, size), box=box, reducing_gap=REDUCING_GAP)


def source_scale(fitted: Size, original: Size, wanted: float, max_pixels: int) -> float:
    """How much larger than fitted to pre-scale a moving layer whose motions reach ``wanted`` x.

    Never beyond the original's own resolution (upscaling adds no detail) nor ``max_pixels``.
    """
    if wanted <= 1.0:
        return 1.0
    detail = max(original[0] / fitted[0], original[1] / fitted[1])
    budget = math.sqrt(max_pixels / (fitted[0] * fitted[1]))
    return max(1.0, min(wanted, detail, budget))

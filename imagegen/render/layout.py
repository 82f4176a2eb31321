"""Fitting a source image to its layer: the box it fills, the part of the source it shows, its size.

* Backgrounds cover the canvas (``Fit.CONTAIN``: whole image, centred; ``stretch``: distorted to fill).
* A layer with a ``region`` covers that region (``Fit.CONTAIN``: fits inside it).
* Other layers contain-fit their ``size`` box inside the margins (``Fit.COVER``: fill the box).
* A cover crop keeps ``Layer.focus`` (0.5, 0.5 = the centre); a circle is cut from a square crop.
* A border takes its width from the box, so a bordered layer still fills exactly its box.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from PIL import Image

from imagegen.render.placement import margin_px
from imagegen.scene import Canvas, Fit, Layer, Role, Scene, Shape

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


Crop = tuple[float, float, float, float]


@dataclass(frozen=True)
class Fitting:
    """How one layer's source becomes its sprite (at scale 1, before rotation and shadow).

    ``image`` is the size of the source's ``crop`` once resampled; ``size`` adds the border on each
    side; ``region`` is the box (canvas pixels) a region layer is placed in, None otherwise.
    """

    image: Size
    crop: Crop
    border: int = 0
    region: Box | None = None

    @property
    def size(self) -> Size:
        return self.image[0] + 2 * self.border, self.image[1] + 2 * self.border

    @property
    def enlarged(self) -> float:
        """The linear factor from source pixels (of the crop) to shown pixels; above 1 = enlarged."""
        crop_width, crop_height = self.crop[2] - self.crop[0], self.crop[3] - self.crop[1]
        return max(self.image[0] / max(crop_width, 1e-9), self.image[1] / max(crop_height, 1e-9))


def border_px(layer: Layer) -> int:
    """The layer's border width in whole pixels (0 without a border)."""
    if layer.border is None or not math.isfinite(layer.border.width):
        return 0
    return max(0, round(layer.border.width))


def fitting(layer: Layer, image: Size, canvas: Canvas) -> Fitting:
    """What part of an ``image``-sized source the layer shows, and at what size (see module doc)."""
    whole: Crop = (0.0, 0.0, float(image[0]), float(image[1]))
    border = 0 if layer.role is Role.BACKGROUND and layer.region is None else border_px(layer)
    region: Box | None = None
    if layer.region is not None:
        region = layer.region.box(canvas.size)
        box, fit = (region[2] - region[0], region[3] - region[1]), layer.fit or Fit.COVER
    elif layer.role is Role.BACKGROUND:
        box, fit = canvas.size, layer.fit or Fit.COVER
        if layer.stretch and layer.fit is None:
            return Fitting(canvas.size, whole)
    else:
        box, fit = layer_box(layer, canvas), layer.fit or Fit.CONTAIN
    inner = max(1, box[0] - 2 * border), max(1, box[1] - 2 * border)
    centering = layer.focus or (0.5, 0.5)
    if layer.shape is Shape.CIRCLE:
        side = min(inner)  # the square crop covers or fits the box alike: its shorter side
        return Fitting((side, side), cover_box(image, (1, 1), centering), border, region)
    if fit is Fit.COVER:
        return Fitting(inner, cover_box(image, inner, centering), border, region)
    return Fitting(contain_size(image, inner), whole, border, region)


def decoded_size(layers: Sequence[Layer], canvas: Canvas) -> Callable[[Size], Size]:
    """For an image the (still) ``layers`` draw, given its file's stored size, the size to decode it at
    so that every part they show keeps full resolution, whichever way up its EXIF turns it (for
    decoding a JPEG at a reduced scale, see ``sources.load_source``)."""

    def at_least(size: Size) -> Size:
        scale = max(fitting(layer, upright, canvas).enlarged for layer in layers for upright in (size, size[::-1]))
        return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))

    return at_least


def cover_box(image: Size, target: Size, centering: tuple[float, float] = (0.5, 0.5)) -> Crop:
    """The part of ``image`` with ``target``'s aspect ratio that a cover-fit keeps.

    ``centering`` says where the kept part sits, like ``ImageOps.fit``: (0.5, 0.5) the centre,
    (0.5, 0.0) the top, (0.0, 0.5) the left.
    """
    (iw, ih), (tw, th) = image, target
    cx, cy = (min(1.0, max(0.0, c)) if math.isfinite(c) else 0.5 for c in centering)
    if iw * th > ih * tw:  # image is wider: crop the sides
        crop_w = ih * tw / th
        left = (iw - crop_w) * cx
        return left, 0.0, left + crop_w, float(ih)
    crop_h = iw * th / tw
    top = (ih - crop_h) * cy
    return 0.0, top, float(iw), top + crop_h


def prescale(layer: Layer, image: Image.Image, canvas: Canvas, scale: float = 1.0) -> Image.Image:
    """The layer's cropped source at ``scale`` x its fitted image size, resampled once from the original."""
    fit = fitting(layer, image.size, canvas)
    size = max(1, round(fit.image[0] * scale)), max(1, round(fit.image[1] * scale))
    box = fit.crop
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


ENLARGED_SOFT = 2.0
"""Enlarging a source more than this (linear) makes it visibly soft."""
CROPPED_A_LOT = 0.25
"""A cover crop that cuts away more than this share of the source is worth mentioning."""
ASPECT_DIFFERS = 1.25
"""A background whose aspect ratio differs from the canvas's by more than this factor."""


@dataclass(frozen=True)
class ScalingNote:
    """Facts about how one layer's source is scaled, for the explain lines (values, not sentences).

    ``enlarged`` is the linear factor from source pixels to canvas pixels (above 1 = enlarged);
    ``cropped`` the share of the source's area a cover crop cuts away (0 = none); ``aspect`` the
    source's width / height and ``canvas_aspect`` the canvas's (for offering a matching size preset).
    """

    tag: str
    source: Size
    shown: Size
    enlarged: float
    cropped: float
    aspect: float
    canvas_aspect: float
    background: bool

    @property
    def soft(self) -> bool:
        return self.enlarged > ENLARGED_SOFT

    @property
    def heavy_crop(self) -> bool:
        return self.cropped > CROPPED_A_LOT

    @property
    def aspect_differs(self) -> bool:
        """A background whose shape clearly differs from the canvas's (landscape photo on a square)."""
        ratio = self.aspect / self.canvas_aspect
        return self.background and max(ratio, 1 / ratio) > ASPECT_DIFFERS


def scaling_notes(scene: Scene, sizes: Mapping[str, Size]) -> list[ScalingNote]:
    """One :class:`ScalingNote` per layer whose source size is known (tags matched ignoring case).

    Sizes are the stored images' sizes; trimming and knock-out are not taken into account (they
    only make a source smaller, so ``enlarged`` may be slightly understated for trimmed logos).
    """
    by_key = {tag.casefold(): size for tag, size in sizes.items()}
    canvas = scene.canvas
    notes = []
    for layer in scene.layers:
        size = by_key.get(layer.tag.casefold())
        if size is None or size[0] < 1 or size[1] < 1:
            continue
        fit = fitting(layer, size, canvas)
        crop_w, crop_h = fit.crop[2] - fit.crop[0], fit.crop[3] - fit.crop[1]
        notes.append(
            ScalingNote(
                tag=layer.tag,
                source=size,
                shown=fit.image,
                enlarged=fit.enlarged,
                cropped=1.0 - (crop_w * crop_h) / (size[0] * size[1]),
                aspect=size[0] / size[1],
                canvas_aspect=canvas.width / canvas.height,
                background=layer.role is Role.BACKGROUND and layer.region is None,
            )
        )
    return notes


def room_notes(scene: Scene) -> list[str]:
    """What the spacing said (in pixels or a share) cannot do on this canvas: a grid's gaps and margin
    that leave no room for its cells, a padding that leaves nothing of a region. Those are drawn without
    the spacing, and the line says so (a canvas of another size may have the room)."""
    canvas = scene.canvas
    size = canvas.size
    notes: list[str] = []
    crowded: dict[tuple[object, ...], list[Layer]] = {}
    for layer in scene.layers:
        region = layer.region
        if region is None or region.has_room(size):
            continue
        if region.cell is not None:
            crowded.setdefault((region.gap, region.margin_px(size), region.cell[2:]), []).append(layer)
            continue
        left, top, right, bottom = replace(region, margin=0.0, margin_share=0.0).box(size)
        notes.append(
            f"A {region.margin_px(size):g} px margin leaves nothing of {layer.name}'s {right - left}x{bottom - top} "
            "px area, so it was left out — say a smaller one."
        )
    for (gap, margin, _shape), layers in crowded.items():
        listed = ", ".join(layer.name for layer in layers)
        notes.insert(
            0,
            f"The gaps ({gap:g} px) and margin ({margin:g} px) leave no room for {listed} on a "
            f"{canvas.width}x{canvas.height} canvas, so they were left out — say smaller ones.",
        )
    return notes

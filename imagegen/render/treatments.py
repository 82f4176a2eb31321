"""Per-layer treatments of a fitted RGBA sprite: shape masks, borders and shadows.

Each works on any RGBA image (an uploaded picture, a knocked-out logo, a text layer), in pixels of
the image it is given; :func:`decorate` applies a layer's treatments at a scale (a moving layer's
source is pre-scaled above its size on the canvas, so its border and shadow scale with it).
Masks are drawn 4x larger and reduced (box filter), so curves are anti-aliased. A shadow adds the
same padding on opposite sides, so the sprite's centre stays the centre of what it shows.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from imagegen.render.effects import apply_effects, glow_shadow
from imagegen.render.layout import border_px
from imagegen.scene import RGBA, Adjust, Layer, Shadow, Shape
from imagegen.store.cleanup import knock_out, trim

SUPERSAMPLE = 4
"""Masks are drawn this many times larger, then reduced: 16 coverage levels per edge pixel."""
SHADOW_REACH = 3.0
"""A blurred shadow is padded by this many blur radii (Gaussian sigma): the rest is invisible."""


def source_for(layer: Layer, image: Image.Image) -> Image.Image:
    """The layer's source before fitting: its background knocked out and its transparent or flat margins trimmed."""
    if layer.knockout is not None:
        knockout = layer.knockout
        image = knock_out(image, knockout.colour, knockout.tolerance, everywhere=knockout.everywhere)
    if layer.trim:
        image = trim(image)
    return image


def shape_mask(size: tuple[int, int], shape: Shape, radius: float = 0.0) -> Image.Image:
    """An anti-aliased "L" mask of ``size``: the centred circle, or a rectangle with ``radius``-px corners."""
    width, height = size
    big = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    if shape is Shape.CIRCLE:
        side = min(width, height) * SUPERSAMPLE
        left, top = (big.width - side) / 2, (big.height - side) / 2
        draw.ellipse((left, top, left + side - 1, top + side - 1), fill=255)
    else:
        corner = max(0.0, min(radius, min(width, height) / 2)) * SUPERSAMPLE
        draw.rounded_rectangle((0, 0, big.width - 1, big.height - 1), radius=round(corner), fill=255)
    return big.resize(size, Image.Resampling.BOX)


def with_shape(image: Image.Image, shape: Shape, corner_radius: float) -> Image.Image:
    """``image`` cut to ``shape``; ``corner_radius`` is a fraction of its shorter side (rounded corners)."""
    rgba = image.convert("RGBA")
    radius = corner_radius * min(rgba.size) if math.isfinite(corner_radius) else 0.0
    mask = shape_mask(rgba.size, shape, radius)
    alpha = np.asarray(rgba.getchannel("A"), dtype=np.uint16) * np.asarray(mask, dtype=np.uint16)
    rgba.putalpha(Image.fromarray(((alpha + 127) // 255).astype(np.uint8), "L"))
    return rgba


def _grow(alpha: np.ndarray, reach: int) -> np.ndarray:
    """Grey dilation of ``alpha`` by a disc of radius ``reach`` (rows of running maxima, one per dy)."""
    height, width = alpha.shape
    padded = np.zeros((height + 2 * reach, width + 2 * reach), dtype=alpha.dtype)
    padded[reach : reach + height, reach : reach + width] = alpha
    rows = [padded]  # rows[k]: running maximum over x - k .. x + k
    for k in range(1, reach + 1):
        previous = rows[-1]
        step = previous.copy()
        step[:, k:] = np.maximum(step[:, k:], padded[:, :-k])
        step[:, :-k] = np.maximum(step[:, :-k], padded[:, k:])
        rows.append(step)
    out = np.zeros_like(padded)
    for dy in range(-reach, reach + 1):
        half = math.floor(math.sqrt(max(0.0, (reach + 0.5) ** 2 - dy * dy)))
        source = rows[min(half, reach)]
        if dy >= 0:
            out[dy:] = np.maximum(out[dy:], source[: source.shape[0] - dy])
        else:
            out[:dy] = np.maximum(out[:dy], source[-dy:])
    return out


def with_border(image: Image.Image, width: int, colour: RGBA) -> Image.Image:
    """``image`` inside a ``width``-px band of ``colour`` that follows its visible shape.

    A fully opaque rectangle gets a plain frame (square corners); anything with transparency (a
    circle, rounded corners, a knocked-out logo, text) gets an outline of the same shape. The image
    grows by ``width`` on every side.
    """
    rgba = image.convert("RGBA")
    if width <= 0:
        return rgba
    alpha = np.asarray(rgba.getchannel("A"))
    if alpha.min() == 255:
        grown = np.zeros((rgba.height + 2 * width, rgba.width + 2 * width), dtype=np.uint8)
        grown[:] = 255
    else:
        grown = _grow(alpha, width)
    band_alpha = (grown.astype(np.uint16) * colour[3] + 127) // 255
    out = Image.new("RGBA", (rgba.width + 2 * width, rgba.height + 2 * width), (*colour[:3], 0))
    out.putalpha(Image.fromarray(band_alpha.astype(np.uint8), "L"))
    out.alpha_composite(rgba, (width, width))
    return out


def shadow_padding(shadow: Shadow, scale: float = 1.0) -> tuple[int, int]:
    """Pixels added on each side (x, y) so the shadow fits with the sprite still centred."""
    blur = max(0.0, shadow.blur) if math.isfinite(shadow.blur) else 0.0
    reach = SHADOW_REACH * blur
    dx, dy = (abs(v) if math.isfinite(v) else 0.0 for v in (shadow.dx, shadow.dy))
    return math.ceil((dx + reach) * scale), math.ceil((dy + reach) * scale)


def with_shadow(image: Image.Image, shadow: Shadow, scale: float = 1.0) -> Image.Image:
    """``image`` over its own shadow: its alpha in ``shadow.colour``, offset and Gaussian-blurred.

    The result is padded evenly (:func:`shadow_padding`) so the image stays at its centre.
    """
    rgba = image.convert("RGBA")
    pad_x, pad_y = shadow_padding(shadow, scale)
    size = (rgba.width + 2 * pad_x, rgba.height + 2 * pad_y)
    colour = shadow.colour
    alpha = Image.new("L", size, 0)
    offset = (pad_x + round(_finite(shadow.dx) * scale), pad_y + round(_finite(shadow.dy) * scale))
    alpha.paste(rgba.getchannel("A"), offset)
    blur = max(0.0, _finite(shadow.blur)) * scale
    if blur > 0:
        alpha = alpha.filter(ImageFilter.GaussianBlur(blur))
    alpha = alpha.point([(v * colour[3] + 127) // 255 for v in range(256)])
    out = Image.new("RGBA", size, (*colour[:3], 0))
    out.putalpha(alpha)
    out.alpha_composite(rgba, (pad_x, pad_y))
    return out


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def decorate(image: Image.Image, layer: Layer, scale: float = 1.0) -> tuple[Image.Image, tuple[int, int]]:
    """The layer's fitted ``image`` with its effects, shape, border, glow and shadow, at ``scale`` x canvas
    pixels.

    :return: the decorated image and the padding (x, y) per side for the glow and the shadow, in canvas
        pixels at scale 1.
    """
    image = apply_effects(image, layer.effects, scale)
    if layer.shape is not None:
        image = with_shape(image, layer.shape, layer.corner_radius)
    border = border_px(layer)
    if border and layer.border is not None:
        image = with_border(image, max(1, round(border * scale)), layer.border.colour)
    return with_halos(image, [*_glows(layer), *([layer.shadow] if layer.shadow is not None else [])], scale)


def with_effects(image: Image.Image, layer: Layer, scale: float = 1.0) -> Image.Image:
    """A text's rasterised block with the layer's effects and glows (its own outline and shadow are drawn
    with its letters); padded evenly, so it stays centred where it was placed."""
    return with_halos(apply_effects(image, layer.effects, scale), _glows(layer), scale)[0]


def with_halos(image: Image.Image, halos: list[Shadow], scale: float) -> tuple[Image.Image, tuple[int, int]]:
    """``image`` over each halo in turn (a glow, a shadow), and the padding they add per side at scale 1."""
    padding = (0, 0)
    for shadow in halos:
        image = with_shadow(image, shadow, scale)
        extra = shadow_padding(shadow)
        padding = (padding[0] + extra[0], padding[1] + extra[1])
    return image, padding


def _glows(layer: Layer) -> list[Shadow]:
    return [glow_shadow(effect) for effect in layer.effects if effect.kind is Adjust.GLOW]

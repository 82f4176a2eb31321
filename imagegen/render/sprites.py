"""Per-frame sprites: a pre-scaled source turned, scaled and faded, with a small bounded cache.

A sprite that is much larger than the canvas and only partly on it (a zoomed background, a big
layer sliding in) is resampled only where it is visible, so no frame ever allocates a giant image.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from PIL import Image

from imagegen.render.compose import Box, Draw, intersect, is_opaque, with_opacity
from imagegen.render.layout import resample_for
from imagegen.render.motion import Transform

Size = tuple[int, int]
Matrix = list[float]

CACHE_BYTES = 64 * 1024 * 1024
"""Upper bound on the memory of cached per-frame sprites of one layer."""
ANGLE_STEP = 0.01
"""Angles are quantised to this many degrees (invisible, lets repeated looks hit the cache)."""
PAD = 3
"""Extra source pixels around a partial render, more than the bicubic kernel's reach."""


def rotation_matrix(size: Size, angle: float) -> tuple[Matrix, Size]:
    """Pillow's ``rotate(-angle, expand=True)`` as (output -> input affine matrix, output size).

    ``angle`` is clockwise degrees. Mirrors ``PIL.Image.Image.rotate`` so partial renders line up
    with whole ones to the pixel.
    """
    w, h = size
    rad = math.radians(angle)
    cos, sin = round(math.cos(rad), 15), round(math.sin(rad), 15)
    matrix = [cos, sin, 0.0, -sin, cos, 0.0]
    cx, cy = w / 2, h / 2
    matrix[2] = cos * -cx + sin * -cy + cx
    matrix[5] = -sin * -cx + cos * -cy + cy
    xs, ys = [], []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        xs.append(matrix[0] * x + matrix[1] * y + matrix[2])
        ys.append(matrix[3] * x + matrix[4] * y + matrix[5])
    nw = math.ceil(max(xs)) - math.floor(min(xs))
    nh = math.ceil(max(ys)) - math.floor(min(ys))
    tx, ty = -(nw - w) / 2.0, -(nh - h) / 2.0
    matrix[2], matrix[5] = matrix[0] * tx + matrix[1] * ty + matrix[2], matrix[3] * tx + matrix[4] * ty + matrix[5]
    return matrix, (nw, nh)


def quantised_angle(angle: float) -> float:
    """A clockwise angle in [0, 360) rounded to :data:`ANGLE_STEP` (as the sprites draw it)."""
    return round((angle % 360.0) / ANGLE_STEP) * ANGLE_STEP % 360.0


def rotated_size(size: Size, angle: float) -> Size:
    """The size of ``size`` rotated by ``angle`` degrees with expand (exact for right angles)."""
    angle %= 360.0
    if angle in (0.0, 180.0):
        return size
    if angle in (90.0, 270.0):
        return size[1], size[0]
    return rotation_matrix(size, angle)[1]


def rotate(image: Image.Image, angle: float) -> Image.Image:
    """``image`` turned ``angle`` degrees clockwise about its centre, expanded, bicubic."""
    if angle % 360.0 == 0.0:
        return image
    return image.rotate(-angle, Image.Resampling.BICUBIC, expand=True)


def opacity_level(opacity: float) -> int:
    """An opacity multiplier as an alpha level 0..255."""
    if not math.isfinite(opacity):
        return 255
    return max(0, min(255, round(opacity * 255)))


def _rgba(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGBA" else image.convert("RGBA")


class SpriteRenderer:
    """Draws one layer's sprite for any transform, from a source pre-scaled once.

    :param source: the layer's image, already fitted, at ``source.size`` (may be larger than
        ``fitted`` when motions zoom in, so zoomed frames keep detail).
    :param fitted: the sprite size at scale 1, before rotation.
    :param rotation: the layer's own clockwise rotation in degrees.
    :param opacity: the layer's own opacity.
    :param canvas: canvas size, for clipping.
    :param exact: place and scale to the sub-pixel (Ken Burns pans and slow zooms of a picture that
        covers the canvas: whole-pixel rounding would make them wobble by half a pixel).
    """

    def __init__(
        self, source: Image.Image, fitted: Size, rotation: float, opacity: float, canvas: Size, exact: bool = False
    ):
        # An opaque source is kept as RGB: resampling skips the premultiply round trip (~2x faster).
        self.source = source.convert("RGB") if source.mode != "RGB" and is_opaque(source) else source
        self.fitted = fitted
        self.rotation = rotation
        self.opacity = opacity
        self.canvas_box: Box = (0, 0, *canvas)
        self.exact = exact
        self._cache: OrderedDict[tuple, Image.Image] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()  # a plan may stream frames and make a still at the same time

    def look(self, transform: Transform) -> tuple[Size, float, int]:
        """(scaled size, quantised clockwise angle, alpha level) for ``transform``."""
        scale = max(0.0, transform.scale) if math.isfinite(transform.scale) else 1.0
        size = round(self.fitted[0] * scale), round(self.fitted[1] * scale)
        angle = quantised_angle(self.rotation + transform.angle)
        return size, angle, opacity_level(self.opacity * transform.opacity)

    def at_rest(self) -> Image.Image:
        """The sprite with no motion: scale 1, the layer's own rotation and opacity."""
        return self._whole(self.look(Transform()))

    def _opaque_at(self, angle: float) -> bool:
        """Every pixel of the sprite turned by ``angle`` is opaque (turning adds transparent corners)."""
        return angle == 0.0 and self.source.mode == "RGB"

    def draw(self, transform: Transform, centre: tuple[float, float]) -> Draw | None:
        """The sprite for ``transform`` centred at ``centre`` + offset; None when nothing shows."""
        size, angle, level = self.look(transform)
        if level == 0 or size[0] < 1 or size[1] < 1:
            return None
        if self.exact and angle == 0.0:
            return self._draw_exact(transform, centre, level)
        out_w, out_h = rotated_size(size, angle)
        left = round(centre[0] + transform.dx - out_w / 2)
        top = round(centre[1] + transform.dy - out_h / 2)
        whole = (left, top, left + out_w, top + out_h)
        visible = intersect(whole, self.canvas_box)
        if visible is None:
            return None
        canvas_area = self.canvas_box[2] * self.canvas_box[3]
        if visible == whole or out_w * out_h <= canvas_area or self._is_plain(size, angle):
            return Draw(self._unfaded(size, angle), left, top, (size, angle, level), level, self._opaque_at(angle))
        local = (visible[0] - left, visible[1] - top, visible[2] - left, visible[3] - top)
        part = self._part(size, angle, local)
        if part is None:
            return None
        return Draw(part, visible[0], visible[1], (size, angle, level, local), level, self._opaque_at(angle))

    def _draw_exact(self, transform: Transform, centre: tuple[float, float], level: int) -> Draw | None:
        """The visible part resampled straight from the source at float position and scale."""
        scale = max(0.0, transform.scale)
        width, height = self.fitted[0] * scale, self.fitted[1] * scale
        left = centre[0] + transform.dx - width / 2
        top = centre[1] + transform.dy - height / 2
        whole = (math.floor(left), math.floor(top), math.ceil(left + width), math.ceil(top + height))
        visible = intersect(whole, self.canvas_box)
        if visible is None:
            return None
        sx, sy = self.source.width / width, self.source.height / height
        box = tuple(
            min(max(value, 0.0), limit)
            for value, limit in (
                ((visible[0] - left) * sx, self.source.width),
                ((visible[1] - top) * sy, self.source.height),
                ((visible[2] - left) * sx, self.source.width),
                ((visible[3] - top) * sy, self.source.height),
            )
        )
        out = (visible[2] - visible[0], visible[3] - visible[1])
        image = self.source.resize(out, resample_for(self.source.size, (round(width), round(height))), box=box)
        # the floats the pixels come from, unrounded: a key must tell apart every two looks that differ
        # (rounded to 4 places, a zoom's first 1e-6 of growth kept its key but not its pixels)
        key = ("exact", left, top, width, height, level)
        return Draw(_rgba(image), visible[0], visible[1], key, level, self._opaque_at(0.0))

    def _is_plain(self, size: Size, angle: float) -> bool:
        """No resampling needed: compositing can clip the source directly."""
        return angle == 0.0 and size == self.source.size

    def _whole(self, look: tuple[Size, float, int]) -> Image.Image:
        """The whole sprite for ``look`` (size, angle, alpha level) as it is seen."""
        size, angle, level = look
        return with_opacity(self._unfaded(size, angle), level)

    def _unfaded(self, size: Size, angle: float) -> Image.Image:
        """The whole sprite at ``size`` turned by ``angle``, RGBA, before opacity (cached: a fade reuses it)."""
        key = (size, angle)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        image = self.source
        if image.size != size:
            image = image.resize(size, resample_for(image.size, size))
        image = rotate(_rgba(image), angle)
        self._remember(key, image)
        return image

    def _remember(self, key: tuple, image: Image.Image) -> None:
        nbytes = image.width * image.height * 4
        if nbytes > CACHE_BYTES:
            return
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = image
            self._cache_bytes += nbytes
            while self._cache_bytes > CACHE_BYTES:
                _, old = self._cache.popitem(last=False)
                self._cache_bytes -= old.width * old.height * 4

    def _part(self, size: Size, angle: float, local: Box) -> Image.Image | None:
        """Only the ``local`` part (in the rotated sprite's pixels) of the sprite, resampled once, before opacity."""
        out_size = (local[2] - local[0], local[3] - local[1])
        if angle == 0.0:
            return _rgba(self._scaled_region(size, local))
        matrix, _ = rotation_matrix(size, angle)
        a, b, c, d, e, f = matrix
        c, f = a * local[0] + b * local[1] + c, d * local[0] + e * local[1] + f
        corners = [
            (a * x + b * y + c, d * x + e * y + f) for x, y in ((0, 0), (out_size[0], 0), out_size, (0, out_size[1]))
        ]
        region = (
            max(0, math.floor(min(p[0] for p in corners)) - PAD),
            max(0, math.floor(min(p[1] for p in corners)) - PAD),
            min(size[0], math.ceil(max(p[0] for p in corners)) + PAD),
            min(size[1], math.ceil(max(p[1] for p in corners)) + PAD),
        )
        if region[0] >= region[2] or region[1] >= region[3]:
            return None
        scaled = _rgba(self._scaled_region(size, region))
        shifted = [a, b, c - region[0], d, e, f - region[1]]
        return scaled.transform(out_size, Image.Transform.AFFINE, shifted, Image.Resampling.BICUBIC)

    def _scaled_region(self, size: Size, region: Box) -> Image.Image:
        """``region`` of the source scaled to ``size``, computed without scaling the rest."""
        sx, sy = self.source.width / size[0], self.source.height / size[1]
        box = (region[0] * sx, region[1] * sy, region[2] * sx, region[3] * sy)
        out = (region[2] - region[0], region[3] - region[1])
        if self.source.size == size:
            return self.source.crop(region)
        return self.source.resize(out, resample_for(self.source.size, size), box=box)

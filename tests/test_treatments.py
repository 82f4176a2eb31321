"""Shape masks, borders and shadows on any RGBA sprite, measured: areas, edges, offsets, blur widths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers_pixels import BLUE, RED, solid
from PIL import Image, ImageDraw

from imagegen.render.treatments import decorate, shadow_padding, shape_mask, with_border, with_shadow, with_shape
from imagegen.scene import Border, Layer, Shadow, Shape


def _alpha(image: Image.Image) -> np.ndarray:
    return np.asarray(image.getchannel("A") if image.mode != "L" else image).astype(np.float64) / 255


def test_circle_mask_has_the_disc_area_and_soft_edges() -> None:
    mask = _alpha(shape_mask((100, 100), Shape.CIRCLE))
    assert abs(mask.sum() - math.pi * 50**2) / (math.pi * 50**2) < 0.005, mask.sum()
    assert mask[50, 50] == 1 and mask[0, 0] == 0 and mask[0, 99] == 0
    edge = mask[(mask > 0) & (mask < 1)]
    assert edge.size > 200, "anti-aliased: partly covered pixels along the rim"
    assert np.allclose(mask, mask[:, ::-1], atol=1 / 255) and np.allclose(mask, mask.T, atol=1 / 255)


def test_circle_on_a_wide_sprite_is_centred_and_round() -> None:
    mask = _alpha(shape_mask((160, 100), Shape.CIRCLE))
    cols = np.nonzero(mask.max(axis=0) > 0.5)[0]
    assert (cols.min(), cols.max()) == (30, 129)


def test_rounded_corners_cut_only_the_corners() -> None:
    mask = _alpha(shape_mask((100, 60), Shape.ROUNDED, radius=12))
    assert mask[0, 0] == 0 and mask[0, 99] == 0 and mask[59, 0] == 0
    assert mask[0, 50] == 1 and mask[30, 0] == 1 and mask[30, 50] == 1
    missing = 100 * 60 - mask.sum()
    expected = 4 * (12**2 - math.pi * 12**2 / 4)  # four corner squares minus quarter discs
    assert abs(missing - expected) < 0.1 * expected, (missing, expected)


def test_with_shape_multiplies_existing_alpha() -> None:
    half = solid(40, 40, (255, 0, 0, 128))
    out = with_shape(half, Shape.CIRCLE, 0.0)
    assert out.getpixel((20, 20))[3] == 128 and out.getpixel((0, 0))[3] == 0


def test_border_around_an_opaque_picture_is_a_square_frame() -> None:
    out = with_border(solid(50, 30, RED), 4, BLUE)
    assert out.size == (58, 38)
    arr = np.asarray(out)
    assert tuple(arr[0, 0]) == BLUE and tuple(arr[3, 57]) == BLUE and tuple(arr[4, 4]) == RED
    assert (np.all(arr[..., :3] == BLUE[:3], axis=-1)).sum() == 58 * 38 - 50 * 30


def test_outline_follows_a_transparent_shape() -> None:
    disc = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(disc).ellipse((10, 10, 49, 49), fill=RED)
    out = np.asarray(with_border(disc, 4, BLUE))
    assert out.shape[:2] == (68, 68)
    assert out[0, 0, 3] == 0 and out[34, 34, 3] == 255 and tuple(out[34, 34]) == RED
    ring = np.all(out[..., :3] == BLUE[:3], axis=-1) & (out[..., 3] == 255)
    rows = np.nonzero(ring[:, 34])[0]  # down the middle column: 4 px above and below the disc
    assert list(rows) == [10, 11, 12, 13, 54, 55, 56, 57], rows
    assert ring[34, 13] and not ring[34, 9], "4 px out from the disc's left edge (x = 14), not more"


@pytest.mark.parametrize(("dx", "dy"), [(8, 8), (0, 10), (-6, 4)])
def test_shadow_offset_is_measured_in_pixels(dx: int, dy: int) -> None:
    sprite = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    sprite.paste(RED, (10, 10, 30, 30))
    out = with_shadow(sprite, Shadow(dx, dy, 0, (0, 0, 255, 255)))
    pad_x, pad_y = shadow_padding(Shadow(dx, dy, 0))
    assert out.size == (40 + 2 * pad_x, 40 + 2 * pad_y)
    red = (10 + pad_x, 10 + pad_y, 30 + pad_x, 30 + pad_y)
    assert out.crop(red).getcolors() == [(400, RED)], "the sprite sits in the middle, on top"
    shadow = (red[0] + dx, red[1] + dy, red[2] + dx, red[3] + dy)
    union = (min(red[0], shadow[0]), min(red[1], shadow[1]), max(red[2], shadow[2]), max(red[3], shadow[3]))
    assert out.getchannel("A").getbbox() == union
    visible = [
        xy for xy in ((shadow[2] - 1, shadow[3] - 1),) if not (red[0] <= xy[0] < red[2] and red[1] <= xy[1] < red[3])
    ]
    for xy in visible:
        assert out.getpixel(xy) == (0, 0, 255, 255), f"shadow corner {xy}"


@pytest.mark.parametrize("blur", [2.0, 5.0])
def test_shadow_blur_spreads_the_edge_by_its_radius(blur: float) -> None:
    sprite = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
    sprite.paste((255, 255, 255, 255), (30, 10, 50, 60))
    out = with_shadow(sprite, Shadow(0, 55, blur, (0, 0, 0, 255)))  # a 50 px tall shadow below the sprite
    alpha = _alpha(out)
    pad_x, pad_y = shadow_padding(Shadow(0, 55, blur))
    column = alpha[:, pad_x + 40]
    # The shadow's lower edge (a step blurred by a Gaussian): its 16 %-84 % width is 2 sigma. Pillow's
    # Gaussian is three box blurs: measured 4.0 px at blur 2 and 11.0 px at blur 5 (within 12 %).
    lower = column[pad_y + 90 :]  # from the shadow's middle down
    idx = np.arange(lower.size)
    at = lambda level: float(np.interp(level, lower[::-1], idx[::-1]))  # noqa: E731
    width = at(0.16) - at(0.84)
    assert abs(width - 2 * blur) <= max(1.0, 0.12 * 2 * blur), f"edge width {width:.2f}, expected {2 * blur}"


def test_decorate_pads_evenly_so_the_centre_stays() -> None:
    layer = Layer("a", border=Border(3, BLUE), shadow=Shadow(8, 8, 4))
    out, pad = decorate(solid(40, 20, RED), layer)
    assert pad == shadow_padding(layer.shadow) and out.size == (46 + 2 * pad[0], 26 + 2 * pad[1])
    red = np.argwhere(np.all(np.asarray(out)[..., :3] == RED[:3], axis=-1) & (np.asarray(out)[..., 3] == 255))
    centre = red.mean(axis=0)[::-1]
    assert np.allclose(centre, ((out.width - 1) / 2, (out.height - 1) / 2), atol=0.01), centre

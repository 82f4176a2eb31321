"""Logos and photos built in code with a known alpha, for knock-out and layout tests.

A logo is drawn 4x larger and reduced with a box filter, so its true coverage (alpha) is known exactly
at every pixel; "on white" is that logo composited over a background colour, as designers deliver it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

LOGO_RED = (200, 30, 40)
SUPER = 4


@dataclass(frozen=True)
class KnownLogo:
    """An opaque image of a logo on a plain background, and the truth it was made from."""

    image: Image.Image  # RGB, what the user uploads
    alpha: np.ndarray  # (H, W) float 0..1, the logo's true coverage
    colour: np.ndarray  # (H, W, 3) float, the logo's true colour where it covers


def _coverage(size: int, draw_shapes) -> np.ndarray:  # type: ignore[no-untyped-def]
    big = Image.new("L", (size * SUPER, size * SUPER), 0)
    draw_shapes(ImageDraw.Draw(big))
    return np.asarray(big.resize((size, size), Image.Resampling.BOX)).astype(np.float32) / 255


def known_logo(size: int = 200, background: tuple[int, int, int] = (255, 255, 255)) -> KnownLogo:
    """A red disc with a white square inside it and a black bar across its right edge, over ``background``.

    The white square is part of the logo (it must stay); the black bar touches both the red and the
    background (a red pixel beside a black one is not a mix with the background).
    """
    s = size / 200

    def box(*xy: float) -> tuple[float, ...]:
        return tuple(v * s * SUPER for v in xy)

    disc = _coverage(size, lambda d: d.ellipse(box(20, 20, 180, 180), fill=255))
    bar = _coverage(size, lambda d: d.rectangle(box(130, 88, 192, 112), fill=255))
    square = _coverage(size, lambda d: d.rectangle(box(70, 80, 110, 120), fill=255))
    face = np.zeros((size, size, 3), np.float32)
    face[:] = LOGO_RED
    face = face * (1 - square[..., None]) + 255 * square[..., None]
    # The black bar drawn over the disc ("over" compositing, premultiplied).
    alpha = disc * (1 - bar) + bar
    premultiplied = face * (disc * (1 - bar))[..., None]
    colour = premultiplied / np.maximum(alpha, 1e-6)[..., None]
    over = colour * alpha[..., None] + np.asarray(background, np.float32) * (1 - alpha[..., None])
    return KnownLogo(Image.fromarray(over.round().astype(np.uint8), "RGB"), alpha, colour)


def as_jpeg(image: Image.Image, quality: int = 85) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def photo(width: int = 240, height: int = 160, seed: int = 3) -> Image.Image:
    """A photo-like RGB image: smooth gradients plus fine noise (no flat border)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([40 + 150 * x / width, 70 + 120 * y / height, 120 + 60 * np.sin(x / 17.0)], axis=-1)
    rgb = rgb + rng.normal(0, 9, rgb.shape)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")


LETTER_NAVY = (20, 40, 110)


def letter_a(size: int = 200, background: tuple[int, int, int] = (255, 255, 255)) -> KnownLogo:
    """A navy capital "A" on ``background``: its counter (the triangle inside, centred near (100, 112) at
    200 px) is enclosed by the letter; the gap between its legs opens onto the bottom edge. The truth's
    alpha is the letter with the counter transparent (what "also remove white inside the shapes" makes)."""
    s = size / 200

    def poly(*xy: float) -> list[tuple[float, float]]:
        return [(xy[i] * s * SUPER, xy[i + 1] * s * SUPER) for i in range(0, len(xy), 2)]

    def letter(draw: ImageDraw.ImageDraw) -> None:
        draw.polygon(poly(100, 15, 185, 195, 145, 195, 100, 90, 55, 195, 15, 195), fill=255)  # the legs
        draw.polygon(poly(100, 15, 160, 140, 40, 140), fill=255)  # the body between them

    counter = _coverage(size, lambda d: d.polygon(poly(100, 75, 125, 125, 75, 125), fill=255))
    alpha = np.clip(_coverage(size, letter) - counter, 0, 1)
    colour = np.zeros((size, size, 3), np.float32)
    colour[:] = LETTER_NAVY
    over = colour * alpha[..., None] + np.asarray(background, np.float32) * (1 - alpha[..., None])
    return KnownLogo(Image.fromarray(over.round().astype(np.uint8), "RGB"), alpha, colour)

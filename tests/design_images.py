"""Images built in code for the design checks: a photo-like backdrop (gradients, grain, hills, a sun), the
same with a light "white cup" in it, a logo with transparency and a product shot; no binary files."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def photo(size: tuple[int, int] = (1200, 900), *, seed: int = 3) -> Image.Image:
    """A dusk landscape in mid-to-dark tones: a sky gradient, hills, a dim sun, grain (what a typical
    backdrop behind white text looks like)."""
    width, height = size
    rng = np.random.default_rng(seed)
    sky = np.linspace([25, 45, 90], [110, 80, 95], height)[:, None, :].repeat(width, axis=1)
    sky += np.linspace(-12, 12, width)[None, :, None]
    image = Image.fromarray((sky + rng.normal(0, 7, (height, width, 3))).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((int(width * 0.7), int(height * 0.15), int(width * 0.8), int(height * 0.28)), fill=(170, 120, 90))
    hills = [(0, height), (0, int(height * 0.7)), (int(width * 0.3), int(height * 0.55))]
    hills += [(int(width * 0.6), int(height * 0.68)), (width, int(height * 0.5)), (width, height)]
    draw.polygon(hills, fill=(30, 55, 35))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def light_photo_with_cup(size: tuple[int, int] = (1200, 900), *, seed: int = 5) -> Image.Image:
    """A bright kitchen table with a white cup across its middle and top: the light photo white text
    disappears on."""
    width, height = size
    rng = np.random.default_rng(seed)
    table = np.linspace([205, 195, 180], [235, 228, 215], height)[:, None, :].repeat(width, axis=1)
    image = Image.fromarray((table + rng.normal(0, 5, (height, width, 3))).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((int(width * 0.2), int(height * 0.05), int(width * 0.8), int(height * 0.75)), 60,
                           fill=(250, 250, 248))  # fmt: skip
    draw.ellipse(
        (int(width * 0.78), int(height * 0.25), int(width * 0.95), int(height * 0.5)), outline=(245, 245, 243), width=30
    )  # fmt: skip  (the handle)
    return image.filter(ImageFilter.GaussianBlur(1.2))


def flat(colour: tuple[int, int, int], size: tuple[int, int] = (1200, 900)) -> Image.Image:
    return Image.new("RGB", size, colour)


def gradient(
    left: tuple[int, int, int], right: tuple[int, int, int], size: tuple[int, int] = (1200, 900)
) -> Image.Image:
    """Left to right from one colour to another."""
    width, height = size
    row = np.linspace(left, right, width)[None, :, :].repeat(height, axis=0)
    return Image.fromarray(row.round().astype(np.uint8))


def logo(size: int = 300) -> Image.Image:
    """A round red badge with a white mark, transparent around it."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(200, 30, 40, 255))
    draw.polygon([(size // 2, size // 5), (size * 4 // 5, size * 4 // 5), (size // 5, size * 4 // 5)], fill="white")
    return image


def product(size: tuple[int, int] = (600, 800)) -> Image.Image:
    """A bottle shot on a plain backdrop (opaque, like most product photos)."""
    width, height = size
    image = Image.new("RGB", size, (236, 238, 240))
    ImageDraw.Draw(image).rounded_rectangle((width // 4, height // 8, width * 3 // 4, height * 15 // 16), 40,
                                           fill=(30, 110, 170))  # fmt: skip
    return image


def example_images() -> dict[str, Image.Image]:
    """Every tag the Prompt guide's and the README's examples use, each a plausible image for its name."""
    # phone-photo proportions at a modest size, so the ~170 examples render quickly
    images: dict[str, Image.Image] = {"BG": photo((800, 600)), "logo": logo(200), "product": product((300, 400))}
    images["hero"] = photo((800, 600), seed=9)
    for index, tag in enumerate(("a", "b", "c", "d")):
        images[tag] = photo((480, 360), seed=20 + index)
    return images

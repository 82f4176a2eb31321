"""Render the layout examples shown in the README from their prompts: ``python docs/layouts.py``.

Every picture is built in code (no stock photos): a landscape, a product shot, a logo on white.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from imagegen.prompt import parse
from imagegen.render import render_still

HERE = Path(__file__).resolve().parent


def landscape(width: int, height: int, seed: int = 1, hue: float = 0.0) -> Image.Image:
    """Sky gradient, a sun, two rows of hills, grain."""
    rng = np.random.default_rng(seed)
    y = np.mgrid[0:height, 0:width][0] / max(width, height)
    sky = np.stack([110 + 90 * y + 40 * hue, 160 + 60 * y, 235 - 40 * y - 60 * hue], axis=-1)
    image = Image.fromarray(sky.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    sun = (0.7 * width, 0.28 * height, 0.09 * min(width, height))
    draw.ellipse((sun[0] - sun[2], sun[1] - sun[2], sun[0] + sun[2], sun[1] + sun[2]), fill=(255, 226, 140))
    for level, colour in ((0.62, (70, 120, 80)), (0.75, (40, 90, 55))):
        phase = rng.uniform(0, 6)
        xs = np.arange(width + 1)
        ridge = height * (level + 0.06 * np.sin(xs / width * 7 + phase) + 0.03 * np.sin(xs / width * 19 + phase))
        draw.polygon([(0, height), *zip(xs, ridge, strict=True), (width, height)], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = rng.normal(0, 6, (height, width, 3))
    return Image.fromarray((np.asarray(image) + grain).clip(0, 255).astype(np.uint8), "RGB")


def product(width: int, height: int) -> Image.Image:
    """A bottle on a warm studio gradient."""
    y = np.linspace(0, 1, height)[:, None, None]
    backdrop = np.broadcast_to(np.array([250, 214, 170]) - np.array([60, 70, 60]) * y, (height, width, 3))
    image = Image.fromarray(backdrop.astype(np.uint8).copy(), "RGB")
    draw = ImageDraw.Draw(image)
    cx, w = width / 2, width * 0.22
    draw.rounded_rectangle((cx - w / 2, height * 0.35, cx + w / 2, height * 0.9), radius=w * 0.25, fill=(30, 90, 140))
    draw.rectangle((cx - w / 6, height * 0.2, cx + w / 6, height * 0.36), fill=(30, 90, 140))
    draw.rectangle((cx - w / 5, height * 0.15, cx + w / 5, height * 0.21), fill=(200, 40, 50))
    draw.rectangle((cx - w / 2, height * 0.55, cx + w / 2, height * 0.7), fill=(245, 245, 240))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def logo_on_white(side: int = 400) -> Image.Image:
    """A round badge with a white mark inside, delivered opaque on white (drawn 4x, reduced: soft edges)."""
    big = Image.new("RGB", (side * 4, side * 4), "white")
    draw = ImageDraw.Draw(big)
    s = side * 4
    draw.ellipse((0.1 * s, 0.1 * s, 0.9 * s, 0.9 * s), fill=(200, 30, 40))
    draw.polygon([(0.5 * s, 0.25 * s), (0.72 * s, 0.68 * s), (0.28 * s, 0.68 * s)], fill="white")
    draw.rectangle((0.62 * s, 0.44 * s, 0.98 * s, 0.56 * s), fill=(20, 20, 20))
    return big.resize((side, side), Image.Resampling.BOX)


BANNER = "1200x628 LinkedIn banner: @BG on the left half, @hero on the right half"
SPLIT_TEXT = (
    '1200x628, @hero on the left half, "Summer Sale — 30 % off everything" in white with a drop shadow'
    " on the right half, background colour #1d3557"
)
GRID = (
    "grid of @a, @b, @c and @d with 24 px gap and 48 px margin, white borders, rounded corners,"
    " background colour #233044"
)
KNOCKOUT = "1080x720, remove the white background of @logo, @logo in the center with a drop shadow over @BG"


def save(prompt: str, images: dict[str, Image.Image], name: str) -> Path:
    """Parse ``prompt`` and render it with the engine, as the app does."""
    result = parse(prompt, list(images))
    for warning in result.warnings:
        print(f"{name}: {warning.message}")
    path = HERE / name
    render_still(result.scene, images).convert("RGB").save(path, quality=85, optimize=True)
    return path


def main() -> None:
    save(BANNER, {"BG": landscape(900, 600), "hero": product(600, 800)}, "layout-split-banner.jpg")
    save(SPLIT_TEXT, {"hero": product(600, 800)}, "layout-split-text.jpg")
    pictures = {
        "a": landscape(800, 600, 2),
        "b": product(600, 600),
        "c": landscape(600, 800, 3, 0.6),
        "d": landscape(700, 700, 4, 0.3),
    }
    save(GRID, pictures, "layout-grid.jpg")
    save(KNOCKOUT, {"BG": landscape(1200, 800, 5), "logo": logo_on_white()}, "layout-knockout.jpg")


if __name__ == "__main__":
    main()

"""Text in GIFs: are a headline's edges clean? Scene A's photo + a headline dropping in, exported as GIF.

    python benchmarks/bench_text.py

For three text colours (white, red, yellow, each with a black outline) it compares the last decoded GIF
frame with the renderer's exact frame and prints: speckle inside the letters (share of fill pixels, eroded
by 2 px, off by more than 24 levels), the error in the 3-px band around every letter edge (99th percentile
and the share over 48 levels), the PSNR of the text's box, and the GIF's size. Not a test: figures depend
on the GIF encoder's choices; tests/test_text_render.py asserts only that the letters' insides are clean.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import numpy as np  # noqa: E402
from PIL import Image, ImageFilter, ImageSequence  # noqa: E402
from scene_a import HEADLINE, photo  # noqa: E402

from imagegen.export import OutputFormat, export  # noqa: E402
from imagegen.render import prepare  # noqa: E402
from imagegen.scene import Anchor, Canvas, Easing, Layer, Motion, MotionKind, Role, Scene, TextSpec, Timing  # noqa: E402

OUT = HERE.parent / "bench-out" / "text"
COLOURS = {"white": (255, 255, 255, 255), "red": (230, 30, 60, 255), "yellow": (255, 210, 0, 255)}


def scene(colour: tuple[int, int, int, int]) -> Scene:
    drop = Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, enters=True, easing=Easing.EASE_OUT)
    text = TextSpec(HEADLINE, colour=colour, outline=(0, 0, 0, 255))
    headline = Layer("headline", anchor=Anchor.CENTER, size=0.1, text=text, motions=(drop,))
    return Scene(
        layers=(Layer("BG", role=Role.BACKGROUND), headline),
        canvas=Canvas(1080, 1080),
        timing=Timing(2.0, 24),
    )


def grow(mask: np.ndarray, pixels: int, shrink: bool = False) -> np.ndarray:
    kind = ImageFilter.MinFilter if shrink else ImageFilter.MaxFilter
    image = Image.fromarray(mask.astype(np.uint8) * 255).filter(kind(2 * pixels + 1))
    return np.asarray(image) > 0


def measure(name: str, colour: tuple[int, int, int, int]) -> str:
    plan = prepare(scene(colour), {"BG": photo()})
    exact = np.asarray(plan.image_at(plan.times()[-1]).convert("RGB")).astype(int)
    out = export(plan, OUT / f"{name}.gif", OutputFormat.GIF)
    with Image.open(out) as gif:
        last = [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)][-1]
    shown = np.asarray(last).astype(int)
    fill = np.abs(exact - np.array(colour[:3])).max(axis=2) <= 2
    ink = fill | (exact.max(axis=2) <= 8)  # fill + black outline
    inside = grow(fill, 2, shrink=True)
    edges = grow(ink, 3) & ~grow(ink, 3, shrink=True)
    error = np.abs(shown - exact).max(axis=2)
    top, bottom = np.nonzero(ink.any(axis=1))[0][[0, -1]]
    left, right = np.nonzero(ink.any(axis=0))[0][[0, -1]]
    box = (slice(top, bottom + 1), slice(left, right + 1))
    mse = float(np.mean((shown[box] - exact[box]) ** 2))
    psnr = 10 * np.log10(255**2 / mse) if mse else 99.0
    return (
        f"{name:<7} {np.mean(error[inside] > 24):>9.3%} {np.percentile(error[edges], 99):>10.0f}"
        f" {np.mean(error[edges] > 48):>10.3%} {psnr:>9.1f} {out.stat().st_size / 1e6:>8.2f}"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print("Headline on Scene A's photo, GIF (48 frames, 1080x1080), last frame vs the exact render\n")
    print(f"{'colour':<7} {'speckle':>9} {'edge p99':>10} {'edge >48':>10} {'PSNR dB':>9} {'GIF MB':>8}")
    for name, colour in COLOURS.items():
        print(measure(name, colour))


if __name__ == "__main__":
    main()

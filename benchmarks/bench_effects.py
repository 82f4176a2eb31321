"""What adjustments cost: a 1080x1080 still (a 12-megapixel-like photo as background, a product, a headline)
rendered to PNG through the service, with and without "blurred 12 px, with a dark overlay, with a dark
gradient at the bottom", in the same run.

    python benchmarks/bench_effects.py [--runs 7]

Prints the median seconds of each and their ratio (the target: effects cost at most 1.5x the plain still).
Not a test: timings depend on the machine; tests/test_effects.py asserts what the effects do to pixels.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from PIL import Image, ImageDraw  # noqa: E402
from scene_a import photo  # noqa: E402

from imagegen.service import RenderRequest, open_images, render, sizes_of, understand  # noqa: E402

PLAIN = '@BG as background, @product in the center, "Summer Sale" at the bottom in white'
EFFECTS = PLAIN + ", @BG blurred 12 px with a dark overlay and a dark gradient at the bottom"


def _inputs(folder: Path) -> dict[str, Path]:
    photo().save(folder / "BG.jpg", quality=90)
    product = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(product).rounded_rectangle((120, 100, 480, 750), 60, fill=(200, 40, 60))
    product.save(folder / "product.png")
    return {"BG": folder / "BG.jpg", "product": folder / "product.png"}


def _seconds(prompt: str, paths: dict[str, Path], out: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        images = open_images(paths)
        understood = understand(RenderRequest(prompt), sizes_of(images))
        render(understood, images, lambda _target: out)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        paths = _inputs(Path(folder))
        _seconds(PLAIN, paths, Path(folder) / "warm.png", 1)
        plain = _seconds(PLAIN, paths, Path(folder) / "plain.png", runs)
        effects = _seconds(EFFECTS, paths, Path(folder) / "effects.png", runs)
    print(f"{'still':<40} {'median s':>9}")
    print(f"{'plain':<40} {plain:>9.3f}")
    print(f"{'blur 12 px + overlay + gradient':<40} {effects:>9.3f}")
    verdict = "meets" if effects <= 1.5 * plain else "MISSES"
    print(f"ratio {effects / plain:.2f}x ({verdict} the target of at most 1.5x)")


if __name__ == "__main__":
    main()

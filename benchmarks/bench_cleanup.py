"""Benchmark: knock-out of a logo on white (ours vs. Pillow's ImageDraw.floodfill + a hard edge).

Run: ``python benchmarks/bench_cleanup.py``. Not a test — speed depends on the machine. For each size it
prints the median time and the alpha error against the logo's known coverage (drawn 4x and reduced):
ours soft-edged and decontaminated, the baseline a hard flood fill (what a quick script would do).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers_logos import known_logo

from imagegen.store.cleanup import knock_out


def naive(image: Image.Image) -> Image.Image:
    """Pillow's flood fill from the corner with a threshold: transparent or not, no soft edge."""
    rgba = image.convert("RGBA")
    ImageDraw.floodfill(rgba, (0, 0), (255, 255, 255, 0), thresh=32)
    return rgba


def _median_s(function, image: Image.Image, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(image)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _alpha_error(out: Image.Image, truth: np.ndarray) -> tuple[float, float]:
    alpha = np.asarray(out.convert("RGBA"))[..., 3].astype(np.float32) / 255
    rim = (truth > 0) & (truth < 1)
    error = np.abs(alpha - truth)
    return float(error[rim].mean() * 255), float(np.quantile(error, 0.999) * 255)


def main() -> None:
    print("size  | ours s | naive s | ours rim err /255 (p99.9) | naive rim err /255 (p99.9)")
    for size, repeats in ((250, 5), (500, 5), (1000, 3), (2000, 1)):
        logo = known_logo(size)
        ours, base = knock_out(logo.image), naive(logo.image)
        ours_err, base_err = _alpha_error(ours, logo.alpha), _alpha_error(base, logo.alpha)
        ours_s = _median_s(knock_out, logo.image, repeats)
        base_s = _median_s(naive, logo.image, repeats)
        print(
            f"{size:5d} | {ours_s:6.3f} | {base_s:7.3f} | {ours_err[0]:6.2f} ({ours_err[1]:5.1f})"
            f"            | {base_err[0]:6.2f} ({base_err[1]:5.1f})"
        )


if __name__ == "__main__":
    main()

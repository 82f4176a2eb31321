"""Peak memory and time of long slideshows of phone photos (12-megapixel JPEGs), by slide count.

    python benchmarks/bench_slides.py [--counts 2 8 16 30] [--canvas 1080] [--code DIR]

Each render runs in a fresh subprocess, which reports its work seconds (``prepare()`` + GIF export) and
its peak RSS (VmHWM). The photos are written once to ``bench-out/slides`` (4000x3000, photo-like: a
gradient, soft blobs and sensor noise, JPEG quality 85). ``--code`` runs another checkout's engine on
the same files (before/after comparisons: e.g. a ``git worktree`` of an older commit).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "bench-out" / "slides"
PHOTO = (4000, 3000)


def write_photos(count: int) -> dict[str, Path]:
    """``count`` photo-like 12-megapixel JPEGs (made once, kept for later runs)."""
    import numpy as np
    from PIL import Image

    OUT.mkdir(parents=True, exist_ok=True)
    paths = {}
    for index in range(count):
        path = OUT / f"photo{index}.jpg"
        if not path.exists():
            rng = np.random.default_rng(index)
            small = rng.uniform(30, 220, (24, 32, 3)).astype(np.uint8)
            image = np.asarray(Image.fromarray(small).resize(PHOTO, Image.Resampling.BICUBIC), np.float32)
            image += rng.normal(0, 5, image.shape).astype(np.float32)
            Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).save(path, quality=85)
        paths[f"photo{index}"] = path
    return paths


def child(code: Path, count: int, side: int) -> None:
    """Render a ``count``-slide show as GIF with the engine at ``code``; print work seconds and peak RSS."""
    sys.path.insert(0, str(code))
    from imagegen.export import OutputFormat, export
    from imagegen.render import prepare
    from imagegen.scene import Canvas, Scene, Slide, Slideshow, Timing, Transition

    paths = write_photos(count)
    show = Slideshow(tuple(Slide(tag, 0.5) for tag in paths), Transition.CROSSFADE, transition_s=0.2)
    scene = Scene(layers=(), canvas=Canvas(side, side), timing=Timing(0.5 * count, 12), slideshow=show)
    started = time.perf_counter()
    export(prepare(scene, paths), OUT / f"show{count}.gif", OutputFormat.GIF)
    seconds = time.perf_counter() - started
    peak = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
    print(json.dumps({"seconds": seconds, "peak_rss_mb": int(peak.split()[1]) / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[2, 8, 16, 30])
    parser.add_argument("--canvas", type=int, default=1080, help="side of the square canvas")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose engine to run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.code, args.child, args.canvas)
        return
    write_photos(max(args.counts))
    print(f"slideshow of {PHOTO[0]}x{PHOTO[1]} JPEGs, {args.canvas}x{args.canvas} GIF, 0.5 s a slide, 12 fps")
    print(f"engine: {args.code}\n\n{'slides':>6}{'work s':>9}{'peak RSS MB':>13}")
    for count in args.counts:
        command = [sys.executable, __file__, "--child", str(count), "--canvas", str(args.canvas)]
        result = subprocess.run([*command, "--code", str(args.code)], capture_output=True, text=True, check=True)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{count:>6}{figures['seconds']:>9.2f}{figures['peak_rss_mb']:>13.0f}")


if __name__ == "__main__":
    main()

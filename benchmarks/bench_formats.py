"""Export time and size of the quality benchmark's scenes in every animated format.

    python benchmarks/bench_formats.py [--runs 3] [--scenes A "photo fade"] [--formats gif mp4] [--code DIR]

Each export runs in a fresh subprocess (work seconds of ``prepare()`` + ``export()``, the median of
``--runs``; the inputs are written once). ``--code`` runs another checkout's engine on the same inputs
(before/after comparisons: e.g. a ``git worktree`` of an older commit).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "bench-out" / "formats"
FORMATS = ("gif", "apng", "webp", "mp4")


def child(code: Path, scene_name: str, fmt: str, out: Path) -> None:
    """Export one scene with the engine at ``code``; print a JSON line (work seconds)."""
    sys.path[:0] = [str(code), str(HERE)]
    from PIL import Image
    from quality_scenes import SCENES, write_inputs

    from imagegen.export import OutputFormat, export
    from imagegen.render import prepare

    inputs = write_inputs(ROOT / "bench-out" / "quality" / "inputs")
    scene = SCENES[scene_name]()
    Image.init()
    started = time.perf_counter()
    export(prepare(scene, inputs), out, OutputFormat[fmt.upper()], quality=90)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def measure(code: Path, scene_name: str, fmt: str, runs: int) -> tuple[float, int]:
    out = OUT / f"{scene_name.replace(' ', '_')}.{fmt}"
    seconds = []
    for _ in range(runs):
        command = [sys.executable, __file__, "--child", scene_name, fmt, str(out), "--code", str(code)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds.append(json.loads(result.stdout.strip().splitlines()[-1])["seconds"])
    return statistics.median(seconds), out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenes", nargs="+", default=["A", "photo fade", "slideshow"])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose engine to run")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.code.resolve(), *args.child[:2], Path(args.child[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"engine: {args.code.resolve()}  (median of {args.runs} runs, prepare + export)")
    print(f"{'scene':12s} " + " ".join(f"{fmt:>18s}" for fmt in args.formats))
    for scene_name in args.scenes:
        cells = []
        for fmt in args.formats:
            seconds, size = measure(args.code.resolve(), scene_name, fmt, args.runs)
            cells.append(f"{seconds:6.2f} s {size / 1e6:7.2f} MB")
        print(f"{scene_name:12s} " + " ".join(f"{cell:>18s}" for cell in cells))


if __name__ == "__main__":
    main()

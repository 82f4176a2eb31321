"""Renderer alone on the quality benchmark's scenes: time, peak RSS and a digest of every frame.

    python benchmarks/bench_frames.py [--runs 3] [--scenes crossfade sky] [--digests out.json]

Each scene runs in fresh subprocesses: one run for the peak RSS (VmHWM: ``prepare()`` and iterating
``frames()``, no encoder), then ``--runs`` runs of which the fastest CPU time (process time, so the other
users of a shared machine matter less) is shown, split into prepare and frames. The digest is a SHA-256
over every frame's pixels, dirty box and duration: two versions of the renderer make the same frames iff
their digests agree (``--digests`` writes them, with per-frame hashes, to compare in detail).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

OUT = ROOT / "bench-out" / "frames"


def child(scene_name: str, runs: int, digest: bool) -> None:
    """Render one scene ``runs`` times in this process; print one JSON line."""
    from PIL import Image
    from quality_scenes import SCENES, write_inputs

    from imagegen.render import prepare

    inputs = write_inputs(OUT / "inputs")
    Image.init()
    best = (float("inf"), float("inf"))
    frames: list[list] = []
    for run in range(runs):
        started = time.process_time()
        plan = prepare(SCENES[scene_name](), inputs)
        prepared = time.process_time()
        for frame in plan.frames():
            if digest and run == 0:
                pixels = hashlib.sha256(frame.image.tobytes()).hexdigest()[:16]
                frames.append([frame.index, pixels, frame.dirty, frame.duration_ms])
        done = time.process_time()
        best = min(best, (prepared - started, done - prepared), key=sum)
        del plan
    whole = hashlib.sha256(json.dumps(frames).encode()).hexdigest()[:16] if digest else ""
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"prepare": best[0], "frames": best[1], "peak_rss_mb": hwm, "digest": whole, "each": frames}))


def measure(scene_name: str, runs: int, digest: bool) -> dict:
    command = [sys.executable, __file__, "--child", scene_name, "--runs", str(runs)]
    if digest:
        command.append("--digest")
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    from quality_scenes import SCENES, write_inputs

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenes", nargs="*", default=list(SCENES))
    parser.add_argument("--digests", type=Path, help="write every frame's hash to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--digest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, args.digest)
        return
    write_inputs(OUT / "inputs")  # once, here: making them would count in the first scene's peak RSS
    print(f"{'scene':12s} {'frames':>6s} {'prepare s':>9s} {'frames s':>9s} {'ms/frame':>8s} {'RSS MB':>7s}  digest")
    digests = {}
    for name in args.scenes:
        once = measure(name, 1, digest=True)
        timed = measure(name, args.runs, digest=False)
        count = len(once["each"])
        print(
            f"{name:12s} {count:6d} {timed['prepare']:9.3f} {timed['frames']:9.3f} "
            f"{timed['frames'] / count * 1000:8.1f} {once['peak_rss_mb']:7.0f}  {once['digest']}",
            flush=True,
        )
        digests[name] = {"digest": once["digest"], "frames": once["each"]}
    if args.digests:
        args.digests.write_text(json.dumps(digests))


if __name__ == "__main__":
    main()

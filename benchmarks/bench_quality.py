"""GIF quality benchmark: ours vs MoviePy 2 on five scenes (see quality_scenes.py), one table.

    python benchmarks/bench_quality.py [--runs 1] [--skip-moviepy] [--quality 90] [--scenes A sky]

For every scene the reference is our renderer's exact RGBA frames (lossless, flattened on white). Our
GIF (``prepare()`` + ``export(..., GIF)``) and MoviePy's (``moviepy_scene.py`` in its own venv, drawing
the same positions and opacities) are each made in a subprocess that times its own work and reports its
peak RSS (the machinery of bench_render.py). Then every decoded GIF frame is compared with the reference
frame shown at the same time: mean and worst PSNR, the worst PSNR after a 3 px Gaussian blur (which
averages dithering out and leaves contour bands), and how many of the reference's frame changes the GIF
keeps. Prints the table and the targets with PASS/FAIL. Outputs go to bench-out/quality/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import numpy as np  # noqa: E402
from bench_render import Result, moviepy_python, psnr, run, verdict  # noqa: E402
from PIL import Image, ImageFilter, ImageSequence  # noqa: E402

OUT = ROOT / "bench-out" / "quality"
TARGETS = {"psnr_min": 35.0, "psnr_mean": 36.0, "blur_db": 45.0, "bytes": 0.25, "speed": 15.0, "speed_a": 20.0}
BLUR_PX = 3


@dataclass
class Quality:
    psnr_mean: float
    psnr_min: float
    blur_min: float  # worst frame's PSNR after a 3 px Gaussian blur of both
    kept: int  # reference frame changes the GIF also shows
    changes: int  # frame changes in the reference


# ---------------------------------------------------------------- child (run in a subprocess)


def child(scene_name: str, out: Path, quality: int) -> None:
    """Render and encode one scene as GIF in this process; print a JSON line (work seconds, peak RSS)."""
    from quality_scenes import SCENES, write_inputs

    from imagegen.export import OutputFormat, export
    from imagegen.render import prepare

    inputs = write_inputs(OUT / "inputs")
    scene = SCENES[scene_name]()
    Image.init()  # plugin registration happens once per app process, not per render
    started = time.perf_counter()
    export(prepare(scene, inputs), out, OutputFormat.GIF, quality=quality)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    """This process's peak RSS since exec (VmHWM; ``ru_maxrss`` would include the forking parent's RSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- quality (parent)


def shown_frames(path: Path, durations: list[int]) -> Iterator[np.ndarray]:
    """What the GIF shows at each reference frame's start, streamed (RGB).

    A GIF with one image per reference frame is taken frame for frame; one with merged frames (ours,
    or MoviePy's when it drops repeated frames) by time, its timeline stretched to the reference's
    length (MoviePy's 1/24 s delays round to 40 ms, so its GIF runs 4 % short).
    """
    with Image.open(path) as gif:
        one_per_frame = gif.n_frames == len(durations)
        gif_ms = 0
        for frame in ImageSequence.Iterator(gif):  # delays only: seeking does not decode pixels
            gif_ms += frame.info.get("duration", 0)
        stretch = sum(durations) / gif_ms if gif_ms else 1.0
        gif.seek(0)
        images = ImageSequence.Iterator(gif)
        current = next(images)
        picture, end_ms = np.asarray(current.convert("RGB")), current.info.get("duration", 0) * stretch
        start_ms = 0
        for index, duration in enumerate(durations):
            if index and one_per_frame:
                current = next(images)
                picture = np.asarray(current.convert("RGB"))
            elif index:
                at = (start_ms + 5) // 10 * 10
                while end_ms <= at:
                    current = next(images, None)
                    if current is None:  # rounding at the very end: the last image stays on screen
                        end_ms = float("inf")
                        break
                    picture = np.asarray(current.convert("RGB"))
                    end_ms += current.info.get("duration", 0) * stretch
            start_ms += duration
            yield picture


def blurred(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(BLUR_PX)))


def measure(gif: Path, scene_name: str, inputs: dict[str, Path]) -> Quality:
    from quality_scenes import SCENES

    from imagegen.render import prepare

    plan = prepare(SCENES[scene_name](), inputs)
    values, blur_values, kept, changes = [], [], 0, 0
    previous_ref: np.ndarray | None = None
    previous_shown: np.ndarray | None = None
    for frame, shown in zip(plan.frames(), shown_frames(gif, plan.durations()), strict=True):
        reference = frame.image[..., :3]
        values.append(psnr(reference, shown))
        blur_values.append(psnr(blurred(np.ascontiguousarray(reference)), blurred(shown)))
        if previous_ref is not None and not np.array_equal(previous_ref, reference):
            changes += 1
            kept += not np.array_equal(previous_shown, shown)
        previous_ref, previous_shown = reference.copy(), shown
    return Quality(float(np.mean(values)), float(np.min(values)), float(np.min(blur_values)), kept, changes)


# ---------------------------------------------------------------- parent


def main() -> None:
    from quality_scenes import SCENES, write_inputs
    from scene_a import write_slideshow_spec, write_spec

    from imagegen.render import prepare

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of ours per scene (median time); MoviePy runs once")
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--quality", type=int, default=90, help="the GIF quality passed to export (1-100)")
    parser.add_argument("--scenes", nargs="*", default=list(SCENES), help="scene names (default: all)")
    parser.add_argument("--measure-only", action="store_true", help="re-measure the GIFs of the last run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.out, args.quality)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    inputs = write_inputs(OUT / "inputs")
    python, reason = (None, "skipped with --skip-moviepy") if args.skip_moviepy else moviepy_python()
    if python is None:
        print(f"moviepy: unavailable ({reason})")
    me = [sys.executable, str(Path(__file__).resolve())]
    runs: dict[str, tuple[Result, Result | None]] = {}
    saved = OUT / "runs.json"  # the timings, so that measuring can be repeated without encoding again
    if args.measure_only:
        for name, (ours, mp) in json.loads(saved.read_text()).items():
            runs[name] = (Result(**ours), None if mp is None else Result(**mp))
    for name in [] if args.measure_only else args.scenes:  # every timed run first, while this process is small
        slug = name.replace(" ", "_")
        ours_out, mp_out = OUT / f"{slug}.gif", OUT / f"{slug}.moviepy.gif"
        command = [*me, "--child", name, "--quality", str(args.quality), "--out", str(ours_out)]
        ours, mp = run(name, command, ours_out, args.runs), None
        if python is not None:
            if name == "slideshow":  # slides and crossfades, not layers: MoviePy's own slideshow script
                spec, script = write_slideshow_spec(inputs, OUT / f"{slug}.json"), "moviepy_slideshow.py"
            else:
                plan = prepare(SCENES[name](), inputs)
                spec, script = write_spec(plan, inputs, OUT / f"{slug}.json"), "moviepy_scene.py"
            mp = run(name, [str(python), str(HERE / script), str(spec), str(mp_out)], mp_out, 1)
        runs[name] = (ours, mp)
        print(f"  {name}: encoded", file=sys.stderr, flush=True)
    if not args.measure_only:
        saved.write_text(json.dumps({name: (vars(o), m and vars(m)) for name, (o, m) in runs.items()}))
    rows = []
    for name, (ours, mp) in runs.items():
        slug = name.replace(" ", "_")
        mp_q = None if mp is None else measure(OUT / f"{slug}.moviepy.gif", name, inputs)
        rows.append((name, ours, measure(OUT / f"{slug}.gif", name, inputs), mp, mp_q))
    print_table(rows, args.quality)


def print_table(rows: list[tuple[str, Result, Quality, Result | None, Quality | None]], quality: int) -> None:
    print(f"GIF quality, ours (quality {quality}) vs MoviePy 2; PSNR in dB against the lossless frames\n")
    head = (
        f"{'scene':<11}{'ours s':>7}{'MP s':>7}{'speed':>7}{'ours MB':>8}{'MP MB':>7}{'bytes':>6}"
        f"{'ours mean/min':>14}{'MP mean/min':>13}{'blur3 ours/MP':>14}{'kept ours/MP':>14}{'RSS':>5}"
    )
    print(head)
    checks: list[tuple[bool, str]] = []
    for name, ours, oq, mp, mq in rows:
        speed = mp.seconds / ours.seconds if mp else None
        size = ours.bytes / mp.bytes if mp else None
        print(
            f"{name:<11}{ours.seconds:7.2f}{_num(mp and mp.seconds, 7, 2)}{_num(speed, 6, 1)}x"
            f"{ours.bytes / 1e6:8.2f}{_num(mp and mp.bytes / 1e6, 7, 2)}{_num(size and size * 100, 5, 0)}%"
            f"{oq.psnr_mean:8.2f}/{oq.psnr_min:5.2f}{_num(mq and mq.psnr_mean, 7, 2)}/{_num(mq and mq.psnr_min, 5, 2)}"
            f"{oq.blur_min:8.2f}/{_num(mq and mq.blur_min, 5, 2)}"
            f"{oq.kept:>7}/{oq.changes:<3}{'' if mq is None else mq.kept:>3}{ours.peak_rss_mb:5.0f}"
        )
        checks.append((oq.psnr_min >= TARGETS["psnr_min"], f"{name}: worst frame >= 35 dB ({oq.psnr_min:.2f})"))
        checks.append((oq.psnr_mean >= TARGETS["psnr_mean"], f"{name}: mean >= 36 dB ({oq.psnr_mean:.2f})"))
        checks.append((oq.kept == oq.changes, f"{name}: every frame change kept ({oq.kept}/{oq.changes})"))
        if name == "sky":
            checks.append((oq.blur_min >= TARGETS["blur_db"], f"sky: >= 45 dB after a 3 px blur ({oq.blur_min:.2f})"))
        if size is not None and speed is not None:
            checks.append((size <= TARGETS["bytes"], f"{name}: bytes <= 25% of MoviePy's ({size:.0%})"))
            want = TARGETS["speed_a"] if name == "A" else TARGETS["speed"]
            checks.append((speed >= want, f"{name}: >= {want:.0f}x faster than MoviePy ({speed:.1f}x)"))
        checks.append((ours.peak_rss_mb <= 200, f"{name}: peak RSS <= 200 MB ({ours.peak_rss_mb:.0f})"))
    print("\nTargets")
    for ok, text in checks:
        print(f"  {verdict(ok)}  {text}")


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


if __name__ == "__main__":
    main()

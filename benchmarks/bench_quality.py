"""GIF quality benchmark: ours vs MoviePy 2 and gifski on eight scenes (see quality_scenes.py).

    python benchmarks/bench_quality.py [--runs 1] [--skip-moviepy] [--quality 90] [--scenes A sky]
        [--gifski PATH]   # or GIFSKI=PATH; without either, gifski on the PATH; skipped when absent

For every scene the reference is our renderer's exact RGBA frames (lossless, flattened on white). Our
GIF (``prepare()`` + ``export(..., GIF)``) and MoviePy's (``moviepy_scene.py`` in its own venv, drawing
the same positions and opacities) are each made in a subprocess that times its own work and reports its
peak RSS (the machinery of bench_render.py). Then every decoded GIF frame is compared with the reference
frame shown at the same time: mean and worst PSNR, the worst PSNR after a 3 px Gaussian blur (which
averages dithering out and leaves contour bands), and how many of the reference's frame changes the GIF
keeps. Prints the table and the targets with PASS/FAIL. Outputs go to bench-out/quality/ (git-ignored).

gifski (``npm install gifski@1.7.1`` in a folder outside the repo puts a binary at
``node_modules/gifski/bin/debian/gifski``) gets the reference frames as PNG files, written before the
clock starts, and is timed from its start to its exit (its encode alone: it decodes small PNGs, we
render the frames from the input files too), with ``-Q`` at our quality setting. A second table
compares ours with it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
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
GIFSKI_TARGETS = {"bytes": 0.85, "speed": 3.0}  # against gifski: at most this share of its bytes, this much faster
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


# ---------------------------------------------------------------- gifski (parent)


def gifski_binary(given: str | None) -> tuple[Path | None, str]:
    """gifski's binary: ``--gifski``, else $GIFSKI, else on the PATH; (None, why) when there is none."""
    candidate = given or os.environ.get("GIFSKI") or shutil.which("gifski")
    if not candidate:
        return None, "no --gifski, no $GIFSKI, none on the PATH (npm install gifski@1.7.1 in a temp folder)"
    path = Path(candidate)
    if not path.is_file() or not os.access(path, os.X_OK):
        return None, f"{path} is not an executable file"
    return path, ""


def write_frames(name: str, inputs: dict[str, Path], folder: Path) -> tuple[list[Path], int, tuple[int, int]]:
    """The scene's reference frames as PNG files (gifski's input); returns them, the fps and the size."""
    from quality_scenes import SCENES

    from imagegen.render import prepare

    plan = prepare(SCENES[name](), inputs)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for index, frame in enumerate(plan.frames()):
        paths.append(folder / f"frame{index:04d}.png")
        Image.fromarray(np.ascontiguousarray(frame.image[..., :3])).save(paths[-1], compress_level=1)
    return paths, plan.scene.timing.fps, (plan.scene.canvas.width, plan.scene.canvas.height)


def run_gifski(name: str, binary: Path, inputs: dict[str, Path], out: Path, quality: int, runs: int) -> Result:
    """gifski's encode of the scene's frames, timed from its start to its exit (median of ``runs``)."""
    frames, fps, (width, height) = write_frames(name, inputs, OUT / "gifski-frames" / out.stem)
    command = [str(binary), "--quiet", "--fps", str(fps), "-W", str(width), "-H", str(height), "-Q", str(quality)]
    command += ["-o", str(out), *map(str, frames)]
    seconds, peak_kb = [], 0
    errors = out.with_suffix(".stderr")
    for _ in range(runs):
        with errors.open("wb") as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
            _, status, usage = os.wait4(process.pid, 0)
            seconds.append(time.perf_counter() - started)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"gifski failed on {name}: {errors.read_text()[-2000:]}")
        peak_kb = max(peak_kb, usage.ru_maxrss)
    shutil.rmtree(frames[0].parent)
    median = sorted(seconds)[len(seconds) // 2]
    return Result(name, median, median, peak_kb / 1024, out.stat().st_size)


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
    parser.add_argument("--gifski", help="gifski's binary (default: $GIFSKI, else gifski on the PATH)")
    parser.add_argument("--skip-gifski", action="store_true")
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
    gifski, why = (None, "skipped with --skip-gifski") if args.skip_gifski else gifski_binary(args.gifski)
    if gifski is None:
        print(f"gifski: unavailable ({why}); its table and targets are left out")
    me = [sys.executable, str(Path(__file__).resolve())]
    runs: dict[str, tuple[Result, Result | None, Result | None]] = {}
    saved = OUT / "runs.json"  # the timings, so that measuring can be repeated without encoding again
    if args.measure_only:
        for name, results in json.loads(saved.read_text()).items():
            ours, mp, gs = [None if r is None else Result(**r) for r in (*results, None)[:3]]
            assert ours is not None
            runs[name] = (ours, mp, gs)
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
        gs = (
            None
            if gifski is None
            else run_gifski(name, gifski, inputs, OUT / f"{slug}.gifski.gif", args.quality, args.runs)
        )
        runs[name] = (ours, mp, gs)
        print(f"  {name}: encoded", file=sys.stderr, flush=True)
    if not args.measure_only:
        saved.write_text(json.dumps({name: [r and vars(r) for r in results] for name, results in runs.items()}))
    rows, gifski_rows = [], []
    for name, (ours, mp, gs) in runs.items():
        slug = name.replace(" ", "_")
        mp_q = None if mp is None else measure(OUT / f"{slug}.moviepy.gif", name, inputs)
        ours_q = measure(OUT / f"{slug}.gif", name, inputs)
        rows.append((name, ours, ours_q, mp, mp_q))
        if gs is not None:
            gifski_rows.append((name, ours, ours_q, gs, measure(OUT / f"{slug}.gifski.gif", name, inputs)))
    print_table(rows, args.quality)
    if gifski_rows:
        print_gifski_table(gifski_rows, args.quality)


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


def print_gifski_table(rows: list[tuple[str, Result, Quality, Result, Quality]], quality: int) -> None:
    """Ours against gifski (-Q at the same quality): its encode's time alone, against our whole export."""
    print(f"\nGIF quality, ours vs gifski (-Q {quality}); gifski s = its process on ready PNG frames\n")
    print(
        f"{'scene':<11}{'ours s':>7}{'gifski':>7}{'speed':>7}{'ours MB':>8}{'gs MB':>7}{'bytes':>6}"
        f"{'worst ours/gs':>14}{'blur3 ours/gs':>14}{'mean ours/gs':>14}"
    )
    checks: list[tuple[bool, str]] = []
    for name, ours, oq, gs, gq in rows:
        speed, size = gs.seconds / ours.seconds, ours.bytes / gs.bytes
        print(
            f"{name:<11}{ours.seconds:7.2f}{gs.seconds:7.2f}{speed:6.1f}x{ours.bytes / 1e6:8.2f}{gs.bytes / 1e6:7.2f}"
            f"{size * 100:5.0f}%{oq.psnr_min:8.2f}/{gq.psnr_min:5.2f}{oq.blur_min:8.2f}/{gq.blur_min:5.2f}"
            f"{oq.psnr_mean:8.2f}/{gq.psnr_mean:5.2f}"
        )
        checks.append(
            (oq.psnr_min >= gq.psnr_min, f"{name}: worst frame >= gifski's ({oq.psnr_min:.2f} / {gq.psnr_min:.2f})")
        )
        checks.append(
            (oq.blur_min >= gq.blur_min, f"{name}: blurred >= gifski's ({oq.blur_min:.2f} / {gq.blur_min:.2f})")
        )
        want = GIFSKI_TARGETS["bytes"]
        checks.append((size <= want, f"{name}: bytes <= {want:.0%} of gifski's ({size:.0%})"))
        want = GIFSKI_TARGETS["speed"]
        checks.append((speed >= want, f"{name}: >= {want:.0f}x faster than gifski ({speed:.1f}x)"))
    print("\nTargets against gifski")
    for ok, text in checks:
        print(f"  {verdict(ok)}  {text}")


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


if __name__ == "__main__":
    main()

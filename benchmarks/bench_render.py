"""Render benchmark: ours vs a naive Pillow baseline vs MoviePy 2, on Scene A (see scene_a.py).

    python benchmarks/bench_render.py [--runs 3] [--skip-moviepy]

Every run is its own subprocess; the child times its work (reading the input files -> output file
written, imports excluded) and reports its peak RSS. Prints median time, peak RSS, output bytes, and
mean/min PSNR of the decoded GIF frames against our renderer's exact frames, then the targets with
PASS/FAIL. Outputs go to bench-out/render/ (git-ignored). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import numpy as np  # noqa: E402
from PIL import Image, ImageSequence  # noqa: E402

OUT = ROOT / "bench-out" / "render"
VENV = HERE / ".venv-moviepy"
TARGETS = {"speed_vs_moviepy": 12.0, "bytes_vs_moviepy": 0.30, "psnr_db": 35.0, "rss_mb": 200.0, "still_s": 0.2}


@dataclass
class Result:
    name: str
    seconds: float  # median work time
    process_seconds: float  # median wall time of the whole subprocess (interpreter + imports too)
    peak_rss_mb: float  # largest of the runs
    bytes: int
    psnr_mean: float | None = None
    psnr_min: float | None = None


# ---------------------------------------------------------------- children (run in a subprocess)


def child(kind: str, frames: int, out: Path) -> None:
    """Do one timed run in this process and print a JSON line."""
    import resource

    from PIL import Image
    from scene_a import scene_a, scene_a_text, slideshow_scene, still_scene, write_inputs, write_slides

    from imagegen.export import OutputFormat, export
    from imagegen.render import prepare

    inputs = write_inputs(OUT / "inputs")
    scene = still_scene() if kind == "still" else (scene_a_text(frames) if kind == "text" else scene_a(frames))
    fmt = OutputFormat.PNG if kind == "still" else OutputFormat.GIF
    if kind.startswith("slides"):
        inputs, scene = write_slides(OUT / "inputs"), slideshow_scene()
        fmt = OutputFormat.MP4 if kind == "slides-mp4" else OutputFormat.GIF
    else:
        inputs = write_inputs(OUT / "inputs")
        scene = still_scene() if kind == "still" else scene_a(frames)
        fmt = OutputFormat.PNG if kind == "still" else OutputFormat.GIF
    # Pillow registers its file-format plugins on first use (~30 ms); the app pays that once per process,
    # not per render, so it is kept out of the timed part.
    Image.init()
    started = time.perf_counter()
    export(prepare(scene, inputs), out, fmt)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))


# ---------------------------------------------------------------- parent


def run(name: str, command: list[str], out: Path, runs: int) -> Result:
    reports, walls = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return Result(
        name,
        statistics.median(r["seconds"] for r in reports),
        statistics.median(walls),
        max(r["peak_rss_mb"] for r in reports),
        out.stat().st_size,
    )


def reference_frames(frames: int, text: bool = False) -> tuple[list[np.ndarray], list[int]]:
    """Our renderer's exact frames (RGB on white) and their durations."""
    from scene_a import scene_a, scene_a_text, write_inputs

    from imagegen.render import prepare

    plan = prepare((scene_a_text if text else scene_a)(frames), write_inputs(OUT / "inputs"))
    return [frame.image[..., :3].copy() for frame in plan.frames()], plan.durations()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float32) - b.astype(np.float32)) ** 2))
    return 99.0 if mse == 0 else 10 * float(np.log10(255**2 / mse))


def gif_psnr(path: Path, reference: list[np.ndarray], durations: list[int]) -> tuple[float, float]:
    """Mean and min PSNR of what the GIF shows at each reference frame's start time.

    A GIF with one image per reference frame is compared frame for frame; one with merged frames
    (ours) by time.
    """
    with Image.open(path) as gif:
        decoded = [(np.asarray(f.convert("RGB")), f.info.get("duration", 0)) for f in ImageSequence.Iterator(gif)]
    if len(decoded) == len(reference):
        shown = [image for image, _ in decoded]
    else:
        ends = np.cumsum([d for _, d in decoded])
        starts = np.cumsum([0, *durations[:-1]])
        shown = [decoded[min(int(np.searchsorted(ends, (s + 5) // 10 * 10, side="right")), len(decoded) - 1)][0]
                 for s in starts]  # fmt: skip
    values = [psnr(want, got) for want, got in zip(reference, shown, strict=True)]
    return float(np.mean(values)), float(np.min(values))


def moviepy_python() -> tuple[Path | None, str]:
    """The MoviePy venv's interpreter, creating the venv on first use; (None, reason) when impossible."""
    python = VENV / "bin" / "python"
    if not python.exists():
        print("creating benchmarks/.venv-moviepy (one-off) ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # any failure just means "no MoviePy comparison"
            return None, f"cannot create the venv: {exc}"
    check = subprocess.run([str(python), "-c", "import moviepy"], capture_output=True, check=False)
    if check.returncode != 0:
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-moviepy.txt")],
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode != 0:
            return None, f"pip install failed: {install.stderr.strip().splitlines()[-1:]}"
    return python, ""


def fmt_row(r: Result) -> str:
    quality = f"{r.psnr_mean:6.2f} {r.psnr_min:6.2f}" if r.psnr_mean is not None else "     -      -"
    return f"{r.name:<22} {r.seconds:8.2f} {r.process_seconds:8.2f} {r.peak_rss_mb:8.0f} {r.bytes / 1e6:9.2f} {quality}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--child", choices=["ours", "still", "text"], help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["ours", "still", "slides-gif", "slides-mp4"], help=argparse.SUPPRESS)
    parser.add_argument("--frames", type=int, default=48, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.frames, args.out)
        return

    from scene_a import scene_a, scene_a_text, write_inputs, write_spec

    from imagegen.render import prepare

    OUT.mkdir(parents=True, exist_ok=True)
    inputs = write_inputs(OUT / "inputs")
    spec = write_spec(prepare(scene_a(48), inputs), inputs, OUT / "scene_a.json")
    text_spec = write_spec(prepare(scene_a_text(48), inputs), inputs, OUT / "scene_a_text.json")
    me = [sys.executable, str(Path(__file__).resolve())]
    results: dict[str, Result] = {}

    print(f"Scene A: 1080x1080, 48 frames at 24 fps; {args.runs} runs each, median (machine: {_cpu()})\n")
    results["ours"] = run(
        "ours (GIF)", [*me, "--child", "ours", "--out", str(OUT / "ours.gif")], OUT / "ours.gif", args.runs
    )
    results["ours240"] = run(
        "ours, 240 frames", [*me, "--child", "ours", "--frames", "240", "--out", str(OUT / "ours240.gif")],
        OUT / "ours240.gif", args.runs,
    )  # fmt: skip
    results["still"] = run(
        "ours still (PNG)", [*me, "--child", "still", "--out", str(OUT / "still.png")], OUT / "still.png", args.runs
    )
    naive_out = OUT / "naive.gif"
    results["naive"] = run(
        "naive Pillow baseline",
        [sys.executable, str(HERE / "naive_scene.py"), str(spec), str(naive_out)],
        naive_out,
        args.runs,
    )
    results["text"] = run(
        "ours + headline (GIF)", [*me, "--child", "text", "--out", str(OUT / "text.gif")], OUT / "text.gif", args.runs
    )
    results["naive_text"] = run(
        "naive + headline",
        [sys.executable, str(HERE / "naive_scene.py"), str(text_spec), str(OUT / "naive_text.gif")],
        OUT / "naive_text.gif",
        args.runs,
    )
    python: Path | None = None
    if args.skip_moviepy:
        print("moviepy: unavailable (skipped with --skip-moviepy)")
    else:
        python, reason = moviepy_python()
        if python is None:
            print(f"moviepy: unavailable ({reason})")
        else:
            mp_out = OUT / "moviepy.gif"
            try:
                results["moviepy"] = run(
                    "MoviePy 2 write_gif",
                    [str(python), str(HERE / "moviepy_scene.py"), str(spec), str(mp_out)],
                    mp_out,
                    args.runs,
                )
                results["moviepy_text"] = run(
                    "MoviePy 2 + headline",
                    [str(python), str(HERE / "moviepy_scene.py"), str(text_spec), str(OUT / "moviepy_text.gif")],
                    OUT / "moviepy_text.gif",
                    args.runs,
                )
            except RuntimeError as exc:
                print(f"moviepy: unavailable ({str(exc).splitlines()[-1]})")

    for text, keys in ((False, ("ours", "naive", "moviepy")), (True, ("text", "naive_text", "moviepy_text"))):
        reference, durations = reference_frames(48, text)
        for key in keys:
            if key in results:
                results[key].psnr_mean, results[key].psnr_min = gif_psnr(OUT / _file(key), reference, durations)
        del reference

    print(f"{'':<22} {'work s':>8} {'proc s':>8} {'RSS MB':>8} {'output MB':>9} {'PSNR mean/min dB':>16}")
    for r in results.values():
        print(fmt_row(r))
    _report(results)
    slideshow_benchmark(me, args.runs, None if args.skip_moviepy else python)


def slideshow_benchmark(me: list[str], runs: int, moviepy: Path | None) -> None:
    """The slideshow scene (3 photos, 0.5 s crossfades, 1080x1080, 6 s) as GIF and MP4, ours vs MoviePy."""
    from scene_a import slideshow_scene, write_slides, write_slideshow_spec

    from imagegen.render import prepare

    inputs = write_slides(OUT / "inputs")
    spec = write_slideshow_spec(inputs, OUT / "slideshow.json")
    plan = prepare(slideshow_scene(), inputs)
    print(f"\nSlideshow: 3 photos, 2 s each, 0.5 s crossfades, 1080x1080, {plan.frame_count} frames at 24 fps")
    print(f"{'':<22} {'work s':>8} {'proc s':>8} {'RSS MB':>8} {'output MB':>9} {'PSNR mean/min dB':>16}")
    table: dict[str, dict[str, Result]] = {}
    for suffix in ("gif", "mp4"):
        rows = table[suffix] = {}
        ours_out = OUT / f"slides-ours.{suffix}"
        rows["ours"] = run(f"ours ({suffix.upper()})", [*me, "--child", f"slides-{suffix}", "--out", str(ours_out)],
                           ours_out, runs)  # fmt: skip
        if moviepy is not None:
            mp_out = OUT / f"slides-moviepy.{suffix}"
            try:
                rows["moviepy"] = run(f"MoviePy 2 ({suffix.upper()})",
                                      [str(moviepy), str(HERE / "moviepy_slideshow.py"), str(spec), str(mp_out)],
                                      mp_out, runs)  # fmt: skip
            except RuntimeError as exc:
                print(f"moviepy: unavailable ({str(exc).splitlines()[-1]})")
    # Reference frames only after every child ran: a child inherits its parent's peak RSS on Linux.
    reference = [frame.image[..., :3].copy() for frame in plan.frames()]
    durations = plan.durations()
    for suffix, rows in table.items():
        for key, row in rows.items():
            path = OUT / f"slides-{key}.{suffix}"
            row.psnr_mean, row.psnr_min = (
                gif_psnr(path, reference, durations) if suffix == "gif" else video_psnr(path, reference)
            )
            print(fmt_row(row))
        if "moviepy" in rows:
            ours, other = rows["ours"], rows["moviepy"]
            speed, size = other.seconds / ours.seconds, ours.bytes / other.bytes
            print(f"  ours / MoviePy ({suffix.upper()}): {speed:.1f}x faster, {size:.0%} of the bytes")
            print(f"  {verdict(speed >= TARGETS['speed_vs_moviepy'])}  >= 12x faster than MoviePy ({speed:.1f}x)")
            if suffix == "gif":
                ok = size <= TARGETS["bytes_vs_moviepy"] and (ours.psnr_mean or 0) >= TARGETS["psnr_db"]
                print(f"  {verdict(ok)}  GIF <= 30% of MoviePy's bytes ({size:.0%}) at mean PSNR >= 35 dB")
        print(f"  {verdict(rows['ours'].peak_rss_mb <= TARGETS['rss_mb'])}  peak RSS <= 200 MB "
              f"({rows['ours'].peak_rss_mb:.0f} MB)")  # fmt: skip


def video_psnr(path: Path, reference: list[np.ndarray]) -> tuple[float, float]:
    """Mean and min PSNR of each decoded video frame against our exact frame at the same index."""
    import imageio.v3 as iio

    values = [psnr(want, np.asarray(got)[..., :3]) for want, got in zip(reference, iio.imiter(path), strict=False)]
    return float(np.mean(values)), float(np.min(values))


def _ratios(label: str, results: dict[str, Result], ours_key: str, naive_key: str, moviepy_key: str) -> None:
    ours, naive, moviepy = results[ours_key], results[naive_key], results.get(moviepy_key)
    print(
        f"ours / naive{label}: {naive.seconds / ours.seconds:.1f}x faster, {ours.bytes / naive.bytes:.0%} of the bytes"
    )
    if moviepy:
        speed, size = moviepy.seconds / ours.seconds, ours.bytes / moviepy.bytes
        print(f"ours / MoviePy{label}: {speed:.1f}x faster, {size:.0%} of the bytes")


def _file(key: str) -> str:
    return f"{key}.gif"


def _cpu() -> str:
    import os

    return f"{os.cpu_count()} CPUs"


def _report(results: dict[str, Result]) -> None:
    ours, still = results["ours"], results["still"]
    print()
    _ratios("", results, "ours", "naive", "moviepy")
    _ratios(" (+ headline)", results, "text", "naive_text", "moviepy_text")
    moviepy = results.get("moviepy")
    if moviepy:
        speed = moviepy.seconds / ours.seconds
        size = ours.bytes / moviepy.bytes
    print("\nTargets")
    if moviepy:
        print(f"  {verdict(speed >= TARGETS['speed_vs_moviepy'])}  >= 12x faster than MoviePy ({speed:.1f}x)")
        ok = size <= TARGETS["bytes_vs_moviepy"] and (ours.psnr_mean or 0) >= TARGETS["psnr_db"]
        quality = f"mean PSNR >= 35 dB ({ours.psnr_mean:.2f} dB)"
        print(f"  {verdict(ok)}  GIF <= 30% of MoviePy's bytes ({size:.0%}) at {quality}")
    else:
        print("  n/a   MoviePy targets (MoviePy unavailable)")
    print(f"  {verdict((ours.psnr_mean or 0) >= TARGETS['psnr_db'])}  mean PSNR >= 35 dB ({ours.psnr_mean:.2f} dB)")
    for key, label in (("ours", "48 frames"), ("ours240", "240 frames")):
        rss = results[key].peak_rss_mb
        print(f"  {verdict(rss <= TARGETS['rss_mb'])}  peak RSS <= 200 MB, {label} ({rss:.0f} MB)")
    print(f"  {verdict(still.seconds <= TARGETS['still_s'])}  still (3 layers -> PNG) <= 0.2 s ({still.seconds:.3f} s)")


if __name__ == "__main__":
    main()

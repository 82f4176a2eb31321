"""Benchmark: median time to parse a ~500-character prompt (target: well under 5 ms).

Run: ``python benchmarks/bench_parser.py [repeats]``. Not a test — speed depends on the machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imagegen.prompt import ImageAbout, parse

TAGS = ["BG", "logo", "product", "badge", "headline"]
PROMPT = (
    "Instagram story at 30 fps: @BG as background on a navy background, @product large in the center "
    "slowly zooming in with a bounce, @logo in the top right corner at 80% opacity fades in over 3 seconds, "
    "then @badge slides in from the left and out to the right while spinning counterclockwise twice, "
    "@headline at the bottom center bounces 3 times, and @logo pulses back and forth, smoothly; "
    "keep @BG still behind everything and make @product rotated 10 degrees with 8% margin."
)

# A ~300-character prompt written the way people write: references, polite forms, idioms, comparisons,
# a knock-out and a thing the app does not draw (target: p95 under 5 ms).
NATURAL = (
    "Can you please put @BG as the background, fills the whole thing, and @logo without its white background "
    "in the upper right? I'd like @product front and center on navy, twice as big as the logo, with a soft "
    "shadow under it and a thick black outline; blur the background, and put a QR code at the bottom right."
)

# ~300 characters of the second round's forms: "the photo", a file's name, an apposition, "each in a
# corner", a thing with no article, a thick outline on text; read with what the app knows of each upload.
NATURAL_2 = (
    "Our logo @logo and @product each in a corner on the background @BG, the photo small at the bottom "
    "left with a shadow under the photo, badge.png at the top, 'Summer sale' in big bold letters with a "
    "thick outline at the top, and can you put QR code at bottom right, then make the logo a bit bigger."
)
ABOUT = {
    "BG": ImageAbout("beach.jpg", photo=False),
    "logo": ImageAbout("acme-logo.png", photo=False),
    "product": ImageAbout("bottle.png", photo=False),
    "badge": ImageAbout("badge.png", photo=False),
    "headline": ImageAbout("hero-shot.jpg", photo=True),
}
TARGET_MS = 5.0  # the p95 for a 300-character prompt

# Hostile shapes at the prompt length limit: long runs of one phrase, of tags, of numbers, of filler.
WORST = {
    "repeated phrase": "@logo " + "top right " * 199,
    "many tags": "@logo " * 333,
    "many numbers": "@logo " + "1 " * 997,
    "many paths": "@logo " + "from left to right " * 100,
    "filler run": "@logo top " + "a " * 995,
}


def _timed(
    prompt: str, repeats: int, clock: Callable[[], float] = time.perf_counter, about: dict | None = None
) -> list[float]:
    parse(prompt, TAGS, about=about)  # warm up
    times = []
    for _ in range(repeats):
        started = clock()
        parse(prompt, TAGS, about=about)
        times.append(clock() - started)
    return times


def _rows(name: str, prompt: str, repeats: int, about: dict | None = None) -> None:
    """Wall-clock (time.perf_counter) and CPU time of parsing ``prompt``; the p95 against the target."""
    print(f"{name}: {len(prompt)} characters, {repeats} parses")
    # Wall time includes waiting for a core on a shared machine; CPU time is the parser's own cost.
    for clock_name, clock in (("wall", time.perf_counter), ("cpu", time.thread_time)):
        runs = sorted(_timed(prompt, repeats, clock, about))
        median, p95 = statistics.median(runs) * 1000, runs[int(len(runs) * 0.95)] * 1000
        print(
            f"  {clock_name}: median {median:.3f} ms, p95 {p95:.3f} ms"
            f" = {p95 / TARGET_MS:.2f} x the {TARGET_MS:g} ms target"
        )


def main(repeats: int = 2000) -> None:
    parse(PROMPT, TAGS)  # warm up (vocabulary tables are compiled at import)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        parse(PROMPT, TAGS)
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"prompt: {len(PROMPT)} characters, {repeats} parses")
    print(f"median {statistics.median(times) * 1000:.3f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.3f} ms")
    _rows("natural phrasing", NATURAL, repeats)
    _rows("natural phrasing, round 2 (references to files and photos)", NATURAL_2, repeats, ABOUT)
    for name, prompt in WORST.items():
        prompt = prompt[:2000]
        runs = []
        for _ in range(20):
            started = time.perf_counter()
            parse(prompt, TAGS)
            runs.append(time.perf_counter() - started)
        print(f"worst case {name!r} ({len(prompt)} chars): median {statistics.median(runs) * 1000:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

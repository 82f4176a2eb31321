"""What the design checks cost a still: the same render with and without them, in the same run.

    python benchmarks/bench_design.py [--repeat 7]

For a few realistic stills (a 1080x1080 post with a photo, a product, a logo and a headline; white text
over a light photo; a 1080x1920 story with two texts and a logo; a 1200x628 banner) it times
``service.render`` to PNG and JPEG (prepare + encode, from phone-sized images) without a ``checked``
callback (the baseline: nothing is checked) and with one (the checks run), alternating the two so machine
load hits both alike. It prints their medians, the checks' own time (``design_notices``: the checks and
the parse that vets each fix, timed alone on a prepared plan: the steadier figure) and its ratio to the
baseline. Not a test: figures depend on the machine (tests never assert wall-clock times).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from imagegen.render import prepare  # noqa: E402
from imagegen.service import RenderRequest, design_notices, open_images, render, sizes_of, understand  # noqa: E402
from tests.design_images import light_photo_with_cup, logo, photo, product  # noqa: E402

SCENES = {
    "post, photo + product + logo + headline": "@BG as background, @product in the center, @logo at the top right, "
    '"Summer Sale -50%" at the bottom with a black outline',
    "post, white text over a light photo": '@cup as background, @logo at the bottom right, "Summer Sale" at the top',
    "story, two texts + logo": 'Instagram story: @BG as background, "New in" at the top, @logo in the center, '
    '"Swipe up to shop" at the bottom on a red pill',
    "1200x628 banner, halves + headline": "1200x628, @BG on the left half, @product on the right half, "
    '"Fresh every day" in white with a drop shadow on the right half',
}


def _files(folder: Path) -> dict[str, Path]:
    paths = {
        "BG": folder / "bg.jpg",
        "cup": folder / "cup.jpg",
        "logo": folder / "logo.png",
        "product": folder / "p.png",
    }
    photo((4032, 3024)).save(paths["BG"], quality=90)  # a phone photo
    light_photo_with_cup((3024, 3024)).save(paths["cup"], quality=90)
    logo(600).save(paths["logo"])
    product((1200, 1600)).save(paths["product"])
    return paths


def _time(prompt: str, images: dict, suffix: str, checked: bool, out: Path) -> float:
    understood = understand(RenderRequest(prompt), sizes_of(images))
    started = time.perf_counter()
    render(understood, images, lambda t: out / f"o{suffix}", checked=(lambda *_: None) if checked else None)
    return time.perf_counter() - started


def _checks_alone(prompt: str, images: dict) -> float:
    """The checks as the service runs them: :func:`check_design` and the fixes' parse (design_notices)."""
    request = RenderRequest(prompt)
    understood = understand(request, sizes_of(images))
    plan = prepare(understood.targets[0].scene, images)
    started = time.perf_counter()
    design_notices(plan, request, list(images))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        images = open_images(_files(out))
        print(f"{'scene':42} {'fmt':4} {'baseline ms':>11} {'checked ms':>10} {'checks ms':>9} {'ratio':>6}")
        for name, prompt in SCENES.items():
            for suffix in (".png", ".jpg"):
                _time(prompt, images, suffix, True, out)  # warm: fonts, caches
                base, with_checks = [], []
                for _ in range(repeat):  # alternate, so load hits both alike
                    base.append(_time(prompt, images, suffix, False, out))
                    with_checks.append(_time(prompt, images, suffix, True, out))
                alone = statistics.median(_checks_alone(prompt, images) for _ in range(repeat))
                b, c = statistics.median(base), statistics.median(with_checks)
                print(f"{name:42} {suffix[1:]:4} {b * 1000:11.0f} {c * 1000:10.0f} {alone * 1000:9.1f} "
                      f"{alone / b:6.1%}")  # fmt: skip


if __name__ == "__main__":
    main()

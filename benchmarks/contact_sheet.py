"""Contact sheet of the quality benchmark: frames of scenes 2-4 and 6, lossless reference | ours | MoviePy.

    python benchmarks/contact_sheet.py [--out docs/gif-quality.png]

Reads the GIFs that bench_quality.py left in bench-out/quality/ and renders the references again. Each
row is one frame: the lossless frame, our GIF and MoviePy's, side by side, plus a 2x crop of a detail
(where fades and bands show) of each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import numpy as np  # noqa: E402
from bench_quality import OUT, shown_frames  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

THUMB = 300
CROP = 150  # side of the detail crop, in frame pixels, shown at 2x
ROWS = {"photo fade": (0.5,), "crossfade": (0.25, 0.7), "sky": (0.5,), "slideshow": (0.375,)}


def frames_at(name: str, fractions: tuple[float, ...]) -> list[tuple[int, list[np.ndarray]]]:
    """(frame index, [reference, ours, moviepy?]) for each fraction of the timeline."""
    from quality_scenes import SCENES, write_inputs

    from imagegen.render import prepare

    plan = prepare(SCENES[name](), write_inputs(OUT / "inputs"))
    wanted = {min(plan.frame_count - 1, round(f * (plan.frame_count - 1))) for f in fractions}
    slug = name.replace(" ", "_")
    gifs = [p for p in (OUT / f"{slug}.gif", OUT / f"{slug}.moviepy.gif") if p.exists() and p.stat().st_size]
    streams = [shown_frames(p, plan.durations()) for p in gifs]
    found = []
    for index, frame in enumerate(plan.frames()):
        decoded = [next(stream) for stream in streams]
        if index in wanted:
            found.append((index, [frame.image[..., :3].copy(), *[d.copy() for d in decoded]]))
    return found


def tile(image: np.ndarray, crop_at: tuple[int, int]) -> Image.Image:
    picture = Image.fromarray(image)
    thumb = picture.resize((THUMB, round(THUMB * picture.height / picture.width)), Image.Resampling.LANCZOS)
    x, y = crop_at
    detail = picture.crop((x, y, x + CROP, y + CROP)).resize((2 * CROP, 2 * CROP), Image.Resampling.NEAREST)
    sheet = Image.new("RGB", (THUMB + 2 * CROP + 8, max(thumb.height, 2 * CROP)), "white")
    sheet.paste(thumb, (0, 0))
    sheet.paste(detail, (THUMB + 8, 0))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gif-quality.png")
    args = parser.parse_args()
    rows: list[Image.Image] = []
    labels = ["lossless", "ours (GIF)", "MoviePy 2 (GIF)"]
    for name, fractions in ROWS.items():
        for index, images in frames_at(name, fractions):
            height, width = images[0].shape[:2]
            crop_at = (width // 2 - CROP // 2, height // 3) if name != "sky" else (width // 8, height // 2)
            tiles = [tile(image, crop_at) for image in images]
            row = Image.new("RGB", (sum(t.width + 16 for t in tiles), tiles[0].height + 22), "white")
            draw = ImageDraw.Draw(row)
            x = 0
            for label, part in zip(labels, tiles, strict=False):
                draw.text((x + 4, 4), f"{name}, frame {index}: {label}", fill="black")
                row.paste(part, (x, 22))
                x += part.width + 16
            rows.append(row)
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height + 8 for r in rows)), "white")
    y = 0
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height + 8
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({sheet.width}x{sheet.height})")


if __name__ == "__main__":
    main()

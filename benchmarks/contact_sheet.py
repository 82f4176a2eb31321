"""Contact sheets of the quality benchmark.

    python benchmarks/contact_sheet.py [--out docs/gif-quality.png]
    python benchmarks/contact_sheet.py --sky [--before OLD.gif] [--out docs/gif-sky-photo.png]

Reads the GIFs that bench_quality.py left in bench-out/quality/ and renders the references again. The
default sheet: each row is one frame of scenes 2-4 and 6: the lossless frame, our GIF and MoviePy's, side
by side, plus a 2x crop of a detail (where fades and bands show) of each.

``--sky``: the "sky photo" scene's sky beside and behind the moving photo, contrast-stretched (each
channel's range in the lossless crop spread over 0-255, the same mapping for every column, so a step of
one level shows as several): lossless | before (``--before``: a GIF of the same scene by an older
encoder, default bench-out/quality/sky_photo.before.gif) | ours | gifski.
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


SKY_FRACTION = 0.6  # the photo has crossed most of the sky: a trail of uncovered sky behind it
SKY_CROP = (40, 300, 960, 780)  # the band of sky the photo has crossed (left of it), 1920x1080


def stretched(crops: list[np.ndarray]) -> list[np.ndarray]:
    """``crops`` with each channel's range in the first (the lossless one) spread over 0-255."""
    low = crops[0].reshape(-1, 3).min(axis=0).astype(np.float64)
    high = crops[0].reshape(-1, 3).max(axis=0).astype(np.float64)
    scale = 255 / np.maximum(1, high - low)
    return [np.clip((c - low) * scale, 0, 255).astype(np.uint8) for c in crops]


def sky_sheet(before: Path, out: Path) -> None:
    """The sky crop of the "sky photo" scene: lossless | before | ours | gifski, contrast-stretched."""
    from quality_scenes import SCENES, write_inputs

    from imagegen.render import prepare

    plan = prepare(SCENES["sky photo"](), write_inputs(OUT / "inputs"))
    wanted = round(SKY_FRACTION * (plan.frame_count - 1))
    columns = [("lossless", None), ("before", before), ("ours", OUT / "sky_photo.gif")]
    columns.append(("gifski", OUT / "sky_photo.gifski.gif"))
    columns = [(label, path) for label, path in columns if path is None or path.exists()]
    streams = [None if path is None else shown_frames(path, plan.durations()) for _, path in columns]
    for index, frame in enumerate(plan.frames()):
        decoded = [frame.image[..., :3] if s is None else next(s) for s in streams]
        if index == wanted:
            break
    left, top, right, bottom = SKY_CROP
    crops = stretched([np.ascontiguousarray(d[top:bottom, left:right]) for d in decoded])
    width = (right - left) // 2
    tiles = [Image.fromarray(c).resize((width, (bottom - top) // 2), Image.Resampling.BOX) for c in crops]
    sheet = Image.new("RGB", (width, len(tiles) * (tiles[0].height + 22)), "white")
    draw = ImageDraw.Draw(sheet)
    for row, ((label, _), part) in enumerate(zip(columns, tiles, strict=True)):
        y = row * (part.height + 22)
        draw.text((4, y + 4), f"sky photo, frame {wanted}, contrast-stretched: {label}", fill="black")
        sheet.paste(part, (0, y + 22))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    print(f"wrote {out} ({sheet.width}x{sheet.height})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="default docs/gif-quality.png (docs/gif-sky-photo.png with --sky)")
    parser.add_argument("--sky", action="store_true", help="the sky crop: lossless, before, ours, gifski")
    parser.add_argument("--before", type=Path, default=OUT / "sky_photo.before.gif")
    args = parser.parse_args()
    if args.sky:
        sky_sheet(args.before, args.out or ROOT / "docs" / "gif-sky-photo.png")
        return
    args.out = args.out or ROOT / "docs" / "gif-quality.png"
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

"""Scene A in MoviePy 2 (``CompositeVideoClip(...).write_gif``), for the benchmark's comparison.

Runs in its own venv (MoviePy 2 pins pillow<12): benchmarks/.venv-moviepy/bin/python moviepy_scene.py SPEC OUT
Prints a JSON line: seconds, peak RSS. Draws the positions from ``scene_a.write_spec`` (our motion maths).
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
from moviepy import CompositeVideoClip, ImageClip, VideoClip
from PIL import Image


def main(spec_path: str, out: str) -> None:
    started = time.perf_counter()
    with open(spec_path) as fp:
        spec = json.load(fp)
    width, height = spec["canvas"]
    fps = spec["fps"]
    count = len(spec["durations_ms"])
    duration = count / fps
    with Image.open(spec["background"]) as image:
        source_w, source_h = image.size
    scale = max(width / source_w, height / source_h)  # cover-fit, centred crop
    cover = (round(source_w * scale), round(source_h * scale))
    background = (
        ImageClip(spec["background"])
        .resized(new_size=cover)
        .cropped(x_center=cover[0] / 2, y_center=cover[1] / 2, width=width, height=height)
        .with_duration(duration)
    )
    clips = [background]
    for layer in spec["layers"]:
        positions = layer["positions"]

        def position(t: float, positions: list = positions) -> tuple[int, int]:
            return tuple(positions[min(count - 1, round(t * fps))])

        clip = ImageClip(layer["path"], transparent=True).resized(new_size=tuple(layer["size"]))
        opacities = layer.get("opacities") or [1.0] * count
        if min(opacities) < 1.0:  # fades: the clip's alpha (if any) times this frame's opacity
            alpha = clip.mask.get_frame(0) if clip.mask is not None else np.ones(clip.size[::-1])

            def mask(t: float, alpha: np.ndarray = alpha, opacities: list = opacities) -> np.ndarray:
                return alpha * opacities[min(count - 1, round(t * fps))]

            clip = clip.with_mask(VideoClip(mask, is_mask=True, duration=duration))
        clips.append(clip.with_position(position).with_duration(duration))
    CompositeVideoClip(clips, size=(width, height)).with_duration(duration).write_gif(out, fps=fps, loop=0, logger=None)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

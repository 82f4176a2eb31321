"""The naive baseline (how a first version would do it): per frame, reopen and resize every layer, paste,
collect every frame, then one Pillow ``save(save_all=True)``.

Usage: python benchmarks/naive_scene.py SPEC.json OUT.gif  (prints a JSON line: seconds, peak RSS)
Reads the layout written by ``scene_a.write_spec`` so it draws the same positions as our renderer.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from PIL import Image, ImageOps


def main(spec_path: str, out: str) -> None:
    started = time.perf_counter()
    with open(spec_path) as fp:
        spec = json.load(fp)
    canvas = tuple(spec["canvas"])
    frames = []
    for index in range(len(spec["durations_ms"])):
        frame = ImageOps.fit(Image.open(spec["background"]).convert("RGB"), canvas, Image.Resampling.LANCZOS)
        for layer in spec["layers"]:
            sprite = Image.open(layer["path"]).convert("RGBA").resize(tuple(layer["size"]), Image.Resampling.LANCZOS)
            frame.paste(sprite, tuple(layer["positions"][index]), sprite)
        frames.append(frame)
    frames[0].save(out, save_all=True, append_images=frames[1:], duration=spec["durations_ms"], loop=0)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

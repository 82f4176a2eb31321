"""The slideshow scene in MoviePy 2: cover-fitted ImageClips with CrossFadeIn, composited, GIF or MP4.

Runs in the MoviePy venv: benchmarks/.venv-moviepy/bin/python moviepy_slideshow.py SPEC OUT(.gif|.mp4)
Prints a JSON line: seconds, peak RSS. The last slide crossfades back into the first (as ours loops).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from moviepy import CompositeVideoClip, ImageClip, vfx
from PIL import Image


def cover_clip(path: str, width: int, height: int) -> ImageClip:
    with Image.open(path) as image:
        source_w, source_h = image.size
    scale = max(width / source_w, height / source_h)
    size = (round(source_w * scale), round(source_h * scale))
    clip = ImageClip(path).resized(new_size=size)
    return clip.cropped(x_center=size[0] / 2, y_center=size[1] / 2, width=width, height=height)


def main(spec_path: str, out: str) -> None:
    started = time.perf_counter()
    with open(spec_path) as fp:
        spec = json.load(fp)
    width, height = spec["canvas"]
    fade, total = spec["crossfade"], spec["seconds"]
    clips = []
    slides = spec["slides"]
    for index, slide in enumerate(slides):
        clip = cover_clip(slide["path"], width, height)
        begin = slide["start"] - (fade if index else 0.0)
        clip = clip.with_start(begin).with_duration(slide["seconds"] + (fade if index else 0.0))
        clips.append(clip.with_effects([vfx.CrossFadeIn(fade)]) if index else clip)
    back = cover_clip(slides[0]["path"], width, height).with_start(total - fade).with_duration(fade)
    clips.append(back.with_effects([vfx.CrossFadeIn(fade)]))
    video = CompositeVideoClip(clips, size=(width, height)).with_duration(total)
    if out.endswith(".gif"):
        video.write_gif(out, fps=spec["fps"], loop=0, logger=None)
    else:
        video.write_videofile(out, fps=spec["fps"], codec="libx264", audio=False, logger=None)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

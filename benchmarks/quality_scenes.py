"""The eight scenes of the GIF quality benchmark: deterministic inputs and scenes, built without the parser.

1. ``scene_a``: Scene A of the render benchmark (photo, sliding logo, bouncing product).
2. ``photo_fade``: a photo fading in over another photo, 1080x1080, 2 s.
3. ``crossfade``: photo 1 crossfades to photo 2, then to photo 3, 1080x1080, 6 s.
4. ``sky``: a smooth dusk-sky gradient (no noise, like a clean sky in a good photo) with a logo sliding
   across it, 1920x1080, 3 s.
5. ``flat_fade``: a flat-colour logo fading in on a flat-colour background, 1080x1080, 2 s.
6. ``slideshow``: the render benchmark's slideshow (three photo-like JPEGs, 2 s each, 0.5 s crossfades,
   the last back into the first), 1080x1080, 6 s; MoviePy draws it with ``moviepy_slideshow.py``.
7. ``sky photo``: the dusk sky with a photo (a third of the canvas high) sliding across it, 1920x1080,
   3 s: the photo's colours and the gradient's share one palette.
8. ``logo photo``: the logo sliding across the middle of a photo, 1080x1080, 2 s.

The photos are square (1620 px, so a plain resize and a cover-fit agree); the sky and the flat colour are
written at canvas size. Quality is measured against our own renderer's frames, so MoviePy's slightly
different resampling of the photos costs it a little PSNR on scenes 2 and 3 (as in Scene A).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import scene_a as scene_a_inputs
from PIL import Image
from scene_a import FPS, photo, scene_a, slideshow_scene, write_slides

from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Role, Scene, Timing

SQUARE = 1080
PHOTO = 1620
WIDE = (1920, 1080)


def photo_variant(seed: int, channels: tuple[int, int, int], flip: bool = False) -> Image.Image:
    """A 1620x1620 photo-like image (an upload 1.5x the canvas, downscaled by the renderer as Scene A's
    background is); channel order and a mirror make the variants look different."""
    pixels = np.asarray(photo(PHOTO, PHOTO, seed))[..., list(channels)]
    return Image.fromarray(np.ascontiguousarray(pixels[:, ::-1] if flip else pixels))


def sky(width: int = WIDE[0], height: int = WIDE[1]) -> Image.Image:
    """A smooth dusk sky: deep blue at the top, through violet, to orange at the horizon; a faint sideways glow."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    t = y / (height - 1)
    stops = np.array([[18, 28, 78], [96, 62, 128], [214, 112, 96], [252, 176, 84]], np.float64)
    at = np.array([0.0, 0.45, 0.8, 1.0])
    rgb = np.stack([np.interp(t, at, stops[:, c]) for c in range(3)], axis=-1)
    glow = np.exp(-(((x - 0.7 * width) / (0.35 * width)) ** 2)) * t**2
    rgb += glow[..., None] * np.array([14.0, 10.0, -6.0])
    return Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8))


def write_inputs(folder: Path) -> dict[str, Path]:
    """Write every input image once (Scene A's three, the rest PNG, lossless); returns tag -> path."""
    shared = scene_a_inputs.write_inputs(folder)
    makers: dict[str, Callable[[], Image.Image]] = {
        "p1": lambda: photo_variant(1, (0, 1, 2)),
        "p2": lambda: photo_variant(2, (2, 0, 1), flip=True),
        "p3": lambda: photo_variant(3, (1, 2, 0)),
        "sky": sky,
        "flat": lambda: Image.new("RGB", (SQUARE, SQUARE), (28, 62, 120)),
    }
    paths = {tag: folder / f"{tag}.png" for tag in makers}
    for tag, path in paths.items():
        if not path.exists():
            makers[tag]().save(path)
    return {**shared, **paths, **write_slides(folder)}


def _fade(start: float = 0.0, end: float = 1.0) -> tuple[Motion, ...]:
    return (Motion(MotionKind.FADE_IN, start=start, end=end),)


def photo_fade() -> Scene:
    return Scene(
        layers=(Layer("p1", role=Role.BACKGROUND), Layer("p2", role=Role.BACKGROUND, motions=_fade())),
        canvas=Canvas(SQUARE, SQUARE),
        timing=Timing(duration_s=2.0, fps=FPS),
    )


def crossfade() -> Scene:
    return Scene(
        layers=(
            Layer("p1", role=Role.BACKGROUND),
            Layer("p2", role=Role.BACKGROUND, motions=_fade(0.1, 0.4)),
            Layer("p3", role=Role.BACKGROUND, motions=_fade(0.55, 0.85)),
        ),
        canvas=Canvas(SQUARE, SQUARE),
        timing=Timing(duration_s=6.0, fps=FPS),
    )


def _across(backdrop: str, sprite: str, size: float, canvas: Canvas, seconds: float) -> Scene:
    """``sprite`` slides across ``backdrop`` from off the left edge to off the right one."""
    slide = Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, enters=True, exits=True)
    return Scene(
        layers=(
            Layer(backdrop, role=Role.BACKGROUND),
            Layer(sprite, anchor=Anchor.CENTER, size=size, motions=(slide,)),
        ),
        canvas=canvas,
        timing=Timing(duration_s=seconds, fps=FPS),
    )


def sky_scene() -> Scene:
    return _across("sky", "logo", 0.3, Canvas(*WIDE), 3.0)


def flat_fade() -> Scene:
    return Scene(
        layers=(Layer("flat", role=Role.BACKGROUND), Layer("logo", anchor=Anchor.CENTER, size=0.5, motions=_fade())),
        canvas=Canvas(SQUARE, SQUARE),
        timing=Timing(duration_s=2.0, fps=FPS),
    )


def sky_photo() -> Scene:
    return _across("sky", "p3", 0.35, Canvas(*WIDE), 3.0)


def logo_photo() -> Scene:
    return _across("p1", "logo", 0.3, Canvas(SQUARE, SQUARE), 2.0)


#: The benchmark's scenes by name, in the issue's order.
SCENES: dict[str, Callable[[], Scene]] = {
    "A": scene_a,
    "photo fade": photo_fade,
    "crossfade": crossfade,
    "sky": sky_scene,
    "flat fade": flat_fade,
    "slideshow": slideshow_scene,
    "sky photo": sky_photo,
    "logo photo": logo_photo,
}

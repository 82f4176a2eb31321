"""A photo moving over a smooth sky: the sky keeps its shades (no contour bands), never changes where it
is static, and shows the same colours where the photo uncovers it; the photo itself stays close.

Built through the real renderer; images made in code (a clean dusk sky with a sideways glow, a noisy
photo-like square); every GIF decoded by Pillow and compared with the renderer's own frames.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter
from test_gif_quality import photo, psnr, references, scene, shown

from imagegen.export.gif import write_gif
from imagegen.render import RenderPlan, prepare
from imagegen.scene import Anchor, Layer, Motion, MotionKind, Role

SIZE = (640, 360)


def glowing_sky(width: int, height: int) -> Image.Image:
    """A dusk sky (blue to orange, top to bottom) with a faint sideways glow: shades vary both ways."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    t = y / (height - 1)
    stops = np.array([[18, 28, 78], [96, 62, 128], [214, 112, 96], [252, 176, 84]], np.float64)
    rgb = np.stack([np.interp(t, [0.0, 0.45, 0.8, 1.0], stops[:, c]) for c in range(3)], axis=-1)
    rgb += (np.exp(-(((x - 0.7 * width) / (0.35 * width)) ** 2)) * t**2)[..., None] * np.array([14.0, 10.0, -6.0])
    return Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8))


@pytest.fixture(scope="module")
def sky_photo() -> tuple[RenderPlan, list[np.ndarray], list[np.ndarray]]:
    """The plan, its reference frames and what the GIF shows at each frame's start."""
    slide = Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT, enters=True, exits=True)
    layers = (Layer("sky", role=Role.BACKGROUND), Layer("photo", size=0.4, motions=(slide,)))
    plan = prepare(scene(layers, SIZE), {"sky": glowing_sky(*SIZE), "photo": photo(300, 5)})
    out = io.BytesIO()
    write_gif(plan.frames(), out, palette_sources=[plan.base, *plan.sprites])
    return plan, references(plan), list(shown(out.getvalue(), plan.durations()))


def blurred(rgb: np.ndarray) -> np.ndarray:
    """A 3 px Gaussian blur: it averages a dither out and leaves contour bands."""
    return np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(3))).astype(np.float64)


def test_the_sky_keeps_its_shades_beside_a_moving_photo(sky_photo) -> None:
    plan, want, got = sky_photo
    sky = want[0]  # the photo enters from off the canvas: frame 0 is the bare sky
    assert np.array_equal(sky, np.asarray(plan.base)[..., :3])
    for i in range(0, len(want), 4):
        bare = (want[i] == sky).all(axis=-1)  # the sky around the photo in this frame
        error = np.abs(got[i].astype(np.int16) - want[i]).max(axis=-1)[bare]
        # a contour band is a run of pixels a few levels off; with the sky's own share of the palette,
        # the gradient steps by a level or two at most
        assert error.max() <= 3, f"frame {i}: a sky pixel is {error.max()} levels off"
        mse = float(((blurred(want[i]) - blurred(got[i])) ** 2).mean(axis=-1)[bare].mean())
        assert 10 * np.log10(255**2 / max(mse, 1e-9)) >= 50, f"frame {i}: the sky's blurred MSE is {mse:.2f}"


def test_static_sky_pixels_never_change_and_uncovered_sky_shows_its_first_colours(sky_photo) -> None:
    _plan, want, got = sky_photo
    sky, first = want[0], got[0]
    covered = np.zeros(sky.shape[:2], bool)
    for i in range(1, len(want)):
        bare = (want[i] == sky).all(axis=-1)
        static = bare & ~covered  # never under the photo so far: must be byte-identical to frame 0
        assert np.array_equal(got[i][static], first[static]), f"frame {i}: a static sky pixel changed (shimmer)"
        # where the photo has passed, the sky is drawn again: with exactly the colours it had (no trail)
        uncovered = bare & covered
        differ = int(np.count_nonzero((got[i][uncovered] != first[uncovered]).any(axis=-1)))
        assert differ == 0, f"frame {i}: {differ} uncovered sky pixels differ from the sky around them"
        covered |= ~bare


def test_the_moving_photo_stays_close_and_keeps_its_averages(sky_photo) -> None:
    _plan, want, got = sky_photo
    sky = want[0]
    for i in range(len(want) // 4, 3 * len(want) // 4, 3):  # the photo wholly on the canvas
        on_photo = ~(want[i] == sky).all(axis=-1)
        squared = ((want[i].astype(np.float64) - got[i]) ** 2).mean(axis=-1)
        assert psnr(want[i], got[i]) >= 45, f"frame {i}: {psnr(want[i], got[i]):.1f} dB"
        photo_db = 10 * np.log10(255**2 / squared[on_photo].mean())
        assert photo_db >= 34, f"frame {i}: the photo at {photo_db:.1f} dB"
        blurred_mse = ((blurred(want[i]) - blurred(got[i])) ** 2).mean(axis=-1)[on_photo].mean()
        # its local averages: a photo squeezed into the few colours the sky leaves bands under a blur
        assert 10 * np.log10(255**2 / blurred_mse) >= 41, f"frame {i}: the photo's blurred MSE {blurred_mse:.2f}"

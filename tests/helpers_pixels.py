"""Pixel-measuring helpers for renderer tests: solid images, colour masks, centroids, tolerant asserts.

Every assert helper fails with "<what>: got ..., expected ..." so a broken test says what it saw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

RED = (255, 0, 0, 255)
GREEN = (0, 255, 0, 255)
BLUE = (0, 0, 255, 255)
WHITE = (255, 255, 255, 255)
BLACK = (0, 0, 0, 255)


def solid(width: int, height: int, colour: Sequence[int] = RED) -> Image.Image:
    """A ``width`` x ``height`` RGBA image of one colour."""
    return Image.new("RGBA", (width, height), tuple(colour))


def pixels(image: Image.Image | np.ndarray) -> np.ndarray:
    """(H, W, 4) int array of an RGBA image or array."""
    return np.asarray(image).astype(np.int32)


def mask(image: Image.Image | np.ndarray, colour: Sequence[int], tol: int = 40) -> np.ndarray:
    """Boolean (H, W) mask of pixels within ``tol`` of ``colour`` on every RGB channel (and opaque-ish)."""
    arr = pixels(image)
    close = np.all(np.abs(arr[..., :3] - np.asarray(colour[:3])) <= tol, axis=-1)
    return close & (arr[..., 3] > 127)


def centroid(image: Image.Image | np.ndarray, colour: Sequence[int], tol: int = 40) -> tuple[float, float] | None:
    """Mean (x, y) pixel index of the ``colour`` mask; None when no pixel matches."""
    ys, xs = np.nonzero(mask(image, colour, tol))
    if xs.size == 0:
        return None
    return float(xs.mean()), float(ys.mean())


def bbox(image: Image.Image | np.ndarray, colour: Sequence[int], tol: int = 40) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) box of the ``colour`` mask (right/bottom exclusive); None when empty."""
    ys, xs = np.nonzero(mask(image, colour, tol))
    if xs.size == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def count(image: Image.Image | np.ndarray, colour: Sequence[int], tol: int = 40) -> int:
    """Number of pixels in the ``colour`` mask."""
    return int(mask(image, colour, tol).sum())


def assert_close(got: float | Sequence[float] | None, expected: float | Sequence[float], tol: float, what: str) -> None:
    """Assert every component of ``got`` is within ``tol`` of ``expected``."""
    if got is None:
        raise AssertionError(f"{what}: got nothing (no matching pixels), expected {expected}")
    got_t = tuple(got) if isinstance(got, Sequence) else (got,)
    exp_t = tuple(expected) if isinstance(expected, Sequence) else (expected,)
    ok = len(got_t) == len(exp_t) and all(abs(g - e) <= tol for g, e in zip(got_t, exp_t, strict=True))
    if not ok:
        shown = tuple(round(float(g), 3) for g in got_t)
        raise AssertionError(f"{what}: got {shown}, expected {exp_t} (±{tol})")


def assert_pixel(
    image: Image.Image | np.ndarray, xy: tuple[int, int], expected: Sequence[int], tol: int, what: str
) -> None:
    """Assert the RGBA value at ``xy`` is within ``tol`` of ``expected`` (only as many channels as given)."""
    x, y = xy
    got = pixels(image)[y, x][: len(expected)]
    assert_close(tuple(int(v) for v in got), tuple(expected), tol, f"{what} at {xy}")

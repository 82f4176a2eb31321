"""Encoders stream: peak memory for 240 frames is no more than for 48 (1080x1080 frames)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest

from imagegen.export.apng import write_apng
from imagegen.export.gif import write_gif

SIDE = 1080
SQUARE = 120


@dataclass(frozen=True)
class Frame:
    image: np.ndarray
    duration_ms: int
    dirty: tuple[int, int, int, int] | None


class CountingSink:
    """A seekable binary sink that keeps no data (so the output's size is not counted as memory)."""

    def __init__(self) -> None:
        self.position = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self.position += len(data)
        self.size = max(self.size, self.position)
        return len(data)

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset
        return offset


def moving_square(count: int) -> Iterator[Frame]:
    """A square crossing a noisy 1080x1080 photo, drawn into one reused buffer like the renderer."""
    rng = np.random.default_rng(3)
    base = np.full((SIDE, SIDE, 4), 255, np.uint8)
    base[..., :3] = rng.integers(90, 160, (SIDE, SIDE, 3), dtype=np.uint8)
    buffer = base.copy()
    previous = None
    for i in range(count):
        x = (i * 7) % (SIDE - SQUARE)
        y = (i * 3) % (SIDE - SQUARE)
        if previous is not None:
            px, py = previous
            buffer[py : py + SQUARE, px : px + SQUARE] = base[py : py + SQUARE, px : px + SQUARE]
        buffer[y : y + SQUARE, x : x + SQUARE] = (200, 40, 40, 255)
        dirty = None
        if previous is not None:
            dirty = (
                min(x, previous[0]),
                min(y, previous[1]),
                max(x, previous[0]) + SQUARE,
                max(y, previous[1]) + SQUARE,
            )
        previous = (x, y)
        yield Frame(buffer, 40, dirty)


def peak_bytes(encode: Callable[[Iterator[Frame], CountingSink], object], count: int) -> tuple[int, int]:
    sink = CountingSink()
    tracemalloc.start()
    try:
        encode(moving_square(count), sink)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.size


ENCODERS = {
    "gif": lambda frames, sink: write_gif(frames, sink),
    "apng": lambda frames, sink: write_apng(frames, sink),
}


@pytest.mark.parametrize("name", list(ENCODERS))
def test_peak_memory_does_not_grow_with_frame_count(name: str) -> None:
    short_peak, short_size = peak_bytes(ENCODERS[name], 48)
    long_peak, long_size = peak_bytes(ENCODERS[name], 240)
    assert long_size - short_size > (240 - 48) * 1000  # the long run really wrote its extra frames
    assert long_peak < short_peak * 1.1 + 256 * 1024, f"{name}: {short_peak:,} -> {long_peak:,} bytes"
    # and the peak is a few canvases, not a frame list (one RGBA canvas is 4.7 MB)
    assert long_peak < 8 * SIDE * SIDE * 4

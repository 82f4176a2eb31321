"""The streaming GIF encoder: decoded frames match the source, deltas, merging, timing, loops, alpha."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image, ImageSequence

from imagegen.export.gif import GifEncoder, write_gif
from imagegen.export.palette import GifPalette

W, H = 160, 120
SPRITE = 24


@dataclass(frozen=True)
class Frame:
    image: np.ndarray
    duration_ms: int
    dirty: tuple[int, int, int, int] | None


@dataclass(frozen=True)
class Block:
    """One image of a GIF as stored: box, delay, disposal, transparent index."""

    box: tuple[int, int, int, int]
    delay_cs: int
    disposal: int
    transparency: int | None


def background(transparent: bool = False) -> np.ndarray:
    """A photo-like RGBA canvas (gradient plus noise), or fully clear."""
    if transparent:
        return np.zeros((H, W, 4), np.uint8)
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:H, 0:W]
    rgb = np.stack([40 + 150 * x / W, 60 + 120 * y / H, 180 - 100 * (x + y) / (W + H)], axis=-1)
    rgb = np.clip(rgb + rng.normal(0, 4, rgb.shape), 0, 255)
    return np.dstack([rgb, np.full((H, W), 255)]).astype(np.uint8)


def sprite_frames(
    positions: list[int], durations: list[int] | int = 40, *, transparent: bool = False, dirty: bool = True
) -> Iterator[Frame]:
    """A red square with a white stripe at x = positions[i], drawn into ONE reused buffer (as the renderer does)."""
    base = background(transparent)
    buffer = base.copy()
    times = durations if isinstance(durations, list) else [durations] * len(positions)
    previous: int | None = None
    for x, duration in zip(positions, times, strict=True):
        buffer[:] = base
        buffer[40 : 40 + SPRITE, x : x + SPRITE] = (220, 30, 30, 255)
        buffer[40 + SPRITE // 2 - 2 : 40 + SPRITE // 2 + 2, x : x + SPRITE] = (255, 255, 255, 255)
        box = None
        if previous is not None and dirty:
            box = (min(previous, x), 40, max(previous, x) + SPRITE, 40 + SPRITE)
        previous = x
        yield Frame(buffer, duration, box)


def encode(frames: Iterator[Frame], **kwargs: object) -> bytes:
    out = io.BytesIO()
    write_gif(frames, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def blocks(data: bytes) -> tuple[list[Block], int | None]:
    """Walk the GIF's blocks: every image with its control extension, and the NETSCAPE loop count."""
    packed = data[10]
    pos = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
    found: list[Block] = []
    loop = None
    control = (0, 0, None)
    while data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension
            label = data[pos + 1]
            body = data[pos + 2 : pos + 2 + 1 + data[pos + 2]]
            if label == 0xF9:
                flags, delay, index = struct.unpack("<BHB", body[1:5])
                control = (delay, (flags >> 2) & 7, index if flags & 1 else None)
            elif label == 0xFF and body[1:12] == b"NETSCAPE2.0":
                loop = struct.unpack("<H", data[pos + 16 : pos + 18])[0]
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        else:  # image descriptor, then LZW data sub-blocks
            left, top, width, height, flags = struct.unpack("<HHHHB", data[pos + 1 : pos + 10])
            found.append(Block((left, top, left + width, top + height), *control))
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
    return found, loop


def decoded(data: bytes, mode: str = "RGB") -> list[np.ndarray]:
    with Image.open(io.BytesIO(data)) as gif:
        return [np.asarray(frame.convert(mode)).copy() for frame in ImageSequence.Iterator(gif)]


def shown(data: bytes, starts_ms: list[int], mode: str = "RGB") -> list[np.ndarray]:
    """The decoded picture on screen at each of ``starts_ms``."""
    images = decoded(data, mode)
    ends = np.cumsum([b.delay_cs * 10 for b in blocks(data)[0]])
    return [images[int(np.searchsorted(ends, (t + 5) // 10 * 10, side="right"))] for t in starts_ms]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


SLIDE = list(range(0, W - SPRITE, 6))  # 23 positions, every frame different


@pytest.mark.parametrize("dirty", [True, False], ids=["dirty-boxes", "no-dirty-info"])
def test_decoded_frames_match_the_source(dirty: bool) -> None:
    sources = [f.image[..., :3].copy() for f in sprite_frames(SLIDE)]
    data = encode(sprite_frames(SLIDE, dirty=dirty))
    starts = [40 * i for i in range(len(SLIDE))]
    for i, (want, got) in enumerate(zip(sources, shown(data, starts), strict=True)):
        err = np.abs(want.astype(int) - got)
        assert err.mean() < 3, f"frame {i}: mean error {err.mean():.2f}"
        assert psnr(want, got) > 35, f"frame {i}: PSNR {psnr(want, got):.1f}"
        # the sprite itself is drawn with exact colours (they are in the palette)
        x = SLIDE[i]
        assert tuple(got[41, x + 1]) == (220, 30, 30)
        assert tuple(got[40 + SPRITE // 2, x + 1]) == (255, 255, 255)


def test_frames_after_the_first_hold_only_the_changed_box() -> None:
    data = encode(sprite_frames(SLIDE))
    found, _ = blocks(data)
    assert found[0].box == (0, 0, W, H)
    for i, block in enumerate(found[1:], start=1):
        left, top, right, bottom = block.box
        assert (top, bottom) == (40, 40 + SPRITE)
        # old and new sprite positions, at most: a 6 px step plus the sprite
        assert SLIDE[i - 1] <= left and right <= SLIDE[i] + SPRITE
        assert right - left <= SPRITE + 6
        assert block.disposal == 1
    assert all(b.transparency == found[0].transparency for b in found)


def test_deltas_make_the_file_much_smaller_than_full_frames() -> None:
    data = encode(sprite_frames(SLIDE))
    first_frame_only = encode(sprite_frames(SLIDE[:1]))
    assert len(data) < len(first_frame_only) + 400 * (len(SLIDE) - 1)


def test_identical_frames_are_merged_with_summed_durations() -> None:
    # moves for 4 frames, holds still for 5, moves for 3
    positions = [0, 10, 20, 30, 30, 30, 30, 30, 30, 40, 50, 60]
    data = encode(sprite_frames(positions, 50))
    found, _ = blocks(data)
    assert [b.delay_cs for b in found] == [5, 5, 5, 30, 5, 5, 5]
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 7


def test_a_dirty_box_without_real_change_is_merged() -> None:
    frames = list(sprite_frames([10, 10, 10], 100))
    data = encode(Frame(f.image.copy(), f.duration_ms, (0, 0, W, H)) for f in frames)
    assert [b.delay_cs for b in blocks(data)[0]] == [30]


@pytest.mark.parametrize("fps", [24, 25, 30, 12.5, 48])
def test_delays_follow_the_millisecond_timeline_exactly(fps: float) -> None:
    count = 30
    total = round(count * 1000 / fps)
    durations = [(i + 1) * total // count - i * total // count for i in range(count)]
    positions = [i * 4 for i in range(count)]
    data = encode(sprite_frames(positions, durations))
    delays = [b.delay_cs for b in blocks(data)[0]]
    assert len(delays) == count
    assert sum(delays) * 10 == (total + 5) // 10 * 10
    starts = np.cumsum([0, *durations[:-1]])
    gif_starts = np.cumsum([0, *delays[:-1]]) * 10
    assert np.all(np.abs(gif_starts - starts) <= 5)  # every frame starts within 5 ms of its time


def test_frames_shorter_than_20ms_are_folded_so_browsers_play_at_speed() -> None:
    count = 60
    durations = [(i + 1) * 1000 // count - i * 1000 // count for i in range(count)]  # 60 fps
    data = encode(sprite_frames([i * 2 for i in range(count)], durations))
    delays = [b.delay_cs for b in blocks(data)[0]]
    assert min(delays) >= 2
    assert sum(delays) == 100
    assert len(delays) < count


@pytest.mark.parametrize(("loops", "netscape"), [(0, 0), (1, None), (3, 2)])
def test_loop_count(loops: int, netscape: int | None) -> None:
    data = encode(sprite_frames(SLIDE[:4]), loops=loops)
    assert blocks(data)[1] == netscape
    with Image.open(io.BytesIO(data)) as gif:
        assert gif.info.get("loop") == netscape


def test_transparent_canvas_keeps_alpha_and_clears_where_the_sprite_left() -> None:
    positions = [0, 30, 60, 90, 120]
    sources = [f.image.copy() for f in sprite_frames(positions, transparent=True)]
    data = encode(sprite_frames(positions, transparent=True), transparent=True)
    got = shown(data, [40 * i for i in range(len(positions))], mode="RGBA")
    for want, image in zip(sources, got, strict=True):
        assert np.array_equal(want[..., 3] >= 128, image[..., 3] >= 128)
        opaque = want[..., 3] >= 128
        assert np.array_equal(want[opaque][:, :3], image[opaque][:, :3])
    # the old position is cleared by disposing the previous frame to background
    assert any(b.disposal == 2 for b in blocks(data)[0])


def test_a_sprite_vanishing_completely_still_clears_the_canvas() -> None:
    clear = np.zeros((H, W, 4), np.uint8)
    drawn = clear.copy()
    drawn[10:20, 10:20] = (0, 0, 255, 255)
    frames = [Frame(drawn, 100, None), Frame(clear, 100, (10, 10, 20, 20)), Frame(clear, 100, (0, 0, 0, 0))]
    data = encode(iter(frames), transparent=True)
    images = decoded(data, "RGBA")
    assert images[0][15, 15, 3] == 255
    assert images[-1][..., 3].max() == 0
    assert sum(b.delay_cs for b in blocks(data)[0]) == 30


def test_few_colours_are_kept_exactly() -> None:
    image = np.zeros((H, W, 4), np.uint8)
    image[..., 3] = 255
    image[:, : W // 2] = (12, 200, 99, 255)
    image[::3, ::5] = (250, 128, 3, 255)
    data = encode(iter([Frame(image, 100, None)]))
    assert np.array_equal(decoded(data)[0], image[..., :3])


def test_size_mismatch_and_empty_input_are_refused() -> None:
    palette = GifPalette.from_colors(np.array([[0, 0, 0]], np.uint8))
    encoder = GifEncoder(io.BytesIO(), (W, H), palette)
    with pytest.raises(ValueError, match="frame is 10x10, the GIF is 160x120"):
        encoder.add(np.zeros((10, 10, 4), np.uint8), 40)
    with pytest.raises(ValueError, match="at least one frame"):
        encode(iter([]))

"""The GIF encoder's redraw decisions: tile drift measured exactly, tiles chosen by budget, and a fade
that ends settles on its final picture instead of keeping the drift it was allowed while moving."""

from __future__ import annotations

import io
import itertools
import math

import numpy as np
import pytest
from PIL import Image, ImageSequence
from test_gif_quality import photo, scene

from imagegen.export.drift import FAR_LEVELS, LEAD_FRAMES, TILE, expand, lead, tile_any, tile_drift, tiles_to_draw
from imagegen.export.gif import write_gif
from imagegen.render import prepare
from imagegen.scene import Layer, Motion, MotionKind, Role


def mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((a.astype(np.float64) - b) ** 2))


def reference_drift(source: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per tile, in floats: mean squared difference per colour channel, and the largest byte difference."""
    height, width = source.shape[:2]
    th, tw = TILE
    rows, cols = -(-height // th), -(-width // tw)
    padded = np.zeros((rows * th, cols * tw, 4))
    padded[:height, :width] = np.abs(source.astype(float) - drawn)
    tiles = padded.reshape(rows, th, cols, tw, 4)
    return (tiles**2).sum(axis=(1, 3, 4)) / (3 * th * tw), tiles.max(axis=(1, 3, 4))


@pytest.mark.parametrize(("height", "width"), [(4, 32), (37, 70), (120, 96), (1, 1), (9, 33)])
def test_tile_drift_is_the_mean_squared_change_of_each_tile(height: int, width: int) -> None:
    rng = np.random.default_rng(height * width)
    source = rng.integers(0, 256, (height, width, 4), np.uint8)
    drawn = np.clip(source.astype(int) + rng.integers(-40, 41, source.shape), 0, 255).astype(np.uint8)
    drift, peaks = tile_drift(source, drawn)
    want_drift, want_peaks = reference_drift(source, drawn)
    assert drift.shape == want_drift.shape
    assert np.abs(drift - want_drift).max() < 1.0  # 16-bit sums at a quarter scale lose < 1 per value
    assert np.array_equal(peaks, want_peaks)


def test_tile_drift_reads_boxes_of_larger_frames_band_by_band() -> None:
    rng = np.random.default_rng(7)
    frame = rng.integers(0, 256, (200, 96, 4), np.uint8)  # taller than a band of rows
    drawn = rng.integers(0, 256, (200, 96, 4), np.uint8)
    whole = tile_drift(frame, drawn)
    assert np.abs(whole[0] - reference_drift(frame, drawn)[0]).max() < 1.0
    box = tile_drift(frame[8:140, 32:96], drawn[8:140, 32:96])  # a box: strided rows
    assert np.allclose(box[0], whole[0][2:35, 1:3]) and np.array_equal(box[1], whole[1][2:35, 1:3])


def test_tile_any_and_expand_round_trip() -> None:
    mask = np.zeros((10, 70), bool)
    mask[5, 40] = True
    tiles = tile_any(mask)
    assert tiles.shape == (3, 3) and tiles.sum() == 1 and tiles[1, 1]
    pixels = expand(tiles, mask.shape)
    assert pixels.shape == mask.shape and pixels[4:8, 32:64].all() and pixels.sum() == 4 * 32


@pytest.mark.parametrize(
    ("drift", "peaks", "forced", "want"),
    [
        # a fade: the changed tiles drifted 3/4 of the budget of 16 on average, so all are redrawn together
        ([20.0, 10.0, 0.0], [5, 5, 0], [False] * 3, [True, True, False]),
        ([20.0, 1.0, 1.0, 1.0, 0.0], [5, 1, 1, 1, 0], [False] * 5, [True, False, False, False, False]),  # one past
        ([1.0, 1.0, 0.0], [FAR_LEVELS + 1, 2, 0], [False] * 3, [True, False, False]),  # one far-off pixel
        ([1.0, 1.0, 0.0], [2, 2, 1], [False, False, True], [False, False, True]),  # forced (settle, clear)
    ],
)
def test_tiles_are_redrawn_together_past_the_budget_far_off_or_forced(
    drift: list[float], peaks: list[int], forced: list[bool], want: list[bool]
) -> None:
    changed = np.array([peaks]) > 0
    chosen = tiles_to_draw(np.array([drift]), np.array([peaks]), np.array([forced]), changed, 16.0, phase=0)
    assert chosen[0].tolist() == want


def test_a_change_under_the_budget_redraws_one_band_of_its_rows_in_turn() -> None:
    drift = np.full((16, 3), 2.0)
    changed = np.zeros((16, 3), bool)
    changed[2:14] = True  # 12 rows of tiles changed: eight bands of 2 rows (the last ones empty)
    quiet = np.zeros((16, 3), bool)
    drawn = [tiles_to_draw(drift, np.ones((16, 3)), quiet, changed, 16.0, phase=phase) for phase in range(8)]
    assert [np.flatnonzero(chosen.any(axis=1)).tolist() for chosen in drawn[:3]] == [[2, 3], [4, 5], [6, 7]]
    assert np.array_equal(np.sum(drawn[:6], axis=0), changed)  # the bands cover the change once
    # a band with no changed tile in it: the most drifted eighth of the change
    few = np.zeros((16, 3), bool)
    few[3] = True
    chosen = tiles_to_draw(np.where(few, [[1.0, 3.0, 2.0]], 0), np.ones((16, 3)), quiet, few, 16.0, phase=5)
    assert np.argwhere(chosen).tolist() == [[3, 1]]


def test_a_change_too_small_to_measure_is_still_drawn() -> None:
    # one level of change squares to 1, which the quarter-scale sums round away: the tile still changed
    changed = np.array([[True, False, True]])
    chosen = tiles_to_draw(np.zeros((1, 3)), np.array([[1, 0, 1]]), np.zeros((1, 3), bool), changed, 16.0, phase=0)
    assert chosen[0].tolist() == [True, False, True]


def test_a_fade_is_led_ahead_by_its_own_pace_and_still_pixels_stay() -> None:
    # two tiles fade (red up one level a frame), one stands still, one pixel of a fading tile jumps
    previous = np.full((2 * TILE[0], 2 * TILE[1], 4), 100, np.uint8)
    current = previous.copy()
    current[:, : TILE[1], 0] += 1
    current[TILE[0], 3, 1] = 150  # an edge passing: not a fade's step
    led = lead(current, previous, budget=9.0)
    assert led is not None
    # a mean squared step of 1/3 per channel reaches 3/4 of the budget in sqrt(6.75 * 3) = 4.5 frames
    frames = min(LEAD_FRAMES, 4)
    fading = led[:, : TILE[1], 0]
    assert fading[np.arange(fading.shape[0]) != TILE[0]].tolist() == [[100 + 1 + frames] * TILE[1]] * (2 * TILE[0] - 1)
    assert led[TILE[0], 3].tolist() == [101, 150, 100, 100]  # the jump shows as it is, its red led
    assert np.array_equal(led[:, TILE[1] :], current[:, TILE[1] :])  # still pixels keep their colour


@pytest.mark.parametrize(("step", "budget"), [(5, 9.0), (1, 0.0), (0, 9.0)])
def test_no_lead_when_every_frame_is_a_refresh_or_nothing_moves(step: int, budget: float) -> None:
    # five levels a frame on every channel is past 3/4 of a budget of 9 at once: nothing to lead
    previous = np.full((TILE[0], TILE[1], 4), 100, np.uint8)
    current = previous.copy()
    current[..., :3] += step
    assert lead(current, previous, budget) is None


def test_a_fade_that_ends_settles_on_its_final_picture() -> None:
    # while a crossfade runs, a tile may lag its source by the drift budget; once the picture holds,
    # what stays on screen must be about as good as that picture encoded on its own (no tile-shaped
    # ghosts; the previous encoder: 36.2 dB held against 38.1 alone, a mean squared error 5.5 above)
    fade = (Motion(MotionKind.FADE_IN, start=0.0, end=0.5),)
    layers = (Layer("a", role=Role.BACKGROUND), Layer("b", role=Role.BACKGROUND, motions=fade))
    plan = prepare(scene(layers, (320, 320)), {"a": photo(480, 1), "b": photo(480, 2, (2, 0, 1))})
    held = [frame.image.copy() for frame in plan.frames()][-1]
    animation, alone = io.BytesIO(), io.BytesIO()
    write_gif(plan.frames(), animation, palette_sources=[plan.base, *plan.sprites])
    write_gif([type("Still", (), {"image": held, "duration_ms": 100, "dirty": None})()], alone)
    with Image.open(animation) as gif:
        shown = [np.asarray(frame.convert("RGB")).copy() for frame in ImageSequence.Iterator(gif)][-1]
    with Image.open(alone) as gif:
        still = np.asarray(gif.convert("RGB"))
    # what may stay: a drift of a quarter of the budget (quality 90: mean squared 16 / 4) that would not show
    assert mse(held[..., :3], shown) <= mse(held[..., :3], still) + 16 / 4


def test_a_one_level_a_frame_change_keeps_every_frame_within_the_budget() -> None:
    # a whole canvas creeping up one level a frame: each step is below any drift budget, yet each frame
    # must show a change, and no frame may lag more than the budget: a mean squared error of 16 per
    # channel at quality 90, plus < 1 for the 16-bit sums
    class Flat:
        def __init__(self, level: int) -> None:
            self.image = np.full((64, 96, 4), (level, 90, 200 - level, 255), np.uint8)
            self.duration_ms, self.dirty = 50, None

    frames = [Flat(level) for level in range(100, 130)]
    out = io.BytesIO()
    write_gif(frames, out)
    with Image.open(out) as gif:
        shown = [np.asarray(frame.convert("RGB")).astype(int) for frame in ImageSequence.Iterator(gif)]
    assert len(shown) == len(frames)
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(shown))
    for frame, picture in zip(frames, shown, strict=True):
        assert ((picture - frame.image[..., :3]) ** 2).mean() < 16 + 1


def image_blocks(data: bytes) -> list[tuple[int, int]]:
    """(colour table entries, LZW minimum code size) of every image in a GIF (0 entries: the global table)."""
    position = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    found = []
    while data[position] != 0x3B:  # trailer
        if data[position] == 0x21:  # extension: label, then sub-blocks
            position += 2
        else:  # image descriptor, its table, the code size, then sub-blocks
            flags = data[position + 9]
            entries = 1 << ((flags & 7) + 1) if flags & 0x80 else 0
            position += 10 + 3 * entries
            found.append((entries, data[position]))
            position += 1
        while data[position]:
            position += data[position] + 1
        position += 1
    return found


def test_a_flat_fade_gets_small_colour_tables_with_short_codes() -> None:
    # a flat logo's fade step needs a few colours: a small local table, and LZW codes sized for it
    # (Pillow's own writer starts every image at 9-bit codes)
    from test_gif_quality import encode, flat_fade

    blocks = image_blocks(encode(flat_fade()))
    local = [(entries, bits) for entries, bits in blocks if entries]
    assert len(local) >= len(blocks) // 2
    assert all(bits == max(2, entries.bit_length() - 1) for entries, bits in local)
    assert sum(entries <= 16 for entries, _ in local) >= len(local) // 2


def test_a_local_table_that_does_not_pay_leaves_its_frame_to_the_global_colours(monkeypatch) -> None:
    """A frame's table is built where the frame is written; when it maps the frame's pixels no better
    than ``_LOCAL_GAIN`` times the global palette does, the frame is drawn with the global colours."""
    from test_gif_quality import photo_fade, psnr, references, shown

    from imagegen.export import gif

    def encoded(plan) -> tuple[bytes, int]:
        out = io.BytesIO()
        stats = write_gif(plan.frames(), out, palette_sources=[plan.base, *plan.sprites])
        return out.getvalue(), stats.local_palettes

    plan = photo_fade()
    data, tables = encoded(plan)
    assert tables == sum(entries > 0 for entries, _ in image_blocks(data)) > 0
    monkeypatch.setattr(gif, "_LOCAL_GAIN", 0.0)  # no photo table (error > 0) pays for itself now
    # ... and a fade's refreshes take the error rule too (they otherwise get a table for its bytes)
    monkeypatch.setattr(gif, "_REFRESH_LOCAL_SHARE", math.inf)
    data, tables = encoded(plan)
    assert tables == 0 and all(entries == 0 for entries, _ in image_blocks(data))
    want, got = references(plan), list(shown(data, plan.durations()))
    assert len(got) == len(want)
    assert min(psnr(w, g) for w, g in zip(want, got, strict=True)) >= 30


def test_colour_distances_ignore_alpha_and_match_the_channel_arithmetic() -> None:
    from imagegen.export import gif
    from imagegen.export.palette import GifPalette

    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 2**32, 5000, dtype=np.uint32), rng.integers(0, 2**32, 5000, dtype=np.uint32)
    wanted = ((a.view(np.uint8).reshape(-1, 4)[:, :3].astype(int) - b.view(np.uint8).reshape(-1, 4)[:, :3]) ** 2).sum(1)
    assert np.array_equal(gif._distance(a, b), wanted)

    encoder = gif.GifEncoder(io.BytesIO(), (4, 4), GifPalette.from_colors(np.array([[100, 100, 100]], np.uint8)))
    index = np.zeros(2, np.uint8)
    for level, far in ((100 + FAR_LEVELS, False), (101 + FAR_LEVELS, True), (100 - FAR_LEVELS - 1, True)):
        words = np.array([[100, 100, 100, 255], [100, level, 100, 7]], np.uint8).view(np.uint32)[:, 0]
        assert encoder._far_off(index, words) is far, level
    encoder.abandon()

"""Rendering ahead and compressing GIF frames in threads: same frames, same bytes, errors and
cancellation in the caller's thread, no thread left behind."""

from __future__ import annotations

import io
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from PIL import Image
from test_gif_quality import logo, photo, photo_fade
from test_render_fuzz import IMAGES, scenes

from imagegen.errors import RenderCancelled
from imagegen.export import OutputFormat, export, gif
from imagegen.export.ahead import rendered_ahead
from imagegen.export.gif import write_gif
from imagegen.export.lzw import OrderedWriter, image_data
from imagegen.export.palette import GifPalette
from imagegen.render import prepare


@dataclass
class _Frame:
    image: np.ndarray
    duration_ms: int
    dirty: tuple[int, int, int, int] | None


def reused_buffer_frames(count: int, *, fail_at: int | None = None) -> Iterator[_Frame]:
    """Frames whose pixels all equal their index, drawn into one reused buffer (as the renderer does)."""
    buffer = np.zeros((6, 5, 4), np.uint8)
    for index in range(count):
        if index == fail_at:
            raise ValueError(f"frame {index} cannot be drawn")
        buffer[:] = index
        yield _Frame(buffer, 40 + index, None)


def moving_square(index: int) -> np.ndarray:
    """Frame ``index`` of a 4x4 square stepping across a 12x40 gradient (held still on frames 5-7)."""
    frame = np.zeros((12, 40, 4), np.uint8)
    frame[..., 0] = np.arange(40, dtype=np.uint8) * 5
    step = min(index, 5) if index < 8 else index - 3
    frame[4:8, 2 * step : 2 * step + 4] = (255, 255, 0, 255)
    return frame


def square_frames(count: int) -> Iterator[_Frame]:
    """:func:`moving_square` drawn into one reused buffer with honest dirty boxes: the first None, a held
    frame the empty box, a moved one the old and new squares' box (only that part is redrawn)."""
    buffer = moving_square(0)
    yield _Frame(buffer, 40, None)
    for index in range(1, count):
        new = moving_square(index)
        changed = np.flatnonzero((new != buffer).any(axis=(0, 2)))
        box = (0, 0, 0, 0) if not len(changed) else (int(changed[0]), 4, int(changed[-1]) + 1, 8)
        left, top, right, bottom = box
        buffer[top:bottom, left:right] = new[top:bottom, left:right]
        yield _Frame(buffer, 40, box)


def ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("imagegen-render-ahead")]


def test_frames_rendered_ahead_are_the_frames_in_order_though_the_producer_reuses_its_buffer() -> None:
    seen = [
        (frame.index, int(frame.image.min()), int(frame.image.max()), frame.duration_ms, frame.dirty)
        for frame in rendered_ahead(reused_buffer_frames(9), 9)
    ]
    assert seen == [(i, i, i, 40 + i, None) for i in range(9)]
    assert not ahead_threads()


def test_buffers_refreshed_from_the_dirty_boxes_hold_every_frame_exactly() -> None:
    """Only what changed since a buffer's last frame is copied into it: moves, holds and the first frame."""
    for frame in rendered_ahead(square_frames(16), 16):
        assert np.array_equal(frame.image, moving_square(frame.index)), frame.index


def test_progress_is_reported_in_the_callers_thread_as_each_frame_is_handed_over() -> None:
    calls: list[tuple[int, int, str]] = []
    for _ in rendered_ahead(
        reused_buffer_frames(4),
        4,
        progress=lambda done, total: calls.append((done, total, threading.current_thread().name)),
    ):
        pass
    me = threading.current_thread().name
    assert calls == [(1, 4, me), (2, 4, me), (3, 4, me), (4, 4, me)]


def test_cancel_stops_with_the_number_of_frames_handed_over_and_the_thread_ends() -> None:
    taken: list[int] = []
    with pytest.raises(RenderCancelled, match="after 3 of 20 frames"):
        for frame in rendered_ahead(reused_buffer_frames(20), 20, cancel=lambda: len(taken) == 3):
            taken.append(frame.index)
    assert taken == [0, 1, 2]
    assert not ahead_threads()


def test_a_frame_that_fails_to_render_raises_in_the_callers_thread_after_the_good_ones() -> None:
    taken: list[int] = []
    with pytest.raises(ValueError, match="frame 5 cannot be drawn"):
        for frame in rendered_ahead(reused_buffer_frames(9, fail_at=5), 9):
            taken.append(frame.index)
    assert taken == [0, 1, 2, 3, 4]
    assert not ahead_threads()


def test_a_consumer_that_stops_early_leaves_no_thread_waiting() -> None:
    frames = rendered_ahead(reused_buffer_frames(50), 50)
    assert next(frames).index == 0
    frames.close()
    assert not ahead_threads()


@pytest.mark.parametrize("bits", [2, 4, 8])
def test_image_data_compressed_through_a_file_matches_compressing_in_memory(bits: int) -> None:
    rng = np.random.default_rng(bits)
    indices = rng.integers(0, 2**bits, (37, 53), dtype=np.uint8)
    with tempfile.TemporaryFile(buffering=0) as scratch:
        assert image_data(indices, bits, scratch) == image_data(indices, bits)
        assert image_data(indices[:5], bits, scratch) == image_data(indices[:5], bits)  # reused: shorter


def test_the_ordered_writer_writes_chunks_and_frames_in_the_order_given() -> None:
    out = io.BytesIO()
    writer = OrderedWriter(out)
    frames = [np.full((8, 8), i, np.uint8) for i in range(5)]
    expected = b""
    for i, frame in enumerate(frames):
        writer.write(bytes([i]) * 3)
        head = b"head" * (i % 2)  # a frame's own bytes before its image data (made in the worker too)
        writer.write_frame(lambda f=frame, h=head: (h, f, 4))
        expected += bytes([i]) * 3 + head + image_data(frame, 4)
    writer.write(b";")
    writer.close()
    assert out.getvalue() == expected + b";"


def test_a_failure_while_compressing_is_raised_by_close() -> None:
    writer = OrderedWriter(io.BytesIO())

    def broken() -> tuple[bytes, np.ndarray, int]:
        raise MemoryError("no room for the patch")

    writer.write_frame(broken)
    with pytest.raises(MemoryError, match="no room"):
        writer.close()


def test_an_exported_gif_is_the_frames_encoded_in_one_thread(tmp_path) -> None:
    """Through export (rendered ahead, LZW in a thread) the GIF is byte for byte the frames' GIF."""
    plan = photo_fade()
    threaded = export(plan, tmp_path / "out.gif", OutputFormat.GIF).read_bytes()
    frames = [_Frame(f.image.copy(), f.duration_ms, f.dirty) for f in plan.frames()]
    direct = io.BytesIO()
    sources = plan.palette_sources()  # the static base first, as export passes it (a photo: dithered once)
    write_gif(frames, direct, palette_sources=sources, base=sources[0])
    assert threaded == direct.getvalue()
    with Image.open(io.BytesIO(threaded)) as gif:
        assert gif.n_frames == len(frames)
    assert not ahead_threads()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scene=scenes)
def test_random_scenes_rendered_ahead_are_exactly_what_a_full_render_draws(scene) -> None:
    plan = prepare(scene, IMAGES)
    times = plan.times()
    for frame in rendered_ahead(plan.frames(), plan.frame_count):
        assert np.array_equal(frame.image, np.asarray(plan.image_at(times[frame.index]))), frame.index


def mixed_fades() -> list[np.ndarray]:
    """A flat logo fading in over flat blue (local tables of few colours: known to be needed before
    they are built), then a photo fading in over everything (photo tables: built to be compared with
    the global palette), then the logo fading out over the photo."""
    side = 160
    blue = np.zeros((side, side, 4), np.uint8)
    blue[:] = (28, 62, 120, 255)
    mark = np.asarray(logo(120), np.float32)
    alpha = np.zeros((side, side, 1), np.float32)
    colours = np.zeros((side, side, 3), np.float32)
    alpha[20:140, 20:140], colours[20:140, 20:140] = mark[..., 3:] / 255, mark[..., :3]
    backdrop = np.asarray(photo(side, 5).convert("RGBA"), np.float32)

    def over(under: np.ndarray, opacity: float) -> np.ndarray:
        blended = under.astype(np.float32)
        blended[..., :3] += (colours - blended[..., :3]) * alpha * opacity
        return np.rint(blended).astype(np.uint8)

    logo_in = [over(blue, step / 12) for step in range(13)]
    shown = logo_in[-1].astype(np.float32)
    photo_in = [np.rint(shown + (backdrop - shown) * step / 12).astype(np.uint8) for step in range(1, 13)]
    logo_out = [over(photo_in[-1], step / 12) for step in range(1, 13)]
    return logo_in + photo_in + logo_out


def encode_frames(frames: list[np.ndarray]) -> bytes:
    out = io.BytesIO()
    write_gif((_Frame(frame, 40, None) for frame in frames), out, palette_sources=[frames[0]])
    return out.getvalue()


def test_local_tables_built_in_the_compressing_thread_give_the_gif_built_at_once(monkeypatch) -> None:
    """Local tables are built later, in the compressing thread (small ones for the flat logo's steps,
    full ones judged against the global palette for the photo's): the file must be the one built
    with every table made at once, on the encoder's thread."""
    frames = mixed_fades()
    builders: list[str] = []
    local_palette = gif.GifEncoder._local_palette

    def recorded(self, sample):
        builders.append(threading.current_thread().name)
        return local_palette(self, sample)

    monkeypatch.setattr(gif.GifEncoder, "_local_palette", recorded)
    later = encode_frames(frames)
    assert builders and all(name.startswith("imagegen-gif-lzw") for name in builders), builders

    class AtOnce(gif._LocalTable):
        def __init__(self, build, after, global_error) -> None:
            super().__init__(build, after, global_error)
            self.built()

    builders.clear()
    monkeypatch.setattr(gif, "_LocalTable", AtOnce)
    at_once = encode_frames(frames)
    assert not any(name.startswith("imagegen-gif-lzw") for name in builders)
    assert later == at_once
    with Image.open(io.BytesIO(later)) as decoded:
        assert decoded.n_frames == len(frames)


def test_local_tables_are_built_in_frame_order_whoever_asks_first() -> None:
    """The size of one frame's table is where the next frame's search starts, so a table asked for
    out of order first builds the tables before it."""
    order: list[int] = []
    palette = GifPalette.from_colors(np.array([[1, 2, 3]], np.uint8))
    tables: list[gif._LocalTable] = []
    for number in range(4):
        after = tables[-1] if tables else None
        tables.append(gif._LocalTable(lambda n=number: (order.append(n) or palette, float(n)), after, 2.0))
    assert tables[2].built() == (palette, 2.0)
    assert order == [0, 1, 2]
    assert tables[1].chosen() is palette and tables[3].built()[1] == 3.0
    assert tables[3].chosen() is None  # error 3 > 0.8 x the global 2: the global colours draw it
    assert order == [0, 1, 2, 3]  # each built once

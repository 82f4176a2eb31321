"""Render the next frames in a thread while the encoder works on the current one.

Most of a frame's rendering (Pillow's paste, numpy copies) and much of its encoding run in C with the
GIL released, so on two cores they overlap: the animation is ready in about the time of the slower of
the two instead of their sum. Memory stays flat: the renderer is at most two frames ahead (one for
frames larger than 1920x1080), each held in a reused buffer.

``progress`` and ``cancel`` are called in the consumer's thread (Streamlit's widgets can only be
updated from the script's thread), as each frame is handed over.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from imagegen.errors import RenderCancelled
from imagegen.export.boxes import Box, union

_POLL_S = 0.1  # how often a blocked producer checks whether the consumer has gone
_AHEAD_BYTES = 1920 * 1080 * 4 * 2  # frames held ahead at most (a 4096x4096 canvas: one frame, 64 MB)


class _Frame(Protocol):
    @property
    def image(self) -> np.ndarray: ...

    @property
    def duration_ms(self) -> int: ...

    @property
    def dirty(self) -> Box | None: ...


@dataclass(frozen=True)
class AheadFrame:
    """A frame handed over by :func:`rendered_ahead`; ``image`` is valid until the next one is taken."""

    index: int
    image: np.ndarray
    duration_ms: int
    dirty: Box | None


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def rendered_ahead(
    frames: Iterator[_Frame],
    total: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Iterator[AheadFrame]:
    """``frames`` (whose images the producer may reuse) produced in a thread, one or two ahead.

    :param total: how many frames there are, for ``progress``.
    :raise RenderCancelled: when ``cancel`` returns True before a frame is handed over.
    """
    free: queue.Queue[np.ndarray | None] = queue.Queue()
    ready: queue.Queue[object] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        held: dict[int, int] = {}  # id of a buffer -> the frame it holds
        dirty: list[Box | None] = []  # each frame's changed box
        try:
            for index, frame in enumerate(frames):
                dirty.append(frame.dirty)
                if index == 0:  # one buffer held by the consumer, the others filled ahead
                    ahead = max(1, min(2, _AHEAD_BYTES // max(1, frame.image.nbytes)))
                    for _ in range(ahead + 1):
                        free.put(np.empty_like(frame.image))
                slot = _take(free, stop)
                if slot is None:
                    return
                _refresh(slot, frame.image, dirty, held.get(id(slot)))
                held[id(slot)] = index
                ready.put(AheadFrame(index, slot, frame.duration_ms, frame.dirty))
            ready.put(_DONE)
        except BaseException as error:
            ready.put(_Failed(error))

    worker = threading.Thread(target=produce, name="imagegen-render-ahead", daemon=True)
    worker.start()
    held: np.ndarray | None = None
    done = 0
    try:
        while True:
            if cancel is not None and cancel():
                raise RenderCancelled(f"Rendering was cancelled after {done} of {total} frames.")
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            assert isinstance(item, AheadFrame)
            if held is not None:
                free.put(held)
            held = item.image
            done = item.index + 1
            yield item
            if progress is not None:
                progress(done, total)
    finally:
        stop.set()
        free.put(None)  # wakes a producer waiting for a buffer
        worker.join()


def _refresh(slot: np.ndarray, image: np.ndarray, dirty: list[Box | None], holds: int | None) -> None:
    """Make ``slot`` (holding frame ``holds``, or nothing) a copy of ``image`` (the last of ``dirty``):
    only the boxes changed since then are copied, so a logo sliding over a 4K photo copies the logo."""
    box: Box | None = None
    if holds is not None:
        for changed in dirty[holds + 1 :]:
            if changed is None:
                box = None
                break
            if changed[0] < changed[2] and changed[1] < changed[3]:  # not an empty box (a repeated frame)
                box = union(box, changed)
        else:
            if box is None:
                return  # nothing changed since
    if holds is None or box is None:
        np.copyto(slot, image)
        return
    left, top, right, bottom = box
    slot[top:bottom, left:right] = image[top:bottom, left:right]


def _take(free: queue.Queue[np.ndarray | None], stop: threading.Event) -> np.ndarray | None:
    """A free buffer, or None once the consumer has stopped."""
    while not stop.is_set():
        try:
            return free.get(timeout=_POLL_S)
        except queue.Empty:
            continue
    return None

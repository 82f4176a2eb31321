"""Render the next frames in a thread while the encoder works on the current one.

Most of a frame's rendering (Pillow's paste, numpy copies) and much of its encoding run in C with the
GIL released, so on two cores they overlap: the animation is ready in about the time of the slower of
the two instead of their sum. Memory stays flat: the renderer is at most ``depth`` frames ahead, each
held in one of ``depth + 1`` reused buffers.

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
from imagegen.export.boxes import Box

_POLL_S = 0.1  # how often a blocked producer checks whether the consumer has gone


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
    depth: int = 2,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Iterator[AheadFrame]:
    """``frames`` (whose images the producer may reuse) produced in a thread up to ``depth`` ahead.

    :param total: how many frames there are, for ``progress``.
    :raise RenderCancelled: when ``cancel`` returns True before a frame is handed over.
    """
    free: queue.Queue[np.ndarray | None] = queue.Queue()
    ready: queue.Queue[object] = queue.Queue()
    stop = threading.Event()
    slots = depth + 1  # one held by the consumer, ``depth`` filled ahead

    def produce() -> None:
        try:
            for index, frame in enumerate(frames):
                slot = _take(free, stop)
                if slot is None:
                    return
                if slot.shape != frame.image.shape:
                    slot = np.empty_like(frame.image)
                np.copyto(slot, frame.image)
                ready.put(AheadFrame(index, slot, frame.duration_ms, frame.dirty))
            ready.put(_DONE)
        except BaseException as error:
            ready.put(_Failed(error))

    for _ in range(slots):
        free.put(np.empty((0, 0, 4), np.uint8))
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


def _take(free: queue.Queue[np.ndarray | None], stop: threading.Event) -> np.ndarray | None:
    """A free buffer, or None once the consumer has stopped."""
    while not stop.is_set():
        try:
            return free.get(timeout=_POLL_S)
        except queue.Empty:
            continue
    return None

"""A first-come, first-served queue that lets at most ``slots`` renders run at once (one per core).

Renders are CPU-bound: sixteen at once on two cores all finish late together, and hold sixteen renders'
memory at the same time. With the queue, a render waits its turn in arrival order and is told how many
renders are ahead of it; latency grows with the position in line and peak memory stays bounded.

Usable without Streamlit: ``with queue.turn(on_wait=...)`` blocks the calling thread until it may render.
:func:`shared_queue` is the process's one queue: the app's pages and the HTTP API wait in the same line, so
neither can take the cores from the other.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from imagegen.errors import BusyError

log = logging.getLogger(__name__)

OnWait = Callable[[int], None]


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None


_malloc_trim = _load_malloc_trim()


def trim_heap() -> None:
    """Give freed heap pages back to the OS.

    A render allocates and frees tens of MB of frame buffers; glibc keeps freed pages in the arena of the
    thread that used them (one per script thread), so without this the server's RSS only ever grows.
    """
    if _malloc_trim is not None:
        _malloc_trim(0)


def default_slots() -> int:
    """The cores this process may use (the affinity mask, not the host's count, where the OS knows it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class RenderQueue:
    """At most ``slots`` turns at once; the others wait in arrival order.

    :param slots: renders allowed at the same time (default: the cores this process may use).
    :param poll_s: how often a waiting render calls ``on_wait`` again even when its position is the same
        (so a caller can notice that its user left, e.g. Streamlit raises when a stopped script calls st.*).
    """

    def __init__(self, slots: int | None = None, *, poll_s: float = 0.5) -> None:
        self.slots = slots if slots is not None else default_slots()
        if self.slots < 1:
            raise ValueError(f"slots must be at least 1, not {self.slots}")
        self.poll_s = poll_s
        self._changed = threading.Condition()
        self._waiting: deque[int] = deque()
        self._running = 0
        self._tickets = itertools.count()

    @property
    def running(self) -> int:
        with self._changed:
            return self._running

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    @contextmanager
    def turn(self, on_wait: OnWait | None = None, *, max_waiting: int | None = None) -> Iterator[None]:
        """Wait for a free slot in arrival order, then hold it for the ``with`` block.

        :param on_wait: called in the waiting thread with the number of renders ahead, when that number
            changes and every ``poll_s`` while waiting; never called when a slot is free at once. If it
            raises, the render leaves the line and the exception propagates.
        :param max_waiting: refuse at once, rather than queue, when no slot is free and this many renders
            are waiting already (a caller that can ask again later, e.g. an HTTP client).
        :raise BusyError: with ``max_waiting``, when the line is that long; the queue is unchanged.
        """
        with self._changed:
            busy = self._running >= self.slots or bool(self._waiting)
            if max_waiting is not None and busy and len(self._waiting) >= max_waiting:
                raise BusyError(
                    f"The renderer is busy ({self._running} rendering, {len(self._waiting)} waiting);"
                    " nothing was started — try again in a few seconds."
                )
            ticket = next(self._tickets)
            self._waiting.append(ticket)
        try:
            self._wait_for_slot(ticket, on_wait)
        except BaseException:
            with self._changed:
                self._waiting.remove(ticket)
                self._changed.notify_all()
            raise
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                idle = self._running == 0 and not self._waiting
                self._changed.notify_all()
            if idle:
                trim_heap()

    def _wait_for_slot(self, ticket: int, on_wait: OnWait | None) -> None:
        while True:
            with self._changed:
                if self._running < self.slots and self._waiting[0] == ticket:
                    self._waiting.popleft()
                    self._running += 1
                    self._changed.notify_all()  # the next in line may fit in another free slot
                    return
                ahead = self._running + self._waiting.index(ticket)
            if on_wait is not None:
                on_wait(ahead)  # outside the lock: the caller may do slow work (draw a status)
            with self._changed:
                if self._running + self._waiting.index(ticket) == ahead:
                    self._changed.wait(self.poll_s)


_shared: RenderQueue | None = None
_shared_guard = threading.Lock()


def shared_queue() -> RenderQueue:
    """The one queue of this process (one slot per core), made on first use; every caller that renders
    for a person or a client (the app's pages, the HTTP API) takes its turn here."""
    global _shared
    with _shared_guard:
        if _shared is None:
            _shared = RenderQueue()
        return _shared

"""The C allocator's settings for a process that renders: freed temporaries are kept for the next frame.

Every numpy array above 128 kB comes from glibc's ``malloc``. By default glibc serves such blocks with
``mmap`` and unmaps them on ``free``, or trims the top of its heap once 128 kB there are free; its
dynamic thresholds do not stay above a frame's temporaries once large and small blocks alternate. So
each frame's temporaries (a band of byte differences, a tile map, a copy of the changed box) were
handed back to the kernel and page-faulted in again, zeroed, on the next frame: 40,000 minor page
faults for a 2-second photo fade's encoding when this was added, 8-15 % of its time; later changes made
fewer temporaries, and the difference shrank to ~5,000 faults (``benchmarks/README.md``).

:func:`keep_freed_memory` raises both thresholds to 32 MB, once per process: a block freed below that
size stays in the heap for the next frame's arrays. Peak RSS rises by 6-8 MB on the quality benchmark's
scenes; at most 32 MB of freed heap top is kept. Blocks of 32 MB and more (a 4096x4096 frame) still
come from ``mmap`` and go back when freed. Where the C library is not glibc (macOS, Windows, musl), or
the environment already sets either threshold (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``),
nothing changes.

That 32 MB is kept per arena. glibc gives new threads arenas of their own, up to 8 per core, and a
thread arena's free top goes back to the kernel only when a free in that arena leaves more than the
threshold on top: ``malloc_trim`` returns the main arena's top and the free pages inside every arena,
never a thread arena's top. A server that renders in a new thread per request (Streamlit runs every
script run in one) would keep up to 32 MB in each of 16 arenas on 2 cores, long after its users left.
So the arenas are capped at :data:`ARENAS` too (unless ``MALLOC_ARENA_MAX`` is set): threads share them.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
#: The main arena plus one that every other thread shares: with the GIL, threads rarely malloc at once.
ARENAS = 2
KEPT_BYTES = 32 * 1024 * 1024  # glibc's largest mmap threshold on 64-bit (HEAP_MAX_SIZE / 2)
_ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")

_configured: bool | None = None  # None: not tried yet; else whether the thresholds were set


def keep_freed_memory() -> bool:
    """Keep freed blocks below :data:`KEPT_BYTES` in the heap (see the module docs); True when set.

    Idempotent: the first call decides for the process.
    """
    global _configured
    if _configured is None:
        _configured = _set_thresholds()
    return _configured


def _set_thresholds() -> bool:
    if not sys.platform.startswith("linux") or any(name in os.environ for name in _ENVIRONMENT):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt  # glibc; musl has none
        gnu_version = libc.gnu_get_libc_version
    except (OSError, AttributeError):
        return False
    gnu_version.restype = ctypes.c_char_p
    done = mallopt(_M_MMAP_THRESHOLD, KEPT_BYTES) == 1 and mallopt(_M_TRIM_THRESHOLD, KEPT_BYTES) == 1
    if done and "MALLOC_ARENA_MAX" not in os.environ:
        done = mallopt(_M_ARENA_MAX, ARENAS) == 1  # bounds how many arenas keep KEPT_BYTES each
    log.debug("glibc %s: freed blocks below %d bytes kept: %s", gnu_version().decode(), KEPT_BYTES, done)
    return done

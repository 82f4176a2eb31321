"""The allocator keeps freed per-frame temporaries (imagegen.render.memory): no page faults for a reused size."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from imagegen.render.memory import KEPT_BYTES

# Allocate, fill and free a 1 MB array 50 times after importing the renderer; print the minor page
# faults that took. Returning the block to the kernel costs 256 faults a time (4 kB pages).
_LOOP = """
import resource
import numpy as np
import imagegen.render
import imagegen.render.memory
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    block = np.ones(1 << 20, np.uint8)
    del block
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, imagegen.render.memory.keep_freed_memory())
"""


def _faults(environment: dict[str, str]) -> tuple[int, bool]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | environment
    done = subprocess.run([sys.executable, "-c", _LOOP], capture_output=True, text=True, env=env, check=True)
    faults, configured = done.stdout.split()
    return int(faults), configured == "True"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_a_rendering_process_reuses_freed_blocks_without_page_faults() -> None:
    faults, configured = _faults({})
    assert configured
    assert faults < 256  # at most the first allocation faults its pages in


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_thresholds_set_in_the_environment_are_left_alone() -> None:
    # glibc's own default threshold (128 kB), set explicitly: the user's choice wins, and each 1 MB
    # block goes back to the kernel when freed (what the renderer did before imagegen.render.memory)
    faults, configured = _faults({"MALLOC_MMAP_THRESHOLD_": str(128 * 1024)})
    assert not configured
    assert faults >= 50 * 200


# Twelve threads each hold a 24 MB block at the same time (so glibc would give each an arena of its own),
# then free it and end; print how many MB of the 288 MB are still resident after malloc_trim, and after
# the server's release (imagegen.ui.memory).
_THREADS = """
import threading
import numpy as np
import imagegen.render
from imagegen.service.queue import trim_heap
from imagegen.ui.memory import release_heap

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

before = rss_mb()
held = threading.Barrier(12)

def work():
    block = np.ones(24 << 20, np.uint8)
    held.wait()
    del block

threads = [threading.Thread(target=work) for _ in range(12)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
trim_heap()
trimmed = rss_mb() - before
release_heap()
print(round(trimmed), round(rss_mb() - before))
"""


def _kept_after_threads(environment: dict[str, str]) -> tuple[int, int]:
    """MB still resident after malloc_trim, and after release_heap."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | environment
    done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True, env=env, check=True)
    trimmed, released = done.stdout.split()
    return int(trimmed), int(released)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_memory_freed_by_ended_threads_goes_back_to_the_kernel() -> None:
    # Each thread arena may keep a free top of up to KEPT_BYTES that malloc_trim cannot return; with
    # the arenas capped, one such top at most is kept, not one per thread (24 MB each).
    trimmed, released = _kept_after_threads({})
    assert trimmed <= KEPT_BYTES / 2**20 + 8
    assert released <= 16


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_the_server_returns_the_free_tops_of_thread_arenas() -> None:
    # With an arena per thread (a cap set in the environment wins, as would one set too late), most
    # threads' blocks stay after malloc_trim; the release returns them.
    trimmed, released = _kept_after_threads({"MALLOC_ARENA_MAX": "64"})
    assert trimmed >= 80
    assert released <= 16


def test_tabs_closing_together_trim_the_heap_once_after_the_last(monkeypatch: pytest.MonkeyPatch) -> None:
    from imagegen.ui import memory as ui_memory

    trims: list[int] = []
    monkeypatch.setattr(ui_memory, "release_heap", lambda: trims.append(1))
    first = ui_memory.trim_soon(after_s=30)
    last = ui_memory.trim_soon(after_s=0.01)  # a second disconnect restarts the wait
    last.join(10)
    first.join(10)
    assert not first.is_alive() and not last.is_alive()
    assert trims == [1]

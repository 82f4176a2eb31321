"""The allocator keeps freed per-frame temporaries (imagegen.render.memory): no page faults for a reused size."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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

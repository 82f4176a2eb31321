"""What a browser session leaves in the server's memory, released when it is no longer needed.

Streamlit 1.67 keeps a closed tab's session for reconnection (2 minutes, up to 128 of them) and then
drops it WITHOUT shutting it down: the files it registered (previews, download bytes) stay referenced
by its id in the media file manager, and its uploads stay in the upload manager, for the life of the
process (issue 16: RSS grew with every round of users and never came down). So:

* uploads leave Streamlit's memory as soon as they are copied into the engine session (``release_uploads``);
* when the tab disconnects, a session-scoped resource's release hook drops that session's media
  references and uploads (``watch_session``), as Streamlit's own shutdown would;
* after a render's turn and after a disconnect (once a burst of them is over), the freed heap goes back
  to the kernel (``trim_soon``, ``release_heap``): glibc keeps it per thread arena otherwise.

The first two reach into Streamlit's runtime (there is no public API for either); if that changes, they
log and do nothing rather than break a page.

``malloc_trim`` returns the main arena's free top and the free pages inside every arena, but never the
free top of a thread arena: glibc returns that only when a free in that arena leaves more than
``M_TRIM_THRESHOLD`` on top, and ``imagegen.render.memory`` raises the threshold to 32 MB so that a render
reuses its per-frame temporaries. Streamlit runs every script run in a new thread, glibc gives threads
that run at the same time arenas of their own (up to 8 per core), and a render leaves its arena's top at
up to 32 MB: after a burst of users, every arena a render used keeps that much, and nothing returns it.

An arena whose thread has ended waits on glibc's free list for the next new thread. :func:`release_heap`
starts threads that each take one such arena, allocate the largest block the arena serves (just under
the mmap threshold, which equals the trim threshold) and free it again: the top is then at the threshold,
and glibc returns it. ``malloc_trim`` returns the rest.

"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from imagegen.render.memory import KEPT_BYTES, keep_freed_memory
from imagegen.service.queue import default_slots, trim_heap

log = logging.getLogger(__name__)

# The allocator's settings (imagegen.render.memory) as soon as the app is first run, before the sessions' script
# threads multiply: glibc fixes how many arenas it may create once a ninth exists, and every script run
# is a thread of its own. ``app.py`` imports this module first.
keep_freed_memory()

#: Tabs often close together, and renders end one after another in a busy queue: one release after the
#: last of them.
TRIM_AFTER_S = 1.0
_trim_lock = threading.Lock()
_trim_timer: threading.Timer | None = None


def _script_context():  # type: ignore[no-untyped-def]
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    return get_script_run_ctx()


def release_uploads(files: Iterable[UploadedFile]) -> None:
    """Drop uploaded files from Streamlit's upload manager (we keep our own copy on disk)."""
    try:
        ctx = _script_context()
        if ctx is None:
            return
        for file in files:
            ctx.uploaded_file_mgr.remove_file(session_id=ctx.session_id, file_id=file.file_id)
    except Exception:  # a change in Streamlit's internals must not break uploading
        log.warning("could not release uploaded files", exc_info=True)


def _release_session(streamlit_session_id: str) -> None:
    """What ``AppSession.shutdown`` frees, for a session Streamlit may never shut down."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return
        instance = runtime.get_instance()
        instance.media_file_mgr.clear_session_refs(streamlit_session_id)
        instance.media_file_mgr.remove_orphaned_files()
        instance.uploaded_file_mgr.remove_session_files(streamlit_session_id)
        log.info("released the media and uploads of disconnected session %s", streamlit_session_id[:8])
    except Exception:
        log.warning("could not release session %s", streamlit_session_id[:8], exc_info=True)
    trim_soon()


def trim_soon(after_s: float = TRIM_AFTER_S) -> threading.Timer:
    """Give the freed heap back to the kernel ``after_s`` seconds after the last call (a later call
    restarts the wait), in a thread of its own: the release walks every arena, not a job for the event
    loop that the release hook runs on, nor for a script run."""
    global _trim_timer
    with _trim_lock:
        if _trim_timer is not None:
            _trim_timer.cancel()
        _trim_timer = threading.Timer(after_s, release_heap)
        _trim_timer.name = "imagegen-trim"
        _trim_timer.daemon = True
        _trim_timer.start()
        return _trim_timer


@st.cache_resource(scope="session", on_release=_release_session, show_spinner=False)
def _session_guard(streamlit_session_id: str) -> str:
    return streamlit_session_id


def watch_session() -> None:
    """Arrange for this browser session's media and uploads to be freed when it disconnects."""
    ctx = _script_context()
    if ctx is not None:
        _session_guard(ctx.session_id)


#: glibc's default arena limit on 64-bit (8 per core), bounded: one thread per arena that may be free.
ARENA_LIMIT = min(8 * default_slots(), 64)
#: Just under the mmap threshold, so the arena serves it (from its top, grown if need be); freed, it
#: leaves a top of at least the trim threshold, whatever the top was before.
BLOCK_BYTES = KEPT_BYTES - 64
_HOLD_S = 10.0  # how long a thread keeps its arena for the others to take theirs (each takes microseconds)
_release_lock = threading.Lock()


def _load() -> tuple[Callable[[int], Any], Callable[[Any], None]] | None:
    try:
        libc = ctypes.CDLL(None)
        malloc, free, _ = libc.malloc, libc.free, libc.gnu_get_libc_version  # glibc only
    except (OSError, AttributeError):
        return None
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    free.restype, free.argtypes = None, [ctypes.c_void_p]
    return malloc, free


_ALLOCATOR = _load()


def release_heap() -> None:
    """Return the free tops of the arenas no thread holds, then every other free page (``malloc_trim``).

    Blocks the calling thread for the few milliseconds that takes; one release runs at a time.
    """
    if _ALLOCATOR is None or not keep_freed_memory():  # glibc returns free tops above its own threshold
        trim_heap()
        return
    with _release_lock:
        everyone = threading.Barrier(ARENA_LIMIT)
        threads = [
            threading.Thread(target=_release_top, args=(everyone,), name="imagegen-heap", daemon=True)
            for _ in range(ARENA_LIMIT)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        trim_heap()


def _release_top(everyone: threading.Barrier) -> None:
    """In a new thread, so in a free arena if there is one: raise its top above the threshold, so the free
    returns it; then hold the arena until every other thread has one (an ended thread's arena would go
    to the next thread started)."""
    assert _ALLOCATOR is not None
    malloc, free = _ALLOCATOR
    block = malloc(BLOCK_BYTES)  # address space only: its pages are never touched
    if block:
        free(block)
    try:
        everyone.wait(_HOLD_S)
    except threading.BrokenBarrierError:
        log.debug("an arena release thread did not start in time")

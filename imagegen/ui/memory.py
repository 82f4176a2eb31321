"""What a browser session leaves in the server's memory, released when it is no longer needed.

Streamlit 1.67 keeps a closed tab's session for reconnection (2 minutes, up to 128 of them) and then
drops it WITHOUT shutting it down: the files it registered (previews, download bytes) stay referenced
by its id in the media file manager, and its uploads stay in the upload manager, for the life of the
process (issue 16: RSS grew with every round of users and never came down). So:

* uploads leave Streamlit's memory as soon as they are copied into the engine session (``release_uploads``);
* when the tab disconnects, a session-scoped resource's release hook drops that session's media
  references and uploads (``watch_session``), as Streamlit's own shutdown would.

Both reach into Streamlit's runtime (there is no public API for either); if that changes, they log and
do nothing rather than break a page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

log = logging.getLogger(__name__)


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


@st.cache_resource(scope="session", on_release=_release_session, show_spinner=False)
def _session_guard(streamlit_session_id: str) -> str:
    return streamlit_session_id


def watch_session() -> None:
    """Arrange for this browser session's media and uploads to be freed when it disconnects."""
    ctx = _script_context()
    if ctx is not None:
        _session_guard(ctx.session_id)

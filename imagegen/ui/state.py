"""Glue between Streamlit's per-browser state and the engine's session store.

The engine session id lives in ``st.session_state`` and in the URL (``?s=<id>``) so a page refresh
re-attaches to the same session while it lives.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from imagegen.errors import SessionError
from imagegen.service.queue import RenderQueue, shared_queue
from imagegen.store.session import Session, SessionStore
from imagegen.store.session import start_sweeper as start_store_sweeper

log = logging.getLogger(__name__)

SESSION_KEY = "imagegen_session_id"
NOTICE_KEY = "imagegen_notice"
QUERY_KEY = "s"
SWEEP_EVERY_S = 60.0


@st.cache_resource
def store() -> SessionStore:
    """One store per process (root from ``IMAGEGEN_DATA_DIR`` or the temp dir)."""
    return SessionStore()


def render_queue() -> RenderQueue:
    """The process's one queue (shared with the HTTP API when both run in one process): at most one
    render per core, the others wait their turn in arrival order."""
    return shared_queue()


@st.cache_resource
def start_sweeper() -> threading.Thread:
    """Start the TTL sweeper once per process. It never calls ``st.*``."""
    return start_store_sweeper(store(), SWEEP_EVERY_S)


@st.cache_resource
def check_fonts_once() -> tuple[str, ...]:
    """At start-up, log what text rendering lacks (no shaping, a missing font); once per process."""
    from imagegen.render.fonts import startup_warnings

    problems = tuple(startup_warnings())
    for problem in problems:
        log.warning("text: %s", problem)
    return problems


def current_session() -> Session:
    """This browser's engine session: from state, else from the URL, else a new one (with a notice)."""
    sessions = store()
    session_id = st.session_state.get(SESSION_KEY) or st.query_params.get(QUERY_KEY)
    session: Session | None = None
    if session_id:
        try:
            session = sessions.open(session_id)
        except SessionError as exc:
            st.session_state[NOTICE_KEY] = f"{exc} A new session was started."
    if session is None:
        session = sessions.create()
    st.session_state[SESSION_KEY] = session.id
    if st.query_params.get(QUERY_KEY) != session.id:
        st.query_params[QUERY_KEY] = session.id
    return session


def new_session() -> Session:
    """Delete this browser's session and everything in it, and start an empty one."""
    old = st.session_state.pop(SESSION_KEY, None)
    if old:
        try:
            store().delete(old)
        except SessionError:
            log.info("session %s was already gone", old[:8])
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    session = store().create()
    st.session_state[SESSION_KEY] = session.id
    st.query_params[QUERY_KEY] = session.id
    return session


def show_notice() -> None:
    """Show (once) a notice left by an earlier step, e.g. an expired session.

    Always one container, shown or not: an element that comes and goes above the widgets would move them, and
    while a long run (a render) goes on the browser keeps the moved widget's old copy too (two "Prompt" boxes).
    """
    box = st.container()
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        box.info(notice, icon=":material/info:")


_FLASH_KEY = "imagegen_flash"


def flash(page: str, *messages: tuple[str, str]) -> None:
    """Report the outcome of an action on ``page`` as ``(kind, text)`` pairs ("success", "error", "info").

    The report survives reruns (uploads rerun to clear the uploader, and widgets rerun on mount) and is
    replaced by the page's next report.
    """
    st.session_state[f"{_FLASH_KEY}_{page}"] = list(messages)


def show_flashes(page: str) -> None:
    for kind, message in st.session_state.get(f"{_FLASH_KEY}_{page}", []):
        getattr(st, kind)(message)

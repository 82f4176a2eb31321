"""The sidebar: what this session holds, when it expires, and a way to start over."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from imagegen.files import format_bytes
from imagegen.store.session import Session
from imagegen.ui import state

_CONFIRM_KEY = "sidebar_confirm_reset"
SHARING_WARNING = (
    ":material/link: Anyone who has this page's link can see, download and change everything in this"
    " session — share it only with people you would hand the files to."
)


def show(session: Session) -> None:
    info = session.info()
    with st.sidebar:
        st.caption("Your session")
        st.markdown(
            f"**{info.assets}** image{'s' * (info.assets != 1)} · **{info.outputs}**"
            f" output{'s' * (info.outputs != 1)} · {format_bytes(info.bytes_used)}"
        )
        expires = datetime.fromtimestamp(info.expires_at).strftime("%H:%M")
        st.caption(f"Session `{info.short_id}` · kept until {expires} if idle. Bookmark this page's link to come back.")
        st.caption(SHARING_WARNING)
        reset_controls()


def _ask(value: bool) -> None:
    st.session_state[_CONFIRM_KEY] = value


def reset_controls() -> None:
    """ "New session" asks once before deleting everything."""
    if not st.session_state.get(_CONFIRM_KEY):
        st.button("New session", key="sidebar_reset", icon=":material/restart_alt:", on_click=_ask, args=(True,))
        return
    st.warning("Delete all images and outputs of this session and start again?")
    yes, no = st.columns(2)
    if yes.button("Yes, start over", type="primary", key="sidebar_reset_confirm"):
        state.new_session()
        st.rerun()
    no.button("Cancel", key="sidebar_reset_cancel", on_click=_ask, args=(False,))

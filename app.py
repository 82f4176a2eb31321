"""imagegen — compose uploaded images into stills and animations from one plain-English prompt."""

from __future__ import annotations

import logging

import streamlit as st

from imagegen.errors import SessionExpiredError
from imagegen.ui import brand, memory, sidebar, state

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

st.set_page_config(page_title="imagegen", page_icon=":material/auto_awesome_motion:", layout="wide")
state.start_sweeper()
memory.watch_session()  # frees this tab's media and uploads when it disconnects
state.check_fonts_once()
session = state.current_session()
brand.equip(session)  # the repository's brand kit: its images are tags in every session

pages = st.navigation(
    [
        st.Page("pages/images.py", title="Images & tags", icon=":material/photo_library:", default=True),
        st.Page("pages/compose.py", title="Compose", icon=":material/movie_edit:"),
        st.Page("pages/batch.py", title="Batch", icon=":material/table_view:"),
        st.Page("pages/library.py", title="Brand & templates", icon=":material/bookmarks:"),
        st.Page("pages/help.py", title="Prompt guide", icon=":material/menu_book:"),
    ]
)
sidebar.show(session)
try:
    pages.run()
except SessionExpiredError as exc:
    # The sweeper (or another tab's reset) removed the session mid-run: start clean, say why.
    state.new_session()
    st.session_state[state.NOTICE_KEY] = f"{exc} A new session was started."
    st.rerun()

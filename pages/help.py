"""Prompt guide: the prompt language, generated from the vocabulary table."""

import streamlit as st

from imagegen.ui import guide, state

session = state.current_session()
st.title("Prompt guide")
guide.show(session)

"""Prompt guide: the prompt language, generated from the vocabulary table."""

import streamlit as st

from imagegen.ui import guide

st.title("Prompt guide")
guide.show()

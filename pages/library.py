"""Brand & templates: the brand kit, and the team's saved templates (open, rename, delete)."""

import streamlit as st

from imagegen.ui import state, team_fonts, templates

session = state.current_session()
st.title("Brand & templates")
state.show_notice()
state.show_flashes("library")
templates.kit_section()
team_fonts.fonts_section()
templates.library_section(session)

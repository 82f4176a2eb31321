"""Streamlit widgets and state glue; the only part of imagegen that imports streamlit."""

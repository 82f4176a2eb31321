"""Images & tags: upload, tag, remove."""

import streamlit as st

from imagegen.ui import library, state

session = state.current_session()
st.title("Images & tags")
state.show_notice()
st.caption("Upload your background, logo and product shots. Each image gets a tag you use in the prompt as @tag.")
library.uploader(session)
state.show_flashes("images")

if not session.manifest().assets:
    st.info("No images yet — drop a few files above. Tags come from the file names; change them any time.")
    st.stop()

library.cards(session)
with st.expander("Edit all tags in a table"):
    library.batch_table(session)
st.page_link("pages/compose.py", label="Next: write a prompt", icon=":material/arrow_forward:")

"""Batch: a spreadsheet of variants + a prompt with {column} placeholders -> one ZIP of files."""

import streamlit as st

from imagegen.ui import batch, state

session = state.current_session()
st.title("Batch from a spreadsheet")
state.show_notice()
st.caption(
    "Each CSV row is one variant. In the prompt, `@{column}` draws the image a row names in that column "
    "(from the ZIP below or this session's images), and `{column}` inserts the row's text. Optional columns: "
    f"`size` ({batch.size_words()} or WxH), `format` (png, jpg, webp, gif, apng, mp4) and `name` (the file's name)."
)
recipe = batch.recipe_upload(session)
batch.sample(session)
images = batch.images_upload(session)
template = batch.template_choice()
prompt = "" if template else st.text_area(
    "Prompt", key=batch.PROMPT_KEY, height=90, placeholder=f"e.g. {batch.EXAMPLE}",
    max_chars=session.store.limits.max_prompt_chars,
)  # fmt: skip
chosen = batch.defaults()
clicked = st.button("Render the batch", type="primary", icon=":material/auto_awesome:", key="batch_go")
ready = recipe is not None and (prompt.strip() or template)
plan = batch.check(recipe, prompt, images, session, chosen, template) if ready else None  # type: ignore[arg-type]
if clicked:
    batch.go(session, recipe, prompt, plan, template)
batch.result(session)

"""Compose: prompt -> how it is understood -> generate -> preview and download."""

import streamlit as st

from imagegen.ui import compose, history, state

session = state.current_session()
st.title("Compose")
state.show_notice()
tags = [asset.tag for asset in session.manifest().assets]
if not tags:
    st.info("Upload a few images first; then describe here how to combine them.", icon=":material/photo_library:")
    st.page_link("pages/images.py", label="Go to Images & tags", icon=":material/arrow_back:")
    st.stop()

write, show = st.columns([11, 9], gap="large")
with write:
    compose.tag_chips(tags)
    prompt = st.text_area(
        "Prompt",
        key=compose.PROMPT_KEY,
        height=110,
        placeholder=f"e.g. Place @{tags[0]} in the center on a white background",
        max_chars=session.store.limits.max_prompt_chars,
    )
    compose.examples(session)
    understood = st.container()  # shown above the options, but reads them: they can change the result
    chosen = compose.options(session.store.limits)
    with understood:
        result = compose.understanding(session, prompt, chosen)
    generate = st.button(
        "Generate", type="primary", disabled=result is None, icon=":material/auto_awesome:", key="compose_go"
    )
with show:
    if generate and result is not None:
        compose.render(session, prompt, result, chosen)
    state.show_flashes("compose")
    outputs = {o.id: o for o in session.manifest().outputs}
    last = st.session_state.get(compose.LAST_OUTPUT_KEY)
    if last in outputs:
        compose.preview(session, outputs[last])
    else:
        st.caption("Your result appears here. Stills are PNG, animations GIF — change it under Advanced options.")
st.divider()
history.show(session)

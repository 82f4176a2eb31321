"""Compose: prompt -> how it is understood -> generate -> preview and download."""

import streamlit as st

from imagegen.ui import compose, history, refine, sizes, state, templates

session = state.current_session()
st.title("Compose")
state.show_notice()
manifest = session.manifest()
tags = [asset.tag for asset in manifest.assets]
if not tags:
    st.info("Upload a few images first; then describe here how to combine them.", icon=":material/photo_library:")
    st.page_link("pages/images.py", label="Go to Images & tags", icon=":material/arrow_back:")
    st.stop()

compose.restore_prompt(session)
shown = compose.latest_output(manifest.outputs)  # what the preview shows; its edits are part of the request
write, show = st.columns([11, 9], gap="large")
with write:
    prompt = st.text_area(
        "Prompt",
        key=compose.PROMPT_KEY,
        height=110,
        placeholder=f"e.g. Place @{tags[0]} in the center on a white background",
        max_chars=session.store.limits.max_prompt_chars,
    )
    session.save_draft(prompt)
    compose.tag_chips(tags)
    lines = st.container()  # drawn above the options, filled once the options are read
    chosen = compose.options(session.store.limits)
    picked = sizes.picker()
    with lines:
        edits = refine.edits_of(shown, prompt)
        understood = compose.understanding(session, chosen.request(prompt, picked, edits))
        if understood is not None and edits:
            st.caption("With the edits of the output shown: " + " → ".join(f"“{e}”" for e in edits))
    clicked = st.button("Generate", type="primary", icon=":material/auto_awesome:", key="compose_go")
    generate = (compose.fix_requested() or clicked) and compose.generate_clicked(prompt, understood)
with show, st.container(key=compose.RESULT_KEY):  # right after Generate, also when the columns stack
    if generate and understood is not None and picked:
        sizes.render(session, understood)
    elif generate and understood is not None:
        compose.render(session, understood)
    state.show_flashes("compose")
    outputs = {o.id: o for o in session.manifest().outputs}
    group = sizes.last_group(outputs)
    latest = compose.latest_output(tuple(outputs.values()))
    if group:
        sizes.summary(group)
    elif latest is not None:
        compose.preview(session, latest, prompt)
        templates.save_button(session, latest)
        refine.box(session, latest, outputs)
    else:
        st.caption("Your result appears here. Stills are PNG, animations GIF — change it under Advanced options.")
if group:
    sizes.preview(session, group)
    compose.scroll_after_render()
compose.examples(session)
st.divider()
history.show(session)

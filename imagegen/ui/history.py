"""The session's outputs, newest first: prompt, re-download, reuse the prompt, delete, ZIP of all."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.files import format_bytes
from imagegen.outputs import remove_output, zip_outputs
from imagegen.store.session import Output, Session
from imagegen.ui import state
from imagegen.ui.compose import PROMPT_KEY, download_button


def _reuse(prompt: str) -> None:
    st.session_state[PROMPT_KEY] = prompt


def show(session: Session) -> None:
    outputs = session.manifest().outputs
    st.subheader("History")
    if not outputs:
        st.caption("Every image and animation you generate in this session is kept here until the session ends.")
        return
    total = sum(o.bytes for o in outputs)
    zip_column, uploads_column = st.columns([3, 2], vertical_alignment="center")
    with_uploads = uploads_column.checkbox("Include the uploaded images", key="history_zip_uploads")
    zip_column.download_button(
        f"Download all as ZIP ({len(outputs)} file{'s' * (len(outputs) != 1)}, {format_bytes(total)})",
        data=lambda: zip_outputs(session, with_uploads=with_uploads).read_bytes(),
        file_name=f"imagegen-{datetime.now():%Y%m%d-%H%M%S}.zip",
        mime="application/zip",
        key="history_zip",
        on_click="ignore",
        icon=":material/folder_zip:",
    )
    for output in reversed(outputs):
        _row(session, output)


def _row(session: Session, output: Output) -> None:
    with st.container(border=True):
        info, actions = st.columns([3, 2])
        created = datetime.fromtimestamp(output.created).strftime("%H:%M:%S")
        info.markdown(f"**{output.file}** · {format_bytes(output.bytes)} · {created}")
        info.caption(output.prompt)
        with actions:
            try:
                download_button(session, output, key=f"history_download_{output.id}")
            except ImagegenError as exc:
                st.caption(str(exc))
            reuse, delete = st.columns(2)
            reuse.button(
                "Use prompt",
                key=f"history_reuse_{output.id}",
                on_click=_reuse,
                args=(output.prompt,),
                icon=":material/replay:",
            )
            if delete.button("Delete", key=f"history_delete_{output.id}", icon=":material/delete:"):
                remove_output(session, output.id)
                state.flash("compose", ("info", f"Deleted {output.file}."))
                st.rerun()

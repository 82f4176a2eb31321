"""'Change it': follow-up edits of the last output's Scene, Undo, and restoring an edited output's Scene."""

from __future__ import annotations

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.service.outputs import edit_output
from imagegen.store.session import Output, Session
from imagegen.ui import brand, state
from imagegen.ui.compose import LAST_OUTPUT_KEY, PROMPT_KEY

CHANGE_KEY = "compose_change"
EXAMPLES = "make @logo bigger · move @logo to the bottom left · slower · remove @logo · now as a story · as MP4"


def _apply(session: Session, output: Output) -> None:
    """Callback of 'Apply': render the edited Scene as a new output (runs before the rerun draws the page)."""
    text = st.session_state.get(CHANGE_KEY, "")
    try:
        edited, understood = edit_output(session, output, text, brand=brand.words())
    except ImagegenError as exc:
        state.flash("compose", ("error", str(exc)))
        return
    st.session_state[LAST_OUTPUT_KEY] = edited.id
    st.session_state[CHANGE_KEY] = ""
    changes = "; ".join(line for _, lines in understood.changes for line in lines) or "no visible change"
    state.flash("compose", ("success", f"Changed — {changes}"))


def _undo(parent: str) -> None:
    st.session_state[LAST_OUTPUT_KEY] = parent
    state.flash("compose", ("info", "Back to the previous version."))


def box(session: Session, output: Output, outputs: dict[str, Output]) -> None:
    """The 'Change it' box under the preview, the chain of edits so far, and Undo."""
    with st.container(border=True):
        if output.edits:
            st.caption("Edits so far: " + " → ".join(f"“{e}”" for e in output.edits))
        st.text_input("Change it", key=CHANGE_KEY, placeholder=f"e.g. {EXAMPLES}")
        row = st.container(horizontal=True)  # each button its own width: columns cut "Apply the cha…"
        row.button(
            "Apply the change",
            key="compose_change_go",
            on_click=_apply,
            args=(session, output),
            icon=":material/edit:",
            type="primary",
        )
        if output.parent in outputs:
            row.button("Undo", key="compose_undo", on_click=_undo, args=(output.parent,), icon=":material/undo:")


def restore(output: Output) -> None:
    """'Use prompt' on an output: its prompt in the box, and the output shown (with its edits)."""
    st.session_state[PROMPT_KEY] = output.prompt
    st.session_state[LAST_OUTPUT_KEY] = output.id


def edits_of(shown: Output | None, prompt: str) -> tuple[str, ...]:
    """The edits of the output shown while the prompt is still the one they were made on: the
    understanding box then reads the output shown, and Generate makes it again."""
    if shown is None or shown.prompt.strip() != prompt.strip():
        return ()
    return tuple(shown.edits)

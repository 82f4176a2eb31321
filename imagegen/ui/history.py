"""The session's outputs, newest first: thumbnail, prompt, re-download, reuse the prompt, delete (asked
first, in a dialog), ZIP of all."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.export import OutputFormat
from imagegen.files import format_bytes
from imagegen.service.outputs import ZIP_NAME, remove_output, zip_outputs
from imagegen.store.session import Output, Session
from imagegen.ui import refine, state
from imagegen.ui.compose import download_button, latest_output

READY_KEY = "history_ready_download"
ZIP_READY_KEY = "history_zip_ready"
_PENDING_DELETE_KEY = "history_pending_delete"
THUMB_WIDTH = 72


def _reuse(output: Output) -> None:
    refine.restore(output)  # the prompt, and the edits that led to this output


def _prepare(output_id: str) -> None:
    st.session_state[READY_KEY] = output_id


def _prepare_zip(session: Session, signature: tuple[object, ...], with_uploads: bool) -> None:
    """Build the ZIP once, on the click (not on every rerun); the file name is fixed with it."""
    try:
        zip_outputs(session, with_uploads=with_uploads)
    except (ImagegenError, OSError) as exc:
        state.flash("compose", ("error", f"Could not build the ZIP: {exc}"))
        return
    st.session_state[ZIP_READY_KEY] = (signature, f"imagegen-{datetime.now():%Y%m%d-%H%M%S}.zip")


def show(session: Session) -> None:
    """The history, newest first.

    Only the latest output and the one the user asked for get a one-click download (their bytes are held
    in memory while shown); older rows get a "Prepare" button, and the ZIP is built when asked for. So a
    session holds at most two outputs and one ZIP in memory, however long its history.
    """
    outputs = session.manifest().outputs
    st.subheader("History")
    if not outputs:
        st.caption("Every image and animation you generate in this session is kept here until the session ends.")
        return
    _zip(session, outputs)
    shown = latest_output(outputs)  # the preview's download already holds its bytes: share them
    ready = {st.session_state.get(READY_KEY), shown.id if shown else None, outputs[-1].id}
    for output in reversed(outputs):
        _row(session, output, ready=output.id in ready)
    pending = next((o for o in outputs if o.id == st.session_state.get(_PENDING_DELETE_KEY)), None)
    if pending is not None:
        _confirm_delete(session, pending)


def _zip(session: Session, outputs: tuple[Output, ...]) -> None:
    total = sum(o.bytes for o in outputs)
    count = f"{len(outputs)} file{'s' * (len(outputs) != 1)}"
    zip_column, uploads_column = st.columns([3, 2], vertical_alignment="center")
    with_uploads = uploads_column.checkbox("Include the uploaded images", key="history_zip_uploads")
    signature = (tuple(o.id for o in outputs), with_uploads)
    ready_signature, file_name = st.session_state.get(ZIP_READY_KEY) or (None, "")
    archive = session.dir / ZIP_NAME
    if ready_signature != signature or not archive.is_file():
        zip_column.button(
            f"Make a ZIP of all ({count}, {format_bytes(total)})",
            key="history_zip_prepare",
            on_click=_prepare_zip,
            args=(session, signature, with_uploads),
            icon=":material/folder_zip:",
        )
        return
    data = archive.read_bytes()
    zip_column.download_button(
        f"Download all as ZIP ({count}, {format_bytes(len(data))})",
        data=data,
        file_name=file_name,
        mime="application/zip",
        key="history_zip",
        on_click="ignore",
        type="primary",
        icon=":material/folder_zip:",
    )


def _thumbnail(session: Session, output: Output) -> None:
    try:
        st.image(str(session.path_of(session.outputs, output.thumb)), width=THUMB_WIDTH)
    except ImagegenError:
        st.markdown(":material/image:")  # an output from before thumbnails, or one that could not be made


def _ask_delete(output_id: str | None) -> None:
    st.session_state[_PENDING_DELETE_KEY] = output_id


def _delete(session: Session, output: Output) -> None:
    remove_output(session, output.id)
    st.session_state[_PENDING_DELETE_KEY] = None
    state.flash("compose", ("info", f"Deleted {output.file}."))


def _cancel_delete() -> None:
    st.session_state[_PENDING_DELETE_KEY] = None


@st.dialog("Delete this output?", on_dismiss=_cancel_delete)
def _confirm_delete(session: Session, output: Output) -> None:
    if st.session_state.get(_PENDING_DELETE_KEY) != output.id:
        st.rerun()  # decided in a button's callback: close the dialog and refresh the whole page
    _thumbnail(session, output)
    st.markdown(f"**{output.file}** · {format_bytes(output.bytes)}")
    st.caption(output.prompt)
    st.write("It is removed from this session for good; the ZIP of all outputs will not include it.")
    yes, no = st.columns(2)
    yes.button("Delete", type="primary", key="history_delete_confirm", on_click=_delete, args=(session, output))
    no.button("Cancel", key="history_delete_cancel", on_click=_cancel_delete)


def _row(session: Session, output: Output, *, ready: bool) -> None:
    with st.container(border=True):
        picture, info, actions = st.columns([1, 4, 3])
        with picture:
            _thumbnail(session, output)
        created = datetime.fromtimestamp(output.created).strftime("%H:%M:%S")
        info.markdown(f"**{output.file}** · {format_bytes(output.bytes)} · {created}")
        info.caption(output.prompt + "".join(f" → “{edit}”" for edit in output.edits))
        with actions:
            if not ready:
                st.button(
                    f"Prepare {OutputFormat(output.format).name} download",
                    key=f"history_prepare_{output.id}",
                    on_click=_prepare,
                    args=(output.id,),
                    icon=":material/download:",
                )
            else:
                try:
                    download_button(session, output, key=f"history_download_{output.id}")
                except ImagegenError as exc:
                    st.caption(str(exc))
            reuse, delete = st.columns(2)
            reuse.button(
                "Use prompt",
                key=f"history_reuse_{output.id}",
                on_click=_reuse,
                args=(output,),
                icon=":material/replay:",
            )
            delete.button(
                "Delete",
                key=f"history_delete_{output.id}",
                icon=":material/delete:",
                on_click=_ask_delete,
                args=(output.id,),
            )

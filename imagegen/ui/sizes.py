"""Compose in several sizes at once: pick canvas presets, render each, preview side by side, download all."""

from __future__ import annotations

import streamlit as st

from imagegen.files import format_bytes
from imagegen.service import Understood
from imagegen.service.outputs import output_path, write_outputs, zip_group
from imagegen.service.sizes import SizeSpec, parse_sizes, presets
from imagegen.store.session import Output, Session
from imagegen.ui import state
from imagegen.ui.compose import LAST_OUTPUT_KEY, download_button, run_render

SIZES_KEY = "compose_sizes"
GROUP_KEY = "compose_last_group"
COLUMNS = 3


def _label(name: str, size: tuple[int, int]) -> str:
    return f"{name} ({size[0]}×{size[1]})"


def picker() -> list[SizeSpec]:
    """A multiselect of the vocabulary's canvas presets; empty = one file at the prompt's size."""
    choices = {_label(name, size): name for name, size in presets().items()}
    picked = st.multiselect(
        "Sizes (one file each)",
        list(choices),
        key=SIZES_KEY,
        placeholder="The prompt's size — or pick several: instagram, story, linkedin…",
        help="The same design re-flows for each size: positions and sizes are fractions of the canvas, "
        "backgrounds re-crop to cover it.",
    )
    return parse_sizes([choices[label] for label in picked]) if picked else []


def render(session: Session, understood: Understood) -> None:
    """Render every size with one progress bar; the group becomes the preview."""
    done = run_render(
        f"Rendering {len(understood.targets)} sizes…",
        lambda progress: write_outputs(session, understood, progress=progress),
    )
    if done is None:
        return
    outputs, seconds = done
    st.session_state[GROUP_KEY] = [o.id for o in outputs]
    st.session_state[LAST_OUTPUT_KEY] = outputs[0].id
    state.flash("compose", ("success", f"{len(outputs)} sizes done in {seconds:.1f} s"))
    st.rerun()


def last_group(outputs: dict[str, Output]) -> list[Output] | None:
    """The sizes of the last render, when the last render was a multi-size one and its files still exist."""
    group = st.session_state.get(GROUP_KEY) or []
    if not group or st.session_state.get(LAST_OUTPUT_KEY) != group[0] or not all(i in outputs for i in group):
        return None
    return [outputs[i] for i in group]


def preview(session: Session, group: list[Output]) -> None:
    """Each size side by side with its own download, and one ZIP of all."""
    total = sum(o.bytes for o in group)
    archive = session.dir / f"sizes-{group[0].id}.zip"
    if not archive.is_file():  # built once per group; bytes, not a callable (see compose.download_button)
        zip_group(session, group, archive.name)
    st.download_button(
        f"Download all {len(group)} sizes (ZIP, {format_bytes(total)})",
        data=archive.read_bytes(),
        file_name=f"{group[0].file.rsplit('.', 1)[0]}-sizes.zip",
        mime="application/zip",
        key=f"compose_sizes_zip_{group[0].id}",
        on_click="ignore",
        type="primary",
        icon=":material/folder_zip:",
    )
    columns = st.columns(min(COLUMNS, len(group)))
    for index, output in enumerate(group):
        with columns[index % len(columns)]:
            st.image(output_path(session, output).read_bytes(), caption=output.file)
            download_button(session, output, key=f"compose_sizes_download_{output.id}")

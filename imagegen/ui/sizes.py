"""Compose in several sizes at once: pick canvas presets, render each, preview side by side, download all.

The previews take the page's whole width below the prompt and the result column (in the column they
were a third of it: about 100 px on a laptop), at most three to a row; on a phone they stack.
"""

from __future__ import annotations

import streamlit as st

from imagegen.files import format_bytes
from imagegen.scene import Scene
from imagegen.service import Understood
from imagegen.service.outputs import output_path, write_outputs, zip_group
from imagegen.service.sizes import SizeSpec, parse_sizes, presets
from imagegen.store.session import Output, Session
from imagegen.ui import state
from imagegen.ui.compose import LAST_OUTPUT_KEY, RESULT_KEY, SCROLL_KEY, bring_into_view, download_button, run_render

SIZES_KEY = "compose_sizes"
GROUP_KEY = "compose_last_group"
LABELS_KEY = "compose_last_group_labels"  # output id -> the size's name ("story"), as picked
VIEW_KEY = "compose_sizes_view"  # the keyed container of the previews (brought into view after a render)
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
    bring_into_view(RESULT_KEY, "sizes")
    done = run_render(
        f"Rendering {len(understood.targets)} sizes…",
        lambda progress: write_outputs(session, understood, progress=progress),
    )
    if done is None:
        return
    outputs, seconds = done
    st.session_state[GROUP_KEY] = [o.id for o in outputs]
    st.session_state[LABELS_KEY] = {o.id: t.label for o, t in zip(outputs, understood.targets, strict=True)}
    st.session_state[LAST_OUTPUT_KEY] = outputs[0].id
    st.session_state[SCROLL_KEY] = (VIEW_KEY, outputs[0].id)
    state.flash("compose", ("success", f"{len(outputs)} sizes done in {seconds:.1f} s"))
    st.rerun()


def last_group(outputs: dict[str, Output]) -> list[Output] | None:
    """The sizes of the last render, when the last render was a multi-size one and its files still exist."""
    group = st.session_state.get(GROUP_KEY) or []
    if not group or st.session_state.get(LAST_OUTPUT_KEY) != group[0] or not all(i in outputs for i in group):
        return None
    return [outputs[i] for i in group]


def summary(group: list[Output]) -> None:
    """In the result column: where the sizes are (below, across the page)."""
    st.caption(f"Your {len(group)} sizes are below, each with its download, and all of them in one ZIP.")


def _caption(output: Output, label: str) -> str:
    width, height = Scene.from_json(output.scene_json).canvas.size if output.scene_json else (0, 0)
    name = f"**{label}** · " if label else ""
    return f"{name}{width}×{height}"


def preview(session: Session, group: list[Output]) -> None:
    """Each size side by side (full page width) with its own download, and one ZIP of all."""
    total = sum(o.bytes for o in group)
    archive = session.dir / f"sizes-{group[0].id}.zip"
    if not archive.is_file():  # built once per group; bytes, not a callable (see compose.download_button)
        zip_group(session, group, archive.name)
    labels = st.session_state.get(LABELS_KEY) or {}
    with st.container(key=VIEW_KEY):
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
        for start in range(0, len(group), COLUMNS):
            row = group[start : start + COLUMNS]
            # Always COLUMNS wide, so a row of one is as big as a size in a full row (a story stays tall).
            for column, output in zip(st.columns(COLUMNS, gap="medium"), row, strict=False):
                with column:
                    st.markdown(_caption(output, labels.get(output.id, "")))
                    st.image(output_path(session, output).read_bytes())
                    download_button(session, output, key=f"compose_sizes_download_{output.id}", stretch=True)

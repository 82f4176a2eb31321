"""Batch widgets: a CSV of variants + (optionally) a ZIP of images -> every row checked -> one ZIP of files.

The engine does the work (:mod:`imagegen.batch`); this module only uploads, shows and downloads. A ZIP is
unpacked once per upload into the session's folder (``batch-inputs/``), replacing the previous one.

Nothing between the top of the page and "Render the batch" depends on the prompt: a text area sends its
value when it loses focus, and clicking the button is what takes the focus away, so anything drawn from
the new value above the button would move it from under the pointer. The button is never disabled for a
stale value either: it reads the prompt it is clicked with and says what is missing.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
import zipfile
from datetime import datetime
from pathlib import Path

import streamlit as st

from imagegen.batch import (
    BatchPlan,
    BatchReport,
    ImageLibrary,
    Recipe,
    Sample,
    dask_address,
    library_from_tags,
    plan_batch,
    plan_template_batch,
    read_recipe,
    run_batch,
    sample_recipe,
    unpack_zip,
)
from imagegen.errors import ImagegenError
from imagegen.export import OutputFormat
from imagegen.export.thumbs import thumbnail_png
from imagegen.files import format_bytes
from imagegen.library import list_templates, load_template
from imagegen.prompt.examples import cast
from imagegen.service.sizes import presets
from imagegen.store.session import Session
from imagegen.ui import brand

PROMPT_KEY = "batch_prompt"
RESULT_KEY = "batch_result"
INPUTS = "batch-inputs"
AUTO = "From the prompt"
EXAMPLE = "@{product} in the center, @logo on the {corner}, 1080x1080"
PREVIEWS = 12  # rows shown as thumbnails after a batch (the ZIP has them all)
PREVIEW_SIDE = 160
_PREVIEW_GAP = "<style>.st-key-batch_previews [data-testid='stImage'] { gap: 12px; }</style>"


def recipe_upload(session: Session) -> Recipe | None:
    """The CSV uploader; shows the columns, or why the file cannot be used."""
    upload = st.file_uploader("Spreadsheet (CSV: a header row, one row per variant)", type=["csv"], key="batch_csv")
    if upload is None:
        return None
    limits = session.store.limits
    try:
        if upload.size > limits.max_file_bytes:
            most = format_bytes(limits.max_file_bytes)
            raise ImagegenError(f"{upload.name} is {format_bytes(upload.size)} — at most {most}.")
        recipe = read_recipe(upload.getvalue(), name=upload.name, limits=limits)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    st.caption(f"{len(recipe.rows)} rows · columns: " + ", ".join(f"`{c}`" for c in recipe.columns))
    return recipe


def sample(session: Session) -> None:
    """'Download a sample CSV' (one column per placeholder of the prompt, or a proposed prompt's columns)
    and 'Use the sample's prompt'; the same two buttons and words whatever the prompt says."""
    sampled = _sample(session, st.session_state.get(PROMPT_KEY, ""))
    st.caption(
        "No spreadsheet yet? The sample has a column for each `{column}` of your prompt, filled with this"
        " session's images; while the prompt has none, it comes with a prompt of its own."
    )
    download, use = st.columns(2)
    download.download_button(
        "Download a sample CSV",
        data=sampled.csv.encode(),
        file_name="imagegen-sample.csv",
        mime="text/csv",
        key="batch_sample",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    use.button(
        "Use the sample's prompt",
        key="batch_sample_prompt",
        on_click=_use_sample_prompt,
        args=(session,),
        icon=":material/edit_note:",
        width="stretch",
        help="Puts the prompt that goes with the sample CSV into the prompt box.",
    )


def _sample(session: Session, prompt: str) -> Sample:
    assets = session.manifest().assets
    roles = cast(assets)
    background = roles.background if roles is not None and len(assets) > 2 else None
    logo = roles.logo if roles is not None and len(assets) > 1 else None
    return sample_recipe(prompt, [a.tag for a in assets], background=background, logo=logo)


def _use_sample_prompt(session: Session) -> None:
    """Callback: runs with the prompt the box holds when the button is clicked."""
    st.session_state[PROMPT_KEY] = _sample(session, st.session_state.get(PROMPT_KEY, "")).prompt


def images_upload(session: Session) -> ImageLibrary:
    """The session's images (by tag or file name), plus the files of an uploaded ZIP."""
    manifest = session.manifest()
    library = library_from_tags([(a.tag, a.original_name, session.uploads / a.file) for a in manifest.assets])
    upload = st.file_uploader("Images the rows name (ZIP, optional)", type=["zip"], key="batch_zip")
    if upload is None:
        st.caption(f"Rows may name this session's {len(manifest.assets)} images by tag or file name.")
        return library
    folder = session.dir / INPUTS / hashlib.sha256(upload.getvalue()).hexdigest()[:16]
    try:
        unpacked = _unpack_once(upload.getvalue(), upload.name, folder, session)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return library
    refused = f" · {len(unpacked.refused)} refused" if unpacked.refused else ""
    st.caption(f"{upload.name}: {len(unpacked.files)} files{refused}, plus this session's images.")
    return unpacked.merge(library)


@st.cache_resource(max_entries=8, show_spinner=False)
def _unpacked(folder: str, _data: bytes, name: str, _session: Session) -> ImageLibrary:
    """Unpack once per (session, ZIP content); older unpacked ZIPs of the session are removed."""
    root = Path(folder).parent
    if root.exists():
        for old in root.iterdir():
            if old.name != Path(folder).name:
                shutil.rmtree(old, ignore_errors=True)
    return unpack_zip(io.BytesIO(_data), Path(folder), name=name, limits=_session.store.limits)


def _unpack_once(data: bytes, name: str, folder: Path, session: Session) -> ImageLibrary:
    library = _unpacked(str(folder), data, name, session)
    if not folder.is_dir():  # the sweeper or a reset removed it: unpack again
        _unpacked.clear()
        library = _unpacked(str(folder), data, name, session)
    return library


def defaults() -> tuple[tuple[int, int] | None, OutputFormat | None]:
    """Size and format for rows that do not say (None = what the prompt says / PNG or GIF)."""
    left, right = st.columns(2)
    sizes = {f"{name} ({w}×{h})": (w, h) for name, (w, h) in presets().items()}
    size = left.selectbox("Size for rows without a 'size' cell", [AUTO, *sizes], key="batch_size")
    fmt = right.selectbox("Format for rows without a 'format' cell", [AUTO, *(f.name for f in OutputFormat)])
    return sizes.get(size), (OutputFormat[fmt] if fmt != AUTO else None)


NO_TEMPLATE = "No — write a prompt"


def template_choice() -> str | None:
    """A saved template the rows fill instead of a prompt (its slots are the CSV's columns), or None."""
    try:
        saved = list_templates(brand.database_url())
    except ImagegenError as exc:
        st.caption(f"Templates are unavailable: {exc}")
        return None
    if not saved:
        return None
    names = [NO_TEMPLATE, *(info.name for info in saved)]
    chosen = st.selectbox("Fill a saved template?", names, key="batch_template")
    info = next((i for i in saved if i.name == chosen), None)
    if info is None:
        return None
    st.caption("The CSV's columns are its slots: " + ", ".join(f"`{s.name}`" for s in info.slots) + " (a slot with no"
               " column keeps what was saved), plus the optional `size`, `format` and `name`.")  # fmt: skip
    return info.name


def check(
    recipe: Recipe,
    prompt: str,
    images: ImageLibrary,
    session: Session,
    chosen: tuple[tuple[int, int] | None, OutputFormat | None],
    template: str | None = None,
) -> BatchPlan | None:
    """Validate every row; show the problems by row and column."""
    size, fmt = chosen
    limits = session.store.limits
    try:
        if template is not None:
            saved = load_template(template, brand.database_url())
            folder = session.dir / INPUTS / f"template-{hashlib.sha256(saved.name.encode()).hexdigest()[:16]}"
            folder.mkdir(parents=True, exist_ok=True)
            plan = plan_template_batch(recipe, saved, images, folder, size=size, fmt=fmt, limits=limits)
        else:
            plan = plan_batch(recipe, prompt, images, size=size, fmt=fmt, limits=limits, brand=brand.words())
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    good, bad = len(plan.jobs), len(plan.errors)
    if not bad:
        st.success(f"All {good} rows are ready.", icon=":material/check_circle:")
        return plan
    if good:
        st.warning(f"{bad} of {plan.rows} rows cannot be rendered — the other {good} can:", icon=":material/warning:")
    else:
        st.error(f"None of the {plan.rows} rows can be rendered:", icon=":material/error:")
    st.dataframe(
        [{"row": e.row, "column": e.column or "", "problem": e.message} for e in plan.errors],
        hide_index=True,
        key="batch_errors",
    )
    return plan if good else None


def go(
    session: Session, recipe: Recipe | None, prompt: str, plan: BatchPlan | None, template: str | None = None
) -> None:
    """After a click on 'Render the batch': render, or say what is missing (the check shows bad rows)."""
    if recipe is None:
        st.error("Upload the spreadsheet first (CSV) — or download the sample above.", icon=":material/error:")
    elif not prompt.strip() and template is None:
        st.error(
            "Write the prompt first: it names the CSV's columns as {column}, e.g. " + EXAMPLE,
            icon=":material/error:",
        )
    elif plan is not None:
        render(session, plan)


def render(session: Session, plan: BatchPlan) -> None:
    """Run the batch with a progress bar; keep the ZIP in the session folder for download."""
    dest = session.dir / "batch.zip"
    address = dask_address()
    where = f"the Dask cluster at {address}" if address else f"{os.cpu_count() or 1} local processes"
    bar = st.progress(0.0, text=f"Rendering {len(plan.jobs)} rows on {where}")
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Row {done} of {total}")

    try:
        report = run_batch(plan, dest, workers=os.cpu_count() or 1, dask=address, progress=progress)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[RESULT_KEY] = {
        "zip": str(report.zip),
        "written": len(report.written),
        "errors": len(report.errors),
        "rows": report.rows,
        "seconds": time.perf_counter() - started,
        "previews": _previews(report),
    }
    bar.empty()


def _previews(report: BatchReport) -> list[tuple[str, bytes | None]]:
    """(caption, PNG thumbnail or None) of the first rows written, read back from the ZIP."""
    shown: list[tuple[str, bytes | None]] = []
    with zipfile.ZipFile(report.zip) as archive:
        for row, file in report.written[:PREVIEWS]:
            shown.append((f"row {row} · {file}", thumbnail_png(archive.read(file), PREVIEW_SIDE)))
    return shown


def result(session: Session) -> None:
    """The last batch's summary and its ZIP."""
    done = st.session_state.get(RESULT_KEY)
    if not done or not Path(done["zip"]).is_file() or Path(done["zip"]).parent != session.dir:
        return
    path = Path(done["zip"])
    st.success(
        f"{done['written']} of {done['rows']} rows rendered in {done['seconds']:.1f} s"
        + (f"; {done['errors']} reported in manifest.csv." if done["errors"] else "."),
        icon=":material/check_circle:",
    )
    st.download_button(
        f"Download the batch (ZIP, {format_bytes(path.stat().st_size)})",
        data=path.read_bytes(),  # bytes, not a callable (see compose.download_button)
        file_name=f"imagegen-batch-{datetime.now():%Y%m%d-%H%M%S}.zip",
        mime="application/zip",
        key="batch_download",
        on_click="ignore",
        type="primary",
        icon=":material/folder_zip:",
    )
    _show_previews(done.get("previews", []), done["written"])


def _show_previews(previews: list[tuple[str, bytes | None]], written: int) -> None:
    pictures = [(caption, png) for caption, png in previews if png is not None]
    if pictures:
        with st.container(key="batch_previews"):
            st.html(_PREVIEW_GAP)
            st.image([png for _, png in pictures], caption=[c for c, _ in pictures], width=PREVIEW_SIDE)
    without = [caption for caption, png in previews if png is None]
    if without:
        st.caption("No preview (MP4): " + ", ".join(without))
    if written > len(previews):
        st.caption(f"The first {len(previews)} of {written} files; the ZIP holds them all.")


def size_words() -> str:
    """The canvas words a 'size' cell may hold (from the vocabulary)."""
    return ", ".join(presets())

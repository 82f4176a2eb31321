"""Compose widgets: tag chips, example prompts, how the prompt is understood, options, render, preview."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.export import OutputFormat
from imagegen.export.formats import tunable_names
from imagegen.files import format_bytes
from imagegen.limits import Limits
from imagegen.outputs import Overrides, generate, output_path, scaling_lines, understand
from imagegen.prompt import ParseResult, parse_canvas_size
from imagegen.prompt.examples import example_prompts
from imagegen.prompt.explain import describe_scene
from imagegen.prompt.vocabulary import entries
from imagegen.store.session import Output, Session
from imagegen.ui import state

PROMPT_KEY = "compose_prompt"
LAST_OUTPUT_KEY = "compose_last_output"
AUTO = "From the prompt"


@dataclass(frozen=True)
class Options:
    """What the advanced options chose (None = what the prompt says / the default)."""

    overrides: Overrides
    fmt: OutputFormat | None
    quality: int


def _append_to_prompt(text: str) -> None:
    current = st.session_state.get(PROMPT_KEY, "").rstrip()
    st.session_state[PROMPT_KEY] = f"{current} {text}".strip() + " "


def _set_prompt(text: str) -> None:
    st.session_state[PROMPT_KEY] = text


def tag_chips(tags: list[str]) -> None:
    """One chip per tag; a click inserts ``@tag`` into the prompt."""
    st.caption("Your tags — click to insert")
    columns = st.columns(min(len(tags), 8) or 1, gap="small")
    for index, tag in enumerate(tags):
        columns[index % len(columns)].button(
            f"@{tag}",
            key=f"compose_chip_{tag}",
            on_click=_append_to_prompt,
            args=(f"@{tag}",),
            type="secondary",
            width="stretch",
        )


def examples(session: Session) -> None:
    """Example prompts from the session's own tags; one click puts one in the prompt box."""
    prompts = example_prompts(session.manifest().assets)
    st.caption("Or start from an example")
    for index, (label, prompt) in enumerate(prompts):
        st.button(
            f"{label}: {prompt}",
            key=f"compose_example_{index}",
            on_click=_set_prompt,
            args=(prompt,),
            type="tertiary",
            icon=":material/lightbulb:",
        )


def understanding(session: Session, prompt: str, chosen: Options) -> ParseResult | None:
    """Show how the prompt (with the Advanced options) is understood, or why not; return the parse."""
    if not prompt.strip():
        st.info("Write a prompt above — mention each image by its @tag.", icon=":material/edit:")
        return None
    try:
        result = understand(session, prompt, chosen.overrides, chosen.fmt)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    lines = describe_scene(result.scene)
    if result.mostly_not_understood:
        st.warning(
            "**Much of this prompt was not understood** — the result will only contain what is listed below. "
            "See the Prompt guide for the words it knows.",
            icon=":material/report:",
        )
    with st.container(border=True):
        st.markdown("**How this prompt is understood**")
        st.markdown("\n".join(f"- {line}" for line in lines))
        for line in scaling_lines(session, result):
            st.info(line, icon=":material/photo_size_select_large:")
        for warning in result.warnings:
            if warning.quiet:
                st.caption(warning.message)
            else:
                st.warning(warning.message, icon=":material/warning:")
    return result


CUSTOM = "Custom size"


def _canvas_presets() -> dict[str, tuple[int, int]]:
    """Preset label -> size, read from the vocabulary (entries that are a fixed size)."""
    presets: dict[str, tuple[int, int]] = {}
    for entry in entries("canvas"):
        try:
            width, height = parse_canvas_size(entry.key)
        except ImagegenError:
            continue  # e.g. the "custom WxH" row: a pattern, not a preset
        presets[f"{entry.key} ({width}×{height})"] = (width, height)
    return presets


def options(limits: Limits) -> Options:
    """Advanced options in an expander; each defaults to what the prompt says."""
    presets = _canvas_presets()
    with st.expander("Advanced options"):
        left, middle, right = st.columns(3)
        canvas = left.selectbox("Canvas", [AUTO, *presets, CUSTOM], key="compose_canvas")
        fmt_name = middle.selectbox(
            "Format",
            [AUTO, *(f.name for f in OutputFormat)],
            format_func=lambda name: name if name == AUTO else OutputFormat[name].label,
            key="compose_format",
        )
        quality = right.slider(f"Quality ({tunable_names()})", 40, 100, 90, key="compose_quality")
        size = presets.get(canvas)
        if canvas == CUSTOM:
            side = (limits.min_canvas_side, limits.max_canvas_side)
            width = left.number_input("Width (px)", *side, 1080, 10, key="compose_width")
            height = middle.number_input("Height (px)", *side, 1080, 10, key="compose_height")
            size = (int(width), int(height))
        duration = left.number_input(
            "Duration (s)", 0.0, limits.max_duration_s, 0.0, 0.5, key="compose_duration", help="0 = from the prompt"
        )
        fps = middle.number_input(
            "Frames per second", 0, int(limits.max_fps), 0, key="compose_fps", help="0 = from the prompt"
        )
    return Options(
        overrides=Overrides(size=size, duration_s=duration or None, fps=float(fps) or None),
        fmt=OutputFormat[fmt_name] if fmt_name != AUTO else None,
        quality=int(quality),
    )


def render(session: Session, prompt: str, result: ParseResult, chosen: Options) -> None:
    """Render with a progress bar (frames done / total); errors are shown, nothing is lost."""
    scene = result.scene  # the Advanced options are already applied (and shown) by understanding()
    with st.status("Rendering…", expanded=True) as status:
        bar = st.progress(0.0, text="Preparing layers")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            output = generate(session, prompt, scene, fmt=chosen.fmt, quality=chosen.quality, progress=progress)
        except ImagegenError as exc:
            status.update(label="Could not render", state="error", expanded=True)
            st.error(str(exc), icon=":material/error:")
            return
        seconds = time.perf_counter() - started
        status.update(label=f"Done in {seconds:.1f} s", state="complete", expanded=False)
    st.session_state[LAST_OUTPUT_KEY] = output.id
    state.flash("compose", ("success", f"Done in {seconds:.1f} s — {output.file}"))
    st.rerun()  # so the sidebar, preview and history all show the new output


def preview(session: Session, output: Output) -> None:
    """Show an output at its natural width (so GIFs animate) with its download button."""
    path = output_path(session, output)
    if output.format == OutputFormat.MP4.value:
        st.video(str(path), loop=True, autoplay=True, muted=True)
    else:
        st.image(path.read_bytes(), caption=f"{output.file} · {_describe_output(output)}")
    download_button(session, output, key=f"compose_preview_download_{output.id}", primary=True)


def download_button(session: Session, output: Output, *, key: str, primary: bool = False) -> None:
    path = output_path(session, output)
    st.download_button(
        f"Download {OutputFormat(output.format).name} ({format_bytes(output.bytes)})",
        data=path.read_bytes,
        file_name=output.file,
        mime=OutputFormat(output.format).mime,
        key=key,
        on_click="ignore",
        type="primary" if primary else "secondary",
        icon=":material/download:",
    )


def _describe_output(output: Output) -> str:
    frames = f", {output.frames} frames" if output.frames > 1 else ""
    return f"{OutputFormat(output.format).name}{frames}, {format_bytes(output.bytes)}"

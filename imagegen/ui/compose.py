"""Compose widgets: tag chips, example prompts, how the prompt is understood, options, render, preview.

The prompt box's text is also kept in the session's manifest (the draft), so a page refresh, which
empties ``st.session_state``, brings it back; the preview shows the session's latest output.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from streamlit.elements.lib.mutable_status_container import StatusContainer

from imagegen.errors import ImagegenError
from imagegen.export import OutputFormat
from imagegen.export.formats import tunable_names
from imagegen.files import format_bytes
from imagegen.limits import Limits
from imagegen.prompt.brand import speaking
from imagegen.prompt.examples import example_prompts
from imagegen.prompt.explain import describe_scene, timeline_rows
from imagegen.render.text import fit_text
from imagegen.scene import Scene
from imagegen.service import Fix, Notice, NoticeKind, Overrides, RenderRequest, Understood
from imagegen.service.outputs import (
    edit_output,
    generate,
    lighter_format_advised,
    output_path,
    understand,
    write_outputs,
)
from imagegen.service.request import notices_from_json
from imagegen.service.sizes import SizeSpec, presets
from imagegen.store.session import Output, Session
from imagegen.ui import brand, memory, state

T = TypeVar("T")

PROMPT_KEY = "compose_prompt"
LAST_OUTPUT_KEY = "compose_last_output"
#: A prompt sent here from another page (the guide's examples); it replaces the box's text once.
INCOMING_KEY = "compose_incoming_prompt"
CHIPS_KEY = "compose_chips"
FIX_KEY = "compose_fix_clicked"  # a design fix changed the prompt: render it without a click
AUTO = "From the prompt"
#: Keys of the containers a script finds (Streamlit gives a keyed container the class ``st-key-<key>``).
RESULT_KEY = "compose_result"
PREVIEW_KEY = "compose_preview"
#: After a render: the container to bring into view on the next run (once).
SCROLL_KEY = "compose_scroll_to"
REPLAY_KEY = "compose_replay"  # (output id, count) of the last Replay click
TRIED_KEY = "compose_lighter_tried"  # GIFs whose lighter MP4 was attempted (made once, never retried)


@dataclass(frozen=True)
class Options:
    """What the advanced options chose (None = what the prompt says / the default)."""

    overrides: Overrides
    fmt: OutputFormat | None
    quality: int

    def request(self, prompt: str, sizes: Sequence[SizeSpec] = (), edits: Sequence[str] = ()) -> RenderRequest:
        return RenderRequest(
            prompt,
            edits=tuple(edits),
            overrides=self.overrides,
            fmt=self.fmt,
            sizes=tuple(sizes),
            quality=self.quality,
            brand=brand.words(),
        )


def _append_to_prompt(text: str) -> None:
    current = st.session_state.get(PROMPT_KEY, "").rstrip()
    st.session_state[PROMPT_KEY] = f"{current} {text}".strip() + " "


def _set_prompt(text: str) -> None:
    st.session_state[PROMPT_KEY] = text


def send_to_compose(session: Session, prompt: str) -> None:
    """Put ``prompt`` in the Compose box (the caller then switches page)."""
    st.session_state[INCOMING_KEY] = prompt
    session.save_draft(prompt)


def restore_prompt(session: Session) -> None:
    """Before the prompt box is drawn: a prompt sent from another page, else the saved draft after a
    refresh or a visit to another page (both drop the box's state)."""
    incoming = st.session_state.pop(INCOMING_KEY, None)
    if incoming is not None:
        st.session_state[PROMPT_KEY] = incoming
    elif PROMPT_KEY not in st.session_state:
        st.session_state[PROMPT_KEY] = session.manifest().draft_prompt


def _insert_chip() -> None:
    tag = st.session_state.get(CHIPS_KEY)
    if tag:
        _append_to_prompt(f"@{tag}")
    st.session_state[CHIPS_KEY] = None  # a chip is an action, not a choice: nothing stays selected


def tag_chips(tags: list[str]) -> None:
    """One chip per tag (wrapping onto more lines when there are many); a click inserts ``@tag``."""
    st.pills(
        "Insert a tag",
        tags,
        format_func=lambda tag: f"@{tag}",
        key=CHIPS_KEY,
        on_change=_insert_chip,
        help="Click a tag to add it to the end of the prompt.",
        wrap=True,  # inside a column Streamlit would otherwise scroll them in one row, cutting tags off
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


def understanding(session: Session, request: RenderRequest) -> Understood | None:
    """Show how the request (the prompt with the Advanced options, sizes and restored edits) is
    understood, or why not; return it."""
    if not request.prompt.strip():
        st.info("Write a prompt above — mention each image by its @tag.", icon=":material/edit:")
        return None
    try:
        understood = understand(session, request)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    if understood.parsed.mostly_not_understood:
        st.warning(
            "**Much of this prompt was not understood** — the result will only contain what is listed below. "
            "See the Prompt guide for the words it knows.",
            icon=":material/report:",
        )
    with st.container(border=True):
        st.markdown("**How this prompt is understood**")
        with speaking(brand.words()):  # "brand blue (#0055A4)"
            lines = describe_scene(understood.scene, fit_text)
        st.markdown("\n".join(f"- {line}" for line in lines))
        if rows := timeline_rows(understood.scene):
            st.table(rows)  # the timeline: who does what, when
        for notice in understood.notices:
            _show_notice(notice)
        design_lines(session, request)
    return understood


def design_lines(session: Session, request: RenderRequest) -> None:
    """After a render of this prompt: what the design checks saw in it (overlaps, hard-to-read text, a
    story's safe zones), each fix one click that changes the prompt (and renders again) or edits the output."""
    latest = latest_output(session.manifest().outputs)
    if latest is None or latest.prompt != request.prompt or not latest.design:
        return
    st.markdown("**Looking at the result**")
    for index, notice in enumerate(notices_from_json(latest.design)):
        _show_notice(notice)
        for number, fix in enumerate(notice.fixes):
            st.button(
                f"Fix: {fix.label}",
                key=f"compose_fix_{latest.id}_{index}_{number}",
                on_click=_apply_fix,
                args=(session, latest, fix),
                icon=":material/auto_fix_high:",
            )


def _apply_fix(session: Session, output: Output, fix: Fix) -> None:
    """A fix's click (runs before the rerun draws the page): a prompt fix goes into the prompt box, which
    stays the source of truth, and renders at once; an edit fix is applied to the output like 'Change it'."""
    if fix.prompt:
        st.session_state[PROMPT_KEY] = fix.prompt
        session.save_draft(fix.prompt)
        st.session_state[FIX_KEY] = True
        return
    try:
        edited, understood = edit_output(session, output, fix.edit, brand=brand.words())
    except ImagegenError as exc:
        state.flash("compose", ("error", str(exc)))
        return
    st.session_state[LAST_OUTPUT_KEY] = edited.id
    changes = "; ".join(line for _, lines in understood.changes for line in lines) or "no visible change"
    state.flash("compose", ("success", f"Fixed — {changes}"))


def fix_requested() -> bool:
    """True once after a prompt fix was clicked: Generate runs without a click."""
    return bool(st.session_state.pop(FIX_KEY, False))


def _show_notice(notice: Notice) -> None:
    if notice.kind is NoticeKind.DESIGN:
        st.warning(notice.message, icon=":material/design_services:")
    elif notice.kind is NoticeKind.SCALING:
        st.info(notice.message, icon=":material/photo_size_select_large:")
    elif notice.kind is NoticeKind.NOTE:
        st.caption(notice.message)
    else:
        st.warning(notice.message, icon=":material/warning:")


CUSTOM = "Custom size"


def _canvas_presets() -> dict[str, tuple[int, int]]:
    """Preset label -> size: the vocabulary's fixed canvas sizes (the same list as the sizes picker)."""
    return {f"{name} ({width}×{height})": (width, height) for name, (width, height) in presets().items()}


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


def generate_clicked(prompt: str, result: Understood | None) -> bool:
    """Generate is never disabled (a disabled state would come from the run before the last keystrokes):
    the prompt read in the click's own run decides, and a prompt that cannot render says why here."""
    if result is not None:
        return True
    if not prompt.strip():
        st.warning("Write a prompt first — mention each image by its @tag.", icon=":material/edit:")
    else:
        st.warning("Nothing was rendered: fix the prompt as shown above, then click Generate again.")
    return False


@contextlib.contextmanager
def _render_turn(status: StatusContainer, label: str) -> Iterator[Callable[[int, int], None]]:
    """Wait for a free renderer (the status says how many renders are ahead), then yield the progress
    callback of a frame bar. Every render from the app goes through here, so the queue stays fair."""

    def waiting(ahead: int) -> None:
        status.update(label=f"Waiting for a free renderer — {ahead} render{'s' * (ahead != 1)} ahead of you")

    try:
        with state.render_queue().turn(on_wait=waiting):
            status.update(label=label)
            bar = st.progress(0.0, text="Preparing layers")

            def progress(done: int, total: int) -> None:
                bar.progress(min(1.0, done / total), text=f"Frame {done} of {total}")

            yield progress
    finally:
        memory.trim_soon()  # the render's frame buffers stay in this thread's arena otherwise


def run_render(label: str, work: Callable[[Callable[[int, int], None]], T]) -> tuple[T, float] | None:
    """Run ``work(progress)`` in its turn of the render queue inside a status box: (its result, seconds),
    or None after showing the error (nothing the session holds is lost)."""
    with st.status(label, expanded=True) as status:
        started = time.perf_counter()
        try:
            with _render_turn(status, label) as progress:
                result = work(progress)
        except ImagegenError as exc:
            status.update(label="Could not render", state="error", expanded=True)
            st.error(str(exc), icon=":material/error:")
            return None
        seconds = time.perf_counter() - started
        status.update(label=f"Done in {seconds:.1f} s", state="complete", expanded=False)
    return result, seconds


def render(session: Session, understood: Understood) -> None:
    """Render with a progress bar (frames done / total); errors are shown, nothing is lost."""
    bring_into_view(RESULT_KEY, "start")  # on a phone the result area is below the prompt and options
    done = run_render("Rendering…", lambda progress: write_outputs(session, understood, progress=progress))
    if done is None:
        return
    (output,), seconds = done
    st.session_state[LAST_OUTPUT_KEY] = output.id
    st.session_state[SCROLL_KEY] = (RESULT_KEY, output.id)
    state.flash("compose", ("success", f"Done in {seconds:.1f} s — {output.file}"))
    st.rerun()  # so the sidebar, preview and history all show the new output


def _script(code: str) -> None:
    """Run ``code`` in the page (our own constant code: no user text goes in). Streamlit runs an
    ``st.html`` element's scripts when its body changes, so each call's body differs from the last."""
    st.html(f"<script>{code}</script>", unsafe_allow_javascript=True)


#: Scroll a keyed container's top into view unless it already is in the upper part of the screen (on
#: a desktop the result column is beside the prompt: nothing moves). Retried while the page settles.
_SCROLL_JS = """(() => {{
  const find = () => document.querySelector('.st-key-{key}');
  let tries = 0;
  const go = () => {{
    const box = find();
    if (!box) {{ if (++tries < 20) setTimeout(go, 100); return; }}
    const top = box.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.45) {{
      box.style.scrollMarginTop = '4rem';  /* below Streamlit's header bar */
      box.scrollIntoView({{behavior: 'instant', block: 'start'}});
    }}
  }};
  setTimeout(go, 60);
}})(); /* {nonce} */"""


def bring_into_view(key: str, nonce: str) -> None:
    """Scroll the container keyed ``key`` into view (once per distinct ``nonce``)."""
    _script(_SCROLL_JS.format(key=key, nonce=json.dumps(nonce)))


def scroll_after_render() -> None:
    """The run after a render: bring its result into view (on a phone it is below the prompt)."""
    if request := st.session_state.pop(SCROLL_KEY, None):
        key, nonce = request
        bring_into_view(key, nonce)


def latest_output(outputs: tuple[Output, ...]) -> Output | None:
    """What the preview shows: this browser's last render, else the session's latest (after a refresh).

    An MP4/WebP made from a GIF (same prompt and scene) counts as that GIF: the first of the group."""
    by_id = {o.id: o for o in outputs}
    last = by_id.get(st.session_state.get(LAST_OUTPUT_KEY, ""))
    if last is not None or not outputs:
        return last
    newest = outputs[-1]
    return next(o for o in outputs if o.prompt == newest.prompt and o.scene_json == newest.scene_json)


def preview(session: Session, output: Output, prompt: str = "") -> None:
    """Show an output at its natural width (so GIFs animate) with its download button; an output of
    another prompt than the box's is marked (and dimmed) as earlier; one that plays once can replay."""
    stale = bool(prompt.strip()) and prompt.strip() != output.prompt.strip()
    if stale:
        st.info(
            "This is the result of an earlier prompt — click **Generate** to see the prompt above.",
            icon=":material/history:",
        )
    path = output_path(session, output)
    with st.container(key=f"{PREVIEW_KEY}_{'stale' if stale else 'current'}"):
        if output.format == OutputFormat.MP4.value:
            st.video(str(path), loop=True, autoplay=True, muted=True)
            st.caption(f"{output.file} · {describe_output(output)}")
        else:
            st.image(path.read_bytes(), caption=f"{output.file} · {describe_output(output)}")
    if stale:
        st.html(f"<style>.st-key-{PREVIEW_KEY}_stale img, .st-key-{PREVIEW_KEY}_stale video {{opacity: .45}}</style>")
    with st.container(horizontal=True, vertical_alignment="center"):
        download_button(session, output, key=f"compose_preview_download_{output.id}", primary=True)
        replay(output)
    scroll_after_render()
    alternatives(session, output)


def plays_once(output: Output) -> bool:
    """An animation in an image format that stops after a number of plays (a video has controls)."""
    if not output.scene_json or output.format == OutputFormat.MP4.value:
        return False
    scene = Scene.from_json(output.scene_json)
    return scene.animated and scene.timing.loops > 0


def _replay(output_id: str) -> None:
    _, count = st.session_state.get(REPLAY_KEY) or ("", 0)
    st.session_state[REPLAY_KEY] = (output_id, count + 1)


#: Load the preview again under a new address: the browser starts the animation from its first frame
#: (an <img> of an address it has played keeps showing the last frame).
_REPLAY_JS = """(() => {{
  document.querySelectorAll('.st-key-{key}_current img, .st-key-{key}_stale img').forEach((img) => {{
    const url = new URL(img.src, window.location.href);
    url.searchParams.set('replay', '{count}');
    img.src = url.href;
  }});
}})();"""


def replay(output: Output) -> None:
    """A Replay button beside the download of an animation that plays once."""
    if not plays_once(output):
        return
    key = f"compose_replay_{output.id}"
    st.button("Replay", key=key, on_click=_replay, args=(output.id,), icon=":material/replay:")
    replayed, count = st.session_state.get(REPLAY_KEY) or ("", 0)
    if replayed == output.id:
        _script(_REPLAY_JS.format(key=PREVIEW_KEY, count=int(count)))


#: What a GIF can also be had as: the same frames, a fraction of the bytes (lossy, no 256-colour limit).
ALTERNATIVE_FORMATS = (OutputFormat.MP4, OutputFormat.WEBP)


def alternatives(session: Session, output: Output) -> None:
    """Under a GIF preview: the same animation as MP4 or WebP, each made only when asked, then offered
    with its size. It is rendered from the GIF's own scene, so it is the same animation, and it is kept
    in the History like any output. A heavy GIF gets its MP4 made at once, and the measured saving."""
    if output.format != OutputFormat.GIF.value or not output.scene_json:
        return
    outputs = session.manifest().outputs
    if lighter_format_advised(output):
        _lighter(session, output, _alternative(outputs, output, OutputFormat.MP4))
    st.caption("The same animation in another format, made when you ask (MP4 is usually much smaller):")
    for fmt in ALTERNATIVE_FORMATS:
        made = _alternative(outputs, output, fmt)
        # One row per format: its button, then (once made) how its size compares with the GIF's.
        with st.container(horizontal=True, vertical_alignment="center"):
            if made is not None:
                download_button(session, made, key=f"compose_alt_download_{made.id}")
                st.caption(_relative_size(made.bytes, output.bytes))
            elif st.button(f"Make {fmt.display}", key=f"compose_alt_{fmt.value}_{output.id}", icon=":material/movie:"):
                _make_alternative(session, output, fmt)


def _lighter(session: Session, gif: Output, mp4: Output | None) -> None:
    """A GIF over the advised size: make its MP4 once (the GIF is already on screen), then say how much
    lighter it is, measured, with its download. The GIF stays the main download: it plays everywhere."""
    heavy = format_bytes(gif.bytes)
    if mp4 is None:
        tried = st.session_state.setdefault(TRIED_KEY, set())
        if gif.id in tried:
            return  # it failed or was interrupted: the Make MP4 button below still offers it
        tried.add(gif.id)
        label = f"This GIF is {heavy} — making the same animation as MP4 to compare…"
        if run_render(label, lambda progress: _mp4_of(session, gif, progress)) is not None:
            st.rerun()
        return
    with st.container(border=True, key="compose_lighter"):
        st.markdown(
            f"**This GIF is {heavy}** — heavy for e-mail, ads and chat apps. The same animation as **MP4 is "
            f"{format_bytes(mp4.bytes)}** ({_relative_size(mp4.bytes, gif.bytes)}, measured on the file)."
        )
        download_button(session, mp4, key=f"compose_lighter_download_{mp4.id}")


def _mp4_of(session: Session, gif: Output, progress: Callable[[int, int], None]) -> Output:
    return generate(session, gif.prompt, Scene.from_json(gif.scene_json), fmt=OutputFormat.MP4, progress=progress)


def _relative_size(size: int, gif: int) -> str:
    """``27% of the GIF's size`` or, when larger, ``2.9× the GIF's size`` (never hidden)."""
    ratio = size / max(gif, 1)
    return f"{ratio:.0%} of the GIF's size" if ratio < 1 else f"{ratio:.1f}× the GIF's size"


def _alternative(outputs: tuple[Output, ...], gif: Output, fmt: OutputFormat) -> Output | None:
    return next(
        (
            o
            for o in outputs
            if o.format == fmt.value
            and o.prompt == gif.prompt
            and o.scene_json == gif.scene_json
            and o.created >= gif.created
        ),
        None,
    )


def _make_alternative(session: Session, gif: Output, fmt: OutputFormat) -> None:
    with st.spinner(f"Making the {fmt.display}…"):
        try:
            generate(session, gif.prompt, Scene.from_json(gif.scene_json), fmt=fmt)
        except ImagegenError as exc:
            st.error(str(exc), icon=":material/error:")
            return
    st.rerun()


def download_button(
    session: Session, output: Output, *, key: str, primary: bool = False, stretch: bool = False
) -> None:
    """A one-click download of ``output``, its bytes handed to Streamlit now: call it for few outputs.

    Not ``data=callable``: Streamlit 1.67 stores a deferred download's file tied to no session, and any
    two other sessions that finish a rerun before the browser fetches it delete it (a cancelled download
    under load). Bytes passed here stay served while this session shows the button; the
    storage keys them by content and name, so the preview's and the history's buttons share one copy.
    """
    st.download_button(
        f"Download {OutputFormat(output.format).name} ({format_bytes(output.bytes)})",
        data=output_path(session, output).read_bytes(),
        file_name=output.file,
        mime=OutputFormat(output.format).mime,
        key=key,
        on_click="ignore",
        type="primary" if primary else "secondary",
        icon=":material/download:",
        width="stretch" if stretch else "content",
        wrap=True,  # in a column or a row Streamlit would cut the label to "Downl…"
    )


def describe_output(output: Output) -> str:
    """``GIF, 36 frames (144 drawn, identical ones merged), 4 s, 3.1 MB``: the frames the file holds."""
    fmt = OutputFormat(output.format).name
    scene = Scene.from_json(output.scene_json) if output.scene_json else None
    if scene is None or output.frames <= 1:
        return f"{fmt}, {format_bytes(output.bytes)}"
    drawn = scene.frame_count if scene.animated else scene.timing.frame_count
    merged = f" ({drawn} drawn, identical ones merged)" if drawn > output.frames else ""
    seconds = f"{scene.timing.duration_s:g} s"
    return f"{fmt}, {output.frames} frames{merged}, {seconds}, {format_bytes(output.bytes)}"

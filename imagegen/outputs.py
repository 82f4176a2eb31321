"""Prompt -> file in the session: the one pipeline the app uses (the CLI runs the same steps session-less).

``understand`` parses a prompt against the session's tags; ``generate`` renders a parsed scene into the
session's outputs (written atomically) and records it in the manifest with its prompt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from imagegen.edits import EditResult, apply_edit
from imagegen.errors import RenderError, SessionError, SessionExpiredError
from imagegen.export import OutputFormat, check_format, default_format, export, output_name, zip_files
from imagegen.export.thumbs import write_thumbnail
from imagegen.prompt import ParseResult, parse
from imagegen.prompt.explain import scaling_lines as explain_scaling
from imagegen.prompt.result import PromptWarning
from imagegen.render import ImageSource, check_limits, prepare
from imagegen.render.layout import scaling_notes
from imagegen.render.sources import load_source
from imagegen.scene import Canvas, Scene, Timing
from imagegen.sizes import SizeSpec, resize
from imagegen.store.assets import tag_map, tags, thumb_map
from imagegen.store.session import Output, Session
from imagegen.store.tags import tag_key

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ZIP_NAME = "all-outputs.zip"  # the session's ZIP of everything, rebuilt by each zip_outputs()


@dataclass(frozen=True)
class Overrides:
    """Settings chosen outside the prompt (app's advanced options, CLI flags); None keeps the prompt's."""

    size: tuple[int, int] | None = None
    duration_s: float | None = None
    fps: float | None = None

    def apply(self, scene: Scene) -> Scene:
        canvas: Canvas = scene.canvas
        timing: Timing = scene.timing
        if self.size is not None:
            canvas = replace(canvas, width=self.size[0], height=self.size[1])
        if self.duration_s is not None:
            timing = replace(timing, duration_s=self.duration_s)
        if self.fps is not None:
            timing = replace(timing, fps=self.fps)
        return replace(scene, canvas=canvas, timing=timing)

    def notes(self, scene: Scene) -> list[str]:
        """One line per setting that changes what the prompt asked for, then those that cannot apply."""
        return self.changes(scene) + self.unused(scene)

    def changes(self, scene: Scene) -> list[str]:
        lines: list[str] = []
        if self.size is not None and self.size != scene.canvas.size:
            (w, h), (pw, ph) = self.size, scene.canvas.size
            lines.append(f"Canvas {w}x{h} (your setting; the prompt gives {pw}x{ph}).")
        for value, name, unit, prompt_value in self._timing(scene):
            if scene.animated and value != prompt_value:
                lines.append(f"{name} {value:g} {unit} (your setting; the prompt gives {prompt_value:g} {unit}).")
        return lines

    def unused(self, scene: Scene) -> list[str]:
        """Settings that cannot apply to ``scene`` (none is ignored silently)."""
        if scene.animated:
            return []
        return [
            f"{name} {value:g} {unit} (your setting) is not used: nothing moves, so this is a still image."
            for value, name, unit, _ in self._timing(scene)
        ]

    def _timing(self, scene: Scene) -> list[tuple[float, str, str, float]]:
        said = [
            (self.duration_s, "Duration", "s", scene.timing.duration_s),
            (self.fps, "Frame rate", "fps", scene.timing.fps),
        ]
        return [(value, name, unit, prompt_value) for value, name, unit, prompt_value in said if value is not None]


def understand(
    session: Session, prompt: str, overrides: Overrides | None = None, fmt: OutputFormat | None = None
) -> ParseResult:
    """Parse ``prompt`` against the session's tags, then apply the settings chosen outside the prompt.

    The result's scene is what will render; each setting that changes it is a line in its warnings (quiet).

    :raise PromptError, LimitError: the prompt cannot be used; :raise RenderError: a still format for an animation.
    """
    result = parse(prompt, tags(session), limits=session.store.limits)
    overrides = overrides or Overrides()
    scene = overrides.apply(result.scene)
    check_limits(scene, session.store.limits)
    lines = overrides.notes(result.scene)
    if fmt is not None:
        check_format(scene, fmt)
        lines.append(f"Format {fmt.name} (your setting).")
        held = still_length(scene, fmt)
        if held is not None:  # the Duration/fps are used after all: a video of a still lasts that long
            lines = [line for line in overrides.changes(result.scene) if line] + lines[-1:]
            lines.append(f"The still is held {held:g} s at {scene.timing.fps:g} fps in the {fmt.name}.")
    notes = tuple(PromptWarning(line, quiet=True) for line in lines)
    return replace(result, scene=scene, warnings=result.warnings + notes)


def scaling_lines(session: Session, result: ParseResult) -> list[str]:
    """Honest words about how the session's images are scaled in ``result``'s scene (see explain)."""
    sizes = {asset.tag: (asset.width, asset.height) for asset in session.manifest().assets}
    return explain_scaling(scaling_notes(result.scene, sizes), canvas_said=result.canvas_said)


def still_length(scene: Scene, fmt: OutputFormat) -> float | None:
    """Seconds a still scene lasts in ``fmt``: a video always has a length (5 s, or the Duration set); None
    for the image formats (an animated WebP/GIF/APNG of identical frames is stored as one image anyway)."""
    if scene.animated or fmt is not OutputFormat.MP4:
        return None
    return scene.timing.duration_s


def generate(
    session: Session,
    prompt: str,
    scene: Scene,
    *,
    fmt: OutputFormat | None = None,
    quality: int = 90,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    edits: Sequence[str] = (),
    parent: str = "",
) -> Output:
    """Render ``scene`` into the session's outputs and record it (with the edits that led to it, if any).

    :raise LimitError: before any work (``prepare`` checks), when the scene is over a limit.
    :raise RenderError: the render or the write failed (nothing partial is left behind).
    :raise SessionExpiredError: the session was removed meanwhile.
    """
    history = (tuple(edits), parent)
    return _generate(session, prompt, scene, tag_map(session), scene.tags, fmt, quality, progress, cancel, now, history)


def edit_output(
    session: Session,
    output: Output,
    instruction: str,
    *,
    quality: int = 90,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> tuple[Output, EditResult]:
    """Apply one follow-up edit to ``output``'s Scene and render the result as a new output.

    The new output keeps the prompt, adds ``instruction`` to the edits and names ``output`` as its parent
    (so Undo is the parent). The format is the one the edit names, else ``output``'s when it still fits.
    """
    before = Scene.from_json(output.scene_json)
    result = apply_edit(before, instruction, limits=session.store.limits)
    fmt = result.fmt or OutputFormat(output.format)
    if result.fmt is None and fmt.animated != result.scene.animated and fmt is not default_format(result.scene):
        fmt = default_format(result.scene)  # a GIF that no longer moves becomes a PNG (and back)
    check_format(result.scene, fmt)
    edited = generate(
        session,
        output.prompt,
        result.scene,
        fmt=fmt,
        quality=quality,
        progress=progress,
        now=now,
        edits=(*output.edits, instruction.strip()),
        parent=output.id,
    )
    return edited, result


def _generate(
    session: Session,
    prompt: str,
    scene: Scene,
    images: Mapping[str, ImageSource],
    name_parts: tuple[str, ...],
    fmt: OutputFormat | None,
    quality: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    now: datetime | None,
    history: tuple[tuple[str, ...], str] = ((), ""),
) -> Output:
    plan = prepare(scene, images, limits=session.store.limits, thumbnails=thumb_map(session))
    fmt = fmt or default_format(scene)
    if still_length(scene, fmt) is not None:
        plan.hold(scene.timing, session.store.limits)
    texts = {layer.tag for layer in scene.layers if layer.text is not None}  # internal ids, not names
    dest = _reserve(session, tuple(part for part in name_parts if part not in texts), fmt, now or datetime.now())
    try:
        export(plan, dest, fmt, quality=quality, progress=progress, cancel=cancel)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            dest.unlink()  # the placeholder (export leaves nothing of its own behind)
        if isinstance(exc, RenderError) and not session.dir.exists():
            raise session.expired_error() from None
        raise
    thumb = write_thumbnail(dest, plan.still)
    output = Output(
        id=secrets.token_hex(8),
        file=dest.name,
        prompt=prompt,
        format=fmt.value,
        tags=scene.tags,
        frames=plan.frame_count,
        bytes=dest.stat().st_size,
        created=session.store.clock(),
        scene_json=scene.to_json(),
        edits=history[0],
        parent=history[1],
        thumb=thumb.name if thumb else "",
    )
    try:
        session.update(lambda m: replace(m, outputs=(*m.outputs, output)))
    except SessionExpiredError:
        for path in (dest, thumb):
            if path is not None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        raise
    log.info("session %s: wrote %s (%d bytes)", session.id[:8], dest.name, output.bytes)
    return output


def generate_sizes(
    session: Session,
    prompt: str,
    scene: Scene,
    sizes: Sequence[SizeSpec],
    *,
    fmt: OutputFormat | None = None,
    quality: int = 90,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> list[Output]:
    """Render ``scene`` once per size (each re-flowed by :func:`imagegen.sizes.resize`), in order.

    Every size is checked against the limits before any work; the images are read once. Each file is
    a normal output (named ``<time>-<size label>-<tags>``) recorded with its own re-sized Scene.
    ``progress`` counts frames over all sizes.
    """
    limits = session.store.limits
    scenes = [resize(scene, spec) for spec in sizes]
    for sized in scenes:
        check_limits(sized, limits)
        if fmt is not None:
            check_format(sized, fmt)
    paths = tag_map(session)
    images: dict[str, ImageSource] = {tag: load_source(tag, paths[tag], limits) for tag in paths if _used(tag, scene)}
    total = sum(s.frame_count for s in scenes)
    outputs: list[Output] = []
    for index, (spec, sized) in enumerate(zip(sizes, scenes, strict=True)):
        done_before = sum(s.frame_count for s in scenes[:index])
        step = None if progress is None else _offset(progress, done_before, total)
        outputs.append(
            _generate(session, prompt, sized, images, (spec.label, *sized.tags), fmt, quality, step, cancel, now)
        )
        if progress is not None and not sized.animated:
            progress(done_before + 1, total)
    return outputs


def _used(tag: str, scene: Scene) -> bool:
    return any(tag_key(tag) == tag_key(layer.tag) for layer in scene.layers)


def _offset(progress: Progress, done_before: int, total: int) -> Progress:
    return lambda done, _frames: progress(done_before + done, total)


def zip_group(session: Session, outputs: Sequence[Output], name: str = "sizes.zip") -> Path:
    """A ZIP of some outputs (e.g. one design's sizes) in the session's folder."""
    files = [(o.file, output_path(session, o)) for o in outputs]
    return zip_files(files, session.dir / name)


def _reserve(session: Session, tags: tuple[str, ...], fmt: OutputFormat, now: datetime) -> Path:
    """Claim a free name in the outputs with an empty placeholder (O_EXCL), so that renders running at
    the same time (two tabs on one session) never write, or record, the same file."""
    taken = {o.file for o in session.manifest().outputs}
    if session.outputs.is_symlink():
        raise SessionError("This session's outputs folder has been tampered with (it is a link); start a new session.")
    while True:
        try:
            taken.update(os.listdir(session.outputs))
            dest = session.outputs / output_name(tags, fmt, now, taken)
            os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
            return dest
        except FileExistsError:
            continue  # another render took it between the listing and the claim: list again
        except FileNotFoundError:
            raise session.expired_error() from None


def output_path(session: Session, output: Output) -> Path:
    """The file of ``output``, refusing anything that is not a plain file in the session's outputs."""
    return session.path_of(session.outputs, output.file)


def remove_output(session: Session, output_id: str) -> None:
    """Delete one output file and its history entry."""
    with session.lock():  # re-entrant: the file goes after the manifest is saved, under the same lock
        with session.edit() as draft:
            outputs = draft.manifest.outputs
            gone = [o for o in outputs if o.id == output_id]
            draft.manifest = replace(draft.manifest, outputs=tuple(o for o in outputs if o.id != output_id))
        for output in gone:
            for name in (output.file, output.thumb):
                if name:
                    with contextlib.suppress(FileNotFoundError):
                        (session.outputs / name).unlink()


def zip_outputs(session: Session, *, with_uploads: bool = False) -> Path:
    """A ZIP of every output (and optionally the uploads, under their tags) in the session's folder."""
    manifest = session.manifest()
    files = [(o.file, session.outputs / o.file) for o in manifest.outputs]
    if with_uploads:
        files += [(f"uploads/{a.tag}.png", session.uploads / a.file) for a in manifest.assets]
    existing = [(name, path) for name, path in files if path.is_file() and not path.is_symlink()]
    return zip_files(existing, session.dir / ZIP_NAME)

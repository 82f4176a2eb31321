"""The service for a session: a request -> files in the session's outputs, each recorded with its prompt.

:func:`understand` resolves a request against the session's images (see :mod:`.pipeline`);
:func:`write_outputs` renders it into the outputs (written atomically) and records each file in the
manifest with its prompt, its Scene and the edits that led to it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from imagegen.errors import RenderError, SessionError, SessionExpiredError
from imagegen.export import OutputFormat, output_name, zip_files
from imagegen.export.naming import slugged_name
from imagegen.export.stored import stored_frames
from imagegen.export.thumbs import write_thumbnail
from imagegen.prompt import BrandWords, ImageAbout
from imagegen.render import RenderPlan
from imagegen.scene import Scene
from imagegen.service import pipeline
from imagegen.service.request import Notice, RenderRequest, Target, Understood, notices_json
from imagegen.service.sizes import SizeSpec
from imagegen.store.assets import tag_map, thumb_map
from imagegen.store.session import Asset, Output, Session

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ZIP_NAME = "all-outputs.zip"  # the session's ZIP of everything, rebuilt by each zip_outputs()
#: Over this, a GIF is heavy for e-mail, ad slots and chat apps: callers offer its MP4 (a few % of it).
HEAVY_GIF_BYTES = 5 * 1024 * 1024


def understand(session: Session, request: RenderRequest) -> Understood:
    """``request`` resolved against the session's images (their tags and sizes), before any pixel.

    :raise PromptError, LimitError: the prompt or a setting cannot be used; :raise RenderError: a
        still format for an animation.
    """
    assets = session.manifest().assets
    sizes = {asset.tag: (asset.width, asset.height) for asset in assets}
    about = {asset.tag: ImageAbout(asset.original_name, asset.photo_like) for asset in assets}
    return pipeline.understand(request, sizes, limits=session.store.limits, about=about)


def write_outputs(
    session: Session,
    understood: Understood,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    parent: str = "",
) -> list[Output]:
    """Render every target of ``understood`` into the session's outputs and record each one.

    :raise LimitError: before any work, when a target is over a limit.
    :raise RenderError: the render or the write failed (nothing partial is left behind).
    :raise SessionExpiredError: the session was removed meanwhile.
    """
    now = now or datetime.now()
    claimed: list[Path] = []

    def destination(target: Target) -> Path:
        scene = target.scene
        texts = {layer.tag for layer in scene.layers if layer.text is not None}  # internal ids, not names
        parts = tuple(part for part in scene.tags if part not in texts)
        claimed.append(_reserve(session, (target.label, *parts) if target.label else parts, target.fmt, now))
        return claimed[-1]

    outputs: list[Output] = []
    design: dict[int, tuple[Notice, ...]] = {}  # per target (by identity): its design lines

    def checked(target: Target, notices: tuple[Notice, ...]) -> None:
        design[id(target)] = notices

    def record(target: Target, path: Path, plan: RenderPlan) -> None:
        claimed.remove(path)
        lines = notices_json(design.get(id(target), ()))
        outputs.append(_record(session, target, path, plan, understood.request, parent, lines))

    try:
        pipeline.render(
            understood,
            tag_map(session),
            destination,
            limits=session.store.limits,
            progress=progress,
            cancel=cancel,
            thumbnails=thumb_map(session),
            written=record,
            checked=checked,
        )
    except BaseException as exc:
        _forget(claimed)  # the placeholders (export leaves nothing of its own behind)
        if isinstance(exc, RenderError) and not session.dir.exists():
            raise session.expired_error() from None
        raise
    return outputs


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
    """Render a Scene as it is (``prompt`` and ``edits`` are what made it, recorded with the output)."""
    request = RenderRequest(prompt, fmt=fmt, quality=quality, scene=scene)
    understood = understand(session, request)
    recorded = replace(understood, request=replace(request, edits=tuple(edits)))
    return write_outputs(session, recorded, progress=progress, cancel=cancel, now=now, parent=parent)[0]


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
    """Render a Scene once per size (each re-flowed), in order; each file is a normal output named
    ``<time>-<size label>-<tags>``. Every size is checked before any work; the images are read once."""
    request = RenderRequest(prompt, fmt=fmt, quality=quality, scene=scene, sizes=tuple(sizes))
    return write_outputs(session, understand(session, request), progress=progress, cancel=cancel, now=now)


def edit_output(
    session: Session,
    output: Output,
    instruction: str,
    *,
    quality: int = 90,
    progress: Progress | None = None,
    now: datetime | None = None,
    brand: BrandWords | None = None,
) -> tuple[Output, Understood]:
    """Apply one follow-up edit to ``output``'s Scene and render the result as a new output.

    The new output keeps the prompt, adds ``instruction`` to the edits and names ``output`` as its parent
    (so Undo is the parent). The format is the one the edit names, else ``output``'s when it still fits.
    """
    request = RenderRequest(
        output.prompt,
        edits=(instruction,),
        keep_fmt=OutputFormat(output.format),
        quality=quality,
        scene=Scene.from_json(output.scene_json),
        brand=brand,
    )
    understood = understand(session, request)
    recorded = replace(understood, request=replace(request, edits=(*output.edits, instruction.strip())))
    edited = write_outputs(session, recorded, progress=progress, now=now, parent=output.id)[0]
    return edited, understood


def lighter_format_advised(output: Output) -> bool:
    """True for a GIF over :data:`HEAVY_GIF_BYTES`: the same animation as MP4 is worth offering."""
    return output.format == OutputFormat.GIF.value and output.bytes > HEAVY_GIF_BYTES


def _record(  # noqa: PLR0917 (the parts of one record, each named at its one call)
    session: Session, target: Target, dest: Path, plan: RenderPlan, request: RenderRequest, parent: str, design: str
) -> Output:
    """Add the written file to the manifest (with a thumbnail); a session gone meanwhile leaves nothing."""
    thumb = write_thumbnail(dest, plan.still)
    output = Output(
        id=secrets.token_hex(8),
        file=dest.name,
        prompt=request.prompt,
        format=target.fmt.value,
        tags=target.scene.tags,
        frames=stored_frames(dest, target.fmt) or pipeline.frames_of(target),  # what the file holds
        bytes=dest.stat().st_size,
        created=session.store.clock(),
        scene_json=target.scene.to_json(),
        edits=request.edits,
        parent=parent,
        thumb=thumb.name if thumb else "",
        design=design,
    )
    try:
        session.update(lambda m: replace(m, outputs=(*m.outputs, output)))
    except SessionExpiredError:
        _forget([dest, thumb])
        raise
    log.info("session %s: wrote %s (%d bytes)", session.id[:8], dest.name, output.bytes)
    return output


def _forget(paths: Sequence[Path | None]) -> None:
    for path in paths:
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def zip_group(session: Session, outputs: Sequence[Output], name: str = "sizes.zip") -> Path:
    """A ZIP of some outputs (e.g. one design's sizes) in the session's folder, with its manifest."""
    files = [(slugged_name(o.file, o.prompt), output_path(session, o)) for o in outputs]
    return zip_files(files, session.dir / name, manifest=[manifest_row(o) for o in outputs])


def manifest_row(output: Output) -> dict[str, object]:
    """What made one output and what it is, for a ZIP's manifest (the ``file`` column is added there)."""
    canvas = Scene.from_json(output.scene_json).canvas if output.scene_json else None
    return {
        "prompt": output.prompt,
        "edits": " → ".join(output.edits),
        "size": f"{canvas.width}x{canvas.height}" if canvas else "",
        "format": OutputFormat(output.format).name,
        "frames": output.frames,
        "bytes": output.bytes,
        "created": datetime.fromtimestamp(output.created).isoformat(timespec="seconds"),
        "original_file": output.file,
    }


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
    """A ZIP of every output (and optionally the uploads, under their tags) in the session's folder.

    Each output's name inside carries a slug of its prompt; ``manifest.csv`` lists every file with the
    prompt (and edits) that made it, its size, format, frames and bytes."""
    manifest = session.manifest()
    entries = [(slugged_name(o.file, o.prompt), session.outputs / o.file, manifest_row(o)) for o in manifest.outputs]
    if with_uploads:
        entries += [
            (f"uploads/{a.tag}.png", session.uploads / a.file, _upload_row(a, session.uploads / a.file))
            for a in manifest.assets
        ]
    existing = [entry for entry in entries if entry[1].is_file() and not entry[1].is_symlink()]
    files = [(name, path) for name, path, _ in existing]
    return zip_files(files, session.dir / ZIP_NAME, manifest=[row for _, _, row in existing])


def _upload_row(asset: Asset, path: Path) -> dict[str, object]:
    """An uploaded image's manifest row: no prompt made it; its tag says which image it is."""
    return {
        "prompt": "",
        "edits": "",
        "size": f"{asset.width}x{asset.height}",
        "format": "PNG",
        "frames": 1,
        "bytes": path.stat().st_size if path.is_file() else 0,
        "created": datetime.fromtimestamp(asset.added).isoformat(timespec="seconds"),
        "original_file": asset.original_name,
    }

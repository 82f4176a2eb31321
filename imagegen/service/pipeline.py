"""Request -> understood -> file(s): the one pipeline behind the app, the command line and the batch.

:func:`understand` parses (or takes a saved Scene), applies the settings, the follow-up edits, the format
and the sizes, checks every target against the limits, and gathers every line a user should read.
:func:`render` draws each target into the file its caller names. :func:`open_images` reads image files
with the upload rules, so a file given on the command line or in a batch renders exactly as it does
once uploaded to the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from imagegen.errors import ImagegenError
from imagegen.export import OutputFormat, check_format, default_format, export
from imagegen.limits import LIMITS, Limits, check_timing
from imagegen.prompt import BrandWords, ImageAbout, ParseResult, parse
from imagegen.prompt.brand import speaking
from imagegen.prompt.explain import scaling_lines
from imagegen.render import ImageSource, RenderPlan, check_limits, prepare
from imagegen.render.design import DesignIssue, check_design
from imagegen.render.layout import room_notes, scaling_notes
from imagegen.render.sources import load_source
from imagegen.render.text import text_warnings
from imagegen.scene import Scene
from imagegen.service.edits import apply_edit
from imagegen.service.request import Fix, Notice, NoticeKind, Overrides, RenderRequest, Target, Understood
from imagegen.service.sizes import resize
from imagegen.store.cleanup import looks_like_photo
from imagegen.store.images import load_image, stored_form, thumbnail
from imagegen.store.tags import tag_key

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
Checked = Callable[[Target, tuple[Notice, ...]], None]
Size = tuple[int, int]


def understand(
    request: RenderRequest,
    images: Mapping[str, Size | None],
    *,
    limits: Limits = LIMITS,
    about: Mapping[str, ImageAbout] | None = None,
) -> Understood:
    """Resolve ``request`` against the images it may use (tag -> upright size, None when unknown), before
    any pixel; ``about``: each image's file name and whether it looks like a photo (see :func:`about_images`),
    so "the photo" and "summer-sale.png" in a prompt find it.

    :raise PromptError, LimitError: the prompt, an edit or a setting cannot be used (nothing renders);
    :raise RenderError: a still-only format for an animation.
    """
    parsed = _parsed(request, images, limits, about)
    scene = request.overrides.apply(parsed.scene)
    scene, edit_fmt, changes = _edited(scene, request.edits, limits, request.brand)
    fmt = edit_fmt or request.fmt or _kept(request.keep_fmt, scene)
    targets = tuple(_targets(scene, fmt, request))
    for target in targets:
        check_limits(target.scene, limits)
        check_format(target.scene, target.fmt)
        if held_length(target.scene, target.fmt) is not None:
            check_timing(target.scene.timing.duration_s, target.scene.timing.fps, limits)
    notices = [*_parse_notices(parsed), *_setting_notices(request, parsed.scene, targets)]
    notices += _render_notices(targets, images, canvas_said=parsed.canvas_said)
    return Understood(request, parsed, scene, targets, tuple(dict.fromkeys(notices)), changes)


def held_length(scene: Scene, fmt: OutputFormat) -> float | None:
    """Seconds a still lasts in ``fmt``: a video always has a length (the timing's, 5 s unless set); None
    for the image formats (an animated WebP/GIF/APNG of identical frames is stored as one image anyway)."""
    if scene.animated or not fmt.record.video:
        return None
    return scene.timing.duration_s


def render(
    understood: Understood,
    images: Mapping[str, ImageSource],
    destination: Callable[[Target], Path],
    *,
    limits: Limits = LIMITS,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    thumbnails: Mapping[str, ImageSource] | None = None,
    written: Callable[[Target, Path, RenderPlan], None] | None = None,
    checked: Checked | None = None,
) -> list[tuple[Target, Path]]:
    """Write each target of ``understood`` to ``destination(target)``, in order; ``progress`` counts frames
    over all targets. Several targets read each image once. ``written`` hears of each file as it is done
    (with its plan, e.g. for a thumbnail of a video's first frame); ``checked`` hears, before each file is
    encoded, what the design checks saw in its frames (:func:`design_notices`).

    :raise LimitError, RenderError, RenderCancelled: nothing of the failing target is left behind.
    """
    targets = understood.targets
    if len(targets) > 1:
        images = _loaded(images, understood.scene, limits)
    if thumbnails is None:
        thumbnails = _slide_thumbnails(understood.scene, images)
    total = sum(frames_of(t) for t in targets)
    request = understood.request
    how = _Writing(request, request.quality, limits, thumbnails, cancel=cancel, written=written, checked=checked)
    done: list[tuple[Target, Path]] = []
    done_before = 0
    for target in targets:
        step = None if progress is None else _offset(progress, done_before, total)
        path = _write(target, images, destination, replace(how, progress=step))
        done.append((target, path))
        done_before += frames_of(target)
        if progress is not None and frames_of(target) == 1:
            progress(done_before, total)
    return done


def render_file(
    target: Target,
    images: Mapping[str, ImageSource],
    dest: Path,
    *,
    quality: int = 90,
    limits: Limits = LIMITS,
    checked: Checked | None = None,
) -> Path:
    """One target to ``dest`` (a batch row's task: its target comes resolved from :func:`understand`);
    ``checked`` hears the design lines of its frames (without one-click fixes: a row has no prompt box)."""
    writing = _Writing(None, quality, limits, _slide_thumbnails(target.scene, images), checked=checked)
    return _write(target, images, lambda _target: dest, writing)


@dataclass(frozen=True)
class _Writing:
    """How files are written: the request (for design fixes; None for a batch row) and the callbacks."""

    request: RenderRequest | None
    quality: int
    limits: Limits
    thumbnails: Mapping[str, ImageSource] | None
    progress: Progress | None = None
    cancel: Cancel | None = None
    written: Callable[[Target, Path, RenderPlan], None] | None = None
    checked: Checked | None = None


def _write(
    target: Target, images: Mapping[str, ImageSource], destination: Callable[[Target], Path], how: _Writing
) -> Path:
    """Prepare, check and encode one target; its plan (and the images it scaled) goes when it is written."""
    plan = prepare(target.scene, images, limits=how.limits, thumbnails=how.thumbnails)
    if how.checked is not None:
        request = how.request
        how.checked(target, design_notices(plan, request, list(images)) if request else design_notices(plan))
    path = export(plan, destination(target), target.fmt, quality=how.quality, progress=how.progress, cancel=how.cancel)
    if how.written is not None:
        how.written(target, path, plan)
    return path


def design_notices(
    plan: RenderPlan, request: RenderRequest | None = None, tags: Sequence[str] = ()
) -> tuple[Notice, ...]:
    """What the design checks saw in ``plan``'s frames, as lines every caller shows alike, each with the
    fixes the parser understands: a phrase added after the text in ``request``'s prompt (only when the
    prompt, read with ``tags``, then means what the phrase says) or a follow-up edit that applies."""
    notices = [
        Notice(issue.message, NoticeKind.DESIGN, _fixes(issue, plan.scene, request, tags))
        for issue in check_design(plan)
    ]
    return tuple(dict.fromkeys(notices))


def _fixes(issue: DesignIssue, scene: Scene, request: RenderRequest | None, tags: Sequence[str]) -> tuple[Fix, ...]:
    fixes: list[Fix] = []
    if issue.edit and _edit_applies(scene, issue.edit):
        fixes.append(Fix(issue.edit, edit=issue.edit))
    if request is not None and request.scene is None:
        for phrase in issue.phrases:
            prompt = with_phrase(request.prompt, scene, issue.layer, phrase, tags)
            if prompt is not None:
                fixes.append(Fix(phrase, prompt=prompt))
    return tuple(fixes)


def _edit_applies(scene: Scene, text: str) -> bool:
    try:
        return bool(apply_edit(scene, text).changes)
    except ImagegenError:
        return False


_QUOTES = (('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u2018", "\u2019"))


def with_phrase(prompt: str, scene: Scene, tag: str, phrase: str, tags: Sequence[str]) -> str | None:
    """``prompt`` with ``phrase`` added right after the quoted text of layer ``tag`` ('"Sale" with a black
    outline, at the top'), or None when that text is not quoted in it or the parser would not read the
    phrase as a change of that text alone (so a fix never suggests words the parser does not understand)."""
    layer = next((layer for layer in scene.layers if layer.tag == tag and layer.text is not None), None)
    if layer is None or layer.text is None:
        return None
    at = _after_quote(prompt, layer.text.text)
    if at is None:
        return None
    changed = f"{prompt[:at]} {phrase}{prompt[at:]}"
    try:
        before, after = parse(prompt, list(tags)), parse(changed, list(tags))
    except ImagegenError:
        return None
    old = [layer.text for layer in before.scene.layers if layer.text is not None]
    new = [layer.text for layer in after.scene.layers if layer.text is not None]
    differ = [index for index, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    same_rest = len(old) == len(new) and len(before.scene.layers) == len(after.scene.layers)
    quiet = {w.message for w in before.warnings} >= {w.message for w in after.warnings}
    return changed if same_rest and quiet and len(differ) == 1 else None


def _after_quote(prompt: str, text: str) -> int | None:
    """Where the quoted ``text`` ends in ``prompt`` (after its closing quote), None when it is not there."""
    for written in dict.fromkeys((text, text.replace("\n", " / "))):
        for opening, closing in _QUOTES:
            found = prompt.find(f"{opening}{written}{closing}")
            if found >= 0:
                return found + len(opening) + len(written) + len(closing)
    return None


def open_images(paths: Mapping[str, Path], *, limits: Limits = LIMITS) -> dict[str, Image.Image]:
    """Each file decoded and checked as an upload is (allowed formats, size, pixels, EXIF turned upright),
    in the form the app stores it: what renders is the same whichever way the image came in.

    :raise UploadError: naming the file, what is wrong and what would work.
    """
    return {tag: stored_form(load_image(Path(path), limits)) for tag, path in paths.items()}


def sizes_of(images: Mapping[str, Image.Image]) -> dict[str, Size]:
    return {tag: image.size for tag, image in images.items()}


def _parsed(
    request: RenderRequest, images: Mapping[str, Size | None], limits: Limits, about: Mapping[str, ImageAbout] | None
) -> ParseResult:
    if request.scene is not None:
        return ParseResult(request.scene)
    return parse(request.prompt, list(images), limits=limits, brand=request.brand, about=about)


def about_images(paths: Mapping[str, Path], images: Mapping[str, Image.Image]) -> dict[str, ImageAbout]:
    """What a prompt may say of files read by :func:`open_images`: each one's name, and whether it looks like a
    photo (judged as an upload is, so the command line reads "the photo" as the app does)."""
    return {tag: ImageAbout(Path(path).name, looks_like_photo(images[tag])) for tag, path in paths.items()}


def _edited(
    scene: Scene, edits: Iterable[str], limits: Limits, brand: BrandWords | None = None
) -> tuple[Scene, OutputFormat | None, tuple[tuple[str, tuple[str, ...]], ...]]:
    """``scene`` after each edit in order, the last format an edit named, and what each edit changed."""
    fmt: OutputFormat | None = None
    changes: list[tuple[str, tuple[str, ...]]] = []
    for text in edits:
        with speaking(brand):  # "background colour: white -> brand blue (#0055A4)"
            result = apply_edit(scene, text, limits=limits, brand=brand)
        scene, fmt = result.scene, result.fmt or fmt
        changes.append((text.strip(), result.changes))
    return scene, fmt, tuple(changes)


def _kept(fmt: OutputFormat | None, scene: Scene) -> OutputFormat:
    """An earlier output's format while it fits the scene's motion, else the scene's default."""
    if fmt is not None and (fmt.animated == scene.animated or fmt is default_format(scene)):
        return fmt
    return default_format(scene)


def _targets(scene: Scene, fmt: OutputFormat, request: RenderRequest) -> Iterable[Target]:
    if not request.sizes:
        yield Target(scene, fmt)
        return
    for spec in request.sizes:
        yield Target(resize(scene, spec), fmt, spec)


def _parse_notices(parsed: ParseResult) -> list[Notice]:
    return [Notice(w.message, NoticeKind.NOTE if w.quiet else NoticeKind.WARNING) for w in parsed.warnings]


def _setting_notices(request: RenderRequest, prompt_scene: Scene, targets: tuple[Target, ...]) -> list[Notice]:
    """What the settings changed, what they could not change, the format chosen and a video's length."""
    overrides: Overrides = request.overrides
    first = targets[0]
    held = held_length(first.scene, first.fmt)
    timed = prompt_scene.animated or held is not None
    notes = [Notice(line, NoticeKind.NOTE) for line in overrides.changes(prompt_scene, timed=timed)]
    if not timed:
        notes += [Notice(line, NoticeKind.WARNING) for line in overrides.unused(prompt_scene)]
    if request.fmt is not None:
        notes.append(Notice(f"Format {request.fmt.name} (your setting).", NoticeKind.NOTE))
    if held is not None:
        timing = first.scene.timing
        held_line = f"The still is held {held:g} s at {timing.fps:g} fps in the {first.fmt.name}."
        notes.append(Notice(held_line, NoticeKind.NOTE))
    return notes


def _render_notices(targets: Iterable[Target], images: Mapping[str, Size | None], *, canvas_said: bool) -> list[Notice]:
    """Per canvas: soft enlargements and heavy crops, gaps that leave no room, text that does not fit."""
    notices: list[Notice] = []
    known = {tag: size for tag, size in images.items() if size is not None}
    for target in targets:
        scaling = scaling_lines(scaling_notes(target.scene, known), canvas_said=canvas_said)
        notices += [Notice(line, NoticeKind.SCALING) for line in scaling]
        notices += [Notice(line) for line in room_notes(target.scene)]
        notices += [Notice(line) for line in text_warnings(target.scene)]
    return notices


def _slide_thumbnails(scene: Scene, images: Mapping[str, ImageSource]) -> dict[str, ImageSource]:
    """The small copies a session keeps of its uploads, made the same way for images given in memory: a
    slideshow's GIF palette is built from them, so it is the same whichever way the images came in."""
    if scene.slideshow is None:
        return {}
    slides = {tag_key(tag) for tag in scene.slideshow.tags}
    return {
        tag: thumbnail(image)
        for tag, image in images.items()
        if tag_key(tag) in slides and isinstance(image, Image.Image)
    }


def _loaded(images: Mapping[str, ImageSource], scene: Scene, limits: Limits) -> dict[str, ImageSource]:
    """The images the scene uses, each decoded once for all of a request's sizes."""
    used = {tag_key(tag) for tag in scene.tags}
    return {tag: load_source(tag, source, limits) for tag, source in images.items() if tag_key(tag) in used}


def frames_of(target: Target) -> int:
    """Frames in the target's file: a video holds a still for its length."""
    scene = target.scene
    return scene.timing.frame_count if held_length(scene, target.fmt) is not None else scene.frame_count


def _offset(progress: Progress, done_before: int, total: int) -> Progress:
    return lambda done, _frames: progress(done_before + done, total)

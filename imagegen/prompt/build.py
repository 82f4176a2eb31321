"""Facts -> Scene: read the clauses (:mod:`.subjects`), then freeze what was said into layers in drawing
order, with their regions (:mod:`.groups`) and motion windows (:mod:`.timeline`). :func:`build_scene`
is the one entry point.
"""

from __future__ import annotations

from dataclasses import replace

from imagegen.limits import Limits
from imagegen.prompt.clauses import Clause
from imagegen.prompt.facts import default_text_colour
from imagegen.prompt.groups import DEFAULT_GAP, pair_up, regions
from imagegen.prompt.result import Notes, ParseResult
from imagegen.prompt.said import Said, TagState
from imagegen.prompt.sequence import keep_said_speed, make_slideshow, settle_loop
from imagegen.prompt.subjects import read_clauses
from imagegen.prompt.timeline import step_windows, timed_length, timing_of, window
from imagegen.prompt.vocabulary import DEFAULT_SIZES, named_sizes
from imagegen.scene import RGBA, Anchor, Canvas, Fit, Layer, MotionKind, Region, Relation, Role, Scene, Shape
from imagegen.store.tags import tag_key

_ROLE_RANK = {Role.BACKGROUND: 0, Role.LAYER: 1, Role.FOREGROUND: 2}


def build_scene(
    prompt: str,
    clauses: list[Clause],
    *,
    texts: dict[str, str],
    notes: Notes,
    limits: Limits,
    content_words: int,
    session_tags: list[str],
    default_family: str | None = None,
) -> ParseResult:
    """The Scene a prompt's clauses describe, with every note about it (``default_family``: a brand kit's
    text font, for texts that name no family)."""
    so_far = Said(prompt, limits, texts, notes, default_family=default_family)
    read_clauses(so_far, clauses)
    return _result(so_far, session_tags, content_words)


def _result(so_far: Said, session_tags: list[str], content_words: int) -> ParseResult:
    canvas = canvas_of(so_far)
    pair_up(so_far)
    cells = regions(so_far)
    for s in so_far.states.values():
        if s.layout.focus is not None and not s.placed:
            s.role = Role.BACKGROUND  # "crop @BG to the top" and nothing else: a crop is for filling
        if not s.placed and any(d.kind is MotionKind.PAN for d in s.motions):
            s.role = Role.BACKGROUND  # a panned picture fills the canvas (the Ken Burns look)
    pictures = [s for s in so_far.states.values() if s.tag not in so_far.texts]  # text is never a slide
    show = make_slideshow(pictures, so_far.g, so_far.phase > 0, so_far.notes, so_far.limits)
    slides = set(show.tags) if show is not None else set()
    order = [tag for tag in _arrange(so_far) if tag not in slides]
    windows = step_windows(so_far)
    total = timed_length(so_far)
    backdrop = show is not None or any(so_far.states[t].role is Role.BACKGROUND for t in order if t not in so_far.texts)
    ink = default_text_colour(canvas.background, backdrop)
    layers = tuple(_layer(so_far, so_far.states[tag], windows, total, ink, cells.get(tag)) for tag in order)
    _note_unused_crops(so_far, layers)
    _note_backgrounds(so_far, layers)
    layers = _beside_drawn(so_far, layers, slides)
    animated = any(layer.animated for layer in layers) or show is not None
    timing = timing_of(so_far, animated, show.seconds if show is not None else None)
    if animated and show is None:
        layers, stretch = keep_said_speed(layers, so_far.g, timing.duration_s, so_far.notes, so_far.limits)
        timing = replace(timing, duration_s=timing.duration_s * stretch)
    if animated:
        layers, loops = settle_loop(layers, so_far.g.loops, so_far.notes, once=so_far.g.once)
        timing = replace(timing, loops=loops)
    scene = Scene(layers=layers, canvas=canvas, timing=timing, slideshow=show)
    used = {tag_key(tag) for tag in so_far.states}
    unused = [f"@{tag}" for tag in session_tags if tag_key(tag) not in used]
    so_far.notes.gather_unknown()
    if unused:
        so_far.notes.add(f"Not used: {', '.join(unused)}.", unused[0], quiet=True)
    return ParseResult(
        scene,
        tuple(so_far.notes.items),
        tuple(so_far.notes.unknown),
        content_words,
        canvas_said=so_far.g.canvas is not None,
    )


def _arrange(so_far: Said) -> list[str]:
    """Drawing order: backgrounds, layers in mention order, foregrounds; then relations adjust it."""
    moves: list[tuple[str, str, str | None]] = []
    for key, subject, target in so_far.relations:
        s, t = so_far.states[subject], so_far.states[target] if target else None
        if key in ("over", "across") and t is not None:
            if t.placed:
                moves.append(("after", subject, target))
                so_far.stacked.setdefault(subject, set()).add(target)
            else:
                t.role = Role.BACKGROUND
        elif key == "in-front-of" and t is not None:
            moves.append(("after", subject, target))
            so_far.stacked.setdefault(subject, set()).add(target)  # said: the overlap is meant
        elif key == "behind" and t is not None:
            moves.append(("before", subject, target))
            so_far.stacked.setdefault(target, set()).add(subject)
        elif key == "backdrop":
            if s.placed:
                moves.append(("before", subject, target))
            else:
                s.role = Role.BACKGROUND
    # Text is drawn above the images of its rank (a headline over a product, not under it).
    order = sorted(
        so_far.states,
        key=lambda t: (_ROLE_RANK[so_far.states[t].role or Role.LAYER], t in so_far.texts, so_far.states[t].order),
    )
    for how, subject, target in moves:
        if _satisfied(order, how, subject, target):
            continue
        order.remove(subject)
        at = order.index(target) + (how == "after") if target else 0
        order.insert(at, subject)
    return order


def _beside_drawn(so_far: Said, layers: tuple[Layer, ...], slides: set[str]) -> tuple[Layer, ...]:
    """Drop "next to @x" when @x is a slide (slides cover the canvas: nothing is next to them)."""
    drawn = {tag_key(layer.tag) for layer in layers}
    kept = []
    for layer in layers:
        target = layer.beside.tag if layer.beside is not None else None
        if target is not None and tag_key(target) not in drawn:
            why = "a slide of the slideshow" if target in slides else "not drawn"
            so_far.notes.add(
                f"{so_far.shown(layer.tag)} cannot go next to @{target}: @{target} is {why}, so it stays at its place.",
                so_far.shown(layer.tag),
            )
            layer = replace(layer, beside=None)
        kept.append(layer)
    return tuple(kept)


def _note_unused_crops(so_far: Said, layers: tuple[Layer, ...]) -> None:
    for layer in layers:
        shown_whole = layer.role is not Role.BACKGROUND and layer.region is None and layer.fit is not Fit.COVER
        if layer.focus is not None and shown_whole and layer.shape is not Shape.CIRCLE:
            so_far.notes.add(
                f"{layer.name} is shown whole, so its crop has no effect — it matters when the image fills"
                " an area: as background, on a half, in a grid.",
                layer.name,
            )


def _layer(
    so_far: Said, s: TagState, windows: dict[int, tuple[float, float]], total: float, ink: RGBA, region: Region | None
) -> Layer:
    role = s.role or Role.LAYER
    if role is Role.BACKGROUND and s.tag not in so_far.texts:
        _background_conflicts(so_far, s)
    anchor = s.anchor or Anchor.CENTER
    motions = tuple(draft.freeze(*window(draft, windows, total)) for draft in s.motions)
    layout = s.layout
    beside = None
    if layout.beside is not None and region is None:
        side, target = layout.beside
        beside = Relation(side, target, layout.gap if layout.gap is not None else DEFAULT_GAP)
    margin = Layer.margin if s.margin is None else s.margin
    margin_px = layout.margin_px if region is None else None
    fit = layout.fit if layout.fit is not None else (s.group.fit if s.group is not None else None)
    text = None
    size = _size(so_far, s, ())
    if s.tag in so_far.texts:
        if role is not Role.LAYER:
            so_far.notes.add(f"{so_far.shown(s.tag)} is text: it is drawn as a layer, not as a {role.value}.")
            role = Role.LAYER
        size = s.style.size if s.style.size is not None else DEFAULT_SIZES["text"]
        canvas = canvas_of(so_far)
        if s.style.family is None and so_far.default_family is not None:
            s.style.family = so_far.default_family
        text = s.style.freeze(so_far.texts[s.tag], ink, round(size * min(canvas.width, canvas.height)))
    return Layer(
        tag=s.tag,
        text=text,
        in_front_of=tuple(sorted(so_far.stacked.get(s.tag, ()))),
        role=role,
        anchor=anchor,
        size=size,
        opacity=1.0 if s.opacity is None else s.opacity,
        rotation=0.0 if s.rotation is None else s.rotation,
        stretch=s.stretch and role is Role.BACKGROUND,
        margin=margin,
        margin_px=margin_px,
        motions=motions,
        region=region,
        fit=fit,
        focus=layout.focus,
        shape=layout.shape,
        border=layout.border,
        shadow=layout.shadow,
        knockout=layout.knockout,
        beside=beside,
        effects=tuple(s.effects),
    )


def _background_conflicts(so_far: Said, s: TagState) -> None:
    """ "@BG as background and @BG small": a background covers the canvas, so a place or a size said of it
    contradicts that — named, and the background kept."""
    said = [f'"{s.anchor_text}"'] if s.anchor is not None and s.anchor is not Anchor.CENTER else []
    if s.size is not None or s.size_of is not None:
        said.append(f'the size "{s.size_text or (s.size_of[2] if s.size_of else "")}"')
    if said and s.layout.region is None and s.group is None:
        name = so_far.shown(s.tag)
        so_far.notes.add(
            f"{name} is the background, which covers the whole canvas, but is also given {' and '.join(said)} "
            "— it stays the background; to place it, drop 'background'.",
            name,
        )
        s.anchor, s.size, s.size_of = None, None, None


def canvas_of(so_far: Said) -> Canvas:
    width, height = so_far.g.canvas or (Canvas.width, Canvas.height)
    background = so_far.g.background if so_far.g.background_said else Canvas.background
    return Canvas(width=width, height=height, background=background)  # type: ignore[arg-type]


def _satisfied(order: list[str], how: str, subject: str, target: str | None) -> bool:
    here = order.index(subject)
    if target is None:
        return here == 0
    there = order.index(target)
    return here > there if how == "after" else here < there


def _size(so_far: Said, s: TagState, seen: tuple[str, ...]) -> float:
    """The tag's size: as said, compared with another image's ("twice as big as @logo"), or its default."""
    if s.size is not None:
        return _stepped(so_far, s) if s.size_step else s.size
    other = so_far.states.get(s.size_of[1]) if s.size_of is not None else None
    if s.size_of is None or other is None or other.tag in so_far.texts or s.tag in seen:
        if s.size_of is not None and s.tag in seen:
            so_far.notes.add(f'"{s.size_of[2]}": the sizes compare with each other in a circle — defaults are used.')
        return _default_size(s.role or Role.LAYER, s.anchor or Anchor.CENTER)
    factor, _, said = s.size_of
    wanted = factor * _size(so_far, other, (*seen, s.tag))
    if wanted > 1:
        so_far.notes.add(f'"{said}" would be larger than the canvas, so {so_far.shown(s.tag)} fills it.', said)
    return round(min(1.0, wanted), 4)


def _stepped(so_far: Said, s: TagState) -> float:
    """ "@logo top right, a bit bigger": named sizes up (or down) from the size it would have had (a
    corner's small -> medium), not a jump to "large"; past the largest (smallest) named size it stays there.
    A quiet line says what it came to."""
    start = s.size_from if s.size_from is not None else _default_size(s.role or Role.LAYER, s.anchor or Anchor.CENTER)
    named = dict(named_sizes())
    size = start
    for _ in range(abs(s.size_step)):
        larger = [f for f in named if f > size + 1e-9] if s.size_step > 0 else [f for f in named if f < size - 1e-9]
        size = (min(larger) if s.size_step > 0 else max(larger)) if larger else size
    was = named.get(start, f"{start * 100:g} %")
    now = f"{named.get(size, '')} ({size * 100:g} % of the canvas)".strip()
    so_far.notes.add(f'"{s.size_text}" = {now}, from {was}.', s.size_text, quiet=True)
    return size


def _note_backgrounds(so_far: Said, layers: tuple[Layer, ...]) -> None:
    """ "@BG as background, @logo behind everything": two images covering the canvas, the later one hiding
    the other — a contradiction, named with the words that made each the background."""
    covering = [layer for layer in layers if layer.role is Role.BACKGROUND and layer.text is None]
    if len(covering) < 2 or any(layer.opacity < 1 for layer in covering[1:]):
        return
    words = {layer.tag: so_far.states[layer.tag].role_text for layer in covering}
    said = [f'{so_far.shown(tag)} ("{text}")' if text else so_far.shown(tag) for tag, text in words.items()]
    hidden = ", ".join(so_far.shown(layer.tag) for layer in covering[:-1])
    so_far.notes.add(
        f"{' and '.join(said)} are each the background, covering the whole canvas, so {hidden} is hidden "
        f'under {so_far.shown(covering[-1].tag)} — give all but one a place (e.g. "at the top right").',
        so_far.shown(covering[-1].tag),
    )


def _default_size(role: Role, anchor: Anchor) -> float:
    if role is Role.BACKGROUND:
        return 1.0
    if role is Role.FOREGROUND:
        return DEFAULT_SIZES["foreground"]
    if anchor is Anchor.CENTER:
        return DEFAULT_SIZES["center"]
    return DEFAULT_SIZES["corner" if anchor.is_corner else "edge"]

"""Walk the clauses, give each segment's facts to its tag, and freeze everything into a Scene.

Who a segment is about: its own @tag; else (no tag in the clause, or "it") the previous clause's
subject; clauses before the first tag wait for it. Canvas and timing facts are global wherever said.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace

from imagegen.errors import PromptError
from imagegen.limits import Limits, check_timing
from imagegen.prompt.clauses import Clause, Segment, objects, segments
from imagegen.prompt.facts import GlobalFacts, LayerFacts, LayoutFacts, MotionDraft, TextStyle, default_text_colour
from imagegen.prompt.interpret import interpret
from imagegen.prompt.phrases import Item
from imagegen.prompt.result import Notes, ParseResult
from imagegen.prompt.sequence import make_slideshow, settle_loop
from imagegen.prompt.texts import is_text_id, shown
from imagegen.prompt.vocabulary import DEFAULT_SIZES, motion_meaning
from imagegen.scene import (
    RGBA,
    STILL_TIMING,
    Anchor,
    Canvas,
    Fit,
    Layer,
    Motion,
    MotionKind,
    Region,
    Relation,
    Role,
    Scene,
    Shape,
    Side,
    Timing,
    grid_regions,
)
from imagegen.store.tags import tag_key

_ROLE_RANK = {Role.BACKGROUND: 0, Role.LAYER: 1, Role.FOREGROUND: 2}


@dataclass
class TagState:
    """Everything said so far about one tag."""

    tag: str
    order: int
    role: Role | None = None
    stretch: bool = False
    anchor: Anchor | None = None
    anchor_text: str = ""
    size: float | None = None
    opacity: float | None = None
    rotation: float | None = None
    margin: float | None = None
    motions: list[MotionDraft] = field(default_factory=list)
    last_group: list[MotionDraft] = field(default_factory=list)
    still: bool = False
    layout: LayoutFacts = field(default_factory=LayoutFacts)
    group: Group | None = None  # the grid / row / pair it is laid out in
    style: TextStyle = field(default_factory=TextStyle)

    @property
    def placed(self) -> bool:
        """Did the prompt say where or how big (or what role)? Unplaced images may become backdrops."""
        return (
            self.anchor is not None
            or self.size is not None
            or self.role is not None
            or self.layout.region is not None
            or self.group is not None
            or self.layout.beside is not None
        )


@dataclass
class Group:
    """Images laid out together in a grid, a row or a column (in the order named)."""

    columns: int | None
    rows: int | None
    members: list[str] = field(default_factory=list)
    fit: Fit | None = None  # "next to" pairs show whole images; grids fill their cells

    def add(self, tag: str) -> None:
        if tag not in self.members:
            self.members.append(tag)


DEFAULT_GAP = 20.0
"""Pixels between images placed next to each other or in a grid, unless the prompt says."""
_LAYOUT_FIELDS = ("region", "fit", "focus", "shape", "border", "shadow", "knockout", "gap", "margin_px")


class Builder:
    def __init__(
        self, text: str, limits: Limits, texts: dict[str, str] | None = None, notes: Notes | None = None
    ) -> None:
        self.text, self.limits = text, limits
        self.texts = texts or {}  # reserved id -> the words of each quoted text
        self.states: dict[str, TagState] = {}
        self.g = GlobalFacts()
        self.notes = notes or Notes()
        self.content_words = 0  # set by the caller: words that ask for something
        self.relations: list[tuple[str, str, str | None]] = []  # (key, subject, object)
        self.stacked: dict[str, set[str]] = {}  # tag -> the tags it was said to be drawn over
        self.phase = 0
        self.holding = False
        self.subjects: list[str] = []  # subjects in the order they were named
        self.motion_phase = 0  # the "then" step of the last motions said (what "together" joins)
        self.step_seconds: dict[int, float] = {}  # "then" step -> its length, when a duration was said in it
        self.pending: list[LayerFacts] = []
        self.groups: list[Group] = []
        self.open_group: Group | None = None  # bare tags named after "grid of @a" join it

    def shown(self, tag: str) -> str:
        return shown(tag, self.texts)

    def state(self, tag: str) -> TagState:
        if tag not in self.states:
            self.states[tag] = TagState(tag, len(self.states))
        return self.states[tag]

    # --- reading -------------------------------------------------------------------------------
    def run(self, clauses: list[Clause]) -> None:
        by_clause: list[list[Segment]] = []
        named = False
        for index, clause in enumerate(clauses):
            by_clause.append(segments(clause, index, named))
            named = named or any(seg.tag or objects(seg.items) for seg in by_clause[-1])
        shares, sharing = _shared_subjects(clauses, by_clause)
        verb: list[Item] = []  # "Spin @logo and @product": what came before the last tag, for bare tags after it
        for index, (clause, segs) in enumerate(zip(clauses, by_clause, strict=True)):
            if clause.sequenced:
                self.phase += 1
            self.holding = clause.sequenced  # "fades in, then stays": still after a motion is a hold
            first = segs[0]
            if len(segs) == 1 and first.tag and first.bare and index not in sharing and verb:
                if clause.joined_by in ("and", "then", ","):
                    segs = [Segment(first.tag, list(verb), index, first.pronoun)]
            elif first.tag:
                verb = first.leading
            for position, seg in enumerate(segs):
                self._segment(seg, shares.get(index, []) if position == 0 else [])

    def _segment(self, seg: Segment, sharers: list[str]) -> None:
        subject_is_text = is_text_id(seg.tag or (self.subjects[-1] if self.subjects else None))
        said_before = len(self.g.durations)
        facts = interpret(seg, self.g, self.notes, self.text, self.limits, subject_is_text)
        if len(self.g.durations) > said_before:  # "fades in for 1 s, then holds for 2 s": each step's length
            self.step_seconds[self.phase] = self.g.durations[-1][1]
        if seg.tag is not None:
            self.state(seg.tag)
        for tag in objects(seg.items):
            self.state(tag)
        subject = seg.tag or (self.subjects[-1] if self.subjects else None)
        if subject is None:
            if facts.says_anything:
                self.pending.append(facts)
            return
        if seg.tag is None and seg.plural:  # "…, all smoothly": every image named so far
            sharers = [tag for tag in dict.fromkeys(self.subjects) if tag != subject]
        elif seg.tag is None and self.open_group is not None and subject in self.open_group.members:
            # "grid of @a, @b and @c, with white borders": what follows the grid is about all of it.
            sharers = [tag for tag in self.open_group.members if tag != subject]
        for tag in sharers:
            self._apply(tag, _without_relations(facts))
        self._apply(subject, facts)
        for waiting in self.pending:
            self._apply(subject, waiting)
        self.pending = []
        self._group(seg, subject, sharers, facts)
        if seg.tag is not None:
            self.subjects.append(seg.tag)

    def _group(self, seg: Segment, subject: str, sharers: list[str], facts: LayerFacts) -> None:
        """Grids, rows and "side by side": the subject, the tags sharing its words, and bare tags after it."""
        layout = facts.layout
        row = layout.beside is not None and layout.beside[0] is None
        if layout.grid is not None or row:
            columns, rows = layout.grid if layout.grid is not None else (None, 1)
            open_group = self.open_group
            same = open_group is not None and (open_group.columns, open_group.rows) == (columns, rows)
            member = open_group is not None and subject in open_group.members
            # "grid of @a, @b and @c": the bare tags after it repeat its words, and "…, 3 by 1 grid" said
            # after it refines it: both are the same grid.
            group = open_group if same or member else None
            if group is None:
                group = Group(columns, rows)
                self.groups.append(group)
            group.columns, group.rows = columns, rows
            if row and not sharers and self.subjects and self.subjects[-1] != subject:
                group.add(self.subjects[-1])  # "@BG, @product side by side" said after the other image
            for tag in [*sharers, subject]:
                group.add(tag)
            self.open_group = group
        elif self.open_group is not None and seg.tag is not None and seg.bare:
            self.open_group.add(seg.tag)
        elif seg.tag is not None:
            self.open_group = None

    def _apply(self, tag: str, facts: LayerFacts) -> None:
        s = self.state(tag)
        if facts.role is not None:
            s.role, s.stretch = facts.role, s.stretch or facts.stretch
        for anchor, said in facts.anchors:
            if s.anchor is not None and s.anchor is not anchor:
                message = f'{self.shown(tag)} is placed twice ("{s.anchor_text}", then "{said}")'
                self.notes.add(f"{message} — using {_words(anchor)}, the last one.", self.shown(tag))
            s.anchor, s.anchor_text = anchor, said
        for name in ("size", "opacity", "rotation", "margin"):
            if getattr(facts, name) is not None:
                setattr(s, name, getattr(facts, name))
        if tag in self.texts:
            self._image_only(tag, facts.layout)
        for name in _LAYOUT_FIELDS:
            if getattr(facts.layout, name) is not None:
                setattr(s.layout, name, getattr(facts.layout, name))
        if facts.layout.region is not None:
            s.layout.region_text = facts.layout.region_text
        said_what = (facts.layout.focus, s.layout.focus, facts.layout.shape)  # "crop to a circle" says a shape
        if facts.layout.crop_said and all(value is None for value in said_what):
            self.notes.add(f'"crop" near @{tag} says no part to keep — say "crop to the top" (or left, right...).')
        if facts.layout.beside is not None and facts.layout.beside[0] is not None:
            side, target = facts.layout.beside
            if target == "it":
                earlier = [t for t in self.subjects if t != tag]
                target = earlier[-1] if earlier else None
            if target is None or target == tag:
                others = [f"next to @{t}" for t in self.states if t != tag and t not in self.texts]
                example = f", e.g. {others[0]}" if others else ""
                self.notes.add(f"{self.shown(tag)} is placed next to no other image — say which{example}.")
            else:
                s.layout.beside = (side, target)
        if tag in self.texts:
            s.style.update(facts.style)
        elif facts.style.said:
            said = ", ".join(f'"{w}"' for w in facts.style.said)
            self.notes.add(f"{said} is for text — @{tag} is an image, so it was ignored.", facts.style.said[0])
        self._apply_motion(s, facts)
        for key, target in facts.relations:
            self._relate(key, tag, target)

    def _image_only(self, tag: str, layout: LayoutFacts) -> None:
        """A knock-out, a circle crop or a crop's focus said of a text: reported, then dropped."""
        said = [
            words
            for words, value in (
                ("a knock-out", layout.knockout),
                ("a circle", layout.shape),
                ("a crop", layout.focus if layout.focus is not None else (layout.crop_said or None)),
            )
            if value is not None
        ]
        if said:
            listed = " and ".join(said)
            self.notes.add(f"{self.shown(tag)} is text: {listed} applies to images only, so it was ignored.")
            layout.knockout = layout.shape = layout.focus = None
            layout.crop_said = False

    def _apply_motion(self, s: TagState, facts: LayerFacts) -> None:
        if facts.motions:
            if s.still:
                name = self.shown(s.tag)
                self.notes.add(f"{name} is said to stay still and also to move — it moves.", name)
                s.still = False
            if not (facts.path_only and _merge_path(s, facts.motions, self.phase)):
                phase = self.motion_phase if facts.together else self.phase
                for draft in facts.motions:
                    draft.phase = phase
                s.motions.extend(facts.motions)
                s.last_group = facts.motions
                self.motion_phase = phase
        elif facts.still and not (self.holding and s.motions):
            if s.motions:
                name = self.shown(s.tag)
                self.notes.add(f"{name} is said to move and also to stay still — it stays still.", name)
                s.motions, s.last_group = [], []
            s.still = True
        self._apply_modifiers(s, facts)
        self._apply_start(s, facts)

    def _apply_start(self, s: TagState, facts: LayerFacts) -> None:
        if facts.start_s is None:
            return
        if not s.last_group:
            self.notes.add(f'"{facts.start_text}" was ignored — @{s.tag} does not move.', facts.start_text)
            return
        for draft in s.last_group:
            draft.at_s, draft.for_s, draft.at_text = facts.start_s, facts.length_s, facts.start_text

    def _apply_modifiers(self, s: TagState, facts: LayerFacts) -> None:
        if facts.easing is None and facts.repeats is None and not facts.pingpong:
            return
        if not s.last_group and facts.pingpong:  # "@logo back and forth": moving is implied
            draft = MotionDraft(Motion(MotionKind.SLIDE, motion_meaning(MotionKind.SLIDE).easing), phase=self.phase)
            s.motions.append(draft)
            s.last_group = [draft]
        if not s.last_group:
            said = facts.modifier_text
            self.notes.add(f'"{said}" was ignored — {self.shown(s.tag)} does not move.', said)
            return
        for draft in s.last_group:
            if facts.easing is not None:
                draft.change(easing=facts.easing)
                draft.easing_said = True
            if facts.repeats is not None:
                draft.change(repeats=facts.repeats)
            draft.change(pingpong=draft.motion.pingpong or facts.pingpong)

    def _relate(self, key: str, subject: str, target: str | None) -> None:
        if target == "it":
            earlier = [t for t in self.subjects if t != subject]
            if not earlier:
                near = self.shown(subject)
                self.notes.add(f'"it" near {near} refers to no earlier image — the relation was ignored.', "it")
                return
            target = earlier[-1]
        if target != subject:
            self.relations.append((key, subject, target))

    # --- freezing ------------------------------------------------------------------------------
    def result(self, session_tags: list[str]) -> ParseResult:
        canvas = self._canvas()
        self._pairs()
        regions = self._regions()
        for s in self.states.values():
            if s.layout.focus is not None and not s.placed:
                s.role = Role.BACKGROUND  # "crop @BG to the top" and nothing else: a crop is for filling
            if not s.placed and any(d.kind is MotionKind.PAN for d in s.motions):
                s.role = Role.BACKGROUND  # a panned picture fills the canvas (the Ken Burns look)
        pictures = [s for s in self.states.values() if s.tag not in self.texts]  # text is never a slide
        show = make_slideshow(pictures, self.g, self.phase > 0, self.notes, self.limits)
        slides = set(show.tags) if show is not None else set()
        order = [tag for tag in self._arrange() if tag not in slides]
        windows = self._step_windows()
        total = self._timed_length()
        backdrop = show is not None or any(self.states[t].role is Role.BACKGROUND for t in order if t not in self.texts)
        ink = default_text_colour(canvas.background, backdrop)
        layers = tuple(self._layer(self.states[tag], windows, total, ink, regions.get(tag)) for tag in order)
        self._note_unused_crops(layers)
        layers = self._beside_drawn(layers, slides)
        animated = any(layer.motions for layer in layers) or show is not None
        timing = self._timing(animated, show.seconds if show is not None else None)
        if animated:
            layers, loops = settle_loop(layers, self.g.loops, self.notes)
            timing = replace(timing, loops=loops)
        scene = Scene(layers=layers, canvas=canvas, timing=timing, slideshow=show)
        used = {tag_key(tag) for tag in self.states}
        unused = [f"@{tag}" for tag in session_tags if tag_key(tag) not in used]
        self.notes.gather_unknown()
        if unused:
            self.notes.add(f"Not used: {', '.join(unused)}.", unused[0], quiet=True)
        return ParseResult(
            scene,
            tuple(self.notes.items),
            tuple(self.notes.unknown),
            self.content_words,
            canvas_said=self.g.canvas is not None,
        )

    def _pairs(self) -> None:
        """ "@a next to @b" with neither placed anywhere: the two share the canvas (whole images, a gap)."""
        for tag, s in self.states.items():
            if s.layout.beside is None or s.group is not None:
                continue
            side, target = s.layout.beside
            other = self.states.get(target)
            if other is None or other.group is not None or _anchored(s) or _anchored(other):
                continue
            first, second = (tag, target) if side in (Side.LEFT_OF, Side.ABOVE) else (target, tag)
            across = side in (Side.LEFT_OF, Side.RIGHT_OF)
            group = Group(None if across else 1, 1 if across else None, [first, second], Fit.CONTAIN)
            self.groups.append(group)
            s.layout.beside = None

    def _regions(self) -> dict[str, Region]:
        """Each grouped tag's cell and each region with its padding, spacing kept in the units said (the
        renderer works out the pixels for each canvas; the service says where they leave no room)."""
        found: dict[str, Region] = {}
        for group in self.groups:
            members = [tag for tag in group.members if tag not in found]
            if len(members) < 2:
                names = ", ".join(self.shown(t) for t in members) or "nothing"
                self.notes.add(f"A grid or row needs two or more images; it has {names} — it was ignored.")
                continue
            states = [self.states[tag] for tag in members]
            gap = next((s.layout.gap for s in states if s.layout.gap is not None), DEFAULT_GAP)
            pixels, share = next((_padding(s) for s in states if _padding(s) != (0.0, 0.0)), (0.0, 0.0))
            cells = grid_regions(
                len(members), columns=group.columns, rows=group.rows, gap=gap, margin=pixels, margin_share=share
            )
            for tag, cell in zip(members, cells, strict=True):
                found[tag] = cell
                self.states[tag].group = group
        for tag, s in self.states.items():
            if tag not in found and s.layout.region is not None:
                found[tag] = s.layout.region.inset(*_padding(s))
        return found

    def _arrange(self) -> list[str]:
        """Drawing order: backgrounds, layers in mention order, foregrounds; then relations adjust it."""
        moves: list[tuple[str, str, str | None]] = []
        for key, subject, target in self.relations:
            s, t = self.states[subject], self.states[target] if target else None
            if key in ("over", "across") and t is not None:
                if t.placed:
                    moves.append(("after", subject, target))
                    self.stacked.setdefault(subject, set()).add(target)
                else:
                    t.role = Role.BACKGROUND
            elif key == "in-front-of" and t is not None:
                moves.append(("after", subject, target))
                self.stacked.setdefault(subject, set()).add(target)  # said: the overlap is meant
            elif key == "behind" and t is not None:
                moves.append(("before", subject, target))
                self.stacked.setdefault(target, set()).add(subject)
            elif key == "backdrop":
                if s.placed:
                    moves.append(("before", subject, target))
                else:
                    s.role = Role.BACKGROUND
        # Text is drawn above the images of its rank (a headline over a product, not under it).
        order = sorted(
            self.states,
            key=lambda t: (_ROLE_RANK[self.states[t].role or Role.LAYER], t in self.texts, self.states[t].order),
        )
        for how, subject, target in moves:
            if _satisfied(order, how, subject, target):
                continue
            order.remove(subject)
            at = order.index(target) + (how == "after") if target else 0
            order.insert(at, subject)
        return order

    def _beside_drawn(self, layers: tuple[Layer, ...], slides: set[str]) -> tuple[Layer, ...]:
        """Drop "next to @x" when @x is a slide (slides cover the canvas: nothing is next to them)."""
        drawn = {tag_key(layer.tag) for layer in layers}
        kept = []
        for layer in layers:
            target = layer.beside.tag if layer.beside is not None else None
            if target is not None and tag_key(target) not in drawn:
                why = "a slide of the slideshow" if target in slides else "not drawn"
                self.notes.add(
                    f"{self.shown(layer.tag)} cannot go next to @{target}: @{target} is {why}, so it stays at its"
                    " place.",
                    self.shown(layer.tag),
                )
                layer = replace(layer, beside=None)
            kept.append(layer)
        return tuple(kept)

    def _note_unused_crops(self, layers: tuple[Layer, ...]) -> None:
        for layer in layers:
            shown_whole = layer.role is not Role.BACKGROUND and layer.region is None and layer.fit is not Fit.COVER
            if layer.focus is not None and shown_whole and layer.shape is not Shape.CIRCLE:
                self.notes.add(
                    f"{layer.name} is shown whole, so its crop has no effect — it matters when the image fills"
                    " an area: as background, on a half, in a grid.",
                    layer.name,
                )

    def _layer(
        self, s: TagState, windows: dict[int, tuple[float, float]], total: float, ink: RGBA, region: Region | None
    ) -> Layer:
        role = s.role or Role.LAYER
        anchor = s.anchor or Anchor.CENTER
        motions = tuple(draft.freeze(*_window(draft, windows, total)) for draft in s.motions)
        layout = s.layout
        beside = None
        if layout.beside is not None and region is None:
            side, target = layout.beside
            beside = Relation(side, target, layout.gap if layout.gap is not None else DEFAULT_GAP)
        margin = Layer.margin if s.margin is None else s.margin
        margin_px = layout.margin_px if region is None else None
        fit = layout.fit if layout.fit is not None else (s.group.fit if s.group is not None else None)
        text = None
        size = s.size if s.size is not None else _default_size(role, anchor)
        if s.tag in self.texts:
            if role is not Role.LAYER:
                self.notes.add(f"{self.shown(s.tag)} is text: it is drawn as a layer, not as a {role.value}.")
                role = Role.LAYER
            size = s.style.size if s.style.size is not None else DEFAULT_SIZES["text"]
            canvas = self._canvas()
            text = s.style.freeze(self.texts[s.tag], ink, round(size * min(canvas.width, canvas.height)))
        return Layer(
            tag=s.tag,
            text=text,
            in_front_of=tuple(sorted(self.stacked.get(s.tag, ()))),
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
        )

    def _step_windows(self) -> dict[int, tuple[float, float]]:
        """Each "then" step's window; steps with their own seconds set the animation's length (their sum)."""
        steps = sorted({d.phase for s in self.states.values() for d in s.motions if d.at_s is None})
        said = {p: v for p, v in self.step_seconds.items() if v > 0}
        steps = sorted(set(steps) | set(said))
        if len(steps) < 2 or not said or not any(d.at_s is None for s in self.states.values() for d in s.motions):
            return _phase_windows(self.states.values())
        lengths = [said.get(p, DEFAULT_STEP_S) for p in steps]
        total = sum(lengths)
        self.g.duration = total  # the steps' seconds add up to the whole
        windows, start = {}, 0.0
        for step, length in zip(steps, lengths, strict=True):
            windows[step] = (start / total, (start + length) / total)
            start += length
        return windows

    def _timed_length(self) -> float:
        """The animation's length in seconds, grown to fit motions said to start "at N s" when it is unsaid.

        :raise PromptError: a motion starts or ends after the end of an animation whose length was said.
        """
        g = self.g
        said = g.duration
        total = said if said is not None else Timing.duration_s * (g.speed or 1.0)
        timed = [d for s in self.states.values() for d in s.motions if d.at_s is not None]
        for draft in timed:
            end = draft.at_s + (draft.for_s if draft.for_s is not None else DEFAULT_STEP_S)
            if draft.at_s < 0 or (draft.for_s is not None and draft.for_s <= 0):
                raise PromptError(f'"{draft.at_text}" must be a time from 0 s on, with a length above 0 s.')
            if said is not None and (draft.at_s >= said or (draft.for_s is not None and end > said + 1e-9)):
                raise PromptError(
                    f'"{draft.at_text}" runs to {end:g} s, after the end of the {said:g} s animation — '
                    f'start it earlier, or make the animation longer (e.g. "over {math.ceil(end)} seconds").'
                )
            total = max(total, end if said is None else total)
        if timed and said is None:
            g.duration = total  # grown to fit ("at 5 s" in a 2 s animation makes it 6 s; explain shows it)
        return total

    def _canvas(self) -> Canvas:
        width, height = self.g.canvas or (Canvas.width, Canvas.height)
        background = self.g.background if self.g.background_said else Canvas.background
        return Canvas(width=width, height=height, background=background)  # type: ignore[arg-type]

    def _timing(self, animated: bool, slideshow_s: float | None = None) -> Timing:
        g = self.g
        if not animated:
            said = [*g.timing_words, *([g.speed_text] if g.speed_text else [])]
            if said:
                words = ", ".join(f'"{w}"' for w in said)
                self.notes.add(f"Nothing moves, so {words} is ignored — this makes a still image.", said[0])
            return STILL_TIMING
        duration = g.duration if g.duration is not None else Timing.duration_s * (g.speed or 1.0)
        if slideshow_s is not None:  # the slides' own times make the length (their words were read there)
            duration = slideshow_s
        fps = g.fps if g.fps is not None else Timing.fps
        check_timing(duration, fps, self.limits)
        return Timing(duration_s=duration, fps=fps, loops=g.loops if g.loops is not None else Timing.loops)


def _anchored(s: TagState) -> bool:
    return s.anchor is not None or s.layout.region is not None or s.role is Role.BACKGROUND


def _padding(s: TagState) -> tuple[float, float]:
    """The padding said for a tag: (pixels, share of the shorter side) ("40 px padding", "5 % margin")."""
    if s.layout.margin_px is not None:
        return s.layout.margin_px, 0.0
    if s.margin is not None:
        return 0.0, s.margin
    return 0.0, 0.0


def _satisfied(order: list[str], how: str, subject: str, target: str | None) -> bool:
    here = order.index(subject)
    if target is None:
        return here == 0
    there = order.index(target)
    return here > there if how == "after" else here < there


def _words(anchor: Anchor) -> str:
    return anchor.value.replace("-", " ")


def _default_size(role: Role, anchor: Anchor) -> float:
    if role is Role.BACKGROUND:
        return 1.0
    if role is Role.FOREGROUND:
        return DEFAULT_SIZES["foreground"]
    if anchor is Anchor.CENTER:
        return DEFAULT_SIZES["center"]
    return DEFAULT_SIZES["corner" if anchor.is_corner else "edge"]


def _merge_path(s: TagState, drafts: list[MotionDraft], phase: int) -> bool:
    """Complete the tag's current slide with a path said on its own; False when there is none."""
    slide = next((d for d in s.last_group if d.kind is MotionKind.SLIDE and d.phase == phase), None)
    if slide is None or any(d.kind is not MotionKind.SLIDE for d in drafts):
        return False
    for draft in drafts:
        slide.merge_path(draft)
    return True


DEFAULT_STEP_S = 1.0
"""How long a motion said to start "at N s" takes when no "for N seconds" says."""


def _window(draft: MotionDraft, windows: dict[int, tuple[float, float]], total: float) -> tuple[float, float]:
    """The draft's (start, end) fractions: from its "at N s" when said, else from its "then" step."""
    if draft.at_s is None:
        return windows[draft.phase]
    length = draft.for_s if draft.for_s is not None else min(DEFAULT_STEP_S, total - draft.at_s)
    return draft.at_s / total, min(1.0, (draft.at_s + length) / total)


def _phase_windows(states) -> dict[int, tuple[float, float]]:
    """Each "then" step gets an equal share of the timeline; without steps every motion spans it all."""
    phases = sorted({d.phase for s in states for d in s.motions if d.at_s is None})
    if len(phases) <= 1:
        return {p: (0.0, 1.0) for p in phases}
    n = len(phases)
    return {p: (i / n, (i + 1) / n) for i, p in enumerate(phases)}


def _without_relations(facts: LayerFacts) -> LayerFacts:
    shared = copy.deepcopy(facts)
    shared.relations = []
    shared.layout.beside = (
        None if shared.layout.beside and shared.layout.beside[0] is not None else shared.layout.beside
    )
    return shared


def _shared_subjects(clauses: list[Clause], by_clause: list[list[Segment]]) -> tuple[dict[int, list[str]], set[int]]:
    """Bare tags joined by "and" to a clause that says something share it: "Make @BG and @logo bounce".

    :return: the sharing tags by the index of the clause they share, and the indices of their clauses.
    """
    shares: dict[int, list[str]] = {}
    sharing: set[int] = set()
    run: list[int] = []
    for index, segs in enumerate(by_clause):
        first = segs[0]
        if len(segs) == 1 and first.tag is not None and first.bare:
            if run and clauses[index].joined_by not in (",", "and"):
                run = []
            run.append(index)
            continue
        if run and clauses[index].joined_by == "and" and first.tag is not None and not first.bare:
            shares[index] = [str(by_clause[i][0].tag) for i in run]
            sharing.update(run)
        run = []
    return shares, sharing

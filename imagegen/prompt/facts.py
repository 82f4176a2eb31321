"""Mutable drafts the parser fills in before freezing them into Scene dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from imagegen.prompt.meanings import EffectKind
from imagegen.scene import (
    RGBA,
    Anchor,
    Border,
    Easing,
    Effect,
    Fit,
    Knockout,
    LetterCase,
    Motion,
    MotionKind,
    Region,
    Role,
    Shadow,
    Shape,
    TextAlign,
    TextSpec,
    Transition,
)

_PATH_FIELDS = ("from_anchor", "to_anchor", "enters", "exits", "pingpong")


@dataclass
class MotionDraft:
    """A :class:`Motion` being drafted: the motion so far (frozen; each refinement replaces it) and how it was
    said. The time window is set when the whole timeline is known (:meth:`freeze`)."""

    motion: Motion
    easing_said: bool = False  # the prompt named the easing (a global "smoothly" must not override it)
    phase: int = 0  # which "then" part of the timeline it belongs to
    path_said: set[str] = field(default_factory=set)  # which path fields a direction phrase set
    offstage: bool = False  # "flies": a path's ends lie off the canvas unless "in"/"out" says otherwise
    at_s: float | None = None  # "at 2 s": starts at this second of the timeline (else its "then" step)
    for_s: float | None = None  # "at 2 s for 3 seconds": lasts this long
    at_text: str = ""

    @property
    def kind(self) -> MotionKind:
        return self.motion.kind

    def change(self, **changes: Any) -> None:
        self.motion = replace(self.motion, **changes)

    def set_path(self, name: str, value: object) -> None:
        self.change(**{name: value})
        self.path_said.add(name)

    def merge_path(self, other: MotionDraft) -> None:
        """Take the path parts ``other`` states ("… and out to the right" completes "in from the left")."""
        for name in other.path_said & set(_PATH_FIELDS):
            self.set_path(name, getattr(other.motion, name))

    def freeze(self, start: float, end: float) -> Motion:
        motion = self.motion
        pathless = motion.from_anchor is None and motion.to_anchor is None
        if motion.kind in (MotionKind.SLIDE, MotionKind.PAN) and pathless:
            motion = replace(motion, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT)  # a bare "moving": left to right
        if self.offstage and not {"enters", "exits"} & self.path_said:
            # "flies from the bottom to the top": from outside the canvas to outside it
            motion = replace(motion, enters=motion.from_anchor is not None, exits=motion.to_anchor is not None)
        return replace(motion, start=start, end=end)


@dataclass
class MotionWords:
    """What a segment says about movement besides motion verbs (read by :mod:`.motions`)."""

    paths: list[Any] = field(default_factory=list)  # direction / "across" matches, in order
    clockwise: bool | None = None
    angle: float | None = None  # "N degrees": a tilt, or how far a spin turns
    move_verb: bool = False  # "move": a placement with "to A" alone, else a slide
    commanded: list[MotionDraft] = field(default_factory=list)  # spins said as "rotate"/"turn": maybe a tilt


WHITE: RGBA = (255, 255, 255, 255)
BLACK: RGBA = (0, 0, 0, 255)
SHADOW: RGBA = (0, 0, 0, 140)
ROUNDED_EM = 0.35
PILL_EM = 1.0


def contrast(colour: RGBA | None) -> RGBA:
    """Black on light colours, white on dark ones (and on no colour at all)."""
    if colour is None:
        return BLACK
    r, g, b = colour[:3]
    return BLACK if 0.299 * r + 0.587 * g + 0.114 * b > 150 else WHITE


def default_text_colour(canvas: RGBA | None, backdrop: bool) -> RGBA:
    """White over a backdrop photo; otherwise whatever stands out from the canvas colour."""
    return WHITE if backdrop else contrast(canvas)


@dataclass
class TextStyle:
    """What the prompt says about a text's look; None = not said (the default applies)."""

    size: float | None = None  # font height, fraction of the canvas's shorter side
    font_px: float | None = None
    colour: RGBA | None = None
    weight: int | None = None
    italic: bool | None = None
    family: str | None = None
    align: TextAlign | None = None
    case: LetterCase | None = None
    effects: dict[EffectKind, RGBA | None] = field(default_factory=dict)  # said effects, their colour if said
    radius_em: float | None = None
    padding_em: float | None = None
    padding_px: float | None = None
    outline_px: float | None = None  # "4 px outline": the stroke's width as said (else it scales with the font)
    outline_scale: float | None = None  # "thick outline": times the usual width (which scales with the font)
    said: list[str] = field(default_factory=list)  # the words that said it (named when said of an image)

    def update(self, other: TextStyle) -> None:
        names = ("size", "font_px", "colour", "weight", "italic", "family", "align", "case", "radius_em")
        for name in names:
            if getattr(other, name) is not None:
                setattr(self, name, getattr(other, name))
        if other.outline_px is not None or other.outline_scale is not None:  # the last width said wins
            self.outline_px, self.outline_scale = other.outline_px, other.outline_scale
        if other.padding_em is not None or other.padding_px is not None:
            self.padding_em, self.padding_px = other.padding_em, other.padding_px
        for effect, colour in other.effects.items():
            self.effects[effect] = colour if colour is not None else self.effects.get(effect)
        self.said += other.said

    def freeze(self, words: str, ink: RGBA, asked_px: int) -> TextSpec:
        banner = self.effects.get(EffectKind.BANNER) if EffectKind.BANNER in self.effects else None
        fill = self.colour or (contrast(banner) if banner else ink)
        padding = TextSpec.padding_em
        if self.padding_px is not None:
            padding = self.padding_px / max(1.0, self.font_px or asked_px)
        elif self.padding_em is not None:
            padding = self.padding_em
        outline_em = TextSpec.outline_em
        if self.outline_px is not None:
            outline_em = self.outline_px / max(1.0, self.font_px or asked_px)
        elif self.outline_scale is not None:
            outline_em *= self.outline_scale
        return TextSpec(
            text=words,
            colour=fill,
            family=self.family or TextSpec.family,
            weight=self.weight or TextSpec.weight,
            italic=bool(self.italic),
            align=self.align or TextAlign.CENTER,
            case=self.case or LetterCase.AS_TYPED,
            font_px=round(self.font_px) if self.font_px else None,
            outline=self._effect(EffectKind.OUTLINE, contrast(fill)),
            outline_em=outline_em,
            shadow=self._effect(EffectKind.SHADOW, SHADOW),
            banner=self._effect(EffectKind.BANNER, contrast(fill)),
            padding_em=padding,
            radius_em=self.radius_em or 0.0,
        )

    def _effect(self, effect: EffectKind, default: RGBA) -> RGBA | None:
        if effect not in self.effects:
            return None
        return self.effects[effect] or default


@dataclass
class LayerFacts:
    """What one segment says about its subject."""

    role: Role | None = None
    role_text: str = ""  # the words that said the role
    stretch: bool = False
    anchors: list[tuple[Anchor, str]] = field(default_factory=list)  # (anchor, the words used)
    size: float | None = None
    size_text: str = ""  # the words that said the size
    size_of: tuple[float, str, str] | None = None  # "twice as big as @logo": (factor, other tag, words said)
    size_step: int = 0  # "a bit bigger": one named size up (+1) or down (-1) from the size it would have
    opacity: float | None = None
    rotation: float | None = None
    margin: float | None = None
    motions: list[MotionDraft] = field(default_factory=list)
    path_only: bool = False  # the motions come from a path phrase alone, no motion verb
    still: bool = False
    easing: Easing | None = None  # modifiers for earlier motions when this segment has none
    repeats: float | None = None
    pingpong: bool = False
    relations: list[tuple[str, str | None]] = field(default_factory=list)  # (relation key, object)
    modifier_text: str = ""
    layout: LayoutFacts = field(default_factory=lambda: LayoutFacts())
    style: TextStyle = field(default_factory=TextStyle)
    start_s: float | None = None  # "at 2 s"
    start_text: str = ""
    length_s: float | None = None  # "for 3 seconds" said beside a start
    together: bool = False
    effects: list[Effect] = field(default_factory=list)
    effects_text: str = ""  # the words of the last effect said ("blur")

    @property
    def says_anything(self) -> bool:
        return any(
            (
                self.effects,
                self.role,
                self.stretch,
                self.anchors,
                self.size is not None,
                self.size_of is not None,
                self.opacity is not None,
                self.rotation is not None,
                self.margin is not None,
                self.motions,
                self.still,
                self.easing,
                self.repeats is not None,
                self.pingpong,
                self.relations,
                self.layout.says_anything,
                self.style.said,
                self.start_s is not None,
                self.together,
            )
        )


@dataclass
class LayoutFacts:
    """What one segment says about where an image goes and how it is cleaned up and framed."""

    region: Region | None = None
    region_text: str = ""
    fit: Fit | None = None
    focus: tuple[float, float] | None = None
    crop_said: bool = False  # a bare "crop": the "to A" that follows is the focus, not a slide
    shape: Shape | None = None
    border: Border | None = None
    shadow: Shadow | None = None
    knockout: Knockout | None = None
    beside: tuple[Any, str | None] | None = None  # (Side or None for "side by side", the other tag or "it")
    grid: tuple[int | None, int | None] | None = None  # (columns, rows)
    gap: float | None = None
    margin_px: float | None = None

    @property
    def says_anything(self) -> bool:
        fields = (self.region, self.fit, self.focus, self.shape, self.border, self.shadow, self.knockout)
        more = (self.beside, self.grid, self.gap, self.margin_px)
        return any(value is not None for value in (*fields, *more)) or self.crop_said


_UNSET = object()


@dataclass
class GlobalFacts:
    """Canvas and timing: said anywhere, they apply to the whole output."""

    canvas: tuple[int, int] | None = None
    canvas_text: str = ""
    canvas_explicit: bool = False  # written as WxH (beats a preset's size)
    background: RGBA | object | None = _UNSET
    background_text: str = ""
    duration: float | None = None
    fps: float | None = None
    speed: float | None = None
    speed_text: str = ""
    loops: int | None = None
    once: bool = False  # "once" said of a motion ("slides to the right once"): it plays once if it ends elsewhere
    timing_words: list[str] = field(default_factory=list)
    durations: list[tuple[str | None, float, str]] = field(default_factory=list)  # (own tag, seconds, words)
    slideshow: str = ""  # the words that asked for a slideshow ("slideshow of")
    show_word: str = ""  # "show": a slideshow when images are chained by "then"
    slide_seconds: float | None = None
    slide_seconds_text: str = ""
    transition: Transition | None = None
    transition_text: str = ""
    transition_side: Anchor | None = None

    @property
    def background_said(self) -> bool:
        return self.background is not _UNSET

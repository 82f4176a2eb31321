"""Mutable drafts the parser fills in before freezing them into Scene dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from imagegen.scene import RGBA, Anchor, Border, Easing, Fit, Knockout, Motion, MotionKind, Region, Role, Shadow, Shape

_PATH_FIELDS = ("from_anchor", "to_anchor", "enters", "exits", "pingpong")


@dataclass
class MotionDraft:
    """A :class:`Motion` being drafted: the motion so far (frozen; each refinement replaces it) and how it was
    said. The time window is set when the whole timeline is known (:meth:`freeze`)."""

    motion: Motion
    easing_said: bool = False  # the prompt named the easing (a global "smoothly" must not override it)
    phase: int = 0  # which "then" part of the timeline it belongs to
    path_said: set[str] = field(default_factory=set)  # which path fields a direction phrase set

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
        if motion.kind is MotionKind.SLIDE and motion.from_anchor is None and motion.to_anchor is None:
            motion = replace(motion, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT)  # a bare "moving": left to right
        return replace(motion, start=start, end=end)


@dataclass
class MotionWords:
    """What a segment says about movement besides motion verbs (read by :mod:`.motions`)."""

    paths: list[Any] = field(default_factory=list)  # direction / "across" matches, in order
    clockwise: bool | None = None
    angle: float | None = None  # "N degrees": a tilt, or how far a spin turns
    move_verb: bool = False  # "move": a placement with "to A" alone, else a slide
    commanded: list[MotionDraft] = field(default_factory=list)  # spins said as "rotate"/"turn": maybe a tilt


@dataclass
class LayerFacts:
    """What one segment says about its subject."""

    role: Role | None = None
    stretch: bool = False
    anchors: list[tuple[Anchor, str]] = field(default_factory=list)  # (anchor, the words used)
    size: float | None = None
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

    @property
    def says_anything(self) -> bool:
        return any(
            (
                self.role,
                self.stretch,
                self.anchors,
                self.size is not None,
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
    timing_words: list[str] = field(default_factory=list)

    @property
    def background_said(self) -> bool:
        return self.background is not _UNSET

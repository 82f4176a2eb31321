"""Mutable drafts the parser fills in before freezing them into Scene dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imagegen.scene import RGBA, Anchor, Border, Easing, Fit, Knockout, Motion, MotionKind, Region, Role, Shadow, Shape

_PATH_FIELDS = ("from_anchor", "to_anchor", "enters", "exits", "pingpong")


@dataclass
class MotionDraft:
    kind: MotionKind
    easing: Easing
    easing_said: bool = False  # the prompt named the easing (a global "smoothly" must not override it)
    from_anchor: Anchor | None = None
    to_anchor: Anchor | None = None
    enters: bool = False
    exits: bool = False
    clockwise: bool = True
    amount: float | None = None
    repeats: float = 1.0
    pingpong: bool = False
    phase: int = 0
    path_said: set[str] = field(default_factory=set)  # which path fields a direction phrase set

    def set_path(self, name: str, value: object) -> None:
        setattr(self, name, value)
        self.path_said.add(name)

    def merge_path(self, other: MotionDraft) -> None:
        """Take the path parts ``other`` states ("… and out to the right" completes "in from the left")."""
        for name in other.path_said & set(_PATH_FIELDS):
            self.set_path(name, getattr(other, name))

    def freeze(self, start: float, end: float) -> Motion:
        from_anchor, to_anchor = self.from_anchor, self.to_anchor
        if self.kind is MotionKind.SLIDE and from_anchor is None and to_anchor is None:
            from_anchor, to_anchor = Anchor.LEFT, Anchor.RIGHT  # a bare "moving" goes left to right
        return Motion(
            kind=self.kind,
            easing=self.easing,
            from_anchor=from_anchor,
            to_anchor=to_anchor,
            enters=self.enters,
            exits=self.exits,
            clockwise=self.clockwise,
            amount=self.amount,
            repeats=self.repeats,
            pingpong=self.pingpong,
            start=start,
            end=end,
        )


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

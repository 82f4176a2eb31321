"""Mutable drafts the parser fills in before freezing them into Scene dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imagegen.scene import RGBA, Anchor, Easing, Motion, MotionKind, Role, Transition

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
    offstage: bool = False  # "flies": a path's ends lie off the canvas unless "in"/"out" says otherwise
    at_s: float | None = None  # "at 2 s": starts at this second of the timeline (else its "then" step)
    for_s: float | None = None  # "at 2 s for 3 seconds": lasts this long
    at_text: str = ""

    def set_path(self, name: str, value: object) -> None:
        setattr(self, name, value)
        self.path_said.add(name)

    def merge_path(self, other: MotionDraft) -> None:
        """Take the path parts ``other`` states ("… and out to the right" completes "in from the left")."""
        for name in other.path_said & set(_PATH_FIELDS):
            self.set_path(name, getattr(other, name))

    def freeze(self, start: float, end: float) -> Motion:
        from_anchor, to_anchor = self.from_anchor, self.to_anchor
        enters, exits = self.enters, self.exits
        if self.kind in (MotionKind.SLIDE, MotionKind.PAN) and from_anchor is None and to_anchor is None:
            from_anchor, to_anchor = Anchor.LEFT, Anchor.RIGHT  # a bare "moving" goes left to right
        if self.offstage and not {"enters", "exits"} & self.path_said:
            # "flies from the bottom to the top": from outside the canvas to outside it
            enters, exits = from_anchor is not None, to_anchor is not None
        return Motion(
            kind=self.kind,
            easing=self.easing,
            from_anchor=from_anchor,
            to_anchor=to_anchor,
            enters=enters,
            exits=exits,
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
    start_s: float | None = None  # "at 2 s"
    start_text: str = ""
    length_s: float | None = None  # "for 3 seconds" said beside a start
    together: bool = False

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
                self.start_s is not None,
                self.together,
            )
        )


_UNSET = object()


@dataclass
class GlobalFacts:
    """Canvas and timing: said anywhere, they apply to the whole output."""

    canvas: tuple[int, int] | None = None
    canvas_text: str = ""
    background: RGBA | object | None = _UNSET
    background_text: str = ""
    duration: float | None = None
    fps: float | None = None
    speed: float | None = None
    speed_text: str = ""
    loops: int | None = None
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

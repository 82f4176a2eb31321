"""Everything a prompt has said so far: per tag, for the whole scene, and where the reading is.

The units that build a Scene (:mod:`.subjects`, :mod:`.merge`, :mod:`.groups`, :mod:`.timeline`,
:mod:`.build`) each read or add to one :class:`Said`; none of them keeps state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from imagegen.limits import Limits
from imagegen.prompt.facts import GlobalFacts, LayerFacts, LayoutFacts, MotionDraft, TextStyle
from imagegen.prompt.result import Notes
from imagegen.prompt.texts import shown
from imagegen.scene import Anchor, Effect, Fit, Role


@dataclass
class TagState:
    """Everything said so far about one tag."""

    tag: str
    order: int
    role: Role | None = None
    role_text: str = ""  # the words that said the role
    stretch: bool = False
    anchor: Anchor | None = None
    anchor_text: str = ""
    size: float | None = None
    size_text: str = ""  # the words that said the size
    size_of: tuple[float, str, str] | None = None  # (factor, other tag, words said): resolved when built
    size_step: int = 0  # "bigger" (+1) / "smaller" (-1): a named size up or down from ``size_from``
    size_from: float | None = None  # the size said before the comparative (None: the default for its place)
    opacity: float | None = None
    rotation: float | None = None
    margin: float | None = None
    motions: list[MotionDraft] = field(default_factory=list)
    last_group: list[MotionDraft] = field(default_factory=list)
    still: bool = False
    layout: LayoutFacts = field(default_factory=LayoutFacts)
    group: Group | None = None  # the grid / row / pair it is laid out in
    style: TextStyle = field(default_factory=TextStyle)
    effects: list[Effect] = field(default_factory=list)  # in the order said; a kind said again replaces it

    @property
    def placed(self) -> bool:
        """Did the prompt say where or how big (or what role)? Unplaced images may become backdrops."""
        return (
            self.anchor is not None
            or self.size is not None
            or self.size_of is not None
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


@dataclass
class Said:
    """The prompt's text and limits, what was said of each tag and of the scene, and the reading's place."""

    text: str
    limits: Limits
    texts: dict[str, str] = field(default_factory=dict)  # reserved id -> the words of each quoted text
    notes: Notes = field(default_factory=Notes)
    states: dict[str, TagState] = field(default_factory=dict)
    g: GlobalFacts = field(default_factory=GlobalFacts)
    relations: list[tuple[str, str, str | None]] = field(default_factory=list)  # (key, subject, object)
    stacked: dict[str, set[str]] = field(default_factory=dict)  # tag -> the tags it was said to be drawn over
    groups: list[Group] = field(default_factory=list)
    open_group: Group | None = None  # bare tags named after "grid of @a" join it
    subjects: list[str] = field(default_factory=list)  # subjects in the order they were named
    clause_tags: list[str] = field(default_factory=list)  # the tags the last clause naming any named
    bare_run: bool = False  # that clause named bare tags only: the next one's tags add to them
    phase: int = 0  # the "then" step being read
    holding: bool = False  # "fades in, then stays": still after a motion is a hold
    motion_phase: int = 0  # the "then" step of the last motions said (what "together" joins)
    step_seconds: dict[int, float] = field(default_factory=dict)  # "then" step -> its length, when said
    pending: list[LayerFacts] = field(default_factory=list)  # facts said before any subject
    default_family: str | None = None  # a brand kit's text font (texts naming no family use it)

    def shown(self, tag: str) -> str:
        return shown(tag, self.texts)

    def state(self, tag: str) -> TagState:
        if tag not in self.states:
            self.states[tag] = TagState(tag, len(self.states))
        return self.states[tag]

"""What each vocabulary row means: one small frozen type per kind of meaning.

A row of :data:`imagegen.prompt.vocabulary.VOCABULARY` carries one of these as its ``value``; the
interpreter (:mod:`imagegen.prompt.interpret`) dispatches on the value's type, so adding a new kind
of word is one type here, one handler there and its rows in the table. Fields left ``None`` mean
"the number said in the phrase" (``N%``, ``N degrees``, ``WxH``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from imagegen.scene import Anchor, Easing, LetterCase, MotionKind, Role, TextAlign, Transition


@dataclass(frozen=True)
class RoleMeaning:
    role: Role
    stretch: bool = False


@dataclass(frozen=True)
class SizeMeaning:
    fraction: float | None = None  # None: "N %" of the canvas
    text: float | None = None  # for a text layer: the font's height as a fraction of the canvas (None: fraction)
    step: int = 0  # comparative words ("bigger"): in a follow-up edit, one named size up (+1) or down (-1)
    on_scale: bool = True  # a step of "bigger"/"smaller" (tiny, small, medium...); fractions (half) are not


@dataclass(frozen=True)
class CanvasMeaning:
    size: tuple[int, int] | None = None  # None: "W x H" as said


class ColourSource(StrEnum):
    NAME = "name"  # a CSS colour name
    CODE = "code"  # #rrggbb, rgb(...)
    TRANSPARENT = "transparent"
    LINK = "link"  # "background colour", "canvas": introduces the canvas colour


@dataclass(frozen=True)
class ColourMeaning:
    source: ColourSource


@dataclass(frozen=True)
class OpacityMeaning:
    fixed: float | None = None  # None: the number said (a % or a 0-1 fraction)
    inverted: bool = False  # "N % transparent": opacity is 1 - N %


@dataclass(frozen=True)
class RotationMeaning:
    fixed: float | None = None  # None: "N degrees"


@dataclass(frozen=True)
class AngleMeaning:
    """A bare "N degrees": a tilt, or how far a spin in the same clause turns."""


@dataclass(frozen=True)
class MarginMeaning:
    fixed: float | None = None  # None: "N %"


@dataclass(frozen=True)
class MotionMeaning:
    """A motion verb: the kind it starts, its default easing, and the words ``explain`` uses.

    ``sentence`` is set on the one row that names the kind in explanations (checked by a test).
    """

    kind: MotionKind
    easing: Easing
    pingpong: bool = False
    sentence: str = ""
    repeats: float = 1.0  # how often the motion plays when no count is said ("bounces": 3 hops)
    offstage: bool = False  # "flies": a path between two sides starts and ends off the canvas
    enters_from: Anchor | None = None  # "drops in": enters from this side and stops at its place


@dataclass(frozen=True)
class MoveVerb:
    """ "move": a placement with "to A" alone, else a slide."""


@dataclass(frozen=True)
class StillMeaning:
    """ "still", "static": no motion (and a negated motion verb means the same)."""


Endpoint = int | Anchor | None  # an int is the index of a position said in the phrase ("from A to B")


@dataclass(frozen=True)
class PathMeaning:
    start: Endpoint = None
    end: Endpoint = None
    enters: bool = False
    exits: bool = False
    pingpong: bool = False
    strong: bool = False  # always means movement, even without a motion verb ("from the left to the right")


@dataclass(frozen=True)
class SpinSense:
    clockwise: bool


@dataclass(frozen=True)
class DurationMeaning:
    seconds_per_unit: float


@dataclass(frozen=True)
class FrameRateMeaning:
    """ "N fps"."""


@dataclass(frozen=True)
class SpeedMeaning:
    factor: float  # multiplies the default duration


@dataclass(frozen=True)
class RepeatMeaning:
    """ "N times", "twice": how often a motion repeats."""


@dataclass(frozen=True)
class LoopMeaning:
    count: int | None = None  # 0 = forever; None: the number said


@dataclass(frozen=True)
class PingPongMeaning:
    """ "back and forth": each repeat runs forward then back."""


@dataclass(frozen=True)
class StartMeaning:
    """ "at N s", "after N seconds": when the segment's motions start (a "for N s" beside it is their length)."""


@dataclass(frozen=True)
class TogetherMeaning:
    """ "together", "at the same time": the motions run with the previous image's, not after them."""


@dataclass(frozen=True)
class SlideshowMeaning:
    """ "slideshow (of)", "one after another": the unplaced images are shown in turn.

    ``needs_sequence``: "show" makes a slideshow only of images chained by "then" ("show @a then @b").
    """

    needs_sequence: bool = False


@dataclass(frozen=True)
class SlideFitMeaning:
    """ "letterboxed", "uncropped": slides are shown whole instead of covering the canvas."""


@dataclass(frozen=True)
class SlideTimeMeaning:
    """ "N seconds each": how long every slide shows."""


@dataclass(frozen=True)
class TransitionMeaning:
    """ "crossfade", "push", "wipe": how slides change ("from A" after it says the side)."""

    transition: Transition


class RelationKind(StrEnum):
    OVER = "over"
    ACROSS = "across"
    IN_FRONT_OF = "in-front-of"
    BEHIND = "behind"
    BACKDROP = "backdrop"


@dataclass(frozen=True)
class RelationMeaning:
    kind: RelationKind


@dataclass(frozen=True)
class FontWeight:
    """ "bold", "light": a text layer's weight (100 thin .. 900 black)."""

    weight: int


@dataclass(frozen=True)
class ItalicMeaning:
    """ "italic": slanted letters, where the family has them."""


@dataclass(frozen=True)
class FontFamily:
    """ "serif", "mono": one of the bundled families, by its key in ``imagegen.render.fonts.FAMILIES``."""

    family: str


@dataclass(frozen=True)
class AlignMeaning:
    align: TextAlign


@dataclass(frozen=True)
class CaseMeaning:
    case: LetterCase


class EffectKind(StrEnum):
    OUTLINE = "outline"
    SHADOW = "shadow"
    BANNER = "banner"


@dataclass(frozen=True)
class TextEffect:
    """ "outline", "shadow", "banner": a colour said next to it colours it ("with a black outline")."""

    effect: EffectKind
    rounded: bool = False  # "pill", "rounded box": round corners


@dataclass(frozen=True)
class RoundedMeaning:
    """ "rounded": the text's banner gets round corners."""


@dataclass(frozen=True)
class PaddingMeaning:
    """Room between the text and its banner: ``em`` of the font size; None: "N px" as said."""

    em: float | None = None


@dataclass(frozen=True)
class FontPixels:
    """ "48 px": a text layer's font size in pixels."""


class EditKind(StrEnum):
    REMOVE = "remove"
    SWAP = "swap"
    SLIGHTLY = "slightly"  # "a bit": a small step instead of a new place
    RETEXT = "retext"


@dataclass(frozen=True)
class EditMeaning:
    """A verb of follow-up edits ("remove @logo"); only :mod:`imagegen.edits` reads these rows."""

    kind: EditKind


Meaning = (
    RoleMeaning
    | Anchor
    | SizeMeaning
    | CanvasMeaning
    | ColourMeaning
    | OpacityMeaning
    | RotationMeaning
    | AngleMeaning
    | MarginMeaning
    | MotionMeaning
    | MoveVerb
    | StillMeaning
    | PathMeaning
    | SpinSense
    | DurationMeaning
    | FrameRateMeaning
    | SpeedMeaning
    | RepeatMeaning
    | LoopMeaning
    | PingPongMeaning
    | Easing
    | RelationMeaning
    | FontWeight
    | ItalicMeaning
    | FontFamily
    | AlignMeaning
    | CaseMeaning
    | TextEffect
    | RoundedMeaning
    | PaddingMeaning
    | FontPixels
    | StartMeaning
    | TogetherMeaning
    | SlideshowMeaning
    | SlideTimeMeaning
    | SlideFitMeaning
    | TransitionMeaning
)

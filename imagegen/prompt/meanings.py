"""What each vocabulary row means: one small frozen type per kind of meaning.

A row of :data:`imagegen.prompt.vocabulary.VOCABULARY` carries one of these as its ``value``; the
interpreter (:mod:`imagegen.prompt.interpret`) dispatches on the value's type, so adding a new kind
of word is one type here, one handler there and its rows in the table. Fields left ``None`` mean
"the number said in the phrase" (``N%``, ``N degrees``, ``WxH``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from imagegen.scene import (
    RGBA,
    Adjust,
    Anchor,
    Easing,
    Fit,
    LetterCase,
    MotionKind,
    Role,
    Shadow,
    Shape,
    Side,
    TextAlign,
    Transition,
)


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
class SizeOfMeaning:
    """ "twice as big as @logo": a size compared with another image's (``factor`` None: "N times")."""

    factor: float | None = None


@dataclass(frozen=True)
class CanvasMeaning:
    size: tuple[int, int] | None = None  # None: "W x H" as said


class ColourSource(StrEnum):
    NAME = "name"  # a CSS colour name
    CODE = "code"  # #rrggbb, rgb(...)
    TRANSPARENT = "transparent"
    LINK = "link"  # "background colour", "canvas": introduces the canvas colour
    BRAND = "brand"  # a brand kit's named colour ("brand blue"): ``rgba`` is its value


@dataclass(frozen=True)
class ColourMeaning:
    source: ColourSource
    rgba: tuple[int, int, int, int] | None = None  # a brand kit colour's value (other colours are said)


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
    fixed: float | None = None  # None: "N %" (or "N px" with ``pixels``)
    pixels: bool = False


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
    returns: bool = False  # ends looking as it started (a loop of it never jumps): on the describing row


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
class KnockoutMeaning:
    """ "remove the white background": a plain background made transparent (the colour said, else the
    border's); ``everywhere`` also clears that colour inside the picture ("remove all white")."""

    everywhere: bool = False


@dataclass(frozen=True)
class ShapeMeaning:
    """ "as a circle": a mask cut out of an image (rounded corners are :class:`RoundedMeaning`)."""

    shape: Shape


@dataclass(frozen=True)
class FocusMeaning:
    """ "crop to A", "focus on A": what a cover crop keeps; a bare "crop" takes the "to A" that follows."""


@dataclass(frozen=True)
class BorderMeaning:
    """A border (a frame around a picture) or an outline: ``width`` px and ``colour`` unless said; said of
    a text, the outline of its letters (its colour and width only where said). ``text_scale``: "thick" /
    "thin" said of a text make its outline that many times its usual width (which grows with the letters, so
    a fixed 8 px would be thin on a headline)."""

    width: float
    colour: RGBA
    text_scale: float = 1.0


@dataclass(frozen=True)
class AdjustMeaning:
    """A picture adjustment or effect of a layer.

    ``amount`` is the kind's amount when the phrase has no number (None: the renderer's default); with
    a number N, ``unit`` says how it is read: "px" (N pixels), "less" (a factor 1 - N %: "darkened 30 %"),
    "more" (1 + N %: "20 % brighter"), "share" (N % of the layer: a gradient's reach, an overlay's strength).
    ``colour`` is a fixed colour ("a dark overlay": 40 % black) when the phrase names none.
    """

    kind: Adjust
    amount: float | None = None
    unit: str = ""
    colour: RGBA | None = None
    fade: str | None = None  # "in": it appears over the animation ("darkens"), "out": it goes ("into focus")


@dataclass(frozen=True)
class ShadowMeaning:
    """A shadow of an image's visible shape; said of a text, its letters' drop shadow."""

    shadow: Shadow


@dataclass(frozen=True)
class RegionMeaning:
    """A part of the canvas the image fills: ``side`` left/right/top/bottom/middle, a ``fraction`` of it
    (None: "N %")."""

    side: str
    fraction: float | None = None


@dataclass(frozen=True)
class FitMeaning:
    fit: Fit


@dataclass(frozen=True)
class BesideMeaning:
    """Placed next to another image (``side`` None: "side by side", the images named together in a row)."""

    side: Side | None = None


@dataclass(frozen=True)
class GridMeaning:
    """A grid of the images named with it; ``rows`` 1 is a row, None columns/rows: as square as possible,
    ``counted``: "N by N grid" (columns, rows said)."""

    rows: int | None = None
    columns: int | None = None
    counted: bool = False


@dataclass(frozen=True)
class GapMeaning:
    """ "N px gap": the space between images placed next to each other or in a grid."""


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
    """ "banner", "pill": a box behind a text; a colour said next to it colours it ("on a red banner")."""

    effect: EffectKind
    rounded: bool = False  # "pill", "rounded box": round corners


@dataclass(frozen=True)
class RoundedMeaning:
    """ "rounded": an image gets round corners (:attr:`Shape.ROUNDED`); a text, its banner."""


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
    """A verb of follow-up edits ("remove @logo"); only :mod:`imagegen.service.edits` reads these rows."""

    kind: EditKind


Meaning = (
    RoleMeaning
    | Anchor
    | SizeMeaning
    | SizeOfMeaning
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
    | KnockoutMeaning
    | ShapeMeaning
    | FocusMeaning
    | BorderMeaning
    | ShadowMeaning
    | RegionMeaning
    | FitMeaning
    | BesideMeaning
    | GridMeaning
    | GapMeaning
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
    | TransitionMeaning
)

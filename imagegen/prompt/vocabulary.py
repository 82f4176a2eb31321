"""Every word the prompt language understands, in one table.

The parser (:mod:`imagegen.prompt`), the Help page, the CLI ``explain`` command and error suggestions
all read :data:`VOCABULARY`; nothing else lists a keyword. Each :class:`Entry` is one meaning (a
``key``) with every phrase that says it (``words``), a human sentence and an example prompt.

Phrase notation in ``words`` (the parser compiles these; see :mod:`imagegen.prompt.phrases`):

* ``N`` stands for a number (``3``, ``2.5``, ``-20``, ``three``);
* ``A`` / ``B`` stand for any position phrase (``left``, ``the top right corner``);
* ``@tag`` stands for a tag mention, ``#rgb``-style words for a colour code;
* ``C`` stands for a one-word colour name or a colour code (``white``, ``#ff0066``);
* hyphens and the articles *the*, *a*, *an* are optional (``top-right`` = ``top right``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from PIL import ImageColor

from imagegen.prompt.meanings import (
    AdjustMeaning,
    AlignMeaning,
    AngleMeaning,
    BesideMeaning,
    BorderMeaning,
    CanvasMeaning,
    CaseMeaning,
    ColourMeaning,
    ColourSource,
    DurationMeaning,
    EditKind,
    EditMeaning,
    EffectKind,
    FitMeaning,
    FocusMeaning,
    FontFamily,
    FontPixels,
    FontWeight,
    FrameRateMeaning,
    GapMeaning,
    GridMeaning,
    ItalicMeaning,
    KnockoutMeaning,
    LoopMeaning,
    MarginMeaning,
    Meaning,
    MotionMeaning,
    MoveVerb,
    OpacityMeaning,
    PaddingMeaning,
    PathMeaning,
    PingPongMeaning,
    RegionMeaning,
    RelationKind,
    RelationMeaning,
    RepeatMeaning,
    RoleMeaning,
    RotationMeaning,
    RoundedMeaning,
    ShadowMeaning,
    ShapeMeaning,
    SizeMeaning,
    SizeOfMeaning,
    SlideshowMeaning,
    SlideTimeMeaning,
    SpeedMeaning,
    SpinSense,
    StartMeaning,
    StillMeaning,
    TextEffect,
    TogetherMeaning,
    TransitionMeaning,
)
from imagegen.scene import (
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

CATEGORIES: tuple[str, ...] = (
    "role",
    "position",
    "size",
    "canvas",
    "colour",
    "style",
    "text",
    "motion",
    "direction",
    "timing",
    "easing",
    "relation",
    "layout",
    "clean-up",
    "effect",
    "sequence",
)


@dataclass(frozen=True)
class Entry:
    """One meaning of the prompt language and every phrase that expresses it."""

    category: str
    key: str
    words: tuple[str, ...]
    meaning: str
    example: str
    value: Meaning  # what it means, typed (see :mod:`imagegen.prompt.meanings`); the parser dispatches on it

    @property
    def said(self) -> tuple[str, ...]:
        """The ``words`` as a user would say them: each placeholder filled from this entry's example
        ("remove the C background" -> "remove the white background", "from A to B" -> "from the top left to
        the bottom right"), in order, each once. What the Prompt guide shows and searches."""
        return tuple(dict.fromkeys(_said(phrase, self.example) for phrase in self.words))


#: Digits spelt out; the lexer turns these into numbers ("three seconds").
NUMBER_WORDS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
}
#: Counts said as one word ("spins twice").
COUNT_WORDS: dict[str, int] = {"once": 1, "twice": 2, "thrice": 3}

#: Words that introduce unquoted text to the end of the line ("headline: Summer Sale").
TEXT_LABELS: tuple[str, ...] = ("text", "headline", "caption", "title", "subtitle", "tagline", "label", "cta")
#: Words that name a text layer in a follow-up edit ("make the headline bigger").
TEXT_NAMES: frozenset[str] = frozenset({*TEXT_LABELS, "words", "price"})
#: Nouns that, after "the" / "this" / "that", stand for an uploaded image ("make the photo bigger").
PHOTO_NOUNS: frozenset[str] = frozenset({"photo", "photograph", "picture", "pic", "image", "shot", "snapshot"})


@dataclass(frozen=True)
class Leftover:
    """How a vocabulary word found on its own, outside every phrase, is named when the usual line (the phrases
    that use it) would not say why: ``hint`` is why it was not applied and what works instead. ``before``: the
    row holds only right before a phrase of one of these categories ("more to the left"); empty: anywhere."""

    words: tuple[str, ...]
    hint: str
    before: tuple[str, ...] = ()


_NUDGE = (
    'moving an image a little from a place cannot be said yet — use a place ("at the top", "at the bottom"), '
    'a region ("in the bottom half") or a corner'
)
#: The rows of :class:`Leftover`; any other vocabulary word left over is named with the phrases that use it.
LEFTOVERS: tuple[Leftover, ...] = (
    Leftover(("lower", "higher", "upper", "further", "farther"), _NUDGE),  # "a bit lower than the middle"
    Leftover(("low", "high"), 'say the place: "at the top", "at the bottom", "in the top half" or a corner'),
    Leftover(("more", "less"), _NUDGE, before=("position", "direction")),  # "a bit more to the left"
)


#: Default layer size (fraction of the canvas) when the prompt gives none, by role or placement.
DEFAULT_SIZES: dict[str, float] = {"foreground": 0.6, "center": 0.5, "edge": 0.3, "corner": 0.2, "text": 0.0889}
"""``text``: a text layer's font height as a fraction of the canvas's shorter side (96 px on 1080x1080)."""


def _forms(*lists: str) -> tuple[str, ...]:
    """Phrases from "a | b | c" lists (several strings are joined, so long lists can wrap)."""
    return tuple(word.strip() for text in lists for word in text.split("|") if word.strip())


def _corner(vertical: tuple[str, ...], horizontal: str) -> tuple[str, ...]:
    """Every way to name a corner: "top right", "top-right", "right top", "upper right corner"."""
    words: list[str] = []
    for v in vertical:
        words += [f"{v} {horizontal}", f"{v}-{horizontal}", f"{horizontal} {v}"]
        words += [f"{v} {horizontal} corner", f"{v}-{horizontal} corner", f"{v} {horizontal}-hand corner"]
    return tuple(words)


_CENTRES = ("center", "centre", "middle")
_COLOUR_PREFIXES = ("dark", "light", "medium", "pale", "deep", "hot", "dim", "lime", "sky", "royal", "navy")


def _css_colour_words() -> tuple[str, ...]:
    """CSS colour names, plus the spaced forms people write ("dark blue" for darkblue)."""
    words = sorted(ImageColor.colormap)
    for name in list(words):
        prefix = next((p for p in _COLOUR_PREFIXES if name.startswith(p) and len(name) > len(p) + 2), None)
        if prefix:
            words.append(f"{prefix} {name[len(prefix) :]}")
    return tuple(words)


def _edge(edge: str) -> tuple[str, ...]:
    """An edge alone or combined with a centre word in either order ("top center", "center left")."""
    words = [edge, f"{edge} side", f"{edge} edge", f"{edge}-hand side"]
    for centre in _CENTRES:
        words += [f"{edge} {centre}", f"{centre} {edge}", f"{centre} of the {edge}", f"{centre} of the {edge} edge"]
    return tuple(words)


_ROLE = (
    Entry(
        "role",
        "background",
        _forms(
            "background | backdrop | bg | in the background | fills the background | fill the background |"
            "fills the canvas | fill the canvas | fills the frame | covers the canvas | cover the canvas |"
            "fills the screen | fill the screen | covers the screen |"
            "full screen | fullscreen | full bleed | wallpaper | fills the whole thing | fill the whole thing |"
            "fills everything | fill the frame | covers the frame | covers everything"
        ),
        "Covers the whole canvas (cropped to fit, never distorted) and is drawn first, behind everything.",
        "Set @BG as background",
        RoleMeaning(Role.BACKGROUND),
    ),
    Entry(
        "role",
        "stretch",
        _forms(
            "stretch | stretched | stretches | stretch to fill | stretched to fill | stretched to fit",
        ),
        "A background stretched to exactly fill the canvas (its proportions may change).",
        "@BG stretched as background",
        RoleMeaning(Role.BACKGROUND, stretch=True),
    ),
    Entry(
        "role",
        "foreground",
        _forms(
            "foreground | in the foreground | in front | front | in front of everything |"
            "on top of everything | over everything | prominent | prominently | hero | front and center |"
            "front and centre"
        ),
        "Drawn on top of everything else; centred and large unless the prompt says otherwise.",
        "@product in the foreground",
        RoleMeaning(Role.FOREGROUND),
    ),
)

_POSITION = (
    Entry(
        "position",
        "center",
        _forms(
            "center | centre | middle | centred | centered | central | dead center",
        ),
        "In the middle of the canvas.",
        "Place @product in the center",
        Anchor.CENTER,
    ),
    Entry(
        "position",
        "top",
        _edge("top"),
        "Along the top edge, centred left to right.",
        "@logo at the top",
        Anchor.TOP,
    ),
    Entry(
        "position",
        "bottom",
        _edge("bottom"),
        "Along the bottom edge, centred left to right.",
        "@logo at the bottom center",
        Anchor.BOTTOM,
    ),
    Entry(
        "position",
        "left",
        _edge("left"),
        "Against the left edge, centred top to bottom.",
        "@product on the left",
        Anchor.LEFT,
    ),
    Entry(
        "position",
        "right",
        _edge("right"),
        "Against the right edge, centred top to bottom.",
        "@product on the right side",
        Anchor.RIGHT,
    ),
    Entry(
        "position",
        "top-left",
        _corner(("top", "upper"), "left"),
        "In the top-left corner, inset by a small margin.",
        "put @logo at the top-left",
        Anchor.TOP_LEFT,
    ),
    Entry(
        "position",
        "top-right",
        _corner(("top", "upper"), "right"),
        "In the top-right corner, inset by a small margin.",
        "@logo on top right",
        Anchor.TOP_RIGHT,
    ),
    Entry(
        "position",
        "bottom-left",
        (*_corner(("bottom", "lower"), "left"), "left corner"),
        "In the bottom-left corner, inset by a small margin ('the left corner' too).",
        "@logo in the lower-left corner",
        Anchor.BOTTOM_LEFT,
    ),
    Entry(
        "position",
        "bottom-right",
        (*_corner(("bottom", "lower"), "right"), "corner", "right corner"),
        "In the bottom-right corner, inset by a small margin ('in the corner' alone means here too).",
        "@logo in the corner",
        Anchor.BOTTOM_RIGHT,
    ),
)

_SIZE = (
    Entry(
        "size",
        "tiny",
        _forms("tiny", "very small", "mini"),
        "10 % of the canvas.",
        "a tiny @logo",
        SizeMeaning(0.1, text=0.045),
    ),
    Entry(
        "size",
        "small",
        _forms("small", "little", "compact"),
        "20 % of the canvas (also the default in a corner; 30 % on an edge; text: 6 % high).",
        "a small @logo at the top right",
        SizeMeaning(0.2, text=0.06),
    ),
    Entry(
        "size",
        "medium",
        _forms(
            "medium | medium sized | mid size | normal size | regular size",
        ),
        "35 % of the canvas (text: 8 % high; the default is about 9 %).",
        "@product medium sized",
        SizeMeaning(0.35, text=0.08),
    ),
    Entry(
        "size",
        "large",
        _forms("large", "big"),
        "60 % of the canvas (also the default in the foreground; 50 % when centred; text: 12 % high).",
        "@product large in the center",
        SizeMeaning(0.6, text=0.12),
    ),
    Entry(
        "size",
        "bigger",
        _forms("bigger", "larger", "little bigger", "little larger"),
        "The next named size up (small -> medium) from the size it would have: in a prompt ('@logo top right, a bit "
        "bigger': medium, a corner's default being small) and in a change ('make @logo bigger').",
        "a bigger @product in the center",
        SizeMeaning(0.6, step=1),
    ),
    Entry(
        "size",
        "smaller",
        _forms("smaller", "little smaller"),
        "The next named size down from the size it would have, in a prompt and in a change ('make @logo smaller').",
        "a smaller @logo at the top right",
        SizeMeaning(0.2, step=-1),
    ),
    Entry(
        "size",
        "huge",
        _forms(
            "huge | very large | very big | giant | enormous | massive | most of the canvas | most of the frame |"
            "most of the space | fills most of the frame | fills most of the canvas |"
            "taking up most of the canvas | taking up most of the frame | takes up most of the canvas |"
            "takes up most of the frame",
        ),
        "85 % of the canvas (text: 16 % high).",
        "@product huge",
        SizeMeaning(0.85, text=0.16),
    ),
    Entry(
        "size",
        "full",
        _forms(
            "full width | full size | full-size | as wide as the canvas | same width as the canvas |"
            "as wide as the frame | the full width of the canvas"
        ),
        "As large as the canvas allows (100 %), proportions kept (text: 20 % high, shrunk to fit).",
        "@product full width at the bottom",
        SizeMeaning(1.0, text=0.2),
    ),
    Entry(
        "size",
        "half",
        _forms("half size", "half the size", "half width", "half the width"),
        "50 % of the canvas.",
        "@product half size",
        SizeMeaning(0.5, on_scale=False),
    ),
    Entry(
        "size",
        "quarter",
        _forms("quarter size", "quarter width", "a quarter of the width"),
        "25 % of the canvas.",
        "@logo quarter size",
        SizeMeaning(0.25, on_scale=False),
    ),
    Entry(
        "size",
        "percent",
        _forms(
            "N% | N percent | N% size | N% of the canvas | N% of the width | N% of the frame | N% wide |"
            "scaled to N% | size N%"
        ),
        "N % of the canvas (fits inside a box N % of the canvas's width and height; text: letters N % high).",
        "@logo at 15% in the bottom right",
        SizeMeaning(),
    ),
    Entry(
        "size",
        "twice-as-big",
        _forms(
            "twice as big as @tag | twice as large as @tag | twice the size of @tag | double the size of @tag |"
            "two times as big as @tag"
        ),
        "Twice the size of the other image (at most the whole canvas).",
        "@product twice as big as @logo, @logo small at the top",
        SizeOfMeaning(2.0),
    ),
    Entry(
        "size",
        "half-as-big",
        _forms("half the size of @tag | half as big as @tag | half as large as @tag | half the width of @tag"),
        "Half the size of the other image.",
        "@logo half the size of @product, @product on the left, @logo on the right",
        SizeOfMeaning(0.5),
    ),
    Entry(
        "size",
        "same-size",
        _forms("the same size as @tag | same size as @tag | as big as @tag | as large as @tag"),
        "The same size as the other image.",
        "@logo the same size as @product, @product small on the left, @logo on the right",
        SizeOfMeaning(1.0),
    ),
    Entry(
        "size",
        "bigger-than",
        _forms("bigger than @tag | larger than @tag"),
        "One and a half times the size of the other image.",
        "@product bigger than @logo on the left, @logo small on the right",
        SizeOfMeaning(1.5),
    ),
    Entry(
        "size",
        "smaller-than",
        _forms("smaller than @tag"),
        "Two thirds of the size of the other image.",
        "@logo smaller than @product at the top, @product large at the bottom",
        SizeOfMeaning(2 / 3),
    ),
    Entry(
        "size",
        "times-as-big",
        _forms(
            "N times as big as @tag | N times as large as @tag | N times the size of @tag | N times bigger than @tag"
        ),
        "N times the size of the other image ('0.5 times' is half; at most the whole canvas).",
        "@product 3 times the size of @logo on the left, @logo tiny at the top right",
        SizeOfMeaning(),
    ),
)

CANVAS_SQUARE = (1080, 1080)
_CANVAS = (
    Entry(
        "canvas",
        "square",
        _forms("square", "1:1"),
        "1080x1080 (the default).",
        "square post, @product in the center",
        CanvasMeaning(CANVAS_SQUARE),
    ),
    Entry(
        "canvas",
        "instagram",
        _forms("instagram", "instagram post", "insta", "ig post", "post"),
        "Instagram post, 1080x1080.",
        "Instagram post with @BG as background",
        CanvasMeaning(CANVAS_SQUARE),
    ),
    Entry(
        "canvas",
        "instagram-portrait",
        _forms("instagram portrait", "portrait post", "4:5"),
        "Instagram portrait post, 1080x1350.",
        "Instagram portrait: @BG as background",
        CanvasMeaning((1080, 1350)),
    ),
    Entry(
        "canvas",
        "story",
        _forms(
            "story | stories | instagram story | portrait | reel | reels | tiktok | tik tok |"
            "youtube shorts | shorts | vertical | 9:16"
        ),
        "Story / reel / TikTok, 1080x1920 (portrait).",
        "Story format: @BG as backdrop",
        CanvasMeaning((1080, 1920)),
    ),
    Entry(
        "canvas",
        "landscape",
        _forms(
            "landscape | youtube | hd | full hd | 1080p | widescreen | horizontal | 16:9",
        ),
        "Landscape / YouTube / HD, 1920x1080.",
        "YouTube video, @BG as background",
        CanvasMeaning((1920, 1080)),
    ),
    Entry(
        "canvas",
        "youtube-thumbnail",
        _forms("youtube thumbnail | yt thumbnail | thumbnail"),
        "YouTube thumbnail, 1280x720.",
        "YouTube thumbnail: @BG as background",
        CanvasMeaning((1280, 720)),
    ),
    Entry(
        "canvas",
        "4k",
        _forms("4k", "uhd", "ultra hd", "2160p"),
        "4K UHD, 3840x2160.",
        "4K, @BG as background",
        CanvasMeaning((3840, 2160)),
    ),
    Entry(
        "canvas",
        "facebook",
        _forms("facebook", "facebook post", "fb post"),
        "Facebook link post, 1200x630.",
        "Facebook post: @BG as background",
        CanvasMeaning((1200, 630)),
    ),
    Entry(
        "canvas",
        "twitter",
        _forms("twitter", "twitter post", "tweet", "x post"),
        "Twitter / X post, 1200x675.",
        "Twitter post: @BG as background",
        CanvasMeaning((1200, 675)),
    ),
    Entry(
        "canvas",
        "linkedin",
        _forms("linkedin", "linkedin post", "linked in", "linkedin banner", "linkedin cover"),
        "LinkedIn post or banner, 1200x627.",
        "LinkedIn post: @BG as background",
        CanvasMeaning((1200, 627)),
    ),
    Entry(
        "canvas",
        "custom",
        _forms(
            "NxN | N x N | N × N | N by N | N x N px | N by N pixels | N px by N px",
        ),
        "Any width x height in pixels (each side 16-4096).",
        "1080x1920, @BG as background",
        CanvasMeaning(),
    ),
)

_COLOUR = (
    Entry(
        "colour",
        "css-name",
        _css_colour_words(),
        "Any CSS colour name; next to 'background' it colours the canvas behind the images.",
        "@logo in the center on a navy background",
        ColourMeaning(ColourSource.NAME),
    ),
    Entry(
        "colour",
        "code",
        _forms(
            "#rgb | #rrggbb | #rrggbbaa | rgb(r, g, b) | rgba(r, g, b, a)",
        ),
        "A colour code for the canvas: hex like #ff0066 or rgb(255, 0, 102).",
        "@logo in the center, background colour #ff0066",
        ColourMeaning(ColourSource.CODE),
    ),
    Entry(
        "colour",
        "transparent",
        _forms("transparent", "no background", "transparent background"),
        "No canvas colour: the output keeps transparency (PNG, WebP, GIF).",
        "@logo in the center on a transparent background",
        ColourMeaning(ColourSource.TRANSPARENT),
    ),
    Entry(
        "colour",
        "on-colour",
        _forms("on C | on C background"),
        "'On white', 'on navy': the canvas colour behind the images.",
        "@product centered on navy",
        ColourMeaning(ColourSource.NAME),
    ),
    Entry(
        "colour",
        "background-colour",
        _forms(
            "background colour | background color | bg colour | bg color | canvas colour | canvas color |"
            "colour | color | canvas"
        ),
        "Introduces the canvas colour: 'background colour red', 'canvas #222'.",
        "@logo in the center, background color rgb(0, 0, 0)",
        ColourMeaning(ColourSource.LINK),
    ),
)

_STYLE = (
    Entry(
        "style",
        "opacity",
        _forms(
            "N% opacity | opacity N% | opacity of N% | opacity N | N% opaque | N% visible",
        ),
        "How see-through the image is: 100 % is solid, 0 % invisible (opacity 0.5 = 50 %).",
        "@logo at 50% opacity",
        OpacityMeaning(),
    ),
    Entry(
        "style",
        "transparency",
        _forms(
            "N% transparent | N% transparency | transparency N% | transparency of N%",
        ),
        "The opposite of opacity: 20 % transparent = 80 % opacity.",
        "@logo 20% transparent",
        OpacityMeaning(inverted=True),
    ),
    Entry(
        "style",
        "semi-transparent",
        _forms(
            "semi-transparent | semi transparent | translucent | see-through | half transparent | faded",
        ),
        "50 % opacity.",
        "@logo semi-transparent in the corner",
        OpacityMeaning(0.5),
    ),
    Entry(
        "style",
        "a-little-transparent",
        _forms("little transparent | little see-through | little translucent | little faded"),
        "80 % opacity: a little see-through.",
        "@logo in the corner, a little transparent",
        OpacityMeaning(0.8),
    ),
    Entry(
        "style",
        "watermark",
        _forms("watermark | as a watermark | watermarked"),
        "30 % opacity, as a watermark (where it sits is said apart: 'watermark in the corner').",
        "@logo as a watermark in the corner",
        OpacityMeaning(0.3),
    ),
    Entry(
        "style",
        "opaque",
        _forms("opaque", "fully opaque"),
        "100 % opacity (the default).",
        "@logo opaque",
        OpacityMeaning(1.0),
    ),
    Entry(
        "style",
        "rotation",
        _forms(
            "rotated N degrees | rotated by N degrees | rotated N° | rotated by N° | rotated N deg | rotated N |"
            "tilted N degrees | tilted by N degrees | tilted N° | turned N degrees | angled N degrees"
        ),
        "Turned by N degrees, clockwise (negative or 'counterclockwise' turns the other way).",
        "@logo rotated 15 degrees",
        RotationMeaning(),
    ),
    Entry(
        "style",
        "angle",
        _forms("N degrees", "N degree", "N°", "N deg"),
        "An angle: tilts a still image, or sets how far a spin turns ('spins 90 degrees').",
        "@logo at -20°",
        AngleMeaning(),
    ),
    Entry(
        "style",
        "tilt",
        _forms(
            "tilted | tilt | slanted | angled | askew | rotated | at an angle",
        ),
        "Tilted 10 degrees clockwise.",
        "@logo tilted in the top right",
        RotationMeaning(10.0),
    ),
    Entry(
        "style",
        "margin",
        _forms(
            "N% margin | margin N% | margin of N% | N% padding | padding N%",
        ),
        "Distance from the canvas edge, as % of its shorter side (default 4 %).",
        "@logo top left with 8% margin",
        MarginMeaning(),
    ),
    Entry(
        "style",
        "margin-px",
        _forms("N px margin | margin N px | margin of N px | N pixels margin | margin of N pixels"),
        "Distance from the canvas edge in pixels (for a grid: around the whole grid); 'N px padding' says the "
        "same of an image.",
        "@logo top left with a 40 px margin",
        MarginMeaning(pixels=True),
    ),
    Entry(
        "style",
        "no-margin",
        _forms(
            "no margin | without margin | no padding | flush | edge to edge",
        ),
        "Touching the canvas edge (no margin).",
        "@logo top left, no margin",
        MarginMeaning(0.0),
    ),
    Entry(
        "style",
        "roomy-margin",
        _forms(
            "space around it | with space around it | room around it | breathing room | breathing space |"
            "generous margin | wide margin | big margin"
        ),
        "A wide margin from the canvas edge: 8 % of its shorter side (twice the default).",
        "@logo at the top with some space around it",
        MarginMeaning(0.08),
    ),
    Entry(
        "style",
        "small-margin",
        _forms("small margin | little margin | tiny margin | narrow margin | thin margin"),
        "A narrow margin from the canvas edge: 2 % of its shorter side (half the default).",
        "@logo at the top with a small margin",
        MarginMeaning(0.02),
    ),
)

_TEXT = (
    Entry(
        "text",
        "px",
        _forms("N px | N pixels | N pt | size N px | N px tall | N px high"),
        "A text layer's font size in pixels (it still shrinks if the text would not fit).",
        '"Sale" 48 px at the top over @BG',
        FontPixels(),
    ),
    Entry(
        "text",
        "bold",
        _forms("bold | in bold | boldface | bolded"),
        "Bold letters (weight 700, the default for text).",
        '"Sale" in bold over @BG',
        FontWeight(700),
    ),
    Entry(
        "text",
        "extra-bold",
        _forms("extra bold | extra-bold | extrabold | ultra bold | heavy | heaviest"),
        "The heaviest letters (weight 900).",
        '"Sale" heavy over @BG',
        FontWeight(900),
    ),
    Entry(
        "text",
        "semibold",
        _forms("semibold | semi-bold | semi bold | demibold"),
        "Slightly bold letters (weight 600).",
        '"Sale" semibold over @BG',
        FontWeight(600),
    ),
    Entry(
        "text",
        "regular",
        _forms("regular weight | normal weight | not bold | unbolded | book weight"),
        "Regular letters (weight 400).",
        '"Sale" regular weight over @BG',
        FontWeight(400),
    ),
    Entry(
        "text",
        "light",
        _forms("light weight | lightweight | thin | hairline | light font"),
        "Light letters (weight 300).",
        '"Sale" thin over @BG',
        FontWeight(300),
    ),
    Entry(
        "text",
        "italic",
        _forms("italic | italics | in italics | italicised | italicized | oblique"),
        "Slanted letters (sans and serif; mono stays upright and says so).",
        '"Sale" italic over @BG',
        ItalicMeaning(),
    ),
    Entry(
        "text",
        "sans",
        _forms("sans | sans serif | sans-serif | sans font | sans serif font | grotesque | noto sans"),
        "Noto Sans, the default family: clean and neutral.",
        '"Sale" in sans serif over @BG',
        FontFamily("sans"),
    ),
    Entry(
        "text",
        "serif",
        _forms("serif | serif font | serifed | classic font | elegant font | noto serif"),
        "Noto Serif: a classic book face.",
        '"Sale" in serif over @BG',
        FontFamily("serif"),
    ),
    Entry(
        "text",
        "condensed",
        _forms("condensed | condensed font | narrow font | compressed | headline font | poster font | impact"),
        "Noto Sans Condensed: narrow, tall letters for headlines (more words per line).",
        '"Summer Sale" condensed at the top over @BG',
        FontFamily("condensed"),
    ),
    Entry(
        "text",
        "mono",
        _forms("mono | monospace | monospaced | typewriter | code font | fixed width | noto mono"),
        "Noto Sans Mono: every letter the same width.",
        '"Code 42" monospace over @BG',
        FontFamily("mono"),
    ),
    Entry(
        "text",
        "align-left",
        _forms("left aligned | aligned left | align left | aligned to the left | flush left | ragged right"),
        "Lines of a text block start at the same left edge.",
        '"Big / sale today" left aligned over @BG',
        AlignMeaning(TextAlign.LEFT),
    ),
    Entry(
        "text",
        "align-center",
        _forms("center aligned | centre aligned | align center | align centre | centre-aligned | center-aligned"),
        "Lines of a text block are centred on each other (the default).",
        '"Big / sale today" center aligned over @BG',
        AlignMeaning(TextAlign.CENTER),
    ),
    Entry(
        "text",
        "align-right",
        _forms("right aligned | aligned right | align right | aligned to the right | flush right | ragged left"),
        "Lines of a text block end at the same right edge.",
        '"Big / sale today" right aligned over @BG',
        AlignMeaning(TextAlign.RIGHT),
    ),
    Entry(
        "text",
        "uppercase",
        _forms("uppercase | upper case | all caps | all capitals | capitals | caps | upper-case"),
        "Drawn in capitals (the typed text is kept).",
        '"Shop now" uppercase over @BG',
        CaseMeaning(LetterCase.UPPER),
    ),
    Entry(
        "text",
        "lowercase",
        _forms("lowercase | lower case | all lowercase | lower-case"),
        "Drawn in small letters.",
        '"SHOP NOW" lowercase over @BG',
        CaseMeaning(LetterCase.LOWER),
    ),
    Entry(
        "text",
        "title-case",
        _forms("capitalised | capitalized | initial caps | capitalised words | capitalized words"),
        "Each word starts with a capital.",
        '"shop now" capitalised over @BG',
        CaseMeaning(LetterCase.TITLE),
    ),
    Entry(
        "text",
        "banner",
        _forms("banner | box | ribbon | badge | plate | strip | bar | highlight"),
        "A filled box behind the text ('on a red banner'); without a colour, one that contrasts with the text.",
        '"Sale" on a red banner over @BG',
        TextEffect(EffectKind.BANNER),
    ),
    Entry(
        "text",
        "pill",
        _forms("pill | pill shaped | capsule | button"),
        "A banner with fully round ends, like a button.",
        '"Shop now" on a white pill over @BG',
        TextEffect(EffectKind.BANNER, rounded=True),
    ),
    Entry(
        "text",
        "padding",
        _forms("padded | with padding | extra padding | more padding | generous padding | roomy"),
        "More room between the text and its banner (0.6 of the letter height instead of 0.3).",
        '"Sale" on a red banner with padding over @BG',
        PaddingMeaning(0.6),
    ),
    Entry(
        "text",
        "padding-px",
        _forms("N px padding | padding N px | padding of N px | N pixels padding | padding N pixels"),
        "Room between the text and its banner, in pixels; said of an image, its margin ('40 px padding').",
        '"Sale" on a red banner, 24 px padding, over @BG',
        PaddingMeaning(),
    ),
)


def _motion(key: str, words: tuple[str, ...], meaning: str, example: str, value: Meaning) -> Entry:
    return Entry("motion", key, words, meaning, example, value)


_MOTION = (
    _motion(
        "slide",
        _forms(
            "slide | slides | sliding | slid | moves | moving | glide | glides | gliding | pan | pans | panning |"
            "travel | travels | travelling | traveling | drift | drifts |"
            "drifting | sweep | sweeps | sweeping | scroll | scrolls | scrolling"
        ),
        "Moves between two places (say which: 'from left to right', 'in from the top', 'across'); "
        "left to right when none is given. Eases in and out.",
        "@logo slides from left to right",
        MotionMeaning(MotionKind.SLIDE, Easing.EASE_IN_OUT, sentence="slides {path}"),
    ),
    _motion(
        "fly",
        _forms("fly | flies | flying | fly through | flies through | soar | soars | soaring | shoot | shoots"),
        "Slides like 'slide', but 'from A to B' starts and ends off the canvas (a rocket leaves the frame); "
        "'in from A' still stops at its place, 'out to A' starts there. Across, left to right, when no path "
        "is given.",
        "@logo flies from the bottom to the top",
        MotionMeaning(MotionKind.SLIDE, Easing.EASE_IN_OUT, offstage=True),
    ),
    _motion(
        "drop-in",
        _forms("drop in | drops in | dropping in | drop down | drops down | fall in | falls in | falls down"),
        "Falls in from above the canvas and lands at its place with a bounce.",
        "@logo drops in at the top right",
        MotionMeaning(MotionKind.SLIDE, Easing.BOUNCE, enters_from=Anchor.TOP),
    ),
    _motion(
        "pop-in",
        _forms("pop in | pops in | popping in | pop up | pops up | pop | pops"),
        "Grows out of nothing to its size, overshoots a little and settles.",
        "@logo pops in at the top left",
        MotionMeaning(MotionKind.POP_IN, Easing.LINEAR, sentence="pops in"),
    ),
    _motion(
        "pan",
        _forms("pan across | pans across | panning across | ken burns | ken burns effect"),
        "The classic photo motion: the picture is enlarged a little (1.2 x) and the view travels across it, "
        "left to right unless the prompt says ('pan across @BG from right to left'). Smooth to the sub-pixel.",
        "pan across @BG from left to right",
        MotionMeaning(MotionKind.PAN, Easing.EASE_IN_OUT, sentence="pans across the picture ({path})"),
    ),
    _motion(
        "move",
        _forms("move", "moved"),
        "'Move @logo to the top right' just places it there; with a path ('move from left to right') or "
        "on its own ('make it move') it slides.",
        "Make @logo move from the bottom to the top",
        MoveVerb(),
    ),
    _motion(
        "spin",
        _forms(
            "spin | spins | spinning | rotate | rotates | rotating | turn | turns | turning | twirl |"
            "twirls | twirling | whirl | whirls | whirling | revolve | revolves | revolving | spin around |"
            "spins around | spinning around"
        ),
        "Turns one full circle, clockwise unless 'counterclockwise'; steady speed (linear).",
        "@logo spins in the center",
        MotionMeaning(MotionKind.SPIN, Easing.LINEAR, sentence="spins{turns} {sense}"),
    ),
    _motion(
        "bounce",
        _forms(
            "bounce | bounces | bouncing | jump | jumps | jumping | hop | hops | hopping | bob | bobs",
        ),
        "Hops up by a quarter of its height and lands on its place like a ball (gravity): 3 hops unless "
        "a count is said ('bounces 5 times'); each landing is one hit of the floor.",
        "@product bounces at the bottom 3 times",
        MotionMeaning(MotionKind.BOUNCE, Easing.LINEAR, sentence="bounces", repeats=3.0, returns=True),
    ),
    _motion(
        "fade-in",
        _forms(
            "fade in | fades in | fading in | faded in | fade | fades | fading | appear | appears |"
            "appearing | fade into view"
        ),
        "Goes from invisible to fully visible ('fading' alone also means fade in); eases in and out.",
        "@logo fades in at the top left",
        MotionMeaning(MotionKind.FADE_IN, Easing.EASE_IN_OUT, sentence="fades in"),
    ),
    _motion(
        "fade-out",
        _forms(
            "fade out | fades out | fading out | fade away | fades away | fading away | disappear |"
            "disappears | disappearing | vanish | vanishes | vanishing"
        ),
        "Goes from fully visible to invisible; eases in and out.",
        "@logo fades out",
        MotionMeaning(MotionKind.FADE_OUT, Easing.EASE_IN_OUT, sentence="fades out"),
    ),
    _motion(
        "fade-in-out",
        _forms(
            "fade in and out | fades in and out | fading in and out | fade in then out",
        ),
        "Fades in, then back out (a fade-in played back and forth).",
        "@logo fading in and out",
        MotionMeaning(MotionKind.FADE_IN, Easing.EASE_IN_OUT, pingpong=True),
    ),
    _motion(
        "zoom-in",
        _forms(
            "zoom in | zooms in | zooming in | zoom | zooms | zooming | grow | grows | growing | scale up |"
            "scales up | scaling up | enlarge | enlarges | zoom into | zooms into | zooming into"
        ),
        "Grows to 1.5 x its size; eases in and out.",
        "@product zooms in",
        MotionMeaning(MotionKind.ZOOM_IN, Easing.EASE_IN_OUT, sentence="zooms in"),
    ),
    _motion(
        "zoom-out",
        _forms(
            "zoom out | zooms out | zooming out | shrink | shrinks | shrinking | scale down | scales down |scaling down"
        ),
        "Shrinks to 1 / 1.5 of its size; eases in and out.",
        "@product shrinks",
        MotionMeaning(MotionKind.ZOOM_OUT, Easing.EASE_IN_OUT, sentence="zooms out"),
    ),
    _motion(
        "zoom-in-out",
        _forms(
            "zoom in and out | zooms in and out | zooming in and out | grows and shrinks |grow and shrink",
        ),
        "Grows, then shrinks back (a zoom-in played back and forth).",
        "@product zooms in and out",
        MotionMeaning(MotionKind.ZOOM_IN, Easing.EASE_IN_OUT, pingpong=True),
    ),
    _motion(
        "pulse",
        _forms(
            "pulse | pulses | pulsing | pulsate | pulsates | pulsating | breathe | breathes | breathing |"
            "throb | throbs | throbbing | heartbeat"
        ),
        "Swells by 10 % and back, like a heartbeat; eases in and out.",
        "@logo pulses in the center",
        MotionMeaning(MotionKind.PULSE, Easing.EASE_IN_OUT, sentence="pulses", returns=True),
    ),
    _motion(
        "shake",
        _forms(
            "shake | shakes | shaking | wiggle | wiggles | wiggling | jiggle | jiggles | jiggling |"
            "wobble | wobbles | wobbling | vibrate | vibrates | vibrating | jitter | jitters | shiver |"
            "shivers | tremble | trembles"
        ),
        "Jitters sideways by 5 % of its width; steady (linear).",
        "@logo shakes",
        MotionMeaning(MotionKind.SHAKE, Easing.LINEAR, sentence="shakes", returns=True),
    ),
    _motion(
        "still",
        _forms(
            "still | static | stable | stays | stay | stays put | fixed | stationary | motionless |"
            "frozen | not moving | does not move | doesn't move | no motion | no animation | not animated |"
            "holds | hold | holds there | stays there | remains | remains there | stays on screen"
        ),
        "Does not move (the image can still be part of an animation where others move).",
        "@BG is stable background and @logo is moving from left to right",
        StillMeaning(),
    ),
)

_DIRECTION = (
    Entry(
        "direction",
        "from-to",
        _forms(
            "from A to B | A to B | from A towards B | from A toward B | from A into B | A towards B",
        ),
        "A path between two places: 'from the top left to the bottom right'; also '->'.",
        "@logo moving from the top left to the bottom right",
        PathMeaning(start=0, end=1, strong=True),
    ),
    Entry(
        "direction",
        "in-from",
        _forms(
            "in from A | enters from A | enter from A | entering from A | comes in from A |arrives from A",
        ),
        "Enters from off the canvas on that side and stops at its place.",
        "@logo slides in from the left",
        PathMeaning(start=0, enters=True, strong=True),
    ),
    Entry(
        "direction",
        "from",
        _forms("from A"),
        "Starts at that side (inside the canvas) and moves to its place.",
        "@logo slides from the bottom",
        PathMeaning(start=0),
    ),
    Entry(
        "direction",
        "to",
        _forms(
            "to A | towards A | toward A | into A | over to A",
        ),
        "Moves from its place to that side (inside the canvas).",
        "@logo slides to the right",
        PathMeaning(end=0),
    ),
    Entry(
        "direction",
        "out-to",
        _forms(
            "out to A | off to A | exits to A | exit to A | exiting to A | leaves to A | out the A",
        ),
        "Leaves its place and exits the canvas on that side.",
        "@logo slides out to the right",
        PathMeaning(end=0, exits=True, strong=True),
    ),
    Entry(
        "direction",
        "across",
        _forms(
            "across | across the canvas | across the screen | across the frame | all the way across",
        ),
        "Enters on the left and exits on the right ('across from right to left' reverses it).",
        "@logo flies across",
        PathMeaning(start=Anchor.LEFT, end=Anchor.RIGHT, enters=True, exits=True, strong=True),
    ),
    Entry(
        "direction",
        "side-to-side",
        _forms("side to side", "from side to side", "left and right"),
        "Left to right and back again.",
        "@logo moves side to side",
        PathMeaning(start=Anchor.LEFT, end=Anchor.RIGHT, pingpong=True, strong=True),
    ),
    Entry(
        "direction",
        "up-and-down",
        _forms("up and down"),
        "Top to bottom and back again (with 'bounce', just bounces).",
        "@logo moves up and down",
        PathMeaning(start=Anchor.TOP, end=Anchor.BOTTOM, pingpong=True),
    ),
    Entry(
        "direction",
        "up",
        _forms("up", "upward", "upwards"),
        "Moves from its place to the top.",
        "@logo slides up",
        PathMeaning(end=Anchor.TOP),
    ),
    Entry(
        "direction",
        "down",
        _forms("down", "downward", "downwards"),
        "Moves from its place to the bottom.",
        "@logo slides down",
        PathMeaning(end=Anchor.BOTTOM),
    ),
    Entry(
        "direction",
        "clockwise",
        _forms("clockwise", "cw"),
        "Turns clockwise (the default).",
        "@logo spins clockwise",
        SpinSense(True),
    ),
    Entry(
        "direction",
        "counterclockwise",
        _forms(
            "counterclockwise | counter-clockwise | anticlockwise | anti-clockwise | ccw",
        ),
        "Turns the other way: spins counterclockwise, or tilts to the left.",
        "@logo spins counterclockwise",
        SpinSense(False),
    ),
)

_TIMING = (
    Entry(
        "timing",
        "seconds",
        _forms(
            "N seconds | N second | N secs | N sec | N s",
        ),
        "How long the animation lasts ('over 3 seconds', 'for 4 s', '2.5s'); default 2 s.",
        "@logo spins over 3 seconds",
        DurationMeaning(1.0),
    ),
    Entry(
        "timing",
        "milliseconds",
        _forms("N ms", "N milliseconds", "N millisecond"),
        "Duration in milliseconds.",
        "@logo pulses for 1500 ms",
        DurationMeaning(0.001),
    ),
    Entry(
        "timing",
        "minutes",
        _forms("N minutes", "N minute", "N min", "N mins"),
        "Duration in minutes (at most 1).",
        "@logo spins for 1 minute at 5 fps",
        DurationMeaning(60.0),
    ),
    Entry(
        "timing",
        "fps",
        _forms(
            "N fps | N frames per second | N frames a second | frame rate N | framerate N | fps N",
        ),
        "Frames per second (default 24).",
        "@logo spins at 30 fps",
        FrameRateMeaning(),
    ),
    Entry(
        "timing",
        "slow",
        _forms(
            "slow | slowly | slower | gently | gentle | leisurely | gradually",
        ),
        "1.5 x the default length (3 s) when no duration is given.",
        "@logo spins slowly",
        SpeedMeaning(1.5),
    ),
    Entry(
        "timing",
        "fast",
        _forms(
            "fast | quickly | quick | faster | rapidly | rapid | swiftly | swift | snappy | speedy",
        ),
        "Half the default length (1 s) when no duration is given.",
        "@logo spins quickly",
        SpeedMeaning(0.5),
    ),
    Entry(
        "timing",
        "repeat",
        _forms(*COUNT_WORDS, "N times", "N x"),
        "How many times the motion plays within the animation ('spins twice', 'bounces 3 times').",
        "@product bounces 3 times",
        RepeatMeaning(),
    ),
    Entry(
        "timing",
        "loop",
        _forms(
            "loop | loops | looping | loop forever | loops forever | forever | endlessly | on repeat |"
            "repeat | repeats | repeating | infinitely | continuously | seamless loop",
            "seamless | seamlessly | looping seamlessly | loops seamlessly | loop seamlessly | seamlessly looping |"
            "seamlessly loops | seamlessly loop | looped seamlessly | loops smoothly | looping smoothly |"
            "loop smoothly | smoothly looping | smoothly loops | smooth loop | smooth looping | looped smoothly |"
            "in a seamless loop | in a smooth loop | on a loop | without a jump | with no jump",
        ),
        "The animation repeats forever without a jump (the default): a path that leaves the canvas comes "
        "back in from the other side, a fade-in fades out again, anything else goes there and back.",
        "@logo moving from left to right, looping seamlessly",
        LoopMeaning(0),
    ),
    Entry(
        "timing",
        "loop-count",
        _forms(
            "loop N times | loops N times | repeat N times | repeats N times | loop twice | loops twice",
        ),
        "The whole animation plays N times, then stops.",
        "@logo spins, loop 3 times",
        LoopMeaning(),
    ),
    Entry(
        "timing",
        "play-once",
        _forms(
            "play once | plays once | only once | once only | no loop | no looping | don't loop |"
            "do not loop | does not loop | doesn't loop | without looping | not looping"
        ),
        "The animation plays once and stops on its last frame.",
        "@logo fades in, play once",
        LoopMeaning(1),
    ),
    Entry(
        "timing",
        "pingpong",
        _forms(
            "back and forth | to and fro | ping-pong | pingpong | there and back | yo-yo | yoyo |"
            "and back | and back again | back again"
        ),
        "The motion plays forwards then backwards (returns to where it started).",
        "@logo slides left to right and back",
        PingPongMeaning(),
    ),
)

_EASING = (
    Entry(
        "easing",
        "linear",
        _forms(
            "linear | linearly | constant speed | steady | steadily | evenly | uniformly",
        ),
        "Constant speed from start to end.",
        "@logo slides across at constant speed",
        Easing.LINEAR,
    ),
    Entry(
        "easing",
        "ease-in",
        _forms(
            "ease in | ease-in | eases in | accelerating | accelerates | speeding up | speeds up |speed up",
        ),
        "Starts slowly and speeds up.",
        "@logo slides to the right, ease-in",
        Easing.EASE_IN,
    ),
    Entry(
        "easing",
        "ease-out",
        _forms("ease out | ease-out | eases out | decelerating | decelerates | slowing down | slows down |slow down"),
        "Starts fast and slows down to a stop.",
        "@logo slides in from the left, slowing down",
        Easing.EASE_OUT,
    ),
    Entry(
        "easing",
        "ease-in-out",
        _forms(
            "ease in out | ease-in-out | ease in and out | smooth | smoothly | ease | eased",
        ),
        "Starts and ends gently (the default for slides, fades and zooms).",
        "@logo spins smoothly",
        Easing.EASE_IN_OUT,
    ),
    Entry(
        "easing",
        "bounce",
        _forms("bouncy", "bouncily", "with a bounce"),
        "Lands with a few bounces at the end.",
        "@logo slides in from the top, bouncy",
        Easing.BOUNCE,
    ),
    Entry(
        "easing",
        "elastic",
        _forms(
            "elastic | elastically | springy | spring | rubbery | wobbly",
        ),
        "Overshoots and springs back at the end.",
        "@logo zooms in, elastic",
        Easing.ELASTIC,
    ),
)

_RELATION = (
    Entry(
        "relation",
        "over",
        _forms(
            "over @tag | on @tag | onto @tag | on top of @tag | of @tag | upon @tag | over it | on it |on top of it"
        ),
        "Drawn above the other image; if that image is not placed anywhere, it becomes the backdrop.",
        "@logo over @BG",
        RelationMeaning(RelationKind.OVER),
    ),
    Entry(
        "relation",
        "across",
        _forms("across @tag", "across it"),
        "Slides across the other image (left to right, entering and exiting), which becomes the backdrop "
        "if it is not placed anywhere.",
        "@logo slides across @BG",
        RelationMeaning(RelationKind.ACROSS),
    ),
    Entry(
        "relation",
        "in-front-of",
        _forms("in front of @tag", "in front of it", "in front of them"),
        "Drawn just above the other image (only the order changes).",
        "@logo in the center in front of @product, @product in the center",
        RelationMeaning(RelationKind.IN_FRONT_OF),
    ),
    Entry(
        "relation",
        "behind",
        _forms("behind @tag", "underneath @tag", "beneath @tag"),
        "Drawn just below the other image (only the order changes).",
        "@logo in the center, @product in the center behind @logo",
        RelationMeaning(RelationKind.BEHIND),
    ),
    Entry(
        "relation",
        "backdrop",
        _forms(
            "behind | behind it | behind them | behind everything | behind everything else | behind all |"
            "behind the rest | behind the others | at the back | in the back | under it | underneath it |"
            "beneath it | under everything"
        ),
        "Sent to the back; an image not placed anywhere becomes the backdrop.",
        "@logo in the center with @BG behind it",
        RelationMeaning(RelationKind.BACKDROP),
    ),
)

_LAYOUT = (
    Entry(
        "layout",
        "half",
        _forms("left half | right half | top half | bottom half | upper half | lower half"),
        "Fills that half of the canvas (cropped to fill it; add 'fit' to show all of the image).",
        "1200x628, @BG on the left half",
        RegionMeaning("", 0.5),
    ),
    Entry(
        "layout",
        "third",
        _forms("left third | right third | top third | bottom third | middle third | center third | centre third"),
        "Fills that third of the canvas.",
        "@product on the right third",
        RegionMeaning("", 1 / 3),
    ),
    Entry(
        "layout",
        "band",
        _forms("left N% | right N% | top N% | bottom N% | left N percent | right N percent"),
        "Fills that share of the canvas along one edge ('left 40 %').",
        "@BG on the left 40%",
        RegionMeaning(""),
    ),
    Entry(
        "layout",
        "fit",
        _forms(
            "fit | fitted | fit in | contain | contained | uncropped | not cropped | without cropping | letterboxed |"
            "letterbox"
        ),
        "Shows the whole image inside its area instead of filling it (no crop); said of a slideshow's images, "
        "every slide is shown whole on the canvas colour.",
        "@product on the right half, fit",
        FitMeaning(Fit.CONTAIN),
    ),
    Entry(
        "layout",
        "fill",
        _forms("fill | fills | filling | cover | covers | covering | cropped to fill"),
        "Fills its area, cropping what does not fit (the default for halves, thirds and grids).",
        "@product fills the right half",
        FitMeaning(Fit.COVER),
    ),
    Entry(
        "layout",
        "next-to",
        _forms(
            "next to @tag | beside @tag | alongside @tag | to the right of @tag | to the right of it | next to it |"
            "beside it"
        ),
        "To the right of the other image, with a gap; unplaced, the two share the canvas side by side.",
        "@logo next to @product",
        BesideMeaning(Side.RIGHT_OF),
    ),
    Entry(
        "layout",
        "left-of",
        _forms("to the left of @tag | to the left of it"),
        "To the left of the other image, with a gap.",
        "@logo to the left of @product",
        BesideMeaning(Side.LEFT_OF),
    ),
    Entry(
        "layout",
        "above",
        _forms("above @tag | above it"),
        "Above the other image, with a gap.",
        "@logo above @product",
        BesideMeaning(Side.ABOVE),
    ),
    Entry(
        "layout",
        "below",
        _forms("below @tag | under @tag | below it"),
        "Below the other image, with a gap.",
        "@logo under @product",
        BesideMeaning(Side.BELOW),
    ),
    Entry(
        "layout",
        "side-by-side",
        _forms(
            "side by side | side-by-side | next to each other | beside each other | alongside each other |"
            "next to one another"
        ),
        "The images named together share the canvas in a row, each filling its part.",
        "@BG and @product side by side",
        BesideMeaning(None),
    ),
    Entry(
        "layout",
        "grid",
        _forms("grid | grid of | in a grid | as a grid | collage | collage of | tiled"),
        "The images named with it in a grid (as square as possible: 4 make 2 by 2), each filling its cell.",
        "grid of @BG, @logo and @product",
        GridMeaning(),
    ),
    Entry(
        "layout",
        "grid-size",
        _forms("N by N grid | N x N grid | NxN grid | grid of N by N"),
        "A grid with that many columns and rows.",
        "@BG, @logo and @product in a 3 by 1 grid",
        GridMeaning(counted=True),
    ),
    Entry(
        "layout",
        "row",
        _forms("row | row of | in a row | in one row | in a line"),
        "The images named with it in one row, each filling its part.",
        "a row of @BG @logo @product",
        GridMeaning(rows=1),
    ),
    Entry(
        "layout",
        "column",
        _forms("column | column of | in a column | stacked | stacked vertically"),
        "The images named with it stacked in one column.",
        "@BG and @product in a column",
        GridMeaning(columns=1),
    ),
    Entry(
        "layout",
        "gap",
        _forms("N px gap | gap of N px | gap N px | N px apart | N px spacing | spacing of N px | N px between"),
        "Space between images next to each other or in a grid, in pixels (default 20 px).",
        "@logo next to @product with 40 px gap",
        GapMeaning(),
    ),
)

_CLEAN_UP = (
    Entry(
        "clean-up",
        "knockout",
        _forms(
            "remove the C background | remove C background | without the C background | without C background |"
            "C background removed | C transparent | remove the background | remove background | background removed |"
            "without background | without the background | without a background | cut out | cutout | knock out |"
            "knocked out | knock out the background | knock out the C background | without its background |"
            "without its C background | take the background off | take off the background | background off |"
            "cut out the background | cut the background out | no C background |"
            "with no C background | remove the C from | remove C from"
        ),
        "Makes a plain background transparent (white or the colour said), keeping that colour inside the "
        "image; the edge stays soft, with no fringe. The Images page offers it for logos on white.",
        "remove the white background of @logo",
        KnockoutMeaning(),
    ),
    Entry(
        "clean-up",
        "knockout-all",
        _forms("remove all C | remove all the C | all C transparent"),
        "Makes every pixel of that colour transparent, also inside the image ('remove all white').",
        "@logo in the center, remove all white",
        KnockoutMeaning(everywhere=True),
    ),
    Entry(
        "clean-up",
        "circle",
        _forms("as a circle | in a circle | circle | circular | round | cropped to a circle | circle crop"),
        "Cut to a circle (a square crop of the image's centre first).",
        "@product as a circle in the center",
        ShapeMeaning(Shape.CIRCLE),
    ),
    Entry(
        "clean-up",
        "rounded",
        _forms("rounded corners | round corners | rounded | rounded edges | round cornered | soft corners"),
        "Rounded corners: an image's (a tenth of its shorter side), or a text's banner.",
        "@product with rounded corners",
        RoundedMeaning(),
    ),
    Entry(
        "clean-up",
        "crop",
        _forms("crop | cropped | focus on A | focused on A"),
        "Which part a crop keeps when the image fills its area: 'crop @BG to the top', 'focus on the left'.",
        "crop @BG to the top, @BG as background",
        FocusMeaning(),
    ),
    Entry(
        "clean-up",
        "border",
        _forms("border | borders | C border | C borders | N px border | N px C border | C N px border | bordered"),
        "A border around the image (white, 10 px unless said): a frame for a photo, an outline for a cut-out; "
        "around a text's letters, an outline.",
        "@product with a white border",
        BorderMeaning(10.0, (255, 255, 255, 255)),
    ),
    Entry(
        "clean-up",
        "outline",
        _forms(
            "outline | C outline | N px outline | N px C outline | outlined | stroke | C stroke | N px stroke |"
            "stroked | contour"
        ),
        "An outline following the image's shape (black, 4 px unless said), or a line around every letter of a "
        "text (black or white, whichever contrasts, unless a colour is said: 'with a red outline').",
        "@logo with a 4 px red outline",
        BorderMeaning(4.0, (0, 0, 0, 255)),
    ),
    Entry(
        "clean-up",
        "thick-outline",
        _forms("thick outline | thick C outline | heavy outline | thick stroke | bold outline | bold C outline"),
        "A thick outline (8 px, black unless a colour is said; around letters, twice the usual width).",
        "@logo with a thick black outline",
        BorderMeaning(8.0, (0, 0, 0, 255), text_scale=2.0),
    ),
    Entry(
        "clean-up",
        "thin-outline",
        _forms("thin outline | thin C outline | fine outline | thin stroke"),
        "A thin outline (2 px, black unless a colour is said; around letters, half the usual width).",
        "@logo with a thin red outline",
        BorderMeaning(2.0, (0, 0, 0, 255), text_scale=0.5),
    ),
    Entry(
        "clean-up",
        "thick-border",
        _forms("thick border | thick C border | wide border | wide C border | heavy border"),
        "A thick border (24 px, white unless a colour is said; around letters, a thick outline).",
        "@product with a thick border",
        BorderMeaning(24.0, (255, 255, 255, 255), text_scale=2.0),
    ),
    Entry(
        "clean-up",
        "thin-border",
        _forms("thin border | thin C border | fine border"),
        "A thin border (4 px, white unless a colour is said; around letters, a thin outline).",
        "@product with a thin border",
        BorderMeaning(4.0, (255, 255, 255, 255), text_scale=0.5),
    ),
    Entry(
        "clean-up",
        "drop-shadow",
        _forms("drop shadow | drop-shadow | shadow | shadowed | with shadow"),
        "A shadow below and to the right (8 px, with a soft edge); for a text, below right of the letters.",
        "@product with a drop shadow",
        ShadowMeaning(Shadow(8.0, 8.0, 6.0, (0, 0, 0, 110))),
    ),
    Entry(
        "clean-up",
        "soft-shadow",
        _forms(
            "soft shadow | soft drop shadow | subtle shadow | diffuse shadow | soft shadow under it |"
            "soft shadow beneath it | soft shadow below it | soft shadow underneath | shadow under it |"
            "shadow beneath it | shadow below it | shadow underneath | with shadow under it | with shadow beneath it |"
            "with shadow below it"
        ),
        "A wide, soft shadow just below the image (a text gets its drop shadow).",
        "@product with a soft shadow",
        ShadowMeaning(Shadow(0.0, 8.0, 16.0, (0, 0, 0, 90))),
    ),
)

_SEQUENCE = (
    Entry(
        "sequence",
        "at",
        _forms(
            "at N s | at N seconds | at N second | at N sec | after N s | after N seconds | after N second |"
            "after N sec | starting at N s | starting at N seconds | starts at N s | starts at N seconds"
        ),
        "When the motion starts on the timeline; 'for N seconds' beside it is how long it takes (1 s if "
        "unsaid). The animation grows to fit unless its length is said.",
        "@logo fades in, @product pops in at 1 s for 0.5 seconds",
        StartMeaning(),
    ),
    Entry(
        "sequence",
        "together",
        _forms("together | simultaneously | all at once | in sync"),
        "Runs at the same time as the previous image's motion, even after a 'then' ('meanwhile' says the same).",
        "@logo fades in, then @product spins and @BG zooms in together",
        TogetherMeaning(),
    ),
    Entry(
        "sequence",
        "slideshow",
        _forms(
            "slideshow | slide show | slideshow of | slide show of | slideshow with | carousel | carousel of |"
            "one after another | one after the other | in turn | in sequence"
        ),
        "Shows the images one after another, each covering the canvas (2 s each, crossfading); images "
        "placed somewhere ('@logo at the top right') stay on top of every slide.",
        "Make a slideshow of @BG, @product and @logo, 2 seconds each",
        SlideshowMeaning(),
    ),
    Entry(
        "sequence",
        "show",
        _forms("show"),
        "With 'then' between images, a slideshow: 'show @a then @b then @c'.",
        "Show @BG then @product then @logo",
        SlideshowMeaning(needs_sequence=True),
    ),
    Entry(
        "sequence",
        "each",
        _forms(
            "N seconds each | N second each | N s each | N secs each | N sec each | N seconds per slide |"
            "N s per slide | N seconds a slide"
        ),
        "How long every slide shows ('@b for 4 seconds' sets one slide).",
        "slideshow of @BG, @product and @logo, 3 seconds each",
        SlideTimeMeaning(),
    ),
    Entry(
        "sequence",
        "crossfade",
        _forms(
            "crossfade | crossfades | crossfading | cross-fade | cross fade | fade between | fades between |"
            "fading between | dissolve | dissolves | dissolving | with a fade | fade transition | fade transitions"
        ),
        "Slides blend into each other (the default transition, 0.5 s).",
        "slideshow of @BG and @product with a crossfade",
        TransitionMeaning(Transition.CROSSFADE),
    ),
    Entry(
        "sequence",
        "cut",
        _forms("cut | cuts | hard cut | hard cuts | no transition | without transition | cut between"),
        "Slides change at once, with no transition.",
        "slideshow of @BG and @product, hard cuts",
        TransitionMeaning(Transition.CUT),
    ),
    Entry(
        "sequence",
        "push",
        _forms("push | pushes | pushing | push transition | slide transition | swipe | swipes"),
        "The next slide pushes the current one out, from the right unless said ('push from the left').",
        "slideshow of @BG and @product, push from the left",
        TransitionMeaning(Transition.PUSH),
    ),
    Entry(
        "sequence",
        "wipe",
        _forms("wipe | wipes | wiping | wipe transition"),
        "The next slide is uncovered from one edge, the right unless said ('wipe from the top').",
        "slideshow of @BG and @product, wipe from the top",
        TransitionMeaning(Transition.WIPE),
    ),
    Entry(
        "sequence",
        "zoom-transition",
        _forms("zoom transition | zoom between | zooms between | zoom through | zooms through"),
        "The current slide zooms towards the viewer while the next fades in.",
        "slideshow of @BG and @product with a zoom transition",
        TransitionMeaning(Transition.ZOOM),
    ),
)

#: Verbs of follow-up edits ("Change it", ``--then``). Not prompt words: the prompt parser never matches
#: them; :mod:`imagegen.service.edits` reads them together with :data:`VOCABULARY` (a test checks no phrase is in both).
EDIT_VOCABULARY: tuple[Entry, ...] = (
    Entry(
        "edit",
        "remove",
        _forms("remove | delete | take out | get rid of | leave out | drop"),
        "Takes the image out of the composition.",
        "remove @product",
        EditMeaning(EditKind.REMOVE),
    ),
    Entry(
        "edit",
        "swap",
        _forms("swap | switch | exchange | trade places"),
        "Two images trade places (each takes the other's position, size and motion).",
        "swap @logo and @product",
        EditMeaning(EditKind.SWAP),
    ),
    Entry(
        "edit",
        "slightly",
        _forms("a bit | a little | slightly | a touch | a tad | a little bit"),
        "A small step (4 % of the canvas's shorter side) instead of a new place: 'move @logo up a bit'.",
        "move @logo up a bit",
        EditMeaning(EditKind.SLIGHTLY),
    ),
    Entry(
        "edit",
        "retext",
        _forms("change the headline to | change the text to | replace the text with | change the caption to"),
        "Replaces the words of a text layer.",
        "change the headline to 'Last day!'",
        EditMeaning(EditKind.RETEXT),
    ),
)

_EFFECT = (
    Entry(
        "effect",
        "blur",
        _forms("blurred | blur | blurry | out of focus | soft focus | defocused"),
        "Blurs the picture (8 px), e.g. a background behind a product or a headline.",
        "@BG as background, blurred",
        AdjustMeaning(Adjust.BLUR, 8.0),
    ),
    Entry(
        "effect",
        "blur-slightly",
        _forms("softly blurred | lightly blurred | soft blur | slight blur | light blur | gently blurred"),
        "A light blur (3 px).",
        "@BG as background, softly blurred",
        AdjustMeaning(Adjust.BLUR, 3.0),
    ),
    Entry(
        "effect",
        "blur-strongly",
        _forms("strongly blurred | heavily blurred | very blurred | strong blur | heavy blur | very blurry"),
        "A strong blur (20 px).",
        "@BG as background, strongly blurred",
        AdjustMeaning(Adjust.BLUR, 20.0),
    ),
    Entry(
        "effect",
        "blur-px",
        _forms("blurred N px | blurred by N px | N px blur | blur of N px | blur N px | blurred N pixels"),
        "A blur of that many pixels (0-100).",
        "@BG as background, blurred 12 px",
        AdjustMeaning(Adjust.BLUR, unit="px"),
    ),
    Entry(
        "effect",
        "sharpen",
        _forms("sharpened | sharpen | sharper | crisper"),
        "Sharpens the picture's edges (an unsharp mask).",
        "@product sharpened in the center",
        AdjustMeaning(Adjust.SHARPEN, 1.0),
    ),
    Entry(
        "effect",
        "darker",
        _forms("darker | darkened | darken | dimmed | dimmer"),
        "30 % darker (to make light text readable on a bright photo).",
        "@BG as background, darker",
        AdjustMeaning(Adjust.BRIGHTNESS, 0.7),
    ),
    Entry(
        "effect",
        "darker-by",
        _forms("darkened N% | darkened by N% | N% darker | darker by N% | dimmed N% | dimmed by N%"),
        "Darker by that share (0-100 %).",
        "@BG as background, darkened 40%",
        AdjustMeaning(Adjust.BRIGHTNESS, unit="less"),
    ),
    Entry(
        "effect",
        "lighter",
        _forms("lighter | brighter | lightened | brightened"),
        "30 % lighter.",
        "@BG as background, lighter",
        AdjustMeaning(Adjust.BRIGHTNESS, 1.3),
    ),
    Entry(
        "effect",
        "lighter-by",
        _forms("N% lighter | N% brighter | lightened N% | brightened N% | lightened by N% | brightened by N%"),
        "Lighter by that share (0-200 %).",
        "@BG as background, 20% brighter",
        AdjustMeaning(Adjust.BRIGHTNESS, unit="more"),
    ),
    Entry(
        "effect",
        "contrast",
        _forms("more contrast | high contrast | higher contrast | contrasty | with more contrast"),
        "30 % more contrast.",
        "@BG as background, high contrast",
        AdjustMeaning(Adjust.CONTRAST, 1.3),
    ),
    Entry(
        "effect",
        "low-contrast",
        _forms("less contrast | low contrast | lower contrast | with less contrast"),
        "30 % less contrast.",
        "@BG as background, low contrast",
        AdjustMeaning(Adjust.CONTRAST, 0.7),
    ),
    Entry(
        "effect",
        "muted",
        _forms("muted | desaturated | less saturated | washed out | faded colours | faded colors"),
        "Half the colour (saturation 50 %).",
        "@BG as background, muted",
        AdjustMeaning(Adjust.SATURATION, 0.5),
    ),
    Entry(
        "effect",
        "vivid",
        _forms("vivid | more saturated | saturated | vibrant | punchy | more colourful | more colorful"),
        "40 % more colour.",
        "@BG as background, vivid",
        AdjustMeaning(Adjust.SATURATION, 1.4),
    ),
    Entry(
        "effect",
        "black-and-white",
        _forms("black and white | black & white | b&w | b/w | grayscale | greyscale | monochrome"),
        "No colour at all: shades of grey.",
        "@BG as background in black and white",
        AdjustMeaning(Adjust.SATURATION, 0.0),
    ),
    Entry(
        "effect",
        "sepia",
        _forms("sepia | sepia toned | sepia tone | in sepia"),
        "Warm brown tones, like an old photograph.",
        "@BG as background in sepia",
        AdjustMeaning(Adjust.SEPIA),
    ),
    Entry(
        "effect",
        "tint",
        _forms("tinted C | C tint | C tinted | with a C tint | tint C | tinted in C"),
        "The picture's mid-tones take the colour; shadows stay dark and highlights light.",
        "@BG as background, tinted blue",
        AdjustMeaning(Adjust.TINT),
    ),
    Entry(
        "effect",
        "duotone",
        _forms("duotone C and C | C and C duotone | duotone in C and C"),
        "Two colours only: the first for the shadows, the second for the highlights.",
        "@BG as background, duotone navy and pink",
        AdjustMeaning(Adjust.DUOTONE),
    ),
    Entry(
        "effect",
        "invert",
        _forms("inverted | invert | negative | colours inverted | colors inverted | inverted colours"),
        "Every colour turned into its opposite (a negative).",
        "@logo inverted in the center",
        AdjustMeaning(Adjust.INVERT),
    ),
    Entry(
        "effect",
        "dark-overlay",
        _forms("dark overlay | with a dark overlay | darkening overlay | overlay | with an overlay"),
        "A 40 % black layer over the picture: white text on it reads well.",
        "@BG as background with a dark overlay",
        AdjustMeaning(Adjust.OVERLAY, colour=(0, 0, 0, 102)),
    ),
    Entry(
        "effect",
        "light-overlay",
        _forms("light overlay | with a light overlay"),
        "A 40 % white layer over the picture: dark text on it reads well.",
        "@BG as background with a light overlay",
        AdjustMeaning(Adjust.OVERLAY, colour=(255, 255, 255, 102)),
    ),
    Entry(
        "effect",
        "overlay",
        _forms("C overlay | N% C overlay | C overlay of N% | N% overlay of C"),
        "A layer of that colour over the picture: 40 % strong, or the share said.",
        "@BG as background with a 50% navy overlay",
        AdjustMeaning(Adjust.OVERLAY, unit="share"),
    ),
    Entry(
        "effect",
        "scrim",
        (
            *(
                form.format(side=side)
                for side in ("bottom", "top", "left", "right")
                for form in _forms(
                    "dark gradient at the {side} | dark gradient at {side} | gradient at the {side} |"
                    "C gradient at the {side} | fade to C at the {side} | fading to C at the {side}"
                )
            ),
            "dark gradient",
            "gradient",
        ),
        "A gradient from an edge (dark, or the colour said) fading to nothing half-way: text over it reads well.",
        "@BG as background with a dark gradient at the bottom",
        AdjustMeaning(Adjust.SCRIM, 0.45, colour=(0, 0, 0, 191)),
    ),
    Entry(
        "effect",
        "vignette",
        _forms("vignette | vignetted | with a vignette | dark corners | darkened corners"),
        "The corners and edges darken gradually, drawing the eye to the middle.",
        "@BG as background with a vignette",
        AdjustMeaning(Adjust.VIGNETTE, 0.6),
    ),
    Entry(
        "effect",
        "into-focus",
        _forms("comes into focus | come into focus | coming into focus | blurs in | blur in | focuses in"),
        "Starts blurred (12 px) and sharpens over the animation.",
        "@BG as background, comes into focus",
        AdjustMeaning(Adjust.BLUR, 12.0, fade="out"),
    ),
    Entry(
        "effect",
        "out-of-focus",
        _forms("blurs out | blur out | becomes blurred | turns blurry | becomes blurry"),
        "Starts sharp and blurs (12 px) over the animation.",
        "@BG as background, blurs out",
        AdjustMeaning(Adjust.BLUR, 12.0, fade="in"),
    ),
    Entry(
        "effect",
        "darkens",
        _forms("darkens | dims | fades to dark | becomes darker | turns darker"),
        "Darkens by 40 % over the animation.",
        "@BG as background, darkens over 2 seconds",
        AdjustMeaning(Adjust.BRIGHTNESS, 0.6, fade="in"),
    ),
    Entry(
        "effect",
        "lightens",
        _forms("lightens | brightens | becomes lighter | becomes brighter"),
        "Lightens by 30 % over the animation.",
        "@BG as background, brightens",
        AdjustMeaning(Adjust.BRIGHTNESS, 1.3, fade="in"),
    ),
    Entry(
        "effect",
        "to-black-and-white",
        _forms(
            "fades to black and white | turns black and white | becomes black and white | fades to grey |"
            "fades to gray | loses colour | loses color"
        ),
        "Its colour drains away over the animation, ending in black and white.",
        "@BG as background, fades to black and white",
        AdjustMeaning(Adjust.SATURATION, 0.0, fade="in"),
    ),
    Entry(
        "effect",
        "glow",
        _forms("glow | glowing | with a glow | outer glow | C glow | glowing C | glows C | with a C glow | glows"),
        "A soft halo around the picture's shape (white, or the colour said), 16 px.",
        "@logo with a glow over @BG",
        AdjustMeaning(Adjust.GLOW, 16.0),
    ),
    Entry(
        "effect",
        "glow-px",
        _forms("N px glow | glow of N px | N px C glow"),
        "A glow that many pixels wide (0-100).",
        "@logo with a 24 px glow over @BG",
        AdjustMeaning(Adjust.GLOW, unit="px"),
    ),
)

VOCABULARY: tuple[Entry, ...] = (
    *_ROLE,
    *_POSITION,
    *_SIZE,
    *_CANVAS,
    *_COLOUR,
    *_STYLE,
    *_TEXT,
    *_MOTION,
    *_DIRECTION,
    *_TIMING,
    *_EASING,
    *_RELATION,
    *_LAYOUT,
    *_CLEAN_UP,
    *_EFFECT,
    *_SEQUENCE,
)


# --- phrases said as examples (the Prompt guide) ---------------------------------------------------------
_PLACEHOLDER = re.compile(r"@tag\b|(?<![\w@#])(?:NxN|N|A|B|C)(?![\w])")
_NUMBER = re.compile(r"(?:(?<=\dx)|(?<![\w.]))-?\d+(?:\.\d+)?")  # "1080x1920": both
_POSITION = re.compile(r"\bthe (?:(?:top|bottom|upper|lower) )?(?:left|right|top|bottom|center|centre|middle)\b")
_SINGULAR_UNITS = frozenset({"second", "minute", "degree", "millisecond", "frame"})
_PLURAL_UNITS = frozenset(
    {"seconds", "secs", "minutes", "mins", "degrees", "milliseconds", "frames", "pixels", "times"}
)
_CODE_NOTATION = re.compile(r"#rgb\b|#rrggbb(?:aa)?\b")
_CODE_EXAMPLES = {"#rgb": "#f06", "#rrggbb": "#ff0066", "#rrggbbaa": "#ff006680"}
#: What a placeholder becomes when the example has no value of its kind left.
_DEFAULT_FILL = {"N": "2", "C": "white", "A": "the left", "B": "the right", "@tag": "@logo"}


def _said(phrase: str, example: str) -> str:
    """``phrase`` with each placeholder replaced by the example's own value of that kind, in order."""
    colour_names = frozenset(ImageColor.colormap)
    found = {
        "N": _NUMBER.findall(example),
        "C": [w for w in re.findall(r"[a-z]+", example.casefold()) if w in colour_names],
        "A": _POSITION.findall(example),
        "@tag": [f"@{tag}" for tag in re.findall(r"@(\w+)", example)][1:][:1] or re.findall(r"@\w+", example)[:1],
    }
    found["B"] = found["A"][1:]
    used = {kind: 0 for kind in found}

    def take(kind: str) -> str:
        values = found[kind]
        value = values[used[kind] % len(values)] if values else _DEFAULT_FILL[kind]
        used[kind] += 1
        return value

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("A", "B") and phrase[: match.start()].endswith("the "):
            return take(token).removeprefix("the ")  # "out the A" -> "out the right"
        if token == "NxN":
            return f"{take('N')}x{take('N')}"
        if token != "N":
            return take(token)
        number = take("N")
        following = phrase[match.end() :].split()[:1]
        if following and following[0] in _SINGULAR_UNITS and number != "1":
            return "1"  # "N second each" -> "1 second each", not "3 second each"
        if following and following[0] in _PLURAL_UNITS and number == "1":
            return "2"
        return number

    return _CODE_NOTATION.sub(lambda m: _CODE_EXAMPLES[m.group(0)], _PLACEHOLDER.sub(fill, phrase))


#: A kit's one colour said without its name ("in our brand colour"); with several, which one is asked.
BRAND_COLOUR_WORDS = ("brand colour", "brand color", "our brand colour", "our brand color", "our colour", "our color")


def brand_entries(
    colours: tuple[tuple[str, tuple[int, int, int, int]], ...],
    fonts: tuple[tuple[str, str], ...],
    default_font: str | None,
) -> tuple[Entry, ...]:
    """A brand kit's words, as rows of this table: each named colour ("brand blue"), each font by its name
    ("Acme Sans", "Acme Sans font") and the kit's default as "brand font". The parser reads them before
    :data:`VOCABULARY` (a kit's "blue" is its own blue), the Prompt guide lists them with the rest.

    :param colours: (name as said, RGBA); :param fonts: (name, family key); :param default_font: a family key.
    """
    rows = [
        Entry(
            "colour",
            f"brand colour {name}",
            (name, f"{name} colour", f"{name} color", *(BRAND_COLOUR_WORDS if len(colours) == 1 else ())),
            f"A brand kit colour: {name} = #{r:02X}{g:02X}{b:02X}.",
            f'"Sale" in {name} over @BG',
            ColourMeaning(ColourSource.BRAND, (r, g, b, a)),
        )
        for name, (r, g, b, a) in colours
    ]
    for name, key in fonts:
        words = [name, f"{name} font"]
        if key == default_font:
            words += ["brand font", "brand typeface", "our font", "the brand font"]
        rows.append(
            Entry(
                "text",
                f"brand font {name}",
                tuple(dict.fromkeys(words)),
                f"The brand kit's font {name}" + (" (its default text font)." if key == default_font else "."),
                f'"Sale" in the {"brand font" if key == default_font else name} over @BG',
                FontFamily(key),
            )
        )
    return tuple(rows)


@cache
def entries(category: str) -> tuple[Entry, ...]:
    """The entries of one category, in table order (empty for an unknown category)."""
    return tuple(entry for entry in VOCABULARY if entry.category == category)


@cache
def entry(category: str, key: str) -> Entry:
    """The entry for ``key`` in ``category``; KeyError when there is none."""
    for candidate in entries(category):
        if candidate.key == key:
            return candidate
    raise KeyError(f"{category}/{key}")


@cache
def named_sizes() -> list[tuple[float, str]]:
    """(fraction, name) of the vocabulary's fixed sizes, smallest first (one name per fraction)."""
    sizes: dict[float, str] = {}
    for entry in entries("size"):
        value = entry.value
        if isinstance(value, SizeMeaning) and value.fraction is not None and value.step == 0 and value.on_scale:
            sizes.setdefault(value.fraction, entry.key)
    return sorted(sizes.items())


def size_name(fraction: float) -> str | None:
    """The vocabulary's word for exactly this size ("medium" is 35 % everywhere), or None."""
    for entry in entries("size"):
        value = entry.value
        exact = isinstance(value, SizeMeaning) and value.fraction is not None and not value.step
        if exact and abs(value.fraction - fraction) < 1e-9:
            return entry.key
    return None


def motion_meaning(kind: MotionKind) -> MotionMeaning:
    """The one motion row that names ``kind`` in explanations (the row with a ``sentence``).

    :raise KeyError: when no row describes the kind (a test keeps every kind covered).
    """
    for item in entries("motion"):
        if isinstance(item.value, MotionMeaning) and item.value.kind is kind and item.value.sentence:
            return item.value
    raise KeyError(f"motion/{kind}")

"""The Scene: what the prompt asked for, as plain frozen dataclasses the renderer draws.

The parser builds a Scene; the renderer reads it; neither knows about the other. Everything here
round-trips through JSON (:meth:`Scene.to_json` / :meth:`Scene.from_json`).

Geometry conventions
--------------------
* Canvas coordinates are pixels, origin top-left, x to the right, y down.
* ``Layer.size`` is a fraction of the canvas: the layer is contain-fitted into a box of
  ``(size * canvas.width, size * canvas.height)`` (aspect preserved). Background layers ignore it
  and cover the canvas (or stretch when ``Layer.stretch``).
* An :class:`Anchor` places the fitted layer inside the canvas inset by ``Layer.margin`` (a fraction
  of the canvas's shorter side) using ``Anchor.centering`` like ``ImageOps.pad``: (0, 0) puts the
  layer's top-left corner at the inset's top-left, (0.5, 0.5) centres it, (1, 1) puts its
  bottom-right corner at the inset's bottom-right.
* ``Layer.region`` (fractions of the canvas) replaces the size box: the layer covers the region
  (cropping what overflows, keeping ``Layer.focus``) or, with ``Fit.CONTAIN``, fits inside it at its
  anchor. ``Layer.beside`` places a layer next to another one instead of at its anchor.
* Treatments apply to the fitted sprite in this order: knock-out and trim (on the source), shape
  mask, border, shadow. Border widths, shadow offsets and blurs, and gaps are canvas pixels.
* ``Layer.rotation`` is in degrees, positive = clockwise (as people say it).
* Motions map normalised time ``t`` in [0, 1] over the whole animation to a transform; see
  :class:`Motion` for each kind's meaning.
* A text layer (``Layer.text`` set, see :class:`TextSpec`) draws words instead of an image: ``size`` is
  then the font's em height as a fraction of the canvas height (``TextSpec.font_px`` overrides it). The
  text wraps on word boundaries and shrinks to fit its box: the canvas inset by the margin, the whole
  inset's width for anchors centred across (top, bottom, center) else 60 % of it, half the inset's
  height for anchors on the top or bottom edge else all of it. Placement, opacity, rotation and
  motions are the same as for an image.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


def short_text(text: str, limit: int = 40) -> str:
    """Words as one line of a message: line breaks as ' / ', cut with '…' after ``limit`` characters."""
    shown = str(text).replace("\n", " / ")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class Role(StrEnum):
    """How a layer takes part in the composition (drawing order: background, layer, foreground)."""

    BACKGROUND = "background"
    LAYER = "layer"
    FOREGROUND = "foreground"


class Anchor(StrEnum):
    """Where a layer sits on the canvas."""

    CENTER = "center"
    TOP = "top"
    BOTTOM = "bottom"
    LEFT = "left"
    RIGHT = "right"
    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"

    @property
    def axes(self) -> tuple[float | None, float | None]:
        """The (x, y) fractions this anchor fixes; None where it says nothing about an axis.

        ``LEFT`` fixes x = 0 only, ``TOP`` fixes y = 0 only, ``CENTER`` fixes both at 0.5.
        """
        return _ANCHOR_AXES[self]

    @property
    def centering(self) -> tuple[float, float]:
        """(x, y) fractions for placement, with unspecified axes centred."""
        x, y = self.axes
        return (0.5 if x is None else x, 0.5 if y is None else y)

    @property
    def is_corner(self) -> bool:
        x, y = self.axes
        return x is not None and y is not None and self is not Anchor.CENTER


_ANCHOR_AXES: dict[Anchor, tuple[float | None, float | None]] = {
    Anchor.CENTER: (0.5, 0.5),
    Anchor.TOP: (None, 0.0),
    Anchor.BOTTOM: (None, 1.0),
    Anchor.LEFT: (0.0, None),
    Anchor.RIGHT: (1.0, None),
    Anchor.TOP_LEFT: (0.0, 0.0),
    Anchor.TOP_RIGHT: (1.0, 0.0),
    Anchor.BOTTOM_LEFT: (0.0, 1.0),
    Anchor.BOTTOM_RIGHT: (1.0, 1.0),
}


class Easing(StrEnum):
    """Standard easing curves (CSS / Robert Penner)."""

    LINEAR = "linear"
    EASE_IN = "ease-in"
    EASE_OUT = "ease-out"
    EASE_IN_OUT = "ease-in-out"
    BOUNCE = "bounce"
    ELASTIC = "elastic"


class MotionKind(StrEnum):
    """What a motion does; :class:`Motion` documents the fields each kind reads."""

    SLIDE = "slide"
    SPIN = "spin"
    BOUNCE = "bounce"
    FADE_IN = "fade-in"
    FADE_OUT = "fade-out"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    PULSE = "pulse"
    SHAKE = "shake"
    POP_IN = "pop-in"
    PAN = "pan"


@dataclass(frozen=True)
class Motion:
    """One movement of one layer over the animation's normalised time.

    The motion is active between ``start`` and ``end`` (fractions of the timeline, for "then"
    sequencing); before ``start`` it holds its t=0 transform, after ``end`` its t=1 transform.
    Within that window local time runs 0 -> 1 ``repeats`` times (``pingpong`` runs 0 -> 1 -> 0 per
    repeat), shaped by ``easing``.

    Kinds and the fields they read:

    * ``SLIDE``: moves from ``from_anchor`` to ``to_anchor`` (None = the layer's own anchor).
      Only the axes that the two anchors fix move (``LEFT`` -> ``RIGHT`` moves x and keeps the
      layer's own y; ``CENTER`` fixes whichever axes the other end fixes, so "left to centre" keeps
      y). ``enters`` starts fully off-canvas beyond ``from_anchor``'s edge; ``exits`` ends fully
      off-canvas beyond ``to_anchor``'s edge ("across" = LEFT -> RIGHT with both). ``wrap`` (a seamless
      loop of a slide that leaves the canvas): after leaving, the layer comes back in from the opposite
      edge and ends where it started, one lap at the motion's easing, so the last frame leads into the first.
    * ``SPIN``: ``amount`` turns (default 1) per repeat, clockwise unless ``clockwise`` is False.
    * ``BOUNCE``: hops up by ``amount`` x the layer's height (default 0.25) and lands, per repeat.
    * ``FADE_IN`` / ``FADE_OUT``: opacity 0 -> 1 / 1 -> 0 (times the layer's own opacity).
    * ``ZOOM_IN`` / ``ZOOM_OUT``: scale 1 -> ``amount`` (default 1.5) / 1 -> 1 / ``amount``.
    * ``PULSE``: scale 1 -> 1 + ``amount`` (default 0.1) -> 1 per repeat.
    * ``SHAKE``: sideways jitter of ``amount`` x the layer's width (default 0.05), deterministic.
    * ``POP_IN``: scale 0 -> 1 with a small overshoot (grows out of nothing and settles).
    * ``PAN``: the Ken Burns pan: the layer is enlarged by ``amount`` (default 1.2) and travels so the
      view moves from ``from_anchor``'s side of the picture to ``to_anchor``'s (left to right if None).
    """

    kind: MotionKind
    easing: Easing = Easing.LINEAR
    from_anchor: Anchor | None = None
    to_anchor: Anchor | None = None
    enters: bool = False
    exits: bool = False
    clockwise: bool = True
    amount: float | None = None
    repeats: float = 1.0
    pingpong: bool = False
    wrap: bool = False
    start: float = 0.0
    end: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Motion:
        data = dict(data)
        data["kind"] = MotionKind(data["kind"])
        data["easing"] = Easing(data.get("easing", Easing.LINEAR))
        for key in ("from_anchor", "to_anchor"):
            if data.get(key) is not None:
                data[key] = Anchor(data[key])
        return cls(**data)


RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Canvas:
    """Output size and background. ``background`` None means transparent."""

    width: int = 1080
    height: int = 1080
    background: RGBA | None = (255, 255, 255, 255)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def transparent(self) -> bool:
        return self.background is None or self.background[3] < 255


@dataclass(frozen=True)
class Timing:
    """Animation timing; ignored for stills. ``loops`` 0 = forever."""

    duration_s: float = 2.0
    fps: float = 24.0
    loops: int = 0

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration_s * self.fps))


class Fit(StrEnum):
    """How a layer fills its box: cover (fill, crop the overflow) or contain (whole image inside)."""

    COVER = "cover"
    CONTAIN = "contain"


class Shape(StrEnum):
    """A mask cut out of the fitted sprite (anti-aliased)."""

    CIRCLE = "circle"  # the largest centred circle (an ellipse never: the sprite is cropped square)
    ROUNDED = "rounded"  # rounded corners, radius ``Layer.corner_radius`` x the shorter side


class Side(StrEnum):
    """Where a layer goes relative to another one."""

    LEFT_OF = "left-of"
    RIGHT_OF = "right-of"
    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True)
class Region:
    """A rectangle of the canvas as fractions ((0, 0, 0.5, 1) is the left half), with what was said about
    spacing kept in the units said: a margin inside its edge (``margin`` pixels, or ``margin_share`` of the
    canvas's shorter side) and, for one ``cell`` (column, row, columns, rows) of a grid laid in it, the
    ``gap`` in pixels between cells. Pixels are worked out for each canvas drawn on, so "24 px apart" is
    24 px at every size; where the spacing leaves no room, the plain fractions are used (and said)."""

    left: float = 0.0
    top: float = 0.0
    width: float = 1.0
    height: float = 1.0
    margin: float = 0.0
    margin_share: float = 0.0
    gap: float = 0.0
    cell: tuple[int, int, int, int] | None = None

    def box(self, canvas: tuple[int, int]) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of a ``canvas`` (width, height)."""
        left, top, right, bottom = self._exact(canvas, spaced=self.has_room(canvas))
        return round(left), round(top), round(right), round(bottom)

    @property
    def spaced(self) -> bool:
        """Whether a margin or a gap was said."""
        return bool(self.margin or self.margin_share or self.gap)

    def margin_px(self, canvas: tuple[int, int]) -> float:
        return self.margin + self.margin_share * min(canvas)

    def has_room(self, canvas: tuple[int, int]) -> bool:
        """Whether the margin and gaps leave at least 2 px each way on ``canvas``."""
        if not self.spaced:
            return True
        left, top, right, bottom = self._exact(canvas, spaced=True)
        return min(right - left, bottom - top) >= 2

    def inset(self, pixels: float = 0.0, share: float = 0.0) -> Region:
        """This region with more margin on every side: ``pixels``, or a ``share`` of the shorter side."""
        return replace(self, margin=self.margin + pixels, margin_share=self.margin_share + share)

    def _exact(self, canvas: tuple[int, int], *, spaced: bool) -> tuple[float, float, float, float]:
        w, h = canvas
        margin, gap = (self.margin_px(canvas), self.gap) if spaced else (0.0, 0.0)
        left, top = self.left * w + margin, self.top * h + margin
        right, bottom = (self.left + self.width) * w - margin, (self.top + self.height) * h - margin
        if self.cell is None:
            return left, top, max(left, right), max(top, bottom)
        column, row, columns, rows = self.cell
        cell_w = (right - left - (columns - 1) * gap) / columns
        cell_h = (bottom - top - (rows - 1) * gap) / rows
        x, y = left + column * (cell_w + gap), top + row * (cell_h + gap)
        return x, y, x + max(cell_w, 1.0), y + max(cell_h, 1.0)

    @classmethod
    def band(cls, side: str, fraction: float) -> Region:
        """The ``fraction`` of the canvas along one edge: band("left", 0.4) is the left 40 %."""
        bands = {
            "left": cls(0.0, 0.0, fraction, 1.0),
            "right": cls(1.0 - fraction, 0.0, fraction, 1.0),
            "top": cls(0.0, 0.0, 1.0, fraction),
            "bottom": cls(0.0, 1.0 - fraction, 1.0, fraction),
        }
        return bands[side]


def grid_regions(
    count: int,
    *,
    columns: int | None = None,
    rows: int | None = None,
    gap: float = 0.0,
    margin: float = 0.0,
    margin_share: float = 0.0,
) -> tuple[Region, ...]:
    """``count`` cells in reading order, ``gap`` pixels apart inside a frame of ``margin`` pixels (or
    ``margin_share`` of the shorter side).

    Without ``columns`` and ``rows`` the grid is as square as possible (4 -> 2x2, 3 -> 3x1, 6 -> 3x2);
    with only one of them the other follows from ``count``.
    """
    if count < 1:
        return ()
    if columns is None and rows is None:
        columns = math.ceil(math.sqrt(count)) if count != 3 else 3
    if columns is None:
        columns = math.ceil(count / max(1, rows or 1))
    rows = rows or math.ceil(count / columns)
    return tuple(
        Region(
            margin=margin, margin_share=margin_share, gap=gap, cell=(index % columns, index // columns, columns, rows)
        )
        for index in range(count)
    )


@dataclass(frozen=True)
class Border:
    """A band of ``colour`` ``width`` pixels wide around the visible shape (a frame for a photo)."""

    width: float = 4.0
    colour: RGBA = (255, 255, 255, 255)


@dataclass(frozen=True)
class Shadow:
    """A shadow of the visible shape, offset (right, down) in pixels and blurred by ``blur`` pixels."""

    dx: float = 8.0
    dy: float = 8.0
    blur: float = 6.0
    colour: RGBA = (0, 0, 0, 110)


@dataclass(frozen=True)
class Knockout:
    """Make a plain background transparent.

    ``colour`` None = the colour of the image's border. Pixels within ``tolerance`` (largest channel
    difference, 0-255) of it that touch the border become transparent (``everywhere``: every such
    pixel, also inside the picture); the edge is softened and freed of the old colour.
    """

    colour: tuple[int, int, int] | None = None
    tolerance: int = 32
    everywhere: bool = False


class Adjust(StrEnum):
    """A picture adjustment or effect (see :data:`imagegen.render.effects.EFFECTS` for how each is drawn).

    ``Effect.amount`` per kind: BLUR and GLOW a radius in canvas pixels; SHARPEN a strength (1 = a normal
    unsharp mask); BRIGHTNESS, CONTRAST and SATURATION a factor (0.7 = 30 % darker, 0 saturation = black and
    white); SCRIM the share of the layer the gradient covers from ``side``; VIGNETTE its strength (0-1).
    ``colour``: TINT's hue, DUOTONE's dark end (``colour2`` its light end), OVERLAY, SCRIM and GLOW's colour
    (with its alpha). SEPIA and INVERT take nothing.
    """

    BLUR = "blur"
    SHARPEN = "sharpen"
    BRIGHTNESS = "brightness"
    CONTRAST = "contrast"
    SATURATION = "saturation"
    SEPIA = "sepia"
    TINT = "tint"
    DUOTONE = "duotone"
    INVERT = "invert"
    OVERLAY = "overlay"
    SCRIM = "scrim"
    VIGNETTE = "vignette"
    GLOW = "glow"


@dataclass(frozen=True)
class Effect:
    """One adjustment of a layer's pixels, drawn once (never per frame) in the order the layer lists them."""

    kind: Adjust
    amount: float | None = None
    colour: RGBA | None = None
    colour2: RGBA | None = None
    side: str | None = None  # SCRIM: "top", "bottom", "left" or "right"
    fade: str | None = None  # "in": the effect appears over the animation ("darkens"); "out": it goes ("into focus")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Effect:
        data = dict(data)
        data["kind"] = Adjust(data["kind"])
        for key in ("colour", "colour2"):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        return cls(**data)


@dataclass(frozen=True)
class Relation:
    """Place the layer on ``side`` of the layer tagged ``tag``, ``gap`` pixels apart, centred on it."""

    side: Side
    tag: str
    gap: float = 20.0


class TextAlign(StrEnum):
    """How the lines of a text block line up with each other."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class LetterCase(StrEnum):
    """A letter case applied to the text as drawn (the typed text is kept as typed)."""

    AS_TYPED = "as-typed"
    UPPER = "upper"
    LOWER = "lower"
    TITLE = "title"


@dataclass(frozen=True)
class TextSpec:
    """The words of a text layer and how they look.

    Lengths in ``em`` are fractions of the font size (so they scale when the text shrinks to fit).

    * ``family``: a bundled family key ("sans", "serif", "condensed", "mono"); scripts the family lacks
      (Devanagari, Arabic, Hebrew, CJK) fall back per run of characters to a font that has them.
    * ``weight``: 100 (thin) .. 900 (black); 400 regular, 700 bold.
    * ``font_px``: an exact font size in pixels; None = ``Layer.size`` x canvas height.
    * ``outline``: stroke colour (None = no stroke), ``outline_em`` its width.
    * ``shadow``: drop-shadow colour (None = none), offset ``shadow_em`` right and down.
    * ``banner``: colour of a box behind the text (None = none), ``padding_em`` around the text,
      ``radius_em`` its corner radius (0 = square).
    """

    text: str
    colour: RGBA = (255, 255, 255, 255)
    family: str = "sans"
    weight: int = 700
    italic: bool = False
    align: TextAlign = TextAlign.CENTER
    case: LetterCase = LetterCase.AS_TYPED
    font_px: int | None = None
    outline: RGBA | None = None
    outline_em: float = 0.06
    shadow: RGBA | None = None
    shadow_em: float = 0.06
    banner: RGBA | None = None
    padding_em: float = 0.3
    radius_em: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextSpec:
        data = dict(data)
        data["align"] = TextAlign(data.get("align", TextAlign.CENTER))
        data["case"] = LetterCase(data.get("case", LetterCase.AS_TYPED))
        for key in ("colour", "outline", "shadow", "banner"):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        return cls(**data)


class Transition(StrEnum):
    """How one slide of a :class:`Slideshow` gives way to the next."""

    CUT = "cut"
    CROSSFADE = "crossfade"
    PUSH = "push"  # the new slide pushes the old one out, coming from ``Slideshow.direction``
    WIPE = "wipe"  # the new slide is uncovered from ``Slideshow.direction``'s edge
    ZOOM = "zoom"  # the old slide zooms towards the viewer while the new one fades in


@dataclass(frozen=True)
class Slide:
    """One picture of a slideshow, on screen for ``seconds`` (its outgoing transition included)."""

    tag: str
    seconds: float = 2.0
    effects: tuple[Effect, ...] = ()  # drawn once on the slide as shown (fitted to the canvas)


@dataclass(frozen=True)
class Slideshow:
    """Pictures shown one after another, each covering the canvas (or whole, see ``cover``), below every layer.

    Slide k owns the time from the sum of the earlier slides' seconds for its own ``seconds``
    (scaled with the animation's duration, so a Duration override stretches every slide alike).
    The last ``transition_s`` of a slide blend it into the next; the last slide blends back into
    the first when the animation loops forever (a seamless loop), and holds when it does not.
    """

    slides: tuple[Slide, ...]
    transition: Transition = Transition.CROSSFADE
    direction: Anchor = Anchor.RIGHT  # PUSH / WIPE: the edge the new slide comes from
    transition_s: float = 0.5
    cover: bool = True  # False: each slide is shown whole (letterboxed on the canvas colour), not cropped

    @property
    def seconds(self) -> float:
        return sum(slide.seconds for slide in self.slides)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(slide.tag for slide in self.slides)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Slideshow:
        return cls(
            slides=tuple(
                Slide(**{**slide, "effects": tuple(Effect.from_dict(e) for e in slide.get("effects", ()))})
                for slide in data.get("slides", ())
            ),
            transition=Transition(data.get("transition", Transition.CROSSFADE)),
            direction=Anchor(data.get("direction", Anchor.RIGHT)),
            transition_s=float(data.get("transition_s", 0.5)),
            cover=bool(data.get("cover", True)),
        )


STILL_TIMING = Timing(duration_s=5.0)
"""The timing a still scene gets from the parser: how long it lasts when written as a video."""


@dataclass(frozen=True)
class Layer:
    """One tagged image (or, with ``text``, one block of text) placed on the canvas."""

    tag: str
    role: Role = Role.LAYER
    anchor: Anchor = Anchor.CENTER
    size: float = 0.5
    opacity: float = 1.0
    rotation: float = 0.0
    stretch: bool = False
    margin: float = 0.04
    margin_px: float | None = None  # a margin said in pixels ("48 px margin"), used instead of ``margin``
    motions: tuple[Motion, ...] = ()
    region: Region | None = None
    fit: Fit | None = None  # None: cover a region, contain a size box, cover the canvas as background
    focus: tuple[float, float] | None = None  # what a cover crop keeps: (0.5, 0) the top, (0, 0.5) the left
    shape: Shape | None = None
    corner_radius: float = 0.1  # for Shape.ROUNDED: a fraction of the sprite's shorter side
    border: Border | None = None
    shadow: Shadow | None = None
    knockout: Knockout | None = None
    trim: bool = True  # drop transparent or flat (one-colour) margins, so anchors place what is visible
    beside: Relation | None = None
    text: TextSpec | None = None
    effects: tuple[Effect, ...] = ()
    in_front_of: tuple[str, ...] = ()  # tags it was said to be drawn over ("in front of @x"): a meant overlap

    @property
    def animated(self) -> bool:
        return bool(self.motions) or any(effect.fade for effect in self.effects)

    @property
    def is_text(self) -> bool:
        return self.text is not None

    @property
    def name(self) -> str:
        """How messages name the layer: ``@logo``, or a text by its words (“Summer Sale”), never its inner id."""
        if self.text is None:
            return f"@{self.tag}"
        return f"“{short_text(self.text.text)}”"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["motions"] = [m.to_dict() for m in self.motions]
        if self.text is None:
            del data["text"]  # image layers keep their JSON as before
        if not self.effects:
            del data["effects"]
        if not self.in_front_of:
            del data["in_front_of"]  # so do layers without a said stacking
        else:
            data["in_front_of"] = list(self.in_front_of)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layer:
        data = dict(data)
        data["role"] = Role(data.get("role", Role.LAYER))
        data["anchor"] = Anchor(data.get("anchor", Anchor.CENTER))
        data["motions"] = tuple(Motion.from_dict(m) for m in data.get("motions", ()))
        data["effects"] = tuple(Effect.from_dict(e) for e in data.get("effects", ()))
        if data.get("region") is not None:
            region = dict(data["region"])
            if region.get("cell") is not None:
                region["cell"] = tuple(region["cell"])
            data["region"] = Region(**region)
        if data.get("fit") is not None:
            data["fit"] = Fit(data["fit"])
        if data.get("focus") is not None:
            data["focus"] = tuple(data["focus"])
        if data.get("shape") is not None:
            data["shape"] = Shape(data["shape"])
        for key, kind in (("border", Border), ("shadow", Shadow)):
            if data.get(key) is not None:
                data[key] = kind(**{**data[key], "colour": tuple(data[key]["colour"])})
        if data.get("knockout") is not None:
            knockout = dict(data["knockout"])
            knockout["colour"] = None if knockout.get("colour") is None else tuple(knockout["colour"])
            data["knockout"] = Knockout(**knockout)
        if data.get("beside") is not None:
            data["beside"] = Relation(**{**data["beside"], "side": Side(data["beside"]["side"])})
        if data.get("text") is not None:
            data["text"] = TextSpec.from_dict(data["text"])
        data["in_front_of"] = tuple(data.get("in_front_of", ()))
        return cls(**data)


@dataclass(frozen=True)
class Scene:
    """A whole composition. ``layers`` are in drawing order: first is drawn first (at the back)."""

    layers: tuple[Layer, ...]
    canvas: Canvas = field(default_factory=Canvas)
    timing: Timing = field(default_factory=Timing)
    slideshow: Slideshow | None = None  # pictures shown in turn below every layer

    @property
    def animated(self) -> bool:
        return any(layer.animated for layer in self.layers) or (
            self.slideshow is not None and len(self.slideshow.slides) > 1
        )

    @property
    def frame_count(self) -> int:
        return self.timing.frame_count if self.animated else 1

    @property
    def tags(self) -> tuple[str, ...]:
        layers = tuple(layer.tag for layer in self.layers)
        if self.slideshow is None:
            return layers
        return tuple(dict.fromkeys((*self.slideshow.tags, *layers)))

    @property
    def image_tags(self) -> tuple[str, ...]:
        """The tags that need an image (text layers draw their own)."""
        return tuple(layer.tag for layer in self.layers if layer.text is None)

    def layer(self, tag: str) -> Layer:
        """The layer for ``tag`` (case-insensitive); KeyError when absent."""
        for layer in self.layers:
            if layer.tag.lower() == tag.lower():
                return layer
        raise KeyError(tag)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "canvas": asdict(self.canvas),
            "timing": asdict(self.timing),
            "layers": [layer.to_dict() for layer in self.layers],
        }
        if self.slideshow is not None:  # absent otherwise: older scenes' JSON stays as it was
            data["slideshow"] = self.slideshow.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scene:
        canvas = dict(data.get("canvas", {}))
        if canvas.get("background") is not None:
            canvas["background"] = tuple(canvas["background"])
        return cls(
            layers=tuple(Layer.from_dict(layer) for layer in data.get("layers", ())),
            canvas=Canvas(**canvas),
            timing=Timing(**data.get("timing", {})),
            slideshow=Slideshow.from_dict(data["slideshow"]) if data.get("slideshow") else None,
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Scene:
        return cls.from_dict(json.loads(text))

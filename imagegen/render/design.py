"""Design checks: the laid-out frame is looked at before it is encoded, as a designer would.

Four checks, all on what :func:`imagegen.render.prepare` already made (each layer's draw, its box and its
alpha, a few sampled pixels), never a second render:

* **overlap**: a layer or a text covering a meaningful share of another (text over a logo or a product, a
  logo over a headline, two pictures stacked). Backgrounds and region layouts (halves, grids) are never
  overlaps, nor a layer the prompt put "in front". Animations are sampled over their whole timeline.
* **legibility**: a text's letters against the pixels right around them (its outline, shadow or banner,
  else whatever lies below), per line at its worst part, against the WCAG contrast ratios.
* **safe zones**: text or a logo where a story's or reel's own controls are drawn (9:16 canvases only).
* **small or clipped text**: text under 2.5 % of the canvas height, text cut by the canvas edge.

The checks return facts with finished sentences (:class:`DesignIssue`); a fix is a phrase to add after
the text in the prompt or a follow-up edit. The renderer never reads prompts: the service
(:mod:`imagegen.service.pipeline`) turns a phrase into a changed prompt, and only offers it when the
parser understands it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from PIL import Image

from imagegen.render.compose import Box, Draw, intersect, with_opacity
from imagegen.render.placement import Placement, place
from imagegen.render.plan import RenderPlan
from imagegen.render.text import fit_text
from imagegen.scene import Anchor, Canvas, Layer, Role, Scene, TextSpec

log = logging.getLogger(__name__)

OVERLAP_SHARE = 0.15
"""Two layers overlap when the part they share is at least this much of the smaller one's visible area:
a logo's corner touching a product (a few %) is fine, a logo half over a headline is not."""
MAX_SAMPLES = 24
"""An animation is checked at most this many moments, evenly over its timeline (one every ~0.1 s of a 2 s GIF)."""

# WCAG 2.x contrast (https://www.w3.org/TR/WCAG21/#contrast-minimum): 4.5:1 for text, 3:1 for large text,
# large meaning 18 pt (24 px) regular or 14 pt (~19 px) bold. Sizes are canvas pixels ("at 1x").
RATIO_TEXT = 4.5
RATIO_LARGE = 3.0
LARGE_PX = 24
LARGE_BOLD_PX = 19
BOLD = 600
WORST_PERCENTILE = 10
"""Per line, the contrast is read at this percentile of the pixels around the letters: the worst part of
the line (a white word over a white cup) counts, not the average of a mostly dark photo, while a few
stray pixels (noise, anti-aliasing) do not."""
LETTER_DISTANCE = 160
"""A sprite pixel this close to the text's colour (largest channel difference) may be part of a letter."""
RING_EM = 0.06
"""How far around its letters a text's backdrop is sampled, in em: the width of an outline (``outline_em``),
so an outlined text is judged against its outline."""

# Where a platform draws its own controls over a 9:16 story or reel. Instagram's guidance for stories
# keeps ~250 px of a 1080x1920 canvas free at the top (14 %) and 250-340 px at the bottom (13-18 %, the
# reply bar and "send message"); reels reserve more at the bottom for the caption and buttons. The bottom
# band here (20 %) covers the story figures with a little room; the side buttons of reels are not checked.
SAFE_TOP = 0.14
SAFE_BOTTOM = 0.20
STORY_ASPECT = 9 / 16
ZONE_SHARE = 0.2
"""Text or a logo is in a zone when at least this share of its visible box lies inside it."""
SMALL_TEXT = 0.025
"""Text drawn below this share of the canvas height may be unreadable on a phone (a 1080x1920 story shown
on a phone ~700 px tall: 48 px letters become ~17 px)."""
CLIP_PX = 2
"""Text sticking out of the canvas by more than this many pixels is cut."""


class IssueKind(StrEnum):
    OVERLAP = "overlap"
    LEGIBILITY = "legibility"
    SAFE_ZONE = "safe zone"
    SMALL_TEXT = "small text"
    CLIPPED = "clipped"


@dataclass(frozen=True)
class DesignIssue:
    """One thing a designer would point at. ``layer`` is the tag of the layer it is about (a text's inner
    id); ``phrases`` are words that fix it when added right after that text in the prompt (tried in
    order); ``edit`` a follow-up edit that fixes it ("move @logo to the top left"), "" when none."""

    kind: IssueKind
    message: str
    layer: str
    phrases: tuple[str, ...] = ()
    edit: str = ""


def check_design(plan: RenderPlan) -> list[DesignIssue]:
    """Every design issue of ``plan``'s frames (see the module doc), in a stable order."""
    scene = plan.scene
    times = _sample_times(plan) if _needs_timeline(scene) else plan.times()[:1]
    moments = [(t, plan.layer_draws(t)) for t in times]
    issues = _overlaps(plan, moments)
    for index, layer in enumerate(scene.layers):
        if layer.role is Role.BACKGROUND and layer.region is None:
            continue
        t, draw = _rest(moments, index)
        if draw is None:
            continue
        if layer.text is not None:
            issues += _legibility(plan, moments, t, index)
            issues += _small_or_clipped(plan, index)
        issues += _safe_zone(plan, moments, layer, draw)
    log.debug("design checks: %d issues over %d moments", len(issues), len(moments))
    return issues


# ---------------------------------------------------------------- moments


Moment = tuple[float, list[tuple[Layer, Draw | None]]]


def _needs_timeline(scene: Scene) -> bool:
    """Whether any moment but the first can matter: two layers that may overlap, one of them moving, or a
    moving text or story mark (judged at its best moment). A logo spinning alone needs one moment."""
    candidates = [layer for layer in scene.layers if _overlapping(layer)]
    moving = [layer for layer in candidates if layer.animated]
    return bool(moving) and (
        len(candidates) > 1 or any(layer.text is not None for layer in moving) or is_story(scene.canvas)
    )


def _sample_times(plan: RenderPlan) -> list[float]:
    times = plan.times()
    if len(times) <= MAX_SAMPLES:
        return times
    step = (len(times) - 1) / (MAX_SAMPLES - 1)
    return [times[round(i * step)] for i in range(MAX_SAMPLES)]


def _rest(moments: Sequence[Moment], index: int) -> tuple[float, Draw | None]:
    """The moment a layer is seen best (most opaque, then most of it on the canvas; the first such)."""
    best: tuple[float, Draw | None] = (moments[0][0], None)
    score = (-1, -1)
    for t, drawn in moments:
        draw = drawn[index][1]
        if draw is None:
            continue
        box = draw.box
        area = max(0, box[2] - box[0]) * max(0, box[3] - box[1])
        if (draw.level, area) > score:
            best, score = (t, draw), (draw.level, area)
    return best


def _seconds(plan: RenderPlan, t: float) -> float:
    return t * plan.scene.timing.duration_s


# ---------------------------------------------------------------- overlap


def _overlapping(layer: Layer) -> bool:
    """Layers that can overlap: not a background, not laid out in a region (halves, grids: placed apart)."""
    return layer.role is not Role.BACKGROUND and layer.region is None


@dataclass(frozen=True)
class _Shape:
    """Where a layer shows at one moment, in canvas pixels: a mask over ``box`` (a text: its whole ink box,
    the gaps between letters too) and how many pixels that is."""

    box: Box
    mask: np.ndarray
    area: int


def _shape(layer: Layer, draw: Draw, canvas: Canvas) -> _Shape | None:
    box = intersect(draw.box, (0, 0, canvas.width, canvas.height))
    if box is None:
        return None
    alpha = np.asarray(draw.image.getchannel("A"))[
        box[1] - draw.top : box[3] - draw.top, box[0] - draw.left : box[2] - draw.left
    ]
    seen = alpha.astype(np.uint32) * draw.level >= 128 * 255  # at least half opaque, as it is seen
    if not seen.any():
        return None
    if layer.text is not None:
        rows, cols = np.flatnonzero(seen.any(axis=1)), np.flatnonzero(seen.any(axis=0))
        box = (box[0] + cols[0], box[1] + rows[0], box[0] + cols[-1] + 1, box[1] + rows[-1] + 1)
        seen = np.ones((box[3] - box[1], box[2] - box[0]), dtype=bool)
    return _Shape(box, seen, int(np.count_nonzero(seen)))


def _shared(a: _Shape, b: _Shape) -> int:
    """Pixels both show (counted only where their boxes meet)."""
    both = intersect(a.box, b.box)
    if both is None:
        return 0

    def part(shape: _Shape) -> np.ndarray:
        left, top = shape.box[:2]
        return shape.mask[both[1] - top : both[3] - top, both[0] - left : both[2] - left]

    return int(np.count_nonzero(part(a) & part(b)))


@dataclass
class _Pair:
    lower: int
    upper: int
    share_lower: float = 0.0
    share_upper: float = 0.0
    times: list[float] | None = None


def _overlaps(plan: RenderPlan, moments: Sequence[Moment]) -> list[DesignIssue]:
    scene, canvas = plan.scene, plan.scene.canvas
    candidates = [i for i, layer in enumerate(scene.layers) if _overlapping(layer)]
    pairs: dict[tuple[int, int], _Pair] = {}
    known: dict[int, _Shape | None] = {}  # by draw: a still layer's draw is the same object at every moment
    for t, drawn in moments:
        shapes: dict[int, _Shape] = {}
        for i in candidates:
            draw = drawn[i][1]
            if draw is not None and id(draw) not in known:
                known[id(draw)] = _shape(drawn[i][0], draw, canvas)
            shape = None if draw is None else known[id(draw)]
            if shape is not None:
                shapes[i] = shape
        for lower, upper in ((a, b) for a in shapes for b in shapes if a < b):
            if _meant(scene.layers[lower], scene.layers[upper]):
                continue
            shared = _shared(shapes[lower], shapes[upper])
            if shared < OVERLAP_SHARE * min(shapes[lower].area, shapes[upper].area):
                continue
            pair = pairs.setdefault((lower, upper), _Pair(lower, upper, times=[]))
            pair.share_lower = max(pair.share_lower, shared / shapes[lower].area)
            pair.share_upper = max(pair.share_upper, shared / shapes[upper].area)
            assert pair.times is not None
            pair.times.append(t)
    return [_overlap_issue(plan, pair, moments) for pair in pairs.values()]


def _meant(lower: Layer, upper: Layer) -> bool:
    """The prompt said the upper one goes over the lower ("in front", "in front of @x", "@x behind it")."""
    said = {tag.casefold() for tag in upper.in_front_of}
    return upper.role is Role.FOREGROUND or lower.tag.casefold() in said


def _overlap_issue(plan: RenderPlan, pair: _Pair, moments: Sequence[Moment]) -> DesignIssue:
    layers = plan.scene.layers
    lower, upper = layers[pair.lower], layers[pair.upper]
    if pair.share_lower >= OVERLAP_SHARE:
        what = f"{upper.name} covers {pair.share_lower:.0%} of {lower.name}"
    else:
        what = f"{upper.name} sits on {lower.name} ({pair.share_upper:.0%} of it)"
    when = _when(plan, pair.times or [], len(moments))
    mover = _mover(lower, upper)
    edit = "" if mover is None else _free_spot(plan, mover, moments)
    fixes = [f'"{edit}"'] if edit else []
    if upper.text is None and lower.text is None:
        fixes.append(f'say "{upper.name} in front of {lower.name}" if it is meant')
    elif upper.text is None:
        fixes.append(f'say "{upper.name} in front" if it is meant')
    advice = f" — {' or '.join(fixes)}." if fixes else " — move one of them."
    tag = (mover or upper).tag
    return DesignIssue(IssueKind.OVERLAP, f"{what}{when}{advice}".replace("  ", " "), tag, edit=edit)


def _when(plan: RenderPlan, times: list[float], moments: int) -> str:
    if moments <= 1 or len(times) == moments:
        return "" if moments <= 1 else " for the whole animation"
    first, last = _seconds(plan, times[0]), _seconds(plan, times[-1])
    return f" at {first:.1f} s" if len(times) == 1 else f" from {first:.1f} s to {last:.1f} s"


def _mover(lower: Layer, upper: Layer) -> Layer | None:
    """The layer a fix moves: a picture (texts keep their place), not moving, placed by an anchor."""
    for layer in (upper, lower):
        if layer.text is None and not layer.animated and layer.beside is None and layer.region is None:
            return layer
    return None


_SPOTS = (
    (Anchor.TOP_LEFT, "top left"),
    (Anchor.TOP_RIGHT, "top right"),
    (Anchor.BOTTOM_LEFT, "bottom left"),
    (Anchor.BOTTOM_RIGHT, "bottom right"),
    (Anchor.TOP, "top"),
    (Anchor.BOTTOM, "bottom"),
    (Anchor.LEFT, "left"),
    (Anchor.RIGHT, "right"),
)


def _free_spot(plan: RenderPlan, mover: Layer, moments: Sequence[Moment]) -> str:
    """A follow-up edit moving ``mover`` to the first anchor where it overlaps nothing at any moment
    (nor a story's zones), "" when there is none."""
    canvas = plan.scene.canvas
    index = plan.scene.layers.index(mover)
    here = plan.placements[index]
    others = {
        draw.box
        for _, drawn in moments
        for i, (layer, draw) in enumerate(drawn)
        if i != index and draw is not None and _overlapping(layer)
    }
    for anchor, words in _SPOTS:
        if anchor is mover.anchor:
            continue
        spot = place(replace(mover, anchor=anchor), (here.width, here.height), canvas)
        if not any(_shares(spot.box, other) for other in others) and not _in_zones(canvas, spot.box):
            return f"move @{mover.tag} to the {words}"
    return ""


def _shares(a: Box, b: Box) -> bool:
    both = intersect(a, b)
    if both is None:
        return False
    smaller = min(_area(a), _area(b))
    return _area(both) >= OVERLAP_SHARE * smaller


def _area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


# ---------------------------------------------------------------- legibility


def _linear_table() -> np.ndarray:
    c = np.arange(256) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


_LINEAR = _linear_table()


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of (..., 3) uint8 sRGB: 0.2126 R + 0.7152 G + 0.0722 B, linearised."""
    linear = _LINEAR[rgb]
    return linear[..., 0] * 0.2126 + linear[..., 1] * 0.7152 + linear[..., 2] * 0.0722


def contrast_ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker."""
    return (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """``mask`` grown by ``radius`` pixels: every pixel within that many steps up, down, left or right (a
    diamond, so never farther than ``radius`` in a straight line: a ring this wide stays inside an outline
    this wide, whose corners are round)."""
    out = mask.copy()
    for _ in range(radius):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def _below(plan: RenderPlan, drawn: Sequence[tuple[Layer, Draw | None]], box: Box, t: float) -> Image.Image:
    """The canvas under a text inside ``box``: its colour or slide, then every layer below it."""
    canvas = plan.scene.canvas
    size = (box[2] - box[0], box[3] - box[1])
    below = Image.new("RGBA", size, canvas.background or (0, 0, 0, 0))
    backdrop = plan.backdrop_at(t)
    if backdrop is not None:
        below.alpha_composite(backdrop.convert("RGBA").crop(box))
    for _, draw in drawn:
        if draw is None:
            continue
        part = intersect(draw.box, box)
        if part is None:
            continue
        local = (part[0] - draw.left, part[1] - draw.top, part[2] - draw.left, part[3] - draw.top)
        below.alpha_composite(with_opacity(draw.image.crop(local), draw.level), (part[0] - box[0], part[1] - box[1]))
    return below


def _letters(sprite: np.ndarray, spec: TextSpec) -> tuple[np.ndarray, np.ndarray]:
    """(the letters, their soft edge) in a text sprite. A letter pixel is opaque and nearer the text's
    colour than its outline's, banner's or shadow's (so the blend where a letter meets its outline counts as
    the letter, not as what is behind it); the edge is the text's colour at partial alpha (anti-aliasing
    over the backdrop), measured as neither."""
    channels = [sprite[..., c] for c in range(3)]

    def distance(colour: tuple[int, ...]) -> np.ndarray:
        """Largest channel difference, in uint8 (a whole-sprite int16 copy cost more than the check)."""
        gaps = [np.where(ch > value, ch - value, value - ch) for ch, value in zip(channels, colour[:3], strict=True)]
        return np.maximum(np.maximum(gaps[0], gaps[1]), gaps[2])

    ink = distance(tuple(np.uint8(v) for v in spec.colour[:3]))
    nearer = ink <= LETTER_DISTANCE
    for backing in (spec.outline, spec.banner, spec.shadow):
        if backing is not None and _channel_gap(backing, spec.colour) > LETTER_DISTANCE:  # else: part of the ink
            nearer &= ink < distance(tuple(np.uint8(v) for v in backing[:3]))
    alpha = sprite[..., 3]
    return (alpha >= 128) & nearer, (alpha > 0) & nearer


def _channel_gap(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return max(abs(x - y) for x, y in zip(a[:3], b[:3], strict=True))


def _colour_luminance(colour: tuple[int, ...]) -> float:
    return float(luminance(np.asarray(colour[:3], dtype=np.uint8)))


def _line_bands(letters: np.ndarray) -> list[tuple[int, int]]:
    """Rows of each line of text: runs of rows with letters, apart from the next by an empty row."""
    rows = letters.any(axis=1)
    bands: list[tuple[int, int]] = []
    start = None
    for y, filled in enumerate(rows):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, len(rows)))
    tallest = max((b - a for a, b in bands), default=0)
    return [band for band in bands if band[1] - band[0] >= tallest / 4]  # a dot or an accent is no line


@dataclass(frozen=True)
class Contrast:
    """A text's worst line: its contrast ratio, the ratio it needs, which line (0-based) and of how many."""

    ratio: float
    needed: float
    line: int
    lines: int


def text_contrast(
    plan: RenderPlan, drawn: Sequence[tuple[Layer, Draw | None]], index: int, t: float
) -> Contrast | None:
    """The contrast of text layer ``index`` with what is right around its letters at ``t`` (None: nothing
    to measure: no letters on the canvas, or a transparent canvas under them)."""
    canvas = plan.scene.canvas
    layer, draw = drawn[index]
    assert layer.text is not None and draw is not None
    box = intersect(draw.box, (0, 0, canvas.width, canvas.height))
    if box is None:
        return None
    font_px = fit_text(layer, canvas).font_px
    large = font_px >= LARGE_PX or (font_px >= LARGE_BOLD_PX and layer.text.weight >= BOLD)
    needed = RATIO_LARGE if large else RATIO_TEXT
    spec = layer.text
    if spec.banner is not None and spec.banner[3] >= 255:  # an opaque banner is all that is behind the letters
        on_banner = float(contrast_ratio(_colour_luminance(spec.colour), _colour_luminance(spec.banner)))
        if on_banner < needed:
            return Contrast(on_banner, needed, 0, 1)
    local = (box[0] - draw.left, box[1] - draw.top, box[2] - draw.left, box[3] - draw.top)
    text = draw.image.crop(local)
    seen = _below(plan, drawn[:index], box, t)
    seen.alpha_composite(with_opacity(text, draw.level))
    sprite = np.asarray(text)
    letters, edge = _letters(sprite, layer.text)
    if np.count_nonzero(letters) < 8:
        return None
    radius = max(1, round(RING_EM * font_px))
    window = _around(letters, radius + 2)  # the letters and their ring, not the rest of a wide banner
    letters, edge, sprite, pixels = letters[window], edge[window], sprite[window], np.asarray(seen)[window]
    ring = dilate(letters, radius) & ~letters & ~edge & (pixels[..., 3] >= 250)
    if np.count_nonzero(ring) < np.count_nonzero(letters) // 4:  # small text: its soft edge hid the ring
        radius += 1
        ring = dilate(letters, radius) & ~letters & ~edge & (pixels[..., 3] >= 250)
    if not ring.any():
        return None
    sprite_alpha = sprite[..., 3]
    solid = letters & (sprite_alpha == sprite_alpha[letters].max())  # the letters' insides, not their soft edge
    ink = float(np.median(luminance(pixels[solid][:, :3])))
    lum = np.zeros(ring.shape)
    lum[ring] = luminance(pixels[ring][:, :3])  # only where it is read
    bands = _line_bands(letters)
    worst: tuple[float, int] | None = None
    for number, (top, bottom) in enumerate(bands):
        rows = slice(max(0, top - radius), bottom + radius)
        around = lum[rows][ring[rows]]
        if around.size < 8:
            continue
        ratio = float(np.percentile(contrast_ratio(ink, around), WORST_PERCENTILE))
        if worst is None or ratio < worst[0]:
            worst = (ratio, number)
    if worst is None:
        return None
    return Contrast(worst[0], needed, worst[1], len(bands))


def _around(mask: np.ndarray, pad: int) -> tuple[slice, slice]:
    """The rows and columns of ``mask``'s set pixels, ``pad`` more on each side (within the array)."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return slice(max(0, rows[0] - pad), rows[-1] + pad + 1), slice(max(0, cols[0] - pad), cols[-1] + pad + 1)


def _legibility(plan: RenderPlan, moments: Sequence[Moment], t: float, index: int) -> list[DesignIssue]:
    drawn = next(d for time, d in moments if time == t)
    contrast = text_contrast(plan, drawn, index, t)
    if contrast is None or contrast.ratio >= contrast.needed:
        return []
    layer = drawn[index][0]
    spec = layer.text
    assert spec is not None
    where = f" (line {contrast.line + 1})" if contrast.lines > 1 else ""
    when = f" at {_seconds(plan, t):.1f} s" if len(moments) > 1 else ""
    light = _colour_luminance(spec.colour) > 0.18  # contrasts more with black than with white
    backing = "black" if light else "white"
    phrases = []
    if spec.outline is None:
        phrases.append(f"with a {backing} outline")
    if spec.banner is None:
        phrases.append(f"on a {backing} banner")
    advice = " — choose a text colour that stands out"
    if phrases:
        advice = " — add " + " or ".join(f'"{phrase}"' for phrase in phrases)
    message = (
        f"{layer.name} is hard to read: {contrast.ratio:.1f}:1 contrast with what is behind its letters at the "
        f"worst part{where}{when}, below the {contrast.needed:g}:1 its size needs{advice}."
    )
    return [DesignIssue(IssueKind.LEGIBILITY, message, layer.tag, tuple(phrases))]


# ---------------------------------------------------------------- safe zones, small and clipped text


def is_story(canvas: Canvas) -> bool:
    """A 9:16 canvas (1080x1920 and the like): a story or a reel, with the platform's controls over it."""
    return abs(canvas.width / canvas.height - STORY_ASPECT) < 0.01


def _zones(canvas: Canvas) -> tuple[Box, Box]:
    top = round(SAFE_TOP * canvas.height)
    bottom = canvas.height - round(SAFE_BOTTOM * canvas.height)
    return (0, 0, canvas.width, top), (0, bottom, canvas.width, canvas.height)


def _in_zones(canvas: Canvas, box: Box) -> bool:
    if not is_story(canvas):
        return False
    return any(_zone_share(box, zone) >= ZONE_SHARE for zone in _zones(canvas))


def _zone_share(box: Box, zone: Box) -> float:
    part = intersect(box, zone)
    return 0.0 if part is None else _area(part) / max(1, _area(box))


MARK_AREA = 0.04
"""A picture covering at most this share of the canvas is a mark (a logo, a badge, a sticker)."""


def _is_mark(layer: Layer, box: Box, canvas: Canvas) -> bool:
    """Text, or a logo (tagged so, or small), the things a story's controls must not hide; a product
    photo filling much of the story may well run under them."""
    small = _area(box) <= MARK_AREA * canvas.width * canvas.height
    return layer.text is not None or "logo" in layer.tag.casefold() or small


def _safe_zone(plan: RenderPlan, moments: Sequence[Moment], layer: Layer, draw: Draw) -> list[DesignIssue]:
    canvas = plan.scene.canvas
    if not is_story(canvas):
        return []
    ink = draw.image.getchannel("A").getbbox()
    if ink is None:
        return []
    box = (draw.left + ink[0], draw.top + ink[1], draw.left + ink[2], draw.top + ink[3])
    if not _is_mark(layer, box, canvas):
        return []
    top_zone, bottom_zone = _zones(canvas)
    for zone, words, covers in (
        (top_zone, f"top {SAFE_TOP:.0%}", "the account name and progress bar"),
        (bottom_zone, f"bottom {SAFE_BOTTOM:.0%}", "the reply bar and captions"),
    ):
        if _zone_share(box, zone) >= ZONE_SHARE:
            edit = _free_spot(plan, layer, moments) if _mover(layer, layer) is layer else ""
            advice = f': "{edit}"' if edit else ""
            message = (
                f"{layer.name} is in the {words} of this {canvas.width}x{canvas.height} story, where Instagram and "
                f"TikTok draw {covers} over it — keep text and logos between {top_zone[3]} and {bottom_zone[1]} px "
                f"from the top{advice}."
            )
            return [DesignIssue(IssueKind.SAFE_ZONE, message, layer.tag, edit=edit)]
    return []


def _small_or_clipped(plan: RenderPlan, index: int) -> list[DesignIssue]:
    canvas = plan.scene.canvas
    layer = plan.scene.layers[index]
    issues: list[DesignIssue] = []
    fit = fit_text(layer, canvas)
    smallest = math.ceil(SMALL_TEXT * canvas.height)
    if fit.font_px < smallest:
        fix = "shorten it or give it more room" if fit.shrunk else f'say a larger size, e.g. "{smallest} px"'
        issues.append(
            DesignIssue(
                IssueKind.SMALL_TEXT,
                f"{layer.name} is drawn at {fit.font_px} px, under {SMALL_TEXT:.1%} of the canvas height "
                f"({smallest} px): it may be unreadable on a phone — {fix}.",
                layer.tag,
                () if fit.shrunk else (f"{smallest} px",),
            )
        )
    if not layer.animated and index < len(plan.placements):
        issues += _clipped(canvas, layer, plan.placements[index])
    return issues


def _clipped(canvas: Canvas, layer: Layer, placement: Placement) -> list[DesignIssue]:
    """A still text reaching past the canvas edge (a rotation or a place next to another layer did it)."""
    left, top, right, bottom = placement.box
    out = max(-left, -top, right - canvas.width, bottom - canvas.height)
    if out <= CLIP_PX or intersect(placement.box, (0, 0, canvas.width, canvas.height)) is None:
        return []
    message = f"{layer.name} is cut by the canvas edge ({out} px of it is outside) — move it or make it smaller."
    return [DesignIssue(IssueKind.CLIPPED, message, layer.tag)]

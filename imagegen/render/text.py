"""Text layers -> RGBA sprites: fit (wrap, break, shrink), per-script font runs, right-to-left, stroke,
shadow and banner, rasterised once at the final scale.

:func:`fit_text` decides the font size and the lines (no pixels; :mod:`imagegen.prompt.explain` uses it
to say "96 px, fits 1 line"); :func:`rasterise` draws them. The sprite never overflows the layer's text
box (see :mod:`imagegen.scene`) and is cropped to its ink plus banner, so descenders and the stroke are
never clipped.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter

from imagegen.render import fonts
from imagegen.render.compose import box_union
from imagegen.render.fonts import FontFile
from imagegen.render.placement import inset_region, margin_px
from imagegen.scene import Canvas, Layer, LetterCase, Scene, TextAlign, TextSpec

Size = tuple[int, int]

MIN_FONT_FRACTION = 0.02
"""The smallest font auto-fit shrinks to, as a fraction of the canvas's shorter side (at least 8 px)."""
EDGE_WIDTH = 0.6
"""A text box at a left/right anchor or a corner takes this fraction of the inset's width."""
EDGE_HEIGHT = 0.5
"""A text box at a top/bottom anchor or a corner takes this fraction of the inset's height."""
SHADOW_BLUR_EM = 0.02

#: Characters that must never reach the drawing: bidi overrides/embeddings/isolates reorder what follows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_JOINERS = frozenset("\u200c\u200d\ufe0e\ufe0f")


# ---------------------------------------------------------------- characters and scripts


def clean_text(text: str) -> str:
    """``text`` as drawable: NFC, tabs as spaces, line breaks kept, every other control and bidi control gone."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    return "".join(
        ch for ch in text if ch == "\n" or (ch not in BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
    )


def apply_case(text: str, case: LetterCase) -> str:
    if case is LetterCase.UPPER:
        return text.upper()
    if case is LetterCase.LOWER:
        return text.lower()
    if case is LetterCase.TITLE:
        return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
    return text


_SCRIPT_RANGES: tuple[tuple[int, int, FontFile], ...] = (
    (0x0590, 0x05FF, fonts.HEBREW),
    (0x0600, 0x06FF, fonts.ARABIC),
    (0x0750, 0x077F, fonts.ARABIC),
    (0x08A0, 0x08FF, fonts.ARABIC),
    (0x0900, 0x097F, fonts.DEVANAGARI),
    (0x1CD0, 0x1CFF, fonts.DEVANAGARI),
    (0x2E80, 0x2FDF, fonts.CJK),
    (0x3000, 0x9FFF, fonts.CJK),
    (0xA8E0, 0xA8FF, fonts.DEVANAGARI),
    (0xAC00, 0xD7AF, fonts.CJK),
    (0xF900, 0xFAFF, fonts.CJK),
    (0xFB1D, 0xFB4F, fonts.HEBREW),
    (0xFB50, 0xFDFF, fonts.ARABIC),
    (0xFE70, 0xFEFF, fonts.ARABIC),
    (0xFF00, 0xFFEF, fonts.CJK),
    (0x20000, 0x2FFFF, fonts.CJK),
)


def script_font(ch: str) -> FontFile | None:
    """The fallback font made for ``ch``'s script, None for scripts the families cover (Latin...)."""
    code = ord(ch)
    for low, high, font in _SCRIPT_RANGES:
        if low <= code <= high:
            return font
    return None


def is_emoji(ch: str) -> bool:
    code = ord(ch)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or code in (0x2B50, 0x2B55, 0x203C, 0x2049)


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _neutral(ch: str) -> bool:
    """Spaces, punctuation and marks: they join whichever run they are in. European digits and the signs
    around them (%, $) are not: they read left to right even inside Arabic or Hebrew text."""
    return ch in _JOINERS or unicodedata.bidirectional(ch) not in ("L", "R", "AL", "EN", "ET")


# ---------------------------------------------------------------- runs of one font


@dataclass(frozen=True)
class Face:
    """A font file at a weight and width (what a run is drawn with)."""

    file: FontFile
    weight: int
    width: float = 100.0

    def at(self, size: int) -> fonts.ImageFont.FreeTypeFont | None:
        return fonts.load(self.file, size, self.weight, self.width, fonts.raqm_available())

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.codepoints()

    def codepoints(self) -> frozenset[int]:
        path = self.file.path(self.weight)
        return fonts.coverage(path) if path is not None else frozenset()


@dataclass(frozen=True)
class Run:
    text: str
    face: Face
    rtl: bool


@dataclass
class Chars:
    """What happened to characters no font could draw."""

    dropped_emoji: list[str] = field(default_factory=list)
    dropped_other: list[str] = field(default_factory=list)
    missing_fonts: set[str] = field(default_factory=set)


def primary_face(spec: TextSpec) -> Face:
    chosen = fonts.family(spec.family)
    file = chosen.italic if spec.italic and chosen.italic and fonts.available(chosen.italic) else chosen.upright
    return Face(file, spec.weight, chosen.width)


def _face_for(ch: str, current: Face | None, primary: Face, chars: Chars) -> Face | None:
    if current is not None and _neutral(ch) and current.covers(ch):
        return current
    preferred = script_font(ch)
    if preferred is not None:
        face = Face(preferred, primary.weight)
        if face.covers(ch):
            return face
        if not fonts.available(preferred):
            chars.missing_fonts.add(preferred.name)
    if primary.covers(ch):
        return primary
    for fallback in fonts.SCRIPT_FONTS:
        face = Face(fallback, primary.weight)
        if fallback is not preferred and face.covers(ch):
            return face
    return None


def split_runs(line: str, primary: Face, chars: Chars | None = None, rtl_paragraph: bool = False) -> list[Run]:
    """``line`` (logical order) as runs of one face and direction each; characters no face has are
    dropped (and noted). Spaces between runs of the other direction than the paragraph's take the
    paragraph's (Unicode's rule N1), so "خصم 50% اليوم" keeps one space on each side of "50%"."""
    return _settle_spaces(_split(line, primary, chars if chars is not None else Chars()), rtl_paragraph)


def _settle_spaces(runs: list[Run], rtl_paragraph: bool) -> list[Run]:
    settled: list[Run] = []
    for run in runs:
        if run.rtl == rtl_paragraph:
            settled.append(run)
            continue
        body = run.text.strip(" ")
        if not body:
            settled.append(Run(run.text, run.face, rtl_paragraph))
            continue
        lead, trail = run.text[: len(run.text) - len(run.text.lstrip(" "))], run.text[len(run.text.rstrip(" ")) :]
        if lead:
            settled.append(Run(lead, run.face, rtl_paragraph))
        settled.append(Run(body, run.face, run.rtl))
        if trail:
            settled.append(Run(trail, run.face, rtl_paragraph))
    return settled


def _split(line: str, primary: Face, chars: Chars) -> list[Run]:
    runs: list[Run] = []
    text, face, rtl = "", None, False
    for ch in line:
        chosen = _face_for(ch, face, primary, chars)
        if chosen is None:
            if ch not in _JOINERS:
                (chars.dropped_emoji if is_emoji(ch) else chars.dropped_other).append(ch)
            continue
        ch_rtl = _rtl(ch)
        strong = not _neutral(ch)
        if text and (chosen != face or (strong and ch_rtl != rtl)):
            runs.append(Run(text, face, rtl))  # type: ignore[arg-type]
            text = ""
        if not text or strong:
            rtl = ch_rtl
        text, face = text + ch, chosen
    if text and face is not None:
        runs.append(Run(text, face, rtl))
    return runs


def visual_order(runs: list[Run], rtl_paragraph: bool) -> list[Run]:
    """Runs left to right: in a right-to-left paragraph the runs are reversed, keeping groups of
    left-to-right runs in their order (and the reverse in a left-to-right paragraph)."""
    groups: list[list[Run]] = []
    for run in runs:
        if groups and groups[-1][0].rtl == run.rtl:
            groups[-1].append(run)
        else:
            groups.append([run])
    ordered = [list(reversed(g)) if g[0].rtl else g for g in groups]
    if rtl_paragraph:
        ordered.reverse()
    return [run for group in ordered for run in group]


def paragraph_is_rtl(paragraph: str) -> bool:
    """The paragraph's base direction: that of its first strong letter (Unicode's rule P2)."""
    for ch in paragraph:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


# ---------------------------------------------------------------- measuring and wrapping


def _run_length(text: str, face: Face, rtl: bool, size: int) -> float:
    return _length(text, face, rtl, size, fonts.raqm_available())


@functools.lru_cache(maxsize=4096)
def _length(text: str, face: Face, rtl: bool, size: int, raqm: bool) -> float:
    font = face.at(size)
    if font is None:
        return 0.0
    if raqm:
        return font.getlength(text, direction="rtl" if rtl else "ltr")
    return font.getlength(text)


@functools.lru_cache(maxsize=4096)
def _runs(line: str, primary: Face, rtl_paragraph: bool = False) -> tuple[Run, ...]:
    return tuple(split_runs(line, primary, rtl_paragraph=rtl_paragraph))


def line_width(line: str, primary: Face, size: int) -> float:
    return sum(_run_length(r.text, r.face, r.rtl, size) for r in _runs(line, primary))


def _metrics(face: Face, size: int) -> tuple[int, int]:
    font = face.at(size)
    return font.getmetrics() if font is not None else (size, size // 4)


def line_height(line: str, primary: Face, size: int) -> tuple[int, int]:
    """(ascent, descent) of ``line``: the largest of its faces (so marks above Devanagari fit)."""
    faces = {primary, *(r.face for r in _runs(line, primary))}
    metrics = [_metrics(face, size) for face in faces]
    return max(a for a, _ in metrics), max(d for _, d in metrics)


REFERENCE_PX = 100
"""Widths are measured once at this size and scaled while searching for the size that fits (shaping is
costly: Devanagari takes milliseconds a call); the chosen size is then checked with exact widths."""


@functools.lru_cache(maxsize=8192)
def _reference_width(text: str, primary: Face) -> float:
    return line_width(text, primary, REFERENCE_PX)


def estimated_width(line: str, primary: Face, size: int) -> float:
    """``line``'s width at ``size`` from its words' widths at :data:`REFERENCE_PX` (no shaping crosses a space)."""
    words = line.split(" ")
    total = sum(_reference_width(word, primary) for word in words if word)
    total += (len(words) - 1) * _reference_width(" ", primary)
    return total * size / REFERENCE_PX


def _char_width(ch: str, primary: Face, size: int) -> float:
    return _reference_width(ch, primary) * size / REFERENCE_PX


def _break_word(word: str, primary: Face, size: int, width: float) -> list[str]:
    """A word too wide for a line, cut into pieces that fit (never before a combining mark)."""
    pieces: list[str] = []
    current, used = "", 0.0
    for ch in word:
        advance = _char_width(ch, primary, size)
        breakable = current and not unicodedata.category(ch).startswith("M") and ch not in _JOINERS
        if breakable and used + advance > width:
            pieces.append(current)
            current, used = "", 0.0
        current += ch
        used += advance
    if current:
        pieces.append(current)
    return pieces


_GLUED = frozenset("%!?:;»…—–-)")
"""A word made only of these stays on the line before it ("30 %", "Sale —", "now !")."""


def _units(paragraph: str, fits: Callable[[str], bool]) -> list[str]:
    """The paragraph's words, each punctuation-only word glued to the one before it where the two fit
    on one line."""
    units: list[str] = []
    for word in paragraph.split():
        if units and set(word) <= _GLUED and fits(f"{units[-1]} {word}"):
            units[-1] = f"{units[-1]} {word}"
        else:
            units.append(word)
    return units


def wrap(text: str, primary: Face, size: int, width: float) -> list[tuple[str, bool]]:
    """Lines of ``text`` at ``size`` no wider than ``width`` (estimated), each with its paragraph's
    direction (True = right to left): its own line breaks, then word wrap, then words too long for a
    line broken between characters."""
    lines: list[tuple[str, bool]] = []
    for paragraph in text.split("\n"):
        rtl = paragraph_is_rtl(paragraph)
        current = ""
        for word in _units(paragraph, lambda unit: estimated_width(unit, primary, size) <= width):
            candidate = f"{current} {word}" if current else word
            if estimated_width(candidate, primary, size) <= width:
                current = candidate
                continue
            if current:
                lines.append((current, rtl))
            pieces = _break_word(word, primary, size, width)
            lines.extend((piece, rtl) for piece in pieces[:-1])
            current = pieces[-1]
        lines.append((current, rtl))
    return lines


# ---------------------------------------------------------------- fitting


@dataclass(frozen=True)
class TextFit:
    """How a text layer fits its box: font size, lines, and what the user should know."""

    font_px: int
    asked_px: int
    lines: tuple[str, ...]
    box: Size
    notes: tuple[str, ...] = ()
    rtl: tuple[bool, ...] = ()  # each line's paragraph direction

    @property
    def shrunk(self) -> bool:
        return self.font_px < self.asked_px


def text_box(layer: Layer, canvas: Canvas) -> Size:
    """The box a text layer's sprite must fit: the inset canvas, narrowed by its anchor (see scene); in a
    region, the inset region."""
    region = inset_region(layer, canvas)
    if region is not None:
        return max(1, region[2] - region[0]), max(1, region[3] - region[1])
    margin = margin_px(layer, canvas)
    inner_w, inner_h = max(1, canvas.width - 2 * margin), max(1, canvas.height - 2 * margin)
    fx, fy = layer.anchor.axes
    width = inner_w if fx in (None, 0.5) else inner_w * EDGE_WIDTH
    height = inner_h * EDGE_HEIGHT if fy in (0.0, 1.0) else inner_h
    return max(1, math.floor(width)), max(1, math.floor(height))


def asked_font_px(layer: Layer, canvas: Canvas) -> int:
    assert layer.text is not None
    if layer.text.font_px is not None:
        return max(1, layer.text.font_px)
    return max(1, round(layer.size * min(canvas.width, canvas.height)))


def _extras(spec: TextSpec, size: int) -> tuple[float, float]:
    """Extra (width, height) around the lines at ``size``: stroke, shadow and banner padding."""
    stroke = _stroke_px(spec, size)
    shadow = _shadow_px(spec, size)
    pad = spec.padding_em * size if spec.banner else 0.0
    width = 2 * stroke + shadow + 2 * pad + 0.15 * size  # italic and side bearings overhang a little
    height = 2 * stroke + shadow + 2 * pad
    return width, height


def _stroke_px(spec: TextSpec, size: int) -> int:
    return max(1, round(spec.outline_em * size)) if spec.outline else 0


def _shadow_px(spec: TextSpec, size: int) -> int:
    return max(1, round(spec.shadow_em * size)) if spec.shadow else 0


def _layout(
    text: str, spec: TextSpec, size: int, box: Size, exact: bool = False
) -> tuple[list[tuple[str, bool]], bool]:
    """The lines at ``size`` and whether they fit ``box`` (estimated widths, or exact ones)."""
    primary = primary_face(spec)
    extra_w, extra_h = _extras(spec, size)
    width = box[0] - extra_w
    if width < 1:
        return [], False
    lines = wrap(text, primary, size, width)
    if exact:
        height = sum(sum(line_height(line, primary, size)) for line, _ in lines) + extra_h
        widest = max((line_width(line, primary, size) for line, _ in lines), default=0.0)
    else:
        ascent, descent = _reference_metrics(text, primary)
        height = len(lines) * math.ceil((ascent + descent) * size / REFERENCE_PX) + extra_h
        widest = max((estimated_width(line, primary, size) for line, _ in lines), default=0.0)
    return lines, height <= box[1] and widest <= width


def _reference_metrics(text: str, primary: Face) -> tuple[int, int]:
    return line_height("".join(sorted(set(text.replace("\n", "")))), primary, REFERENCE_PX)


def drawn_text(spec: TextSpec) -> str:
    return apply_case(clean_text(spec.text), spec.case)


def fit_text(layer: Layer, canvas: Canvas, scale: float = 1.0) -> TextFit:
    """The largest font size up to the asked one at which the text fits its box, and its lines.

    Shrinks by bisection down to the minimum size; below that it keeps shrinking (never overflowing) and
    says so.
    """
    spec = layer.text
    assert spec is not None
    with fonts.text_lock():
        return _fit(layer, spec, canvas, scale)


def _fit(layer: Layer, spec: TextSpec, canvas: Canvas, scale: float) -> TextFit:
    box = text_box(layer, canvas)
    box = (max(1, round(box[0] * scale)), max(1, round(box[1] * scale)))
    asked = max(1, round(asked_font_px(layer, canvas) * scale))
    text = drawn_text(spec)
    size = _largest_fitting(text, spec, asked, box)
    lines, fits = _layout(text, spec, size, box, exact=True)
    for _ in range(8):  # the estimate was a little generous: step down until the exact widths fit
        if fits or size <= 1:
            break
        size = max(1, min(size - 1, math.floor(size * 0.97)))
        lines, fits = _layout(text, spec, size, box, exact=True)
    lines = lines or [(text, False)]
    notes = _notes(text, spec, size, asked, canvas, scale)
    return TextFit(size, asked, tuple(line for line, _ in lines), box, notes, tuple(rtl for _, rtl in lines))


def _largest_fitting(text: str, spec: TextSpec, asked: int, box: Size) -> int:
    """The largest size up to ``asked`` whose estimated layout fits (bisection), at least 1."""
    if _layout(text, spec, asked, box)[1]:
        return asked
    low, high, best = 1, asked - 1, 1
    while low <= high:
        middle = (low + high) // 2
        if _layout(text, spec, middle, box)[1]:
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def _notes(text: str, spec: TextSpec, size: int, asked: int, canvas: Canvas, scale: float) -> tuple[str, ...]:
    notes: list[str] = []
    minimum = max(8, round(MIN_FONT_FRACTION * min(canvas.width, canvas.height) * scale))
    if size < minimum and size < asked and text.strip():
        notes.append(f"too long to fit at the smallest size ({minimum} px): drawn at {size} px; shorten it")
    chars = Chars()
    primary = primary_face(spec)
    for line in text.split("\n"):
        split_runs(line, primary, chars)
    if chars.dropped_emoji:
        notes.append(f"emoji are not drawn (no colour emoji font): {''.join(dict.fromkeys(chars.dropped_emoji))}")
    if chars.missing_fonts:
        for name in sorted(chars.missing_fonts):
            notes.append(f"{name} is not installed — {fonts.missing_font_hint(_font_named(name))}")
    elif chars.dropped_other:
        shown = "".join(dict.fromkeys(chars.dropped_other))[:10]
        notes.append(f"no bundled font has {shown!r}: left out")
    if spec.italic and not fonts.family(spec.family).italic:
        notes.append(f"{fonts.family(spec.family).label} has no italic: drawn upright")
    return tuple(notes)


def _font_named(name: str) -> FontFile:
    return next(f for f in fonts.SCRIPT_FONTS if f.name == name)


def needs_shaping(text: str) -> bool:
    """True when ``text`` has a script that is drawn wrong without Raqm (Devanagari, Arabic, Hebrew)."""
    return any(script_font(ch) in (fonts.DEVANAGARI, fonts.ARABIC, fonts.HEBREW) for ch in text)


def text_warnings(scene: Scene) -> list[str]:
    """What the user should know about the scene's text before rendering: no shaping available for a
    script that needs it, characters left out, a missing font, text too long for its box."""
    layers = [layer for layer in scene.layers if layer.text is not None]
    warnings: list[str] = []
    if not fonts.raqm_available() and any(needs_shaping(layer.text.text) for layer in layers if layer.text):
        warnings.append(fonts.RAQM_WARNING)
    for layer in layers:
        assert layer.text is not None
        label = layer.text.text.replace("\n", " / ")
        label = label if len(label) <= 40 else label[:39] + "…"
        warnings.extend(f'Text "{label}": {note}.' for note in fit_text(layer, scene.canvas).notes)
    return warnings


# ---------------------------------------------------------------- drawing


@dataclass(frozen=True)
class TextSprite:
    image: Image.Image
    fit: TextFit


def rasterise(layer: Layer, canvas: Canvas, scale: float = 1.0) -> TextSprite:
    """The layer's text as an RGBA sprite at ``scale`` x its final size (for zooms), fitted to its box."""
    spec = layer.text
    assert spec is not None
    with fonts.text_lock():
        fit = _fit(layer, spec, canvas, scale)
        image = _draw(spec, fit)
    if image.width > fit.box[0] or image.height > fit.box[1]:  # the last guarantee: never overflow
        ratio = min(fit.box[0] / image.width, fit.box[1] / image.height)
        size = max(1, math.floor(image.width * ratio)), max(1, math.floor(image.height * ratio))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return TextSprite(image, fit)


@dataclass(frozen=True)
class _Placed:
    run: Run
    x: float
    baseline: float


def _arrange(spec: TextSpec, fit: TextFit, pad: int) -> tuple[list[_Placed], tuple[int, int, int, int], Size]:
    """Every run's pen position, the lines' box and the scratch image size."""
    size = fit.font_px
    primary = primary_face(spec)
    laid = []
    for line, rtl in zip(fit.lines, fit.rtl, strict=True):
        runs = visual_order(list(_runs(line, primary, rtl)), rtl)
        widths = [_run_length(r.text, r.face, r.rtl, size) for r in runs]
        laid.append((runs, widths, line_height(line, primary, size)))
    block_w = max((sum(w) for _, w, _ in laid), default=0.0)
    placed: list[_Placed] = []
    y = float(pad)
    for runs, widths, (ascent, descent) in laid:
        offset = (block_w - sum(widths)) * {TextAlign.LEFT: 0.0, TextAlign.CENTER: 0.5, TextAlign.RIGHT: 1.0}[
            spec.align
        ]
        x = pad + offset
        for run, width in zip(runs, widths, strict=True):
            placed.append(_Placed(run, x, y + ascent))
            x += width
        y += ascent + descent
    lines_box = (pad, pad, pad + math.ceil(block_w), math.ceil(y))
    return placed, lines_box, (math.ceil(block_w) + 2 * pad, math.ceil(y) + pad)


def _mask(placed: list[_Placed], size: int, image_size: Size, stroke: int) -> Image.Image:
    mask = Image.new("L", image_size, 0)
    draw = ImageDraw.Draw(mask)
    raqm = fonts.raqm_available()
    for item in placed:
        font = item.run.face.at(size)
        if font is None:
            continue
        text = item.run.text
        options: dict[str, object] = {}
        if raqm:
            options["direction"] = "rtl" if item.run.rtl else "ltr"
        elif item.run.rtl:
            text = text[::-1]  # basic layout: at least right to left (unjoined; see fonts.layout_warning)
        draw.text((item.x, item.baseline), text, fill=255, font=font, anchor="ls", stroke_width=stroke, **options)
    return mask


def _colour_layer(colour: tuple[int, int, int, int], mask: Image.Image) -> Image.Image:
    layer = Image.new("RGBA", mask.size, (*colour[:3], 0))
    alpha = mask if colour[3] >= 255 else mask.point([(v * colour[3] + 127) // 255 for v in range(256)])
    layer.putalpha(alpha)
    return layer


def _draw(spec: TextSpec, fit: TextFit) -> Image.Image:
    size = fit.font_px
    stroke = _stroke_px(spec, size)
    shadow = _shadow_px(spec, size)
    banner_pad = round(spec.padding_em * size) if spec.banner else 0
    pad = stroke + shadow + banner_pad + math.ceil(0.5 * size) + 2
    placed, lines_box, image_size = _arrange(spec, fit, pad)
    fill = _mask(placed, size, image_size, 0)
    if fill.getbbox() is None:
        return Image.new("RGBA", (1, 1), (0, 0, 0, 0))  # nothing drawable (every character dropped)
    outer = _mask(placed, size, image_size, stroke) if stroke else fill
    sprite = Image.new("RGBA", image_size, (0, 0, 0, 0))
    ink = outer.getbbox() or lines_box
    if spec.shadow:
        shadow_mask = Image.new("L", image_size, 0)
        shadow_mask.paste(outer, (shadow, shadow))
        blur = SHADOW_BLUR_EM * size
        if blur >= 0.5:
            shadow_mask = shadow_mask.filter(ImageFilter.GaussianBlur(blur))
        sprite.alpha_composite(_colour_layer(spec.shadow, shadow_mask))
        ink = box_union(ink, shadow_mask.getbbox() or ink)
    if spec.banner:
        ink = box_union(ink, lines_box)
        box = (ink[0] - banner_pad, ink[1] - banner_pad, ink[2] + banner_pad, ink[3] + banner_pad)
        backing = Image.new("RGBA", image_size, (0, 0, 0, 0))
        backing.alpha_composite(_colour_layer(spec.banner, _banner_mask(box, spec.radius_em * size)), box[:2])
        backing.alpha_composite(sprite)
        sprite = backing
        ink = box
    if stroke and spec.outline:
        sprite.alpha_composite(_colour_layer(spec.outline, outer))
    sprite.alpha_composite(_colour_layer(spec.colour, fill))
    crop = sprite.getbbox()
    if crop is None:
        return Image.new("RGBA", (1, 1), (0, 0, 0, 0))  # nothing drawable (every character dropped)
    return sprite.crop(box_union(crop, ink) if spec.banner else crop)


BANNER_SUPERSAMPLE = 4
"""Round banner corners are drawn this much larger and reduced, so their edges are anti-aliased."""


def _banner_mask(box: tuple[int, int, int, int], radius: float) -> Image.Image:
    """The banner's coverage (L) over ``box``: a rectangle, or one with smooth round corners."""
    width, height = box[2] - box[0], box[3] - box[1]
    radius = min(radius, width / 2, height / 2)
    if radius < 0.5:
        return Image.new("L", (width, height), 255)
    scale = BANNER_SUPERSAMPLE
    big = Image.new("L", (width * scale, height * scale), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, width * scale - 1, height * scale - 1), radius * scale, fill=255)
    return big.reduce(scale)

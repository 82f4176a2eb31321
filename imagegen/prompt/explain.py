"""Say in plain words what a Scene will draw: one line for the canvas, then one per layer.

>>> describe_scene(Scene(layers=(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.2),)))[1]
'@logo — top right, small (20 % of the canvas)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from imagegen.prompt.brand import current
from imagegen.prompt.colours import colour_name
from imagegen.prompt.meanings import CanvasMeaning
from imagegen.prompt.sequence import ends_elsewhere
from imagegen.prompt.vocabulary import entries, motion_meaning, size_name
from imagegen.scene import (
    Adjust,
    Anchor,
    Canvas,
    Effect,
    Fit,
    Layer,
    LetterCase,
    Motion,
    MotionKind,
    Region,
    Role,
    Scene,
    Shape,
    Slideshow,
    TextAlign,
    TextSpec,
    Timing,
    Transition,
    short_text,
)
from imagegen.store.fonts import FONT_PREFIX, kept_family


class TextFitLike(Protocol):
    """What :func:`imagegen.render.text.fit_text` says about a text layer (prompt/ never imports render/)."""

    font_px: int
    asked_px: int
    lines: tuple[str, ...]


Measure = Callable[[Layer, Canvas], TextFitLike]


def describe_scene(scene: Scene, measure: Measure | None = None) -> list[str]:
    """Human lines: the canvas first ("Canvas 1080x1080, white background, still image"), then layers
    in drawing order ("@logo — top right, small (20 % of the canvas), spins clockwise over 2 s, linear").

    :param measure: fits a text layer to the canvas (the renderer's ``fit_text``), so a text line says the
        size it is drawn at and its line count; without it, the asked size.
    """
    lines = [_canvas_line(scene)]
    if scene.slideshow is not None:
        lines.append(_slideshow_line(scene.slideshow, scene.timing))
    for layer in scene.layers:
        lines.append(_layer_line(layer, scene, measure))
        steps = timeline(layer, scene.timing)
        if steps:
            lines.append(f"{layer.name} timeline: " + ", ".join(f"{a}-{b} s {what}" for a, b, what in steps))
    return lines


def _seconds(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def slideshow_rows(show: Slideshow, timing: Timing) -> list[tuple[str, str, str]]:
    """(slide, "start-end s", what happens at its end) per slide, in seconds of the (possibly overridden) length."""
    scale = timing.duration_s / show.seconds if show.seconds > 0 else 1.0
    rows, start = [], 0.0
    for index, slide in enumerate(show.slides):
        end = start + slide.seconds * scale
        last = index == len(show.slides) - 1
        if last and timing.loops != 0:
            change = "holds to the end"
        else:
            following = show.slides[0 if last else index + 1].tag
            change = f"{_transition_words(show)} to @{following}"
        effects = ", ".join(effect_words(effect) for effect in slide.effects)
        name = f"@{slide.tag} ({effects})" if effects else f"@{slide.tag}"
        rows.append((name, f"{_seconds(start)}-{_seconds(end)} s", change))
        start = end
    return rows


def _transition_words(show: Slideshow) -> str:
    if show.transition is Transition.CUT:
        return "cut"
    side = f" from the {_place(show.direction)}" if show.transition in (Transition.PUSH, Transition.WIPE) else ""
    return f"{show.transition.value}{side} ({_seconds(show.transition_s)} s)"


def _slideshow_line(show: Slideshow, timing: Timing) -> str:
    rows = "; ".join(f"{slide} {when}, {change}" for slide, when, change in slideshow_rows(show, timing))
    fit = "each covering the canvas" if show.cover else "each shown whole (letterboxed)"
    return f"Slideshow of {len(show.slides)} images, {fit}: {rows}"


def timeline_rows(scene: Scene) -> list[dict[str, str]]:
    """The animation as a small table (image, seconds, what happens), for the Compose page; [] for a still."""
    if not scene.animated:
        return []
    rows = []
    if scene.slideshow is not None:
        for slide, when, change in slideshow_rows(scene.slideshow, scene.timing):
            rows.append({"image": slide, "seconds": when, "what": f"slide, then {change}"})
    total = _seconds(scene.timing.duration_s)
    for layer in scene.layers:
        steps = timeline(layer, scene.timing) or [("0", total, _returning(m)) for m in layer.motions]
        steps = steps or [("0", total, "stays")]
        rows += [{"image": layer.name, "seconds": f"{a}-{b} s", "what": what} for a, b, what in steps]
    return rows


def timeline(layer: Layer, timing: Timing) -> list[tuple[str, str, str]]:
    """(start s, end s, what) for a layer whose motions do not all span the whole animation, gaps as holds.

    >>> timeline(Layer("logo", motions=(Motion(MotionKind.FADE_IN, end=0.5),)), Timing(duration_s=2))
    [('0', '1', 'fades in'), ('1', '2', 'holds')]
    """
    if not layer.motions or all((m.start, m.end) == (0.0, 1.0) for m in layer.motions):
        return []
    total = timing.duration_s
    steps: list[tuple[str, str, str]] = []
    at = 0.0
    for motion in sorted(layer.motions, key=lambda m: (m.start, m.end)):
        if motion.start > at + 1e-9:
            steps.append((_seconds(at * total), _seconds(motion.start * total), "waits" if not steps else "holds"))
        steps.append((_seconds(motion.start * total), _seconds(motion.end * total), _returning(motion)))
        at = max(at, motion.end)
    if at < 1.0 - 1e-9:
        steps.append((_seconds(at * total), _seconds(total), "holds"))
    return steps


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value * 10 - round(value * 10)) < 1e-9 else f"{value:.2f}"


def _canvas_line(scene: Scene) -> str:
    canvas = scene.canvas
    cover = next((layer for layer in scene.layers if layer.role is Role.BACKGROUND and layer.opacity >= 1), None)
    backdrop = f"covered by @{cover.tag}" if cover else f"{colour_name(canvas.background)} background"
    if scene.slideshow is not None and not cover:
        backdrop = "covered by the slides"
    parts = [f"Canvas {canvas.width}x{canvas.height}", backdrop]
    if scene.animated:
        timing = scene.timing
        parts.append(f"animation {_number(timing.duration_s)} s at {timing.fps:g} fps ({scene.frame_count} frames)")
        parts.append(_loops(timing, ends_elsewhere(scene.layers)))
    else:
        parts.append("still image")
    return ", ".join(parts)


def _loops(timing: Timing, moved: list[str]) -> str:
    """How the animation repeats; ``moved``: the layers that end elsewhere than they start."""
    names = ", ".join(moved)
    if timing.loops == 0:
        return f"loops forever ({names} jumps back to its start each time)" if moved else "loops seamlessly"
    if timing.loops == 1:
        return f'plays once ({names} ends elsewhere than it starts; say "loop" to repeat)' if moved else "plays once"
    return f"plays {timing.loops} times"


def _place(anchor: Anchor) -> str:
    return anchor.value.replace("-", " ")


def _size(size: float) -> str:
    """A size word only where it is exactly the vocabulary's ("medium" is 35 % everywhere), else the number."""
    word = size_name(size)
    percent = f"{size * 100:.0f} % of the canvas"
    return f"{word} ({percent})" if word else percent


_WEIGHT_WORDS = ((150, "thin"), (350, "light"), (450, "regular"), (650, "semibold"), (800, "bold"), (1000, "heavy"))


def _kept(family: str) -> str | None:
    """A kept font the kit in use does not name (a template saved with another kit): its name inside the
    file, never its ``font:<sha256>`` key."""
    name = kept_family(family) if family.startswith(FONT_PREFIX) else None
    return f"font {name}" if name else None


def _text_head(layer: Layer, scene: Scene, measure: Measure | None) -> str:
    """'"Summer Sale" — top, white, bold sans, 96 px (fits 1 line), outline black'."""
    spec = layer.text
    assert spec is not None
    weight = next(word for limit, word in _WEIGHT_WORDS if spec.weight <= limit)
    family = current().font_words(spec.family) or _kept(spec.family) or spec.family
    face = " ".join(w for w in (weight if weight != "regular" else "", "italic" if spec.italic else "", family) if w)
    if measure is None:
        asked = spec.font_px or round(layer.size * min(scene.canvas.width, scene.canvas.height))
        size, px = f"{asked} px", asked
    else:
        fit = measure(layer, scene.canvas)
        lines = f"{len(fit.lines)} line" + ("s" if len(fit.lines) != 1 else "")
        size, px = f"{fit.font_px} px (fits {lines})", fit.font_px
        if fit.font_px < fit.asked_px:
            size = f"{fit.font_px} px (shrunk from {fit.asked_px} px to fit {lines})"
    parts = [_where(layer, scene) or _place(layer.anchor), colour_name(spec.colour), face, size]
    if spec.align is not TextAlign.CENTER:
        parts.append(f"aligned {spec.align.value}")
    if spec.case is not LetterCase.AS_TYPED:
        parts.append(f"{spec.case.value}case" if spec.case is not LetterCase.TITLE else "title case")
    if spec.outline:
        # only a width that was asked for is shown ("thick outline": "outline black, 12 px")
        width = f", {max(1, round(spec.outline_em * px))} px" if spec.outline_em != TextSpec.outline_em else ""
        parts.append(f"outline {colour_name(spec.outline)}{width}")
    if spec.shadow:
        parts.append(f"shadow {colour_name(spec.shadow)}")
    if spec.banner:
        shape = "rounded " if spec.radius_em > 0 else ""
        parts.append(f"on a {colour_name(spec.banner)} {shape}banner")
    return f'"{quoted(spec.text)}" — ' + ", ".join(parts)


def quoted(text: str, limit: int = 60) -> str:
    """Text as shown in one line of explanation: line breaks as ' / ', long text cut with '…'."""
    return short_text(text, limit)


def _where(layer: Layer, scene: Scene) -> str | None:
    """A region or a place beside another layer, in words (None: the layer is at its anchor)."""
    if layer.region is not None:
        how = "shown whole in" if layer.fit is Fit.CONTAIN else "fills"
        return f"{how if layer.text is None else 'in'} {region_words(layer.region, scene.canvas.size)}"
    if layer.beside is not None:
        relation = layer.beside
        other = next((la for la in scene.layers if la.tag == relation.tag), None)
        name = f'"{quoted(other.text.text)}"' if other is not None and other.text is not None else f"@{relation.tag}"
        return f"{relation.side.value.replace('-', ' ')} {name}, {relation.gap:g} px apart"
    return None


def _layer_line(layer: Layer, scene: Scene, measure: Measure | None = None) -> str:
    if layer.text is not None:
        return _text_line(layer, scene, measure)
    where = _where(layer, scene)
    if layer.region is not None:
        parts = [where]
    elif layer.beside is not None:
        parts = [where, _size(layer.size)]
    elif layer.role is Role.BACKGROUND:
        parts = ["background, " + ("stretched to fill the canvas" if layer.stretch else "covers the canvas")]
    else:
        prefix = "foreground, " if layer.role is Role.FOREGROUND else ""
        parts = [prefix + _place(layer.anchor), _size(layer.size)]
    return f"@{layer.tag} — " + ", ".join(parts + _common(layer, scene))


def _text_line(layer: Layer, scene: Scene, measure: Measure | None) -> str:
    return ", ".join([_text_head(layer, scene, measure), *_common(layer, scene)])


def _common(layer: Layer, scene: Scene) -> list[str]:
    """What image and text layers share: opacity, rotation, margin, motions."""
    parts: list[str] = []
    if layer.opacity < 1:
        parts.append(f"{layer.opacity * 100:.0f} % opacity")
    if layer.rotation:
        turn = "clockwise" if layer.rotation > 0 else "counterclockwise"
        parts.append(f"rotated {abs(layer.rotation):g}° {turn}")
    if layer.role is not Role.BACKGROUND and layer.region is None:
        if layer.margin_px is not None:
            parts.append(f"margin {layer.margin_px:g} px")
        elif layer.margin != Layer.margin:
            parts.append(f"margin {layer.margin * 100:.3g} %")
    parts += _treatments(layer)
    parts += [effect_words(effect) for effect in layer.effects]
    motions = [_motion(m, scene.timing) for m in layer.motions]
    if motions:
        parts.append("; ".join(motions))
    elif scene.animated and not any(effect.fade for effect in layer.effects):
        parts.append("still")
    return parts


_SHARES = {0.5: "half", 0.3333: "third"}


def region_words(region: Region, canvas: tuple[int, int]) -> str:
    """ "the left half", "the left 40 %", or a grid cell's size and place in pixels."""
    left, top, width, height = (round(v, 4) for v in (region.left, region.top, region.width, region.height))
    if region.spaced or region.cell is not None:
        x0, y0, x1, y1 = region.box(canvas)
        return f"a {x1 - x0}x{y1 - y0} px cell at ({x0}, {y0})"
    if height == 1 and top == 0 and (left == 0 or round(left + width, 4) == 1 or round(left * 2 + width, 4) == 1):
        side = "left" if left == 0 else ("right" if round(left + width, 4) == 1 else "middle")
        return f"the {side} {_SHARES.get(width, f'{width * 100:.3g} %')}"
    if width == 1 and left == 0 and (top == 0 or round(top + height, 4) == 1):
        return f"the {'top' if top == 0 else 'bottom'} {_SHARES.get(height, f'{height * 100:.3g} %')}"
    x0, y0, x1, y1 = region.box(canvas)
    return f"a {x1 - x0}x{y1 - y0} px cell at ({x0}, {y0})"


def effect_words(effect: Effect) -> str:
    """An effect in words: "blurred 12 px", "30 % darker", "tinted #0055a4", "dark gradient from the bottom";
    one that changes over the animation says so ("40 % darker by the end", "blurred 12 px at first")."""
    words = _effect_words(effect)
    if effect.fade == "in":
        return f"{words} by the end"
    if effect.fade == "out":
        return f"{words} at first, then clear"
    return words


def _effect_words(effect: Effect) -> str:
    amount = effect.amount
    change = None if amount is None else round(abs(1 - amount) * 100)
    colour = colour_name((*effect.colour[:3], 255)) if effect.colour is not None else ""  # overlays say their %
    match effect.kind:
        case Adjust.BLUR:
            return "blurred" if amount is None else f"blurred {amount:g} px"
        case Adjust.BRIGHTNESS:
            return "brightness changed" if amount is None else f"{change} % {'darker' if amount < 1 else 'lighter'}"
        case Adjust.CONTRAST:
            return "contrast changed" if amount is None else f"{change} % {'less' if amount < 1 else 'more'} contrast"
        case Adjust.SATURATION if amount == 0:
            return "black and white"
        case Adjust.SATURATION:
            return "colour changed" if amount is None else f"{change} % {'less' if amount < 1 else 'more'} colour"
        case Adjust.TINT:
            return f"tinted {colour}"
        case Adjust.GLOW:
            return " ".join(w for w in ("glow", colour or "white", f"{amount:g} px" if amount else "") if w)
        case Adjust.OVERLAY if effect.colour is not None:
            return f"{colour} overlay ({round(effect.colour[3] / 2.55)} %)"
        case Adjust.DUOTONE:
            second = colour_name((*effect.colour2[:3], 255)) if effect.colour2 is not None else ""
            return f"duotone {colour} and {second}"
        case Adjust.SCRIM:
            return f"{colour or 'dark'} gradient from the {effect.side or 'bottom'}"
    return {Adjust.SHARPEN: "sharpened", Adjust.SEPIA: "sepia", Adjust.INVERT: "inverted"}.get(
        effect.kind, effect.kind.value
    )


def _treatments(layer: Layer) -> list[str]:
    """Clean-up, crop, shape, border and shadow, in the order the renderer applies them."""
    parts: list[str] = []
    if layer.knockout is not None:
        k = layer.knockout
        colour = "border-coloured" if k.colour is None else colour_name((*k.colour, 255))
        plain = "plain" if k.colour is None else colour
        parts.append(f"every {colour} pixel made transparent" if k.everywhere else f"{plain} background removed")
    if layer.focus is not None:
        parts.append(f"crop keeps {_focus_words(layer.focus)}")
    if layer.shape is Shape.CIRCLE:
        parts.append("cut to a circle")
    elif layer.shape is Shape.ROUNDED:
        parts.append("rounded corners")
    if layer.border is not None:
        parts.append(f"{layer.border.width:g} px {colour_name(layer.border.colour)} border")
    if layer.shadow is not None:
        sh = layer.shadow
        parts.append(f"shadow {sh.dx:g} px right, {sh.dy:g} px down, {sh.blur:g} px blur")
    return parts


def _focus_words(focus: tuple[float, float]) -> str:
    x, y = focus
    horizontal = {0.0: "left", 1.0: "right"}.get(x, "")
    vertical = {0.0: "top", 1.0: "bottom"}.get(y, "")
    return "the " + (f"{vertical} {horizontal}".strip() or "centre")


class ScalingFacts(Protocol):
    """What :func:`scaling_lines` needs about one layer (the renderer's ``ScalingNote`` has it)."""

    tag: str
    source: tuple[int, int]
    enlarged: float
    cropped: float
    aspect: float
    soft: bool
    heavy_crop: bool
    aspect_differs: bool


def scaling_lines(notes: Iterable[ScalingFacts], *, canvas_said: bool) -> list[str]:
    """Honest words about scaling: soft enlargements, big crops, and (when the prompt gave no size) a canvas
    of the background's shape: "@BG is 600x400 and is enlarged 2.7x — it will look soft."
    """
    lines: list[str] = []
    for note in notes:
        w, h = note.source
        if note.soft:
            lines.append(f"@{note.tag} is {w}x{h} and is enlarged {note.enlarged:.1f}x — it will look soft.")
        if note.heavy_crop:
            lines.append(f"@{note.tag} is cropped to fill its area: {note.cropped:.0%} of it is cut away.")
        if note.aspect_differs and not canvas_said:
            own = _own_shape(note.aspect)
            preset = _closest_preset(note.aspect)
            offer = f'"{own[0]}x{own[1]}"' + (f' or "{preset[0]}" ({preset[1][0]}x{preset[1][1]})' if preset else "")
            lines.append(
                f"@{note.tag} is {w}x{h}, not square like the default canvas — say {offer} to match its shape."
            )
    return lines


def _own_shape(aspect: float, side: int = 1080) -> tuple[int, int]:
    """A canvas of ``aspect`` whose shorter side is ``side`` px."""
    return (round(side * aspect), side) if aspect >= 1 else (side, round(side / aspect))


def _closest_preset(aspect: float) -> tuple[str, tuple[int, int]] | None:
    presets = [
        (entry.words[0], entry.value.size)
        for entry in entries("canvas")
        if isinstance(entry.value, CanvasMeaning) and entry.value.size is not None
    ]
    if not presets:
        return None
    return min(presets, key=lambda p: abs(p[1][0] / p[1][1] - aspect) / aspect)


def _returning(motion: Motion) -> str:
    """The motion's sentence and how it comes back, if it does ("then back", "and in again …")."""
    return motion_sentence(motion) + _comes_back(motion)


def _comes_back(motion: Motion) -> str:
    if motion.wrap:
        return " and in again from the other side"
    return " then back" if motion.pingpong else ""


def _motion(motion: Motion, timing: Timing) -> str:
    text = motion_sentence(motion)
    if motion.repeats != 1:
        text += f" {motion.repeats:g} times"
    text += _comes_back(motion)
    start, end = motion.start * timing.duration_s, motion.end * timing.duration_s
    if (motion.start, motion.end) == (0.0, 1.0):
        text += f" over {_number(timing.duration_s)} s"
    else:
        text += f" from {_number(start)} s to {_number(end)} s"
    return f"{text}, {motion.easing.value}"


def motion_sentence(motion: Motion) -> str:
    """The vocabulary's sentence for ``motion``'s kind, its {path}/{turns}/{sense} filled in.

    A kind with no sentence in the vocabulary is named as it is, never described as another kind.
    """
    try:
        sentence = motion_meaning(MotionKind(motion.kind)).sentence
    except (KeyError, ValueError):
        return f'moves ("{motion.kind}", a motion this version cannot describe)'
    turns = motion.amount if motion.amount is not None else 1.0
    return sentence.format(
        path=_path(motion),
        turns="" if turns == 1 else f" {turns * 360:g}°",
        sense="clockwise" if motion.clockwise else "counterclockwise",
    )


def _path(motion: Motion) -> str:
    start = _place(motion.from_anchor) if motion.from_anchor else "its place"
    end = _place(motion.to_anchor) if motion.to_anchor else "its place"
    start += " (from off the canvas)" if motion.enters else ""
    end += " (then off the canvas)" if motion.exits else ""
    return f"{start} -> {end}"

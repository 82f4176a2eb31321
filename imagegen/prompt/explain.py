"""Say in plain words what a Scene will draw: one line for the canvas, then one per layer.

>>> describe_scene(Scene(layers=(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.2),)))[1]
'@logo — top right, small (20 % of the canvas)'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from imagegen.prompt.colours import colour_name
from imagegen.prompt.meanings import CanvasMeaning
from imagegen.prompt.vocabulary import entries, motion_meaning
from imagegen.scene import Anchor, Fit, Layer, Motion, MotionKind, Region, Role, Scene, Shape, Timing


def describe_scene(scene: Scene) -> list[str]:
    """Human lines: the canvas first ("Canvas 1080x1080, white background, still image"), then layers
    in drawing order ("@logo — top right, small (20 % of the canvas), spins clockwise over 2 s, linear")."""
    return [_canvas_line(scene), *(_layer_line(layer, scene) for layer in scene.layers)]


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value * 10 - round(value * 10)) < 1e-9 else f"{value:.2f}"


def _canvas_line(scene: Scene) -> str:
    canvas = scene.canvas
    cover = next((layer for layer in scene.layers if layer.role is Role.BACKGROUND and layer.opacity >= 1), None)
    backdrop = f"covered by @{cover.tag}" if cover else f"{colour_name(canvas.background)} background"
    parts = [f"Canvas {canvas.width}x{canvas.height}", backdrop]
    if scene.animated:
        timing = scene.timing
        parts.append(f"animation {_number(timing.duration_s)} s at {timing.fps:g} fps ({scene.frame_count} frames)")
        parts.append(_loops(timing))
    else:
        parts.append("still image")
    return ", ".join(parts)


def _loops(timing: Timing) -> str:
    if timing.loops == 0:
        return "loops forever"
    if timing.loops == 1:
        return "plays once"
    return f"plays {timing.loops} times"


def _place(anchor: Anchor) -> str:
    return anchor.value.replace("-", " ")


def _size(size: float) -> str:
    """A size word only where it is exactly the vocabulary's ("medium" is 35 % everywhere), else the number."""
    word = next(
        (e.key for e in entries("size") if e.value.fraction is not None and abs(e.value.fraction - size) < 1e-9), None
    )
    percent = f"{size * 100:.0f} % of the canvas"
    return f"{word} ({percent})" if word else percent


def _layer_line(layer: Layer, scene: Scene) -> str:
    if layer.region is not None:
        how = "shown whole in" if layer.fit is Fit.CONTAIN else "fills"
        parts = [f"{how} {region_words(layer.region, scene.canvas.size)}"]
    elif layer.beside is not None:
        relation = layer.beside
        side = relation.side.value.replace("-", " ")
        parts = [f"{side} @{relation.tag}, {relation.gap:g} px apart", _size(layer.size)]
    elif layer.role is Role.BACKGROUND:
        parts = ["background, " + ("stretched to fill the canvas" if layer.stretch else "covers the canvas")]
    else:
        prefix = "foreground, " if layer.role is Role.FOREGROUND else ""
        parts = [prefix + _place(layer.anchor), _size(layer.size)]
    if layer.opacity < 1:
        parts.append(f"{layer.opacity * 100:.0f} % opacity")
    if layer.rotation:
        turn = "clockwise" if layer.rotation > 0 else "counterclockwise"
        parts.append(f"rotated {abs(layer.rotation):g}° {turn}")
    if layer.margin != Layer.margin and layer.role is not Role.BACKGROUND and layer.region is None:
        parts.append(f"margin {layer.margin * 100:.3g} %")
    parts += _treatments(layer)
    motions = [_motion(m, scene.timing) for m in layer.motions]
    if motions:
        parts.append("; ".join(motions))
    elif scene.animated:
        parts.append("still")
    return f"@{layer.tag} — " + ", ".join(parts)


_SHARES = {0.5: "half", 0.3333: "third"}


def region_words(region: Region, canvas: tuple[int, int]) -> str:
    """ "the left half", "the left 40 %", or a grid cell's size and place in pixels."""
    left, top, width, height = (round(v, 4) for v in (region.left, region.top, region.width, region.height))
    if height == 1 and top == 0 and (left == 0 or round(left + width, 4) == 1 or round(left * 2 + width, 4) == 1):
        side = "left" if left == 0 else ("right" if round(left + width, 4) == 1 else "middle")
        return f"the {side} {_SHARES.get(width, f'{width * 100:.3g} %')}"
    if width == 1 and left == 0 and (top == 0 or round(top + height, 4) == 1):
        return f"the {'top' if top == 0 else 'bottom'} {_SHARES.get(height, f'{height * 100:.3g} %')}"
    x0, y0, x1, y1 = region.box(canvas)
    return f"a {x1 - x0}x{y1 - y0} px cell at ({x0}, {y0})"


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


def _motion(motion: Motion, timing: Timing) -> str:
    text = motion_sentence(motion)
    if motion.repeats != 1:
        text += f" {motion.repeats:g} times"
    if motion.pingpong:
        text += " then back"
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

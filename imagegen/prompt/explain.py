"""Say in plain words what a Scene will draw: one line for the canvas, then one per layer.

>>> describe_scene(Scene(layers=(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.2),)))[1]
'@logo — top right, small (20 % of the canvas)'
"""

from __future__ import annotations

from imagegen.prompt.colours import colour_name
from imagegen.prompt.vocabulary import motion_meaning
from imagegen.scene import Anchor, Layer, Motion, MotionKind, Role, Scene, Timing

_SIZE_WORDS = ((0.12, "tiny"), (0.27, "small"), (0.5, "medium"), (0.75, "large"), (float("inf"), "huge"))


def describe_scene(scene: Scene) -> list[str]:
    """Human lines: the canvas first ("Canvas 1080x1080, white background, still image"), then layers
    in drawing order ("@logo — top right, small (20 % of the canvas), spins clockwise over 2 s, linear")."""
    return [_canvas_line(scene), *(_layer_line(layer, scene) for layer in scene.layers)]


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value * 10 - round(value * 10)) < 1e-9 else f"{value:.2f}"


def _canvas_line(scene: Scene) -> str:
    canvas = scene.canvas
    parts = [f"Canvas {canvas.width}x{canvas.height}", f"{colour_name(canvas.background)} background"]
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
    word = next(name for limit, name in _SIZE_WORDS if size <= limit)
    return f"{word} ({size * 100:.0f} % of the canvas)"


def _layer_line(layer: Layer, scene: Scene) -> str:
    if layer.role is Role.BACKGROUND:
        parts = ["background, " + ("stretched to fill the canvas" if layer.stretch else "covers the canvas")]
    else:
        prefix = "foreground, " if layer.role is Role.FOREGROUND else ""
        parts = [prefix + _place(layer.anchor), _size(layer.size)]
    if layer.opacity < 1:
        parts.append(f"{layer.opacity * 100:.0f} % opacity")
    if layer.rotation:
        turn = "clockwise" if layer.rotation > 0 else "counterclockwise"
        parts.append(f"rotated {abs(layer.rotation):g}° {turn}")
    if layer.margin != Layer.margin and layer.role is not Role.BACKGROUND:
        parts.append(f"margin {layer.margin * 100:g} %")
    motions = [_motion(m, scene.timing) for m in layer.motions]
    if motions:
        parts.append("; ".join(motions))
    elif scene.animated:
        parts.append("still")
    return f"@{layer.tag} — " + ", ".join(parts)


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

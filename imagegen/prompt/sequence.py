"""Time as the prompt says it: slideshows (which images are slides, how long each shows, how they
change) and loops (an animation either loops seamlessly or says what it does instead)."""

from __future__ import annotations

from dataclasses import replace

from imagegen.errors import LimitError
from imagegen.limits import Limits, check_slides
from imagegen.prompt.facts import GlobalFacts
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import motion_meaning
from imagegen.scene import Anchor, Effect, Fit, Layer, Motion, MotionKind, Role, Slide, Slideshow, Transition

DEFAULT_SLIDE_S = 2.0
"""How long a slide shows when the prompt says nothing."""
DEFAULT_TRANSITION_S = 0.5
FADE_IN_END = 0.3
"""A looping fade-in is fully in by this fraction of the animation, and fades out from FADE_OUT_START."""
FADE_OUT_START = 0.8


def slide_candidates(states) -> list[str]:
    """Tags that can be slides: not placed, sized or moved ("@logo at the top right" stays a layer)."""
    return [
        s.tag
        for s in sorted(states, key=lambda s: s.order)
        if s.anchor is None and s.size is None and s.role in (None, Role.BACKGROUND) and not s.motions
    ]


def make_slideshow(states, g: GlobalFacts, chained: bool, notes: Notes, limits: Limits) -> Slideshow | None:
    """The slideshow the prompt asks for, or None (reporting slideshow words that had nothing to show).

    :param chained: the prompt chains images with "then" (so "show @a then @b" is a slideshow).
    :raise LimitError: too many slides, or a slide time of 0 s or less.
    """
    said = g.slideshow or (g.show_word if chained else "")
    tags = slide_candidates(states) if said else []
    if len(tags) < 2:
        _unused_words(g, notes, bool(said))
        if said and len(tags) == 1:
            notes.add(f"A slideshow needs two or more images — @{tags[0]} is shown alone, as a still.", said)
            next(s for s in states if s.tag == tags[0]).role = Role.BACKGROUND
        return None
    check_slides(len(tags), limits)
    seconds = _slide_seconds(tags, g)
    for tag, value in zip(tags, seconds, strict=True):
        if value <= 0:
            raise LimitError(
                f'@{tag} would show for {value:g} s — a slide must show for more than 0 s, e.g. "2 seconds each".'
            )
    transition = g.transition or Transition.CROSSFADE
    return Slideshow(
        slides=tuple(
            Slide(tag, value, _slide_effects(next(s for s in states if s.tag == tag), notes))
            for tag, value in zip(tags, seconds, strict=True)
        ),
        transition=transition,
        direction=g.transition_side or Anchor.RIGHT,
        transition_s=0.0 if transition is Transition.CUT else DEFAULT_TRANSITION_S,
        cover=not any(s.layout.fit is Fit.CONTAIN for s in states if s.tag in tags),  # "uncropped"
    )


def _slide_seconds(tags: list[str], g: GlobalFacts) -> list[float]:
    """Per slide: its own "@b for 4 seconds", else "N seconds each", else a share of a total, else 2 s.

    A time said only right after the last slide ("… @b and @c for 6 seconds") is the whole show's.
    """
    own = {tag: seconds for tag, seconds, _ in g.durations if tag in tags}
    total = next((seconds for tag, seconds, _ in reversed(g.durations) if tag not in tags), None)
    if set(own) == {tags[-1]} and g.slide_seconds is None:
        total, own = own[tags[-1]], {}
    if g.slide_seconds is not None:
        return [own.get(tag, g.slide_seconds) for tag in tags]
    if total is not None:
        rest = [tag for tag in tags if tag not in own]
        share = (total - sum(own.values())) / len(rest) if rest else 0.0
        return [own.get(tag, share) for tag in tags]
    return [own.get(tag, DEFAULT_SLIDE_S) for tag in tags]


def _unused_words(g: GlobalFacts, notes: Notes, said: bool) -> None:
    for words in (g.transition_text, g.slide_seconds_text):
        if words:
            why = "there is only one image to show" if said else "there is no slideshow here"
            notes.add(f'"{words}" is about changing slides, but {why} — it was ignored.', words)


def _slide_effects(state, notes: Notes) -> tuple[Effect, ...]:
    """A slide's effects as said; one that changes over time is a layer's, not a slide's: said, and left out."""
    changing = [effect for effect in state.effects if effect.fade]
    if changing:
        notes.add(
            f"@{state.tag} is a slide: its effects are drawn as they end, not changing over time "
            "(make it a background instead of a slide for that).",
            f"@{state.tag}",
        )
    return tuple(replace(effect, fade=None) for effect in state.effects)


def returns(motion: Motion) -> bool:
    """Does the motion end looking as it started (so a loop does not jump)?"""
    if motion.pingpong or motion_meaning(motion.kind).returns:
        return True
    if motion.kind is MotionKind.SPIN:
        turns = (1.0 if motion.amount is None else motion.amount) * motion.repeats
        return abs(turns - round(turns)) < 1e-9
    if motion.kind is MotionKind.SLIDE:
        return motion.enters and motion.exits  # off the canvas at both ends: it leaves and comes round again
    return False


def layer_returns(layer: Layer) -> bool:
    """Does the layer end looking as it started? (A fade in and a fade out: invisible at both ends.)"""
    ending = {m.kind for m in layer.motions if not returns(m)}
    return not ending or ending == {MotionKind.FADE_IN, MotionKind.FADE_OUT}


def settle_loop(layers: tuple[Layer, ...], loops: int | None, notes: Notes) -> tuple[tuple[Layer, ...], int]:
    """Loop seamlessly, or play once; never jump back silently.

    Without loop words, an animation in which something ends elsewhere than it starts plays once
    (``explain`` says why). With "loop", a layer that only fades in holds and fades out at the end
    (seamless); anything else that ends elsewhere is reported: each loop jumps back.
    ``loops`` None: the prompt said nothing about looping.
    """
    if loops not in (None, 0):
        return layers, loops
    settled, jumping = [], []
    for layer in layers:
        ending = [] if layer_returns(layer) else [m for m in layer.motions if not returns(m)]
        if ending and loops == 0 and all(m.kind is MotionKind.FADE_IN for m in ending):
            faded = _fade_back_out(layer, notes)
            if faded is not layer:
                settled.append(faded)
                continue
        if ending:
            jumping.append(layer.name)
        settled.append(layer)
    if not jumping:
        return tuple(settled), 0
    if loops is None:
        return tuple(settled), 1
    names = ", ".join(jumping)
    notes.add(
        f"{names} ends somewhere else than it starts, so each loop jumps back to the start — "
        'add "and back" for a seamless loop.',
        jumping[0],
    )
    return tuple(settled), 0


def ends_elsewhere(layers: tuple[Layer, ...]) -> list[str]:
    """Names (``@logo``, a text's words) of layers whose motions do not come back to how they started."""
    return [layer.name for layer in layers if not layer_returns(layer)]


def _fade_back_out(layer: Layer, notes: Notes) -> Layer:
    motions = []
    for m in layer.motions:
        if m.kind is MotionKind.FADE_IN and not m.pingpong and (m.start, m.end) == (0.0, 1.0):
            motions.append(replace(m, end=FADE_IN_END))
            motions.append(replace(m, kind=MotionKind.FADE_OUT, start=FADE_OUT_START, end=1.0))
        else:
            motions.append(m)
    if len(motions) == len(layer.motions):
        return layer
    notes.add(
        f"{layer.name} fades in, holds, and fades out at the end so the loop does not jump — "
        'leave out "loop" to keep it on screen (it then plays once).',
        layer.name,
    )
    return replace(layer, motions=tuple(motions))

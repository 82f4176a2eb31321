"""Time as the prompt says it: slideshows (which images are slides, how long each shows, how they
change) and loops (an animation either loops seamlessly or says what it does instead)."""

from __future__ import annotations

from dataclasses import replace

from imagegen.errors import LimitError
from imagegen.limits import Limits, check_slides, check_timing
from imagegen.prompt.facts import GlobalFacts
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import motion_meaning
from imagegen.scene import Anchor, Effect, Fit, Layer, Motion, MotionKind, Role, Slide, Slideshow, Timing, Transition

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
    if motion.pingpong or motion.wrap or motion_meaning(motion.kind).returns:
        return True
    if motion.kind is MotionKind.SPIN:
        turns = (1.0 if motion.amount is None else motion.amount) * motion.repeats
        return abs(turns - round(turns)) < 1e-9
    if motion.kind is MotionKind.SLIDE:
        return motion.enters and motion.exits  # off the canvas at both ends: it leaves and comes round again
    return False


def _appears(motion: Motion) -> bool:
    """Starts unseen and ends seen: a fade-in, a pop-in, a slide in from off the canvas."""
    if motion.kind is MotionKind.SLIDE:
        return motion.enters and not motion.exits
    return motion.kind in (MotionKind.FADE_IN, MotionKind.POP_IN)


def _leaves(motion: Motion) -> bool:
    """Starts seen and ends unseen: a fade-out, a slide off the canvas."""
    if motion.kind is MotionKind.SLIDE:
        return motion.exits and not motion.enters
    return motion.kind is MotionKind.FADE_OUT


def layer_returns(layer: Layer) -> bool:
    """Does the layer end looking as it started? (Unseen at both ends counts: it appears and leaves.)"""
    ending = [m for m in layer.motions if not returns(m)]
    return not ending or (any(_appears(m) for m in ending) and any(_leaves(m) for m in ending))


def settle_loop(
    layers: tuple[Layer, ...], loops: int | None, notes: Notes, *, once: bool = False
) -> tuple[tuple[Layer, ...], int]:
    """Loop seamlessly unless the prompt says otherwise; never jump back silently.

    A seamless loop is the default (``loops`` None: nothing said) and what "loop" / "seamlessly" ask for:
    GIFs loop in chat apps and ad slots, where one that stops looks frozen and one that jumps looks broken.
    Each motion that ends elsewhere than it starts is made to come back (:func:`_seamless`) and a quiet
    note says how. Where that cannot be done (something appears with nothing moving after it, or too late
    to leave), the default plays once (``explain`` says why) and a said loop jumps back, with a warning. "play once" and
    "N times" are kept as said, motions untouched; so is a motion said to happen ``once`` ("slides to the
    right once"): if anything ends elsewhere, the animation plays once.
    """
    if loops not in (None, 0):
        return layers, loops
    if loops is None and once and ends_elsewhere(layers):
        return layers, 1
    settled, jumping, said = [], [], []
    last = max((m.end for layer in layers for m in layer.motions), default=0.0)
    for layer in layers:
        seamless, how = _seamless(layer, last)
        if seamless is None:
            jumping.append(layer.name)
            seamless = layer
        settled.append(seamless)
        said += [(layer.name, message) for message in how]
    if jumping and loops is None:
        return layers, 1
    for name, message in said:
        notes.add(message, name, quiet=True)
    if jumping:
        notes.add(
            f"{', '.join(jumping)} ends somewhere else than it starts, so each loop jumps back to the start — "
            'end it as it started (e.g. "then fades out") for a seamless loop, or say "play once".',
            jumping[0],
        )
    return tuple(settled), 0


def keep_said_speed(
    layers: tuple[Layer, ...], g: GlobalFacts, duration_s: float, notes: Notes, limits: Limits
) -> tuple[tuple[Layer, ...], float]:
    """A loop made seamless keeps the speed the prompt said: the layers and how much longer the animation grows.

    "fades in over 3 seconds" said the fade's time; squeezing it into a third of the loop to fade back out
    would misread it. So when the length was said, every motion spans it, and something ends elsewhere in
    a way only a return can mend (not a slide off the canvas, which wraps at its own speed), the animation
    grows to twice the length: what appears does so in the time said, holds, and leaves; anything else
    that ends elsewhere goes there and back; what already returns repeats twice. A length the limits
    refuse when doubled keeps the squeeze (said by :func:`settle_loop`'s note). (layers, 1.0) when
    nothing changes.
    """
    if g.duration is None or g.loops not in (None, 0) or g.once:
        return layers, 1.0
    motions = [m for layer in layers for m in layer.motions]
    if not motions or any((m.start, m.end) != (0.0, 1.0) for m in motions):
        return layers, 1.0  # steps and timed motions keep their windows; settle_loop mends them
    ending = [layer for layer in layers if any(_needs_return(m) for m in layer.motions)]
    if not ending:
        return layers, 1.0
    try:
        check_timing(2 * duration_s, g.fps if g.fps is not None else Timing.fps, limits)
    except LimitError:
        return layers, 1.0
    doubled = []
    for layer in layers:
        layer_doubled, how = _doubled(layer, duration_s)
        doubled.append(layer_doubled)
        if how:
            notes.add(
                f"{layer.name} {'; '.join(dict.fromkeys(how))} ({2 * duration_s:g} s in all), so the loop does not "
                'jump — say "play once" to stop at the end instead.',
                layer.name,
                quiet=True,
            )
    return tuple(doubled), 2.0


def _needs_return(motion: Motion) -> bool:
    return not returns(motion) and not (motion.kind is MotionKind.SLIDE and motion.exits)


def _doubled(layer: Layer, said_s: float) -> tuple[Layer, list[str]]:
    """``layer``'s motions over an animation twice as long, at the speed said, ending as they started; how."""
    motions: list[Motion] = []
    how: list[str] = []
    for m in layer.motions:
        if returns(m):
            motions.append(replace(m, repeats=m.repeats * 2))  # what comes back on its own keeps its pace
        elif _appears(m) and m.repeats == 1 and _comes_to_rest(m, layer):
            motions += _in_hold_out(m, layer, in_by=0.5)  # in as said (half of twice the length), holds, leaves
            how.append(f"{_APPEAR_WORDS[m.kind]} in over the {said_s:g} s said, holds, and {_leave_words(m, layer)}")
        else:
            motions.append(replace(m, pingpong=True))
            how.append(f"goes there and back at the speed said, {said_s:g} s each way")
    return replace(layer, motions=tuple(motions)), how


def ends_elsewhere(layers: tuple[Layer, ...]) -> list[str]:
    """Names (``@logo``, a text's words) of layers whose motions do not come back to how they started."""
    return [layer.name for layer in layers if not layer_returns(layer)]


def _seamless(layer: Layer, last: float) -> tuple[Layer | None, list[str]]:
    """``layer`` with every motion that ends elsewhere made to come back, and a note saying how (if it did).

    * a fade-in or pop-in over the whole animation is in by 30 %, holds, and fades out from 80 %;
    * a slide in from off the canvas to its place slides on out of the opposite edge from 80 %;
    * one that is a step of a sequence ("fades in, then @product spins") is kept, and leaves the same way
      from 80 % while a later step plays (``last``: when the scene's last motion ends);
    * a slide off the canvas wraps: it comes back in from the opposite edge to where it started;
    * anything else that stays on the canvas goes there and back (ping-pong) in its own time.

    (None, []) when something appears and nothing moves after it ("fades in for 1 s, then holds for 2 s": the
    hold is as said) or it appears too late to leave in time: no loop of it can be seamless.
    """
    if layer_returns(layer):
        return layer, []
    motions: list[Motion] = []
    outs: list[Motion] = []  # how what a step of a sequence brought in leaves, after the layer's own motions
    how: list[str] = []
    instead = "stop at the end instead"
    for m in layer.motions:
        whole = (m.start, m.end) == (0.0, 1.0)
        if returns(m):
            motions.append(m)
        elif _appears(m) and whole and m.repeats == 1 and _comes_to_rest(m, layer):
            motions += _in_hold_out(m, layer)
            how.append(f"{_APPEAR_WORDS[m.kind]} in, holds, and {_leave_words(m, layer)} at the end")
            instead = "keep it on screen"
        elif _appears(m) and not whole:
            if not (m.end <= FADE_OUT_START < last and _comes_to_rest(m, layer)):
                return None, []  # going back would hide it during the steps after it
            motions.append(m)
            outs.append(_out(m, layer))
            how.append(f"{_APPEAR_WORDS[m.kind]} in and {_leave_words(m, layer)} at the end")
            instead = "keep it on screen"
        elif m.kind is MotionKind.SLIDE and m.exits:
            motions.append(replace(m, wrap=True))
            how.append("leaves the canvas and comes back in from the other side")
            instead = "stop off the canvas"
        else:
            motions.append(replace(m, pingpong=True))
            how.append("goes there and back")
    said = f"{layer.name} " + "; ".join(dict.fromkeys(how))
    return replace(layer, motions=(*motions, *outs)), [
        f'{said}, so the loop does not jump — say "play once" to {instead}.'
    ]


_APPEAR_WORDS = {MotionKind.FADE_IN: "fades", MotionKind.POP_IN: "pops", MotionKind.SLIDE: "slides"}
_OPPOSITE = {
    Anchor.LEFT: Anchor.RIGHT,
    Anchor.RIGHT: Anchor.LEFT,
    Anchor.TOP: Anchor.BOTTOM,
    Anchor.BOTTOM: Anchor.TOP,
    Anchor.TOP_LEFT: Anchor.BOTTOM_RIGHT,
    Anchor.TOP_RIGHT: Anchor.BOTTOM_LEFT,
    Anchor.BOTTOM_LEFT: Anchor.TOP_RIGHT,
    Anchor.BOTTOM_RIGHT: Anchor.TOP_LEFT,
    Anchor.CENTER: Anchor.RIGHT,  # a slide "in" from the centre comes from the left (reading order)
}


def _comes_to_rest(m: Motion, layer: Layer) -> bool:
    """A slide in ends at the layer's own place (so a slide out can follow it); fades and pops always do."""
    return m.kind is not MotionKind.SLIDE or m.to_anchor in (None, layer.anchor)


def _entry_edge(m: Motion, layer: Layer) -> Anchor:
    return m.from_anchor or layer.anchor


def _leave_words(m: Motion, layer: Layer) -> str:
    if m.kind is MotionKind.SLIDE:
        return f"slides out to the {_OPPOSITE[_entry_edge(m, layer)].value.replace('-', ' ')}"
    return "fades out"


def _in_hold_out(m: Motion, layer: Layer, in_by: float = FADE_IN_END) -> list[Motion]:
    """In by ``in_by``, then out from FADE_OUT_START."""
    return [replace(m, end=in_by), _out(m, layer)]


def _out(m: Motion, layer: Layer) -> Motion:
    """How what ``m`` brought in leaves from FADE_OUT_START: a fade-in or pop-in fades out, a slide in slides on out."""
    if m.kind is MotionKind.SLIDE:
        edge = _OPPOSITE[_entry_edge(m, layer)]
        return Motion(MotionKind.SLIDE, m.easing, to_anchor=edge, exits=True, start=FADE_OUT_START)
    return Motion(MotionKind.FADE_OUT, m.easing, start=FADE_OUT_START)

"""The timeline: each "then" step's window, motions said to start "at N s", the animation's length and
frame rate (a still says which timing words it ignored).
"""

from __future__ import annotations

import math

from imagegen.errors import PromptError
from imagegen.limits import check_timing
from imagegen.prompt.facts import MotionDraft
from imagegen.prompt.said import Said
from imagegen.scene import STILL_TIMING, Timing

DEFAULT_STEP_S = 1.0
"""How long a motion said to start "at N s" takes when no "for N seconds" says."""


def step_windows(so_far: Said) -> dict[int, tuple[float, float]]:
    """Each "then" step's window; steps with their own seconds set the animation's length (their sum)."""
    steps = sorted({d.phase for s in so_far.states.values() for d in s.motions if d.at_s is None})
    said = {p: v for p, v in so_far.step_seconds.items() if v > 0}
    steps = sorted(set(steps) | set(said))
    if len(steps) < 2 or not said or not any(d.at_s is None for s in so_far.states.values() for d in s.motions):
        return _phase_windows(so_far.states.values())
    lengths = [said.get(p, DEFAULT_STEP_S) for p in steps]
    total = sum(lengths)
    so_far.g.duration = total  # the steps' seconds add up to the whole
    windows, start = {}, 0.0
    for step, length in zip(steps, lengths, strict=True):
        windows[step] = (start / total, (start + length) / total)
        start += length
    return windows


def timed_length(so_far: Said) -> float:
    """The animation's length in seconds, grown to fit motions said to start "at N s" when it is unsaid.

    :raise PromptError: a motion starts or ends after the end of an animation whose length was said.
    """
    g = so_far.g
    said = g.duration
    total = said if said is not None else Timing.duration_s * (g.speed or 1.0)
    timed = [d for s in so_far.states.values() for d in s.motions if d.at_s is not None]
    for draft in timed:
        end = draft.at_s + (draft.for_s if draft.for_s is not None else DEFAULT_STEP_S)
        if draft.at_s < 0 or (draft.for_s is not None and draft.for_s <= 0):
            raise PromptError(f'"{draft.at_text}" must be a time from 0 s on, with a length above 0 s.')
        if said is not None and (draft.at_s >= said or (draft.for_s is not None and end > said + 1e-9)):
            raise PromptError(
                f'"{draft.at_text}" runs to {end:g} s, after the end of the {said:g} s animation — '
                f'start it earlier, or make the animation longer (e.g. "over {math.ceil(end)} seconds").'
            )
        total = max(total, end if said is None else total)
    if timed and said is None:
        g.duration = total  # grown to fit ("at 5 s" in a 2 s animation makes it 6 s; explain shows it)
    return total


def timing_of(so_far: Said, animated: bool, slideshow_s: float | None = None) -> Timing:
    g = so_far.g
    if not animated:
        said = [*g.timing_words, *([g.speed_text] if g.speed_text else [])]
        if said:
            words = ", ".join(f'"{w}"' for w in said)
            so_far.notes.add(f"Nothing moves, so {words} is ignored — this makes a still image.", said[0])
        return STILL_TIMING
    duration = g.duration if g.duration is not None else Timing.duration_s * (g.speed or 1.0)
    if slideshow_s is not None:  # the slides' own times make the length (their words were read there)
        duration = slideshow_s
    fps = g.fps if g.fps is not None else Timing.fps
    check_timing(duration, fps, so_far.limits)
    return Timing(duration_s=duration, fps=fps, loops=g.loops if g.loops is not None else Timing.loops)


def window(draft: MotionDraft, windows: dict[int, tuple[float, float]], total: float) -> tuple[float, float]:
    """The draft's (start, end) fractions: from its "at N s" when said, else from its "then" step."""
    if draft.at_s is None:
        return windows[draft.phase]
    length = draft.for_s if draft.for_s is not None else min(DEFAULT_STEP_S, total - draft.at_s)
    return draft.at_s / total, min(1.0, (draft.at_s + length) / total)


def _phase_windows(states) -> dict[int, tuple[float, float]]:
    """Each "then" step gets an equal share of the timeline; without steps every motion spans it all."""
    phases = sorted({d.phase for s in states for d in s.motions if d.at_s is None})
    if len(phases) <= 1:
        return {p: (0.0, 1.0) for p in phases}
    n = len(phases)
    return {p: (i / n, (i + 1) / n) for i, p in enumerate(phases)}

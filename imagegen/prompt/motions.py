"""Build one segment's motion drafts from its motion verbs, paths ("from A to B"), angles and modifiers.

Paths that always mean movement ("from the left to the right", "in from the top", "across") make a slide
even without a verb; "to the right" alone places the image there ("Move @logo to the top right"), and
"from the left" beside another motion ("zooms in from the left") is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Callable

from imagegen.prompt.facts import LayerFacts, MotionDraft, MotionWords
from imagegen.prompt.meanings import PathMeaning
from imagegen.prompt.phrases import Item, Match
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import entry, motion_meaning
from imagegen.scene import Motion, MotionKind


def assemble(facts: LayerFacts, words: MotionWords, notes: Notes, said: Callable[[Item], str]) -> None:
    """Combine motion verbs, paths, angles and modifiers of one segment into ``facts.motions``."""
    paths = sorted(words.paths, key=lambda m: m.key != "across")
    drafts = facts.motions
    keys = {m.key for m in paths}
    strong = any(_path_of(m).strong for m in paths)  # "to the right" or "up" alone only shape a said motion
    if not drafts and not strong and keys and keys <= {"to"}:
        # "Move @logo to the top right" / "put @logo to the right": a placement, not a motion.
        facts.anchors.extend((m.positions[0].entry.value, said(m)) for m in paths)
        paths, keys, words.move_verb = [], set(), False
    slide = next((d for d in drafts if d.kind in (MotionKind.SLIDE, MotionKind.PAN)), None)
    wants_slide = strong or words.move_verb or (not drafts and keys & {"from", "up", "down", "up-and-down"})
    if slide is None and wants_slide:
        slide = MotionDraft(Motion(MotionKind.SLIDE, motion_meaning(MotionKind.SLIDE).easing))
        facts.path_only = not drafts and not words.move_verb
        drafts.append(slide)
    for m in paths:
        if slide is not None:
            _apply_path(slide, m)
        elif m.key in ("from", "to"):
            words_said = said(m)
            notes.add(
                f'"{words_said}" was ignored — only a sliding image moves along a path; say "slides {words_said}".',
                words_said,
            )
    _apply_turns(facts, words, drafts)
    _apply_modifiers(facts, drafts)


def _path_of(m: Match) -> PathMeaning:
    """The path a direction phrase says; "across @tag" (a relation) moves like the "across" direction."""
    return m.value if isinstance(m.value, PathMeaning) else entry("direction", "across").value


def _apply_path(draft: MotionDraft, m: Match) -> None:
    path = _path_of(m)
    for name, where in (("from_anchor", path.start), ("to_anchor", path.end)):
        if where is not None:
            draft.set_path(name, m.positions[where].value if isinstance(where, int) else where)
    for flag in ("enters", "exits", "pingpong"):
        if getattr(path, flag):
            draft.set_path(flag, True)


def _apply_turns(facts: LayerFacts, words: MotionWords, drafts: list[MotionDraft]) -> None:
    spins = [d for d in drafts if d.kind is MotionKind.SPIN]
    if words.angle is not None and drafts and len(words.commanded) == len(drafts) and abs(words.angle) < 360:
        drafts.clear()  # "Rotate @logo 15 degrees": a tilt, not a spin
        spins = []
    if words.angle is not None:
        if spins:
            for spin in spins:
                spin.change(amount=abs(words.angle) / 360, clockwise=words.angle >= 0)
        else:
            facts.rotation = words.angle
    if words.clockwise is not None:
        for spin in spins:
            spin.change(clockwise=words.clockwise)
        if not words.clockwise and facts.rotation is not None:
            facts.rotation = -abs(facts.rotation)


def _apply_modifiers(facts: LayerFacts, drafts: list[MotionDraft]) -> None:
    if not drafts:
        return
    for draft in drafts:
        if facts.easing is not None:
            draft.change(easing=facts.easing)
            draft.easing_said = True
        if facts.repeats is not None:
            draft.change(repeats=facts.repeats)
        if facts.pingpong:
            draft.change(pingpong=True)
    facts.easing, facts.repeats, facts.pingpong = None, None, False

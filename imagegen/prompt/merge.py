"""Merging what a segment says about a tag into everything said of it before: places, sizes, layout,
text style, motions (a path said on its own completes the slide before it) and relations to other tags.
Contradictions are said in a note, and the last word wins.
"""

from __future__ import annotations

import copy

from imagegen.prompt.facts import LayerFacts, LayoutFacts, MotionDraft
from imagegen.prompt.said import Said, TagState
from imagegen.prompt.vocabulary import motion_meaning
from imagegen.scene import Anchor, Motion, MotionKind

_LAYOUT_FIELDS = ("region", "fit", "focus", "shape", "border", "shadow", "knockout", "gap", "margin_px")


def apply_facts(so_far: Said, tag: str, facts: LayerFacts) -> None:
    s = so_far.state(tag)
    _apply_role(so_far, s, facts)
    for anchor, said in facts.anchors:
        if _centred_on_an_edge(s.anchor, s.anchor_text, anchor, said):
            # "at the top, centered": the top edge's middle (the top anchor is centred along it already)
            s.anchor, s.anchor_text = (anchor, said) if anchor is not Anchor.CENTER else (s.anchor, s.anchor_text)
            continue
        if s.anchor is not None and s.anchor is not anchor:
            message = f'{so_far.shown(tag)} is placed twice ("{s.anchor_text}", then "{said}")'
            so_far.notes.add(f"{message} — using {_words(anchor)}, the last one.", so_far.shown(tag))
        s.anchor, s.anchor_text = anchor, said
    _apply_size(so_far, s, facts)
    for name in ("opacity", "rotation", "margin"):
        if getattr(facts, name) is not None:
            setattr(s, name, getattr(facts, name))
    if tag in so_far.texts:
        _image_only(so_far, tag, facts.layout)
    for name in _LAYOUT_FIELDS:
        if getattr(facts.layout, name) is not None:
            setattr(s.layout, name, getattr(facts.layout, name))
    if facts.layout.region is not None:
        s.layout.region_text = facts.layout.region_text
    said_what = (facts.layout.focus, s.layout.focus, facts.layout.shape)  # "crop to a circle" says a shape
    if facts.layout.crop_said and all(value is None for value in said_what):
        so_far.notes.add(f'"crop" near @{tag} says no part to keep — say "crop to the top" (or left, right...).')
    if facts.layout.beside is not None and facts.layout.beside[0] is not None:
        side, target = facts.layout.beside
        if target == "it":
            earlier = [t for t in so_far.subjects if t != tag]
            target = earlier[-1] if earlier else None
        if target is None or target == tag:
            others = [f"next to @{t}" for t in so_far.states if t != tag and t not in so_far.texts]
            example = f", e.g. {others[0]}" if others else ""
            so_far.notes.add(f"{so_far.shown(tag)} is placed next to no other image — say which{example}.")
        else:
            s.layout.beside = (side, target)
    _apply_look(so_far, s, facts)
    _apply_motion(so_far, s, facts)
    for key, target in facts.relations:
        relate(so_far, key, tag, target)


_CENTRING = frozenset({"centered", "centred", "centered horizontally", "centred horizontally"})  # not "in the center"
_EDGES = (Anchor.TOP, Anchor.BOTTOM, Anchor.LEFT, Anchor.RIGHT)


def _centred_on_an_edge(before: Anchor | None, before_said: str, anchor: Anchor, said: str) -> bool:
    """An edge and a bare "centered" said of one image, in either order: the middle of that edge."""
    pairs = ((before, anchor, said), (anchor, before, before_said))
    return any(
        edge in _EDGES and centre is Anchor.CENTER and words.casefold() in _CENTRING for edge, centre, words in pairs
    )


def _apply_look(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    """Effects (a kind said again replaces it: the last word wins) and, for a text, its style."""
    for effect in facts.effects:
        s.effects = [e for e in s.effects if e.kind is not effect.kind] + [effect]
    if s.tag in so_far.texts:
        s.style.update(facts.style)
    elif facts.style.said:
        said = ", ".join(f'"{w}"' for w in facts.style.said)
        so_far.notes.add(f"{said} is for text — @{s.tag} is an image, so it was ignored.", facts.style.said[0])


def _apply_role(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    if facts.role is None:
        return
    if s.role is not None and s.role is not facts.role:
        so_far.notes.two_roles(so_far.shown(s.tag), s.role_text, facts.role_text)
    s.role, s.role_text, s.stretch = facts.role, facts.role_text, s.stretch or facts.stretch


def _apply_size(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    """A size said outright, or compared with another image's; saying both is a contradiction, named."""
    if facts.size_of is not None and facts.size_of[1] == s.tag:
        so_far.notes.add(f'"{facts.size_of[2]}" compares {so_far.shown(s.tag)} with itself, so it was ignored.')
        return
    if facts.size is not None and facts.size_step:  # "small, then a bit bigger": a step from what was said
        if s.size_of is not None:
            _size_twice(so_far, s.tag, s.size_of[2], facts.size_text)
        s.size_from = s.size if not s.size_step else s.size_from
        s.size_step += facts.size_step
        s.size, s.size_text, s.size_of = facts.size, facts.size_text, None
    elif facts.size is not None:
        if s.size_of is not None:
            _size_twice(so_far, s.tag, s.size_of[2], facts.size_text)
        elif s.size is not None and s.size != facts.size:
            _size_twice(so_far, s.tag, s.size_text, facts.size_text)
        s.size, s.size_text, s.size_of, s.size_step = facts.size, facts.size_text, None, 0
    if facts.size_of is not None:
        if s.size is not None:
            _size_twice(so_far, s.tag, s.size_text, facts.size_of[2])
        s.size, s.size_text, s.size_of, s.size_step = None, "", facts.size_of, 0


def _size_twice(so_far: Said, tag: str, earlier: str, later: str) -> None:
    name = so_far.shown(tag)
    so_far.notes.add(f'The size of {name} is given twice ("{earlier}", then "{later}") — using "{later}".', name)


def _image_only(so_far: Said, tag: str, layout: LayoutFacts) -> None:
    """A knock-out, a circle crop or a crop's focus said of a text: reported, then dropped."""
    said = [
        words
        for words, value in (
            ("a knock-out", layout.knockout),
            ("a circle", layout.shape),
            ("a crop", layout.focus if layout.focus is not None else (layout.crop_said or None)),
        )
        if value is not None
    ]
    if said:
        listed = " and ".join(said)
        so_far.notes.add(f"{so_far.shown(tag)} is text: {listed} applies to images only, so it was ignored.")
        layout.knockout = layout.shape = layout.focus = None
        layout.crop_said = False


def _apply_motion(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    if facts.motions:
        if s.still:
            name = so_far.shown(s.tag)
            so_far.notes.add(f"{name} is said to stay still and also to move — it moves.", name)
            s.still = False
        if not (facts.path_only and _merge_path(s, facts.motions, so_far.phase)):
            phase = so_far.motion_phase if facts.together else so_far.phase
            for draft in facts.motions:
                draft.phase = phase
            s.motions.extend(facts.motions)
            s.last_group = facts.motions
            so_far.motion_phase = phase
    elif facts.still and not (so_far.holding and s.motions):
        if s.motions:
            name = so_far.shown(s.tag)
            so_far.notes.add(f"{name} is said to move and also to stay still — it stays still.", name)
            s.motions, s.last_group = [], []
        s.still = True
    _apply_modifiers(so_far, s, facts)
    _apply_start(so_far, s, facts)


def _apply_start(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    if facts.start_s is None:
        return
    if not s.last_group:
        so_far.notes.add(f'"{facts.start_text}" was ignored — @{s.tag} does not move.', facts.start_text)
        return
    for draft in s.last_group:
        draft.at_s, draft.for_s, draft.at_text = facts.start_s, facts.length_s, facts.start_text


def _apply_modifiers(so_far: Said, s: TagState, facts: LayerFacts) -> None:
    if facts.easing is None and facts.repeats is None and not facts.pingpong:
        return
    if not s.last_group and facts.pingpong:  # "@logo back and forth": moving is implied
        draft = MotionDraft(Motion(MotionKind.SLIDE, motion_meaning(MotionKind.SLIDE).easing), phase=so_far.phase)
        s.motions.append(draft)
        s.last_group = [draft]
    if not s.last_group:
        said = facts.modifier_text
        so_far.notes.add(f'"{said}" was ignored — {so_far.shown(s.tag)} does not move.', said)
        return
    for draft in s.last_group:
        if facts.easing is not None:
            draft.change(easing=facts.easing)
            draft.easing_said = True
        if facts.repeats is not None:
            draft.change(repeats=facts.repeats)
        draft.change(pingpong=draft.motion.pingpong or facts.pingpong)


def relate(so_far: Said, key: str, subject: str, target: str | None) -> None:
    if target == "it":
        earlier = [t for t in so_far.subjects if t != subject]
        if not earlier:
            near = so_far.shown(subject)
            so_far.notes.add(f'"it" near {near} refers to no earlier image — the relation was ignored.', "it")
            return
        target = earlier[-1]
    if target != subject:
        so_far.relations.append((key, subject, target))


def _words(anchor: Anchor) -> str:
    return anchor.value.replace("-", " ")


def _merge_path(s: TagState, drafts: list[MotionDraft], phase: int) -> bool:
    """Complete the tag's current slide with a path said on its own; False when there is none."""
    slide = next((d for d in s.last_group if d.kind is MotionKind.SLIDE and d.phase == phase), None)
    if slide is None or any(d.kind is not MotionKind.SLIDE for d in drafts):
        return False
    for draft in drafts:
        slide.merge_path(draft)
    return True


def without_relations(facts: LayerFacts) -> LayerFacts:
    shared = copy.deepcopy(facts)
    shared.relations = []
    shared.layout.beside = (
        None if shared.layout.beside and shared.layout.beside[0] is not None else shared.layout.beside
    )
    return shared

"""Who each part of a prompt is about: its own @tag; else (no tag in the clause, or "it") the previous
clause's subject; clauses before the first tag wait for it. Bare tags joined by "and" to a clause that says
something share it. Each segment's facts go to :func:`.merge.apply_facts` for its subject (and sharers).
"""

from __future__ import annotations

import re
from dataclasses import replace

from imagegen.prompt.clauses import Clause, Segment, objects, segments, sets_the_scene
from imagegen.prompt.facts import LayerFacts
from imagegen.prompt.groups import group
from imagegen.prompt.interpret import interpret
from imagegen.prompt.lexer import Token
from imagegen.prompt.merge import apply_facts, without_relations
from imagegen.prompt.phrases import Item, Match
from imagegen.prompt.said import Said
from imagegen.prompt.texts import is_text_id
from imagegen.prompt.words import PRONOUNS
from imagegen.scene import Anchor, Role


def read_clauses(so_far: Said, clauses: list[Clause]) -> None:
    by_clause: list[list[Segment]] = []
    named = False
    for index, clause in enumerate(clauses):
        by_clause.append(segments(clause, index, named))
        named = named or any(seg.tag or objects(seg.items) for seg in by_clause[-1])
    shares, sharing = _shared_subjects(clauses, by_clause)
    verb: list[Item] = []  # "Spin @logo and @product": what came before the last tag, for bare tags after it
    for index, (clause, segs) in enumerate(zip(clauses, by_clause, strict=True)):
        if clause.sequenced:
            so_far.phase += 1
        so_far.holding = clause.sequenced  # "fades in, then stays": still after a motion is a hold
        first = segs[0]
        if len(segs) == 1 and first.tag and first.bare and index not in sharing and verb:
            if clause.joined_by in ("and", "then", ","):
                segs = [Segment(first.tag, list(verb), index, first.pronoun)]
        elif first.tag:
            verb = first.leading
        for position, seg in enumerate(segs):
            _segment(so_far, seg, shares.get(index, []) if position == 0 else [])
        _remember_named(so_far, segs)


def _remember_named(so_far: Said, segs: list[Segment]) -> None:
    """The images the last clause naming any named ("@acme twice as big as @logo, side by side": both);
    bare tags listed one per clause ("@logo and @product, side by side") add up."""
    # "@logo and @product over @BG, side by side": what they sit on is not one of them
    under = {
        tag
        for seg in segs
        for item in seg.items
        if isinstance(item, Match) and sets_the_scene(item)
        for tag in item.tags
    }
    named = [tag for seg in segs for tag in ([seg.tag] if seg.tag else []) + objects(seg.items) if tag not in under]
    if not named:
        return
    bare = all(seg.tag and seg.bare for seg in segs)
    so_far.clause_tags = list(dict.fromkeys((so_far.clause_tags if so_far.bare_run else []) + named))
    so_far.bare_run = bare


def _segment(so_far: Said, seg: Segment, sharers: list[str]) -> None:
    subject_is_text = is_text_id(seg.tag or (so_far.subjects[-1] if so_far.subjects else None))
    said_before = len(so_far.g.durations)
    facts = interpret(seg, so_far.g, so_far.notes, so_far.text, so_far.limits, subject_is_text)
    if len(so_far.g.durations) > said_before:  # "fades in for 1 s, then holds for 2 s": each step's length
        so_far.step_seconds[so_far.phase] = so_far.g.durations[-1][1]
    if seg.tag is not None:
        so_far.state(seg.tag)
    for tag in objects(seg.items):
        so_far.state(tag)
    subject = seg.tag or (so_far.subjects[-1] if so_far.subjects else None)
    if subject is None:
        if facts.says_anything or facts.relations:
            so_far.pending.append(facts)
        return
    if seg.tag is None:
        subject = _background_by_role(so_far, facts, subject)
    if seg.tag is None and seg.plural:  # "…, all smoothly": every image named so far (also as an object)
        sharers = [tag for tag in dict.fromkeys(so_far.subjects + so_far.clause_tags) if tag != subject]
        if facts.anchors or facts.size is not None:  # "@BG as background, @a left, @b right, both small"
            sharers = [tag for tag in sharers if so_far.state(tag).role is not Role.BACKGROUND]
    elif seg.tag is None and so_far.open_group is not None and subject in so_far.open_group.members:
        # "grid of @a, @b and @c, with white borders": what follows the grid is about all of it.
        sharers = [tag for tag in so_far.open_group.members if tag != subject]
    if seg.tag is None and seg.pronoun:
        _say_reference(so_far, seg, [subject, *sharers])
    corners = _each_in_a_corner(so_far, seg, facts, [subject, *sharers])
    for tag in sharers:
        apply_facts(so_far, tag, without_relations(corners.get(tag, facts)))
    apply_facts(so_far, subject, corners.get(subject, facts))
    for waiting in so_far.pending:
        apply_facts(so_far, subject, waiting)
    so_far.pending = []
    group(so_far, seg, subject, sharers, facts)
    if seg.tag is not None:
        so_far.subjects.append(seg.tag)


def _background_by_role(so_far: Said, facts: LayerFacts, subject: str) -> str:
    """ "@BG as background, @logo at the top, make the background darker": in a clause naming no image,
    "the background" is the image already playing it, so it never makes the previous image a second one,
    and what the clause says is about that image. An effect of a background no image plays ("blur the
    background" with only @logo) is said and dropped, never applied to the previous image.

    :return: who the clause is about.
    """
    if facts.role is not Role.BACKGROUND or facts.role_text.casefold() not in ("background", "backdrop", "bg"):
        return subject  # "in the background", "fills the canvas" say a role; the bare noun may name the image
    holder = next((t for t, s in so_far.states.items() if s.role is Role.BACKGROUND), None)
    if holder is not None:
        so_far.notes.add(f'"{facts.role_text}" = {so_far.shown(holder)}.', facts.role_text, quiet=True)
        facts.role, facts.role_text = None, ""
        return holder if facts.effects else subject
    if facts.effects:
        said = facts.effects_text
        so_far.notes.add(
            f'No image is the background here, so "{said}" (said of "{facts.role_text}") was ignored — say which '
            f'image it is for, e.g. "{said} {so_far.shown(subject)}".',
            said,
        )
        facts.role, facts.role_text, facts.effects = None, "", []
    return subject


_EACH = ("each", "every")
# The corners images "each in a corner" take, in the order they were named: two sit across a diagonal.
_CORNERS = {
    2: (Anchor.TOP_LEFT, Anchor.BOTTOM_RIGHT),
    3: (Anchor.TOP_LEFT, Anchor.TOP_RIGHT, Anchor.BOTTOM_LEFT),
    4: (Anchor.TOP_LEFT, Anchor.TOP_RIGHT, Anchor.BOTTOM_LEFT, Anchor.BOTTOM_RIGHT),
}
# "the top corners", "the left corners": the two corners along that edge
_EDGE_CORNERS = {
    Anchor.TOP: (Anchor.TOP_LEFT, Anchor.TOP_RIGHT),
    Anchor.BOTTOM: (Anchor.BOTTOM_LEFT, Anchor.BOTTOM_RIGHT),
    Anchor.LEFT: (Anchor.TOP_LEFT, Anchor.BOTTOM_LEFT),
    Anchor.RIGHT: (Anchor.TOP_RIGHT, Anchor.BOTTOM_RIGHT),
}
_BEFORE_EACH = re.compile(r"(?:\bone\s+)?(?:\b(?:in|at|on|into)\s+)?$", re.IGNORECASE)
_BEFORE_CORNERS = re.compile(r"(?:\b(?:in|at|on|into)\s+)?(?:\b(?:both|all|the|two|four|its|of)\s+)*$", re.IGNORECASE)


def _each_in_a_corner(so_far: Said, seg: Segment, facts: LayerFacts, tags: list[str]) -> dict[str, LayerFacts]:
    """ "@logo and @product each in a corner", "…, one in each corner", "in the top corners": each image its
    own corner (the understanding lines say which). One corner for several images, more images than corners,
    or one image "in both corners" (an image is drawn once) are said.

    :return: the facts for each tag whose corner differs from the one the segment said (else empty).
    """
    plural = next((i for i in seg.items if isinstance(i, Token) and i.is_word("corners")), None)
    said = facts.anchors[-1][1] if len(facts.anchors) == 1 else ""
    each = any(isinstance(i, Token) and i.is_word(*_EACH) for i in seg.items)
    if plural is None and not (each and said.casefold().split()[-1:] in (["corner"], ["corners"])):
        return {}
    ordered = sorted(dict.fromkeys(tags), key=lambda tag: so_far.state(tag).order)
    backgrounds = [tag for tag in ordered if so_far.state(tag).role is Role.BACKGROUND]
    ordered = [tag for tag in ordered if tag not in backgrounds]
    edge = facts.anchors[-1][0] if said else None
    places = [i for i in seg.items if isinstance(i, Match) and i.category == "position"]
    if plural is not None:
        begins = min([plural.start, *(i.start for i in places)])
        lead = _BEFORE_CORNERS.search(so_far.text[:begins])
        said = so_far.text[lead.start() if lead else begins : plural.end]
    elif places:  # "each in a corner", "one in each corner": quoted whole
        word = next(i for i in seg.items if isinstance(i, Token) and i.is_word(*_EACH))
        begins = min(word.start, places[-1].start)
        lead = _BEFORE_EACH.search(so_far.text[:begins])
        said = so_far.text[lead.start() if lead else begins : places[-1].end]
    if not _corners_fit(so_far, said, ordered, edge, plural is not None):
        return {}
    corners = _EDGE_CORNERS.get(edge) if plural is not None and edge is not None else None
    out: dict[str, LayerFacts] = {}
    for tag, corner in zip(ordered, corners or _CORNERS[len(ordered)], strict=False):
        out[tag] = replace(facts, anchors=[(corner, said)])  # sharers get a deep copy (without_relations)
    for tag in backgrounds:  # "…, one in each corner" after "@BG as background": the background keeps its role
        out[tag] = replace(facts, anchors=[])
    placed = ", ".join(f"{so_far.shown(tag)} {out[tag].anchors[0][0].value.replace('-', ' ')}" for tag in ordered)
    so_far.notes.add(f'"{said}": {placed}.', said, quiet=True)
    return out


def _corners_fit(so_far: Said, said: str, ordered: list[str], edge: Anchor | None, plural: bool) -> bool:
    """Whether ``ordered`` can each take a corner of those ``said``; when not, what happens is said."""
    names = " and ".join(so_far.shown(tag) for tag in ordered)
    named_one = any(word in _SIDE_WORDS for word in said.casefold().split())
    if not plural and named_one:  # "each in the top right corner" names one corner
        if len(ordered) > 1:
            so_far.notes.add(
                f'"{said}" names one corner, so {names} are {"both" if len(ordered) == 2 else "all"} placed in it, '
                'one over the other — give each its own corner, or say "each in a corner".',
                said,
            )
        return False
    if plural and len(ordered) == 1:
        where = f"at the {edge.value.replace('-', ' ')}" if edge is not None else "once"
        so_far.notes.add(
            f'"{said}": {names} is one image, so it is placed {where} — to show it twice, upload it again '
            "under another tag.",
            said,
        )
        return False
    room = len(_EDGE_CORNERS[edge]) if plural and edge in _EDGE_CORNERS else len(_CORNERS[4])
    if len(ordered) > room:
        so_far.notes.add(
            f'"{said}": {", ".join(so_far.shown(tag) for tag in ordered)} are {len(ordered)} images, but there are '
            f"only {room} such corners — they are placed as said, one over another; give each its own place.",
            said,
        )
        return False
    return len(ordered) > 1


_SIDE_WORDS = frozenset({"top", "bottom", "left", "right", "upper", "lower"})


def _say_reference(so_far: Said, seg: Segment, tags: list[str]) -> None:
    """ "put it at the top": the understanding lines say whom "it" was read as ('"it" = @logo')."""
    word = next((i.text for i in seg.items if isinstance(i, Token) and i.is_word(*PRONOUNS)), None)
    plural = word in ("they", "them", "their")
    # "fade between them" with one image read so far: "them" is not that image, so nothing is said.
    if word is not None and plural == (len(set(tags)) > 1):
        ordered = sorted(dict.fromkeys(tags), key=lambda tag: so_far.state(tag).order)
        named = " and ".join(so_far.shown(tag) for tag in ordered)
        so_far.notes.add(f'"{word}" = {named}.', word, quiet=True)


def _shared_subjects(clauses: list[Clause], by_clause: list[list[Segment]]) -> tuple[dict[int, list[str]], set[int]]:
    """Bare tags joined by "and" to a clause that says something share it: "Make @BG and @logo bounce".

    :return: the sharing tags by the index of the clause they share, and the indices of their clauses.
    """
    shares: dict[int, list[str]] = {}
    sharing: set[int] = set()
    run: list[int] = []
    for index, segs in enumerate(by_clause):
        first = segs[0]
        if len(segs) == 1 and first.tag is not None and first.bare:
            if run and clauses[index].joined_by not in (",", "and"):
                run = []
            run.append(index)
            continue
        if run and clauses[index].joined_by == "and" and first.tag is not None and not first.bare:
            shares[index] = [str(by_clause[i][0].tag) for i in run]
            sharing.update(run)
        run = []
    return shares, sharing

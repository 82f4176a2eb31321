"""Turn one segment's matched phrases into facts about its subject (and the canvas / timing)."""

from __future__ import annotations

from imagegen.colours import parse_colour
from imagegen.errors import suggest
from imagegen.limits import Limits
from imagegen.prompt.clauses import Segment
from imagegen.prompt.facts import GlobalFacts, LayerFacts, MotionDraft
from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.limits import check_canvas
from imagegen.prompt.phrases import ARTICLES, Item, Match
from imagegen.prompt.result import Notes
from imagegen.prompt.words import COLOUR_LINKS, FILLER, NEGATIONS, PLACE_PREPOSITIONS
from imagegen.scene import Anchor, MotionKind, Role
from imagegen.vocabulary import COUNT_WORDS, MotionDefault, entry, known_words

# Paths that always mean movement; the others ("to the right", "up") only shape a motion that is said.
_STRONG_PATHS = frozenset({"from-to", "in-from", "out-to", "across", "side-to-side"})
_SPIN_SENSE = frozenset({"clockwise", "counterclockwise"})
# "Rotate @logo 15 degrees" tilts it (an editing command); "@logo rotates 90 degrees" is a motion.
_COMMAND_TURNS = frozenset({"rotate", "turn"})
# Words that may stand between a negation and its verb: "does not want to spin", "should not be moving".
_NEGATION_GAP = frozenset({"to", "be", "is", "are", "should", "will", "must", "can", "do", "does", "want", "it"})


class _Reader:
    """Reads one segment; each ``_<category>`` method handles one vocabulary category."""

    def __init__(self, seg: Segment, g: GlobalFacts, notes: Notes, text: str, limits: Limits) -> None:
        self.seg, self.g, self.notes, self.text, self.limits = seg, g, notes, text, limits
        self.facts = LayerFacts()
        self.paths: list[Match] = []
        self.clockwise: bool | None = None
        self.angle: float | None = None
        self.move_verb = False
        self.commanded: list[MotionDraft] = []  # spins said as "rotate"/"turn" (maybe a tilt)
        self.negated = False
        self.unknown: list[Token] = []

    def said(self, item: Item) -> str:
        return self.text[item.start : item.end]

    def read(self) -> LayerFacts:
        items = self.seg.items
        used = _canvas_colours(self, items)
        for index, item in enumerate(items):
            if index in used:
                continue
            if isinstance(item, Token):
                self._token(item)
                continue
            self._flush_unknown()
            if item.category == "role" and item.key == "background" and _after_preposition(items, index):
                continue  # "on the background": a place, not a role
            self.negated = _negated(items, index)
            getattr(self, f"_{item.category}")(item)
        self._flush_unknown()
        _assemble_motions(self)
        return self.facts

    # --- tokens left over after phrase matching -------------------------------------------------
    def _token(self, token: Token) -> None:
        if token.kind is Kind.WORD and token.text not in FILLER and token.text not in known_words():
            if self.unknown and _gap(self.text, self.unknown[-1], token):
                self._flush_unknown()
            self.unknown.append(token)
            return
        self._flush_unknown()
        if token.kind is Kind.NUM and not token.spelled:
            word = self.said(token)
            self.notes.add(
                f'The number {word} was not understood — say what it is, e.g. "{word} seconds" or "{word}%".',
                word,
            )

    def _flush_unknown(self) -> None:
        if not self.unknown:
            return
        first, last = self.unknown[0], self.unknown[-1]
        phrase = self.text[first.start : last.end]
        self.unknown = []
        close = suggest(first.text, known_words(), cutoff=0.75) if len(first.text) >= 4 and first is last else None
        hint = f' — did you mean "{close}"?' if close else " and was ignored."
        self.notes.add(f'"{phrase}" was not understood{hint}', phrase)

    # --- one method per vocabulary category -------------------------------------------------------
    def _role(self, m: Match) -> None:
        self.facts.role = Role(m.entry.value)
        self.facts.stretch = self.facts.stretch or m.key == "stretch"

    def _position(self, m: Match) -> None:
        self.facts.anchors.append((m.entry.value, self.said(m)))

    def _size(self, m: Match) -> None:
        value = m.entry.value if m.entry.value is not None else m.numbers[0] / 100
        if not 0 < value <= 1:
            clamped = min(max(value, 0.01), 1.0)
            self.notes.add(
                f'Size "{self.said(m)}" is outside 1-100 % of the canvas — using {clamped:.0%}.', self.said(m)
            )
            value = clamped
        self.facts.size = value

    def _canvas(self, m: Match) -> None:
        size = m.entry.value if m.entry.value is not None else (round(m.numbers[0]), round(m.numbers[1]))
        check_canvas(size, self.limits)
        if self.g.canvas is not None and self.g.canvas != size:
            self.notes.add(
                f'The canvas size is given twice ("{self.g.canvas_text}", then "{self.said(m)}") — '
                f"using {size[0]}x{size[1]}, the last one.",
                self.said(m),
            )
        self.g.canvas, self.g.canvas_text = size, self.said(m)

    def _colour(self, m: Match) -> None:
        pass  # every colour phrase is handled (or reported) by _canvas_colours

    def _style(self, m: Match) -> None:
        key, value = m.key, m.entry.value
        number = m.numbers[0] if m.numbers else None
        if key == "opacity":
            self.facts.opacity = _unit(number / 100 if "%" in m.words or number > 1 else number, self, m)
        elif key == "transparency":
            self.facts.opacity = _unit(1 - number / 100, self, m)
        elif key in ("semi-transparent", "opaque"):
            self.facts.opacity = value
        elif key in ("rotation", "tilt"):
            self.facts.rotation = number if number is not None else value
        elif key == "angle":
            self.angle = number
        elif key == "margin":
            self.facts.margin = _unit(number / 100, self, m)
        elif key == "no-margin":
            self.facts.margin = value

    def _motion(self, m: Match) -> None:
        if m.key == "still" or self.negated:
            # "stays still" and "doesn't spin" both say still; "isn't static" says nothing.
            self.facts.still = self.facts.still or not (m.key == "still" and self.negated)
            return
        self.move_verb = self.move_verb or m.key == "move"
        if m.key == "move":
            return  # decided in _assemble_motions: a placement or a slide
        default: MotionDefault = m.entry.value
        draft = MotionDraft(default.kind, default.easing, pingpong=default.pingpong)
        self.facts.motions.append(draft)
        if m.words[0] in _COMMAND_TURNS:
            self.commanded.append(draft)

    def _direction(self, m: Match) -> None:
        if m.key in _SPIN_SENSE:
            self.clockwise = m.entry.value
        else:
            self.paths.append(m)

    def _timing(self, m: Match) -> None:
        g, key, said = self.g, m.key, self.said(m)
        if key in ("seconds", "milliseconds", "minutes"):
            g.duration = m.numbers[0] * m.entry.value
        elif key == "fps":
            g.fps = m.numbers[0]
        elif key in ("slow", "fast"):
            if g.speed is not None and g.speed != m.entry.value:
                self.notes.add(f'Both "{g.speed_text}" and "{said}" — using "{said}", the last one.', said)
            g.speed, g.speed_text = m.entry.value, said
        elif key == "repeat":
            self.facts.repeats = m.numbers[0] if m.numbers else COUNT_WORDS[m.words[0]]
            self.facts.modifier_text = said
        elif key in ("loop", "play-once"):
            g.loops = m.entry.value
        elif key == "loop-count":
            g.loops = max(1, round(m.numbers[0])) if m.numbers else 2
        elif key == "pingpong":
            self.facts.pingpong = True
            self.facts.modifier_text = said
            return
        g.timing_words.append(said)

    def _easing(self, m: Match) -> None:
        self.facts.easing = m.entry.value
        self.facts.modifier_text = self.said(m)

    def _relation(self, m: Match) -> None:
        target = m.tags[0] if m.tags else ("it" if {"it", "them"} & set(m.words) else None)
        self.facts.relations.append((m.key, target))
        if m.key == "across":
            self.paths.append(m)


def interpret(seg: Segment, g: GlobalFacts, notes: Notes, text: str, limits: Limits) -> LayerFacts:
    """Facts about ``seg``'s subject; canvas and timing facts go into ``g``."""
    return _Reader(seg, g, notes, text, limits).read()


def _gap(text: str, left: Token, right: Token) -> bool:
    """True when something other than spaces/hyphens separates two tokens (a new unknown phrase)."""
    return bool(text[left.end : right.start].strip(" -_'\t"))


def _unit(value: float, reader: _Reader, m: Match) -> float:
    if 0 <= value <= 1:
        return value
    clamped = min(max(value, 0.0), 1.0)
    reader.notes.add(f'"{reader.said(m)}" is outside 0-100 % — using {clamped:.0%}.', reader.said(m))
    return clamped


def _negated(items: list[Item], index: int) -> bool:
    before = _neighbour(items, index, -1, ARTICLES | _NEGATION_GAP)
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*NEGATIONS)


def _after_preposition(items: list[Item], index: int) -> bool:
    before = _neighbour(items, index, -1, ARTICLES)
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*PLACE_PREPOSITIONS)


def _neighbour(items: list[Item], index: int, step: int, skip: frozenset[str]) -> tuple[int, Item] | None:
    """The nearest item from ``index`` in direction ``step`` that is not a word/symbol in ``skip``."""
    k = index + step
    while 0 <= k < len(items):
        item = items[k]
        if not (isinstance(item, Token) and item.kind in (Kind.WORD, Kind.SYM) and item.text in skip):
            return k, item
        k += step
    return None


def _is_background_word(item: Item) -> bool:
    return isinstance(item, Match) and (
        (item.category == "role" and item.key == "background")
        or (item.category == "colour" and item.key == "background-colour")
    )


def _colour_value(item: Item) -> tuple[bool, object]:
    """(is a colour, RGBA or None) for a colour phrase or code."""
    if isinstance(item, Token):
        return (True, parse_colour(item.text)) if item.kind is Kind.COLOUR else (False, None)
    if item.category != "colour" or item.key == "background-colour":
        return False, None
    if item.key == "code":
        return True, parse_colour(item.captures[0].text)
    if item.key == "transparent":
        return True, None
    return True, parse_colour(" ".join(item.words))


def _canvas_colours(reader: _Reader, items: list[Item]) -> set[int]:
    """Find canvas colours ("on a black background", "background colour #f06"); return used indices."""
    used: set[int] = set()
    for index, item in enumerate(items):
        is_colour, value = _colour_value(item)
        if not is_colour:
            continue
        used.add(index)
        said = reader.said(item)
        is_whole = isinstance(item, Match) and "background" in item.words  # "transparent background"
        trigger = None if is_whole else _colour_trigger(items, index)
        if trigger is not None:
            used.add(trigger)
        elif not is_whole and (reader.seg.tag is not None or reader.seg.pronoun):
            reader.notes.add(_ignored_colour(said), said)
            continue
        _set_background(reader, value, said)
    return used


def _colour_trigger(items: list[Item], index: int) -> int | None:
    after = _neighbour(items, index, 1, ARTICLES)
    if after is not None and _is_background_word(after[1]):
        return after[0]
    before = _neighbour(items, index, -1, ARTICLES | COLOUR_LINKS)
    if before is not None and _is_background_word(before[1]):
        return before[0]
    return None


def _ignored_colour(said: str) -> str:
    if said.casefold() == "transparent":
        return (
            '"transparent" was ignored — say "transparent background" for a see-through canvas, '
            'or "semi-transparent" for a see-through image.'
        )
    return f'The colour "{said}" was ignored — to colour the canvas say "{said} background".'


def _set_background(reader: _Reader, value: object, said: str) -> None:
    g = reader.g
    if g.background_said and g.background != value:
        reader.notes.add(
            f'The background colour is given twice ("{g.background_text}", then "{said}") — using "{said}".',
            said,
        )
    g.background, g.background_text = value, said


def _assemble_motions(reader: _Reader) -> None:
    """Combine motion verbs, paths, angles and modifiers of one segment into motion drafts."""
    facts, paths = reader.facts, sorted(reader.paths, key=lambda m: m.key != "across")
    drafts = facts.motions
    keys = {m.key for m in paths}
    if not drafts and not keys & _STRONG_PATHS and keys and keys <= {"to"}:
        # "Move @logo to the top right" / "put @logo to the right": a placement, not a motion.
        facts.anchors.extend((m.positions[0].entry.value, reader.said(m)) for m in paths)
        paths, keys, reader.move_verb = [], set(), False
    slide = next((d for d in drafts if d.kind is MotionKind.SLIDE), None)
    wants_slide = (
        keys & _STRONG_PATHS or reader.move_verb or (not drafts and keys & {"from", "up", "down", "up-and-down"})
    )
    if slide is None and wants_slide:
        slide = MotionDraft(MotionKind.SLIDE, entry("motion", "slide").value.easing)
        facts.path_only = not drafts and not reader.move_verb
        drafts.append(slide)
    for m in paths:
        if slide is not None:
            _apply_path(slide, m)
        elif m.key in ("from", "to"):
            said = reader.said(m)
            reader.notes.add(
                f'"{said}" was ignored — only a sliding image moves along a path; say "slides {said}".', said
            )
    _apply_turns(reader, drafts)
    _apply_modifiers(facts, drafts)


def _apply_path(draft: MotionDraft, m: Match) -> None:
    path = m.entry.value if m.category == "direction" else _across_path()
    for end in ("from", "to"):
        if end in path:
            where = path[end]
            anchor = m.positions[where].entry.value if isinstance(where, int) else where
            draft.set_path(f"{end}_anchor", Anchor(anchor))
    for flag in ("enters", "exits", "pingpong"):
        if path.get(flag):
            draft.set_path(flag, True)


def _across_path() -> dict[str, object]:
    return entry("direction", "across").value


def _apply_turns(reader: _Reader, drafts: list[MotionDraft]) -> None:
    facts, spins = reader.facts, [d for d in drafts if d.kind is MotionKind.SPIN]
    if reader.angle is not None and drafts and len(reader.commanded) == len(drafts) and abs(reader.angle) < 360:
        drafts.clear()  # "Rotate @logo 15 degrees": a tilt, not a spin
        spins = []
    if reader.angle is not None:
        if spins:
            for spin in spins:
                spin.amount = abs(reader.angle) / 360
                spin.clockwise = reader.angle >= 0
        else:
            facts.rotation = reader.angle
    if reader.clockwise is not None:
        for spin in spins:
            spin.clockwise = reader.clockwise
        if not reader.clockwise and facts.rotation is not None:
            facts.rotation = -abs(facts.rotation)


def _apply_modifiers(facts: LayerFacts, drafts: list[MotionDraft]) -> None:
    if not drafts:
        return
    for draft in drafts:
        if facts.easing is not None:
            draft.easing, draft.easing_said = facts.easing, True
        if facts.repeats is not None:
            draft.repeats = facts.repeats
        if facts.pingpong:
            draft.pingpong = True
    facts.easing, facts.repeats, facts.pingpong = None, None, False

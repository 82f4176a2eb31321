"""Turn one segment's matched phrases into facts about its subject (and the canvas / timing)."""

from __future__ import annotations

from imagegen.errors import suggest
from imagegen.limits import Limits
from imagegen.prompt.canvas_colours import canvas_colours
from imagegen.prompt.clauses import Segment
from imagegen.prompt.facts import GlobalFacts, LayerFacts, MotionDraft, MotionWords
from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.limits import check_canvas
from imagegen.prompt.motions import assemble
from imagegen.prompt.phrases import ARTICLES, Item, Match, neighbour
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import COUNT_WORDS, MotionDefault, known_words
from imagegen.prompt.words import FILLER, NEGATIONS, PLACE_PREPOSITIONS
from imagegen.scene import Role

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
        self.words = MotionWords()
        self.negated = False
        self.unknown: list[Token] = []

    def said(self, item: Item) -> str:
        return self.text[item.start : item.end]

    def read(self) -> LayerFacts:
        items = self.seg.items
        used = canvas_colours(self.seg, self.g, self.notes, self.said)
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
        assemble(self.facts, self.words, self.notes, self.said)
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
        pass  # every colour phrase is handled (or reported) by canvas_colours

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
            self.words.angle = number
        elif key == "margin":
            self.facts.margin = _unit(number / 100, self, m)
        elif key == "no-margin":
            self.facts.margin = value

    def _motion(self, m: Match) -> None:
        if m.key == "still" or self.negated:
            # "stays still" and "doesn't spin" both say still; "isn't static" says nothing.
            self.facts.still = self.facts.still or not (m.key == "still" and self.negated)
            return
        if m.key == "move":
            self.words.move_verb = True  # a placement or a slide: decided by motions.assemble
            return
        default: MotionDefault = m.entry.value
        draft = MotionDraft(default.kind, default.easing, pingpong=default.pingpong)
        self.facts.motions.append(draft)
        if m.words[0] in _COMMAND_TURNS:
            self.words.commanded.append(draft)

    def _direction(self, m: Match) -> None:
        if m.key in _SPIN_SENSE:
            self.words.clockwise = m.entry.value
        else:
            self.words.paths.append(m)

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
            self.words.paths.append(m)


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
    before = neighbour(items, index, -1, ARTICLES | _NEGATION_GAP)
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*NEGATIONS)


def _after_preposition(items: list[Item], index: int) -> bool:
    before = neighbour(items, index, -1, ARTICLES)
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*PLACE_PREPOSITIONS)

"""Match vocabulary phrases in a token stream (longest phrase first), compiled once from VOCABULARY.

Two passes: the first matches every phrase made of words, numbers (``N``), tags (``@tag``) and colour
codes; the second matches direction phrases built around positions (``from A to B``) over the
first pass's output, so "from the top left to the bottom right" reuses the position phrases.
Articles and "whole"/"entire" may appear between a phrase's words and are skipped
("covers the whole canvas" is "covers canvas").
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from functools import cache

from PIL import ImageColor

from imagegen.prompt.lexer import Kind, Token, lex, words_of
from imagegen.prompt.meanings import Meaning
from imagegen.prompt.vocabulary import LEFTOVERS, NUMBER_WORDS, VOCABULARY, Entry
from imagegen.prompt.words import FILLER, PHRASE_FILLER

ARTICLES = frozenset({"the", "a", "an"})
#: Single-word colour names a ``C`` placeholder accepts ("remove the white background", "a red outline").
COLOUR_NAMES = frozenset(ImageColor.colormap)

# Pattern elements: ("w", word) | ("s", symbol) | ("n", number or None) | ("tag", None)
#                   | ("colour", None) | ("pos", None) | ("col", None): a colour name or code (``C``)
Element = tuple[str, object]


@dataclass(frozen=True)
class Pattern:
    elements: tuple[Element, ...]
    entry: Entry
    order: int  # table position, to break ties deterministically


@dataclass(frozen=True)
class Match:
    """A vocabulary phrase found in the prompt, with what its placeholders captured."""

    entry: Entry
    captures: tuple[Token | Match, ...]  # tokens / position matches standing for N, @tag, colour, A, B
    words: tuple[str, ...]  # the literal words and symbols matched (e.g. ("behind", "it"), ("%",))
    start: int
    end: int

    @property
    def category(self) -> str:
        return self.entry.category

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def value(self) -> Meaning:
        return self.entry.value

    @property
    def numbers(self) -> tuple[float, ...]:
        return tuple(c.value for c in self.captures if isinstance(c, Token) and c.kind is Kind.NUM)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.captures if isinstance(c, Token) and c.kind is Kind.TAG)

    @property
    def colours(self) -> tuple[str, ...]:
        """The colour names or codes a ``C`` placeholder captured, as said."""
        return tuple(
            c.text
            for c in self.captures
            if isinstance(c, Token) and (c.kind is Kind.COLOUR or (c.kind is Kind.WORD and c.text in COLOUR_NAMES))
        )

    @property
    def positions(self) -> tuple[Match, ...]:
        return tuple(c for c in self.captures if isinstance(c, Match))


Item = Token | Match


def _compile_phrase(phrase: str, entry: Entry) -> tuple[Element, ...]:
    if entry.category == "colour" and entry.key == "code":
        return (("colour", None),)
    elements: list[Element] = []
    for part in phrase.replace("NxN", "N x N").split():
        if part == "N":
            elements.append(("n", None))
        elif part in ("A", "B"):
            elements.append(("pos", None))
        elif part == "C":
            elements.append(("col", None))
        elif part == "@tag":
            elements.append(("tag", None))
        elif part.startswith("N") and part[1:2] in ("%", "°"):
            elements += [("n", None), ("s", part[1])]
        else:
            elements.extend(_literal(token) for token in lex(part) if token.text not in PHRASE_FILLER)
    return tuple(elements)


def _literal(token: Token) -> Element:
    if token.kind is Kind.NUM:
        return ("n", token.value)
    if token.kind is Kind.SYM:
        return ("s", token.text)
    return ("w", token.text)


# Patterns indexed by their first two elements (None: a one-element pattern), so each position in
# the prompt only tries the few phrases that could start there.
Index = dict[Element, dict[Element | None, list[Pattern]]]


def _build(vocabulary: tuple[Entry, ...]) -> tuple[Index, Index]:
    first: Index = defaultdict(lambda: defaultdict(list))
    second: Index = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[Element, ...]] = set()
    for order, entry in enumerate(vocabulary):
        for phrase in entry.words:
            elements = _compile_phrase(phrase, entry)
            if not elements or elements in seen:
                continue  # duplicates ("top-right" = "top right") keep the first entry
            seen.add(elements)
            table = second if ("pos", None) in elements else first
            follow = _index_key(elements[1]) if len(elements) > 1 else None
            table[_index_key(elements[0])][follow].append(Pattern(elements, entry, order))
    return _freeze(first), _freeze(second)


def _freeze(table: Index) -> Index:
    return {key: {follow: _ranked(patterns) for follow, patterns in sub.items()} for key, sub in table.items()}


def _ranked(patterns: list[Pattern]) -> list[Pattern]:
    return sorted(patterns, key=_rank)


def _rank(pattern: Pattern) -> tuple[int, int]:
    return (-len(pattern.elements), pattern.order)  # longest phrase first, then table order


def _index_key(element: Element) -> Element:
    kind = element[0]
    return (kind, None) if kind in ("tag", "colour", "pos", "col") else element


FIRST_PASS, SECOND_PASS = _build(VOCABULARY)
# Compiled tables by the vocabulary's identity. Each entry keeps its vocabulary alive, so an id is never
# reused for another one while cached; a brand kit's vocabularies are few, the oldest are dropped.
_TABLES: OrderedDict[int, tuple[tuple[Entry, ...], tuple[Index, Index]]] = OrderedDict(
    {id(VOCABULARY): (VOCABULARY, (FIRST_PASS, SECOND_PASS))}
)
_MAX_TABLES = 16
_tables_lock = threading.Lock()


def _tables(vocabulary: tuple[Entry, ...]) -> tuple[Index, Index]:
    with _tables_lock:
        found = _TABLES.get(id(vocabulary))
        if found is not None and found[0] is vocabulary:
            _TABLES.move_to_end(id(vocabulary))
            return found[1]
    tables = _build(vocabulary)
    with _tables_lock:
        _TABLES[id(vocabulary)] = (vocabulary, tables)
        while len(_TABLES) > _MAX_TABLES:
            oldest = next(iter(_TABLES))
            if oldest == id(VOCABULARY):
                _TABLES.move_to_end(oldest)
                oldest = next(iter(_TABLES))
            del _TABLES[oldest]
    return tables


def _keys(item: Item) -> tuple[Element, ...]:
    if isinstance(item, Match):
        return (("pos", None),) if item.category == "position" else ()
    if item.kind is Kind.WORD:
        return (("w", item.text), ("col", None)) if item.text in COLOUR_NAMES else (("w", item.text),)
    if item.kind is Kind.NUM:
        return (("n", item.value), ("n", None))
    if item.kind is Kind.SYM:
        return (("s", item.text),)
    if item.kind is Kind.TAG:
        return (("tag", None),)
    if item.kind is Kind.COLOUR:
        return (("colour", None), ("col", None))
    return ()


def _fits(element: Element, item: Item) -> bool:
    kind, value = element
    if isinstance(item, Match):
        return kind == "pos" and item.category == "position"
    if kind == "w":
        return item.kind is Kind.WORD and item.text == value
    if kind == "s":
        return item.kind is Kind.SYM and item.text == value
    if kind == "n":
        return item.kind is Kind.NUM and (value is None or item.value == value)
    if kind == "tag":
        return item.kind is Kind.TAG
    if kind == "colour":
        return item.kind is Kind.COLOUR
    if kind == "col":
        return item.kind is Kind.COLOUR or (item.kind is Kind.WORD and item.text in COLOUR_NAMES)
    return False


def _is_filler(item: Item) -> bool:
    return isinstance(item, Token) and item.kind is Kind.WORD and item.text in PHRASE_FILLER


def _try(pattern: Pattern, items: list[Item], i: int) -> tuple[int, Match] | None:
    j = i
    captures: list[Item] = []
    words: list[str] = []
    for index, element in enumerate(pattern.elements):
        if index:
            while j < len(items) and _is_filler(items[j]):
                j += 1
        if j >= len(items) or not _fits(element, items[j]):
            return None
        item = items[j]
        if element[0] in ("n", "tag", "colour", "pos", "col") and element[1] is None:
            captures.append(item)
        elif element[0] in ("w", "s"):
            words.append(str(element[1]))
        j += 1
    return j, Match(pattern.entry, tuple(captures), tuple(words), items[i].start, items[j - 1].end)


def _candidates(items: list[Item], i: int, table: Index) -> list[Pattern]:
    subs = [sub for key in _keys(items[i]) if (sub := table.get(key))]
    if not subs:
        return []
    j = i + 1
    while j < len(items) and _is_filler(items[j]):
        j += 1
    follows = (*_keys(items[j]), None) if j < len(items) else (None,)
    return sorted((p for sub in subs for follow in follows for p in sub.get(follow, ())), key=_rank)


def _pass(items: list[Item], table: Index) -> list[Item]:
    out: list[Item] = []
    i = 0
    while i < len(items):
        found = None
        for pattern in _candidates(items, i, table):
            found = _try(pattern, items, i)
            if found is not None:
                break  # candidates are ranked: the first that fits is the longest
        if found is None:
            out.append(items[i])
            i += 1
        else:
            i, match = found
            out.append(match)
    return out


def match_phrases(tokens: list[Token], vocabulary: tuple[Entry, ...] = VOCABULARY) -> list[Item]:
    """Replace every phrase of ``vocabulary`` (the prompt's, or the edit verbs) in ``tokens`` by a
    :class:`Match` (longest phrase wins)."""
    first, second = _tables(vocabulary)
    return _pass(_pass(list(tokens), first), second)


def neighbour(items: list[Item], index: int, step: int, skip: frozenset[str]) -> tuple[int, Item] | None:
    """The nearest item from ``index`` in direction ``step`` that is not a word/symbol in ``skip``."""
    k = index + step
    while 0 <= k < len(items):
        item = items[k]
        if not (isinstance(item, Token) and item.kind in (Kind.WORD, Kind.SYM) and item.text in skip):
            return k, item
        k += step
    return None


_PLACEHOLDERS = frozenset({"n", "a", "b", "c", "@tag", "nxn"})


@cache
def known_words() -> frozenset[str]:
    """Every single word (lower case) that appears in the vocabulary, placeholders excluded."""
    found: set[str] = set()
    for item in VOCABULARY:
        if item.key == "code":
            continue
        for phrase in item.words:
            found.update(words_of(phrase))
    found.update(word for row in LEFTOVERS for word in row.words)  # "further": named when left over, never unknown
    # Filler skipped inside phrases ("without its background") stays filler outside them.
    return frozenset(found - _PLACEHOLDERS - (PHRASE_FILLER & FILLER)) | frozenset(NUMBER_WORDS)


def phrases_using(words: tuple[str, ...], *, text: bool = True, limit: int = 3) -> tuple[str, ...]:
    """Up to ``limit`` phrases of the vocabulary, as a user would say them, that use ``words`` (those using the
    most of them first, then the shortest; one per meaning): what would work where ``words`` were left over.
    ``text`` False: said of an image, so a text's styling phrases come only when nothing else uses the words."""
    best: dict[int, tuple[bool, int, int, int, str]] = {}
    index = _said_index()
    for word in dict.fromkeys(words):
        for order, category, place, phrase, used in index.get(word, ()):
            rank = (category == "text" and not text, -len(set(words) & used), len(phrase), place, phrase)
            if order not in best or rank < best[order]:
                best[order] = rank
    ranked = sorted(best.values())
    for_subject = [rank for rank in ranked if not rank[0]] or ranked
    return tuple(dict.fromkeys(rank[-1] for rank in for_subject))[:limit]


@cache
def _said_index() -> dict[str, list[tuple[int, str, int, str, frozenset[str]]]]:
    """Each word -> the phrases as said that use it: (entry's order, category, place in the entry, phrase, words)."""
    index: dict[str, list[tuple[int, str, int, str, frozenset[str]]]] = defaultdict(list)
    for order, item in enumerate(VOCABULARY):
        for place, phrase in enumerate(item.said):
            used = frozenset(words_of(phrase))
            for word in used:
                index[word].append((order, item.category, place, phrase, used))
    return dict(index)


@cache
def word_categories() -> dict[str, frozenset[str]]:
    """Each vocabulary word and the categories of the phrases that use it ("size": size, text)."""
    found: dict[str, set[str]] = defaultdict(set)
    for item in VOCABULARY:
        for phrase in item.words:
            for word in words_of(phrase):
                found[word].add(item.category)
    return {word: frozenset(categories) for word, categories in found.items()}

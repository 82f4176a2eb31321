"""Split matched items into clauses, and clauses into one segment per @tag.

A clause ends at punctuation (``, ; . ! ?`` and line breaks) and before a clause word (``and``,
``while``, ``with``, ``then`` …) that is not part of a vocabulary phrase ("back and forth" was already
matched as a whole). Within a clause each tag owns the words after it up to the next tag; words before
the first tag belong to the first tag ("Set @BG as background"). Tags captured by a relation phrase
("over @BG") are objects, not subjects, so "@logo slides across @BG" is one segment about @logo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.meanings import RelationKind, RelationMeaning
from imagegen.prompt.phrases import Item, Match
from imagegen.prompt.words import CLAUSE_WORDS, FILLER, PLURALS, PRONOUNS, SEQUENCE_WORDS


@dataclass
class Clause:
    items: list[Item]
    joined_by: str = ""  # the separator or clause word before it ("," "and" "then" …), "" for the first
    sequenced: bool = False  # follows "then" / "afterwards": its motions come later


@dataclass
class Segment:
    """What one clause says about one subject (``tag`` None: the clause names no tag)."""

    tag: str | None
    items: list[Item] = field(default_factory=list)
    clause: int = 0
    pronoun: bool = False  # the clause says "it" / "them", so a tag-less clause is about a tag
    lead: int = 0  # how many of ``items`` came before the tag ("Spin @logo": 1)

    @property
    def bare(self) -> bool:
        """True when nothing but filler follows the tag ("Make @BG and @logo bounce": @BG is bare)."""
        return _only_filler(self.items)

    @property
    def plural(self) -> bool:
        """The segment speaks of every image ("both", "all of them", "everything")."""
        return any(isinstance(i, Token) and i.is_word(*PLURALS) for i in self.items)

    @property
    def leading(self) -> list[Item]:
        """What came before the tag when it says something ("Spin @logo": [spin]), else []."""
        items = self.items[: self.lead]
        return [] if _only_filler(items) else items


def _only_filler(items: list[Item]) -> bool:
    return all(isinstance(i, Token) and i.kind is Kind.WORD and i.text in FILLER for i in items)


def split_clauses(items: list[Item]) -> list[Clause]:
    clauses: list[Clause] = [Clause([])]
    for item in items:
        if isinstance(item, Token) and item.kind is Kind.SEP:
            _start(clauses, item.text.strip()[:1] or ",", False)
        elif isinstance(item, Token) and item.kind is Kind.WORD and item.text in CLAUSE_WORDS:
            _start(clauses, item.text, item.text in SEQUENCE_WORDS)
        else:
            if isinstance(item, Token) and item.is_word(*SEQUENCE_WORDS):
                clauses[-1].sequenced = True
            clauses[-1].items.append(item)
    return [c for c in clauses if c.items]


def _start(clauses: list[Clause], joined_by: str, sequenced: bool) -> None:
    current = clauses[-1]
    if current.items:
        clauses.append(Clause([], joined_by, sequenced))
        return
    # Two joiners in a row (", and then"): a clause word says more than punctuation.
    current.sequenced = current.sequenced or sequenced
    if joined_by in CLAUSE_WORDS or not current.joined_by:
        current.joined_by = joined_by


def segments(clause: Clause, index: int, has_subject_before: bool) -> list[Segment]:
    """One segment per subject tag in ``clause`` (or a single tag-less segment).

    A clause whose only tag is the object of a relation is about that tag when nothing was named
    before it, or when the relation is a mere "of" ("the image of @logo at the top").
    """
    pronoun = any(isinstance(i, Token) and i.is_word(*PRONOUNS) for i in clause.items)
    found: list[Segment] = []
    leading: list[Item] = []
    for item in clause.items:
        if isinstance(item, Token) and item.kind is Kind.TAG:
            found.append(Segment(item.text, list(leading) if not found else [], index, pronoun, len(leading)))
            leading = []
        elif found:
            found[-1].items.append(item)
        else:
            leading.append(item)
    return found or [_object_as_subject(leading, index, pronoun, has_subject_before)]


def _object_as_subject(items: list[Item], index: int, pronoun: bool, has_subject_before: bool) -> Segment:
    for position, item in enumerate(items):
        is_object = isinstance(item, Match) and item.category == "relation" and bool(item.tags)
        if is_object and sets_the_scene(item) and item.words != ("of",) and not has_subject_before:
            break  # "on @BG, put @logo at the top": the relation waits for the image named next
        if is_object and (not has_subject_before or item.words == ("of",)):
            return Segment(item.tags[0], items[:position] + items[position + 1 :], index, pronoun)
    return Segment(None, items, index, pronoun)


def sets_the_scene(relation: Match) -> bool:
    """ "on @BG", "over @BG": the object is what the next image sits on."""
    return isinstance(relation.value, RelationMeaning) and relation.value.kind is RelationKind.OVER


def objects(items: list[Item]) -> list[str]:
    """Tags mentioned as objects of relation phrases within ``items``."""
    return [tag for item in items if isinstance(item, Match) for tag in item.tags]

"""Split prompt text into tokens: words, numbers, @tags, colour codes, symbols and clause breaks.

Offsets (``start``/``end``) index the original prompt, so warnings can quote the user's own text.
Hyphens and other punctuation inside a clause are dropped: "top-right" is "top right".

Quoted text (``"…"``, ``'…'``, ``“…”``, ``‘…’``) and ``text: …`` / ``headline: …`` / ``caption: …`` (to the
end of the line) become one ``TEXT`` token: nothing inside is read as a command, a size, a colour or a tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from imagegen.prompt.vocabulary import NUMBER_WORDS, TEXT_LABELS
from imagegen.store.tags import tag_key


class Kind(StrEnum):
    WORD = "word"
    NUM = "num"
    TAG = "tag"
    COLOUR = "colour"
    SYM = "sym"
    SEP = "sep"
    TEXT = "text"  # quoted words to draw; ``text`` holds them as typed (between the quotes)


@dataclass(frozen=True)
class Token:
    """One lexical unit; ``text`` is case-folded for words, as written otherwise."""

    kind: Kind
    text: str
    start: int
    end: int
    value: float | None = None  # numbers only
    spelled: bool = False  # a number written as a word ("three")

    def is_word(self, *words: str) -> bool:
        return self.kind is Kind.WORD and self.text in words


# A tag is "@" + a letter (any script, so unknown non-ASCII tags are reported whole), not preceded by a
# word character (e-mail addresses) or another "@". "@30fps" is not a tag: tags start with a letter.
_LABEL = "|".join(TEXT_LABELS)
# Straight single quotes open only at a word start and close only before a non-letter, so "don't" and
# "@logo's" stay apostrophes; an apostrophe followed by a letter may sit inside ('Let's go').
_TOKEN_RE = re.compile(
    rf"""
     (?P<dquote>"[^"]*")
    |(?P<cquote>“[^”]*”|‘[^’]*’)
    |(?P<squote>(?<![\w@])'(?:[^'\n]|'(?=[^\W\d_]))*'(?![^\W\d_]))
    |(?P<label>(?<![\w@])(?:{_LABEL})[ \t]*:[ \t]*+(?P<labelled>(?!["“‘'])[^\n]*))
    |(?P<tag>(?<![\w@])@(?=[^\W\d_])[\w-]+)
    |(?P<func>\brgba?\s*\([^()]{{0,80}}\))
    |(?P<hex>\#[0-9a-fA-F]{{3,8}}(?!\w))
    |(?P<num>(?<![\w.])-\d+(?:\.\d+)?|\d+(?:\.\d+)?)
    |(?P<web>(?<![\w@.])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|uk|de|fr|in|shop|store|app|ai)(?:/[\w./-]*)?(?![\w.]))
    |(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)
    |(?P<arrow>->|=>|[→⟶⇒➔➝])
    |(?P<sep>[,;.!?\n\r|•…—–]+)
    |(?P<sym>[%°×:/=])
    """,
    re.VERBOSE | re.IGNORECASE,
)

_MAX_NUMBER = 1e12  # beyond this every limit is exceeded anyway; keeps arithmetic finite


def lex(text: str) -> list[Token]:
    """Tokens of ``text`` in order; anything unrecognised (emoji, quotes, brackets) is skipped."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        group = match.lastgroup
        start, end = match.span()
        raw = match.group()
        if group in ("dquote", "cquote", "squote"):
            tokens.append(Token(Kind.TEXT, raw[1:-1], start, end))
        elif group == "label":
            begin = match.start("labelled")
            tokens.append(Token(Kind.TEXT, raw[begin - start :].rstrip(), begin, end))
        elif group == "tag":
            tokens.append(Token(Kind.TAG, raw[1:], start, end))
        elif group in ("func", "hex"):
            tokens.append(Token(Kind.COLOUR, raw, start, end))
        elif group == "num":
            tokens.append(Token(Kind.NUM, raw, start, end, value=_number(raw)))
        elif group == "word":
            _add_word(tokens, raw, start, end, text)
        elif group == "web":  # "acme.com": one word, never a clause end at its dot
            tokens.append(Token(Kind.WORD, raw.casefold(), start, end))
        elif group == "arrow":
            tokens.append(Token(Kind.WORD, "to", start, end))
        elif group == "sep":
            tokens.append(Token(Kind.SEP, raw, start, end))
        else:
            tokens.append(Token(Kind.SYM, raw, start, end))
    return tokens


def _number(raw: str) -> float:
    value = float(raw)
    return max(-_MAX_NUMBER, min(_MAX_NUMBER, value))


def _add_word(tokens: list[Token], raw: str, start: int, end: int, text: str) -> None:
    word = raw.replace("’", "'").casefold()
    if word.endswith("'s") and word != "let's":
        word = word[:-2]
    if word == "s" and tokens and tokens[-1].kind is Kind.TAG and text[start - 1 : start] in "'’":
        return  # "@logo's": the possessive is not a word
    if word in NUMBER_WORDS:
        tokens.append(Token(Kind.NUM, word, start, end, value=float(NUMBER_WORDS[word]), spelled=True))
        return
    tokens.append(Token(Kind.WORD, word, start, end))


def words_of(phrase: str) -> list[str]:
    """The case-folded words of a vocabulary phrase (numbers and symbols left out)."""
    return [t.text for t in lex(phrase) if t.kind is Kind.WORD]


def resolve_tags(tokens: list[Token], known: Iterable[str], unknown: Callable[[str], Exception]) -> list[Token]:
    """Each @tag token spelt as in ``known`` (ignoring case and a trailing "-" or "_"); a tag that is not
    there raises ``unknown(its name)``. Quoted text is never a tag, whatever it says."""
    by_key = {tag_key(tag): tag for tag in known}
    resolved: list[Token] = []
    for token in tokens:
        if token.kind is Kind.TAG:
            tag = by_key.get(tag_key(token.text)) or by_key.get(tag_key(token.text.rstrip("-_")))
            if tag is None:
                raise unknown(token.text)
            token = Token(Kind.TAG, tag, token.start, token.end)
        resolved.append(token)
    return resolved

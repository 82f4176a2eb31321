"""Quoted text in a prompt: checked, cleaned and turned into subjects the rest of the parser reads like tags.

The lexer makes one ``TEXT`` token per quoted phrase (or ``headline: …`` line). Here each becomes a
``TAG`` token with a reserved id (``#text1``; uploaded tags start with a letter, so they never clash),
and its words are cleaned: ``\\n`` and `` / `` are line breaks; control characters and bidi overrides are
removed (they would reorder the rest of the page) with a warning. Quotes left open are an error that
says where.
"""

from __future__ import annotations

import unicodedata

from imagegen.errors import PromptError
from imagegen.limits import Limits, check_text
from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.result import Notes
from imagegen.scene import short_text

TEXT_ID_PREFIX = "#text"
_OPENERS = {'"': '"', "“": "”", "‘": "’"}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def is_text_id(tag: str | None) -> bool:
    return tag is not None and tag.startswith(TEXT_ID_PREFIX)


def check_quotes(prompt: str, tokens: list[Token]) -> None:
    """:raise PromptError: for a quote mark opened and never closed, saying where."""
    inside = [(t.start, t.end) for t in tokens if t.kind is Kind.TEXT]
    for index, ch in enumerate(prompt):
        if any(start <= index < end for start, end in inside):
            continue
        opens = ch in _OPENERS or (
            ch == "'" and (index == 0 or not prompt[index - 1].isalnum()) and prompt[index + 1 : index + 2].isalpha()
        )
        if opens:
            close = _OPENERS.get(ch, "'")
            where = prompt[index : index + 30].replace("\n", " ")
            raise PromptError(
                f"The quote {ch} at character {index + 1} (“{where}…”) is never closed — end the text with {close},"
                f" e.g. {ch}Summer Sale{close}."
            )


def clean_words(raw: str) -> tuple[str, list[str]]:
    """The text to draw, and what was removed: ``\\n`` and " / " become line breaks; control characters
    and bidi controls are dropped."""
    text = raw.replace("\\n", "\n").replace("\r\n", "\n").replace(" / ", "\n").replace("\t", " ")
    removed = [
        ch for ch in text if ch != "\n" and (ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Cs"))
    ]
    kept = "".join(ch for ch in text if ch == "\n" or ch not in removed)
    kept = unicodedata.normalize("NFC", kept)
    lines = [" ".join(line.split()) for line in kept.split("\n")]
    return "\n".join(line for line in lines if line), removed


def take_texts(prompt: str, tokens: list[Token], notes: Notes, limits: Limits) -> tuple[list[Token], dict[str, str]]:
    """Replace each ``TEXT`` token by a ``TAG`` token with a reserved id; return the ids' words.

    :raise LimitError: text longer than ``max_text_chars`` or more than ``max_text_layers`` texts.
    """
    texts: dict[str, str] = {}
    out: list[Token] = []
    for token in tokens:
        if token.kind is not Kind.TEXT:
            out.append(token)
            continue
        raw = token.text
        words, removed = clean_words(raw)
        words = _restore_joiners(raw, words)
        shown = short_text(words or token.text)
        removed = [ch for ch in removed if ch not in "\u200c\u200d"]
        if removed:
            notes.add(f"{len(removed)} control or direction-override character(s) were removed from “{shown}”.", shown)
        if not words:
            notes.add(
                f"Empty quotes at character {token.start + 1} were ignored — put the words between them,"
                ' e.g. "Summer Sale".',
                prompt[token.start : token.end],
            )
            continue
        text_id = f"{TEXT_ID_PREFIX}{len(texts) + 1}"
        texts[text_id] = words
        check_text(list(texts.values()), limits)
        out.append(Token(Kind.TAG, text_id, token.start, token.end))
    return out, texts


def text_words(raw: str) -> str:
    """The words a text draws, as a quoted text's are read: line breaks (``\\n``, " / "), control and
    direction-override characters dropped, ZWJ/ZWNJ kept (a template's text slot is filled with these)."""
    return _restore_joiners(raw, clean_words(raw)[0])


def _restore_joiners(raw: str, words: str) -> str:
    """ZWJ/ZWNJ are format characters but shape Hindi and Arabic: keep them where they were typed."""
    if "\u200c" not in raw and "\u200d" not in raw:
        return words
    cleaned, _ = clean_words(raw.replace("\u200c", "\ue000").replace("\u200d", "\ue001"))
    return cleaned.replace("\ue000", "\u200c").replace("\ue001", "\u200d")


def shown(tag: str, texts: dict[str, str]) -> str:
    """How warnings name a subject: ``@logo``, or a text by its words (“Summer Sale”)."""
    return f"“{short_text(texts[tag])}”" if tag in texts else f"@{tag}"

"""The prompt language: parse a plain-English prompt with @tags into an explainable :class:`Scene`.

Pipeline (each step in its own module): :mod:`.lexer` splits the text into tokens and @tags are
resolved against the session; :mod:`.phrases` finds vocabulary phrases (compiled once from
:data:`imagegen.prompt.vocabulary.VOCABULARY`); :mod:`.clauses` splits clauses and gives each @tag its own
words; :mod:`.interpret` reads each segment; :mod:`.build` assembles and checks the Scene.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from imagegen.errors import ImagegenError, NoTagError, PromptError, UnknownTagError, did_you_mean, suggest
from imagegen.limits import LIMITS, Limits, check_canvas, check_prompt_length
from imagegen.prompt.brand import NO_BRAND, BrandWords, missing_kit_words
from imagegen.prompt.build import build_scene
from imagegen.prompt.clauses import split_clauses
from imagegen.prompt.colours import parse_colour
from imagegen.prompt.lexer import Kind, Token, lex, resolve_tags
from imagegen.prompt.phrases import Match, match_phrases
from imagegen.prompt.references import ImageAbout, appositions, file_names, resolve_references
from imagegen.prompt.result import Notes, ParseResult, PromptWarning
from imagegen.prompt.texts import check_quotes, take_texts
from imagegen.prompt.vocabulary import VOCABULARY, entries
from imagegen.prompt.words import FILLER
from imagegen.store.tags import tag_key

__all__ = [
    "BrandWords",
    "ImageAbout",
    "ParseResult",
    "PromptWarning",
    "Token",
    "parse",
    "parse_canvas_size",
    "parse_colour",
]

log = logging.getLogger(__name__)
_SHOWN_TAGS = 20


def parse(
    prompt: str,
    tags: Iterable[str],
    *,
    limits: Limits = LIMITS,
    brand: BrandWords | None = None,
    about: Mapping[str, ImageAbout] | None = None,
) -> ParseResult:
    """Understand ``prompt`` for a session whose images carry ``tags`` (as displayed); ``about``: what is known
    of each tag's image (its file's name, whether it looks like a photo), so "the photo" can find it.

    Only mentioned tags are drawn; ``Layer.tag`` uses the session's spelling. ``brand``: a brand kit's
    colours and fonts, understood like the table's own words (its images come in ``tags``).

    :raise PromptError: (or its subclasses UnknownTagError, NoTagError) when the prompt cannot be used.
    :raise LimitError: when it asks for more than ``limits`` allow.
    """
    session = _session_tags(tags)
    if not isinstance(prompt, str):
        raise PromptError("The prompt must be text.")
    if not prompt.strip():
        raise PromptError(f"The prompt is empty. {_how_to_mention(session)}")
    check_prompt_length(prompt, limits)
    try:
        return _parse(prompt, session, limits, brand or NO_BRAND, about or {})
    except ImagegenError:
        raise
    except Exception as exc:  # a parser bug must not reach the user as a traceback
        log.exception("prompt parser failed on %r", prompt)
        raise PromptError(
            "Sorry — this prompt could not be understood (internal parser problem); try rephrasing it."
        ) from exc


def _parse(
    prompt: str, session: list[str], limits: Limits, brand: BrandWords, about: Mapping[str, ImageAbout]
) -> ParseResult:
    tokens = lex(prompt)
    check_quotes(prompt, tokens)
    notes = Notes()
    tokens = resolve_tags(tokens, session, lambda name: UnknownTagError(_unknown_tag_message(name, session)))
    tokens, texts = take_texts(prompt, tokens, notes, limits)
    for said, note in missing_kit_words(tokens, brand):
        notes.add(note, said)
    tokens = file_names(tokens, session, prompt, notes, about)  # "summer-sale.jpg" names its image, @ or not
    # "the logo", "the photo" find their images with or without an @mention elsewhere ("put the logo top
    # right" is how people write); with none found at all, the error below teaches the @
    tokens = resolve_references(tokens, session, prompt, notes, texts, about=about, phrases=brand.openings)
    by_key = {tag_key(tag): tag for tag in session}
    for words in texts.values():
        tag = by_key.get(tag_key(words[1:])) if words.startswith("@") else None
        if tag is not None:
            notes.add(
                f"“{words}” is in quotes, so it is drawn as text — to place the image, write @{tag} without them."
            )
    if not any(t.kind is Kind.TAG for t in tokens):
        raise NoTagError(f"No image is mentioned. {_how_to_mention(session)}")
    return build_scene(
        prompt,
        split_clauses(appositions(match_phrases(tokens, brand.vocabulary if brand.entries else VOCABULARY))),
        texts=texts,
        notes=notes,
        limits=limits,
        content_words=sum(1 for t in tokens if t.kind is Kind.WORD and t.text not in FILLER),
        session_tags=session,
        default_family=brand.default_font,
    )


def _session_tags(tags: Iterable[str]) -> list[str]:
    """The session's tags as displayed, first spelling of each case-insensitive tag kept."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag_key(str(tag)), str(tag))
    return list(seen.values())


def _listed(session: list[str]) -> str:
    shown = ", ".join(f"@{tag}" for tag in session[:_SHOWN_TAGS])
    return shown + (f" and {len(session) - _SHOWN_TAGS} more" if len(session) > _SHOWN_TAGS else "")


def _unknown_tag_message(name: str, session: list[str]) -> str:
    shown = name if len(name) <= 40 else name[:40] + "…"
    if not session:
        return (
            f"Unknown tag @{shown} — no images are uploaded yet; upload images first, "
            "then mention each one with @ and its tag."
        )
    close = suggest(name, session)
    return f"Unknown tag @{shown}.{did_you_mean(close and f'@{close}')} Tags here: {_listed(session)}"


def _how_to_mention(session: list[str]) -> str:
    if not session:
        return (
            "Upload images first, then mention each one with @ and its tag, "
            'e.g. "Place @logo on top right and @BG as background".'
        )
    return f'Mention your images with @ and their tag, e.g. "{_example(session)}". Tags here: {_listed(session)}.'


def _example(session: list[str]) -> str:
    if len(session) == 1:
        return f"Place @{session[0]} in the center"
    backdrop = next((t for t in session if tag_key(t) in ("bg", "background", "backdrop")), None)
    backdrop = backdrop or next((t for t in session if "bg" in tag_key(t) or "back" in tag_key(t)), session[-1])
    other = next(t for t in session if t != backdrop)
    return f"Place @{other} on top right and @{backdrop} as background"


def parse_canvas_size(text: str, *, limits: Limits = LIMITS) -> tuple[int, int]:
    """(width, height) for "1080x1920", "1920 by 1080" or a format name ("story", "instagram-portrait").

    :raise PromptError: when ``text`` is neither; :raise LimitError: when a side is out of range.
    """
    items = match_phrases([t for t in lex(str(text)[:200]) if not (t.kind is Kind.WORD and t.text in FILLER)])
    found = [i for i in items if isinstance(i, Match) and i.category == "canvas"]
    rest = [i for i in items if not isinstance(i, Match) and not (i.kind is Kind.WORD and i.text in ("the", "a"))]
    if len(found) != 1 or rest:
        formats = ", ".join(e.key for e in entries("canvas") if e.value.size is not None)
        words = [w for e in entries("canvas") for w in e.words if "N" not in w]
        close = suggest(str(text).strip(), words) if str(text).strip() else None
        hint = did_you_mean(close)
        raise PromptError(
            f'"{str(text)[:40]}" is not a canvas size — write width x height (e.g. 1080x1920) '
            f"or a format: {formats}.{hint}"
        )
    match = found[0]
    size = match.value.size or (round(match.numbers[0]), round(match.numbers[1]))
    check_canvas(*size, limits)
    return size

"""Images named the way people write them: "the logo", "this product" stand for @logo, @product.

A word after "the" / "this" / "that" names an image when it is one of the session's tags (ignoring case)
and no vocabulary word ("the background" is a role, never a tag called "background"). "The headline", "the
text" (any word that names a text) stand for the quoted text said last before them (or the first one).
The pair becomes that tag's token, so everything after the lexer treats it exactly like the @mention, and a quiet
note says what it was read as.
"""

from __future__ import annotations

from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.phrases import known_words
from imagegen.prompt.result import Notes
from imagegen.prompt.texts import is_text_id, shown
from imagegen.prompt.vocabulary import TEXT_NAMES
from imagegen.prompt.words import DETERMINERS
from imagegen.store.tags import tag_key


def resolve_references(
    tokens: list[Token],
    session: list[str],
    text: str,
    notes: Notes,
    texts: dict[str, str] | None = None,
    phrases: frozenset[tuple[str, str]] = frozenset(),
) -> list[Token]:
    """``tokens`` with every "the <tag>", "the headline", "the photo" replaced by the token it stands for.

    :param phrases: the first two words of a brand kit's longer names ("acme", "mono"): "the Acme Mono font"
        is the kit's font, not @acme.
    """
    by_key = {tag_key(tag): tag for tag in session}
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        follow = tokens[index + 1] if index + 1 < len(tokens) else None
        after = tokens[index + 2] if index + 2 < len(tokens) else None
        if follow is not None and after is not None and (follow.text, after.text) in phrases:
            out.append(token)
            index += 1
            continue
        tag = _named(token, follow, by_key) or _described(token, follow, tokens[:index], tokens)
        if tag is None or follow is None:
            out.append(token)
            index += 1
            continue
        said = text[token.start : follow.end]
        notes.add(f'"{said}" = {shown(tag, texts or {})}.', said, quiet=True)
        out.append(Token(Kind.TAG, tag, token.start, follow.end))
        index += 2
    return out


def _described(token: Token, follow: Token | None, before: list[Token], tokens: list[Token]) -> str | None:
    """The text "the headline" stands for (None when the prompt has no text)."""
    if follow is None or not token.is_word(*DETERMINERS) or follow.kind is not Kind.WORD:
        return None
    if follow.text in TEXT_NAMES:
        said = [t.text for t in before if t.kind is Kind.TAG and is_text_id(t.text)]
        said = said or [t.text for t in tokens if t.kind is Kind.TAG and is_text_id(t.text)]
        return said[-1] if said else None
    return None


def _named(token: Token, follow: Token | None, by_key: dict[str, str]) -> str | None:
    if follow is None or not token.is_word(*DETERMINERS) or follow.kind is not Kind.WORD:
        return None
    if follow.text in known_words():
        return None
    return by_key.get(tag_key(follow.text))

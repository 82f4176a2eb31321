"""Images named the way people write them: "the logo", "this product" stand for @logo, @product.

A word after "the" / "this" / "that" names an image when it is one of the session's tags (ignoring case)
and no vocabulary word ("the background" is a role, never a tag called "background"). "The headline", "the
text" (any word that names a text) stand for the quoted text said last before them (or the first one).
"on the background @BG" (a role noun right before a tag, after a place word) says that @BG is the background.
The pair becomes that tag's token, so everything after the lexer treats it exactly like the @mention, and a quiet
note says what it was read as.
"""

from __future__ import annotations

from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.phrases import Item, Match, known_words
from imagegen.prompt.result import Notes
from imagegen.prompt.texts import is_text_id, shown
from imagegen.prompt.vocabulary import TEXT_NAMES
from imagegen.prompt.words import DETERMINERS, FILLER, PLACE_PREPOSITIONS
from imagegen.store.tags import tag_key


def resolve_references(
    tokens: list[Token], session: list[str], text: str, notes: Notes, texts: dict[str, str] | None = None
) -> list[Token]:
    """``tokens`` with every "the <tag>", "the headline", "the photo" replaced by the token it stands for."""
    by_key = {tag_key(tag): tag for tag in session}
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        follow = tokens[index + 1] if index + 1 < len(tokens) else None
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


_ROLE_NOUNS = ("background", "backdrop", "bg")
_OWNERS = frozenset({"the", "our", "my", "your", "its", "their", "a"})


def appositions(items: list[Item]) -> list[Item]:
    """``items`` with "on the background @BG", "slides across our backdrop image @BG" read as @BG being the
    background: the role noun and its article move after the tag, so they are @BG's words, not the
    previous image's ("on the background" alone stays a place)."""
    out = list(items)
    for index in range(2, len(out)):
        role, owner, before = out[index], out[index - 1], out[index - 2]
        if not (isinstance(role, Match) and role.category == "role" and role.words in ((n,) for n in _ROLE_NOUNS)):
            continue
        if not (isinstance(owner, Token) and owner.is_word(*_OWNERS) and _is_place_word(before)):
            continue
        after = index + 1
        while after < len(out) and _is_filler(out[after]):
            after += 1  # "the background image @BG"
        tag = out[after] if after < len(out) else None
        if isinstance(tag, Token) and tag.kind is Kind.TAG:
            out[index - 1 : after + 1] = [tag, *out[index - 1 : after]]
    return out


def _is_place_word(item: Item) -> bool:
    if isinstance(item, Match):
        return bool(item.words) and item.words[-1] in PLACE_PREPOSITIONS
    return item.is_word(*PLACE_PREPOSITIONS)


def _is_filler(item: Item) -> bool:
    return isinstance(item, Token) and item.kind is Kind.WORD and item.text in FILLER

"""Images named the way people write them: "the logo", "this product" stand for @logo, @product.

A word after "the" / "this" / "that" names an image when it is one of the session's tags (ignoring case)
and no vocabulary word ("the background" is a role, never a tag called "background"). "The headline", "the
text" (any word that names a text) stand for the quoted text said last before them (or the first one).
"on the background @BG" (a role noun right before a tag, after a place word) says that @BG is the background.
"The photo", "the picture", "the image" stand for the one image they can be (:func:`photo_of`); an uploaded
file's name ("summer-sale.png", "the summer-sale", "the sale picture") for that file's image. The words
become that tag's token, so everything after the lexer treats them exactly like the @mention, and a quiet
note says what they were read as. A photo noun that could be several images is said, with the candidates,
and never given to the previous image.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.phrases import Item, Match, known_words
from imagegen.prompt.result import Notes
from imagegen.prompt.texts import is_text_id, shown
from imagegen.prompt.vocabulary import PHOTO_NOUNS, TEXT_NAMES
from imagegen.prompt.words import DETERMINERS, FILLER, PLACE_PREPOSITIONS
from imagegen.store.tags import tag_key


@dataclass(frozen=True)
class ImageAbout:
    """What the parser may know of an uploaded image besides its tag: the file's name, and whether it looks
    like a photograph (opaque, no plain one-colour border) — so "the photo" and "summer-sale.png" find it."""

    name: str = ""
    photo: bool | None = None  # None: not known


def resolve_references(
    tokens: list[Token],
    session: list[str],
    text: str,
    notes: Notes,
    texts: dict[str, str] | None = None,
    *,
    about: Mapping[str, ImageAbout] | None = None,
    phrases: frozenset[tuple[str, str]] = frozenset(),
) -> list[Token]:
    """``tokens`` with every "the <tag>", "the headline", "the photo", a file's name replaced by the token it
    stands for.

    :param phrases: the first two words of a brand kit's longer names ("acme", "mono"): "the Acme Mono font"
        is the kit's font, not @acme.
    """
    about = about or {}
    by_key = {tag_key(tag): tag for tag in session}
    mentioned = list(dict.fromkeys(t.text for t in tokens if t.kind is Kind.TAG and not is_text_id(t.text)))
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
        if follow is not None and token.is_word(*DETERMINERS) and _shadow_under(out):
            out.append(Token(Kind.WORD, "it", token.start, follow.end))  # "a shadow under the photo": its own
            index += 2
            continue
        previous = tokens[index - 1] if index else None
        tag = _named(token, follow, by_key, previous) or _described(token, follow, tokens[:index], tokens)
        named_next = tokens[index + 2] if index + 2 < len(tokens) else None
        if named_next is not None and named_next.kind is Kind.TAG and _is_photo_noun(token, follow, []):
            # "on top of the photo @BG": the words name the image written right after them
            out.append(Token(Kind.TAG, named_next.text, token.start, named_next.end))
            index += 3
            continue
        before = tokens[max(0, index - 2) : index]
        if tag is None and follow is not None and _the_whole(token, follow, before):
            out += [token, Token(Kind.WORD, "canvas", follow.start, follow.end)]  # "most of the image"
            index += 2
            continue
        if tag is None and _is_photo_noun(token, follow, tokens[index + 2 : index + 3], before):
            assert follow is not None
            tag = photo_of(session, mentioned, about)
            if tag is None:
                out += [token, _unresolved(follow, text[token.start : follow.end], session, mentioned, about, notes)]
                index += 2
                continue
        if tag is None or follow is None:
            out.append(token)
            index += 1
            continue
        said = text[token.start : follow.end]
        notes.add(f'"{said}" = {shown(tag, texts or {})}.', said, quiet=True)
        out.append(Token(Kind.TAG, tag, token.start, follow.end))
        if _itself(out, tag):  # "@product with a shadow under the photo": the photo is @product itself
            out[-1] = Token(Kind.WORD, "it", token.start, follow.end)
        index += 2
    return out


# Words before a reference that relate an image to another ("under", "next to"); said of the image named
# just before, the reference is that image itself ("a shadow under the photo" is "a shadow under it").
_RELATING = frozenset({"under", "below", "beneath", "behind", "above", "over", "beside", "to", "of"})


def _itself(out: list[Token], tag: str) -> bool:
    before = [t for t in out[:-1] if t.kind is Kind.TAG]
    return bool(before) and before[-1].text == tag and len(out) > 1 and out[-2].is_word(*_RELATING)


def _is_photo_noun(token: Token, follow: Token | None, after: list[Token], before: list[Token] = ()) -> bool:
    """ "the photo", "this picture" — not "the image of @BG" (a description of the image named next)."""
    if follow is None or not token.is_word(*DETERMINERS) or not follow.is_word(*PHOTO_NOUNS):
        return False
    return not (after and after[0].is_word("of"))


def _the_whole(token: Token, follow: Token, before: list[Token]) -> bool:
    """ "most of the image", "half of the picture": the image being made — the canvas."""
    said = len(before) > 1 and before[-1].is_word("of") and before[-2].is_word(*_SHARES)
    return said and token.is_word(*DETERMINERS) and follow.is_word(*PHOTO_NOUNS)


_SHARES = ("most", "half", "all", "rest", "part", "much")


def _is_logo(tag: str, about: Mapping[str, ImageAbout]) -> bool:
    return "logo" in tag_key(tag) or "logo" in about.get(tag, ImageAbout()).name.casefold()


def photo_of(session: list[str], mentioned: list[str], about: Mapping[str, ImageAbout]) -> str | None:
    """The one image "the photo" can be, else None: the one whose tag or file name says photo ("hero_photo",
    "IMG_2041.jpg"); else the one that looks like a photograph (not a logo), among the images the prompt names
    when several do; else the one image the prompt names that is not a logo."""
    said = [tag for tag in session if _PHOTO_NAME.search(f"{tag} {about.get(tag, ImageAbout()).name}")]
    if len(said) == 1:
        return said[0]
    photos = [tag for tag in session if about.get(tag, ImageAbout()).photo and not _is_logo(tag, about)]
    if len(photos) > 1:
        photos = [tag for tag in photos if tag in mentioned]
    if len(photos) == 1:
        return photos[0]
    if photos:
        return None
    named = [tag for tag in mentioned if not _is_logo(tag, about)]
    return named[0] if len(named) == 1 else None


_PHOTO_NAME = re.compile(r"(?i)(?:^|[^a-z])(?:photos?|pics?|pictures?|photograph)(?:$|[^a-z])")


def _unresolved(
    noun: Token, said: str, session: list[str], mentioned: list[str], about: Mapping[str, ImageAbout], notes: Notes
) -> Token:
    """A photo noun that could be several images (or none): said with the candidates; its token is made one
    the reader does not know, so what the clause says of it is reported, never given to another image."""
    photos = [tag for tag in session if about.get(tag, ImageAbout()).photo and not _is_logo(tag, about)]
    named = [tag for tag in mentioned if not _is_logo(tag, about)]
    could = photos or named or [tag for tag in session if not _is_logo(tag, about)] or session
    listed = ", ".join(f"@{tag}" for tag in could[:-1]) + f" or @{could[-1]}" if len(could) > 1 else ""
    why = f"could be {listed}" if listed else "names no uploaded image"
    line = f'"{said}" {why} — write the @tag of the one you mean.'
    notes.unresolved[noun.start] = (said, line)
    notes.add(line, said)
    return Token(Kind.WORD, f"{noun.text}?", noun.start, noun.end)


def _shadow_under(out: list[Token]) -> bool:
    return len(out) > 1 and out[-1].is_word("under", "beneath", "below", "underneath") and out[-2].is_word("shadow")


def file_names(
    tokens: list[Token], session: list[str], text: str, notes: Notes, about: Mapping[str, ImageAbout]
) -> list[Token]:
    """An uploaded file's name written out ("summer-sale.png", "the summer-sale", "the sale picture") becomes
    that image's token (with its "the"), and a quiet note says so."""
    folded = text.casefold()
    for tag in session:
        name = about.get(tag, ImageAbout()).name.casefold()
        stem = name.rsplit(".", 1)[0] if "." in name else ""
        # a tag of several words ("the photo1", "the summer-sale"); a one-word tag is found by _named
        several = "" if _WORDS.fullmatch(tag_key(tag)) else tag_key(tag)
        for form, needs_article in ((name, False), (stem, True), (several, True)):
            if len(form) < 3:
                continue
            for found in re.finditer(rf"(?<![\w@-]){re.escape(form)}(?![\w-])", folded):
                tokens = _replace_run(tokens, found.span(), tag, text, notes, needs_article)
    return _name_words(tokens, session, text, notes, about)


def _replace_run(
    tokens: list[Token], span: tuple[int, int], tag: str, text: str, notes: Notes, needs_article: bool
) -> list[Token]:
    start, end = span
    inside = [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]
    if not inside or tokens[inside[0]].start != start or tokens[inside[-1]].end != end:
        return tokens  # not on token boundaries (part of a longer word)
    if any(tokens[i].kind in (Kind.TAG, Kind.TEXT) for i in inside):
        return tokens
    first = inside[0]
    has_article = first > 0 and tokens[first - 1].is_word(*DETERMINERS)
    if needs_article and not has_article:
        return tokens
    first = first - 1 if has_article else first
    said = text[tokens[first].start : end]
    notes.add(f'"{said}" = @{tag}.', said, quiet=True)
    return [*tokens[:first], Token(Kind.TAG, tag, tokens[first].start, end), *tokens[inside[-1] + 1 :]]


def _name_words(
    tokens: list[Token], session: list[str], text: str, notes: Notes, about: Mapping[str, ImageAbout]
) -> list[Token]:
    """ "the sale picture": a determiner, words that are all in one image's name (its tag or file), a photo
    noun."""
    words = {tag: set(_WORDS.findall(f"{tag} {about.get(tag, ImageAbout()).name}".casefold())) for tag in session}
    index = 0
    while index < len(tokens):
        if tokens[index].is_word(*DETERMINERS):
            end = index + 1
            while end < len(tokens) and tokens[end].kind is Kind.WORD and not tokens[end].is_word(*PHOTO_NOUNS):
                end += 1
            said = {t.text for t in tokens[index + 1 : end]}
            if said and end < len(tokens) and tokens[end].is_word(*PHOTO_NOUNS) and end - index <= 4:
                owners = [tag for tag in session if said <= words[tag]]
                if len(owners) == 1:
                    span = (tokens[index + 1].start, tokens[end].end)
                    tokens = _replace_run(tokens, span, owners[0], text, notes, True)
        index += 1
    return tokens


_WORDS = re.compile(r"[^\W\d_]+")


def _described(token: Token, follow: Token | None, before: list[Token], tokens: list[Token]) -> str | None:
    """The text "the headline" stands for (None when the prompt has no text)."""
    if follow is None or not token.is_word(*DETERMINERS) or follow.kind is not Kind.WORD:
        return None
    if follow.text in TEXT_NAMES:
        said = [t.text for t in before if t.kind is Kind.TAG and is_text_id(t.text)]
        said = said or [t.text for t in tokens if t.kind is Kind.TAG and is_text_id(t.text)]
        return said[-1] if said else None
    return None


def _named(token: Token, follow: Token | None, by_key: dict[str, str], previous: Token | None = None) -> str | None:
    """The tag "the <word>" names: a vocabulary word is never a tag's name ("the top" is a place even with an
    image tagged "top"), except a role noun that is not after a place word: "and the BG as background" is
    the image tagged BG, "@logo in the background" is still the role."""
    if follow is None or not token.is_word(*DETERMINERS) or follow.kind is not Kind.WORD:
        return None
    if follow.text in known_words():
        after_place = previous is not None and previous.is_word(*_ROLE_PLACES)
        if follow.text not in _ROLE_NOUNS or after_place:
            return None
    return by_key.get(tag_key(follow.text))


_ROLE_PLACES = ("in", "on", "into", "onto", "to", "as", "behind", "over", "against", "across", "of", "from", "at")


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

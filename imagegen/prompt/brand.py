"""A brand kit's words for the prompt: its named colours and fonts, as extra rows of the one vocabulary.

The kit itself (its brand.toml, files and storage) lives in :mod:`imagegen.library`; the prompt only
sees these words, passed in with the tag map, so the parser, the understanding lines and the Prompt
guide read the same rows (:func:`imagegen.prompt.vocabulary.brand_entries`).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

from imagegen.prompt.lexer import Kind, Token, words_of
from imagegen.prompt.phrases import COLOUR_NAMES
from imagegen.prompt.vocabulary import VOCABULARY, Entry, brand_entries
from imagegen.scene import RGBA


@dataclass(frozen=True)
class BrandWords:
    """What a brand kit adds to the prompt language.

    :param colours: (name as said, e.g. "brand blue"; its RGBA), in the kit's order.
    :param fonts: (name, e.g. "Acme Sans"; its family key ``font:<sha256>``).
    :param default_font: the family key every text uses unless the prompt names another family.
    """

    colours: tuple[tuple[str, RGBA], ...] = ()
    fonts: tuple[tuple[str, str], ...] = ()
    default_font: str | None = None

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        return brand_entries(self.colours, self.fonts, self.default_font)

    @cached_property
    def vocabulary(self) -> tuple[Entry, ...]:
        """The kit's rows first (a kit's own "blue" wins over the CSS one), then the whole table."""
        return (*self.entries, *VOCABULARY)

    @cached_property
    def openings(self) -> frozenset[tuple[str, str]]:
        """The first two words of each longer kit phrase ("acme", "mono"), as the lexer spells them."""
        found: set[tuple[str, str]] = set()
        for entry in self.entries:
            for phrase in entry.words:
                words = words_of(phrase)
                if len(words) >= 2:
                    found.add((words[0], words[1]))
        return frozenset(found)

    def colour_words(self, colour: RGBA | None) -> str | None:
        """ "brand blue (#0055A4)" for a kit colour, else None."""
        if colour is None:
            return None
        for name, value in self.colours:
            if value[:3] == colour[:3]:
                r, g, b = value[:3]
                return f"{name} (#{r:02X}{g:02X}{b:02X})"
        return None

    def font_words(self, family: str) -> str | None:
        """ "brand font Acme Sans" for a kit font's family key, else None."""
        for name, key in self.fonts:
            if key == family:
                return f"brand font {name}"
        return None


def missing_kit_words(tokens: list[Token], brand: BrandWords) -> list[tuple[str, str]]:
    """(words said, a note) for each "brand <colour>" or "brand font" the kit does not have: without the
    note, "brand" is filler and "brand blue" would quietly be CSS blue."""
    names = {name.casefold() for name, _ in brand.colours}
    found: list[tuple[str, str]] = []
    for token, follow in itertools.pairwise(tokens):
        if not token.is_word("brand") or follow.kind is not Kind.WORD:
            continue
        said = f"brand {follow.text}"
        if follow.text in ("font", "typeface") and brand.default_font is None:
            note = f'"{said}": the brand kit has no font, so the text uses Noto Sans — add one under [fonts].'
            found.append((said, note))
        elif follow.text in ("colour", "color") and len(brand.colours) != 1:
            found.append((said, _which_colour(said, brand)))
        elif follow.text in COLOUR_NAMES and said not in names:
            note = (
                f'"{said}" is not a colour of the brand kit, so it is drawn as the CSS {follow.text} — add it '
                f'under [colours] in brand.toml, e.g. "{said}" = "#0055A4".'
            )
            found.append((said, note))
    return found


def _which_colour(said: str, brand: BrandWords) -> str:
    if not brand.colours:
        return (
            f'"{said}": there is no brand kit colour here, so the usual colour is used — name a colour '
            '("in #0055A4", "in navy"), or add a kit with [colours] (see the README).'
        )
    names = " or ".join(f'"{name}"' for name, _ in brand.colours)
    return f'"{said}" could be {names} — say which; the usual colour is used.'


NO_BRAND = BrandWords()
_SPEAKING: ContextVar[BrandWords] = ContextVar("brand_words", default=NO_BRAND)


@contextlib.contextmanager
def speaking(words: BrandWords | None) -> Iterator[None]:
    """Within this block, explanations name the kit's colours and fonts ("brand blue (#0055A4)")."""
    token = _SPEAKING.set(words or NO_BRAND)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def current() -> BrandWords:
    return _SPEAKING.get()

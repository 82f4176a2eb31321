"""What parsing returns: the Scene and the non-fatal warnings about the prompt."""

from __future__ import annotations

from dataclasses import dataclass, field

from imagegen.errors import did_you_mean
from imagegen.scene import Scene


@dataclass(frozen=True)
class PromptWarning:
    """Something the parser noticed but could work around; ``word`` is the phrase it is about."""

    message: str
    word: str | None = None
    quiet: bool = False  # worth a glance, not a warning ("Not used: @a, @b")


@dataclass(frozen=True)
class ParseResult:
    scene: Scene
    warnings: tuple[PromptWarning, ...] = ()
    not_understood: tuple[str, ...] = ()  # the phrases that were ignored, in prompt order
    content_words: int = 0  # words that ask for something (filler and tags not counted)
    canvas_said: bool = False  # the prompt gave a size or format (else a size preset may be offered)

    @property
    def mostly_not_understood(self) -> bool:
        """A third or more of the prompt's content words were not understood: say so prominently."""
        unknown = sum(len(phrase.split()) for phrase in self.not_understood)
        return self.content_words > 0 and unknown * 3 >= self.content_words


@dataclass
class Notes:
    """Warnings collected while parsing, each said once, in the order found."""

    items: list[PromptWarning] = field(default_factory=list)
    unknown: dict[str, str | None] = field(default_factory=dict)  # phrase -> the word it is a typo of
    # "the photo" that could be several images: where its noun starts -> (its words, the line that says so)
    unresolved: dict[int, tuple[str, str]] = field(default_factory=dict)

    def add(self, message: str, word: str | None = None, *, quiet: bool = False) -> None:
        warning = PromptWarning(message, word, quiet)
        if warning not in self.items:
            self.items.append(warning)

    def two_roles(self, name: str, earlier: str, later: str) -> None:
        """A contradiction named, never resolved in silence: "@logo is given two roles (…)"."""
        self.add(f'{name} is given two roles ("{earlier}", then "{later}") — using "{later}".', name)

    def not_understood(self, phrase: str, typo_of: str | None) -> None:
        """Remember an ignored phrase; :meth:`gather_unknown` reports them all in one line."""
        self.unknown.setdefault(phrase, typo_of)

    def gather_unknown(self) -> None:
        if not self.unknown:
            return
        listed = ", ".join(f'"{phrase}"' for phrase in self.unknown)
        typos = {phrase: word for phrase, word in self.unknown.items() if word}
        if len(self.unknown) == 1 or len(typos) == 0:
            hint = did_you_mean(next(iter(typos.values()), None))
        else:
            hint = " Did you mean " + ", ".join(f'"{word}" for "{phrase}"' for phrase, word in typos.items()) + "?"
        self.add(f"Not understood, so ignored: {listed}.{hint}", next(iter(self.unknown)))

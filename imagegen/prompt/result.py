"""What parsing returns: the Scene and the non-fatal warnings about the prompt."""

from __future__ import annotations

from dataclasses import dataclass, field

from imagegen.scene import Scene


@dataclass(frozen=True)
class PromptWarning:
    """Something the parser noticed but could work around; ``word`` is the phrase it is about."""

    message: str
    word: str | None = None


@dataclass(frozen=True)
class ParseResult:
    scene: Scene
    warnings: tuple[PromptWarning, ...] = ()
    canvas_said: bool = False  # the prompt gave a size or format (else a size preset may be offered)


@dataclass
class Notes:
    """Warnings collected while parsing, each said once, in the order found."""

    items: list[PromptWarning] = field(default_factory=list)

    def add(self, message: str, word: str | None = None) -> None:
        warning = PromptWarning(message, word)
        if warning not in self.items:
            self.items.append(warning)

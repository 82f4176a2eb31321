"""Error values users can act on.

Every error the engine raises derives from :class:`ImagegenError`; each message names the offending
word or file, says what was expected, and suggests what would work.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ImagegenError(Exception):
    """Base of every error the engine raises on purpose."""


class PromptError(ImagegenError):
    """The prompt cannot be understood."""


class UnknownTagError(PromptError):
    """The prompt mentions an @tag the session does not have."""


class NoTagError(PromptError):
    """The prompt mentions no @tag at all."""


class LimitError(ImagegenError):
    """A requested size, length, duration or count is beyond a configured limit."""


class UploadError(ImagegenError):
    """An uploaded file was refused; the message starts with the (sanitised) file name."""


class TagError(ImagegenError):
    """A tag is invalid, duplicated or unknown."""


class SessionError(ImagegenError):
    """A session id is malformed, unknown or expired."""


class SessionExpiredError(SessionError):
    """The session was removed (idle too long, reset) while it was in use."""


class RenderError(ImagegenError):
    """A scene cannot be rendered or exported."""


class RenderCancelled(RenderError):
    """The caller cancelled a render between frames."""


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return the choice closest to ``word`` (case-insensitive), or None when nothing is close.

    :return: the choice as spelt in ``choices``.
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[match[0]] if match else None

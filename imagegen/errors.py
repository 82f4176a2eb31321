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


class UploadTooLargeError(UploadError):
    """The file (its bytes or its pixels) or the session it would go into is over a limit."""


class NotAnImageError(UploadError):
    """The file is not in an image format we read (its content decides, never its name)."""


class TagError(ImagegenError):
    """A tag is invalid, duplicated or unknown."""


class SessionError(ImagegenError):
    """A session id is malformed, unknown or expired."""


class SessionExpiredError(SessionError):
    """The session was removed (idle too long, reset) while it was in use."""


class RenderError(ImagegenError):
    """A scene cannot be rendered or exported."""


class BatchError(ImagegenError):
    """A batch (spreadsheet, prompt template or images) cannot be used; messages name the row and column."""


class RenderCancelled(RenderError):
    """The caller cancelled a render between frames."""


class BusyError(ImagegenError):
    """Too many renders are already waiting for a free renderer; nothing was started."""


class LibraryError(ImagegenError):
    """The team library (brand kits, templates, their database) cannot do what was asked; nothing was saved."""


class BrandKitError(LibraryError):
    """A brand kit (its brand.toml, a colour, an image or a font in it) cannot be used."""


class TemplateError(LibraryError):
    """A template cannot be saved, found or filled (a name clash, an unknown or empty slot)."""


class UnknownTemplateError(TemplateError):
    """No template by that name in the library (the message names the ones there are)."""


class UnknownKitError(BrandKitError):
    """No brand kit by that name in the library (the message names the ones there are)."""


class FontFileError(LibraryError):
    """A file given as a font is not a TrueType/OpenType font."""


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return the choice closest to ``word`` (case-insensitive), or None when nothing is close.

    :return: the choice as spelt in ``choices``.
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[match[0]] if match else None


def did_you_mean(close: str | None, *, quote: str = '"') -> str:
    """The one way a suggestion is written: ``' Did you mean "blue"?'`` (a tag or a placeholder as it is
    written: ``' Did you mean @logo?'``, ``' Did you mean {price}?'``), or ``''`` when there is none. It
    follows a full sentence; ``quote`` is how the message around it quotes such words (a file: ``'``)."""
    if not close:
        return ""
    shown = close if close.startswith(("@", "{")) else f"{quote}{close}{quote}"
    return f" Did you mean {shown}?"


def typo_of(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` is most likely a typo of, or None: stricter than :func:`suggest`, for free text.

    A real word is not "corrected" into another one ("remove" is no "move", "slideshow" no "slides",
    "SALE" no "scale"): the first letter must match, the edit distance is 1 (2 from 7 letters on), short
    words (5 letters or fewer) may only swap or change letters, not gain or lose one, and words in
    capitals (a brand, a headline) are never corrected.
    """
    lowered = word.lower()
    if len(word) < 3 or (word.isupper() and len(word) > 1):
        return None
    best: tuple[int, str] | None = None
    for choice in choices:
        candidate = choice.lower()
        if candidate == lowered or candidate[:1] != lowered[:1]:
            continue
        if abs(len(candidate) - len(lowered)) > (0 if len(lowered) <= 5 else 1):
            continue
        distance = _edits(lowered, candidate)
        if distance <= (1 if len(lowered) < 7 else 2) and (best is None or distance < best[0]):
            best = (distance, choice)
    return best[1] if best else None


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (a swap of two neighbours is one edit)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]

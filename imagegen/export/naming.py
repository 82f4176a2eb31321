"""Output file names: timestamp first (sorts by time), then the tags, unique within a folder; a short
slug of the prompt for the names inside a ZIP."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime

from imagegen.export.formats import OutputFormat
from imagegen.files import unique_name

MAX_TAGS_CHARS = 60  # of the tag part; keeps whole names well under every file system's limit
MAX_SLUG_CHARS = 40  # of a prompt's slug: its first words, enough to tell prompts apart in a listing
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_WORD = re.compile(r"[a-z0-9]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _clean(tag: str) -> str:
    return _UNSAFE.sub("_", _ascii(tag)).strip("_")


def prompt_slug(prompt: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """The prompt's first words in lower-case ASCII joined by ``-``, cut at a word boundary.

    ``@`` and punctuation go (a tag's ``_`` splits it into words); words in other scripts are dropped
    (a name must stay readable in every ZIP tool). Empty when nothing is left.

    >>> prompt_slug("Place @product in the center, @logo on top right & @beach_photo as background")
    'place-product-in-the-center-logo-on-top'
    """
    slug = ""
    for word in _WORD.findall(_ascii(prompt).lower()):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_chars:
            return slug or word[:max_chars]
        slug = candidate
    return slug


def slugged_name(file: str, prompt: str) -> str:
    """``file`` with the prompt's slug before its suffix: the name of an output inside a ZIP.

    >>> slugged_name("20240501-093000-BG-logo.gif", "@logo spins over @BG")
    '20240501-093000-BG-logo--logo-spins-over-bg.gif'
    """
    stem, dot, suffix = file.rpartition(".")
    if not dot:
        stem, suffix = file, ""
    slug = prompt_slug(prompt)
    named = f"{stem}--{slug}" if slug else stem
    return f"{named}.{suffix}" if dot else named


def output_name(tags: Sequence[str], fmt: OutputFormat, now: datetime, taken: Collection[str]) -> str:
    """``<YYYYMMDD-HHMMSS>-<tags joined by '-'><suffix>``, unique against ``taken`` (ignoring case).

    Tags are reduced to ASCII letters, digits and ``_`` (so a name never holds a path separator or a
    dot), empty ones dropped, and the tag part cut to :data:`MAX_TAGS_CHARS` at a tag boundary where
    possible. A clash gets ``-2``, ``-3``… before the suffix.

    >>> output_name(["BG", "logo"], OutputFormat.GIF, datetime(2024, 5, 1, 9, 30), [])
    '20240501-093000-BG-logo.gif'
    """
    stem = now.strftime("%Y%m%d-%H%M%S")
    parts = [p for p in (_clean(t) for t in tags) if p]
    joined = ""
    for part in parts:
        candidate = f"{joined}-{part}" if joined else part
        if len(candidate) > MAX_TAGS_CHARS:
            joined = joined or part[:MAX_TAGS_CHARS].rstrip("_")
            break
        joined = candidate
    if joined:
        stem = f"{stem}-{joined}"
    return unique_name(f"{stem}{fmt.suffix}", taken)

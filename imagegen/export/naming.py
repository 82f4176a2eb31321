"""Output file names: timestamp first (sorts by time), then the tags, unique within a folder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime

from imagegen.export.formats import OutputFormat
from imagegen.files import unique_name

MAX_TAGS_CHARS = 60  # of the tag part; keeps whole names well under every file system's limit
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def _clean(tag: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("_", ascii_text).strip("_")


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

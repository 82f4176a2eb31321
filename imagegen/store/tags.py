"""Tag rules: what a tag may look like, auto-tags from file names, and clash checks.

A tag is 1-32 characters of letters, digits, ``_`` and ``-``, starting with a letter. Tags are unique
within a session compared case-insensitively, and displayed as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from imagegen.errors import TagError

MAX_TAG_LENGTH = 32
TAG_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
#: What may follow ``@`` in a prompt; the parser strips trailing ``-``/``_`` when that matches a tag.
MENTION_RE = re.compile(r"@([A-Za-z0-9_-]+)")
_NOT_TAG_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


def tag_key(tag: str) -> str:
    """The case-insensitive identity of a tag."""
    return tag.casefold()


def suggest_tag(text: str) -> str:
    """Turn any text into the nearest valid tag (may still clash with existing ones).

    >>> suggest_tag("Logo Final (2)")
    'Logo_Final_2'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in _NOT_TAG_CHARS.split(ascii_text) if w]
    candidate = "_".join(words).strip("_-")
    candidate = candidate.lstrip("0123456789_-")
    if not candidate:
        return ""
    return candidate[:MAX_TAG_LENGTH].rstrip("_-")


def validate_tag(tag: str, existing: Iterable[str] = ()) -> str:
    """Return ``tag`` stripped of surrounding spaces and a leading ``@`` when it is valid and free.

    :param existing: the other tags of the session (the tag being renamed must not be among them).
    :raise TagError: saying why, with a valid alternative where one can be made.
    """
    cleaned = tag.strip().removeprefix("@")
    if not cleaned:
        raise TagError("A tag cannot be empty — use letters, digits, _ or -, starting with a letter (e.g. logo).")
    if len(cleaned) > MAX_TAG_LENGTH:
        alternative = suggest_tag(cleaned)
        hint = f"; try '{alternative}'" if alternative else ""
        raise TagError(
            f"Tag '{cleaned[:40]}…' is {len(cleaned)} characters long — at most {MAX_TAG_LENGTH} are allowed{hint}."
        )
    if not TAG_RE.fullmatch(cleaned):
        alternative = suggest_tag(cleaned)
        hint = f" Try '{alternative}'." if alternative else ""
        raise TagError(f"Tag '{cleaned}' is not valid — use letters, digits, _ or -, starting with a letter.{hint}")
    taken = {tag_key(t): t for t in existing}
    if tag_key(cleaned) in taken:
        alternative = unique_tag(cleaned, taken.values())
        raise TagError(
            f"Tag '{cleaned}' is already used by another image (as '{taken[tag_key(cleaned)]}');"
            f" tags are compared ignoring case. Try '{alternative}'."
        )
    return cleaned


def unique_tag(base: str, existing: Iterable[str]) -> str:
    """``base`` itself when free, else ``base_2``, ``base_3``, … (shortened to stay within the limit)."""
    taken = {tag_key(t) for t in existing}
    if tag_key(base) not in taken:
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        candidate = base[: MAX_TAG_LENGTH - len(suffix)] + suffix
        if tag_key(candidate) not in taken:
            return candidate
        n += 1


def auto_tag(filename: str, existing: Iterable[str], next_number: int) -> tuple[str, int]:
    """Tag for a new upload from its file name, else ``Image<N>`` numbered across the session.

    :param next_number: the session's counter for fallback names.
    :return: the tag and the counter's new value.
    """
    existing = list(existing)
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    base = suggest_tag(stem)
    if base:
        return unique_tag(base, existing), next_number
    taken = {tag_key(t) for t in existing}
    while tag_key(f"Image{next_number}") in taken:
        next_number += 1
    return f"Image{next_number}", next_number + 1

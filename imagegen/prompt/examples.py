"""Example prompts built from a session's own images, so a first click already works."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from imagegen.store.session import Asset

_BACKGROUND_NAME = re.compile(r"(^|[_-])(bg|background|backdrop|scene|photo)([_-]|\d|$)", re.IGNORECASE)
_LOGO_NAME = re.compile(r"logo|brand|mark|icon", re.IGNORECASE)


@dataclass(frozen=True)
class Cast:
    """Which image plays which part in the examples (the same image may play several when few)."""

    background: str
    logo: str
    subject: str


def cast(assets: Sequence[Asset]) -> Cast | None:
    """Guess background, logo and subject from tags, transparency and size; None without images."""
    if not assets:
        return None
    remaining = list(assets)
    # A tag that names a logo is the user's word for it: never pick it as the background by size.
    not_logos = [a for a in remaining if not _LOGO_NAME.search(a.tag)] or remaining
    background = _pick(not_logos, lambda a: bool(_BACKGROUND_NAME.search(a.tag)), _largest_opaque)
    if len(remaining) > 1:
        remaining.remove(background)
    logo = _pick(remaining, lambda a: bool(_LOGO_NAME.search(a.tag)), _smallest_with_alpha)
    if len(remaining) > 1:
        remaining.remove(logo)
    subject = _largest_opaque(remaining) if len(remaining) > 0 else logo
    return Cast(background.tag, logo.tag, subject.tag)


def example_prompts(assets: Sequence[Asset]) -> list[tuple[str, str]]:
    """(label, prompt) pairs: a still, an animation and a richer one, using the session's tags."""
    roles = cast(assets)
    if roles is None:
        return []
    bg, logo, subject = roles.background, roles.logo, roles.subject
    if len({bg, logo, subject}) == 1:
        return [
            ("Still", f"Place @{bg} in the center on a white background"),
            ("Animation", f"@{bg} slides in from the left over 2 seconds"),
            ("Story", f"Instagram story: @{bg} in the center, spinning slowly, on a black background"),
        ]
    if subject == logo:
        return [
            ("Still", f"Place @{logo} on top right and @{bg} as background"),
            ("Animation", f"@{bg} is stable background and @{logo} is moving from left to right"),
            (
                "Story",
                f"Story format: @{bg} as backdrop, @{logo} bounces in the center 3 times over 3 seconds",
            ),
        ]
    return [
        ("Still", f"Place @{subject} in center, @{logo} on top right, and @{bg} as background"),
        ("Animation", f"@{bg} is stable background and @{logo} is moving from left to right"),
        (
            "Story",
            f"Instagram story: @{bg} as backdrop, @{subject} bounces at the bottom, @{logo} fades in"
            " at the top left over 3 seconds",
        ),
    ]


def _pick(assets: list[Asset], named: Callable[[Asset], bool], fallback: Callable[[Sequence[Asset]], Asset]) -> Asset:
    by_name = [a for a in assets if named(a)]
    return by_name[0] if by_name else fallback(assets)


def _largest_opaque(assets: Sequence[Asset]) -> Asset:
    return max(assets, key=lambda a: (not a.has_alpha, a.width * a.height))


def _smallest_with_alpha(assets: Sequence[Asset]) -> Asset:
    return min(assets, key=lambda a: (not a.has_alpha, a.width * a.height))

"""Colour values: CSS names, hex codes and rgb() as RGBA tuples, and back to words for explanations."""

from __future__ import annotations

import re
from functools import cache

from PIL import ImageColor

from imagegen.errors import PromptError, did_you_mean, suggest
from imagegen.prompt.brand import current
from imagegen.scene import RGBA, short_text

_HEX_RE = re.compile(r"#([0-9a-f]{3,8})")
_FUNC_RE = re.compile(r"(rgba?)\s*\(\s*([^()]*)\)")
_NUMBER_RE = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
_HELP = "use a CSS colour name (e.g. navy), #rrggbb or rgb(r, g, b)"


def parse_colour(text: str) -> RGBA | None:
    """RGBA for a CSS colour name, ``#rgb``/``#rgba``/``#rrggbb``/``#rrggbbaa``, ``rgb(r, g, b)`` or
    ``rgba(r, g, b, a)`` (a in 0-1); None for ``transparent``.

    :raise PromptError: naming the text and the forms that work.
    """
    cleaned = " ".join(str(text).split()).casefold()
    if cleaned == "transparent":
        return None
    name = cleaned.replace(" ", "")  # "dark blue" is darkblue
    if name in ImageColor.colormap:
        r, g, b = ImageColor.getrgb(name)[:3]
        return (r, g, b, 255)
    if cleaned.startswith("#"):
        return _hex(text, cleaned)
    if cleaned.startswith("rgb"):
        return _function(text, cleaned)
    close = suggest(cleaned.replace(" ", ""), ImageColor.colormap) if cleaned else None
    hint = did_you_mean(close) or f" {_HELP[0].upper()}{_HELP[1:]}."
    raise PromptError(f'"{short_text(text)}" is not a colour I know.{hint}')


def _hex(text: str, cleaned: str) -> RGBA:
    match = _HEX_RE.fullmatch(cleaned)
    digits = match.group(1) if match else ""
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    if len(digits) not in (6, 8):
        raise PromptError(f'"{short_text(text)}" is not a colour code — use #rgb or #rrggbb, e.g. #ff0066.')
    values = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    r, g, b = values[:3]
    return (r, g, b, values[3] if len(values) == 4 else 255)


def _function(text: str, cleaned: str) -> RGBA:
    match = _FUNC_RE.fullmatch(cleaned)
    parts = [p.strip() for p in match.group(2).replace("/", ",").split(",")] if match else []
    want = 4 if match and match.group(1) == "rgba" else 3
    if len(parts) == 3 and want == 4:
        want = 3
    if len(parts) not in (want, 4) or not all(_NUMBER_RE.fullmatch(p) for p in parts):
        raise PromptError(f'"{short_text(text)}" is not a colour — write rgb(r, g, b) with three numbers 0-255.')
    channels = [_channel(p, text) for p in parts[:3]]
    alpha = _alpha(parts[3], text) if len(parts) == 4 else 255
    return (channels[0], channels[1], channels[2], alpha)


def _channel(part: str, text: str) -> int:
    value = float(part.rstrip("%")) * 255 / 100 if part.endswith("%") else float(part)
    if not 0 <= value <= 255:
        raise PromptError(f'"{short_text(text)}" is not a colour — each of r, g, b must be between 0 and 255.')
    return int(value + 0.5)


def _alpha(part: str, text: str) -> int:
    value = float(part.rstrip("%")) / (100 if part.endswith("%") else 1)
    if not 0 <= value <= 1:
        raise PromptError(f'"{short_text(text)}" is not a colour — alpha must be between 0 and 1.')
    return int(value * 255 + 0.5)


@cache
def _names_by_rgb() -> dict[tuple[int, int, int], str]:
    names: dict[tuple[int, int, int], str] = {}
    for name in sorted(ImageColor.colormap, key=lambda n: (len(n), n)):
        names.setdefault(ImageColor.getrgb(name)[:3], name)  # shortest name wins: "aqua" over "cyan"
    return names


def colour_name(colour: RGBA | None) -> str:
    """Words for a colour: its CSS name when it has one, else ``#rrggbb`` (``transparent`` for None)."""
    if colour is None:
        return "transparent"
    r, g, b, a = colour
    brand = current().colour_words(colour)
    if brand is not None:
        return brand if a == 255 else f"{brand} at {round(a / 2.55)} % opacity"
    name = _names_by_rgb().get((r, g, b), f"#{r:02x}{g:02x}{b:02x}")
    return name if a == 255 else f"{name} at {round(a / 2.55)} % opacity"

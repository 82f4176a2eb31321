"""Every limit in one place; each can be overridden by an ``IMAGEGEN_<NAME>`` environment variable.

Limits are checked before work starts, here and only here (the prompt checks what it reads as it reads
it; the renderer checks the whole scene once, in ``prepare``), and the error message states the limit.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral

from imagegen.errors import LimitError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Bounds on inputs, sessions and outputs."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_image_side: int = 12_000
    max_images_per_session: int = 50
    max_session_bytes: int = 500 * 1024 * 1024
    min_canvas_side: int = 16
    max_canvas_side: int = 4096
    max_frames: int = 600
    max_duration_s: float = 60.0
    min_fps: float = 1.0
    max_fps: float = 60.0
    max_prompt_chars: int = 2000
    max_text_chars: int = 200
    max_text_layers: int = 10
    max_slides: int = 30
    session_ttl_s: float = 3600.0
    max_sizes: int = 12
    max_batch_rows: int = 10_000
    max_zip_entries: int = 2_000
    max_zip_bytes: int = 500 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Build limits from the defaults, overridden by ``IMAGEGEN_MAX_FILE_BYTES`` and friends.

        A value that is not a positive, finite number of the right kind (whole number for counts and
        bytes), or a minimum above its maximum, is ignored with a logged warning: a typo in the
        environment must not switch a limit off or make every upload fail.
        """
        environ = dict(os.environ if environ is None else environ)
        overrides: dict[str, float | int] = {}
        for field in dataclasses.fields(cls):
            variable = f"IMAGEGEN_{field.name.upper()}"
            raw = environ.get(variable)
            if raw is None:
                continue
            value = _parse(raw, int if field.type in (int, "int") else float)
            if value is None:
                log.warning("ignoring %s=%r: expected a positive %s", variable, raw, _KIND_WORDS[field.type])
                continue
            overrides[field.name] = value
        for low, high in _ORDERED_PAIRS:
            merged = {**dataclasses.asdict(cls()), **overrides}
            if merged[low] > merged[high]:
                log.warning(
                    "ignoring IMAGEGEN_%s / IMAGEGEN_%s: the minimum %s is above the maximum %s",
                    low.upper(),
                    high.upper(),
                    merged[low],
                    merged[high],
                )
                overrides.pop(low, None)
                overrides.pop(high, None)
        return cls(**overrides)


_ORDERED_PAIRS = (("min_canvas_side", "max_canvas_side"), ("min_fps", "max_fps"))
_KIND_WORDS: dict[object, str] = {int: "whole number", "int": "whole number", float: "number", "float": "number"}


def _parse(raw: str, kind: type[int] | type[float]) -> int | float | None:
    """``raw`` as a positive finite ``kind``, else None."""
    text = raw.strip()
    if not text.isascii():  # int() accepts other scripts' digits; an admin types ASCII
        return None
    try:
        value = kind(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return value


LIMITS = Limits.from_env()


# --- the checks ------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    """A number as people write it: 2 not 2.0, 2.5, 1e+12."""
    return f"{value:g}"


def megapixels(pixels: int) -> str:
    """``40 megapixels``, ``1.5 megapixels``; below one megapixel the exact count (``10,000 pixels``)."""
    if pixels < 1_000_000:
        return f"{pixels:,} pixels"
    text = f"{pixels / 1_000_000:.1f}".removesuffix(".0")
    return f"{text} megapixel" + ("" if text == "1" else "s")


def check_image_size(width: int, height: int, limits: Limits = LIMITS) -> None:
    """The one rule for an image's size, at upload and at render (each caller names the image).

    :raise LimitError: no pixels, more than ``max_image_pixels``, or a side over ``max_image_side``.
    """
    if width < 1 or height < 1:
        raise LimitError(f"the image has no pixels ({width}x{height})")
    if width * height > limits.max_image_pixels:
        raise LimitError(
            f"{width}x{height} is {megapixels(width * height)}, over the limit of {megapixels(limits.max_image_pixels)}"
        )
    if max(width, height) > limits.max_image_side:
        raise LimitError(f"{width}x{height} has a side longer than {limits.max_image_side:,} px")


def check_prompt_length(prompt: str, limits: Limits = LIMITS) -> None:
    if len(prompt) > limits.max_prompt_chars:
        raise LimitError(
            f"The prompt is {len(prompt)} characters long — at most {limits.max_prompt_chars} are allowed; shorten it."
        )


def check_canvas(width: object, height: object, limits: Limits = LIMITS) -> None:
    """:raise LimitError: a side that is not a whole number of pixels, or out of range."""
    low, high = limits.min_canvas_side, limits.max_canvas_side
    for side in (width, height):
        if not isinstance(side, Integral) or isinstance(side, bool):
            raise LimitError(f"Canvas side {side!r} is not a whole number of pixels — use {low} to {high}.")
    if low <= width <= high and low <= height <= high:  # type: ignore[operator]
        return
    verdict = "too large" if max(width, height) > high else "too small"  # type: ignore[type-var]
    raise LimitError(
        f"Canvas {_fmt(width)}x{_fmt(height)} is {verdict} — each side must be between {low} and {high} px."
    )


def check_timing(duration: float, fps: float, limits: Limits = LIMITS) -> None:
    """:raise LimitError: a duration, frame rate or frame count out of range."""
    if not math.isfinite(duration) or duration <= 0:
        raise LimitError(f"Duration {_fmt(duration)} s is too short — an animation must last more than 0 s.")
    if duration > limits.max_duration_s:
        raise LimitError(
            f"Duration {_fmt(duration)} s is too long — animations can last at most {_fmt(limits.max_duration_s)} s."
        )
    if not (math.isfinite(fps) and limits.min_fps <= fps <= limits.max_fps):
        raise LimitError(
            f"Frame rate {_fmt(fps)} fps is out of range — use {_fmt(limits.min_fps)} to {_fmt(limits.max_fps)} fps."
        )
    frames = max(1, round(duration * fps))
    if frames > limits.max_frames:
        raise LimitError(
            f"{_fmt(duration)} s at {_fmt(fps)} fps is {frames} frames — at most {limits.max_frames} frames are"
            " allowed; shorten the animation or lower the frame rate."
        )


def check_text(texts: list[str], limits: Limits = LIMITS) -> None:
    """:raise LimitError: more text layers than ``max_text_layers``, or a text over ``max_text_chars``."""
    if len(texts) > limits.max_text_layers:
        raise LimitError(
            f"There are {len(texts)} texts — at most {limits.max_text_layers} are allowed; merge or drop some."
        )
    for text in texts:
        if len(text) > limits.max_text_chars:
            shown = text[:30].replace("\n", " / ")
            raise LimitError(
                f"The text “{shown}…” is {len(text)} characters — at most {limits.max_text_chars} per text;"
                " shorten it or split it into two quoted texts."
            )


def check_slides(count: int, limits: Limits = LIMITS) -> None:
    """:raise LimitError: a slideshow of more images than ``max_slides``."""
    if count > limits.max_slides:
        raise LimitError(
            f"A slideshow can show at most {limits.max_slides} images — this one lists {count};"
            " split it into shorter slideshows."
        )

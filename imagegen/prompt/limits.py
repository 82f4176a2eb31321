"""Limit checks for what a prompt asks for; each message states the limit and what would work."""

from __future__ import annotations

from imagegen.errors import LimitError
from imagegen.limits import Limits


def fmt(value: float) -> str:
    """A number as people write it: 2 not 2.0, 2.5, 1e+12."""
    return f"{value:g}"


def check_prompt_length(prompt: str, limits: Limits) -> None:
    if len(prompt) > limits.max_prompt_chars:
        raise LimitError(
            f"The prompt is {len(prompt)} characters long — at most {limits.max_prompt_chars} are allowed; shorten it."
        )


def check_canvas(size: tuple[int, int], limits: Limits) -> None:
    width, height = size
    low, high = limits.min_canvas_side, limits.max_canvas_side
    if low <= width <= high and low <= height <= high:
        return
    verdict = "too large" if max(width, height) > high else "too small"
    raise LimitError(f"Canvas {fmt(width)}x{fmt(height)} is {verdict} — each side must be between {low} and {high} px.")


def check_timing(duration: float, fps: float, limits: Limits) -> None:
    if duration <= 0:
        raise LimitError(f"Duration {fmt(duration)} s is too short — an animation must last more than 0 s.")
    if duration > limits.max_duration_s:
        raise LimitError(
            f"Duration {fmt(duration)} s is too long — animations can last at most {fmt(limits.max_duration_s)} s."
        )
    if not limits.min_fps <= fps <= limits.max_fps:
        raise LimitError(
            f"Frame rate {fmt(fps)} fps is out of range — use {fmt(limits.min_fps)} to {fmt(limits.max_fps)} fps."
        )
    frames = max(1, round(duration * fps))
    if frames > limits.max_frames:
        raise LimitError(
            f"{fmt(duration)} s at {fmt(fps)} fps is {frames} frames — at most {limits.max_frames} frames are"
            " allowed; shorten the animation or lower the frame rate."
        )

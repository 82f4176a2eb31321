"""One design, many sizes: the canvas presets (read from the vocabulary) and a Scene re-sized to each.

A Scene is already resolution-free: sizes are fractions of the canvas, anchors are fractions, margins a
fraction of the shorter side and backgrounds cover-fit. So the same Scene re-flows for any aspect ratio
by swapping its canvas width and height and nothing else; :func:`resize` does exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from imagegen.errors import ImagegenError, LimitError, PromptError
from imagegen.limits import LIMITS, Limits
from imagegen.scene import Scene

_NOT_NAME = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class SizeSpec:
    """One requested canvas size: ``label`` is safe in a file name ("story", "1200x627")."""

    label: str
    width: int
    height: int

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def __str__(self) -> str:
        return f"{self.label} ({self.width}x{self.height})"


def presets() -> dict[str, tuple[int, int]]:
    """Preset name -> (width, height), in vocabulary order: every canvas entry that is a fixed size."""
    from imagegen.prompt.meanings import CanvasMeaning
    from imagegen.prompt.vocabulary import entries

    return {e.key: e.value.size for e in entries("canvas") if isinstance(e.value, CanvasMeaning) and e.value.size}


def parse_sizes(text: str | Sequence[str], *, limits: Limits = LIMITS) -> list[SizeSpec]:
    """``"instagram,story,1200x627"`` (or a list of those) -> one :class:`SizeSpec` each, in order.

    Each item is a canvas phrase the prompt understands ("story", "linkedin", "1080x1920").

    :raise PromptError: an item is not a size (the message names it) or two items are the same size.
    :raise LimitError: a side is out of range, or more than ``limits.max_sizes`` sizes are asked for.
    """
    from imagegen.prompt import parse_canvas_size

    items = [part.strip() for part in (text.split(",") if isinstance(text, str) else text) if part.strip()]
    if not items:
        raise PromptError("No size given — list canvas sizes separated by commas, e.g. instagram,story,1200x627.")
    if len(items) > limits.max_sizes:
        raise LimitError(f"{len(items)} sizes were asked for — at most {limits.max_sizes} at once.")
    specs: list[SizeSpec] = []
    for item in items:
        try:
            width, height = parse_canvas_size(item, limits=limits)
        except ImagegenError as exc:
            raise type(exc)(f"Size '{item[:40]}': {exc}") from None
        same = next((s for s in specs if s.size == (width, height)), None)
        if same is not None:
            raise PromptError(f"'{same.label}' and '{item}' are both {width}x{height} — list each size once.")
        specs.append(SizeSpec(_label(item, (width, height), specs), width, height))
    return specs


def _label(text: str, size: tuple[int, int], taken: Sequence[SizeSpec]) -> str:
    label = _NOT_NAME.sub("-", text.lower()).strip("-")[:30].strip("-")
    if not label or label[0].isdigit():
        label = f"{size[0]}x{size[1]}"
    used = {s.label for s in taken}
    return label if label not in used else f"{label}-{size[0]}x{size[1]}"


def resize(scene: Scene, spec: SizeSpec | tuple[int, int]) -> Scene:
    """``scene`` on a canvas of another size; every layer re-flows from its fractions."""
    width, height = spec.size if isinstance(spec, SizeSpec) else spec
    return replace(scene, canvas=replace(scene.canvas, width=width, height=height))

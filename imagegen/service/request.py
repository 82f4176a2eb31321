"""What a caller asks the service for, and what the service says back before anything renders."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from imagegen.export import OutputFormat
from imagegen.prompt import BrandWords, ParseResult
from imagegen.scene import Canvas, Scene, Timing
from imagegen.service.sizes import SizeSpec


@dataclass(frozen=True)
class Overrides:
    """Settings chosen outside the prompt (app's advanced options, CLI flags); None keeps the prompt's."""

    size: tuple[int, int] | None = None
    duration_s: float | None = None
    fps: float | None = None

    def apply(self, scene: Scene) -> Scene:
        canvas: Canvas = scene.canvas
        timing: Timing = scene.timing
        if self.size is not None:
            canvas = replace(canvas, width=self.size[0], height=self.size[1])
        if self.duration_s is not None:
            timing = replace(timing, duration_s=self.duration_s)
        if self.fps is not None:
            timing = replace(timing, fps=self.fps)
        return replace(scene, canvas=canvas, timing=timing)

    def changes(self, scene: Scene, *, timed: bool) -> list[str]:
        """One line per setting that changes what the prompt asked for (timing only when it is used)."""
        lines: list[str] = []
        if self.size is not None and self.size != scene.canvas.size:
            (w, h), (pw, ph) = self.size, scene.canvas.size
            lines.append(f"Canvas {w}x{h} (your setting; the prompt gives {pw}x{ph}).")
        for value, name, unit, prompt_value in self._timing(scene):
            if timed and value != prompt_value:
                lines.append(f"{name} {value:g} {unit} (your setting; the prompt gives {prompt_value:g} {unit}).")
        return lines

    def unused(self, scene: Scene) -> list[str]:
        """Settings that cannot apply to ``scene``, a still written as an image (none is ignored silently)."""
        return [
            f"{name} {value:g} {unit} (your setting) is not used: nothing moves, so this is a still image."
            for value, name, unit, _ in self._timing(scene)
        ]

    def _timing(self, scene: Scene) -> list[tuple[float, str, str, float]]:
        said = [
            (self.duration_s, "Duration", "s", scene.timing.duration_s),
            (self.fps, "Frame rate", "fps", scene.timing.fps),
        ]
        return [(value, name, unit, prompt_value) for value, name, unit, prompt_value in said if value is not None]


@dataclass(frozen=True)
class RenderRequest:
    """One request: a prompt (or a saved Scene), follow-up edits, settings, a format and sizes.

    :param scene: a saved Scene used instead of parsing ``prompt`` (the prompt is then only recorded).
    :param fmt: the format asked for (an edit that names one wins); None: PNG for a still, GIF else.
    :param keep_fmt: an earlier output's format, kept when it still fits (a GIF that stops moving: PNG).
    :param sizes: one file per size, each the same design re-flowed; empty: one file at the scene's canvas.
    :param brand: the words of the brand kit in use (its images come with the request's images).
    """

    prompt: str
    edits: tuple[str, ...] = ()
    overrides: Overrides = field(default_factory=Overrides)
    fmt: OutputFormat | None = None
    keep_fmt: OutputFormat | None = None
    sizes: tuple[SizeSpec, ...] = ()
    quality: int = 90
    scene: Scene | None = None
    brand: BrandWords | None = None  # a brand kit's colours and fonts, understood in the prompt


class NoticeKind(StrEnum):
    """How a line about the request is shown: a warning, a quiet note, how an image is scaled, or what the
    design checks saw in the rendered frame (an overlap, hard-to-read text, a story's safe zones)."""

    WARNING = "warning"
    NOTE = "note"
    SCALING = "scaling"
    DESIGN = "design"


@dataclass(frozen=True)
class Fix:
    """One click that fixes a design line: the prompt with a phrase added (``prompt``), or a follow-up
    edit of the output (``edit``); ``label`` is the words added."""

    label: str
    prompt: str = ""
    edit: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "prompt": self.prompt, "edit": self.edit}


@dataclass(frozen=True)
class Notice:
    message: str
    kind: NoticeKind = NoticeKind.WARNING
    fixes: tuple[Fix, ...] = ()

    def __str__(self) -> str:
        shown = "note" if self.kind is NoticeKind.SCALING else self.kind.value
        return f"{shown}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "kind": self.kind.value, "fixes": [fix.to_dict() for fix in self.fixes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        fixes = tuple(Fix(**fix) for fix in data.get("fixes", ()))
        return cls(str(data["message"]), NoticeKind(data.get("kind", NoticeKind.DESIGN)), fixes)


def notices_json(notices: Iterable[Notice]) -> str:
    """Notices as JSON (an output remembers its design lines in the session's manifest); "" for none."""
    listed = [notice.to_dict() for notice in notices]
    return json.dumps(listed) if listed else ""


def notices_from_json(text: str) -> tuple[Notice, ...]:
    return tuple(Notice.from_dict(item) for item in json.loads(text)) if text else ()


@dataclass(frozen=True)
class Target:
    """One file to write: its Scene (at its canvas), its format, and the size it was asked as (if any)."""

    scene: Scene
    fmt: OutputFormat
    size: SizeSpec | None = None

    @property
    def label(self) -> str:
        return self.size.label if self.size is not None else ""


@dataclass(frozen=True)
class Understood:
    """A request checked and resolved, before any pixel: every file it makes and every line about it.

    ``parsed`` is the prompt's own parse (its scene before settings and edits, for the understanding lines);
    ``scene`` is what renders at the request's canvas; ``changes`` says, per edit, what it changed.
    """

    request: RenderRequest
    parsed: ParseResult
    scene: Scene
    targets: tuple[Target, ...]
    notices: tuple[Notice, ...]
    changes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def fmt(self) -> OutputFormat:
        return self.targets[0].fmt

    def messages(self, *kinds: NoticeKind) -> list[str]:
        return [n.message for n in self.notices if not kinds or n.kind in kinds]

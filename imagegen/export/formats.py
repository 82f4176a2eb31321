"""The output formats: file suffixes, MIME types and what each can hold."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from imagegen.errors import RenderError, did_you_mean, suggest
from imagegen.scene import Scene


class OutputFormat(StrEnum):
    """A file type we can write. The value is stored in session manifests: never rename one."""

    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    GIF = "gif"
    APNG = "apng"
    MP4 = "mp4"

    @property
    def record(self) -> FormatRecord:
        return FORMATS[self]

    @property
    def suffix(self) -> str:
        """The file suffix we write, with its dot."""
        return FORMATS[self].suffixes[0]

    @property
    def mime(self) -> str:
        return FORMATS[self].mime

    @property
    def animated(self) -> bool:
        """Can hold an animation."""
        return FORMATS[self].animated

    @property
    def label(self) -> str:
        return FORMATS[self].label

    @property
    def display(self) -> str:
        """The format's name as people write it ("WebP", "MP4")."""
        return FORMATS[self].display

    @classmethod
    def from_suffix(cls, suffix: str) -> OutputFormat:
        """The format for a file suffix (``".jpg"``, ``"JPEG"``, ``"gif"``...), ignoring case.

        :raise RenderError: naming the suffix and listing the choices.
        """
        key = suffix.strip().lower()
        key = key if key.startswith(".") else f".{key}"
        by_suffix = {s: fmt for fmt, record in FORMATS.items() for s in record.suffixes}
        if key in by_suffix:
            return by_suffix[key]
        close = suggest(key, by_suffix, cutoff=0.8)  # .gift -> .gif, but .bmp is no .mp4
        hint = did_you_mean(close, quote="'")
        shown = suffix.strip() or "(none)"
        raise RenderError(f"Unknown output type '{shown}' — use one of {all_suffixes(', ')}.{hint}")


@dataclass(frozen=True)
class FormatRecord:
    """Everything the CLI, the app and the README say about one format (its writer: ``export.writers``)."""

    suffixes: tuple[str, ...]  # the first is the one we write
    mime: str
    animated: bool  # can hold an animation (every format can hold a still)
    label: str  # what the app's format picker shows
    quality: str | None  # what the 1-100 quality setting does to this format (None: nothing, lossless)
    display: str  # the name as people write it, in buttons and messages
    video: bool = False  # a video always has a length: a still is held for the scene's duration
    compressed: bool = True  # the file is compressed already (a ZIP stores it as it is)


FORMATS: dict[OutputFormat, FormatRecord] = {
    OutputFormat.PNG: FormatRecord((".png",), "image/png", False, "PNG — lossless still", None, "PNG"),
    OutputFormat.JPEG: FormatRecord(
        (".jpg", ".jpeg"), "image/jpeg", False, "JPEG — small still, no transparency", "JPEG quality", "JPEG"
    ),
    OutputFormat.WEBP: FormatRecord(
        (".webp",), "image/webp", True, "WebP — small still or animation", "WebP quality (100 = lossless)", "WebP"
    ),
    OutputFormat.GIF: FormatRecord(
        (".gif",),
        "image/gif",
        True,
        "GIF — animation that plays everywhere",
        "GIF error budget (lower = smaller)",
        "GIF",
    ),
    OutputFormat.APNG: FormatRecord((".apng",), "image/apng", True, "APNG — lossless animation", None, "APNG"),
    OutputFormat.MP4: FormatRecord(
        (".mp4",), "video/mp4", True, "MP4 — smallest video (H.264)", "H.264 CRF", "MP4", video=True
    ),
}
"""One record per format; a test checks every format has a writer and a README row."""


def tunable_names() -> str:
    """The formats the quality setting changes, for labels: "JPEG, WebP, GIF, MP4"."""
    return ", ".join(record.display for record in FORMATS.values() if record.quality)


def compressed_suffixes() -> frozenset[str]:
    """Suffixes of files that are compressed already: our formats' and ZIP's."""
    return frozenset({".zip", *(s for record in FORMATS.values() if record.compressed for s in record.suffixes)})


def all_suffixes(sep: str = " ") -> str:
    """Every suffix we accept, for messages and help: ".png .jpg .jpeg ..."."""
    return sep.join(s for record in FORMATS.values() for s in record.suffixes)


_DEFAULT_STILL, _DEFAULT_ANIMATED = OutputFormat.PNG, OutputFormat.GIF


def default_format(scene: Scene) -> OutputFormat:
    """PNG for a still, GIF for an animation."""
    return _DEFAULT_ANIMATED if scene.animated else _DEFAULT_STILL


def check_format(scene: Scene, fmt: OutputFormat) -> None:
    """Refuse a still-only format for an animated scene, before any work starts."""
    if scene.animated and not fmt.animated:
        raise RenderError(
            f"{fmt.name} holds a single image — choose {_animated_names()} for an animation"
            f" (or remove the motion from the prompt for a still)."
        )


def _animated_names() -> str:
    animated = sorted(
        (fmt for fmt, record in FORMATS.items() if record.animated), key=lambda f: f is not _DEFAULT_ANIMATED
    )
    names = [fmt.display for fmt in animated]
    return ", ".join(names[:-1]) + " or " + names[-1]

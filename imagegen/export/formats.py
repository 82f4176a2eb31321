"""The output formats: file suffixes, MIME types and what each can hold."""

from __future__ import annotations

from enum import StrEnum

from imagegen.errors import RenderError, suggest
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
    def suffix(self) -> str:
        """The file suffix we write, with its dot."""
        return _SUFFIX[self]

    @property
    def mime(self) -> str:
        return _MIME[self]

    @property
    def animated(self) -> bool:
        """Can hold an animation."""
        return self in _ANIMATED

    @property
    def still(self) -> bool:
        """Suits a still picture (a one-frame MP4 is possible but is not a picture people can use)."""
        return self is not OutputFormat.MP4

    @classmethod
    def from_suffix(cls, suffix: str) -> OutputFormat:
        """The format for a file suffix (``".jpg"``, ``"JPEG"``, ``"gif"``...), ignoring case.

        :raise RenderError: naming the suffix and listing the choices.
        """
        key = suffix.strip().lower()
        key = key if key.startswith(".") else f".{key}"
        if key in _BY_SUFFIX:
            return _BY_SUFFIX[key]
        close = suggest(key, _BY_SUFFIX, cutoff=0.8)  # .gift -> .gif, but .bmp is no .mp4
        hint = f" Did you mean '{close}'?" if close else ""
        shown = suffix.strip() or "(none)"
        raise RenderError(f"Unknown output type '{shown}' — use one of {', '.join(_BY_SUFFIX)}.{hint}")


_SUFFIX = {
    OutputFormat.PNG: ".png",
    OutputFormat.JPEG: ".jpg",
    OutputFormat.WEBP: ".webp",
    OutputFormat.GIF: ".gif",
    OutputFormat.APNG: ".apng",
    OutputFormat.MP4: ".mp4",
}
_MIME = {
    OutputFormat.PNG: "image/png",
    OutputFormat.JPEG: "image/jpeg",
    OutputFormat.WEBP: "image/webp",
    OutputFormat.GIF: "image/gif",
    OutputFormat.APNG: "image/apng",
    OutputFormat.MP4: "video/mp4",
}
_ANIMATED = frozenset({OutputFormat.WEBP, OutputFormat.GIF, OutputFormat.APNG, OutputFormat.MP4})
_BY_SUFFIX: dict[str, OutputFormat] = {
    ".png": OutputFormat.PNG,
    ".jpg": OutputFormat.JPEG,
    ".jpeg": OutputFormat.JPEG,
    ".webp": OutputFormat.WEBP,
    ".gif": OutputFormat.GIF,
    ".apng": OutputFormat.APNG,
    ".mp4": OutputFormat.MP4,
}


def default_format(scene: Scene) -> OutputFormat:
    """PNG for a still, GIF for an animation."""
    return OutputFormat.GIF if scene.animated else OutputFormat.PNG


def check_format(scene: Scene, fmt: OutputFormat) -> None:
    """Refuse a still-only format for an animated scene, before any work starts."""
    if scene.animated and not fmt.animated:
        raise RenderError(
            f"{fmt.name} holds a single image — choose GIF, WebP, APNG or MP4 for an animation"
            f" (or remove the motion from the prompt for a still)."
        )

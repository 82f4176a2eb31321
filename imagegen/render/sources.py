"""Finding and loading each layer's image: by tag (ignoring case), once per tag, always RGBA."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from PIL import Image

from imagegen.errors import LimitError, RenderError, UploadError, suggest
from imagegen.images import load_image, to_rgba
from imagegen.limits import Limits
from imagegen.scene import Scene
from imagegen.tags import tag_key

ImageSource = Path | Image.Image


def match_sources(scene: Scene, images: Mapping[str, ImageSource]) -> dict[str, ImageSource]:
    """The image for each of the scene's tags, keyed by :func:`tag_key`.

    :raise RenderError: naming a tag without an image (with the closest uploaded tag), or two
        images whose tags differ only in case.
    """
    by_key: dict[str, tuple[str, ImageSource]] = {}
    for tag, source in images.items():
        key = tag_key(tag)
        if key in by_key:
            raise RenderError(
                f"Two images are tagged @{by_key[key][0]} and @{tag} — tags ignore case; rename one of them."
            )
        by_key[key] = (tag, source)
    found: dict[str, ImageSource] = {}
    for layer in scene.layers:
        key = tag_key(layer.tag)
        if key not in by_key:
            raise RenderError(_missing_message(layer.tag, [tag for tag, _ in by_key.values()]))
        found[key] = by_key[key][1]
    return found


def _missing_message(tag: str, available: list[str]) -> str:
    if not available:
        return f"No image is tagged @{tag} — upload an image and tag it '{tag}'."
    close = suggest(tag, available)
    hint = f" Did you mean @{close}?" if close else ""
    listed = ", ".join(f"@{t}" for t in sorted(available, key=str.casefold))
    return f"No image is tagged @{tag} — the images are tagged {listed}.{hint}"


def load_source(tag: str, source: ImageSource | str, limits: Limits) -> Image.Image:
    """The RGBA image for ``tag``; files are decoded with the upload rules (first frame, EXIF upright).

    :raise RenderError: when the file cannot be read; :raise LimitError: when it has too many pixels.
    """
    if isinstance(source, Image.Image):
        width, height = source.size
        if width < 1 or height < 1:
            raise RenderError(f"The image for @{tag} has no pixels ({width}x{height}).")
        if width * height > limits.max_image_pixels:
            raise LimitError(
                f"The image for @{tag} is {width}x{height} — at most {limits.max_image_pixels:,} pixels"
                " are allowed; use a smaller image."
            )
        try:
            return to_rgba(source)
        except (OSError, ValueError) as exc:
            raise RenderError(f"The image for @{tag} cannot be read ({exc}).") from exc
    if isinstance(source, str | os.PathLike):
        try:
            return load_image(Path(source), limits).image
        except UploadError as exc:
            raise RenderError(f"The image for @{tag} cannot be used: {exc}") from exc
    raise RenderError(f"The image for @{tag} is a {type(source).__name__}; expected a file path or a PIL image.")

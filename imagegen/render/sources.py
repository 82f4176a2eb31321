"""Finding and loading each layer's image: by tag (ignoring case), once per tag, always RGBA."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PIL import Image, ImageOps

from imagegen.errors import LimitError, RenderError, did_you_mean, suggest
from imagegen.limits import Limits, check_image_size
from imagegen.scene import Scene
from imagegen.store.images import ALLOWED_FORMATS, to_rgba
from imagegen.store.tags import tag_key

ImageSource = Path | Image.Image
Size = tuple[int, int]


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
    texts = {layer.tag for layer in scene.layers if layer.text is not None}
    for tag in scene.tags:  # layers and slides
        if tag in texts:
            continue  # text layers draw their own sprite
        key = tag_key(tag)
        if key not in by_key:
            raise RenderError(_missing_message(tag, [tag for tag, _ in by_key.values()]))
        found[key] = by_key[key][1]
    return found


def _missing_message(tag: str, available: list[str]) -> str:
    if not available:
        return f"No image is tagged @{tag} — upload an image and tag it '{tag}'."
    close = suggest(tag, available)
    hint = did_you_mean(close and f"@{close}")
    listed = ", ".join(f"@{t}" for t in sorted(available, key=str.casefold))
    return f"No image is tagged @{tag} — the images are tagged {listed}.{hint}"


def load_source(
    tag: str, source: ImageSource | str, limits: Limits, *, at_least: Callable[[Size], Size] | None = None
) -> Image.Image:
    """The image for ``tag`` (RGB when a file is opaque RGB, else RGBA): a PIL image as given, a file's
    first frame turned upright (EXIF).

    Files are the session's stored copies (already validated at upload, possibly larger in bytes
    than the upload limit) or CLI paths; only the pixel limit and the allowed formats apply here.

    :param at_least: given the file's stored size, the size it will be scaled down to (or more): a JPEG
        is then decoded at the smallest of 1/2, 1/4 or 1/8 scale that still covers it (its decoder scales
        in the DCT, as Pillow's thumbnails do), so a 12-megapixel phone photo shown at 1080 px costs a
        quarter of the time and memory.
    :raise RenderError: when the file cannot be read; :raise LimitError: when it has too many pixels.
    """
    if isinstance(source, Image.Image):
        _check_pixels(tag, source.size, limits)
        if source.mode == "RGB":
            return source  # as for a file: an opaque image is drawn from RGB, whichever way it came in
        try:
            return to_rgba(source)
        except (OSError, ValueError) as exc:
            raise RenderError(f"The image for @{tag} cannot be read ({exc}).") from exc
    if isinstance(source, str | os.PathLike):
        return _load_file(tag, Path(source), limits, at_least)
    raise RenderError(f"The image for @{tag} is a {type(source).__name__}; expected a file path or a PIL image.")


def _load_file(tag: str, path: Path, limits: Limits, at_least: Callable[[Size], Size] | None = None) -> Image.Image:
    try:
        with Image.open(path, formats=list(ALLOWED_FORMATS)) as image:
            _check_pixels(tag, image.size, limits)
            image.seek(0)
            if at_least is not None and image.format == "JPEG":
                image.draft(None, at_least(image.size))
            image.load()
            # In place: an upright photo is not copied. A broken EXIF block is ignored, as at upload.
            with contextlib.suppress(OSError, ValueError, SyntaxError, KeyError, TypeError):
                ImageOps.exif_transpose(image, in_place=True)
            # Leaving the ``with`` closes only the file (Pillow 13): the loaded pixels stay, no copy needed.
            if image.mode == "RGB":
                return image  # opaque: kept as RGB, which the sprites resample without an alpha round trip
            return to_rgba(image)
    except Image.DecompressionBombError as exc:
        raise LimitError(
            f"The image for @{tag} ({path.name}) has too many pixels — at most {limits.max_image_pixels:,}."
        ) from exc
    except (OSError, ValueError, SyntaxError, EOFError, IndexError) as exc:
        reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__
        raise RenderError(f"The image for @{tag} ({path.name}) cannot be read: {reason[:120]}.") from exc


def _check_pixels(tag: str, size: tuple[int, int], limits: Limits) -> None:
    try:
        check_image_size(*size, limits)
    except LimitError as exc:
        raise LimitError(f"The image for @{tag}: {exc} — use a smaller image.") from None

"""Decode and validate uploaded images: the content decides, never the name or the client's MIME type.

Checks run cheapest first: byte size, format sniffing, pixel count and longest side (read from the header,
before any pixel is decoded), then the decode itself, EXIF rotation (limits re-checked), and mode
normalisation to RGBA. Every refusal is an :class:`UploadError` whose message starts with the file name.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from imagegen.errors import LimitError, NotAnImageError, UploadError, UploadTooLargeError
from imagegen.files import format_bytes
from imagegen.limits import LIMITS, Limits, check_image_size, megapixels

log = logging.getLogger(__name__)

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
ALLOWED_LABEL = "PNG, JPEG, WebP, GIF or BMP"
#: File-picker hint only; the content is what is checked.
UPLOAD_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp", "bmp")
MAX_NAME_CHARS = 80
#: What :func:`display_name` shows when nothing of the given name is left.
UNNAMED = "unnamed"

# A truncated file must be an error, not a half-grey image.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Formats we recognise only to name them in the refusal (magic bytes -> label).
_KNOWN_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"%!PS", "PostScript/EPS"),
    (b"\xc5\xd0\xd3\xc6", "PostScript/EPS"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
)
_TEXT_FORMATS = (("<svg", "SVG"), ("<?xml", "XML/SVG"), ("<!doctype html", "HTML"), ("<html", "HTML"))
_HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"hevc")
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\]")
# Magic bytes of the formats we accept: a file that starts like one but fails to open is damaged, not
# unsupported.
_ALLOWED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)
_BOMB_PIXELS_RE = re.compile(r"\((\d+) pixels\)")
# warnings.catch_warnings() swaps a process-wide filter list and is not thread-safe: two overlapping
# uploads could restore each other's filters. Only Image.open() (header parsing, cheap) runs under it.
_OPEN_GUARD = threading.Lock()


@dataclass(frozen=True)
class DecodedImage:
    """A validated upload, normalised to RGBA."""

    image: Image.Image
    source_format: str
    has_alpha: bool
    animated: bool = False  # the file has more frames than the first (which is the one used)

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def display_name(filename: str) -> str:
    """A file name safe to show and store: last path part, no control or bidi characters, bounded length.

    >>> display_name("../../x.png")
    'x.png'
    """
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    base = " ".join(_UNSAFE_NAME_CHARS.sub("", base).split()).strip(". ")
    if not base:
        return UNNAMED
    if len(base) > MAX_NAME_CHARS:
        _stem, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 5 else ""
        base = base[: MAX_NAME_CHARS - len(keep) - 2] + "…" + (f".{keep}" if keep else "")
    return base


def decode_image(filename: str, data: bytes, limits: Limits = LIMITS) -> DecodedImage:
    """Validate and decode ``data``; refuse anything outside the allow-list or the limits.

    :param filename: as given by the user; only used (sanitised) in messages.
    :raise UploadError: naming the file, saying why, and what would work.
    """
    name = display_name(filename)
    _check_bytes(name, data, limits)
    image = _open(name, data, limits)
    source_format = _format_of(image)
    _check_pixels(name, image.size, limits)
    animated = _is_animated(image)
    image = _load_first_frame(name, image)
    image = _upright(image)
    _check_pixels(name, image.size, limits)
    try:
        rgba = to_rgba(image)
    except (OSError, ValueError, TypeError, MemoryError) as exc:
        raise UploadError(f"{name}: the image's colours cannot be converted ({_reason(exc)}).") from exc
    # The working copy keeps pixels only: no EXIF (GPS, camera), comments or colour profile from the upload.
    rgba.info = {}
    has_alpha = bool(rgba.getextrema()[3][0] < 255)
    return DecodedImage(rgba, source_format, has_alpha, animated)


def load_image(path: Path, limits: Limits = LIMITS) -> DecodedImage:
    """Decode a file on disk with the upload rules (the CLI uses this)."""
    path = Path(path)
    try:
        check_file_bytes(path.name, path.stat().st_size, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise UploadError(f"{path}: cannot read the file ({exc.strerror or exc}).") from exc
    return decode_image(path.name, data, limits)


def stored_form(decoded: DecodedImage) -> Image.Image:
    """The pixels a session keeps of an upload: RGB when it is opaque, else RGBA."""
    return decoded.image if decoded.has_alpha else decoded.image.convert("RGB")


def thumbnail(image: Image.Image, size: int = 256) -> Image.Image:
    """A ``size`` x ``size`` copy, letterboxed on transparency, so cards and table rows line up."""
    # pad() resizes straight from the source: no full-size copy of a large upload.
    return ImageOps.pad(image.convert("RGBA") if image.mode != "RGBA" else image, (size, size), color=(0, 0, 0, 0))


def to_rgba(image: Image.Image) -> Image.Image:
    """Any Pillow mode -> RGBA, scaling high-bit-depth greys to 8 bits instead of clipping them."""
    if image.mode == "RGBA":
        return image
    if image.mode.startswith("I;16"):
        # The range of a 16-bit sample is known: a dark 16-bit picture must stay dark.
        image = Image.fromarray((np.asarray(image, dtype=np.uint32) // 257).astype(np.uint8), "L")
    elif image.mode in ("I", "F"):
        image = _high_depth_to_l(image)
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("CMYK", "YCbCr", "LAB", "HSV") or (image.mode == "P" and "transparency" not in image.info):
        image = image.convert("RGB")
    return image.convert("RGBA")


def _high_depth_to_l(image: Image.Image) -> Image.Image:
    """32-bit int or float greys, whose range the mode does not fix: guess it from the values."""
    pixels = np.asarray(image, dtype=np.float64)
    finite = pixels[np.isfinite(pixels)]
    top = float(finite.max()) if finite.size else 0.0
    if image.mode == "F" and top <= 1.0:
        scaled = pixels * 255.0
    elif top > 255:
        scaled = pixels / 257.0 if top <= 65535 else pixels * (255.0 / top)
    else:
        scaled = pixels
    return Image.fromarray(np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8), "L")


def _check_bytes(name: str, data: bytes, limits: Limits) -> None:
    if not data:
        raise UploadError(f"{name}: the file is empty — choose a {ALLOWED_LABEL} image.")
    check_file_bytes(name, len(data), limits)


def check_file_bytes(name: str, count: int, limits: Limits = LIMITS) -> None:
    """The one rule for a file's byte count (an HTTP upload is checked with it before it is read)."""
    if count > limits.max_file_bytes:
        size, limit = format_bytes(count), format_bytes(limits.max_file_bytes)
        if size == limit:  # rounding hides the difference: show exact counts
            size, limit = f"{count:,} bytes", f"{limits.max_file_bytes:,} bytes"
        raise UploadTooLargeError(f"{name}: the file is {size}, over the {limit} limit per file.")


def _open(name: str, data: bytes, limits: Limits) -> Image.Image:
    """Parse the header only; Pillow's own decompression-bomb warning is an error here."""
    try:
        with _OPEN_GUARD, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UploadTooLargeError(_bomb_message(name, exc, limits)) from exc
    except UnidentifiedImageError as exc:
        raise _unsupported_error(name, data) from exc
    except Exception as exc:  # any parser failure on hostile bytes is a refusal, never a crash
        raise UploadError(_damaged_message(name, exc)) from exc


def _is_animated(image: Image.Image) -> bool:
    """True when a second frame exists (Pillow reads its header only; no frame is decoded here)."""
    try:
        return bool(getattr(image, "is_animated", False))
    except Exception:  # a broken second frame: the first one is still what we use
        return False


def _load_first_frame(name: str, image: Image.Image) -> Image.Image:
    """Decode only the first frame of an animated input (later frames are never read)."""
    try:
        image.seek(0)
        image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UploadTooLargeError(f"{name}: the image is too large to open safely ({_reason(exc)}).") from exc
    except Exception as exc:  # any decoder failure on hostile bytes is a refusal, never a crash
        raise UploadError(_damaged_message(name, exc, incomplete=True)) from exc
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Apply EXIF orientation; a broken EXIF block is ignored rather than refusing the image."""
    try:
        if image.getexif().get(ExifTags.Base.Orientation, 1) in (None, 1):
            return image  # upright already: exif_transpose would still copy every pixel
        return ImageOps.exif_transpose(image)
    except Exception as exc:  # EXIF parsing of hostile bytes may fail in many ways
        log.info("ignoring unreadable EXIF orientation: %s", exc)
        return image


def _check_pixels(name: str, size: tuple[int, int], limits: Limits) -> None:
    try:
        check_image_size(*size, limits)
    except LimitError as exc:
        raise UploadTooLargeError(f"{name}: {exc}; resize it and upload again.") from None


def _bomb_message(name: str, exc: BaseException, limits: Limits) -> str:
    """Pillow refused the header: state the limit that applied (ours or Pillow's, whichever is lower)."""
    pillow_limit = Image.MAX_IMAGE_PIXELS or limits.max_image_pixels
    limit = min(limits.max_image_pixels, pillow_limit)
    found = _BOMB_PIXELS_RE.search(str(exc))
    size = f" ({megapixels(int(found.group(1)))})" if found else ""
    return f"{name}: the image is too large to open safely{size}; the limit is {megapixels(limit)}."


def _damaged_message(name: str, exc: BaseException, *, incomplete: bool = False) -> str:
    if "MAX_TEXT_CHUNK" in str(exc) or "text chunks" in str(exc):
        return (
            f"{name}: the file carries a text or colour-profile block too large to read safely;"
            " re-save it without metadata and upload again."
        )
    what = "damaged or incomplete" if incomplete else "damaged"
    return f"{name}: the file is {what} and cannot be read ({_reason(exc)})."


def _unsupported_error(name: str, data: bytes) -> UploadError:
    """Damaged (it starts like a format we read) or not an image of ours at all (a NotAnImageError)."""
    for magic, label in _ALLOWED_MAGIC:
        if data.startswith(magic):
            return UploadError(f"{name}: the file looks like a {label} image but is damaged and cannot be read.")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return UploadError(f"{name}: the file looks like a WebP image but is damaged and cannot be read.")
    label = _sniff_other_format(data)
    if label == "HTML":
        return NotAnImageError(f"{name}: this is an HTML page, not an image — use {ALLOWED_LABEL}.")
    if label:
        return NotAnImageError(f"{name}: {label} images are not supported — use {ALLOWED_LABEL}.")
    return NotAnImageError(f"{name}: this is not an image we can read — use {ALLOWED_LABEL}.")


def _sniff_other_format(data: bytes) -> str | None:
    head = data[:512]
    for magic, label in _KNOWN_OTHER_FORMATS:
        if head.startswith(magic):
            return label
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "HEIC/AVIF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("latin-1").lower()
    for start, label in _TEXT_FORMATS:
        if text.startswith(start):
            return label
    return None


def _format_of(image: Image.Image) -> str:
    return (image.format or "PNG").upper()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]

"""The images a batch may use: a folder, an uploaded ZIP (unpacked safely) or the session's images.

A spreadsheet cell names an image by its file name (``shoe.png``), its path inside the ZIP
(``shoes/red.png``), its name without the suffix (``shoe``) or, for the session's images, its tag.

A ZIP is untrusted: an entry that leaves the archive (``../``, absolute, a drive, a link) refuses the
whole ZIP; so does one that inflates past its declared size (a zip bomb lies in its header). Sizes are
checked twice: the declared sizes before anything is written, the real bytes while unpacking. Files
are written under generated names, so no entry name ever becomes a path.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from imagegen.errors import BatchError, LimitError, did_you_mean, suggest
from imagegen.files import format_bytes
from imagegen.limits import LIMITS, Limits
from imagegen.store.images import display_name

_CHUNK = 1 << 16
#: Archive clutter from macOS Finder and Windows Explorer, never user content.
_CLUTTER_DIRS = ("__MACOSX",)
_CLUTTER_FILES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class ImageLibrary:
    """Image name -> file on disk, plus the entries that were refused (name -> why)."""

    where: str
    files: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, path: Path) -> None:
        self.files[name] = path

    def merge(self, other: ImageLibrary) -> ImageLibrary:
        """One library holding both; names of ``self`` win."""
        merged = ImageLibrary(f"{self.where} or {other.where}", {**other.files, **self.files})
        merged.refused = {**other.refused, **self.refused}
        return merged

    def find(self, name: str) -> Path:
        """The file for ``name``: exact path, then file name, then name without suffix (ignoring case).

        :raise BatchError: saying it is missing (with the closest name), refused (and why), or ambiguous.
        """
        wanted = name.strip().replace("\\", "/").casefold()
        for key in (_path_key, _base_key, _stem_key):
            found = [n for n in self.files if key(n) == key(wanted)]
            if len(found) == 1:
                return self.files[found[0]]
            if len(found) > 1:
                listed = ", ".join(sorted(found)[:5])
                raise BatchError(f"'{name}' matches several images ({listed}) — write the full name with its folder.")
        refused = next((why for n, why in self.refused.items() if _base_key(n) == _base_key(wanted)), None)
        if refused:
            raise BatchError(f"'{name}' was refused: {refused}")
        close = suggest(name.strip(), list(self.files), cutoff=0.7)
        hint = did_you_mean(close, quote="'")
        if not self.files:
            return _raise(f"'{name}' is not among the images — {self.where} holds no images.")
        return _raise(f"'{name}' is not in {self.where}.{hint}")


def _raise(message: str) -> Path:
    raise BatchError(message)


def _path_key(name: str) -> str:
    return name.casefold()


def _base_key(name: str) -> str:
    return PurePosixPath(name.casefold()).name


def _stem_key(name: str) -> str:
    return PurePosixPath(name.casefold()).stem


def library_from_folder(folder: Path, *, limits: Limits = LIMITS) -> ImageLibrary:
    """Every file under ``folder`` (not following links), named by its path relative to ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BatchError(f"The images folder '{folder}' does not exist or is not a folder.")
    library = ImageLibrary(f"the folder '{folder}'")
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or _clutter(path.relative_to(folder).as_posix()):
            continue
        if len(library.files) >= limits.max_zip_entries:
            most = limits.max_zip_entries
            raise LimitError(f"'{folder}' holds more than {most} files — at most {most} per batch.")
        library.add(path.relative_to(folder).as_posix(), path)
    return library


def library_from_tags(images: Iterable[tuple[str, str, Path]], where: str = "this session's images") -> ImageLibrary:
    """The session's images as (tag, original file name, stored path): found by tag or by file name."""
    library = ImageLibrary(where)
    for tag, original, path in images:
        library.add(tag, path)
        library.files.setdefault(original, path)
    return library


def unpack_zip(source: Path | BinaryIO, dest: Path, *, name: str = "the ZIP", limits: Limits = LIMITS) -> ImageLibrary:
    """Unpack the files of a ZIP into ``dest`` (created) under generated names, safely.

    :raise BatchError: not a ZIP, an entry escaping the archive, a link, encryption, or real bytes beyond the
        declared size; nothing is left in ``dest`` then.
    :raise LimitError: too many entries or too many bytes (declared), stating the limit.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchError(f"{name} is not a readable ZIP file ({exc}).") from exc
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir() and not _clutter(info.filename)]
        _check_entries(entries, name, limits)
        dest.mkdir(parents=True, exist_ok=True)
        library = ImageLibrary(name)
        try:
            for index, info in enumerate(entries):
                shown = _entry_name(info.filename)
                if info.file_size > limits.max_file_bytes:
                    library.refused[shown] = (
                        f"it is {format_bytes(info.file_size)} — images can be at most "
                        f"{format_bytes(limits.max_file_bytes)}."
                    )
                    continue
                target = dest / f"{index:05d}{_suffix(shown)}"
                _copy_entry(archive, info, target, name)
                library.add(shown, target)
        except BaseException:
            for path in dest.glob("*"):
                path.unlink(missing_ok=True)
            raise
    return library


def _check_entries(entries: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(entries) > limits.max_zip_entries:
        raise LimitError(f"{name} holds {len(entries)} files — at most {limits.max_zip_entries} per batch.")
    declared = sum(info.file_size for info in entries)
    if declared > limits.max_zip_bytes:
        raise LimitError(
            f"{name} unpacks to {format_bytes(declared)} — at most {format_bytes(limits.max_zip_bytes)} per batch."
        )
    for info in entries:
        shown = display_name(info.filename)
        if _escapes(info.filename):
            raise BatchError(
                f"{name} holds an entry '{shown}' whose path leaves the archive ('..', absolute or a drive) "
                "— the ZIP was refused and nothing was unpacked."
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BatchError(f"{name} holds a link '{shown}' — links are refused; zip the image files themselves.")
        if info.flag_bits & 0x1:
            raise BatchError(f"{name} is password-protected ('{shown}') — zip the images without a password.")


def _escapes(filename: str) -> bool:
    text = filename.replace("\\", "/")
    parts = text.split("/")
    drive = len(text) >= 2 and text[1] == ":"
    return text.startswith("/") or drive or ".." in parts or "\x00" in text


def _entry_name(filename: str) -> str:
    """The entry's path inside the archive, as shown and looked up (forward slashes, no empty parts)."""
    parts = [display_name(p) for p in filename.replace("\\", "/").split("/") if p.strip()]
    return "/".join(parts)


def _suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""


def _clutter(filename: str) -> bool:
    parts = filename.replace("\\", "/").split("/")
    return parts[0] in _CLUTTER_DIRS or parts[-1] in _CLUTTER_FILES or parts[-1].startswith("._")


def _copy_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Copy one entry, counting real bytes: more than declared is a lie (a bomb) and refuses the ZIP."""
    written = 0
    try:
        with archive.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size:
                    raise BatchError(
                        f"{name}: '{display_name(info.filename)}' inflates beyond the size its header declares "
                        f"({format_bytes(info.file_size)}) — a zip bomb? The ZIP was refused."
                    )
                out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise BatchError(
            f"{name}: '{display_name(info.filename)}' does not match what its header declares ({exc}) — a zip bomb "
            "or a damaged ZIP; the ZIP was refused."
        ) from exc
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise BatchError(f"{name}: '{display_name(info.filename)}' cannot be unpacked ({exc}).") from exc

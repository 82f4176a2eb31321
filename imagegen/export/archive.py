"""ZIP several files into one download, atomically, with safe names inside."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

from imagegen.errors import RenderError
from imagegen.export.formats import compressed_suffixes
from imagegen.files import atomic_path, unique_name, write_error

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
MAX_PART_CHARS = 100


def safe_arcname(name: str) -> str:
    """A relative, forward-slash name with no ``..``, drive, control or reserved characters.

    >>> safe_arcname("../../etc/passwd")
    'etc/passwd'
    >>> safe_arcname("C:\\\\Users\\\\me\\\\logo.png")
    'C_/Users/me/logo.png'
    """
    text = unicodedata.normalize("NFC", name).replace("\\", "/")
    parts = []
    for raw in text.split("/"):
        part = _UNSAFE.sub("_", raw).strip(" .")
        if part:
            parts.append(part[:MAX_PART_CHARS])
    return "/".join(parts) or "file"


def zip_files(files: Iterable[tuple[str, Path]], dest: Path) -> Path:
    """Write a ZIP of ``(arcname, path)`` pairs to ``dest`` atomically and return ``dest``.

    Arcnames are made safe (:func:`safe_arcname`) and unique (``-2``, ``-3``… ignoring case).

    :raise RenderError: a file cannot be read or the ZIP cannot be written (no partial ZIP is left).
    """
    dest = Path(dest)
    used: set[str] = set()
    try:
        with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
            for arcname, path in files:
                path = Path(path)
                name = unique_name(safe_arcname(arcname), used)
                used.add(name)
                # Already-compressed files are stored as they are: deflating them again saves nothing.
                stored = path.suffix.lower() in compressed_suffixes()
                try:
                    archive.write(path, name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                except OSError as exc:
                    reason = exc.strerror or str(exc)
                    raise RenderError(f"Cannot add {path.name} to {dest.name}: {reason}.") from exc
    except OSError as exc:
        raise write_error(dest, exc) from exc
    return dest

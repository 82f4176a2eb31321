"""ZIP several files into one download, atomically, with safe names inside and, when asked, a manifest
(a CSV of each file's name inside the ZIP and what made it)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from imagegen.errors import RenderError
from imagegen.export.formats import compressed_suffixes
from imagegen.files import atomic_path, unique_name, write_error

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
MAX_PART_CHARS = 100
MANIFEST_NAME = "manifest.csv"
#: A spreadsheet reads a cell that starts with one of these as a formula ("@logo spins" included).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = Mapping[str, object]


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


def _cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def manifest_csv(rows: Sequence[Row]) -> bytes:
    """A CSV with a header of the rows' keys (in the first row's order), one line per row, UTF-8 with a
    BOM so that a spreadsheet shows accents and other scripts; a text cell a spreadsheet would run as a
    formula starts with ``'``."""
    if not rows:
        return b""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def zip_files(files: Iterable[tuple[str, Path]], dest: Path, *, manifest: Sequence[Row] | None = None) -> Path:
    """Write a ZIP of ``(arcname, path)`` pairs to ``dest`` atomically and return ``dest``.

    Arcnames are made safe (:func:`safe_arcname`) and unique (``-2``, ``-3``… ignoring case).
    ``manifest``: one row per file, in order; the ZIP then ends with :data:`MANIFEST_NAME`, whose first
    column ``file`` is each file's name inside the ZIP.

    :raise RenderError: a file cannot be read or the ZIP cannot be written (no partial ZIP is left).
    """
    dest = Path(dest)
    used: set[str] = {MANIFEST_NAME} if manifest is not None else set()
    names: list[str] = []
    try:
        with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
            for arcname, path in files:
                path = Path(path)
                name = unique_name(safe_arcname(arcname), used)
                used.add(name)
                names.append(name)
                # Already-compressed files are stored as they are: deflating them again saves nothing.
                stored = path.suffix.lower() in compressed_suffixes()
                try:
                    archive.write(path, name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                except OSError as exc:
                    reason = exc.strerror or str(exc)
                    raise RenderError(f"Cannot add {path.name} to {dest.name}: {reason}.") from exc
            if manifest is not None:
                rows = [{"file": name, **row} for name, row in zip(names, manifest, strict=True)]
                archive.writestr(MANIFEST_NAME, manifest_csv(rows), zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise write_error(dest, exc) from exc
    return dest

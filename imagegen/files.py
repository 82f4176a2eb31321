"""File helpers every layer shares: atomic writes, unique names, byte counts for people."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes 0600 files; a finished output gets the mode an ordinary new file would (session folders
# are 0700, so session outputs stay private either way).
FILE_MODE = 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(dest: Path, *, mode: int | None = FILE_MODE) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on a clean exit it replaces ``dest`` (readers never see half
    a file), on any error it is removed.

    The temporary name keeps ``dest``'s suffix (ffmpeg picks the container from it). ``mode`` None keeps
    mkstemp's private 0600.

    :raise OSError: as the file system reports it (the caller words it for its users).
    """
    dest = Path(dest)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.stem[:40]}-", suffix=f".part{dest.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically (private 0600 unless ``mode`` says otherwise)."""
    with atomic_path(path, mode=mode) as tmp:
        tmp.write_bytes(data)


def unique_name(name: str, taken: Collection[str]) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext``… — the first not in ``taken`` (ignoring case)."""
    used = {t.casefold() for t in taken}
    path, candidate, n = PurePosixPath(name), name, 2
    while candidate.casefold() in used:
        candidate, n = str(path.with_name(f"{path.stem}-{n}{path.suffix}")), n + 1
    return candidate


def format_bytes(n: int) -> str:
    """A byte count for people: ``20 MB``, ``1.5 MB``, ``512 KB``, ``100 bytes``."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{n} bytes"

"""File helpers every layer shares: atomic writes, unique names, byte counts for people."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath

from imagegen.errors import ImagegenError, RenderError

log = logging.getLogger(__name__)


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


def write_error(dest: Path, exc: BaseException) -> ImagegenError:
    """A user-facing error for a failed write of ``dest``."""
    if isinstance(exc, ImagegenError):
        return exc
    if isinstance(exc, OSError):
        code = exc.errno
        if code == errno.ENOSPC or code == errno.EDQUOT:
            reason = "the disk is full — free some space and try again"
        elif code == errno.ENOENT:
            reason = f"the folder '{dest.parent}' does not exist"
        elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason = f"no permission to write in '{dest.parent}' — choose another folder"
        else:
            reason = exc.strerror or str(exc)
        return RenderError(f"Cannot write {dest.name}: {reason}.")
    log.error("export of %s failed", dest.name, exc_info=exc)
    return RenderError(f"Cannot write {dest.name}: {type(exc).__name__}: {exc}")

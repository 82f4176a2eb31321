"""Write a file so that it appears complete or not at all.

The data goes to a hidden temporary file in the destination's folder (same file system, so the final
``os.replace`` is atomic); any failure removes it. OS errors become :class:`RenderError` messages a
user can act on.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

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
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``dest``; on a clean exit it replaces ``dest``.

    The temporary name keeps ``dest``'s suffix (ffmpeg picks the container from it).

    :raise RenderError: when the folder is missing, unwritable or full (see :func:`write_error`).
    """
    dest = Path(dest)
    try:
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.stem[:40]}-", suffix=f".part{dest.suffix}")
    except OSError as exc:
        raise write_error(dest, exc) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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

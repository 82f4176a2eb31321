"""Failed writes of outputs as messages a user can act on (the atomic write itself: :mod:`imagegen.files`)."""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from imagegen.errors import ImagegenError, RenderError

log = logging.getLogger(__name__)


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

"""The one service: a request (prompt or Scene, images by tag, settings, edits, format, sizes) -> file(s),
with every line a user should read. The app, the command line, the batch and any other caller use only
this; none of them decides what a file looks like.

* :mod:`.request`  what is asked (:class:`RenderRequest`, :class:`Overrides`) and what is understood
* :mod:`.pipeline` :func:`understand`, :func:`render`, :func:`open_images`: no session needed
* :mod:`.outputs`  the same for a session: files in its outputs, recorded in its manifest
* :mod:`.sizes` (one design, many sizes), :mod:`.edits` (follow-up edits), :mod:`.queue` (one render per core)
"""

from imagegen.service.pipeline import (
    about_images,
    design_notices,
    held_length,
    open_images,
    render,
    sizes_of,
    understand,
)
from imagegen.service.request import Fix, Notice, NoticeKind, Overrides, RenderRequest, Target, Understood

__all__ = [
    "Fix",
    "Notice",
    "NoticeKind",
    "Overrides",
    "RenderRequest",
    "Target",
    "Understood",
    "about_images",
    "design_notices",
    "held_length",
    "open_images",
    "render",
    "sizes_of",
    "understand",
]

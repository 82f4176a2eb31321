"""Exporters: a rendered plan -> PNG, JPEG, WebP, GIF, APNG or MP4, written atomically.

* :func:`export` — write a :class:`~imagegen.render.RenderPlan` to a file (streams frames).
* :class:`OutputFormat`, :func:`default_format` — the formats and the default for a scene.
* :func:`output_name` — a unique, safe file name from the tags and the time.
* :func:`zip_files` — several files in one ZIP, atomically.
"""

from imagegen.export.archive import zip_files
from imagegen.export.formats import OutputFormat, check_format, default_format
from imagegen.export.gif import GifEncoder, GifStats, write_gif
from imagegen.export.naming import output_name
from imagegen.export.writers import export

__all__ = [
    "GifEncoder",
    "GifStats",
    "OutputFormat",
    "check_format",
    "default_format",
    "export",
    "output_name",
    "write_gif",
    "zip_files",
]

"""Every limit in one place; each can be overridden by an ``IMAGEGEN_<NAME>`` environment variable.

Limits are checked before work starts, and the error message states the limit.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Bounds on inputs, sessions and outputs."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_image_side: int = 12_000
    max_input_frames: int = 10_000
    max_images_per_session: int = 50
    max_session_bytes: int = 500 * 1024 * 1024
    min_canvas_side: int = 16
    max_canvas_side: int = 4096
    max_frames: int = 600
    max_duration_s: float = 60.0
    min_fps: float = 1.0
    max_fps: float = 60.0
    max_prompt_chars: int = 2000
    session_ttl_s: float = 3600.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Build limits from the defaults, overridden by ``IMAGEGEN_MAX_FILE_BYTES`` and friends."""
        environ = dict(os.environ if environ is None else environ)
        overrides: dict[str, float | int] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(f"IMAGEGEN_{field.name.upper()}")
            if raw is None:
                continue
            kind = int if field.type in (int, "int") else float
            try:
                overrides[field.name] = kind(raw)
            except ValueError:
                log.warning("ignoring IMAGEGEN_%s=%r: not a number", field.name.upper(), raw)
        return cls(**overrides)


LIMITS = Limits.from_env()

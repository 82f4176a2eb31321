"""Small display helpers shared by the pages."""

from __future__ import annotations


def human_bytes(count: int) -> str:
    """``1536`` -> ``1.5 KB``."""
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"

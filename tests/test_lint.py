"""The suite runs ruff too, so a lint or format slip fails CI like any other test."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_streamlit_is_imported_only_by_the_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "imagegen").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "imagegen").parts[:1]
        and any(line.startswith(("import streamlit", "from streamlit")) for line in path.read_text().splitlines())
    ]
    assert offenders == []

"""Shared AppTest plumbing: a fresh app per test, with its own session folder, and image bytes built in code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from imagegen.store.session import Session, SessionStore

ROOT = Path(__file__).resolve().parents[1]


def png_bytes(size: tuple[int, int], colour: str, *, alpha: bool = False, mark: str | None = None) -> bytes:
    """A solid image (optionally a transparent one with a centred disc of ``colour``)."""
    if alpha:
        image = Image.new("RGBA", size, (0, 0, 0, 0))
        ImageDraw.Draw(image).ellipse((0, 0, size[0] - 1, size[1] - 1), fill=colour)
    else:
        image = Image.new("RGB", size, colour)
    if mark:
        ImageDraw.Draw(image).rectangle((2, 2, 6, 6), fill=mark)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sessions"
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(root))
    st.cache_resource.clear()
    yield root
    st.cache_resource.clear()


def new_app(page: str | None = None, query: dict[str, str] | None = None, state: dict | None = None) -> AppTest:
    """A first run of the app (AppTest drops sidebar elements on later runs of an ``st.navigation`` app)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def session_id(at: AppTest) -> str:
    value = at.query_params["s"]
    return value[0] if isinstance(value, list) else value


def session_of(at: AppTest, root: Path) -> Session:
    return SessionStore(root).open(session_id(at))


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.get("file_uploader")[0].set_value([(name, data, "image/png") for name, data in files]).run()
    return at


def with_images(data_dir: Path, page: str) -> AppTest:
    """A session holding @BG (opaque), @logo (red disc) and @product (green disc), on ``page``."""
    from imagegen.store.assets import add_images

    at = new_app()
    result = add_images(
        session_of(at, data_dir),
        [
            ("BG.png", png_bytes((160, 120), "skyblue")),
            ("logo.png", png_bytes((40, 40), "red", alpha=True)),
            ("product.png", png_bytes((80, 80), "green", alpha=True)),
        ],
    )
    assert not result.errors
    at.switch_page(page).run()
    return at

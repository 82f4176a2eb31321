"""The API under test: a client over a store of its own, and three realistic uploads built in code."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from helpers_logos import photo
from PIL import Image, ImageDraw
from session_helpers import make_store

from imagegen.api import ApiSettings, create_app
from imagegen.service.queue import RenderQueue
from imagegen.store.session import SessionStore

STILL = "Place @product in center, @logo on top right, and @BG as background"
MOVING = "@BG is stable background and @logo is moving from left to right"
LOGO_RED = (220, 30, 40)
PRODUCT_GREEN = (30, 150, 60)


def photo_jpeg(width: int = 320, height: int = 200) -> bytes:
    """A photo-like JPEG: smooth gradients plus fine noise, no flat border."""
    buffer = io.BytesIO()
    photo(width, height).save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def logo_png(size: int = 96) -> bytes:
    """A transparent PNG logo: a red disc with a white bar across it, anti-aliased edges."""
    big = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw.ellipse((8, 8, size * 4 - 8, size * 4 - 8), fill=(*LOGO_RED, 255))
    draw.rectangle((size, size * 2 - 20, size * 3, size * 2 + 20), fill=(255, 255, 255, 255))
    buffer = io.BytesIO()
    big.resize((size, size), Image.Resampling.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def product_on_white(width: int = 200, height: int = 200) -> bytes:
    """A product shot on white: a green rounded box with a soft grey shadow, saved as a JPEG."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((54, 44, width - 36, height - 26), 18, fill=(225, 225, 225))
    draw.rounded_rectangle((40, 30, width - 50, height - 40), 18, fill=PRODUCT_GREEN)
    noise = np.random.default_rng(5).normal(0, 2, (height, width, 3))
    image = Image.fromarray((np.asarray(image, dtype=np.float64) + noise).clip(0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def three_images() -> list[tuple[str, bytes, str]]:
    """(upload name, bytes, MIME type) of the background photo, the logo and the product shot."""
    return [
        ("BG.jpg", photo_jpeg(), "image/jpeg"),
        ("logo.png", logo_png(), "image/png"),
        ("product.jpg", product_on_white(), "image/jpeg"),
    ]


def as_files(files: list[tuple[str, bytes, str]]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", item) for item in files]


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


class Api:
    """A test client with the store and queue it runs on."""

    def __init__(self, store: SessionStore, queue: RenderQueue, **settings: object) -> None:
        self.store = store
        self.queue = queue
        self.library_url = settings.get("library_url")
        self.client = TestClient(create_app(ApiSettings(store=store, queue=queue, **settings)))  # type: ignore[arg-type]

    def session(self, *, images: bool = True) -> str:
        made = self.client.post("/session/create/")
        assert made.status_code == 201, made.text
        session_id = made.json()["id"]
        if images:
            added = self.client.post(f"/upload/{session_id}/", files=as_files(three_images()))
            assert added.status_code == 201, added.text
        return session_id


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield Api(make_store(tmp_path / "sessions"), RenderQueue(1, poll_s=0.01))

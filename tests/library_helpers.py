"""The library's databases for tests: an SQLite file always, and a fresh database on a real PostgreSQL
server when ``IMAGEGEN_TEST_POSTGRES_URL`` names one (``.ci/run`` starts a throwaway cluster and sets
``IMAGEGEN_REQUIRE_POSTGRES=1``: the PostgreSQL cases then fail instead of skipping). Also a brand kit
folder with realistic files: a logo on white, a gradient photo, a real font.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from imagegen.library import db

ROOT = Path(__file__).resolve().parents[1]
BRAND_FONT = ROOT / "imagegen" / "fonts" / "NotoSansMono-Regular.ttf"  # in the repository: always there
BRAND_BLUE = (0x00, 0x55, 0xA4)
BRAND_RED = (0xD0, 0x10, 0x20)
POSTGRES_ENV = "IMAGEGEN_TEST_POSTGRES_URL"


def postgres_server() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    if os.environ.get("IMAGEGEN_REQUIRE_POSTGRES") or os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required for the storage tests: set {POSTGRES_ENV} (.ci/run starts one)")
    pytest.skip(f"no PostgreSQL server ({POSTGRES_ENV} unset); .ci/run starts one")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty library database on each backend (the data folder is the test's own too)."""
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.sqlite3'}"
        db.forget_engines()
        return
    server = make_url(postgres_server())
    name = f"imagegen_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        db.forget_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def logo_on_white(size: tuple[int, int] = (240, 120)) -> Image.Image:
    """A blue badge with a red bar on white, as logos are delivered."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w // 12, h // 6, w - w // 12, h - h // 6), radius=h // 8, fill=BRAND_BLUE)
    draw.rectangle((w // 5, h // 2 - 6, w - w // 5, h // 2 + 6), fill=BRAND_RED)
    return image


def sky(size: tuple[int, int] = (320, 200)) -> Image.Image:
    """A dusk gradient with a little noise: a photo-like background."""
    gradient = Image.linear_gradient("L").resize(size)
    seeded = np.random.default_rng(7).normal(128, 12, (size[1], size[0])).clip(0, 255).astype(np.uint8)
    noise = Image.fromarray(seeded)  # the same every run: renders compare pixel for pixel
    top = Image.merge("RGB", (gradient.point(lambda v: 40 + v // 2), gradient.point(lambda v: 60 + v // 3), noise))
    return Image.blend(top, Image.new("RGB", size, (250, 170, 90)), 0.35)


def make_kit(folder: Path, toml: str | None = None) -> Path:
    """A kit folder: brand.toml (the default names brand blue, brand red, @acme and the Acme Mono font)."""
    folder.mkdir(parents=True, exist_ok=True)
    logo_on_white().save(folder / "logo.png")
    shutil.copy(BRAND_FONT, folder / "AcmeMono.ttf")
    (folder / "brand.toml").write_text(
        toml
        if toml is not None
        else 'name = "Acme"\n[colours]\n"brand blue" = "#0055A4"\nbrand_red = "#D01020"\n'
        '[images]\nacme = "logo.png"\n[fonts]\n"Acme Mono" = "AcmeMono.ttf"\n',
        encoding="utf-8",
    )
    return folder

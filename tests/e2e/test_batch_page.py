"""The Batch page in a real browser, on a phone: one click renders after typing the prompt, the sample CSV
fits the session's images, the rendered rows are previewed, and the batch's workers leave no trace of the
app (no session folder of their own, no "missing ScriptRunContext" in the server's log).

This file starts its own `streamlit run` (not the shared `server` fixture) to read its data folder and log.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from apptest_helpers import png_bytes
from conftest import _free_port, run_app  # tests/e2e/conftest.py
from PIL import Image
from playwright.sync_api import Page, expect
from test_cleanup_flow import _settle

from imagegen.store.session import LIBRARY_DIR

SHOTS = os.environ.get("IMAGEGEN_E2E_SHOTS")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """(url, data folder, log file) of a `streamlit run app.py` of this module's own."""
    data_dir = tmp_path_factory.mktemp("batch-sessions")
    log_path = tmp_path_factory.mktemp("batch-log") / "streamlit.log"
    running = run_app(tmp_path_factory, _free_port(), {"IMAGEGEN_DATA_DIR": str(data_dir)}, log_path)
    try:
        yield next(running), data_dir, log_path
    finally:
        running.close()


@pytest.fixture
def phone(browser, app: tuple[str, Path, Path]) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    page.goto(app[0])
    page.get_by_role("heading", name="Images & tags").wait_for()
    yield page
    context.close()


def _photo() -> bytes:
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:300, 0:400].astype(np.float32)
    rgb = np.stack([60 + 120 * x / 400, 90 + 80 * y / 300, 170 - 40 * x / 400], axis=-1) + rng.normal(
        0, 5, (300, 400, 3)
    )
    buffer = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _session_folders(data_dir: Path) -> list[str]:
    """The sessions' folders (the team library's folder beside them is not a session)."""
    return sorted(p.name for p in data_dir.iterdir() if p.is_dir() and p.name != LIBRARY_DIR)


def test_a_batch_renders_on_the_first_click_with_previews_and_no_worker_sessions(
    phone: Page, app: tuple[str, Path, Path]
) -> None:
    page = phone
    url, data_dir, log_path = app
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "BG.png", "mimeType": "image/png", "buffer": _photo()},
            {"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes((100, 100), "red", alpha=True)},
            {"name": "sneaker.png", "mimeType": "image/png", "buffer": png_bytes((200, 160), "green", alpha=True)},
            {"name": "boot.png", "mimeType": "image/png", "buffer": png_bytes((160, 200), "navy", alpha=True)},
        ]
    )
    expect(page.get_by_text("Added 4 images: @BG, @logo, @sneaker, @boot")).to_be_visible()
    session = re.search(r"[?&]s=([\w-]+)", page.url).group(1)
    page.goto(f"{url}/batch?s={session}")
    expect(page.get_by_role("heading", name="Batch from a spreadsheet")).to_be_visible()
    _settle(page)
    _shot(page, "batch-phone-top")

    # The sample CSV is made for this session's images, with the prompt it goes with.
    with page.expect_download() as info:
        page.get_by_role("button", name="Download a sample CSV").click()
    sample = Path(info.value.path()).read_text()
    assert info.value.suggested_filename == "imagegen-sample.csv"
    assert list(csv.reader(io.StringIO(sample))) == [
        ["product", "corner", "headline", "name"],
        ["sneaker", "top right", "Summer Sale", "variant-1"],
        ["boot", "top left", "New arrivals", "variant-2"],
        ["sneaker", "bottom right", "Last chance", "variant-3"],
    ]
    page.get_by_role("button", name="Use the sample's prompt").click()
    box = page.get_by_label("Prompt")
    expect(box).to_have_value(re.compile(r"^@BG as background, @\{product\} in the center, @logo on the \{corner\}"))

    page.locator("input[type=file]").first.set_input_files(
        {"name": "sample.csv", "mimeType": "text/csv", "buffer": sample.encode()}
    )
    expect(page.get_by_text(re.compile(r"^3 rows · columns:"))).to_be_visible()
    _settle(page)

    # Typed, not yet sent (the box still has the focus), then one click: it renders.
    box.fill('@BG as background, @{product} in the center, @logo on the {corner}, "{headline}" at the top, 600x600')
    render = page.get_by_role("button", name="Render the batch")
    title = page.get_by_role("heading", name="Batch from a spreadsheet")
    before = render.bounding_box()["y"] - title.bounding_box()["y"]  # from the page's top, however scrolled
    render.click()
    expect(page.get_by_text(re.compile(r"^3 of 3 rows rendered in [\d.]+ s\.$"))).to_be_visible(timeout=120_000)
    _settle(page)
    after = render.bounding_box()["y"] - title.bounding_box()["y"]
    assert after == pytest.approx(before, abs=1), "the button stayed where it was clicked"

    previews = page.locator("[data-testid='stImage'] img")
    expect(previews).to_have_count(3)
    for row, name in ((2, "variant-1.png"), (3, "variant-2.png"), (4, "variant-3.png")):
        expect(page.get_by_text(f"row {row} · {name}")).to_be_visible()
    assert all(previews.nth(i).evaluate("img => img.naturalWidth") == 160 for i in range(3))
    previews.nth(2).scroll_into_view_if_needed()
    _shot(page, "batch-phone-previews")

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^Download the batch \(ZIP")).click()
    with zipfile.ZipFile(info.value.path()) as archive:
        assert sorted(archive.namelist()) == ["manifest.csv", "variant-1.png", "variant-2.png", "variant-3.png"]
        with Image.open(io.BytesIO(archive.read("variant-2.png"))) as image:
            assert image.size == (600, 600)
            assert image.convert("RGB").getpixel((300, 300)) == (0, 0, 128), "row 3's boot in the center"

    # The workers (one process per core) ran the rows without running the app: one session, a clean log.
    assert _session_folders(data_dir) == [session]
    log = log_path.read_text()
    assert "ScriptRunContext" not in log, [line for line in log.splitlines() if "ScriptRunContext" in line][:3]

"""Brand kit and templates in a real browser: a template saved in one browser context is opened in another
(a new session), a slot filled and rendered; the brand colour said by name and the brand font in pixels.

``IMAGEGEN_SCREENSHOTS=docs`` also saves the screenshots.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from conftest import _free_port, run_app
from library_helpers import BRAND_BLUE, make_kit, sky
from PIL import Image
from playwright.sync_api import Page, expect

from imagegen.render import render_still
from imagegen.scene import Scene
from imagegen.store.assets import tag_map
from imagegen.store.session import SessionStore

SHOTS = os.environ.get("IMAGEGEN_SCREENSHOTS")
DESKTOP = {"width": 1280, "height": 800}
PROMPT = (
    '800x500, @BG as background, @acme at the top right, "Summer Sale" huge in brand blue on a white banner '
    "at the bottom"
)


@pytest.fixture(scope="module")
def brand_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with a repository kit (IMAGEGEN_BRAND_DIR) and its own SQLite library."""
    folder = tmp_path_factory.mktemp("brand-e2e")
    extra = {
        "IMAGEGEN_DATA_DIR": str(folder / "data"),
        "IMAGEGEN_BRAND_DIR": str(make_kit(folder / "brand")),
        "IMAGEGEN_DATABASE_URL": f"sqlite:///{folder / 'library.sqlite3'}",
    }
    for url in run_app(tmp_path_factory, _free_port(), extra):
        yield url, folder / "data"


def _open(browser, url: str) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)  # a new context: a new session
    page = context.new_page()
    page.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)
    page.goto(url)
    page.get_by_role("heading", name="Images & tags").wait_for()
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.mouse.move(0, 0)
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _session(page: Page, data: Path):  # type: ignore[no-untyped-def]
    return SessionStore(data).open(parse_qs(urlparse(page.url).query)["s"][0])


def test_a_template_saved_in_one_browser_opens_in_another(
    browser,  # type: ignore[no-untyped-def]
    brand_app: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, data = brand_app
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(data))  # where the app keeps the kit's font, for the check below
    first = _open(browser, url)
    expect(first.get_by_text("@acme").first).to_be_visible()  # the kit's logo is in the session, not uploaded
    first.locator("input[type=file]").set_input_files(
        [{"name": "BG.jpg", "mimeType": "image/jpeg", "buffer": _jpeg(sky((960, 600)))}]
    )
    expect(first.get_by_text(re.compile(r"^Added 1 image"))).to_be_visible()
    first.get_by_role("link", name="Compose").click()
    first.get_by_label("Prompt").fill(PROMPT)
    first.get_by_role("button", name="Generate").click()
    expect(first.get_by_text(re.compile(r"^Make a ZIP of all \(1 file"))).to_be_visible(timeout=90_000)
    expect(first.get_by_text(re.compile(r"brand blue \(#0055A4\), bold brand font Acme Mono"))).to_be_visible()
    first.get_by_role("button", name="Save as template").click()
    first.get_by_label("Template name").fill("Summer promo")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_text("Saved “Summer promo” with slots {BG}, {acme}, {headline}.")).to_be_visible()
    _shot(first, "brand-save-template")

    second = _open(browser, url)  # another browser context: a new session, nothing uploaded
    assert _session(second, data).id != _session(first, data).id
    second.get_by_role("link", name="Brand & templates").click()
    expect(second.get_by_role("heading", name="Brand & templates")).to_be_visible()
    expect(second.get_by_text("brand blue", exact=True)).to_be_visible()  # the kit's colour swatch
    _shot(second, "brand-library")
    second.get_by_role("button", name="Open").click()
    headline = second.get_by_label("{headline}")
    expect(headline).to_have_value("Summer Sale")  # pre-filled with the saved words
    headline.fill("Winter Sale")
    headline.press("Tab")
    second.get_by_role("button", name="Render").click()
    expect(second.get_by_text(re.compile(r"^Done in \d+\.\d s — "))).to_be_visible(timeout=90_000)
    _shot(second, "brand-open-template")

    session = _session(second, data)
    made = session.manifest().outputs[-1]
    scene = Scene.from_json(made.scene_json)
    text = next(layer for layer in scene.layers if layer.text is not None)
    assert text.text is not None and text.text.text == "Winter Sale"
    drawn = np.asarray(Image.open(session.dir / "outputs" / made.file).convert("RGB")).astype(int)
    assert (np.abs(drawn - BRAND_BLUE).sum(axis=2) < 30).sum() > 2000  # the words, in brand blue by name
    images = tag_map(session)
    branded = np.asarray(render_still(scene, images).convert("RGB")).astype(int)
    plain_scene = replace(scene, layers=tuple(
        replace(layer, text=replace(layer.text, family="sans")) if layer.text else layer for layer in scene.layers
    ))  # fmt: skip
    plain = np.asarray(render_still(plain_scene, images).convert("RGB")).astype(int)
    assert np.abs(drawn - branded).max() <= 2  # the file is the brand font's drawing
    assert (np.abs(drawn - plain).sum(axis=2) > 60).sum() > 1500  # and not the default font's


def test_the_library_page_fits_a_phone(browser, brand_app: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    url, _data = brand_app
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url.rstrip("/") + "/library")
    expect(page.get_by_role("heading", name="Brand & templates")).to_be_visible()
    expect(page.get_by_text("brand blue", exact=True)).to_be_visible()
    body = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert body[0] <= body[1], "nothing scrolls sideways on a phone"
    _shot(page, "brand-library-phone")
    context.close()

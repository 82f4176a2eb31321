"""Compose in a real browser, on a desktop and on a phone: type and Generate at once (no Ctrl+Enter), nine
tag chips that each show their tag, the prompt and preview back after a refresh, a GIF as MP4 on request,
Delete asked first, and the Prompt guide sending an example to Compose.

``IMAGEGEN_SCREENSHOTS=docs`` also saves the screenshots the README shows.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

SHOTS = os.environ.get("IMAGEGEN_SCREENSHOTS")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TAGS = ["beach_photo", "logo", "product", "summer_sale_badge", "price_tag", "model", "pattern", "icon_star", "qr"]


def _photo(size: tuple[int, int], seed: int) -> bytes:
    """A photo-like picture: a smooth gradient with noise (not a flat colour)."""
    rng = np.random.default_rng(seed)
    width, height = size
    x = np.linspace(0, 1, width)[None, :, None]
    y = np.linspace(0, 1, height)[:, None, None]
    base = rng.integers(40, 200, 3)[None, None, :]
    pixels = base + 60 * x - 40 * y + rng.normal(0, 12, (height, width, 3))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _logo(size: int, colour: str) -> bytes:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((0, 0, size - 1, size - 1), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _files(tags: list[str]) -> list[dict[str, object]]:
    colours = ["red", "green", "orange", "purple", "teal", "navy", "gold", "pink", "brown"]
    files = []
    for index, tag in enumerate(tags):
        if index == 0:
            data, name = _photo((640, 480), index), f"{tag}.jpg"
        else:
            data, name = _logo(120, colours[index]), f"{tag}.png"
        files.append({"name": name, "mimeType": "image/png", "buffer": data})
    return files


def _upload(page: Page, tags: list[str]) -> None:
    page.locator("input[type=file]").set_input_files(_files(tags))
    expect(page.get_by_text(f"Added {len(tags)} images")).to_be_visible(timeout=60_000)


def _open_compose(page: Page) -> None:
    heading = page.get_by_role("heading", name="Compose")
    if page.viewport_size["width"] < 640:  # the sidebar (navigation) is collapsed on a phone
        page.goto(page.url.replace("/?", "/compose?", 1) if "/compose" not in page.url else page.url)
    else:
        page.get_by_role("link", name="Compose").click()  # once: a click that does nothing is a bug
    expect(heading).to_be_visible()


def _chip(page: Page, tag: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("radio", name=f"@{tag}", exact=True)  # st.pills draws radio buttons


def _shot(page: Page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.mouse.move(0, 0)  # no hover highlight left where the last click was
        page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def _generate(page: Page, outputs_after: int) -> None:
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(rf"^Make a ZIP of all \({outputs_after} files?,"))).to_be_visible(timeout=90_000)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_nine_chips_show_their_tags_and_generate_works_on_the_first_click(page: Page, viewport: dict[str, int]) -> None:
    _upload(page, TAGS)
    _open_compose(page)
    box = page.get_by_label("Prompt")
    column = box.bounding_box()
    assert column is not None
    for tag in TAGS:
        chip = _chip(page, tag)
        expect(chip).to_be_visible()
        expect(chip).to_have_text(f"@{tag}")
        # The whole tag is drawn, not cut to "@" or "@sum…": the text fits its chip, and the chip lies
        # within the prompt's column (chips wrap onto more rows instead of scrolling out of sight).
        assert chip.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), tag
        place = chip.bounding_box()
        assert place is not None and column["x"] - 1 <= place["x"], (tag, place, column)
        assert place["x"] + place["width"] <= column["x"] + column["width"] + 1, (tag, place, column)
    top = box.bounding_box()
    assert top is not None and top["y"] + top["height"] <= viewport["height"], "the prompt box is on the first screen"

    _chip(page, "product").click()
    expect(box).to_have_value(re.compile(r"^@product\s*$"))

    # Type, then click Generate at once: no Ctrl+Enter, no click elsewhere first.
    box.fill("Place @product in center, @logo on top right, and @beach_photo as background")
    _generate(page, outputs_after=1)
    expect(page.get_by_role("button", name=re.compile(r"^Download PNG \("))).to_have_count(2)  # preview + history
    name = "compose" if viewport == DESKTOP else "compose-phone"
    _shot(page, name)


def test_after_a_refresh_the_prompt_and_the_preview_come_back(page: Page) -> None:
    _upload(page, TAGS[:3])
    _open_compose(page)
    box = page.get_by_label("Prompt")
    box.fill("@beach_photo is stable background and @logo is moving from left to right")
    _generate(page, outputs_after=1)
    preview = page.locator("img[src*='/media/'][src$='.gif']").first
    expect(preview).to_be_visible()

    # The GIF can be had as MP4, made only when asked, with its size.
    expect(page.get_by_role("button", name=re.compile(r"^Download MP4"))).to_have_count(0)
    page.get_by_role("button", name="Make MP4").click()
    mp4 = page.get_by_role("button", name=re.compile(r"^Download MP4 \(\d+(\.\d)? KB\)")).first
    expect(mp4).to_be_visible(timeout=90_000)
    expect(page.get_by_text(re.compile(r"^\d+% of the GIF's size$"))).to_be_visible()

    box.fill("@logo spins in the center")  # typed, not generated
    box.press("Tab")
    # The draft is saved by the run the Tab starts: wait for its explanation (the old prompt's is still
    # shown until then). A reload before that run reaches the server keeps the previous draft.
    expect(page.get_by_text(re.compile(r"^@logo — .*spins"))).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    expect(page.get_by_label("Prompt")).to_have_value("@logo spins in the center", timeout=30_000)
    expect(page.locator("img[src*='/media/'][src$='.gif']").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Download GIF \("))).to_have_count(2)

    # Delete asks first.
    page.get_by_role("button", name="Delete").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Delete this output?")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    page.get_by_role("heading", name="History").scroll_into_view_if_needed()
    if SHOTS:
        page.mouse.move(0, 0)
        page.screenshot(path=str(Path(SHOTS) / "compose-history.png"))
    expect(page.get_by_text(re.compile(r"^Make a ZIP of all \(2 files,"))).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_guide_filters_and_sends_an_example_to_compose(page: Page, viewport: dict[str, int]) -> None:
    _upload(page, TAGS[:3])
    page.goto(page.url.replace("/?", "/help?", 1))
    expect(page.get_by_role("heading", name="Prompt guide")).to_be_visible()
    page.get_by_role("textbox", name="Filter").fill("corner")
    page.get_by_role("textbox", name="Filter").press("Enter")
    expect(page.get_by_text("Positions · 4")).to_be_visible()  # the four corners
    if viewport == DESKTOP:
        _shot(page, "help")
    page.get_by_role("button", name="Try in Compose").first.click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    expect(page.get_by_label("Prompt")).to_have_value(re.compile(r"@logo"))
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()

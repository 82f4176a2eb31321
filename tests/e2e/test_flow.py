"""The whole user journey in a real browser: upload, tag, compose, preview, download, errors, reset.

Set ``IMAGEGEN_SCREENSHOTS=docs`` to also save a 1280x800 screenshot of the Images page there (Compose and
the guide are shot by test_compose_flow.py).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from apptest_helpers import png_bytes
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from test_cleanup_flow import _settle

SHOTS = os.environ.get("IMAGEGEN_SCREENSHOTS")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _upload_three(page: Page) -> None:
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "background.png", "mimeType": "image/png", "buffer": png_bytes((400, 300), "skyblue")},
            {"name": "Logo Final.png", "mimeType": "image/png", "buffer": png_bytes((100, 100), "red", alpha=True)},
            {"name": "product.png", "mimeType": "image/png", "buffer": png_bytes((200, 200), "green", alpha=True)},
        ]
    )
    expect(page.get_by_text("Added 3 images: @background, @Logo_Final, @product")).to_be_visible()


def _tag_button(page: Page, tag: str, timeout_s: float = 20) -> Locator:
    """The card's button showing ``tag`` (the page settled first: while a rerun replaces a card, its old
    and new buttons are both on the page)."""
    _settle(page, timeout_s)
    button = page.get_by_role("button", name=re.compile(rf"@{re.escape(tag)}$"))
    expect(button).to_have_count(1, timeout=timeout_s * 1000)
    return button


def _retag(page: Page, old: str, new: str, *, opened: bool = False) -> None:
    """Open the card's tag editor (streamlit-tags, mounted on demand; ``opened``: it still is, showing a
    refused tag) and replace ``old`` with ``new``."""
    if not opened:
        _tag_button(page, old).click()
    frame = page.frame_locator("iframe[title*='streamlit_tags']")
    frame.get_by_role("button", name=f"remove {old}", exact=True).click(timeout=30_000)
    field = frame.locator("input.rti--input")
    field.fill(new)
    field.press("Enter")


def _prompt(page: Page, text: str) -> None:
    """Type a prompt and leave the box (Tab), as a user does: no Ctrl+Enter."""
    box = page.get_by_label("Prompt")
    box.fill(text)
    box.press("Tab")


def _generate(page: Page, outputs_after: int) -> None:
    """Once the page has settled (a click while the explanation above it is drawn misses the button),
    click Generate and wait until the history holds ``outputs_after`` files."""
    _settle(page)
    page.get_by_role("button", name="Generate").click()
    history = page.get_by_text(re.compile(rf"^Make a ZIP of all \({outputs_after} files?,"))
    expect(history).to_be_visible(timeout=90_000)
    expect(page.get_by_text(re.compile(r"^Done in .* s — "))).to_be_visible()


def _download(page: Page, name_pattern: str) -> bytes:
    button = page.get_by_role("button", name=re.compile(name_pattern)).first
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_upload_tag_compose_download_and_reset(page: Page, server: str) -> None:
    _upload_three(page)
    _retag(page, "Logo_Final", "logo")
    _tag_button(page, "logo")  # the editor closed, the card shows the new tag
    expect(page.get_by_text("@Logo_Final is now @logo.")).to_be_visible()
    expect(page.get_by_text("Logo Final.png")).to_be_visible()

    _retag(page, "product", "9lives")
    expect(page.get_by_text("Tag '9lives' is not valid")).to_be_visible()
    _retag(page, "9lives", "product", opened=True)  # a refused tag leaves the editor open
    expect(page.get_by_text("Tag '9lives' is not valid")).to_have_count(0)
    _shot(page, "images")

    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    page.get_by_role("radio", name="@product", exact=True).click()
    expect(page.get_by_label("Prompt")).to_have_value(re.compile(r"^@product\s*$"))
    page.get_by_role("radio", name="@logo", exact=True).click()
    expect(page.get_by_label("Prompt")).to_have_value(re.compile(r"^@product @logo\s*$"))

    # A still: every phrase applies to its own tag.
    _prompt(page, "Place @product in center, @logo on top right, and @background as background")
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()
    _generate(page, outputs_after=1)
    still = Image.open(io.BytesIO(_download(page, r"^Download PNG \(")))
    assert still.size == (1080, 1080)
    rgb = still.convert("RGB")
    assert rgb.getpixel((540, 540)) == (0, 128, 0)  # product, centred
    assert rgb.getpixel((20, 1060)) == (135, 206, 235)  # background covers the canvas
    red_x = [x for x in range(540, 1080) if rgb.getpixel((x, 110)) == (255, 0, 0)]
    assert red_x and min(red_x) > 800, "the logo sits at the top right"

    # An animation: the preview the browser is served is the whole GIF, every frame.
    _prompt(page, "@background is stable background and @logo is moving from left to right")
    _generate(page, outputs_after=2)
    preview = page.locator("img[src*='/media/'][src$='.gif']").first
    expect(preview).to_be_visible()
    served = page.request.get(server + preview.get_attribute("src").removeprefix(server)).body()
    served_gif = Image.open(io.BytesIO(served))
    assert served_gif.format == "GIF" and served_gif.n_frames >= 24
    downloaded = Image.open(io.BytesIO(_download(page, r"^Download GIF \(")))
    assert downloaded.n_frames == served_gif.n_frames
    assert downloaded.size == (1080, 1080)

    # An unknown tag: a clear error next to the prompt, nothing lost.
    _prompt(page, "Place @lgo on top")
    expect(page.get_by_text("Unknown tag @lgo. Did you mean @logo?")).to_be_visible()
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("Nothing was rendered: fix the prompt as shown above")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Make a ZIP of all \(2 files"))).to_be_visible()

    page.get_by_role("link", name="Prompt guide").click()
    expect(page.get_by_role("heading", name="Prompt guide")).to_be_visible()

    # Reset: asks first, then everything is gone and a new session id is in the URL.
    old_url = page.url
    page.get_by_role("button", name="New session").click()
    page.get_by_role("button", name="Yes, start over").click()
    expect(page.get_by_text(re.compile(r"^0 images"))).to_be_visible()
    assert page.url != old_url and "?s=" in page.url


def test_a_quoted_headline_is_drawn_into_the_png(page: Page, server: str) -> None:
    """Quoted text is a layer: "-50%" inside the quotes is words, and the red headline sits in the top band."""
    _upload_three(page)
    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    _prompt(page, '@background as background, @product in center, "Summer Sale -50%" in red at the top')
    expect(page.get_by_text('"Summer Sale -50%" — top, red, bold sans', exact=False)).to_be_visible()
    _generate(page, outputs_after=1)
    headline = Image.open(io.BytesIO(_download(page, r"^Download PNG \("))).convert("RGB")
    assert headline.size == (1080, 1080)
    red = [(x, y) for x in range(0, 1080, 2) for y in range(0, 1080, 2) if headline.getpixel((x, y)) == (255, 0, 0)]
    assert len(red) > 500, "the red headline is drawn"
    assert max(y for _, y in red) < 300 and min(y for _, y in red) > 30, "in the top band, inside the margin"
    assert headline.getpixel((540, 540)) == (0, 128, 0), "the product is still centred"

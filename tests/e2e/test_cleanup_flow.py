"""In a real browser: the Images page offers to remove a logo's white background; the composition shows it gone."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import numpy as np
from fixtures_images import encode
from helpers_logos import known_logo, photo
from PIL import Image
from playwright.sync_api import Page, expect


def _settle(page: Page, timeout_s: float = 30) -> None:
    """Wait until the app is not running a script (Streamlit's "Running..." status widget is gone)."""
    page.wait_for_timeout(300)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=timeout_s * 1000)


def _new_thumbnail(page: Page, server: str, old_src: str | None, timeout_s: float = 20) -> Image.Image:
    """The first card's thumbnail once the page serves a new one (a rerun replaces the media files)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        src = page.locator("img[src*='/media/']").first.get_attribute("src")
        if src and src != old_src:
            response = page.request.get(server + src.removeprefix(server))
            if response.ok:
                return Image.open(io.BytesIO(response.body()))
        page.wait_for_timeout(250)
    raise AssertionError("the card never showed a new thumbnail")


def test_knock_out_a_white_logo_from_the_offer(page: Page, server: str) -> None:
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "logo.png", "mimeType": "image/png", "buffer": encode(known_logo(200).image)},
            {"name": "photo.png", "mimeType": "image/png", "buffer": encode(photo(400, 300))},
        ]
    )
    expect(page.get_by_text("Added 2 images: @logo, @photo")).to_be_visible(timeout=30_000)
    offer = page.get_by_text("This logo has a white background — remove it?")
    expect(offer).to_have_count(1)  # the photo is not offered
    before = page.locator("img[src*='/media/']").first.get_attribute("src")
    _settle(page)  # nothing reruns the page by itself after the upload: one click is enough
    page.get_by_role("button", name="Remove background").click()
    expect(page.get_by_text(re.compile("^@logo: white background removed"))).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Restore original")).to_be_visible()

    # The card's thumbnail is the cleaned logo: transparent corners, the red disc kept.
    served = _new_thumbnail(page, server, before)
    assert served.convert("RGBA").getpixel((2, 2))[3] == 0
    assert served.convert("RGBA").getpixel((60, 128))[:3] == (200, 30, 40)

    _settle(page)
    page.get_by_role("link", name="Compose").click()
    box = page.get_by_label("Prompt")
    box.fill("@photo as background and @logo in center")
    box.press("Control+Enter")
    # The rerun draws the explanation above Generate, moving it down: a click while that is drawn lands
    # where the button was and sends nothing. Wait for the run to end, as a user sees the page settle.
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()
    _settle(page)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(r"^Make a ZIP of all \(1 file,"))).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^Download PNG \(")).first.click()
    still = np.asarray(Image.open(Path(info.value.path())).convert("RGB")).astype(int)
    # The logo (trimmed to its disc and bar, 172x160) fills a 540 px box at the centre: its bounding
    # box's corners are outside the disc, where the white box used to be. The photo shows there now.
    corner = still[292:302, 272:282]
    assert not np.all(corner >= 235, axis=-1).any(), "white left around the logo"
    assert tuple(still[540, 420]) == (200, 30, 40), "the red disc is drawn"

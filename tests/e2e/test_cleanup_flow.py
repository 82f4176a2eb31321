"""In a real browser: the Images page offers to remove a logo's white background; the composition shows it gone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
from fixtures_images import encode
from helpers_logos import known_logo, photo
from PIL import Image
from playwright.sync_api import Page, expect


def test_knock_out_a_white_logo_from_the_offer(page: Page, server: str) -> None:
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "logo.png", "mimeType": "image/png", "buffer": encode(known_logo(200).image)},
            {"name": "photo.png", "mimeType": "image/png", "buffer": encode(photo(400, 300))},
        ]
    )
    expect(page.get_by_text("Added 2 images: @logo, @photo")).to_be_visible()
    offer = page.get_by_text("This logo has a white background — remove it?")
    expect(offer).to_have_count(1)  # the photo is not offered
    page.get_by_role("button", name="Remove background").click()
    expect(page.get_by_text("@logo: white background removed — now transparent.")).to_be_visible()
    expect(page.get_by_role("button", name="Restore original")).to_be_visible()

    # The card's thumbnail is the cleaned logo: transparent corners, the red disc kept.
    thumb = page.locator("img[src*='/media/']").first
    served = Image.open(io.BytesIO(page.request.get(server + thumb.get_attribute("src").removeprefix(server)).body()))
    assert served.convert("RGBA").getpixel((2, 2))[3] == 0
    assert served.convert("RGBA").getpixel((60, 128))[:3] == (200, 30, 40)

    page.get_by_role("link", name="Compose").click()
    box = page.get_by_label("Prompt")
    box.fill("@photo as background and @logo in center")
    box.press("Control+Enter")
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(r"^Download all as ZIP \(1 file"))).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^Download PNG \(")).first.click()
    still = np.asarray(Image.open(Path(info.value.path())).convert("RGB")).astype(int)
    # The logo (trimmed to its disc and bar, 172x160) fills a 540 px box at the centre: its bounding
    # box's corners are outside the disc, where the white box used to be. The photo shows there now.
    corner = still[292:302, 272:282]
    assert not np.all(corner >= 235, axis=-1).any(), "white left around the logo"
    assert tuple(still[540, 420]) == (200, 30, 40), "the red disc is drawn"

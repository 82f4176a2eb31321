"""The design checks in a real browser: white text over a light photo (a white cup) gets the legibility
line after Generate; its fix is one click that puts the words into the prompt and renders again, and the
line is gone."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Page, expect

from tests.design_images import light_photo_with_cup

PROMPT = '@cup as background, "Summer Sale" at the top'
FIXED = '@cup as background, "Summer Sale" with a black outline at the top'


def _cup_jpeg() -> bytes:
    buffer = io.BytesIO()
    light_photo_with_cup((800, 600)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def test_white_text_on_a_light_photo_is_flagged_and_one_click_fixes_it(page: Page) -> None:
    page.locator("input[type=file]").set_input_files([{"name": "cup.jpg", "mimeType": "image/jpeg",
                                                        "buffer": _cup_jpeg()}])  # fmt: skip
    expect(page.get_by_text("Added 1 image")).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    box = page.get_by_label("Prompt")
    box.fill(PROMPT)
    page.get_by_role("button", name="Generate").click()

    warning = page.get_by_text(re.compile(r"“Summer Sale” is hard to read: \d\.\d:1 contrast"))
    expect(warning).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Looking at the result")).to_be_visible()
    fix = page.get_by_role("button", name="Fix: with a black outline")
    expect(fix).to_be_visible()
    expect(page.get_by_role("button", name="Fix: on a black banner")).to_be_visible()

    fix.click()
    expect(box).to_have_value(FIXED)  # the prompt stays the source of truth: the fix is in it
    # rendered again without a click on Generate: two outputs, the newest of the fixed prompt
    expect(page.get_by_text(re.compile(r"^Make a ZIP of all \(2 files,"))).to_be_visible(timeout=90_000)
    expect(page.get_by_text(re.compile(r"^Done in \d+\.\d s"))).to_be_visible()
    expect(page.get_by_text("Looking at the result")).to_have_count(0)
    expect(page.get_by_text(re.compile("is hard to read"))).to_have_count(0)

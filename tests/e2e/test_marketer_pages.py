"""Issue 33 in a real browser, on a phone where layout matters: the Prompt guide's phrases read as examples
and a search shows only the matching entries; the knock-out offers the white inside a letter and shows
the result on a checkerboard; a tag typed beside the card's old tag renames it; a change on a slideshow
says what the composition holds.

``IMAGEGEN_E2E_SHOTS=<folder>`` saves the screenshots looked at while writing these tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fixtures_images import encode
from helpers_logos import letter_a, photo
from playwright.sync_api import Page, expect
from test_cleanup_flow import _new_thumbnail, _settle
from test_compose_flow import _files
from test_flow import _tag_button

SHOTS = os.environ.get("IMAGEGEN_E2E_SHOTS")
PHONE = {"width": 390, "height": 844}


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def _upload(page: Page, tags: list[str]) -> None:
    page.locator("input[type=file]").set_input_files(_files(tags))
    expect(page.get_by_text(re.compile(rf"^Added {len(tags)} images"))).to_be_visible()
    _settle(page)


def _filter(page: Page, words: str) -> None:
    box = page.get_by_role("textbox", name="Filter")
    box.fill(words)
    box.press("Enter")
    _settle(page)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_guide_says_phrases_as_examples_and_a_search_shows_only_matches(page: Page) -> None:
    _upload(page, ["beach_photo", "logo", "product"])
    page.goto(page.url.replace("/?", "/help?", 1))
    expect(page.get_by_role("heading", name="Prompt guide")).to_be_visible()

    _filter(page, "shadow")
    sections = page.locator("[data-testid='stExpander'] summary")
    labels = [label.split("\n")[-1].strip() for label in sections.all_inner_texts()]  # after the icon
    cleanup = next(label for label in labels if label.startswith("Clean-up"))
    assert int(cleanup.rsplit("·", 1)[1]) <= 3, labels  # its shadow entries, not its 40-odd others
    expect(page.get_by_text("knockout", exact=True)).to_have_count(0)
    expect(page.get_by_text(re.compile("drop shadow")).first).to_be_visible()
    _shot(page, "guide-shadow-phone")

    _filter(page, "white background")
    expect(page.locator("code", has_text=re.compile(r"^remove the white background$"))).to_be_visible()
    expect(page.get_by_text("remove the C background")).to_have_count(0)
    _filter(page, "focus on")
    expect(page.locator("code", has_text=re.compile(r"^focus on the top$"))).to_be_visible()
    _filter(page, "over")
    expect(page.locator("code", has_text=re.compile(r"^over @beach_photo$"))).to_be_visible()
    expect(page.get_by_text("@tag")).to_have_count(0)
    _shot(page, "guide-over-phone")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_knock_out_offers_the_inside_of_a_letter_and_shows_the_result_on_a_checkerboard(
    page: Page, server: str
) -> None:
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "brand.png", "mimeType": "image/png", "buffer": encode(letter_a(200).image)},
            {"name": "photo.png", "mimeType": "image/png", "buffer": encode(photo(400, 300))},
        ]
    )
    expect(page.get_by_text("Added 2 images: @brand, @photo")).to_be_visible()
    _settle(page)
    before = page.locator("img[src*='/media/']").first.get_attribute("src")
    inside = page.get_by_text("Also remove white inside the shapes")
    expect(inside).to_have_count(1)  # the letter encloses white; the photo is not offered at all
    inside.click()
    _settle(page)
    inside.scroll_into_view_if_needed()
    _shot(page, "knockout-offer-phone")
    page.get_by_role("button", name="Remove background").click()
    expect(
        page.get_by_text("@brand: white background removed, white inside the shapes too — now transparent.")
    ).to_be_visible()

    served = _new_thumbnail(page, server, before).convert("RGBA")
    scale = served.width / 200
    assert served.getpixel((int(100 * scale), int(112 * scale)))[3] == 0, "the triangle inside the A is transparent"
    assert served.getpixel((int(55 * scale), int(150 * scale)))[3] == 255, "the letter stays"
    card = page.locator("[data-testid='stImage'] img").first
    background = card.evaluate("img => getComputedStyle(img).backgroundImage")
    assert "conic-gradient" in background, background
    opaque = page.locator("[data-testid='stImage'] img").nth(1).evaluate("img => getComputedStyle(img).backgroundImage")
    assert opaque == "none", "the photo's letterbox is not shown as transparent"
    expect(page.get_by_text("Background removed — the checkerboard shows what is transparent now.")).to_be_visible()
    card.scroll_into_view_if_needed()
    _shot(page, "knockout-phone")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_tag_typed_beside_the_old_chip_renames_the_image(page: Page) -> None:
    _upload(page, ["beach_photo", "Logo_Final"])
    _tag_button(page, "Logo_Final").click()
    frame = page.frame_locator("iframe[title*='streamlit_tags']")
    expect(frame.get_by_role("button", name="remove Logo_Final", exact=True)).to_be_visible()
    expect(page.get_by_text("Type the new tag and press Enter: it replaces @Logo_Final.")).to_be_visible()
    field = frame.locator("input.rti--input")
    field.fill("9lives")  # the old chip stays: before, this was dropped without a word
    field.press("Enter")
    expect(page.get_by_text("Tag '9lives' is not valid")).to_be_visible()
    _shot(page, "tag-refused-phone")
    field.fill("logo")
    field.press("Enter")
    expect(page.get_by_text("@Logo_Final is now @logo.")).to_be_visible()
    _tag_button(page, "logo").scroll_into_view_if_needed()
    _shot(page, "tag-renamed-phone")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_change_on_a_slideshow_names_what_it_holds(page: Page) -> None:
    """Before: "make @logo bigger" on a slideshow answered "@logo is not in this composition. It holds ."."""
    _upload(page, ["beach_photo", "logo", "product"])
    page.goto(page.url.replace("/?", "/compose?", 1))
    box = page.get_by_label("Prompt")
    box.fill("Make a slideshow of @beach_photo and @product, 1 second each, 360x360")
    box.press("Tab")
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()
    _settle(page)
    page.get_by_role("button", name="Generate").click()
    change = page.get_by_role("textbox", name="Change it")
    expect(change).to_be_visible(timeout=90_000)
    _settle(page)
    change.fill("make @logo bigger")
    page.get_by_role("button", name="Apply the change").click()
    message = page.get_by_text("@logo is not in this composition. It holds a slideshow of @beach_photo, @product.")
    expect(message).to_be_visible()
    message.scroll_into_view_if_needed()
    _shot(page, "refine-slideshow-phone")
    change.fill("make @product bigger")
    page.get_by_role("button", name="Apply the change").click()
    expect(
        page.get_by_text(re.compile(r"^@product is a slide of the slideshow: .* This composition holds a slideshow"))
    ).to_be_visible()

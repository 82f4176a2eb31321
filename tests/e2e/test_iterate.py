"""Iterate and scale out in a real browser: one design in three sizes, downloaded as one ZIP."""

from __future__ import annotations

import io
import re
import zipfile

from apptest_helpers import png_bytes
from PIL import Image
from playwright.sync_api import Page, expect
from test_cleanup_flow import _settle
from test_flow import _download, _prompt


def _upload(page: Page) -> None:
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "BG.png", "mimeType": "image/png", "buffer": png_bytes((400, 300), "skyblue")},
            {"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes((100, 100), "red", alpha=True)},
        ]
    )
    expect(page.get_by_text("Added 2 images: @BG, @logo")).to_be_visible()


def _pick_size(page: Page, label: str) -> None:
    picker = page.get_by_role("combobox", name="Sizes (one file each)")
    picker.click()
    picker.press_sequentially(label)
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=f"Remove {label}")).to_have_count(1, timeout=15_000)


def test_three_sizes_render_side_by_side_and_download_as_one_zip(page: Page) -> None:
    _upload(page)
    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    _prompt(page, "@BG as background, @logo on top right")
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()
    for label in ("instagram (1080×1080)", "story (1080×1920)", "linkedin (1200×627)"):
        _pick_size(page, label)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(r"^3 sizes done in .* s$"))).to_be_visible(timeout=90_000)
    _wait_for_previews(page, 3)  # the sizes side by side (the history's small thumbnails are not counted)

    archive = zipfile.ZipFile(io.BytesIO(_download(page, r"^Download all 3 sizes \(ZIP")))
    names = sorted(n for n in archive.namelist() if n != "manifest.csv")
    slug = "--bg-as-background-logo-on-top-right"  # each name says which prompt made it
    assert sorted(re.sub(r"^\d{8}-\d{6}-", "", n).replace(slug, "") for n in names) == [
        "instagram-BG-logo.png",
        "linkedin-BG-logo.png",
        "story-BG-logo.png",
    ]
    sizes = {
        re.sub(r"^\d{8}-\d{6}-", "", n).replace(slug, ""): Image.open(io.BytesIO(archive.read(n))).size for n in names
    }
    assert sizes == {
        "instagram-BG-logo.png": (1080, 1080),
        "linkedin-BG-logo.png": (1200, 627),
        "story-BG-logo.png": (1080, 1920),
    }
    story = Image.open(io.BytesIO(archive.read(next(n for n in names if "story" in n)))).convert("RGB")
    assert story.getpixel((1080 - 43 - 100, 43 + 100)) == (255, 0, 0), "the logo sits at the story's top right"


def _wait_for_previews(page: Page, count: int, timeout_ms: int = 30_000) -> None:
    script = "() => [...document.querySelectorAll(\"img[src*='/media/']\")].filter(i => i.naturalWidth >= 600).length"
    for _ in range(timeout_ms // 250):
        if page.evaluate(script) == count:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"expected {count} full-size previews, found {page.evaluate(script)}")


def _preview_src(page: Page) -> str:
    preview = page.locator("img[src*='/media/']").first
    expect(preview).to_be_visible()
    return preview.get_attribute("src") or ""


def _served(page: Page, server: str, replacing: str = "") -> Image.Image:
    """The preview the server serves; with ``replacing``, once the page shows another one than that (the
    run's message is drawn before its preview: on a busy machine the old preview is still there)."""
    if replacing:
        expect(page.locator(f"img[src*='/media/']:not([src='{replacing}'])").first).to_be_visible()
    src = _preview_src(page)
    return Image.open(io.BytesIO(page.request.get(server + src.removeprefix(server)).body())).convert("RGB")


def _red_width(image: Image.Image, row: int) -> int:
    reds = [image.getpixel((x, row)) for x in range(image.width)]
    return sum(1 for r, g, b in reds if r > 200 and g < 60 and b < 60)


def test_an_edit_changes_the_preview_and_undo_brings_it_back(page: Page, server: str) -> None:
    _upload(page)
    page.get_by_role("link", name="Compose").click()
    _prompt(page, "@BG as background, @logo small at the top right")
    # Tab reran the page: its explanation is drawn above Generate, moving it down. A click while that
    # is drawn lands where the button was (no request is sent at all): wait for the run, as a user does.
    expect(page.get_by_text("How this prompt is understood")).to_be_visible()
    _settle(page)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(r"^Done in .* s — "))).to_be_visible(timeout=90_000)
    small_src = _preview_src(page)
    before = _served(page, server)
    small = _red_width(before, 43 + 108)
    assert small > 150, "the small logo (216 px) is drawn at the top right"

    box = page.get_by_label("Change it")
    box.fill("make @logo bigger")
    box.press("Enter")
    page.get_by_role("button", name="Apply the change").click()
    changed = re.compile(r"^Changed — @logo: small \(20 %\) (->|→) medium \(35 %\)$")  # markdown draws -> as →
    expect(page.get_by_text(changed)).to_be_visible(timeout=90_000)
    after = _served(page, server, replacing=small_src)
    assert _red_width(after, 43 + 189) > 1.5 * small, "the preview shows the bigger logo"

    big_src = _preview_src(page)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Back to the previous version.")).to_be_visible()
    assert _red_width(_served(page, server, replacing=big_src), 43 + 108) == small

"""A slideshow in a real browser: the prompt is understood (with its timeline), the preview animates, it downloads."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image, ImageSequence
from playwright.sync_api import Page, expect
from test_cleanup_flow import _settle
from test_flow import _download, _prompt


def _photo(seed: int) -> bytes:
    """A photo-like PNG: a gradient with noise, different per seed."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:240, 0:320].astype(np.float32)
    rgb = rng.uniform(40, 200, 3) + np.stack([80 * x / 320, 60 * y / 240, -50 * x / 320], axis=-1)
    rgb += rng.normal(0, 4, rgb.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_slideshow_previews_animated_and_downloads(page: Page, server: str) -> None:
    page.locator("input[type=file]").set_input_files(
        [{"name": f"{name}.png", "mimeType": "image/png", "buffer": _photo(seed)} for seed, name in enumerate("abc")]
    )
    expect(page.get_by_text("Added 3 images: @a, @b, @c")).to_be_visible()
    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()

    _prompt(page, "Make a slideshow of @a, @b and @c, 1 second each")
    expect(page.get_by_text(re.compile(r"Slideshow of 3 images, each covering the canvas"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("crossfade (0.5 s) to @b")
    _settle(page)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text(re.compile(r"^Done in .* s — "))).to_be_visible(timeout=90_000)
    _settle(page, 120)  # a GIF over 5 MB also gets its MP4 made, to say how much lighter it is

    preview = page.locator("img[src*='/media/'][src$='.gif']").first
    expect(preview).to_be_visible()
    served = Image.open(io.BytesIO(page.request.get(server + preview.get_attribute("src").removeprefix(server)).body()))
    frames = [np.asarray(frame.convert("RGB")).astype(int) for frame in ImageSequence.Iterator(served)]
    assert len(frames) >= 10  # three held slides and the crossfades between them
    assert np.abs(frames[0] - frames[len(frames) // 2]).mean() > 10  # it animates: another slide later on
    downloaded = Image.open(io.BytesIO(_download(page, r"^Download GIF \(")))
    assert downloaded.n_frames == served.n_frames and downloaded.size == (1080, 1080)

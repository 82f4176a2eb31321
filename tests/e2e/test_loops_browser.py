"""A loop in a real browser, on a desktop and on a phone: "looping seamlessly" is understood (nothing ignored),
the understanding lines say how it loops, and the GIF served to the page steps from its last frame back to its
first no further than from one frame to the next (the green logo goes there and back over a photo)."""

from __future__ import annotations

import io
import re
from itertools import pairwise

import numpy as np
import pytest
from PIL import Image, ImageSequence
from playwright.sync_api import Page, expect
from test_compose_flow import DESKTOP, PHONE, _generate, _open_compose, _shot, _upload

PROMPT = "@beach_photo as background, @logo moving from left to right, looping seamlessly"


def _logo_x(frame: Image.Image) -> float:
    """The x of the logo's centre in one frame (the logo is a green disc; the warm photo has no such green)."""
    rgb = np.asarray(frame.convert("RGB")).astype(int)
    green = (np.abs(rgb - (0, 128, 0)) <= 30).all(axis=-1)
    xs = np.nonzero(green)[1]
    assert xs.size, "the logo is in every frame"
    return float(xs.mean())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_seamless_loop_is_understood_said_and_has_no_jump(page: Page, server: str, viewport: dict) -> None:
    _upload(page, ["beach_photo", "logo"])
    _open_compose(page)
    box = page.get_by_label("Prompt")
    box.fill(PROMPT)
    box.press("Tab")
    expect(page.get_by_text(re.compile(r"animation 2\.0 s at 24 fps \(48 frames\), loops seamlessly"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"@logo goes there and back, so the loop does not jump"))).to_be_visible()
    expect(page.get_by_text(re.compile("Not understood"))).to_have_count(0)
    _shot(page, f"loops-{viewport['width']}")

    _generate(page, outputs_after=1)
    preview = page.locator("img[src*='/media/'][src$='.gif']").first
    expect(preview).to_be_visible()
    served = page.request.get(server + preview.get_attribute("src").removeprefix(server)).body()
    gif = Image.open(io.BytesIO(served))
    assert gif.info.get("loop") == 0, "the GIF loops forever"
    xs = [_logo_x(frame) for frame in ImageSequence.Iterator(gif)]
    moves = [abs(b - a) for a, b in pairwise(xs)]
    assert max(xs) - min(xs) > 300, xs  # it really travels (1080 px canvas)
    assert abs(xs[0] - xs[-1]) <= max(moves), (xs[0], xs[-1], max(moves))

"""Knock-out, flat-border detection and trimming on logos built in code with a known alpha.

Fringe bound (stated and asserted): on a lossless logo, 99.9 % of pixels get an alpha within 2/255 of
the truth and, composited over black (where a white fringe would show), a colour within 2 levels; the
only larger errors are the few pixels where three colours meet at the rim (a corner of the black bar on
the disc), capped at 0.6. A JPEG (quality 85) smears colour over 3-4 pixels: there 99 % of pixels stay
within 0.1 and the mean alpha error over the anti-aliased rim is under 25/255.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers_logos import LETTER_NAVY, LOGO_RED, as_jpeg, known_logo, letter_a, photo
from PIL import Image, ImageDraw

from imagegen.store.cleanup import FlatBorder, content_box, enclosed_background, flat_border, knock_out, trim


def _alpha(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA"))[..., 3].astype(np.float32) / 255


@pytest.mark.parametrize("background", [(255, 255, 255), (0, 177, 64), (20, 30, 120)], ids=["white", "green", "navy"])
def test_knock_out_recovers_the_known_alpha_within_the_fringe_bound(background: tuple[int, int, int]) -> None:
    logo = known_logo(200, background)
    out = knock_out(logo.image, background)
    alpha = _alpha(out)
    error = np.abs(alpha - logo.alpha)
    assert np.quantile(error, 0.999) <= 2 / 255, f"alpha error p99.9 {np.quantile(error, 0.999) * 255:.1f}/255"
    assert error.max() <= 0.6, f"alpha error max {error.max():.2f}"
    over_black = np.asarray(out)[..., :3].astype(np.float32) * alpha[..., None]
    truth = logo.colour * logo.alpha[..., None]
    fringe = np.abs(over_black - truth).max(axis=-1)
    assert np.quantile(fringe, 0.999) <= 2, f"colour over black p99.9 {np.quantile(fringe, 0.999):.1f} levels"


def test_knock_out_of_a_jpeg_stays_within_its_looser_bound() -> None:
    logo = known_logo(200)
    alpha = _alpha(knock_out(as_jpeg(logo.image)))
    error = np.abs(alpha - logo.alpha)
    rim = (logo.alpha > 0) & (logo.alpha < 1)
    assert np.quantile(error, 0.99) <= 0.1, f"p99 {np.quantile(error, 0.99):.3f}"
    assert error[rim].mean() <= 25 / 255, f"rim mean {error[rim].mean() * 255:.1f}/255"
    assert alpha[logo.alpha == 0][:, None].mean() < 0.01  # the background went


def test_white_inside_the_logo_is_kept_and_the_corners_go() -> None:
    out = np.asarray(knock_out(known_logo(200).image))
    assert tuple(out[100, 90]) == (255, 255, 255, 255), "white square inside the disc"
    for x, y in [(0, 0), (199, 0), (0, 199), (199, 199), (100, 5)]:
        assert out[y, x, 3] == 0, f"background at {(x, y)} kept alpha {out[y, x, 3]}"
    assert tuple(out[60, 60, :3]) == LOGO_RED and out[60, 60, 3] == 255


def test_a_red_pixel_beside_black_stays_opaque() -> None:
    logo = known_logo(200)
    alpha = _alpha(knock_out(logo.image))
    inside = logo.alpha == 1
    assert alpha[inside].min() >= 0.99, f"an interior pixel became {alpha[inside].min():.2f} opaque"


def test_remove_all_white_also_clears_white_inside() -> None:
    out = np.asarray(knock_out(known_logo(200).image, everywhere=True))
    assert out[100, 90, 3] == 0 and out[0, 0, 3] == 0
    assert out[60, 60, 3] == 255


def test_the_triangle_inside_an_a_stays_white_unless_asked_and_then_goes_without_a_fringe() -> None:
    a = letter_a(200)
    kept = np.asarray(knock_out(a.image))
    assert tuple(kept[112, 100]) == (255, 255, 255, 255), "the counter is kept by default"
    assert kept[190, 100, 3] == 0, "the gap between the legs opens onto the border: it goes"

    out = knock_out(a.image, everywhere=True)
    pixels = np.asarray(out)
    assert pixels[112, 100, 3] == 0 and pixels[190, 100, 3] == 0 and pixels[5, 5, 3] == 0
    assert tuple(pixels[150, 55]) == (*LETTER_NAVY, 255), "the left leg"
    error = np.abs(_alpha(out) - a.alpha)
    assert np.quantile(error, 0.999) <= 2 / 255, f"alpha error p99.9 {np.quantile(error, 0.999) * 255:.1f}/255"
    counter_rim = (a.alpha > 0) & (a.alpha < 1) & (np.abs(np.mgrid[0:200, 0:200][0] - 105) < 25)
    assert np.abs(np.asarray(out)[..., :3][counter_rim].astype(int) - LETTER_NAVY).max() <= 2, "no white fringe"


@pytest.mark.parametrize(
    ("image", "low", "high"),
    [
        pytest.param(letter_a(200).image, 1150, 1300, id="A-counter"),  # a 50 x 50 px triangle
        pytest.param(letter_a(400).image, 4600, 5200, id="A-counter-400px"),
        pytest.param(letter_a(1200).image, 42000, 47000, id="A-counter-1200px-counted-reduced"),  # 45,000
        pytest.param(known_logo(200).image, 1400, 1700, id="white-square-in-a-disc"),  # 40 x 40 px
        pytest.param(letter_a(200, (0, 177, 64)).image, 1150, 1300, id="A-on-green"),
        pytest.param(Image.new("RGB", (200, 200), "white"), 0, 0, id="all-white"),
        pytest.param(photo(240, 160), 0, 0, id="photo"),
    ],
)
def test_enclosed_background_counts_what_the_mark_encloses(image: Image.Image, low: int, high: int) -> None:
    assert low <= enclosed_background(image) <= high


def test_a_disc_or_a_few_enclosed_specks_are_not_worth_an_offer() -> None:
    image = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(image).ellipse((20, 20, 180, 180), fill=LOGO_RED)
    assert enclosed_background(image) == 0
    ImageDraw.Draw(image).rectangle((99, 99, 101, 101), fill="white")  # 9 px: under 0.1 % of 40,000
    assert enclosed_background(image) == 0
    ImageDraw.Draw(image).rectangle((90, 90, 110, 110), fill="white")
    assert enclosed_background(image) == 21 * 21


@pytest.mark.parametrize(
    ("tolerance", "removed"), [(0, False), (4, False), (5, True), (32, True)], ids=["0", "4-just-off", "5-exact", "32"]
)
def test_tolerance_is_the_largest_channel_difference_that_counts(tolerance: int, removed: bool) -> None:
    image = Image.new("RGB", (40, 40), (250, 252, 255))  # 5 levels off pure white
    ImageDraw.Draw(image).rectangle((10, 10, 29, 29), fill=(0, 0, 200))
    out = knock_out(image, (255, 255, 255), tolerance)
    corner = np.asarray(out.convert("RGBA"))[0, 0, 3]
    assert bool(corner == 0) is removed, f"tolerance {tolerance}: corner alpha {corner}"
    assert np.asarray(out.convert("RGBA"))[20, 20, 3] == 255


def test_nothing_to_remove_returns_the_image_itself() -> None:
    image = photo()
    assert knock_out(image, (255, 255, 255)) is image


def test_an_already_transparent_image_is_untouched() -> None:
    logo = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((5, 5, 54, 54), fill=(255, 255, 255, 255))  # white: would vanish
    ImageDraw.Draw(logo).ellipse((20, 20, 39, 39), fill=(*LOGO_RED, 255))
    out = knock_out(logo)
    assert out is logo
    assert np.array_equal(np.asarray(out), np.asarray(logo))


def test_any_named_colour_is_knocked_out() -> None:
    image = Image.new("RGB", (50, 50), (0, 177, 64))
    ImageDraw.Draw(image).rectangle((10, 10, 39, 39), fill=(240, 240, 240))
    out = np.asarray(knock_out(image, (0, 177, 64)))
    assert out[0, 0, 3] == 0 and tuple(out[25, 25]) == (240, 240, 240, 255)


def test_knock_out_of_a_1000_px_logo_keeps_the_bound() -> None:
    # Speed is measured in benchmarks/bench_cleanup.py; here the larger logo must be as exact as the small one.
    logo = known_logo(1000)
    error = np.abs(_alpha(knock_out(logo.image)) - logo.alpha)
    assert np.quantile(error, 0.999) <= 2 / 255 and _alpha(knock_out(logo.image))[0, 0] == 0


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param(known_logo(120).image, FlatBorder((255, 255, 255)), id="logo-on-white"),
        pytest.param(as_jpeg(known_logo(120).image), FlatBorder((255, 255, 255)), id="jpeg-on-white"),
        pytest.param(known_logo(120, (0, 0, 0)).image, FlatBorder((0, 0, 0)), id="on-black"),
        pytest.param(photo(), None, id="photo"),
        pytest.param(Image.new("RGB", (50, 50), (255, 255, 255)), None, id="all-white"),
        pytest.param(knock_out(known_logo(120).image), None, id="already-transparent"),
        pytest.param(Image.new("RGB", (2, 2), (255, 255, 255)), None, id="tiny"),
    ],
)
def test_flat_border_detects_a_plain_background(image: Image.Image, expected: FlatBorder | None) -> None:
    got = flat_border(image)
    if expected is None:
        assert got is None, got
    else:
        assert got is not None and max(abs(a - b) for a, b in zip(got.colour, expected.colour, strict=True)) <= 3


@pytest.mark.parametrize(
    ("colour", "name"), [((255, 255, 255), "white"), ((3, 3, 3), "black"), ((0, 177, 64), "#00b140")]
)
def test_flat_border_names_its_colour(colour: tuple[int, int, int], name: str) -> None:
    assert FlatBorder(colour).name == name


def test_trim_drops_transparent_margins() -> None:
    image = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((30, 10, 59, 49), fill=(*LOGO_RED, 255))
    assert content_box(image) == (30, 10, 60, 50)
    assert trim(image).size == (30, 40)
    opaque = Image.new("RGB", (20, 20), (255, 255, 255))
    assert trim(opaque) is opaque
    empty = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    assert trim(empty) is empty


def test_trim_drops_the_flat_margins_of_a_logo_delivered_on_white_even_as_a_jpeg() -> None:
    on_white = Image.new("RGB", (200, 120), (255, 255, 255))
    ImageDraw.Draw(on_white).ellipse((60, 20, 139, 99), fill=LOGO_RED)
    assert content_box(on_white) == (60, 20, 140, 100)
    jpeg = as_jpeg(on_white)  # ringing and chroma noise around the mark stay inside the box
    left, top, right, bottom = content_box(jpeg)
    assert 56 <= left <= 61 and 16 <= top <= 21 and 139 <= right <= 144 and 99 <= bottom <= 104
    photo_like = photo(200, 120)  # a busy border: nothing is trimmed
    assert trim(photo_like) is photo_like

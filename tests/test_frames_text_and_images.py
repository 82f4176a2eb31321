"""One vocabulary for frames on images and text: "outline", "border", "shadow", "rounded", "N px padding"
and "uncropped" mean one thing each, applied to whatever the sentence is about; text also takes part in
layouts (a region, a place next to an image, a cell of a row)."""

from __future__ import annotations

import pytest
from helpers_logos import photo
from helpers_pixels import RED, WHITE, bbox, solid

from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.render import render_still
from imagegen.scene import Border, Fit, Layer, Scene, Shape

TAGS = ["BG", "logo", "product"]
YELLOW = (255, 255, 0, 255)


def _layer(prompt: str, subject: str) -> Layer:
    result = parse(prompt, TAGS)
    assert [w.message for w in result.warnings if not w.quiet] == []
    if subject.startswith("@"):
        return result.scene.layer(subject[1:])
    [text] = [layer for layer in result.scene.layers if layer.text is not None and layer.text.text == subject]
    return text


IMAGE_AND_TEXT = [
    # (words, what an image gets, what a text gets)
    (
        "with a red outline",
        lambda lay: lay.border == Border(4.0, RED),
        lambda lay: lay.text.outline == RED and lay.border is None,
    ),
    (
        "with a 6 px black outline",
        lambda lay: lay.border == Border(6.0, (0, 0, 0, 255)),
        lambda lay: lay.text.outline == (0, 0, 0, 255) and abs(lay.text.outline_em - 6 / 96) < 1e-9,
    ),
    (
        "with a white border",
        lambda lay: lay.border == Border(10.0, WHITE),
        lambda lay: lay.text.outline == WHITE,
    ),
    (
        "with a drop shadow",
        lambda lay: lay.shadow is not None and lay.shadow.dx > 0 and lay.shadow.blur > 0,
        lambda lay: lay.text.shadow is not None and lay.shadow is None,
    ),
    (
        "with a soft shadow",
        lambda lay: lay.shadow is not None and lay.shadow.dx == 0 and lay.shadow.blur >= 12,
        lambda lay: lay.text.shadow is not None and lay.shadow is None,
    ),
    (
        "on a white banner with rounded corners",
        None,  # a banner is for text only (checked below)
        lambda lay: lay.text.banner == WHITE and 0 < lay.text.radius_em < 0.9 and lay.shape is None,
    ),
    (
        "with rounded corners",
        lambda lay: lay.shape is Shape.ROUNDED,
        None,  # a text without a banner has no corners to round: checked below
    ),
]


@pytest.mark.parametrize(("words", "image_check", "text_check"), IMAGE_AND_TEXT, ids=[row[0] for row in IMAGE_AND_TEXT])
def test_a_frame_word_means_one_thing_for_images_and_for_text(words, image_check, text_check) -> None:
    if image_check is not None:
        assert image_check(_layer(f"@logo at the top {words}, @BG as background", "@logo"))
    if text_check is not None:
        assert text_check(_layer(f'"Sale" {words} over @BG', "Sale"))


def test_padding_in_pixels_is_a_banners_room_for_text_and_a_margin_for_an_image() -> None:
    text = _layer('"Sale" on a red banner, 24 px padding, over @BG', "Sale")
    assert text.text.padding_em == 24 / 96 and text.margin == Layer.margin
    logo = _layer("@logo top left with 40 px padding, @BG as background", "@logo")
    assert logo.margin_px == 40  # kept in pixels: 40 px on every canvas size


def test_uncropped_shows_slides_whole_and_a_region_image_whole() -> None:
    show = parse("Slideshow of @BG and @product, uncropped", TAGS).scene
    assert show.slideshow is not None and show.slideshow.cover is False
    assert parse("Slideshow of @BG and @product", TAGS).scene.slideshow.cover is True
    assert (
        _layer("1200x628, @BG on the left half, @product on the right half, uncropped", "@product").fit is Fit.CONTAIN
    )


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ('"Sale" as a circle over @BG', "a circle"),
        ('"Sale" without the white background over @BG', "a knock-out"),
        ('crop "Sale" to the top, @BG as background', "a crop"),
    ],
)
def test_image_only_clean_up_said_of_a_text_is_reported_and_dropped(prompt: str, said: str) -> None:
    result = parse(prompt, TAGS)
    [text] = [layer for layer in result.scene.layers if layer.text is not None]
    assert (text.shape, text.knockout, text.focus) == (None, None, None)
    assert [w.message for w in result.warnings if not w.quiet] == [
        f"“Sale” is text: {said} applies to images only, so it was ignored."
    ]


def test_a_headline_on_the_right_half_of_a_split_banner_stays_in_that_half() -> None:
    prompt = '1200x628, @BG on the left half, "Summer sale — everything must go" in red on the right half'
    result = parse(prompt, TAGS)
    scene: Scene = result.scene
    image = render_still(scene, {"BG": photo(900, 600)})
    left, top, right, bottom = bbox(image.crop((600, 0, 1200, 628)), RED, tol=60)
    margin = round(Layer.margin * 628)
    assert left >= margin - 1 and right <= 600 - margin + 1, "the text keeps the margin inside its half"
    assert abs((left + right) / 2 - 300) <= 3, "centred in the right half"
    assert abs((top + bottom) / 2 - 314) <= 6, "centred vertically"
    assert '"Summer sale — everything must go" — in the right half' in " ".join(describe_scene(scene))


def test_a_caption_under_a_logo_sits_below_it_with_the_gap() -> None:
    scene = parse('@logo at the top, "Fresh every day" in yellow under @logo', TAGS).scene
    logo = solid(300, 150, RED)
    image = render_still(scene, {"logo": logo})
    logo_box = bbox(image, RED, tol=40)
    text_box = bbox(image, YELLOW, tol=60)
    assert logo_box is not None and text_box is not None
    gap = text_box[1] - logo_box[3]
    assert 14 <= gap <= 40, f"20 px apart, less the space above the letters' ink ({gap} px)"
    assert abs((text_box[0] + text_box[2]) / 2 - (logo_box[0] + logo_box[2]) / 2) <= 3, "centred under it"


def test_a_linkedin_banner_is_a_canvas_not_a_text_banner() -> None:
    result = parse("1200x628 LinkedIn banner: @BG on the left half, @product on the right half", TAGS)
    assert [w.message for w in result.warnings if not w.quiet] == []
    assert result.scene.canvas.size == (1200, 628)


@pytest.mark.parametrize(
    ("prompt", "border", "shadow"),
    [
        ("@logo with an outline in red over @BG", Border(4.0, RED), None),
        ("@logo with a border in navy over @BG", Border(10.0, (0, 0, 128, 255)), None),
        ("@logo with a shadow in grey over @BG", None, (128, 128, 128, 110)),
        ("@logo with a navy drop shadow over @BG", None, (0, 0, 128, 110)),
    ],
)
def test_a_colour_beside_an_images_frame_colours_the_frame_not_the_canvas(prompt, border, shadow) -> None:
    result = parse(prompt, TAGS)
    logo = result.scene.layer("logo")
    assert [w.message for w in result.warnings if not w.quiet] == []
    assert result.scene.canvas.background == WHITE, "the canvas keeps its colour"
    assert logo.border == border
    assert (logo.shadow.colour if logo.shadow else None) == shadow


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("200x160, @logo on the left 40 %, 40 px padding", "A 40 px margin leaves nothing of @logo's 80x160 px area"),
        ("200x160, grid of @BG, @logo and @product, 100 px gap", "The gaps (100 px) and margin (0 px) leave no room"),
        (
            'slideshow of @BG and @logo, "Sale" at the top under @logo',
            "“Sale” cannot go next to @logo: @logo is a slide of the slideshow",
        ),
    ],
)
def test_a_layout_that_cannot_be_drawn_is_said_and_left_out_not_a_render_error(prompt: str, said: str) -> None:
    # Found by a parse-and-render fuzz of layout and text words on a small canvas: these reached the
    # renderer as "empty region Region(left=…)" or named the text by its internal id.
    from imagegen.service import RenderRequest, understand

    result = understand(RenderRequest(prompt), dict.fromkeys(TAGS))  # the room is checked for the canvas drawn
    assert any(m.startswith(said) for m in result.messages()), result.messages()
    image = render_still(result.scene, {"BG": photo(300, 200), "logo": solid(80, 80, RED), "product": photo(90, 60)})
    assert image.size == result.scene.canvas.size


def test_render_messages_name_a_text_by_its_words() -> None:
    from dataclasses import replace

    from imagegen.errors import RenderError
    from imagegen.scene import Region

    scene = parse('"Summer Sale" at the top, @BG as background', TAGS).scene
    broken = replace(scene, layers=tuple(replace(x, region=Region(0, 0, 0, 1)) if x.text else x for x in scene.layers))
    with pytest.raises(RenderError, match=r"^Layer “Summer Sale” has"):
        render_still(broken, {"BG": photo(300, 200)})

"""The prompts a marketing team wrote that were misread in silence: each now does what it says, or says
what it could not do (and never takes a role, a place or a size from words it did not understand)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from imagegen.errors import NoTagError
from imagegen.prompt import ImageAbout, parse
from imagegen.prompt.explain import describe_scene
from imagegen.prompt.lexer import lex
from imagegen.render import render_still
from imagegen.scene import Anchor, Border, Knockout, Role, Shadow
from imagegen.service import RenderRequest
from imagegen.service.outputs import understand
from imagegen.store.assets import add_images
from imagegen.store.session import SessionStore

TAGS = ["BG", "logo", "product", "acme"]


def _loud(prompt: str) -> list[str]:
    return [w.message for w in parse(prompt, TAGS).warnings if not w.quiet]


def test_without_its_background_is_a_knock_out_not_a_second_background() -> None:
    scene = parse("@BG as background and @logo without its background at the top right", TAGS).scene
    logo = scene.layer("logo")
    assert (logo.role, logo.anchor, logo.size, logo.knockout) == (Role.LAYER, Anchor.TOP_RIGHT, 0.2, Knockout())
    assert scene.layer("BG").role is Role.BACKGROUND


def test_blur_the_background_is_reported_whole_and_makes_nothing_the_background() -> None:
    result = parse("@logo at the top right, blur the background", TAGS)
    logo = result.scene.layer("logo")
    assert (logo.role, logo.anchor, logo.size) == (Role.LAYER, Anchor.TOP_RIGHT, 0.2)
    assert _loud("@logo at the top right, blur the background") == [
        'No image is the background here, so "blur" (said of "background") was ignored — say which image it is '
        'for, e.g. "blur @logo".'
    ]


def test_an_effect_of_the_background_goes_to_the_image_playing_it() -> None:
    scene = parse("@BG as background, @logo at the top, make the background darker", TAGS).scene
    assert [e.amount for e in scene.layer("BG").effects] == [0.7] and scene.layer("logo").effects == ()


def test_below_the_logo_is_below_logo() -> None:
    result = parse("@logo at the top right and 'Limited offer' in yellow below the logo", TAGS)
    text = result.scene.layers[1]
    assert text.text is not None and text.text.colour == (255, 255, 0, 255)
    assert (text.beside.side.value, text.beside.tag) == ("below", "logo")
    assert next(w.message for w in result.warnings if w.quiet) == '"the logo" = @logo.'
    assert _loud("@logo at the top right and 'Limited offer' in yellow below the logo") == []


def test_on_white_is_the_canvas_and_a_shadow_under_it_is_the_subjects() -> None:
    result = parse("@product centered on navy, with a soft shadow under it", TAGS)
    product = result.scene.layer("product")
    assert product.shadow == Shadow(0.0, 8.0, 16.0, (0, 0, 0, 90)) and product.anchor is Anchor.CENTER
    assert result.scene.canvas.background == (0, 0, 128, 255)
    assert _loud("@product centered on white, with a soft shadow under it") == []


def test_twice_as_big_then_side_by_side_is_a_row_of_both() -> None:
    result = parse("@acme twice as big as @logo, side by side in the center on white", TAGS)
    acme, logo = result.scene.layer("acme"), result.scene.layer("logo")
    assert (acme.size, logo.size) == (1.0, 0.5)
    assert (acme.region.cell, logo.region.cell) == ((0, 0, 2, 1), (1, 0, 2, 1))
    assert _loud("@acme twice as big as @logo, side by side in the center on white") == []


def test_fills_the_whole_thing_is_the_background() -> None:
    scene = parse("@BG fills the whole thing, @product front and center", TAGS).scene
    assert scene.layer("BG").role is Role.BACKGROUND and scene.layer("BG").size == 1.0
    product = scene.layer("product")
    assert (product.role, product.anchor) == (Role.FOREGROUND, Anchor.CENTER)


def test_a_place_for_something_this_app_does_not_draw_is_reported_not_given_to_the_background() -> None:
    prompt = "@BG as background, put a QR code at the bottom right"
    scene = parse(prompt, TAGS).scene
    assert (scene.layer("BG").role, scene.layer("BG").anchor) == (Role.BACKGROUND, Anchor.CENTER)
    assert _loud(prompt) == [
        'Nothing to place "at the bottom right": "QR code" is not something this app draws '
        "(it draws your uploaded images and quoted text)."
    ]


def test_thick_and_thin_outlines() -> None:
    assert parse("@logo with a thick black outline", TAGS).scene.layer("logo").border == Border(8.0, (0, 0, 0, 255))
    assert parse("@logo with a thin red outline", TAGS).scene.layer("logo").border == Border(2.0, (255, 0, 0, 255))
    assert _loud("@logo with a thick black outline") == []


def test_a_background_given_a_size_or_a_place_is_a_contradiction_named() -> None:
    assert _loud("@BG as background and @BG small") == [
        '@BG is the background, which covers the whole canvas, but is also given the size "small" — it stays '
        "the background; to place it, drop 'background'."
    ]
    assert parse("@BG as background and @BG small", TAGS).scene.layer("BG").size == 1.0
    assert _loud("@logo at the top and at the bottom") == [
        '@logo is placed twice ("top", then "bottom") — using bottom, the last one.'
    ]


def test_a_size_compared_with_another_image() -> None:
    def sizes(prompt: str) -> tuple[float, float]:
        scene = parse(prompt, TAGS).scene
        return scene.layer("logo").size, scene.layer("product").size

    assert sizes("@logo half the size of @product, @product large") == (0.3, 0.6)
    assert sizes("@logo the same size as @product, @product small at the top") == (0.2, 0.2)
    assert sizes("@product bigger than @logo, @logo tiny") == (0.1, 0.15)
    assert sizes("@logo 4 times as big as @product, @product tiny") == (0.4, 0.1)
    assert _loud("@logo 3 times as big as @product, @product large") == [
        '"3 times as big as @product" would be larger than the canvas, so @logo fills it.'
    ]
    assert _loud("@logo as big as @logo") == ['"as big as @logo" compares @logo with itself, so it was ignored.']
    assert _loud("@logo as big as @product, @product as big as @logo") == [
        '"as big as @product": the sizes compare with each other in a circle — defaults are used.',
        '"as big as @logo": the sizes compare with each other in a circle — defaults are used.',
    ]


@pytest.mark.parametrize(
    ("prompt", "background", "placed"),
    [
        ("put the logo top right", None, {"logo": Anchor.TOP_RIGHT}),
        (
            "can you put the product in the center and the logo top left",
            None,
            {"product": Anchor.CENTER, "logo": Anchor.TOP_LEFT},
        ),
        ("put the logo top right and the BG as background", "BG", {"logo": Anchor.TOP_RIGHT}),
        ("the BG as background, the logo top right", "BG", {"logo": Anchor.TOP_RIGHT}),
        ("the product in the center, the logo top left, the bg behind", "BG", {"product": Anchor.CENTER}),
    ],
)
def test_images_are_named_without_an_at_sign(prompt: str, background: str | None, placed: dict[str, Anchor]) -> None:
    """ "the logo" finds the image tagged logo even when the prompt has no @ at all (how people write)."""
    result = parse(prompt, TAGS)
    scene = result.scene
    assert [layer.tag for layer in scene.layers if layer.role is Role.BACKGROUND] == (
        [background] if background else []
    )
    for tag, anchor in placed.items():
        assert scene.layer(tag).anchor is anchor
    assert all(w.quiet for w in result.warnings)  # understood: nothing but the quiet '"the logo" = @logo.' lines


def test_a_prompt_that_names_no_image_still_teaches_the_at_sign() -> None:
    with pytest.raises(NoTagError, match=r"No image is mentioned\. Mention your images with @ and their tag"):
        parse("a summer sale banner, bright and bold", TAGS)


def test_the_understanding_lines_say_what_a_reference_was_read_as() -> None:
    def quiet(prompt: str) -> list[str]:
        return [w.message for w in parse(prompt, TAGS).warnings if w.quiet and not w.message.startswith("Not used")]

    assert quiet("remove the white background of @logo and put it at the top right") == ['"it" = @logo.']
    assert quiet("@logo and @product, make them both small") == ['"them" = @logo and @product.']
    assert quiet("@BG as background, the logo in the upper right corner") == ['"the logo" = @logo.']
    # A vocabulary word is never read as a tag's name: "the background" stays the role.
    result = parse("@logo in the background", ["logo", "background"])
    assert [w.message for w in result.warnings if w.quiet] == ["Not used: @background."]
    assert result.scene.layer("logo").role is Role.BACKGROUND


def test_roles_said_twice_are_named() -> None:
    assert _loud("foreground @logo stretched") == [
        '@logo is given two roles ("foreground", then "stretched") — using "stretched".'
    ]
    assert _loud("@logo in the foreground, @logo as background") == [
        '@logo is given two roles ("in the foreground", then "background") — using "background".'
    ]
    assert _loud("@logo small, @logo large") == [
        'The size of @logo is given twice ("small", then "large") — using "large".'
    ]


def test_the_background_in_a_clause_naming_no_image_is_the_image_already_playing_it() -> None:
    prompt = "@BG as background, @logo at the top, make the background darker"
    scene = parse(prompt, TAGS).scene
    assert [(lay.tag, lay.role, lay.anchor) for lay in scene.layers] == [
        ("BG", Role.BACKGROUND, Anchor.CENTER),
        ("logo", Role.LAYER, Anchor.TOP),
    ]
    assert _loud(prompt) == []  # "darker" is for @BG, the image playing the background


def test_a_size_that_describes_an_unknown_thing_sizes_nothing() -> None:
    prompt = "@BG as background, add a big QR code"
    assert parse(prompt, TAGS).scene.layer("BG").size == 1.0
    assert _loud(prompt) == ['Not understood, so ignored: "big QR code".']  # "code" is named with it
    assert _loud("@BG as background, add a big QR code at the top") == [
        'Nothing to place "at the top": "big QR code" is not something this app draws '
        "(it draws your uploaded images and quoted text)."
    ]


def test_a_tip_never_names_a_colour_where_no_colour_is_said() -> None:
    assert _loud("@logo flip") == ['Not understood, so ignored: "flip".']
    assert _loud("@logo on a bleu background") == ['Not understood, so ignored: "bleu". Did you mean "blue"?']


@pytest.mark.parametrize(
    ("prompt", "words", "colour"),
    [
        ("@BG as background, 'Summer Sale' at the top, make the headline yellow", "Summer Sale", (255, 255, 0, 255)),
        ("@BG as background, 'Sale' at the bottom, the text in red", "Sale", (255, 0, 0, 255)),
        ("@BG as background, 'New' at the top, 'Sale' at the bottom, the caption in red", "Sale", (255, 0, 0, 255)),
    ],
)
def test_the_headline_or_the_text_is_the_quoted_text_said_last(
    prompt: str, words: str, colour: tuple[int, int, int, int]
) -> None:
    result = parse(prompt, TAGS)
    text = next(layer for layer in result.scene.layers if layer.text is not None and layer.text.text == words)
    assert text.text is not None and text.text.colour == colour
    assert any(w.quiet and w.message.endswith(f"= “{words}”.") for w in result.warnings)


def _bright_photo() -> Image.Image:
    """A photo-like picture (a gradient with noise) with no near-black pixel, so only the outline is dark."""
    rng = np.random.default_rng(7)
    ramp = np.linspace(110, 230, 160)[None, :, None] + rng.normal(0, 8, (120, 160, 3))
    return Image.fromarray(np.clip(ramp, 100, 255).astype(np.uint8), "RGB")


def _outline_pixels(prompt: str) -> int:
    """How many near-black pixels the text of ``prompt`` draws on a red canvas (its letters are white)."""
    image = np.asarray(render_still(parse(prompt, TAGS).scene, {"BG": _bright_photo()}).convert("RGB")).astype(int)
    return int((image.max(axis=2) < 60).sum())


def test_thick_and_thin_outlines_of_a_text_change_how_wide_its_outline_is() -> None:
    said = "'SALE' in white on red at the top, with a {} black outline, @BG small at the bottom"
    thin, usual, thick = (_outline_pixels(said.format(word)) for word in ("thin", "", "thick"))
    assert 0 < thin < usual < thick
    layers = {word: parse(said.format(word), TAGS).scene.layers for word in ("thin", "", "thick")}
    assert [next(la for la in layers[w] if la.text).text.outline_em for w in ("thin", "", "thick")] == [
        0.03,
        0.06,
        0.12,
    ]
    # a border said of a text is its outline: thick or thin alike
    text = parse("'SALE' with a thick red border, @BG small", TAGS).scene.layers
    assert next(la for la in text if la.text).text.outline_em == 0.12


# --- "the photo", "the picture", file names --------------------------------------------------------------
PHOTO_SESSION = ["logo", "sale", "product"]
#: what the app knows of each upload: a logo and a product on white, one photograph
PHOTO_ABOUT = {
    "logo": ImageAbout("acme-logo.png", photo=False),
    "sale": ImageAbout("summer-sale.jpg", photo=True),
    "product": ImageAbout("bottle.png", photo=False),
}


def _read(prompt: str, tags: list[str] = PHOTO_SESSION, about: dict | None = None) -> tuple[str, list[str], list[str]]:
    """(the scene in brief, the loud lines, the reference lines) for ``prompt`` read with ``about``."""
    result = parse(prompt, tags, about=PHOTO_ABOUT if about is None else about)
    brief = " | ".join(f"{la.tag} {la.role.value} {la.anchor.value} {la.size:g}" for la in result.scene.layers)
    loud = [w.message for w in result.warnings if not w.quiet]
    refs = [w.message for w in result.warnings if w.quiet and " = " in w.message]
    return brief, loud, refs


@pytest.mark.parametrize(
    ("prompt", "brief", "loud", "refs"),
    [
        # the one upload that looks like a photograph (not a logo, no plain background)
        (
            "@logo at the top right, the photo as background",
            "sale background center 1 | logo layer top-right 0.2",
            [],
            ['"the photo" = @sale.'],
        ),
        (
            "@product in the center, the picture behind everything",
            "sale background center 1 | product layer center 0.5",
            [],
            ['"the picture" = @sale.'],
        ),
        # by the file's name: whole, its stem after "the", or words of it before a photo noun
        (
            "@logo top left, summer-sale.jpg as background",
            "sale background center 1 | logo layer top-left 0.2",
            [],
            ['"summer-sale.jpg" = @sale.'],
        ),
        (
            "the summer-sale as background and the bottle.png in the center",
            "sale background center 1 | product layer center 0.5",
            [],
            ['"the summer-sale" = @sale.', '"the bottle.png" = @product.'],
        ),
        (
            "@logo top right, the sale picture fills the frame",
            "sale background center 1 | logo layer top-right 0.2",
            [],
            ['"the sale picture" = @sale.'],
        ),
        # a photo noun said of the image named just before is that image ("a shadow under it")
        (
            "@product centered with a shadow under the photo",
            "product layer center 0.5",
            [],
            [],
        ),
    ],
)
def test_the_photo_and_file_names_find_the_image(prompt: str, brief: str, loud: list[str], refs: list[str]) -> None:
    assert _read(prompt) == (brief, loud, refs)


def test_the_photo_with_no_facts_is_the_one_image_named_that_is_no_logo() -> None:
    # the command line's explain knows only tags: "the picture" is the one image the prompt names
    assert _read("Put @product in the center and make the picture large", about={}) == (
        "product layer center 0.6",
        [],
        ['"the picture" = @product.'],
    )
    assert _read("@logo at the top left and the photo on the right", ["logo", "hero_photo", "BG"], {}) == (
        "logo layer top-left 0.2 | hero_photo layer right 0.3",
        [],
        ['"the photo" = @hero_photo.'],
    )


@pytest.mark.parametrize(
    ("prompt", "loud"),
    [
        (
            "@BG as background, @logo at the top, @product in the center, make the picture bigger",
            '"the picture" could be @BG or @product — write the @tag of the one you mean; "bigger" was not applied.',
        ),
        (
            "@BG as background, @logo at the top, @product in the center, the photo on the left",
            '"the photo" could be @BG or @product — write the @tag of the one you mean; "on the left" was not applied.',
        ),
        (
            "@BG as background, @logo at the top, @product in the center, sharpen the image",
            '"the image" could be @BG or @product — write the @tag of the one you mean; "sharpen" was not applied.',
        ),
    ],
)
def test_a_photo_that_could_be_several_images_is_said_and_given_to_none(prompt: str, loud: str) -> None:
    scene = parse(prompt, TAGS).scene
    assert [(la.tag, la.anchor.value, la.size, la.effects) for la in scene.layers] == [
        ("BG", "center", 1.0, ()),
        ("logo", "top", 0.3, ()),
        ("product", "center", 0.5, ()),
    ]
    assert _loud(prompt) == [loud]


def test_two_photographs_make_the_photo_ambiguous_unless_the_prompt_names_one() -> None:
    about = {"sale": ImageAbout("summer-sale.jpg", True), "hero": ImageAbout("IMG_2041.jpg", True)}
    brief, loud, _ = _read("@logo top right, the photo as background", ["logo", "sale", "hero"], about)
    assert brief == "logo layer top-right 0.2"
    assert loud == [
        '"the photo" could be @sale or @hero — write the @tag of the one you mean; "background" was not applied.'
    ]
    assert _read(
        "@hero small at the bottom, @logo top right, make the photo brighter", ["logo", "sale", "hero"], about
    )[2] == ['"the photo" = @hero.']


def test_the_app_knows_the_file_names_and_which_upload_is_a_photo(tmp_path: Path) -> None:
    session = SessionStore(tmp_path / "sessions").create()
    rng = np.random.default_rng(3)
    photo = (np.linspace(40, 220, 240)[None, :, None] + rng.normal(0, 20, (160, 240, 3))).clip(0, 255)
    logo = Image.new("RGB", (80, 80), "white")
    ImageDraw.Draw(logo).ellipse((15, 15, 65, 65), fill=(200, 30, 30))
    files = [("summer-sale.jpg", _jpeg(Image.fromarray(photo.astype(np.uint8)))), ("acme-logo.png", _png(logo))]
    assert add_images(session, files).errors == ()
    tags = [asset.tag for asset in session.manifest().assets]
    assert tags == ["summer-sale", "acme-logo"]
    for prompt in (
        "@acme-logo top right, the photo as background",
        "@acme-logo top right, summer-sale.jpg as background",
    ):
        scene = understand(session, RenderRequest(prompt)).scene
        assert [(la.tag, la.role, la.anchor) for la in scene.layers] == [
            ("summer-sale", Role.BACKGROUND, Anchor.CENTER),
            ("acme-logo", Role.LAYER, Anchor.TOP_RIGHT),
        ]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_a_shadow_under_the_photo_is_the_images_own_shadow_even_with_a_photograph_uploaded() -> None:
    scene = parse("@product centered with a shadow under the photo", PHOTO_SESSION, about=PHOTO_ABOUT).scene
    assert [(la.tag, la.shadow == Shadow(0.0, 8.0, 16.0, (0, 0, 0, 90))) for la in scene.layers] == [("product", True)]


def test_an_effect_of_the_background_said_right_after_it_goes_to_it() -> None:
    # "@BG as background, make the background blurry": @BG is the image named just before; it is still the one
    scene = parse("@BG as background, make the background blurry, @product in the center", TAGS).scene
    assert [(la.tag, [e.kind.value for e in la.effects]) for la in scene.layers] == [("BG", ["blur"]), ("product", [])]
    assert _loud("@BG as background, make the background blurry, @product in the center") == []


def test_a_web_address_is_one_word_never_a_clause_end() -> None:
    tokens = [(t.kind.value, t.text) for t in lex("put www.acme.co.uk/sale at the top. Then spin")]
    assert tokens[:2] == [("word", "put"), ("word", "www.acme.co.uk/sale")]
    assert ("sep", ".") in tokens  # a full stop before a space still ends the clause


def test_explain_names_a_text_an_image_is_placed_beside_by_its_words() -> None:
    scene = parse("@BG as background, 'Summer' at the top, and @logo below it", TAGS).scene
    assert '@logo — below "Summer", 20 px apart, half (50 % of the canvas)' in describe_scene(scene)


NUDGE = (
    '"{word}" was not applied: moving an image a little from a place cannot be said yet — use a place ("at the top", '
    '"at the bottom"), a region ("in the bottom half") or a corner.'
)


@pytest.mark.parametrize(
    ("prompt", "word", "anchor"),
    [
        ("@BG as background, @logo a bit lower than the middle", "lower", "center"),
        ("@BG as background, put the logo slightly higher", "higher", "center"),
        ("@BG as background, @logo at the top, further left", "further", "left"),  # "placed twice" is named too
    ],
)
def test_a_nudge_from_a_place_is_named_not_dropped(prompt: str, word: str, anchor: str) -> None:
    parsed = parse(prompt, TAGS)
    assert NUDGE.format(word=word) in [w.message for w in parsed.warnings]
    assert parsed.scene.layer("logo").anchor.value == anchor


@pytest.mark.parametrize(
    "prompt", ["@BG as background, @logo in the lower left corner", "@BG as background, @logo in the upper half"]
)
def test_lower_and_upper_inside_a_place_are_the_place(prompt: str) -> None:
    assert not [w for w in parse(prompt, TAGS).warnings if "was not applied" in w.message]

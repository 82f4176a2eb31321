"""Layout and clean-up phrases: what each builds into the Scene, how it is explained, and the honest
scaling lines; then a few prompts rendered end to end and measured."""

from __future__ import annotations

import numpy as np
import pytest
from helpers_logos import known_logo, photo
from helpers_pixels import BLUE, RED, WHITE, bbox, solid

from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene, scaling_lines
from imagegen.render import render_still
from imagegen.render.layout import scaling_notes
from imagegen.scene import Border, Fit, Knockout, Layer, Region, Relation, Role, Scene, Shape, Side

TAGS = ["BG", "logo", "hero", "product", "avatar", "a", "b", "c", "d"]
WHITE_BG = Knockout((255, 255, 255))


def _layer(prompt: str, tag: str) -> Layer:
    result = parse(prompt, TAGS)
    assert [w.message for w in result.warnings if not w.quiet] == []
    return result.scene.layer(tag)


def _line(prompt: str, tag: str) -> str:
    scene = parse(prompt, TAGS).scene
    return next(line for line in describe_scene(scene) if line.startswith(f"@{tag} "))


# (prompt, tag, Layer field, expected value, words in the explain line)
PHRASES = [
    ("remove the white background of @logo", "logo", "knockout", WHITE_BG, "white background removed"),
    ("@logo without background", "logo", "knockout", Knockout(), "plain background removed"),
    ("make white transparent in @logo", "logo", "knockout", WHITE_BG, "white background removed"),
    ("remove the black background of @logo", "logo", "knockout", Knockout((0, 0, 0)), "black background removed"),
    (
        "@logo in the center, remove all white",
        "logo",
        "knockout",
        Knockout((255, 255, 255), everywhere=True),
        "every white pixel made transparent",
    ),
    ("@avatar as a circle", "avatar", "shape", Shape.CIRCLE, "cut to a circle"),
    ("@product with rounded corners", "product", "shape", Shape.ROUNDED, "rounded corners"),
    ("crop @BG to the top", "BG", "focus", (0.5, 0.0), "background, covers the canvas, crop keeps the top"),
    ("focus on the left of @BG", "BG", "focus", (0.0, 0.5), "crop keeps the left"),
    ("@BG as background cropped to the bottom right", "BG", "focus", (1.0, 1.0), "crop keeps the bottom right"),
    ("@product with a white border", "product", "border", Border(10, (255, 255, 255, 255)), "10 px white border"),
    ("@logo with a 4 px red outline", "logo", "border", Border(4, (255, 0, 0, 255)), "4 px red border"),
    ("@logo with a #00ff00 border", "logo", "border", Border(10, (0, 255, 0, 255)), "10 px lime border"),
    ("@product with a drop shadow", "product", "shadow", None, "shadow 8 px right, 8 px down, 6 px blur"),
    ("@product, soft shadow", "product", "shadow", None, "shadow 0 px right, 8 px down, 16 px blur"),
    ("@BG on the left half", "BG", "region", Region(0, 0, 0.5, 1), "fills the left half"),
    ("@hero on the right half, fit", "hero", "region", Region(0.5, 0, 0.5, 1), "shown whole in the right half"),
    ("@BG on the top half", "BG", "region", Region(0, 0, 1, 0.5), "fills the top half"),
    ("@hero on the bottom third", "hero", "region", Region.band("bottom", 1 / 3), "fills the bottom third"),
    ("@BG on the left 40%", "BG", "region", Region(0, 0, 0.4, 1), "fills the left 40 %"),
    ("@product top left with 40 px padding", "product", "margin_px", 40, "margin 40 px"),
]


@pytest.mark.parametrize(("prompt", "tag", "name", "expected", "words"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase_builds_the_layer_and_explains_it(
    prompt: str, tag: str, name: str, expected: object, words: str
) -> None:
    layer = _layer(prompt, tag)
    if expected is not None:
        assert getattr(layer, name) == expected, getattr(layer, name)
    else:
        assert getattr(layer, name) is not None
    assert words in _line(prompt, tag), _line(prompt, tag)


@pytest.mark.parametrize(
    ("prompt", "first", "second", "across", "gap"),
    [
        ("@BG and @product side by side", "BG", "product", True, 20),
        ("@logo next to @product", "product", "logo", True, 20),
        ("@logo to the left of @product with 40 px gap", "logo", "product", True, 40),
        ("@logo above @product", "logo", "product", False, 20),
        ("@logo under @product", "product", "logo", False, 20),
    ],
)
def test_unplaced_pairs_share_the_canvas_in_order(prompt: str, first: str, second: str, across: bool, gap: int) -> None:
    scene = parse(prompt, TAGS).scene
    a, b = (scene.layer(t).region.box(scene.canvas.size) for t in (first, second))  # type: ignore[union-attr]
    if across:
        assert a[0] == 0 and b[0] - a[2] == gap and b[2] == 1080, (a, b)
    else:
        assert a[1] == 0 and b[1] - a[3] == gap and b[3] == 1080, (a, b)


def test_next_to_a_placed_image_is_a_relation_with_its_gap() -> None:
    layer = _layer("@product in the center, @logo next to @product with 30 px gap", "logo")
    assert layer.beside == Relation(Side.RIGHT_OF, "product", 30) and layer.region is None
    assert "right of @product, 20 px apart" in _line("@product in the center, @logo next to @product", "logo")


@pytest.mark.parametrize(
    ("prompt", "boxes"),
    [
        (
            "grid of @a, @b, @c and @d",
            [(0, 0, 530, 530), (550, 0, 1080, 530), (0, 550, 530, 1080), (550, 550, 1080, 1080)],
        ),
        (
            "@a, @b, @c and @d in a 2 by 2 grid with 10 px gap",
            [(0, 0, 535, 535), (545, 0, 1080, 535), (0, 545, 535, 1080), (545, 545, 1080, 1080)],
        ),
        ("a row of @a @b @c", [(0, 0, 347, 1080), (367, 0, 713, 1080), (733, 0, 1080, 1080)]),
        ("@a and @b in a column with 40 px margin", [(40, 40, 1040, 530), (40, 550, 1040, 1040)]),
        ("grid of @a, @b and @c, 4x1 grid", [(0, 0, 255, 1080), (275, 0, 530, 1080), (550, 0, 805, 1080)]),
    ],
)
def test_grids_give_each_image_its_cell(prompt: str, boxes: list[tuple[int, int, int, int]]) -> None:
    scene = parse(prompt, TAGS).scene
    got = [layer.region.box(scene.canvas.size) for layer in scene.layers]  # type: ignore[union-attr]
    assert got == boxes


def test_words_after_a_grid_apply_to_every_image_in_it() -> None:
    scene = parse("grid of @a, @b, @c and @d with white borders and rounded corners", TAGS).scene
    assert {layer.border for layer in scene.layers} == {Border(10, (255, 255, 255, 255))}
    assert {layer.shape for layer in scene.layers} == {Shape.ROUNDED}


@pytest.mark.parametrize(
    ("prompt", "warning"),
    [
        ("@logo in a grid", "A grid or row needs two or more images; it has @logo — it was ignored."),
        ("@logo next to it", "@logo is placed next to no other image"),
        ("@logo top right, focus on the left of @logo", "@logo is shown whole, so its crop has no effect"),
    ],
)
def test_layout_words_that_cannot_apply_say_so(prompt: str, warning: str) -> None:
    messages = [w.message for w in parse(prompt, TAGS).warnings]
    assert any(m.startswith(warning) for m in messages), messages


def test_what_the_guide_once_could_not_do_is_understood_now() -> None:
    assert _layer("crop @logo to a circle", "logo").shape is Shape.CIRCLE
    assert _layer("@logo with a white border", "logo").border == Border(10, (255, 255, 255, 255))


def test_under_places_below_while_underneath_still_orders() -> None:
    assert parse("@logo under @product", TAGS).scene.layer("logo").region is not None
    behind = parse("@logo in the center, @product in the center underneath @logo", TAGS).scene
    assert behind.tags == ("product", "logo") and behind.layer("logo").region is None


def test_knockout_said_with_other_words_keeps_them() -> None:
    layer = _layer("@logo on top right without background, with a drop shadow", "logo")
    assert layer.knockout == Knockout() and layer.shadow is not None and layer.anchor.value == "top-right"


def test_scaling_lines_are_honest_about_enlargement_crops_and_shape() -> None:
    scene = parse("@BG as background, @logo top right", TAGS).scene
    notes = scaling_notes(scene, {"BG": (600, 400), "logo": (500, 500)})
    assert scaling_lines(notes, canvas_said=False) == [
        "@BG is 600x400 and is enlarged 2.7x — it will look soft.",
        "@BG is cropped to fill its area: 33% of it is cut away.",
        '@BG is 600x400, not square like the default canvas — say "1620x1080" or "landscape" (1920x1080) to match'
        " its shape.",
    ]
    story = parse("story, @BG as background", TAGS)
    lines = scaling_lines(scaling_notes(story.scene, {"BG": (600, 400)}), canvas_said=story.canvas_said)
    assert lines[0] == "@BG is 600x400 and is enlarged 4.8x — it will look soft." and len(lines) == 2
    sharp = scaling_notes(scene, {"BG": (3000, 3000), "logo": (500, 500)})
    assert scaling_lines(sharp, canvas_said=False) == []


# --- rendered end to end --------------------------------------------------------------------------------


def test_the_linkedin_split_banner_from_the_issue() -> None:
    result = parse("1200x628 banner: @BG on the left half, @hero on the right half", TAGS)
    image = render_still(result.scene, {"BG": solid(600, 400, RED), "hero": solid(300, 500, BLUE)})
    assert image.size == (1200, 628)
    assert bbox(image, RED) == (0, 0, 600, 628) and bbox(image, BLUE) == (600, 0, 1200, 628)


def test_a_knocked_out_logo_from_the_prompt_shows_the_photo() -> None:
    result = parse("remove the white background of @logo, @logo in the center over @BG", TAGS)
    assert result.scene.layer("BG").role is Role.BACKGROUND
    plain = parse("@logo in the center over @BG", TAGS)
    counts = []
    for scene in (result.scene, plain.scene):
        image = np.asarray(render_still(scene, {"BG": photo(300, 300), "logo": known_logo(200).image}))
        counts.append(int(np.all(image[..., :3] >= 235, axis=-1).sum()))
    # Left: only the logo's own white square (41/172 of the trimmed width, about 129 px a side here).
    assert counts[0] <= 1.1 * 129**2 and counts[1] > 4 * counts[0], counts


def test_a_grid_from_the_prompt_with_gaps_measured() -> None:
    scene = parse("grid of @a, @b, @c and @d with 40 px gap", TAGS).scene
    colours = {"a": RED, "b": BLUE, "c": (0, 255, 0, 255), "d": (255, 255, 0, 255)}
    image = render_still(scene, {tag: solid(200, 150, colour) for tag, colour in colours.items()})
    a, b, c = bbox(image, RED), bbox(image, BLUE), bbox(image, (0, 255, 0, 255))
    assert a is not None and b is not None and c is not None
    assert b[0] - a[2] == 40 and c[1] - a[3] == 40 and a[:2] == (0, 0)
    assert np.all(np.asarray(image)[:, a[2] : b[0], :3] == 255), "the gap shows the white canvas"


def test_fit_inside_a_half_shows_the_whole_image() -> None:
    scene = parse("@hero on the right half, fit", TAGS).scene
    assert scene.layer("hero").fit is Fit.CONTAIN
    image = render_still(Scene(scene.layers, scene.canvas), {"hero": solid(540, 270, RED)})
    assert bbox(image, RED) == (540, 405, 1080, 675) and image.getpixel((10, 10)) == WHITE


@pytest.mark.parametrize(
    ("prompt", "size", "warned"),
    [
        ("1200x628 LinkedIn banner: @BG on the left half", (1200, 628), False),
        ("LinkedIn post 1200x628, @BG on the left half", (1200, 628), False),
        ("1080x1920 square @BG", (1080, 1920), False),
    ],
)
def test_exact_numbers_win_over_a_platform_name(prompt: str, size: tuple[int, int], warned: bool) -> None:
    result = parse(prompt, ["BG"])
    assert result.scene.canvas.size == size
    assert any("given twice" in w.message for w in result.warnings) is warned

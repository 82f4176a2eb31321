"""Layouts measured in pixels: regions (cover/fit/focus), grids, gaps, margins, relative placement,
trim, knock-out through the scene, and the scaling facts the explain lines use."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers_logos import known_logo, photo
from helpers_pixels import BLUE, GREEN, RED, WHITE, assert_close, bbox, centroid, count, solid
from PIL import Image, ImageDraw

from imagegen.errors import RenderError
from imagegen.render import prepare, render_still
from imagegen.render.layout import scaling_notes
from imagegen.scene import (
    Anchor,
    Border,
    Canvas,
    Fit,
    Knockout,
    Layer,
    Motion,
    MotionKind,
    Region,
    Relation,
    Role,
    Scene,
    Shadow,
    Shape,
    Side,
    Timing,
    grid_regions,
)

YELLOW = (255, 255, 0, 255)
MAGENTA = (255, 0, 255, 255)


def still(*layers: Layer, canvas: Canvas, **images: Image.Image) -> Image.Image:
    return render_still(Scene(layers=layers, canvas=canvas), images)


def halves(width: int, height: int, top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    image = solid(width, height, top)
    image.paste(bottom[:3], (0, height // 2, width, height))
    return image


def test_split_banner_each_half_is_covered_exactly() -> None:
    canvas = Canvas(1200, 628, WHITE)
    image = still(
        Layer("BG", region=Region.band("left", 0.5)),
        Layer("hero", region=Region.band("right", 0.5)),
        canvas=canvas,
        BG=solid(600, 400, RED),  # 3:2 into a 600x628 half: enlarged and cropped at the sides
        hero=solid(300, 500, BLUE),
    )
    assert bbox(image, RED) == (0, 0, 600, 628)
    assert bbox(image, BLUE) == (600, 0, 1200, 628)
    assert count(image, RED) + count(image, BLUE) == 1200 * 628


@pytest.mark.parametrize(
    ("region", "box"),
    [
        (Region.band("left", 0.4), (0, 0, 120, 200)),
        (Region.band("right", 1 / 3), (200, 0, 300, 200)),
        (Region.band("top", 0.5), (0, 0, 300, 100)),
        (Region.band("bottom", 0.25), (0, 150, 300, 200)),
        (Region(1 / 3, 0, 1 / 3, 1), (100, 0, 200, 200)),
    ],
    ids=["left-40", "right-third", "top-half", "bottom-quarter", "middle-third"],
)
def test_a_layer_covers_its_region(region: Region, box: tuple[int, int, int, int]) -> None:
    image = still(Layer("a", region=region), canvas=Canvas(300, 200, WHITE), a=photo(90, 60))
    visible = np.nonzero(np.any(np.asarray(image)[..., :3] != 255, axis=-1))
    got = (int(visible[1].min()), int(visible[0].min()), int(visible[1].max()) + 1, int(visible[0].max()) + 1)
    assert got == box, f"got {got}, expected {box}"


def test_fit_contains_the_whole_image_in_the_region_at_its_anchor() -> None:
    canvas = Canvas(400, 200, WHITE)
    centred = still(Layer("a", region=Region.band("left", 0.5), fit=Fit.CONTAIN), canvas=canvas, a=solid(100, 50))
    assert bbox(centred, RED) == (0, 50, 200, 150)  # 2:1 into 200x200: full width, centred
    topped = still(
        Layer("a", region=Region.band("left", 0.5), fit=Fit.CONTAIN, anchor=Anchor.TOP),
        canvas=canvas,
        a=solid(100, 50),
    )
    assert bbox(topped, RED) == (0, 0, 200, 100)


@pytest.mark.parametrize(
    ("focus", "kept"),
    [((0.5, 0.0), RED), ((0.5, 1.0), BLUE), (None, None)],
    ids=["top", "bottom", "centre"],
)
def test_crop_focus_keeps_that_part(focus: tuple[float, float] | None, kept: tuple[int, ...] | None) -> None:
    # A tall picture, red above blue, covers a wide canvas: only a band of it can show.
    image = still(
        Layer("BG", role=Role.BACKGROUND, focus=focus), canvas=Canvas(300, 100, WHITE), BG=halves(100, 200, RED, BLUE)
    )
    if kept is None:
        assert abs(count(image, RED) - 300 * 50) <= 300 and abs(count(image, BLUE) - 300 * 50) <= 300  # 1 row blends
    else:
        assert count(image, kept) == 300 * 100


def test_focus_on_the_left_of_a_wide_picture() -> None:
    wide = solid(400, 100, BLUE)
    wide.paste(RED[:3], (0, 0, 100, 100))
    image = still(Layer("BG", role=Role.BACKGROUND, focus=(0.0, 0.5)), canvas=Canvas(100, 100, WHITE), BG=wide)
    assert count(image, RED) == 100 * 100


def test_grid_two_by_two_with_gaps_and_margin_measured_in_pixels() -> None:
    canvas = Canvas(420, 320, WHITE)
    cells = grid_regions(4, gap=20, margin=10)
    colours = {"a": RED, "b": GREEN, "c": BLUE, "d": YELLOW}
    layers = [Layer(tag, region=cell) for tag, cell in zip(colours, cells, strict=True)]
    image = still(*layers, canvas=canvas, **{tag: photo_of(colour) for tag, colour in colours.items()})
    boxes = {tag: bbox(image, colour, tol=10) for tag, colour in colours.items()}
    assert boxes["a"] == (10, 10, 200, 150), boxes
    assert boxes["b"][0] - boxes["a"][2] == 20, "horizontal gap"
    assert boxes["c"][1] - boxes["a"][3] == 20, "vertical gap"
    assert boxes["d"] == (220, 170, 410, 310), boxes
    assert np.all(np.asarray(image)[:10, :, :3] == 255), "top margin is canvas"


def photo_of(colour: tuple[int, ...]) -> Image.Image:
    return solid(64, 48, colour)


def test_a_row_of_three_and_an_odd_grid() -> None:
    assert [r.box((300, 100))[0] for r in grid_regions(3)] == [0, 100, 200]
    six = [r.box((300, 200)) for r in grid_regions(6)]
    assert len({box[1] for box in six}) == 2 and len({box[0] for box in six}) == 3
    assert len(grid_regions(4, rows=1)) == 4
    assert {box[2] - box[0] for box in (r.box((400, 100)) for r in grid_regions(4, rows=1))} == {100}
    assert grid_regions(0) == ()


@pytest.mark.parametrize("width", [420, 840, 1680, 3000])
def test_a_grids_gap_and_margin_are_the_pixels_said_at_every_canvas_size(width: int) -> None:
    """The Scene keeps "20 px gap, 10 px margin" as said: each canvas works out its own cells."""
    cells = [cell.box((width, width // 2)) for cell in grid_regions(4, gap=20, margin=10)]
    assert cells[0][:2] == (10, 10), "margin"
    assert cells[1][0] - cells[0][2] == 20, "horizontal gap"
    assert cells[2][1] - cells[0][3] == 20, "vertical gap"
    assert (width - cells[3][2], width // 2 - cells[3][3]) == (10, 10), "margin on the far sides"


def test_grid_cells_with_borders_keep_their_cells() -> None:
    canvas = Canvas(220, 100, WHITE)
    cells = grid_regions(2, columns=2, gap=20)
    border = Border(5, (0, 0, 0, 255))
    image = still(
        Layer("a", region=cells[0], border=border),
        Layer("b", region=cells[1], border=border),
        canvas=canvas,
        a=solid(50, 50, RED),
        b=solid(50, 50, BLUE),
    )
    assert bbox(image, (0, 0, 0, 255), tol=10) == (0, 0, 220, 100)
    assert bbox(image, RED) == (5, 5, 95, 95) and bbox(image, BLUE) == (125, 5, 215, 95)
    assert np.all(np.asarray(image)[:, 100:120, :3] == 255), "the 20 px gap stays canvas"


@pytest.mark.parametrize(
    ("side", "check"),
    [
        (Side.RIGHT_OF, lambda a, b: a[0] - b[2] == 20 and abs((a[1] + a[3]) - (b[1] + b[3])) <= 1),
        (Side.LEFT_OF, lambda a, b: b[0] - a[2] == 20),
        (Side.ABOVE, lambda a, b: b[1] - a[3] == 20 and abs((a[0] + a[2]) - (b[0] + b[2])) <= 1),
        (Side.BELOW, lambda a, b: a[1] - b[3] == 20),
    ],
    ids=lambda v: v.value if isinstance(v, Side) else "",
)
def test_beside_places_next_to_the_other_layer_with_the_gap(side: Side, check) -> None:  # type: ignore[no-untyped-def]
    image = still(
        Layer("a", size=0.2, beside=Relation(side, "b", 20)),  # listed first: placed after @b anyway
        Layer("b", size=0.3),
        canvas=Canvas(400, 400, WHITE),
        a=solid(50, 50, RED),
        b=solid(50, 50, BLUE),
    )
    a, b = bbox(image, RED), bbox(image, BLUE)
    assert b == (140, 140, 260, 260), b
    assert a is not None and check(a, b), f"@a {a} vs @b {b}"


def test_beside_a_moving_layer_uses_its_resting_place() -> None:
    image = still(
        Layer("b", size=0.25, anchor=Anchor.LEFT, motions=(Motion(MotionKind.FADE_IN, start=0.5),)),
        Layer("a", size=0.25, beside=Relation(Side.RIGHT_OF, "b", 10)),
        canvas=Canvas(400, 200, WHITE),
        a=solid(50, 50, RED),
        b=solid(50, 50, BLUE),
    )
    assert bbox(image, RED) == (8 + 50 + 10, 75, 8 + 50 + 10 + 50, 125), bbox(image, RED)


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            (Layer("a", beside=Relation(Side.ABOVE, "zz")),),
            "@a is placed next to @zz, which is not a layer of the picture",
        ),
        ((Layer("a", beside=Relation(Side.ABOVE, "A")),), "@a is placed next to itself"),
        (
            (Layer("a", beside=Relation(Side.ABOVE, "b")), Layer("b", beside=Relation(Side.BELOW, "a"))),
            "@a and @b are each placed next to the other, in a circle",
        ),
    ],
    ids=["missing", "itself", "circle"],
)
def test_beside_errors_say_what_to_do(layers: tuple[Layer, ...], message: str) -> None:
    with pytest.raises(RenderError, match=message):
        still(*layers, canvas=Canvas(100, 100, WHITE), a=solid(10, 10), b=solid(10, 10), zz=solid(10, 10))


def test_trim_puts_the_visible_logo_at_the_margin() -> None:
    padded = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(padded).rectangle((40, 40, 59, 59), fill=RED)
    canvas = Canvas(200, 200, WHITE)
    trimmed = still(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.1, margin=0.05), canvas=canvas, logo=padded)
    assert bbox(trimmed, RED) == (170, 10, 190, 30)
    kept = still(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.1, margin=0.05, trim=False), canvas=canvas, logo=padded)
    assert bbox(kept, RED) == (178, 18, 182, 22)


def test_an_opaque_logo_on_white_is_placed_by_its_mark_not_its_white_padding() -> None:
    on_white = Image.new("RGB", (100, 100), (255, 255, 255))
    ImageDraw.Draw(on_white).rectangle((40, 40, 59, 59), fill=RED)
    canvas = Canvas(200, 200, BLUE)
    trimmed = still(Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.1, margin=0.05), canvas=canvas, logo=on_white)
    assert bbox(trimmed, RED) == (170, 10, 190, 30), "the mark sits at the margin, as big as asked"
    kept = still(
        Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.1, margin=0.05, trim=False), canvas=canvas, logo=on_white
    )
    assert bbox(kept, RED) == (178, 18, 182, 22) and bbox(kept, WHITE) == (170, 10, 190, 30)


def test_knocked_out_logo_on_a_photo_shows_the_photo_around_it() -> None:
    canvas = Canvas(240, 160, WHITE)
    image = still(
        Layer("BG", role=Role.BACKGROUND),
        Layer("logo", size=0.5, knockout=Knockout()),
        canvas=canvas,
        BG=photo(),
        logo=known_logo(200).image,
    )
    arr = np.asarray(image).astype(int)
    near_white = np.all(arr[..., :3] >= 235, axis=-1)
    # Trimmed to the disc and bar (172x160 -> 86x80, half size): only the logo's own white square
    # (41x41 -> about 20x20) may be near white; the white box around the logo would add about 1,900.
    assert near_white.sum() <= 20 * 20 + 40, f"{near_white.sum()} near-white pixels"
    assert_close(centroid(image, (200, 30, 40, 255), tol=30), (117, 80), 4, "the disc's centre")


def test_circle_and_border_and_shadow_through_the_renderer() -> None:
    canvas = Canvas(200, 200, WHITE)
    image = still(
        Layer("a", size=0.5, shape=Shape.CIRCLE, border=Border(4, BLUE), shadow=Shadow(6, 6, 2, (0, 0, 0, 255))),
        canvas=canvas,
        a=solid(160, 100, RED),
    )
    red = bbox(image, RED)
    assert red is not None and red[2] - red[0] == red[3] - red[1], f"circle is round: {red}"
    blue = bbox(image, BLUE)
    assert blue is not None and blue[0] == red[0] - 4 and blue[2] == red[2] + 4
    assert_close(centroid(image, RED), (99.5, 99.5), 0.6, "the shape stays centred, the shadow does not count")
    dark = bbox(image, (0, 0, 0, 255), tol=30)
    assert dark is not None and dark[2] > blue[2] and dark[3] > blue[3], "shadow falls right and down"


def test_scaling_notes_give_the_honest_numbers() -> None:
    scene = Scene(
        layers=(
            Layer("BG", role=Role.BACKGROUND),
            Layer("logo", size=0.2),
            Layer("half", region=Region.band("left", 0.5)),
        ),
        canvas=Canvas(1080, 1080),
    )
    notes = {n.tag: n for n in scaling_notes(scene, {"bg": (600, 400), "logo": (1000, 500), "half": (800, 800)})}
    bg = notes["BG"]
    assert bg.soft and round(bg.enlarged, 2) == 2.7
    assert round(bg.cropped, 3) == round(1 - 400 / 600, 3) and bg.heavy_crop
    assert bg.aspect_differs and bg.background
    assert not notes["logo"].soft and notes["logo"].enlarged < 1 and notes["logo"].cropped == 0
    half = notes["half"]
    assert half.shown == (540, 1080) and round(half.cropped, 2) == 0.5 and not half.aspect_differs
    story = scaling_notes(Scene((Layer("BG", role=Role.BACKGROUND),), Canvas(1080, 1920)), {"BG": (600, 400)})
    assert round(story[0].enlarged, 1) == 4.8
    assert scaling_notes(scene, {}) == []


def test_new_layer_fields_round_trip_through_json() -> None:
    layer = Layer(
        "a",
        region=Region(0.1, 0.2, 0.3, 0.4),
        fit=Fit.CONTAIN,
        focus=(0.5, 0.0),
        shape=Shape.ROUNDED,
        corner_radius=0.2,
        border=Border(3, (1, 2, 3, 4)),
        shadow=Shadow(1, 2, 3, (4, 5, 6, 7)),
        knockout=Knockout((0, 177, 64), 40, everywhere=True),
        trim=False,
        beside=Relation(Side.BELOW, "b", 12),
    )
    scene = Scene((layer, Layer("b")))
    assert Scene.from_json(scene.to_json()) == scene
    assert Scene.from_json(Scene((Layer("c"),)).to_json()).layers[0] == Layer("c")


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (Layer("a", region=Region(0, 0, float("nan"), 1)), "region width nan — it must be a finite number"),
        (Layer("a", region=Region(0, 0, 0, 1)), "an empty region"),
        (Layer("a", focus=(0.5, 2.0)), "focus y 2 — use 0 to 1"),
        (Layer("a", border=Border(500, WHITE)), r"border width \(px\) 500 — use 0 to 100"),
        (Layer("a", border=Border(4, (300, 0, 0, 255))), "border colour .* 4 whole numbers from 0 to 255"),
        (Layer("a", shadow=Shadow(blur=float("inf"))), r"shadow blur \(px\) inf — it must be a finite number"),
        (Layer("a", shadow=Shadow(blur=-1)), r"shadow blur \(px\) -1 — use 0 to 100"),
        (Layer("a", knockout=Knockout(tolerance=300)), "knock-out tolerance 300 — use 0 to 255"),
        (Layer("a", corner_radius=-0.1), "corner radius -0.1 — use 0 to 0.5"),
        (Layer("a", beside=Relation(Side.ABOVE, "b", float("nan"))), r"gap \(px\) nan"),
    ],
    ids=[
        "nan-region",
        "empty-region",
        "focus",
        "border",
        "colour",
        "inf-blur",
        "neg-blur",
        "tolerance",
        "radius",
        "gap",
    ],
)
def test_layout_values_that_cannot_be_drawn_are_refused(layer: Layer, message: str) -> None:
    with pytest.raises(RenderError, match=f"Layer @a has {message}"):
        still(layer, Layer("b"), canvas=Canvas(200, 100, WHITE), a=solid(10, 10), b=solid(10, 10))


def test_a_moving_layer_keeps_its_shape_border_and_shadow_in_every_frame() -> None:
    scene = Scene(
        layers=(
            Layer(
                "a",
                size=0.4,
                shape=Shape.CIRCLE,
                border=Border(4, BLUE),
                shadow=Shadow(5, 5, 2),
                motions=(Motion(MotionKind.ZOOM_IN, amount=2.0),),
            ),
        ),
        canvas=Canvas(200, 200, WHITE),
        timing=Timing(1.0, 4),
    )
    plan = prepare(scene, {"a": solid(100, 60, RED)})
    first, last = plan.image_at(0.0), plan.image_at(1.0)
    for image, side in ((first, 80), (last, 160)):
        blue = bbox(image, BLUE)
        assert blue is not None and abs((blue[2] - blue[0]) - side) <= 2 and abs((blue[3] - blue[1]) - side) <= 2, blue
        assert image.getpixel((100, 100))[:3] == RED[:3]
    resting = replace(scene, layers=tuple(replace(layer, motions=()) for layer in scene.layers))
    still_image = render_still(resting, {"a": solid(100, 60, RED)})
    assert np.abs(np.asarray(still_image).astype(int) - np.asarray(first).astype(int)).max() <= 2

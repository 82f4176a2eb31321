"""Still composition measured from pixels: anchors, margins, fitting, z-order, opacity, rotation, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers_pixels import BLUE, GREEN, RED, WHITE, assert_close, assert_pixel, bbox, centroid, count, solid
from PIL import Image, ImageDraw

from imagegen.errors import LimitError, RenderError
from imagegen.limits import Limits
from imagegen.render import check_limits, prepare, render_still
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Role, Scene, Timing

CANVAS = Canvas(200, 200, WHITE)


def still(*layers: Layer, canvas: Canvas = CANVAS, **images: Image.Image) -> Image.Image:
    image = render_still(Scene(layers=layers, canvas=canvas), images)
    assert image.mode == "RGBA" and image.size == canvas.size
    return image


# Sprite 40x40 (size 0.2 of 200), margin 0.05 * 200 = 10 px: left edges at 10, 80, 150.
ANCHORS = {
    Anchor.TOP_LEFT: (29.5, 29.5),
    Anchor.TOP: (99.5, 29.5),
    Anchor.TOP_RIGHT: (169.5, 29.5),
    Anchor.LEFT: (29.5, 99.5),
    Anchor.CENTER: (99.5, 99.5),
    Anchor.RIGHT: (169.5, 99.5),
    Anchor.BOTTOM_LEFT: (29.5, 169.5),
    Anchor.BOTTOM: (99.5, 169.5),
    Anchor.BOTTOM_RIGHT: (169.5, 169.5),
}


@pytest.mark.parametrize(("anchor", "expected"), ANCHORS.items(), ids=[a.value for a in ANCHORS])
def test_anchor_lands_where_it_should(anchor: Anchor, expected: tuple[float, float]) -> None:
    image = still(Layer("logo", anchor=anchor, size=0.2, margin=0.05), logo=solid(80, 80))
    assert_close(centroid(image, RED), expected, 0.01, f"{anchor} centroid")
    assert count(image, RED) == 40 * 40


@pytest.mark.parametrize(
    ("margin", "box"),
    [(0.0, (160, 160, 200, 200)), (0.05, (150, 150, 190, 190)), (0.1, (140, 140, 180, 180))],
)
def test_margin_is_a_fraction_of_the_shorter_side(margin: float, box: tuple[int, ...]) -> None:
    image = still(Layer("logo", anchor=Anchor.BOTTOM_RIGHT, size=0.2, margin=margin), logo=solid(40, 40))
    assert bbox(image, RED) == box, f"got {bbox(image, RED)}, expected {box}"


def test_margin_uses_the_shorter_side_of_a_wide_canvas() -> None:
    canvas = Canvas(400, 100, WHITE)  # 0.1 * 100 = 10 px on both axes
    image = still(Layer("logo", anchor=Anchor.TOP_LEFT, size=0.1, margin=0.1), canvas=canvas, logo=solid(10, 10))
    assert bbox(image, RED) == (10, 10, 20, 20), f"got {bbox(image, RED)}, expected (10, 10, 20, 20)"


def test_layer_is_contain_fitted_into_its_size_box() -> None:
    # 2:1 logo into a 100x100 box (size 0.5 of 200): 100x50, centred
    image = still(Layer("logo", size=0.5), logo=solid(300, 150))
    assert bbox(image, RED) == (50, 75, 150, 125), f"got {bbox(image, RED)}"


def test_layer_never_outgrows_the_margins() -> None:
    image = still(Layer("logo", anchor=Anchor.TOP_LEFT, size=1.0, margin=0.1), logo=solid(50, 50))
    assert bbox(image, RED) == (20, 20, 180, 180), f"got {bbox(image, RED)}"


def _pattern_2_to_1() -> Image.Image:
    """400x200: left half red, right half blue, a green 100x100 square in the middle."""
    image = Image.new("RGBA", (400, 200), RED)
    image.paste(BLUE, (200, 0, 400, 200))
    image.paste(GREEN, (150, 50, 250, 150))
    return image


def test_background_covers_without_distortion() -> None:
    image = still(Layer("BG", role=Role.BACKGROUND), canvas=Canvas(100, 100, WHITE), bg=_pattern_2_to_1())
    assert count(image, WHITE, tol=10) == 0, "background must cover the whole canvas"
    # scaled to 200x100, centre 100 columns kept: square is 50x50 (aspect kept), halves equal
    assert bbox(image, GREEN) == (25, 25, 75, 75), f"got {bbox(image, GREEN)}, expected (25, 25, 75, 75)"
    assert_close((count(image, RED), count(image, BLUE)), (3750, 3750), 60, "red/blue areas")


def test_tall_background_is_cropped_top_and_bottom() -> None:
    tall = _pattern_2_to_1().rotate(90, expand=True)  # 200x400
    image = still(Layer("BG", role=Role.BACKGROUND), canvas=Canvas(100, 50, WHITE), bg=tall)
    # scaled to 100x200, centre 50 rows kept: the 50x50 square fills the height, still square
    assert bbox(image, GREEN) == (25, 0, 75, 50), f"got {bbox(image, GREEN)}, expected (25, 0, 75, 50)"


def test_stretch_distorts_only_when_asked() -> None:
    image = still(Layer("BG", role=Role.BACKGROUND, stretch=True), canvas=Canvas(100, 100, WHITE), bg=_pattern_2_to_1())
    # x scaled by 1/4, y by 1/2: the square becomes 25 wide, 50 tall; the whole image is visible
    box = bbox(image, GREEN)
    assert box is not None
    assert_close((box[2] - box[0], box[3] - box[1]), (25, 50), 1, "stretched square's width, height")
    assert_close((count(image, RED), count(image, BLUE)), (4375, 4375), 120, "red/blue areas")


@pytest.mark.parametrize(("order", "colour"), [(("a", "b"), BLUE), (("b", "a"), RED)])
def test_scene_order_is_drawing_order(order: tuple[str, str], colour: tuple[int, ...]) -> None:
    layers = [Layer(tag, size=0.3) for tag in order]
    image = still(*layers, a=solid(10, 10, RED), b=solid(10, 10, BLUE))
    assert_pixel(image, (100, 100), colour, 0, "top layer colour")


def test_opacity_blends_with_what_is_below() -> None:
    image = still(Layer("logo", size=0.3, opacity=0.5), logo=solid(10, 10, RED))
    assert_pixel(image, (100, 100), (255, 127, 127, 255), 1, "half-transparent red on white")


def test_transparent_canvas_keeps_alpha_and_colour_straight() -> None:
    canvas = Canvas(100, 100, None)
    image = still(Layer("logo", size=0.5, opacity=0.5), canvas=canvas, logo=solid(10, 10, RED))
    assert_pixel(image, (2, 2), (0, 0, 0, 0), 0, "empty transparent canvas")
    assert_pixel(image, (50, 50), (255, 0, 0, 128), 1, "half-transparent red on nothing")


def test_downscaled_transparent_edges_do_not_darken() -> None:
    # A red disc on fully transparent *black*: a resize that ignores alpha would drag edges to dark red.
    logo = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((20, 20, 280, 280), fill=RED)
    image = np.asarray(still(Layer("logo", size=0.33), canvas=Canvas(100, 100, None), logo=logo))
    edge = (image[..., 3] > 0) & (image[..., 3] < 255)
    assert edge.sum() > 20, "expected anti-aliased edge pixels"
    assert image[edge][:, 0].min() >= 250, f"edge red got min {image[edge][:, 0].min()}, expected >= 250"


def test_rotation_by_90_swaps_width_and_height() -> None:
    layers = (Layer("bar", size=0.3, rotation=90),)
    image = still(*layers, bar=solid(60, 20))
    box = bbox(image, RED)
    assert box is not None
    assert (box[2] - box[0], box[3] - box[1]) == (20, 60), f"got {box}, expected a 20x60 box"


def test_rotation_is_clockwise_and_about_the_centre() -> None:
    image = still(Layer("bar", size=0.4, rotation=15), bar=solid(80, 10))
    cx, cy = centroid(image, RED)  # type: ignore[misc]
    assert_close((cx, cy), (99.5, 99.5), 0.6, "rotated bar centroid")
    arr = np.asarray(image)
    ys, xs = np.nonzero((arr[..., 1] < 100) & (arr[..., 0] > 200))
    right, left = ys[xs > cx + 20].mean(), ys[xs < cx - 20].mean()
    assert right > left + 10, f"right end y {right:.1f} should be below left end y {left:.1f} (clockwise)"


def test_layer_size_uses_both_canvas_sides() -> None:
    image = still(Layer("logo", size=0.5), canvas=Canvas(400, 100, WHITE), logo=solid(10, 10))
    assert bbox(image, RED) == (175, 25, 225, 75), f"got {bbox(image, RED)}"


# --- sources and errors ---------------------------------------------------------------------------------


def test_tags_match_ignoring_case_and_paths_load(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    solid(20, 20, BLUE).convert("RGB").save(path)
    image = render_still(Scene(layers=(Layer("Logo", size=0.2),), canvas=CANVAS), {"LOGO": path})
    assert_pixel(image, (100, 100), BLUE, 0, "logo from a file")


def test_missing_tag_names_it_and_suggests_the_closest() -> None:
    scene = Scene(layers=(Layer("logo"),), canvas=CANVAS)
    with pytest.raises(
        RenderError, match=r"No image is tagged @logo — the images are tagged @bg, @lgo\. Did you mean @lgo\?"
    ):
        prepare(scene, {"lgo": solid(5, 5), "bg": solid(5, 5)})


def test_tags_differing_only_in_case_are_refused() -> None:
    scene = Scene(layers=(Layer("logo"),), canvas=CANVAS)
    with pytest.raises(RenderError, match="Two images are tagged @logo and @LOGO"):
        prepare(scene, {"logo": solid(5, 5), "LOGO": solid(5, 5)})


def test_unreadable_file_names_the_tag(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"not an image at all")
    with pytest.raises(RenderError, match=r"The image for @bg \(broken\.png\) cannot be read: "):
        render_still(Scene(layers=(Layer("bg"),), canvas=CANVAS), {"bg": path})


def test_of_several_unreadable_files_the_first_in_the_scene_is_named(tmp_path: Path) -> None:
    """Images decode in parallel, but the error is the one the scene meets first, every time."""
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(b"not an image at all")
    solid(8, 8, BLUE).save(tmp_path / "good.png")
    scene = Scene(layers=(Layer("good", role=Role.BACKGROUND), Layer("b"), Layer("a")), canvas=CANVAS)
    images = {"a": tmp_path / "a.png", "b": tmp_path / "b.png", "good": tmp_path / "good.png"}
    for _ in range(5):
        with pytest.raises(RenderError, match=r"The image for @b \(b\.png\) cannot be read"):
            render_still(scene, images)


def test_missing_file_names_the_tag(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"The image for @bg \(gone\.png\) cannot be read: No such file"):
        render_still(Scene(layers=(Layer("bg"),), canvas=CANVAS), {"bg": tmp_path / "gone.png"})


def test_stored_files_are_not_held_to_the_upload_byte_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    solid(64, 64, BLUE).save(path)
    limits = Limits(max_file_bytes=10)
    image = prepare(Scene(layers=(Layer("x", size=0.5),), canvas=CANVAS), {"x": path}, limits=limits).still()
    assert_pixel(image, (100, 100), BLUE, 0, "stored image")


@pytest.mark.parametrize("as_file", [True, False])
def test_images_with_too_many_pixels_are_refused(tmp_path: Path, as_file: bool) -> None:
    source: Path | Image.Image = solid(20, 10)
    if as_file:
        source.save(tmp_path / "wide.png")
        source = tmp_path / "wide.png"
    words = r"The image for @x: 20x10 is 200 pixels, over the limit of 100 pixels — use a smaller image"
    with pytest.raises(LimitError, match=words):
        prepare(Scene(layers=(Layer("x"),), canvas=CANVAS), {"x": source}, limits=Limits(max_image_pixels=100))


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 20), RED[:3])
    image.paste(BLUE[:3], (0, 0, 20, 20))  # left half blue as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise: the blue half ends up on top
    image.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    still_image = render_still(
        Scene(layers=(Layer("x", role=Role.BACKGROUND),), canvas=Canvas(20, 40)), {"x": tmp_path / "photo.jpg"}
    )
    assert_pixel(still_image, (10, 5), BLUE, 12, "top after EXIF rotation")
    assert_pixel(still_image, (10, 35), RED, 12, "bottom after EXIF rotation")


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (Layer("x", size=0.0), "Layer @x has size 0.0 — it must be above 0"),
        (Layer("x", size=float("nan")), "Layer @x has size nan — it must be a finite number"),
        (Layer("x", opacity=float("inf")), "Layer @x has opacity inf"),
        (Layer("x", motions=(Motion(MotionKind.SPIN, amount=float("nan")),)), "its spin motion has amount nan"),
    ],
)
def test_undrawable_numbers_are_clear_errors(layer: Layer, message: str) -> None:
    with pytest.raises(RenderError, match=message):
        prepare(Scene(layers=(layer,), canvas=CANVAS), {"x": solid(5, 5)})


MOVING = (Layer("x", motions=(Motion(MotionKind.SPIN),)),)
LIMIT_CASES = [
    (
        Scene(layers=(), canvas=Canvas(5000, 100)),
        "Canvas 5000x100 is too large — each side must be between 16 and 4096 px.",
    ),
    (Scene(layers=(), canvas=Canvas(100, 8)), "Canvas 100x8 is too small — each side must be between 16 and 4096 px."),
    (Scene(layers=MOVING, timing=Timing(90, 5)), "Duration 90 s is too long — animations can last at most 60 s."),
    (Scene(layers=MOVING, timing=Timing(2, 120)), "Frame rate 120 fps is out of range — use 1 to 60 fps."),
    (Scene(layers=MOVING, timing=Timing(2, 0.5)), "Frame rate 0.5 fps is out of range — use 1 to 60 fps."),
    (Scene(layers=MOVING, timing=Timing(0, 10)), "Duration 0 s is too short — an animation must last more than 0 s."),
    (Scene(layers=MOVING, timing=Timing(15, 60)), "15 s at 60 fps is 900 frames — at most 600 frames are allowed"),
]


@pytest.mark.parametrize(("scene", "message"), LIMIT_CASES)
def test_limits_are_refused_with_the_limit_in_the_message(scene: Scene, message: str) -> None:
    with pytest.raises(LimitError, match=message):
        check_limits(scene)
    with pytest.raises(LimitError, match=message):  # before any work: the missing image is not even looked at
        prepare(scene, {})


def test_limits_are_configurable() -> None:
    scene = Scene(layers=MOVING, canvas=Canvas(300, 300), timing=Timing(2, 24))
    check_limits(scene)
    with pytest.raises(LimitError, match="at most 40 frames are allowed"):
        check_limits(scene, Limits(max_frames=40))
    with pytest.raises(LimitError, match="each side must be between 16 and 256 px"):
        check_limits(scene, Limits(max_canvas_side=256))


def test_stills_ignore_timing_limits() -> None:
    check_limits(Scene(layers=(Layer("x"),), timing=Timing(500, 500)))


def test_prepare_builds_base_and_moving_sprites() -> None:
    scene = Scene(
        layers=(
            Layer("bg", role=Role.BACKGROUND),
            Layer("logo", size=0.2, motions=(Motion(MotionKind.SPIN),)),
            Layer("badge", size=0.1, anchor=Anchor.TOP_LEFT),
        ),
        canvas=CANVAS,
    )
    plan = prepare(scene, {"bg": solid(50, 50, GREEN), "logo": solid(40, 20), "badge": solid(10, 10, BLUE)})
    assert plan.base.size == (200, 200) and plan.base.mode == "RGBA"
    assert count(plan.base, GREEN) == 200 * 200, "base holds the static background only"
    assert [s.size for s in plan.sprites] == [(40, 20)]
    assert count(plan.still(), BLUE) == 20 * 20, "the static layer above the moving one is still drawn"
    # what a GIF palette covers: the base's own pixels (an array, not a copy of the image) and the sprites
    base_pixels, *sprites = plan.palette_sources()
    assert isinstance(base_pixels, np.ndarray) and np.array_equal(base_pixels, np.asarray(plan.base))
    assert sprites == plan.sprites


def phone_photo(path: Path, size: tuple[int, int] = (2400, 1800)) -> Path:
    """A photo-like JPEG (a smooth field of colours and sensor noise), as phones save them."""
    rng = np.random.default_rng(7)
    field = Image.fromarray(rng.uniform(30, 220, (18, 24, 3)).astype(np.uint8)).resize(size, Image.Resampling.BICUBIC)
    noisy = np.asarray(field, np.float32) + rng.normal(0, 4, (size[1], size[0], 3)).astype(np.float32)
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


@pytest.mark.parametrize(
    ("layer", "decoded"),
    [
        (Layer("bg", role=Role.BACKGROUND), (600, 450)),  # covers 300x300 at 1/4 scale (1/8 would not)
        (Layer("bg", role=Role.BACKGROUND, motions=(Motion(MotionKind.ZOOM_IN),)), (2400, 1800)),  # zooms in
        (Layer("bg", size=0.5, trim=False), (300, 225)),  # contained in 150x150: 1/8 scale
        (Layer("bg", size=0.5), (2400, 1800)),  # trimmed: what it keeps depends on the pixels
    ],
)
def test_a_jpeg_is_decoded_at_the_smallest_scale_its_layers_need(tmp_path, monkeypatch, layer, decoded) -> None:
    from imagegen.render import plan as plan_module

    sizes: list[tuple[int, int]] = []
    real = plan_module.load_source
    monkeypatch.setattr(
        plan_module, "load_source", lambda *a, **k: sizes.append((image := real(*a, **k)).size) or image
    )
    scene = Scene(layers=(layer,), canvas=Canvas(300, 300, WHITE), timing=Timing(1.0, 4))
    prepare(scene, {"bg": phone_photo(tmp_path / "bg.jpg")})
    assert sizes == [decoded]


def test_a_background_decoded_at_a_reduced_scale_looks_like_a_full_decode(tmp_path, monkeypatch) -> None:
    from imagegen.render import plan as plan_module

    path = phone_photo(tmp_path / "bg.jpg")
    scene = Scene(layers=(Layer("bg", role=Role.BACKGROUND),), canvas=Canvas(300, 200, WHITE))
    reduced = np.asarray(render_still(scene, {"bg": path}).convert("RGB"), np.float64)
    monkeypatch.setattr(plan_module, "_shown_size", lambda layers, canvas: None)  # decoded whole
    full = np.asarray(render_still(scene, {"bg": path}).convert("RGB"), np.float64)
    mse = float(((reduced - full) ** 2).mean())
    assert mse > 0 and 10 * np.log10(255**2 / mse) > 40

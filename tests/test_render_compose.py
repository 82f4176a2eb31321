"""The compositor's shortcuts give Pillow's alpha_composite to the bit; a photo fade is the rounded float blend."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from imagegen.render import prepare
from imagegen.render.compose import Draw, FrameBuffer, is_opaque, with_opacity
from imagegen.render.motion import Transform
from imagegen.render.sprites import SpriteRenderer
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Role, Scene, Slide, Slideshow, Timing, Transition

SIDE = 256


def every_pair() -> tuple[np.ndarray, np.ndarray]:
    """(source, destination) RGB values covering every pair of channel values (256 x 256 pixels)."""
    s, d = np.meshgrid(np.arange(256, dtype=np.uint8), np.arange(256, dtype=np.uint8))
    return np.stack([s, d, 255 - s], -1), np.stack([d, s, 255 - d], -1)


def rgba(rgb: np.ndarray, alpha: np.ndarray | int) -> Image.Image:
    out = np.empty((*rgb.shape[:2], 4), np.uint8)
    out[..., :3], out[..., 3] = rgb, alpha
    return Image.fromarray(out)


def reference(destination: Image.Image, draw: Draw) -> np.ndarray:
    """What plain Pillow makes: the faded sprite alpha-composited at its place (clipped to the canvas)."""
    out = destination.copy()
    box = (0, 0, *out.size)
    left, top = max(draw.left, 0), max(draw.top, 0)
    source = (
        left - draw.left,
        top - draw.top,
        min(draw.box[2], box[2]) - draw.left,
        min(draw.box[3], box[3]) - draw.top,
    )
    out.alpha_composite(with_opacity(draw.image, draw.level), (left, top), source)
    return np.asarray(out)


def composited(destination: Image.Image, draw: Draw, opaque: bool) -> np.ndarray:
    frame = FrameBuffer(destination)
    frame.draw(draw, (0, 0, *destination.size), opaque)
    return frame.array


@pytest.mark.parametrize("level", range(256))
def test_fading_opaque_sprite_over_opaque_canvas_is_alpha_composite_for_every_value(level: int) -> None:
    source, destination = every_pair()
    canvas = rgba(destination, 255)
    draw = Draw(rgba(source, 255), 0, 0, level=level, opaque=True)
    assert np.array_equal(composited(canvas, draw, opaque=True), reference(canvas, draw))


@pytest.mark.parametrize("alpha", range(0, 256, 3))
def test_sprite_with_alpha_over_opaque_canvas_is_alpha_composite_for_every_value(alpha: int) -> None:
    source, destination = every_pair()
    canvas = rgba(destination, 255)
    for level in (255, 200, 77, 1):
        draw = Draw(rgba(source, alpha), 0, 0, level=level, opaque=alpha == 255)
        got = composited(canvas, draw, opaque=True)
        assert np.array_equal(got, reference(canvas, draw)), f"alpha {alpha}, level {level}"


def noisy(size: tuple[int, int], seed: int, alpha: bool) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (size[1], size[0], 4), dtype=np.uint8)
    if not alpha:
        pixels[..., 3] = 255
    else:  # fully clear and fully opaque pixels too, as a knocked-out logo has
        pixels[..., 3][pixels[..., 3] < 40] = 0
        pixels[..., 3][pixels[..., 3] > 215] = 255
    return Image.fromarray(pixels)


@pytest.mark.parametrize("canvas_alpha", [False, True])
@pytest.mark.parametrize("sprite_alpha", [False, True])
@pytest.mark.parametrize("level", [255, 128, 3])
@pytest.mark.parametrize("place", [(10, 20), (-15, -7), (60, 50)])
def test_any_draw_clipped_to_any_box_is_alpha_composite(
    canvas_alpha: bool, sprite_alpha: bool, level: int, place: tuple[int, int]
) -> None:
    canvas = noisy((80, 70), 1, canvas_alpha)
    sprite = noisy((40, 30), 2, sprite_alpha)
    draw = Draw(sprite, *place, level=level, opaque=is_opaque(sprite))
    expected = reference(canvas, draw)
    box = (5, 8, 52, 66)
    frame = FrameBuffer(canvas)
    frame.draw(draw, box, opaque=is_opaque(canvas))
    inside = np.zeros((70, 80), bool)
    inside[box[1] : box[3], box[0] : box[2]] = True
    assert np.array_equal(frame.array[inside], expected[inside]), "inside the box: as alpha_composite"
    assert np.array_equal(frame.array[~inside], np.asarray(canvas)[~inside]), "outside the box: untouched"


def test_redraw_starts_from_the_topmost_covering_sprite() -> None:
    base = noisy((60, 60), 3, alpha=True)  # a transparent base does not matter under an opaque cover
    cover = Draw(noisy((60, 60), 4, alpha=False), 0, 0, opaque=True)
    fading = Draw(noisy((60, 60), 5, alpha=False), 0, 0, level=90, opaque=True)
    logo = Draw(noisy((20, 20), 6, alpha=True), 30, 30, level=200)
    expected = Image.fromarray(reference(Image.fromarray(reference(base, cover)), fading))
    expected = reference(expected, logo)
    frame = FrameBuffer(Image.new("RGBA", (60, 60)))
    frame.redraw(base, (0, 0, 60, 60), [cover, fading, logo], base_opaque=False)
    assert np.array_equal(frame.array, expected)


def test_a_fade_reuses_one_image_of_the_sprite() -> None:
    sprite = SpriteRenderer(noisy((50, 40), 7, alpha=False).convert("RGB"), (50, 40), 0.0, 1.0, (100, 100))
    draws = [sprite.draw(Transform(opacity=level / 255), (50, 50)) for level in range(1, 256)]
    assert all(d is not None for d in draws)
    assert len({id(d.image) for d in draws if d is not None}) == 1, "one image however many opacity levels"
    assert [d.level for d in draws if d is not None] == list(range(1, 256))


def test_a_sprite_fading_in_one_frame_buffer_is_alpha_composite_at_every_level_and_place() -> None:
    """The buffer keeps a fading sprite's alpha channel between frames: every later level, clipped
    place and other sprite still composites as Pillow does."""
    canvas = noisy((80, 70), 8, alpha=False)
    logo, other = noisy((40, 30), 9, alpha=True), noisy((40, 30), 10, alpha=True)
    frame = FrameBuffer(canvas)
    whole = (0, 0, 80, 70)
    for level, place, sprite in [
        (40, (10, 20), logo),
        (200, (10, 20), logo),
        (120, (-15, 50), logo),
        (90, (5, 5), other),
    ]:
        draw = Draw(sprite, *place, level=level)
        frame.redraw(canvas, whole, [draw], base_opaque=True)
        assert np.array_equal(frame.array, reference(canvas, draw)), f"level {level} at {place}"


def test_photo_fade_frames_are_the_rounded_float_blend() -> None:
    """Every frame of a photo fading in over a photo is round((new * L + old * (255 - L)) / 255), one L per
    frame, L rising from 0 to 255 (the photos are canvas-sized, so they are not resampled)."""
    old, new = noisy((SIDE, SIDE), 8, alpha=False), noisy((SIDE, SIDE), 9, alpha=False)
    fade = (Motion(MotionKind.FADE_IN),)
    layers = (Layer("old", role=Role.BACKGROUND), Layer("new", role=Role.BACKGROUND, motions=fade))
    scene = Scene(layers=layers, canvas=Canvas(SIDE, SIDE), timing=Timing(1.0, 12))
    plan = prepare(scene, {"old": old.convert("RGB"), "new": new.convert("RGB")})
    a, b = (np.asarray(image)[..., :3].astype(np.float64) for image in (old, new))
    levels = []
    for frame in plan.frames():
        got = frame.image[..., :3]
        # the one level whose blend matches a sample of pixels, then the whole frame against it
        sample = (slice(0, SIDE, 17), slice(0, SIDE, 13))
        blends = np.rint(
            (b[sample] * np.arange(256)[:, None, None, None] + a[sample] * (255 - np.arange(256)[:, None, None, None]))
            / 255
        )
        matches = np.flatnonzero((blends == got[sample]).all(axis=(1, 2, 3)))
        assert matches.size == 1, f"frame {frame.index}: {matches.size} opacity levels match"
        level = int(matches[0])
        assert np.array_equal(got, np.rint((b * level + a * (255 - level)) / 255)), f"frame {frame.index}"
        assert (frame.image[..., 3] == 255).all()
        levels.append(level)
    assert levels[0] == 0 and levels[-1] == 255 and levels == sorted(levels) and len(set(levels)) == len(levels)


def test_a_layer_over_the_clear_corners_of_a_diagonal_push_keeps_its_own_colour() -> None:
    """A push from a corner leaves two corners of a transparent canvas clear mid-transition; a half-opaque
    layer over them shows its own colour at half alpha (alpha_composite over nothing), not a darkened blend."""
    slides = Slideshow((Slide("one", 1.0), Slide("two", 1.0)), Transition.PUSH, Anchor.TOP_LEFT, transition_s=0.8)
    veil = Layer("veil", role=Role.BACKGROUND, opacity=0.5)
    scene = Scene(layers=(veil,), canvas=Canvas(40, 40, None), timing=Timing(2.0, 10, loops=1), slideshow=slides)
    images = {"one": Image.new("RGB", (40, 40), (250, 0, 0)), "two": Image.new("RGB", (40, 40), (0, 0, 250))}
    plan = prepare(scene, {**images, "veil": Image.new("RGB", (40, 40), (0, 200, 100))})
    clear = 0
    for frame in plan.frames():
        corners = frame.image[frame.image[..., 3] < 255]
        clear += len(corners)
        assert (corners == (0, 200, 100, 128)).all(), f"frame {frame.index}: {np.unique(corners, axis=0)[:3]}"
    assert clear > 0, "the push should leave clear corners in some frame"

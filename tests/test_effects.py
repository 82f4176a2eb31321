"""Picture adjustments and effects, measured on pixels: blur radius on an edge, luminance, saturation,
hues of tints, a gradient that only darkens towards its edge, a glow around a shape and not inside it."""

from __future__ import annotations

import colorsys
import itertools

import numpy as np
import pytest
from PIL import Image, ImageDraw

from imagegen.errors import PromptError
from imagegen.prompt import parse
from imagegen.render import render_still
from imagegen.render.effects import EFFECTS
from imagegen.scene import Adjust, Canvas, Effect, Layer, Role, Scene

WHITE = (255, 255, 255, 255)


def _photo(width: int = 240, height: int = 160) -> Image.Image:
    """A photo-like picture: a warm-to-cool gradient, noise and a few shapes."""
    rng = np.random.default_rng(5)
    ramp = np.linspace([220, 120, 60], [40, 90, 200], width)[None, :, :].repeat(height, axis=0)
    image = Image.fromarray((ramp + rng.normal(0, 8, (height, width, 3))).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((30, 30, 90, 90), fill=(250, 240, 200))
    draw.rectangle((150, 60, 210, 140), fill=(30, 140, 60))
    return image


def _edge() -> Image.Image:
    """Left half white, right half black: a hard edge at x = 100."""
    image = Image.new("RGB", (200, 100), "white")
    image.paste((0, 0, 0), (100, 0, 200, 100))
    return image


def _background(*effects: Effect, image: Image.Image | None = None) -> np.ndarray:
    source = image if image is not None else _photo()
    scene = Scene(
        layers=(Layer("BG", role=Role.BACKGROUND, effects=effects),), canvas=Canvas(*source.size, background=WHITE)
    )
    return np.asarray(render_still(scene, {"BG": source}).convert("RGB")).astype(float)


def _luminance(pixels: np.ndarray) -> np.ndarray:
    return pixels @ np.array([0.2126, 0.7152, 0.0722])


def test_every_kind_has_a_render_record_and_a_row_the_prompt_understands() -> None:
    from imagegen.prompt.meanings import AdjustMeaning
    from imagegen.prompt.vocabulary import entries

    assert set(EFFECTS) == set(Adjust)
    said = {e.value.kind for e in entries("effect") if isinstance(e.value, AdjustMeaning)}
    assert said == set(Adjust)


@pytest.mark.parametrize("radius", [2.0, 6.0, 12.0])
def test_a_blur_spreads_an_edge_over_about_its_radius(radius: float) -> None:
    row = _background(Effect(Adjust.BLUR, radius), image=_edge())[50, :, 0]
    # The 10-90 % rise of a Gaussian-blurred step is 2.56 sigma wide; Pillow's radius is the sigma.
    spread = np.count_nonzero((row < 0.9 * 255) & (row > 0.1 * 255))
    assert 2.0 * radius <= spread <= 3.2 * radius, (radius, spread)
    assert row[0] == 255 and row[-1] == 0, "far from the edge nothing changes"


def test_no_blur_keeps_the_edge_hard() -> None:
    row = _background(image=_edge())[50, :, 0]
    assert np.count_nonzero((row < 230) & (row > 25)) == 0


@pytest.mark.parametrize(("factor", "change"), [(0.7, -0.30), (0.5, -0.50), (1.3, 0.30)])
def test_brightness_scales_the_luminance(factor: float, change: float) -> None:
    before, after = _luminance(_background()), _luminance(_background(Effect(Adjust.BRIGHTNESS, factor)))
    middle = (before > 40) & (before < 180)  # away from clipping at white
    ratio = after[middle].mean() / before[middle].mean()
    assert abs(ratio - (1 + change)) < 0.02, ratio


def test_black_and_white_has_no_saturation_and_muted_has_less() -> None:
    grey = _background(Effect(Adjust.SATURATION, 0.0))
    assert np.abs(grey[..., 0] - grey[..., 1]).max() <= 1 and np.abs(grey[..., 1] - grey[..., 2]).max() <= 1
    spread = lambda p: (p.max(axis=2) - p.min(axis=2)).mean()  # noqa: E731
    assert spread(_background(Effect(Adjust.SATURATION, 0.5))) < 0.6 * spread(_background())
    assert spread(_background(Effect(Adjust.SATURATION, 1.4))) > 1.2 * spread(_background())


@pytest.mark.parametrize(("colour", "hue"), [((0, 0, 255, 255), 240), ((255, 0, 0, 255), 0), ((0, 160, 0, 255), 120)])
def test_a_tint_gives_the_mid_tones_its_hue(colour: tuple[int, int, int, int], hue: int) -> None:
    flat = Image.new("RGB", (60, 40), (128, 128, 128))  # a mid-tone: the tint's own colour shows most
    r, g, b = _background(Effect(Adjust.TINT, colour=colour), image=flat)[20, 30] / 255
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    assert s > 0.5 and min(abs(h * 360 - hue), 360 - abs(h * 360 - hue)) < 6, (h * 360, s)


def test_duotone_maps_dark_to_the_first_colour_and_light_to_the_second() -> None:
    pixels = _background(Effect(Adjust.DUOTONE, colour=(0, 0, 128, 255), colour2=(255, 192, 203, 255)), image=_edge())
    assert tuple(pixels[50, 150]) == (0, 0, 128) and tuple(pixels[50, 20]) == (255, 192, 203)


def test_sepia_and_invert() -> None:
    sepia = _background(Effect(Adjust.SEPIA))
    assert (sepia[..., 0] >= sepia[..., 2]).all(), "warm: red over blue everywhere"
    inverted = _background(Effect(Adjust.INVERT), image=_edge())
    assert tuple(inverted[50, 20]) == (0, 0, 0) and tuple(inverted[50, 150]) == (255, 255, 255)


def test_a_scrim_darkens_monotonically_towards_its_edge_and_leaves_the_rest() -> None:
    flat = Image.new("RGB", (80, 200), (230, 230, 230))
    column = _background(Effect(Adjust.SCRIM, 0.5, (0, 0, 0, 191), side="bottom"), image=flat)[:, 40, 0]
    assert (column[:100] == 230).all(), "the top half is untouched"
    assert (np.diff(column[100:]) <= 0).all(), "darker and darker towards the bottom"
    assert column[-1] < 230 * 0.3, column[-1]


def test_an_overlay_covers_the_layer_with_its_colour_and_share() -> None:
    flat = Image.new("RGB", (40, 40), (200, 200, 200))
    pixels = _background(Effect(Adjust.OVERLAY, colour=(0, 0, 0, 102)), image=flat)
    assert abs(pixels[20, 20, 0] - 200 * (1 - 102 / 255)) <= 1


def test_a_vignette_darkens_the_corners_not_the_middle() -> None:
    flat = Image.new("RGB", (120, 120), (200, 200, 200))
    pixels = _background(Effect(Adjust.VIGNETTE, 0.6), image=flat)
    assert pixels[60, 60, 0] == 200 and pixels[2, 2, 0] < 120


def test_a_glow_shows_around_the_shape_and_not_inside_it() -> None:
    logo = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((10, 10, 29, 29), fill=(0, 0, 255, 255))
    for effects in ((), (Effect(Adjust.GLOW, 6.0, (255, 0, 0, 255)),)):
        scene = Scene(layers=(Layer("logo", size=0.5, effects=effects),), canvas=Canvas(160, 160, background=WHITE))
        pixels = np.asarray(render_still(scene, {"logo": logo}).convert("RGB")).astype(int)
        ys, xs = np.nonzero((pixels[..., 2] > 200) & (pixels[..., 0] < 60))  # the blue square
        top, left, bottom, right = ys.min(), xs.min(), ys.max(), xs.max()
        ring = pixels[top - 4, (left + right) // 2]  # just outside the square
        inside = pixels[(top + bottom) // 2, (left + right) // 2]
        assert tuple(inside) == (0, 0, 255)
        if effects:
            assert ring[0] == 255 and ring[1] < 200, f"red glow around the shape: {ring}"
        else:
            assert tuple(ring) == (255, 255, 255)


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ("@BG as background, blurred 500 px", '"blurred 500 px" is out of range — use 0 to 100 px.'),
        ("@BG as background, darkened 300%", '"darkened 300%" is out of range — use 0 to 100 %.'),
        ("@BG as background, 250% brighter", '"250% brighter" is out of range — use 0 to 200 %.'),
        ("@BG as background with a 150% black overlay", '"150% black overlay" is out of range — use 0 to 100 %.'),
    ],
)
def test_an_amount_out_of_range_is_refused_naming_the_range(prompt: str, message: str) -> None:
    with pytest.raises(PromptError) as caught:
        parse(prompt, ["BG"])
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("prompt", "kind", "amount"),
    [
        ("@BG as background, blurred", Adjust.BLUR, 8.0),
        ("@BG as background, strongly blurred", Adjust.BLUR, 20.0),
        ("@BG blurred 12 px as the background", Adjust.BLUR, 12.0),
        ("@BG as background, darkened 30%", Adjust.BRIGHTNESS, 0.7),
        ("@BG as background, 20% brighter", Adjust.BRIGHTNESS, 1.2),
        ("@BG as background in black and white", Adjust.SATURATION, 0.0),
        ("@BG as background, muted", Adjust.SATURATION, 0.5),
        ("@BG as background, with a vignette", Adjust.VIGNETTE, 0.6),
    ],
)
def test_effects_are_read_with_their_amount_and_said_in_the_understanding_lines(
    prompt: str, kind: Adjust, amount: float
) -> None:
    from imagegen.prompt.explain import describe_scene

    scene = parse(prompt, ["BG"]).scene
    (effect,) = scene.layer("BG").effects
    assert (effect.kind, effect.amount) == (kind, amount)
    assert scene.layer("BG").role is Role.BACKGROUND
    line = next(line for line in describe_scene(scene) if line.startswith("@BG"))
    assert line.count(",") >= 2, line  # "background, covers the canvas, <the effect>"


def test_the_understanding_line_names_every_effect_in_order() -> None:
    from imagegen.prompt.explain import describe_scene

    scene = parse("@BG as background, blurred 12 px, darkened 30%, with a dark gradient at the bottom", ["BG"]).scene
    assert "@BG — background, covers the canvas, blurred 12 px, 30 % darker, black gradient from the bottom" in (
        describe_scene(scene)
    )


def test_an_effect_said_again_replaces_the_first() -> None:
    (effect,) = parse("@BG as background, blurred 4 px, then blurred 10 px", ["BG"]).scene.layer("BG").effects
    assert effect.amount == 10.0


EDIT_BASE = "@BG as background, blurred 8 px, @logo at the top right"


@pytest.mark.parametrize(
    ("edit", "change"),
    [
        ("less blur", "@BG: blurred 8 px -> blurred 4 px"),
        ("more blur", "@BG: blurred 8 px -> blurred 16 px"),
        ("make @BG darker", "@BG: blurred 8 px -> blurred 8 px, 30 % darker"),
        ("darker", "@BG: blurred 8 px -> blurred 8 px, 30 % darker"),
        ("in black and white", "@BG: blurred 8 px -> blurred 8 px, black and white"),
        ("remove the blur", "@BG: blurred 8 px -> no effects"),
        ("add a dark overlay", "@BG: blurred 8 px -> blurred 8 px, black overlay (40 %)"),
        ("make @logo glow", "@logo: no effects -> glow white 16 px"),
    ],
)
def test_effects_change_as_follow_up_edits(edit: str, change: str) -> None:
    from imagegen.service.edits import apply_edit

    scene = parse(EDIT_BASE, ["BG", "logo"]).scene
    assert apply_edit(scene, edit).changes == (change,)


def test_darker_again_is_darker_still_and_a_missing_effect_cannot_be_removed() -> None:
    from imagegen.service.edits import apply_edit

    scene = apply_edit(parse(EDIT_BASE, ["BG", "logo"]).scene, "darker").scene
    assert apply_edit(scene, "darker").changes == ("@BG: blurred 8 px, 30 % darker -> blurred 8 px, 51 % darker",)
    with pytest.raises(PromptError) as caught:
        apply_edit(scene, "remove the overlay")
    assert str(caught.value) == "There is no overlay to remove here — @BG: blurred 8 px, 30 % darker."


def test_an_effect_works_in_every_size_and_through_the_batch_rules(tmp_path) -> None:
    """Effects are drawn per canvas from the Scene: a blur said in pixels is that many pixels at any size."""
    from imagegen.service import RenderRequest, render, understand
    from imagegen.service.sizes import parse_sizes

    request = RenderRequest("@BG as background, blurred 6 px", sizes=tuple(parse_sizes("200x100,400x200")))
    understood = understand(request, {"BG": (200, 100)})
    written = render(understood, {"BG": _edge()}, lambda target: tmp_path / f"{target.label}.png")
    for _target, path in written:
        row = np.asarray(Image.open(path).convert("L")).astype(float)
        middle = row[row.shape[0] // 2]
        spread = np.count_nonzero((middle < 0.9 * 255) & (middle > 0.1 * 255))
        assert 12 <= spread <= 20, (path.name, spread)


@pytest.mark.parametrize(
    ("prompt", "first_blurrier"),
    [("@BG as background, comes into focus", True), ("@BG as background, darkens over 1 second", None)],
)
def test_an_effect_that_changes_over_time_animates_and_a_gif_of_it_keeps_its_quality(
    prompt: str, first_blurrier: bool | None, tmp_path
) -> None:
    from imagegen.export import OutputFormat, export
    from imagegen.render import prepare

    scene = parse(prompt + ", 240x160, 1 second at 12 fps", ["BG"]).scene
    assert scene.animated and scene.frame_count == 12
    reference = export(prepare(scene, {"BG": _photo()}), tmp_path / "ref.apng", OutputFormat.APNG)
    gif = export(prepare(scene, {"BG": _photo()}), tmp_path / "out.gif", OutputFormat.GIF)
    want, got = _shown(reference), _shown(gif)  # (from, to ms, pixels): a repeat is stored once, held longer
    # Each GIF frame against the APNG frame on screen half-way through it (their delays round differently).
    worst = min(_psnr(pixels, _at(want, (start + end) // 2)) for start, end, pixels in got)
    assert worst >= 35, f"worst frame {worst:.1f} dB"
    print(f"{prompt}: worst frame {worst:.1f} dB")
    sharp = [np.abs(np.diff(f[..., 1], axis=1)).mean() for _, _, f in want]  # edge energy: low when blurred
    light = [f.mean() for _, _, f in want]
    if first_blurrier:
        assert sharp[0] < 0.6 * sharp[-1], sharp
    else:
        assert light[-1] < 0.7 * light[0] and all(a >= b - 0.5 for a, b in itertools.pairwise(light)), light


def _shown(path) -> list[tuple[int, int, np.ndarray]]:
    """Each stored frame with the milliseconds it is on screen, from and to."""
    from PIL import ImageSequence

    frames: list[tuple[int, int, np.ndarray]] = []
    start = 0
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            end = start + round(frame.info.get("duration", 0))
            frames.append((start, end, np.asarray(frame.convert("RGB"), float)))
            start = end
    return frames


def _at(frames: list[tuple[int, int, np.ndarray]], ms: int) -> np.ndarray:
    return next(pixels for start, end, pixels in frames if start <= ms < end)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a - b) ** 2).mean())
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def test_a_slide_keeps_its_effect_and_says_so() -> None:
    from imagegen.prompt.explain import describe_scene

    scene = parse(
        "slideshow of @BG and @product, 1 second each, @product in black and white, 120x80", ["BG", "product"]
    )
    show = scene.scene.slideshow
    assert show is not None and [s.effects for s in show.slides] == [(), (Effect(Adjust.SATURATION, 0.0),)]
    assert "@product (black and white) 1-2 s" in describe_scene(scene.scene)[1]
    plan_frames = _slide_frames(scene.scene)
    first, second = plan_frames[0], plan_frames[-1]
    assert (np.abs(first[..., 0] - first[..., 2]) > 20).any(), "the first slide keeps its colour"
    assert np.abs(second[..., 0] - second[..., 2]).max() <= 1, "the second slide is grey"


def _slide_frames(scene: Scene) -> list[np.ndarray]:
    from imagegen.render import prepare

    plan = prepare(scene, {"BG": _photo(120, 80), "product": _photo(120, 80)})
    frames = [np.asarray(frame.image[..., :3], float).copy() for frame in plan.frames()]
    times = plan.times()
    on_first = [f for f, t in zip(frames, times, strict=True) if t < 0.2]
    on_second = [f for f, t in zip(frames, times, strict=True) if 0.55 < t < 0.7]
    return [on_first[0], on_second[-1]]


def test_a_text_glows_around_its_letters() -> None:
    def red_halo(prompt: str) -> int:
        scene = parse(prompt + ", 400x200, black background", ["BG"]).scene
        pixels = np.asarray(render_still(scene, {}).convert("RGB")).astype(int)
        return int(np.count_nonzero((pixels[..., 0] > 60) & (pixels[..., 1] < 40) & (pixels[..., 2] < 40)))

    assert red_halo('"Sale" 72 px in white with a red glow in the center') > 500
    assert red_halo('"Sale" 72 px in white in the center') == 0

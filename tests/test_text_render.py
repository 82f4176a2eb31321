"""Text layers measured from pixels: where the ink goes, auto-fit, stroke/shadow/banner, scripts, motion."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers_pixels import BLACK, RED, WHITE, bbox, centroid, count
from PIL import Image, ImageDraw, ImageFilter

from imagegen.errors import LimitError, RenderError
from imagegen.export import OutputFormat, export
from imagegen.limits import Limits
from imagegen.render import check_limits, fonts, prepare, render_still
from imagegen.render.placement import margin_px, place
from imagegen.render.text import (
    clean_text,
    fit_text,
    primary_face,
    rasterise,
    split_runs,
    text_box,
    text_warnings,
    visual_order,
    wrap,
)
from imagegen.scene import (
    Anchor,
    Canvas,
    Layer,
    LetterCase,
    Motion,
    MotionKind,
    Role,
    Scene,
    TextAlign,
    TextSpec,
)

GREY = (128, 128, 128, 255)
HINDI = "दिवाली सेल"
ARABIC = "تخفيضات الصيف"
PRESETS = {  # every canvas preset of the vocabulary, and the smallest canvas allowed
    "square": (1080, 1080),
    "instagram-portrait": (1080, 1350),
    "story": (1080, 1920),
    "landscape": (1920, 1080),
    "4k": (3840, 2160),
    "facebook": (1200, 630),
    "twitter": (1200, 675),
    "linkedin": (1200, 627),
    "tiny": (16, 16),
}
WORDS = "Grand opening sale everything must go today only at our downtown store "
LENGTHS = {
    "1 char": "A",
    "headline": "Summer Sale -50%",
    "80 chars": (WORDS * 3)[:80],
    "200 chars": (WORDS * 3)[:200],
    "200-char word": "W" * 200,
    "hindi 200": ((HINDI + " ") * 20)[:200],
}


def photo(size: tuple[int, int]) -> Image.Image:
    """A photo-like background (gradient + noise) without any red, so red ink is the text alone."""
    width, height = size
    rng = np.random.default_rng(7)
    x = np.linspace(0, 1, width)[None, :]
    y = np.linspace(0, 1, height)[:, None]
    rgb = np.zeros((height, width, 3), dtype=np.float64)
    rgb[..., 0] = 20 + 40 * x + 0 * y
    rgb[..., 1] = 60 + 120 * y + 0 * x
    rgb[..., 2] = 90 + 100 * x * y
    rgb += rng.normal(0, 10, rgb.shape)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB").convert("RGBA")


def text_layer(text: str, anchor: Anchor = Anchor.TOP, size: float = 0.09, **style: object) -> Layer:
    return Layer("#text1", anchor=anchor, size=size, text=TextSpec(text, **style))  # type: ignore[arg-type]


def scene_with(*layers: Layer, canvas: Canvas) -> Scene:
    return Scene(layers=(Layer("BG", role=Role.BACKGROUND), *layers), canvas=canvas)


def test_text_colour_is_inside_its_box_and_nowhere_else() -> None:
    canvas = Canvas(600, 400)
    layer = text_layer("Summer Sale -50%", colour=RED)
    image = render_still(scene_with(layer, canvas=canvas), {"BG": photo(canvas.size)})
    margin = margin_px(layer, canvas)
    box_w, box_h = text_box(layer, canvas)
    assert (box_w, box_h) == (600 - 2 * margin, (400 - 2 * margin) // 2)
    red = np.asarray(image)[..., :3].astype(int)
    is_red = (red[..., 0] > 200) & (red[..., 1] < 60) & (red[..., 2] < 60)
    inside = np.zeros_like(is_red)
    inside[margin : margin + box_h, margin : margin + box_w] = True
    assert is_red[inside].sum() > 2000, "the headline's red ink is in the top band"
    assert is_red[~inside].sum() == 0, "no red ink outside the text box"
    top = np.nonzero(is_red.any(axis=1))[0]
    assert top[0] <= margin + 12, "a top-anchored headline starts at the top margin"


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("anchor", list(Anchor))
def test_auto_fit_never_overflows(preset: str, anchor: Anchor) -> None:
    canvas = Canvas(*PRESETS[preset])
    # One length per (preset, anchor), rotating so that every anchor sees every length across the presets.
    lengths = list(LENGTHS.values())
    for text in [lengths[(list(Anchor).index(anchor) + list(PRESETS).index(preset)) % len(lengths)]]:
        layer = text_layer(
            text, anchor, size=0.12, outline=BLACK, shadow=BLACK, banner=RED, padding_em=0.4, radius_em=0.3
        )
        sprite = rasterise(layer, canvas).image
        box = text_box(layer, canvas)
        assert sprite.width <= box[0] and sprite.height <= box[1], f"{text[:20]!r} overflows {box}"
        where = place(layer, sprite.size, canvas)
        margin = margin_px(layer, canvas)
        assert where.left >= margin and where.top >= margin, f"{text[:20]!r} crosses the margin"
        assert where.left + where.width <= canvas.width - margin
        assert where.top + where.height <= canvas.height - margin


def test_long_text_wraps_on_words_and_breaks_a_long_word() -> None:
    canvas = Canvas(1080, 1080)
    words = fit_text(text_layer((WORDS * 3)[:200]), canvas)
    assert len(words.lines) > 1
    assert all(line == line.strip() and line for line in words.lines)
    assert " ".join(words.lines) == " ".join((WORDS * 3)[:200].split()), "wrapped on word boundaries only"
    word = fit_text(text_layer("W" * 200), canvas)
    assert len(word.lines) > 1 and "".join(word.lines) == "W" * 200, "a 200-character word is broken, not lost"


@pytest.mark.parametrize("width", [300, 360, 420, 520, 640])
def test_a_line_never_starts_with_punctuation_that_belongs_to_the_word_before(width: int) -> None:
    face = primary_face(TextSpec("x"))
    lines = [line for line, _ in wrap("Summer Sale — 30 % off everything ! Ends: Sunday", face, 48, width)]
    assert len(lines) > 1
    assert not any(line.split()[0] in ("—", "%", "!", ":") for line in lines), lines
    assert " ".join(lines) == "Summer Sale — 30 % off everything ! Ends: Sunday"


def test_text_shrinks_to_fit_and_says_so() -> None:
    canvas = Canvas(1080, 1080)
    short = fit_text(text_layer("Sale"), canvas)
    long = fit_text(text_layer((WORDS * 3)[:200]), canvas)
    assert short.font_px == short.asked_px == round(0.09 * 1080) and not short.shrunk
    assert long.shrunk and long.font_px < long.asked_px
    exact = fit_text(text_layer("Sale", font_px=48), canvas)
    assert exact.font_px == 48


def test_nothing_is_clipped_descenders_and_stroke_included() -> None:
    """The sprite holds every inked pixel PIL draws for the same text with a generous canvas."""
    canvas = Canvas(1080, 1080)
    layer = text_layer("gjpqy Jg", outline=BLACK, outline_em=0.08)
    sprite = rasterise(layer, canvas)
    font = primary_face(layer.text).at(sprite.fit.font_px)  # type: ignore[arg-type]
    stroke = round(0.08 * sprite.fit.font_px)
    reference = Image.new("L", (2000, 600), 0)
    ImageDraw.Draw(reference).text((300, 300), "gjpqy Jg", fill=255, font=font, anchor="ls", stroke_width=stroke)
    ink = reference.getbbox()
    assert ink is not None
    assert sprite.image.size == (ink[2] - ink[0], ink[3] - ink[1])
    alpha = np.asarray(sprite.image.getchannel("A"))
    assert alpha[-1].max() > 0 and alpha[0].max() > 0, "ink reaches the bottom (descenders) and top rows"


def test_stroke_is_drawn_only_when_asked() -> None:
    canvas = Canvas(500, 300, GREY)
    plain = render_still(Scene(layers=(text_layer("Outline", colour=WHITE),), canvas=canvas), {})
    stroked = render_still(Scene(layers=(text_layer("Outline", colour=WHITE, outline=BLACK),), canvas=canvas), {})
    assert count(plain, BLACK, tol=30) == 0
    assert count(stroked, BLACK, tol=30) > 300
    white, black = bbox(stroked, WHITE, tol=30), bbox(stroked, BLACK, tol=30)
    assert white is not None and black is not None
    assert black[0] < white[0] and black[2] > white[2], "the outline surrounds the letters"


def test_shadow_falls_below_right() -> None:
    canvas = Canvas(500, 300, GREY)
    image = render_still(Scene(layers=(text_layer("Shadow", colour=WHITE, shadow=BLACK),), canvas=canvas), {})
    white, black = centroid(image, WHITE, tol=30), centroid(image, BLACK, tol=60)
    assert white is not None and black is not None
    assert black[0] > white[0] + 1 and black[1] > white[1] + 1


@pytest.mark.parametrize("radius", [0.0, 0.5])
def test_banner_fills_a_box_behind_the_text(radius: float) -> None:
    canvas = Canvas(500, 300, GREY)
    layer = text_layer("Shop now", anchor=Anchor.CENTER, colour=WHITE, banner=RED, radius_em=radius)
    image = render_still(Scene(layers=(layer,), canvas=canvas), {})
    box = bbox(image, RED, tol=20)
    assert box is not None
    white = bbox(image, WHITE, tol=30)
    assert white is not None and box[0] < white[0] and box[2] > white[2] and box[1] < white[1] and box[3] > white[3]
    corner = np.asarray(image)[box[1], box[0]]
    assert (tuple(corner) == RED) == (radius == 0.0), "a rounded banner leaves its corner to the background"


def test_rounded_banner_corners_are_smooth() -> None:
    sprite = rasterise(text_layer("Shop now", banner=RED, radius_em=1.0), Canvas(800, 400)).image
    alpha = np.asarray(sprite.getchannel("A"))
    partial = ((alpha > 0) & (alpha < 255)).sum()
    assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, 0] == 255, "round ends, straight middle"
    assert partial > 40, "the corners are anti-aliased, not stair-stepped"


def test_cjk_renders_or_names_what_to_install() -> None:
    fit = fit_text(text_layer("漢字テスト"), Canvas(800, 400))
    if fonts.available(fonts.CJK):
        assert fit.notes == ()
    else:
        assert any("fonts-noto-cjk" in note for note in fit.notes), fit.notes


def test_letter_case_and_alignment() -> None:
    canvas = Canvas(800, 400)
    upper = fit_text(text_layer("shop now", case=LetterCase.UPPER), canvas)
    assert upper.lines == ("SHOP NOW",)
    layer = text_layer("a\nwide line here", align=TextAlign.LEFT, colour=BLACK, anchor=Anchor.CENTER)
    left = rasterise(layer, canvas).image
    right = rasterise(text_layer("a\nwide line here", align=TextAlign.RIGHT, anchor=Anchor.CENTER), canvas).image
    first_left = np.nonzero(np.asarray(left.getchannel("A"))[: left.height // 3].any(axis=0))[0]
    first_right = np.nonzero(np.asarray(right.getchannel("A"))[: right.height // 3].any(axis=0))[0]
    assert first_left[0] < left.width // 4 and first_right[-1] > right.width * 3 // 4


def _mask(text: str) -> np.ndarray:
    return np.asarray(rasterise(text_layer(text, colour=BLACK), Canvas(800, 400)).image.getchannel("A"))


def _basic(monkeypatch: pytest.MonkeyPatch, text: str) -> np.ndarray:
    with monkeypatch.context() as patch:
        patch.setattr(fonts, "raqm_available", lambda: False)
        return _mask(text)


@pytest.mark.parametrize("text", [HINDI, ARABIC])
def test_complex_scripts_are_shaped_or_the_user_is_warned(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Fails when Raqm is missing unless the warning path is taken (the warning is shown)."""
    scene = Scene(layers=(text_layer(text),))
    if not fonts.raqm_available():
        assert fonts.RAQM_WARNING in text_warnings(scene), "no shaping and no warning: silently wrong text"
        return
    assert fonts.RAQM_WARNING not in text_warnings(scene)
    shaped, basic = _mask(text), _basic(monkeypatch, text)
    assert shaped.shape != basic.shape or np.abs(shaped.astype(int) - basic).mean() > 5, (
        "shaped text (conjuncts, joined letters) differs from the basic layout"
    )


def test_without_raqm_the_warning_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "raqm_available", lambda: False)
    assert fonts.layout_warning() == fonts.RAQM_WARNING and "libfribidi0" in fonts.RAQM_WARNING
    assert fonts.RAQM_WARNING in text_warnings(Scene(layers=(text_layer(HINDI),)))
    assert fonts.RAQM_WARNING not in text_warnings(Scene(layers=(text_layer("Latin needs no shaping"),)))
    assert fonts.RAQM_WARNING in fonts.startup_warnings()
    _mask(HINDI)  # still renders (basic layout)


def test_hindi_conjunct_vowel_sign_goes_before_its_consonant(monkeypatch: pytest.MonkeyPatch) -> None:
    """In "दि" the vowel sign ि is drawn left of द: the shaped ink starts with the tall sign's stem."""
    if not fonts.raqm_available():
        pytest.fail("Raqm is unavailable: install libfribidi0 (packages.txt); the app warns in this case")
    shaped, basic = _mask("दि"), _basic(monkeypatch, "दि")
    assert shaped.shape[1] < basic.shape[1], "the sign overlaps its consonant instead of following it"


def test_right_to_left_order() -> None:
    """'מבצע l' reads right to left: the tall Latin 'l' (after the Hebrew in memory) ends up on the left."""
    alpha = _mask("מבצע l")
    tall_columns = np.nonzero(alpha[: alpha.shape[0] // 6].any(axis=0))[0]
    assert len(tall_columns) and tall_columns.max() < alpha.shape[1] * 0.3


def test_arabic_digits_and_spacing_follow_bidi() -> None:
    runs = split_runs("خصم 50% اليوم", primary_face(TextSpec("x")), rtl_paragraph=True)
    ordered = visual_order(runs, rtl_paragraph=True)
    # Left to right on screen: the last word, a space, 50% (drawn left to right), then the first word with
    # its space (drawn right to left, so the space lands on its left).
    assert [(r.text, r.rtl) for r in ordered] == [("اليوم", True), (" ", True), ("50%", False), ("خصم ", True)]


def test_mixed_scripts_fall_back_per_run_without_tofu() -> None:
    runs = split_runs("Sale दिवाली تخفيض מבצע", primary_face(TextSpec("x")))
    names = [r.face.file.name for r in runs if r.text.strip()]
    assert names == ["Noto Sans", "Noto Sans Devanagari", "Noto Sans Arabic", "Noto Sans Hebrew"]
    fit = fit_text(text_layer("Sale दिवाली تخفيض מבצע"), Canvas(1080, 1080))
    assert fit.notes == ()


def test_emoji_are_reported_dropped() -> None:
    scene = Scene(layers=(text_layer("Party 🎉 time"),))
    assert any("emoji are not drawn" in w and "🎉" in w for w in text_warnings(scene))
    assert render_still(scene, {}).size == (1080, 1080)


def test_bidi_overrides_and_controls_never_reach_the_drawing() -> None:
    assert clean_text("abc\u202edef\x07\u2066g\nh") == "abcdefg\nh"
    assert np.array_equal(_mask("Sale\u202e 50%"), _mask("Sale 50%"))


def test_text_moves_with_the_same_motions_as_images() -> None:
    canvas = Canvas(400, 200, WHITE)
    layer = Layer(
        "#text1",
        anchor=Anchor.CENTER,
        size=0.2,
        text=TextSpec("Go", colour=RED),
        motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),),
    )
    plan = prepare(Scene(layers=(layer,), canvas=canvas), {})
    first, last = centroid(plan.image_at(0.0), RED), centroid(plan.image_at(1.0), RED)
    assert first is not None and last is not None and last[0] - first[0] > 200


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_text_goes_through_every_exporter(tmp_path, fmt: OutputFormat) -> None:
    canvas = Canvas(320, 240, WHITE)
    motions = () if fmt in (OutputFormat.PNG, OutputFormat.JPEG) else (Motion(MotionKind.FADE_IN),)
    layer = Layer("#text1", anchor=Anchor.CENTER, size=0.2, text=TextSpec("Sale", colour=RED), motions=motions)
    dest = export(prepare(Scene(layers=(layer,), canvas=canvas), {}), tmp_path / f"out{fmt.suffix}", fmt)
    assert dest.stat().st_size > 0
    if fmt is not OutputFormat.MP4:
        with Image.open(dest) as image:
            image.seek(getattr(image, "n_frames", 1) - 1)
            assert count(image.convert("RGBA"), RED, tol=60) > 100


def test_gif_keeps_the_inside_of_letters_clean(tmp_path) -> None:
    """No speckle: every fill pixel (eroded 1 px) of a red headline over a photo decodes as that red."""
    canvas = Canvas(480, 270)
    drop = Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP, enters=True)
    layer = Layer("#t", anchor=Anchor.CENTER, size=0.25, text=TextSpec("Sale -50%", colour=(230, 30, 60, 255)))
    plan = prepare(scene_with(replace(layer, motions=(drop,)), canvas=canvas), {"BG": photo(canvas.size)})
    exact = np.asarray(plan.image_at(plan.times()[-1]).convert("RGB")).astype(int)
    out = export(plan, tmp_path / "text.gif", OutputFormat.GIF)
    with Image.open(out) as gif:
        gif.seek(gif.n_frames - 1)
        shown = np.asarray(gif.convert("RGB")).astype(int)
    fill = np.abs(exact - (230, 30, 60)).max(axis=2) <= 2
    inside = np.asarray(Image.fromarray(fill.astype(np.uint8) * 255).filter(ImageFilter.MinFilter(3))) > 0
    assert inside.sum() > 500
    error = np.abs(shown - exact).max(axis=2)[inside]
    assert (error > 24).sum() == 0, f"{(error > 24).sum()} speckled pixels inside the letters"


def test_text_limits_are_enforced() -> None:
    limits = Limits(max_text_chars=10, max_text_layers=1)
    with pytest.raises(LimitError, match="at most 10"):
        check_limits(Scene(layers=(text_layer("x" * 11),)), limits)
    with pytest.raises(LimitError, match="at most 1 "):
        check_limits(Scene(layers=(text_layer("a"), text_layer("b"))), limits)
    with pytest.raises(RenderError, match="outline_em"):
        prepare(Scene(layers=(text_layer("a", outline_em=float("nan")),)), {})


def test_text_layers_round_trip_through_json_and_need_no_image() -> None:
    layer = text_layer("Hi\nthere", outline=BLACK, shadow=(0, 0, 0, 128), banner=RED, case=LetterCase.UPPER)
    scene = Scene(layers=(Layer("BG", role=Role.BACKGROUND), layer))
    assert Scene.from_json(scene.to_json()) == scene
    assert scene.image_tags == ("BG",)
    assert "text" not in Layer("logo").to_dict(), "image layers keep their JSON as before"
    assert render_still(Scene(layers=(layer,)), {}).size == (1080, 1080)

"""The prompt language for text layers: quotes, styling words, sizes, places, motions, explain, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from imagegen.cli import main
from imagegen.errors import LimitError, PromptError
from imagegen.limits import Limits
from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.render import fonts
from imagegen.render.text import fit_text
from imagegen.scene import Anchor, Layer, LetterCase, MotionKind, Scene, TextAlign, TextSpec

TAGS = ["BG", "logo", "product"]
WHITE, BLACK, RED, YELLOW = (255, 255, 255, 255), (0, 0, 0, 255), (255, 0, 0, 255), (255, 255, 0, 255)


def texts(scene: Scene) -> list[Layer]:
    return [layer for layer in scene.layers if layer.text is not None]


def only_text(prompt: str, tags: list[str] = TAGS) -> tuple[Layer, TextSpec]:
    (layer,) = texts(parse(prompt, tags).scene)
    assert layer.text is not None
    return layer, layer.text


@pytest.mark.parametrize(
    ("prompt", "words"),
    [
        ('"Summer Sale" over @BG', "Summer Sale"),
        ("'Shop now' over @BG", "Shop now"),
        ("“Curly double” over @BG", "Curly double"),
        ("‘Curly single’ over @BG", "Curly single"),
        ("'Let's go' over @BG", "Let's go"),
        ("@BG as background, text: Summer Sale", "Summer Sale"),
        ("@BG as background, headline: Big news today", "Big news today"),
        ("@BG as background\ncaption: Photo by Ana\n@logo top right", "Photo by Ana"),
        ('headline: "Quoted after a label" over @BG', "Quoted after a label"),
        ('"दिवाली सेल" over @BG', "दिवाली सेल"),
        ('"تخفيضات الصيف" over @BG', "تخفيضات الصيف"),
        ('"First line\\nsecond line" over @BG', "First line\nsecond line"),
        ('"First line / second line" over @BG', "First line\nsecond line"),
        ('"  spaced   out  " over @BG', "spaced out"),
    ],
)
def test_quotes_of_every_kind_make_a_text_layer(prompt: str, words: str) -> None:
    _, spec = only_text(prompt)
    assert spec.text == words


@pytest.mark.parametrize(
    "inside",
    [
        "Summer Sale -50%",
        "Save 20% today",
        "3 seconds left, spin now",
        "red @logo at the top",
        "#ff0000 rgb(1, 2, 3) 48 px",
        "then slides from left to right, huge, 1080x1920",
    ],
)
def test_nothing_inside_quotes_is_read_as_a_command(inside: str) -> None:
    result = parse(f'"{inside}" over @BG', TAGS)
    (layer,) = texts(result.scene)
    assert layer.text is not None and layer.text.text == inside
    assert (layer.anchor, layer.motions, layer.text.font_px, layer.text.colour) == (Anchor.CENTER, (), None, WHITE)
    assert result.scene.canvas.size == (1080, 1080) and not result.scene.animated
    assert result.scene.image_tags == ("BG",)
    assert not [w for w in result.warnings if not w.quiet]


@pytest.mark.parametrize(
    ("words", "field", "expected"),
    [
        ("in red", "colour", RED),
        ("in #ffff00", "colour", YELLOW),
        ("colour red", "colour", RED),
        ("with a red outline", "outline", RED),
        ("outlined in yellow", "outline", YELLOW),
        ("with an outline", "outline", BLACK),
        ("with a drop shadow", "shadow", (0, 0, 0, 140)),
        ("on a red banner", "banner", RED),
        ("in a white rounded box", "banner", WHITE),
        ("bold", "weight", 700),
        ("heavy", "weight", 900),
        ("semibold", "weight", 600),
        ("thin", "weight", 300),
        ("regular weight", "weight", 400),
        ("italic", "italic", True),
        ("in serif", "family", "serif"),
        ("condensed", "family", "condensed"),
        ("monospace", "family", "mono"),
        ("sans serif", "family", "sans"),
        ("left aligned", "align", TextAlign.LEFT),
        ("right aligned", "align", TextAlign.RIGHT),
        ("uppercase", "case", LetterCase.UPPER),
        ("all caps", "case", LetterCase.UPPER),
        ("lowercase", "case", LetterCase.LOWER),
        ("capitalised", "case", LetterCase.TITLE),
        ("48 px", "font_px", 48),
        ("on a red banner with padding", "padding_em", 0.6),
    ],
)
def test_styling_words(words: str, field: str, expected: object) -> None:
    _, spec = only_text(f'"Summer Sale" {words} over @BG')
    assert getattr(spec, field) == expected


def test_a_banner_makes_the_text_contrast_with_it() -> None:
    _, spec = only_text('"Sale" on a yellow pill over @BG')
    assert (spec.banner, spec.colour, spec.radius_em) == (YELLOW, BLACK, 1.0)


def test_default_colour_stands_out_from_what_is_behind() -> None:
    assert only_text('"Sale" over @BG')[1].colour == WHITE
    assert only_text('"Sale" in the center')[1].colour == BLACK  # on the default white canvas
    assert only_text('"Sale" on a navy background')[1].colour == WHITE


@pytest.mark.parametrize(
    ("words", "size", "font_px"),
    [
        ("", 0.0889, None),
        ("big", 0.12, None),
        ("huge", 0.16, None),
        ("small", 0.06, None),
        ("tiny", 0.045, None),
        ("10% of the canvas", 0.1, None),
        ("48 px", 0.0889, 48),
    ],
)
def test_text_sizes(words: str, size: float, font_px: int | None) -> None:
    layer, spec = only_text(f'"Sale" {words} over @BG')
    assert (layer.size, spec.font_px) == (size, font_px)


@pytest.mark.parametrize(
    ("words", "anchor"),
    [
        ("at the top", Anchor.TOP),
        ("bottom right", Anchor.BOTTOM_RIGHT),
        ("on the left", Anchor.LEFT),
        ("", Anchor.CENTER),
    ],
)
def test_text_takes_anchors(words: str, anchor: Anchor) -> None:
    assert only_text(f'"Sale" {words} over @BG')[0].anchor is anchor


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("slides in from the left", MotionKind.SLIDE),
        ("spins", MotionKind.SPIN),
        ("bounces", MotionKind.BOUNCE),
        ("fades in", MotionKind.FADE_IN),
        ("fades out", MotionKind.FADE_OUT),
        ("zooms in", MotionKind.ZOOM_IN),
        ("zooms out", MotionKind.ZOOM_OUT),
        ("pulses", MotionKind.PULSE),
        ("shakes", MotionKind.SHAKE),
    ],
)
def test_every_motion_moves_text(words: str, kind: MotionKind) -> None:
    layer, _ = only_text(f'"Sale" at the top {words} over @BG, 3 seconds')
    assert layer.motions[0].kind is kind  # then, for a seamless loop, how what came in leaves


def test_text_takes_opacity_rotation_easing_and_order() -> None:
    result = parse('"Sale" at 50% opacity, rotated 10 degrees, slides in from the left smoothly, @product center', TAGS)
    (layer,) = texts(result.scene)
    assert (layer.opacity, layer.rotation) == (0.5, 10)
    assert layer.motions[0].easing.value == "ease-in-out"
    assert result.scene.layers[-1] is layer, "text is drawn above the images"


def test_text_alone_makes_a_composition() -> None:
    scene = parse('"Coming soon" on a black background', []).scene
    assert [layer.text.text for layer in texts(scene) if layer.text] == ["Coming soon"]
    assert scene.canvas.background == BLACK


def test_explain_says_the_size_it_fits() -> None:
    scene = parse('"Summer Sale -50%" at the top, white, bold, with a black outline over @BG', TAGS).scene
    line = describe_scene(scene, fit_text)[-1]
    assert line == '"Summer Sale -50%" — top, white, bold sans, 96 px (fits 1 line), outline black'
    long = parse(f'"{"Sale " * 39}" over @BG', TAGS).scene
    assert "shrunk from 96 px to fit" in describe_scene(long, fit_text)[-1]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("prompt", "where"),
    [('"Summer Sale at the top, @BG', 1), ("@BG, 'Shop now", 6), ("@BG “Sale", 5), ("@BG ‘Sale", 5)],
)
def test_an_unclosed_quote_says_where(prompt: str, where: int) -> None:
    with pytest.raises(PromptError, match=f"at character {where} .* is never closed"):
        parse(prompt, TAGS)


def test_empty_quotes_are_reported_and_ignored() -> None:
    result = parse('"" @BG in the center', TAGS)
    assert texts(result.scene) == []
    assert any("Empty quotes at character 1" in w.message for w in result.warnings)


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(LimitError, match="is 201 characters — at most 200"):
        parse(f'"{"x" * 201}" over @BG', TAGS)
    with pytest.raises(LimitError, match="There are 3 texts — at most 2"):
        parse('"a" top, "b" bottom, "c" left, @BG', TAGS, limits=Limits(max_text_layers=2))


def test_control_and_bidi_override_characters_are_removed_with_a_warning() -> None:
    result = parse('"Sale\u202e 50%\u0007" over @BG', TAGS)
    (layer,) = texts(result.scene)
    assert layer.text is not None and layer.text.text == "Sale 50%"
    assert any("2 control or direction-override character(s) were removed" in w.message for w in result.warnings)
    joined = only_text('"क्\u200dष" over @BG')[1].text
    assert "\u200d" in joined, "joiners shape Indic text: they stay"


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ('"Sale" in bule over @BG', 'Did you mean "blue"?'),
        (
            '"Sale" in Helvetica font over @BG',
            'There is no font "Helvetica". The fonts are sans, serif, condensed, mono',
        ),
        ('"Sale" in serf font over @BG', 'There is no font "serf". Did you mean "serif"?'),
        ("@logo bold in the center", '"bold" is for text — @logo is an image, so it was ignored.'),
        ('"@logo" in the center', "“@logo” is in quotes, so it is drawn as text — to place the image, write @logo"),
    ],
)
def test_bad_words_get_a_did_you_mean(prompt: str, message: str) -> None:
    warnings = [w.message for w in parse(prompt, TAGS).warnings]
    assert any(message in w for w in warnings), warnings


def test_a_quoted_text_is_never_a_tag() -> None:
    scene = parse('"@logo" over @BG', TAGS).scene
    assert scene.image_tags == ("BG",)


# ---------------------------------------------------------------- the command line


@pytest.fixture
def background(tmp_path: Path) -> Path:
    path = tmp_path / "bg.png"
    Image.linear_gradient("L").resize((200, 120)).convert("RGB").save(path)
    return path


def test_cli_renders_text_and_warns_when_shaping_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, background: Path
) -> None:
    monkeypatch.setattr(fonts, "raqm_available", lambda: False)
    out, err = io.StringIO(), io.StringIO()
    prompt = '@BG as background, "दिवाली सेल" in yellow at the top'
    code = main(["render", "--image", f"BG={background}", "--prompt", prompt, "-o", str(tmp_path / "o.png")], out, err)
    assert code == 0 and (tmp_path / "o.png").is_file()
    assert f"warning: {fonts.RAQM_WARNING}" in err.getvalue()


def test_cli_explain_prints_the_text_line(background: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["explain", "--tags", "BG", "--prompt", '"Sale 🎉" at the top over @BG'], out, err) == 0
    assert '"Sale 🎉" — top, white, bold sans' in out.getvalue()
    assert "emoji are not drawn" in err.getvalue()

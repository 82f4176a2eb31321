"""Brand kits: brand.toml read and checked, its colours and fonts understood in prompts, drawn in pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from library_helpers import BRAND_BLUE, BRAND_FONT, BRAND_RED, make_kit, sky

from imagegen.errors import BrandKitError, FontFileError
from imagegen.library import load_kit, repository_kit_dir
from imagegen.library.store import load_saved_kit, save_kit
from imagegen.prompt import BrandWords, parse
from imagegen.prompt.brand import speaking
from imagegen.prompt.explain import describe_scene
from imagegen.render import render_still
from imagegen.store.fonts import font_key, keep_font


@pytest.fixture
def kit_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    return make_kit(tmp_path / "brand")


def test_a_kit_folder_is_read(kit_dir: Path) -> None:
    kit = load_kit(kit_dir)
    assert kit.name == "Acme"
    assert [(c.name, c.code) for c in kit.colours] == [("brand blue", "#0055A4"), ("brand red", "#D01020")]
    assert kit.image_paths() == {"acme": (kit_dir / "logo.png").resolve()}
    assert [(f.name, f.key, f.family) for f in kit.fonts] == [
        ("Acme Mono", font_key(BRAND_FONT.read_bytes()), "Noto Sans Mono")
    ]
    assert kit.default_font == kit.fonts[0].key  # the one font is the text font


def _kit_error(tmp_path: Path, toml: str) -> str:
    folder = make_kit(tmp_path / "kit", toml)
    (folder / "notes.ttf").write_text("<html>not a font</html>")
    with pytest.raises(BrandKitError) as caught:
        load_kit(folder)
    return str(caught.value).replace(str(folder), "KIT")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[colours]\n"brand blue" = "blu"\n',
            'KIT/brand.toml [colours] "brand blue" = "blu" is not a colour — write "#RRGGBB", e.g. "#0055A4".',
        ),
        (
            "[colours]\nbrand_blue = 255\n",
            'KIT/brand.toml [colours] "brand_blue" = 255 is not a colour — write "#RRGGBB", e.g. "#0055A4".',
        ),
        (
            '[colours]\ntransparent = "#000000"\n',
            'KIT/brand.toml [colours] "transparent": a colour\'s name is 1-40 letters, digits and spaces, starting '
            'with a letter, and not a word the prompt already uses for the canvas (e.g. "brand blue").',
        ),
        (
            '[colurs]\nblue = "#0055A4"\n',
            'KIT/brand.toml: unknown table [colurs]. Did you mean "colours"? '
            "A kit has [colours], [images] and [fonts].",
        ),
        (
            '[images]\nacme = "../logo.png"\n',
            'KIT/brand.toml [images] acme = "../logo.png" leaves the kit folder — put the file inside KIT and '
            "name it from there.",
        ),
        ('[images]\nacme = "lgo.png"\n', 'KIT/brand.toml [images] acme = "lgo.png": there is no such file in KIT.'),
        (
            '[images]\n"1st" = "logo.png"\n',
            "KIT/brand.toml [images] 1st: Tag '1st' is not valid — use letters, digits, _ or -, starting with a "
            "letter. Try 'st'.",
        ),
        (
            '[fonts]\n"Acme" = "notes.ttf"\n',
            "KIT/brand.toml [fonts] Acme: 'notes.ttf' is not a font — use a TrueType (.ttf) or OpenType (.otf) "
            "file, e.g. one of your brand's font files as your designer delivered it.",
        ),
        (
            '[fonts]\n"Acme" = "AcmeMono.ttf"\ndefault = "Acme Sans"\n',
            'KIT/brand.toml [fonts] default = "Acme Sans" names no font of the kit — name one of its fonts ("Acme") '
            "or a .ttf/.otf file.",
        ),
        (
            "colours = 3\n",
            "KIT/brand.toml: colours must be a table — write [colours] on its own line, then name = value lines.",
        ),
    ],
)
def test_a_kit_that_cannot_be_used_says_what_would_work(tmp_path: Path, toml: str, message: str) -> None:
    assert _kit_error(tmp_path, toml) == message


def test_a_folder_without_brand_toml_shows_the_format(tmp_path: Path) -> None:
    with pytest.raises(BrandKitError) as caught:
        load_kit(tmp_path)
    assert str(caught.value) == (
        f"'{tmp_path}' has no brand.toml — a brand kit is a folder with a brand.toml like:\n"
        '[colours]\n"brand blue" = "#0055A4"\n[images]\nacme = "logo.png"'
    )


def test_a_file_that_is_not_a_font_is_refused_and_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path))
    with pytest.raises(FontFileError) as caught:
        keep_font(b"\x89PNG\r\n\x1a\n" + bytes(200), "AcmeSans.ttf")
    assert str(caught.value) == (
        "'AcmeSans.ttf' is not a font — use a TrueType (.ttf) or OpenType (.otf) file, e.g. one of your brand's "
        "font files as your designer delivered it."
    )
    assert not (tmp_path / "library" / "fonts").exists()


def test_the_repository_kit_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMAGEGEN_BRAND_DIR", raising=False)
    assert repository_kit_dir(tmp_path) is None
    make_kit(tmp_path / "brand")
    assert repository_kit_dir(tmp_path) == tmp_path / "brand"
    monkeypatch.setenv("IMAGEGEN_BRAND_DIR", str(tmp_path / "elsewhere"))
    assert repository_kit_dir(tmp_path) == tmp_path / "elsewhere"


@pytest.mark.parametrize(
    ("prompt", "lines"),
    [
        (
            '@BG as background, "Summer Sale" in brand blue at the top',
            ['"Summer Sale" — top, brand blue (#0055A4), bold brand font Acme Mono, 96 px'],
        ),
        (
            "@acme in the center, background colour brand blue",
            ["Canvas 1080x1080, brand blue (#0055A4) background, still image"],
        ),
        (
            '@acme on a brand red background, "Sale" in white on a brand blue banner in serif',
            [
                "Canvas 1080x1080, brand red (#D01020) background, still image",
                '"Sale" — center, white, bold serif, 96 px, on a brand blue (#0055A4) banner',
            ],
        ),
        (
            '@BG as background, "Sale" in the Acme Mono font with a brand red outline',
            ['"Sale" — center, white, bold brand font Acme Mono, 96 px, outline brand red (#D01020)'],
        ),
    ],
)
def test_kit_words_are_understood_and_explained(kit_dir: Path, prompt: str, lines: list[str]) -> None:
    words = load_kit(kit_dir).words()
    parsed = parse(prompt, ["BG", "acme"], brand=words)
    assert [w.message for w in parsed.warnings if not w.quiet] == []
    with speaking(words):
        described = describe_scene(parsed.scene)
    assert [line for line in described if line in lines] == lines


@pytest.mark.parametrize(
    ("prompt", "note"),
    [
        (
            '@BG as background, "Sale" in brand green',
            '"brand green" is not a colour of the brand kit, so it is drawn as the CSS green — add it under '
            '[colours] in brand.toml, e.g. "brand green" = "#0055A4".',
        ),
        (
            '@BG as background, "Sale" in the brand font',
            '"brand font": the brand kit has no font, so the text uses Noto Sans — add one under [fonts].',
        ),
    ],
)
def test_brand_words_the_kit_lacks_are_said(prompt: str, note: str) -> None:
    parsed = parse(prompt, ["BG"], brand=BrandWords(colours=(("brand blue", (*BRAND_BLUE, 255)),)))
    assert [w.message for w in parsed.warnings if not w.quiet] == [note]


def _pixels(prompt: str, kit: Path | None) -> np.ndarray:
    loaded = load_kit(kit) if kit else None
    images = {"BG": sky((270, 270)), **{tag: str(path) for tag, path in (loaded.images if loaded else ())}}
    scene = parse(prompt, list(images), brand=loaded.words() if loaded else None).scene
    return np.asarray(render_still(scene, images).convert("RGB")).astype(int)


def test_a_brand_colour_is_drawn(kit_dir: Path) -> None:
    frame = _pixels('"Sale" in white at the top, 270x270, @acme in the center, background colour brand blue', kit_dir)
    assert tuple(frame[260, 5]) == BRAND_BLUE  # the canvas, in a corner no layer covers
    red_bar = (np.abs(frame - BRAND_RED).sum(axis=2) < 30).sum()
    assert red_bar > 100  # the logo on white keeps its red bar


def test_the_brand_font_draws_the_text(kit_dir: Path) -> None:
    prompt = '@BG as background, "Summer Sale" regular weight in black, 270x270'
    branded = _pixels(prompt, kit_dir)
    default = _pixels(prompt, None)
    mono = _pixels(prompt.replace("in black", "in black in mono"), None)
    assert np.array_equal(branded, mono)  # the kit's file is Noto Sans Mono Regular
    changed = (np.abs(branded - default).sum(axis=2) > 60).mean()
    assert changed > 0.01  # not the default face


def test_a_kit_saved_in_the_library_comes_back_the_same(kit_dir: Path, db_url: str) -> None:
    kit = load_kit(kit_dir)
    save_kit(kit, db_url)
    again = load_saved_kit("Acme", db_url)
    assert again.words() == kit.words()
    assert {tag: path.read_bytes() for tag, path in again.images} == {
        tag: path.read_bytes() for tag, path in kit.images
    }


def test_a_follow_up_edit_understands_the_kit(kit_dir: Path) -> None:
    from imagegen.service import RenderRequest, understand

    request = RenderRequest(
        "@acme in the center on a white background",
        edits=("make the background brand blue",),
        brand=load_kit(kit_dir).words(),
    )
    understood = understand(request, {"acme": (240, 120)})
    assert understood.scene.canvas.background == (*BRAND_BLUE, 255)
    assert understood.changes == (("make the background brand blue", ("background colour: #ffffff -> #0055a4",)),)


def test_many_kits_in_one_process_each_keep_their_own_words() -> None:
    # A kit's phrases are compiled once per kit and cached; a new kit never gets an old kit's table.
    for shade in range(40):
        words = BrandWords(colours=((f"brand shade {shade}", (shade, 40, 80, 255)),))
        scene = parse(f"@logo on a brand shade {shade} background", ["logo"], brand=words).scene
        assert scene.canvas.background == (shade, 40, 80, 255)


BLUE = ("brand blue", (*BRAND_BLUE, 255))
RED = ("brand red", (*BRAND_RED, 255))


@pytest.mark.parametrize(
    ("colours", "note", "ink"),
    [
        ((BLUE,), None, BRAND_BLUE),  # the kit's one colour: "our brand colour" is it
        (
            (BLUE, RED),
            '"brand colour" could be "brand blue" or "brand red" — say which; the usual colour is used.',
            (255, 255, 255),
        ),
        (
            (),
            '"brand colour": there is no brand kit colour here, so the usual colour is used — name a colour ("in '
            '#0055A4", "in navy"), or add a kit with [colours] (see the README).',
            (255, 255, 255),
        ),
    ],
)
def test_our_brand_colour_is_the_kits_one_colour_or_asked_for(
    colours: tuple, note: str | None, ink: tuple[int, int, int]
) -> None:
    parsed = parse(
        '@BG as background, "Sale" in our brand colour at the top', ["BG"], brand=BrandWords(colours=colours)
    )
    assert [w.message for w in parsed.warnings if not w.quiet] == ([note] if note else [])
    (text,) = [layer for layer in parsed.scene.layers if layer.text is not None]
    assert text.text.colour[:3] == ink

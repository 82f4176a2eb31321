"""Follow-up edits: Scene before -> Scene after, the difference in words, errors, the chain in the session."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from apptest_helpers import png_bytes
from PIL import Image

from imagegen.errors import LimitError, PromptError, UnknownTagError
from imagegen.export import OutputFormat
from imagegen.limits import Limits
from imagegen.prompt import parse
from imagegen.prompt.lexer import words_of
from imagegen.prompt.vocabulary import EDIT_VOCABULARY, VOCABULARY
from imagegen.scene import Anchor, Layer, Motion, MotionKind, Role, Scene
from imagegen.service import RenderRequest
from imagegen.service.edits import apply_edit, apply_edits, describe_changes
from imagegen.service.outputs import edit_output, generate, output_path, understand
from imagegen.store.assets import add_images
from imagegen.store.session import Manifest, Session, SessionStore

ROOT = Path(__file__).resolve().parents[1]
TAGS = ["BG", "logo", "product", "badge"]
PROMPT = (
    "@BG as background, @logo small at the top right, @product in the center slides from left to right, "
    "@badge at the bottom"
)
BASE = parse(PROMPT, TAGS).scene


def layer(scene: Scene, tag: str) -> Layer:
    return scene.layer(tag)


def with_layer(scene: Scene, tag: str, **changes: object) -> Scene:
    return replace(scene, layers=tuple(replace(x, **changes) if x.tag == tag else x for x in scene.layers))


def test_the_base_scene_is_what_the_table_assumes() -> None:
    assert (layer(BASE, "logo").size, layer(BASE, "logo").anchor) == (0.2, Anchor.TOP_RIGHT)
    assert layer(BASE, "badge").anchor is Anchor.BOTTOM and layer(BASE, "badge").margin == 0.04
    assert BASE.animated and BASE.timing.duration_s == 2.0 and BASE.canvas.size == (1080, 1080)


# (instruction, the Scene it must give, the lines explain shows)
TABLE = [
    ("make @logo bigger", with_layer(BASE, "logo", size=0.35), ["@logo: small (20 %) -> medium (35 %)"]),
    ("make @logo smaller", with_layer(BASE, "logo", size=0.1), ["@logo: small (20 %) -> tiny (10 %)"]),
    ("make @logo 20 % larger", with_layer(BASE, "logo", size=0.24), ["@logo: small (20 %) -> 24 %"]),
    ("@logo 50% smaller", with_layer(BASE, "logo", size=0.1), ["@logo: small (20 %) -> tiny (10 %)"]),
    ("make @logo huge", with_layer(BASE, "logo", size=0.85), ["@logo: small (20 %) -> huge (85 %)"]),
    (
        "move @logo to the bottom left",
        with_layer(BASE, "logo", anchor=Anchor.BOTTOM_LEFT),
        ["@logo: top-right -> bottom-left"],
    ),
    ("move @logo down", with_layer(BASE, "logo", anchor=Anchor.BOTTOM_RIGHT), ["@logo: top-right -> bottom-right"]),
    ("move @badge up a bit", with_layer(BASE, "badge", margin=0.08), ["@badge: margin 4 % -> 8 %"]),
    ("move @badge down a little", with_layer(BASE, "badge", margin=0.0), ["@badge: margin 4 % -> 0 %"]),
    ("slower", replace(BASE, timing=replace(BASE.timing, duration_s=3.0)), ["duration: 2 s -> 3 s"]),
    ("faster", replace(BASE, timing=replace(BASE.timing, duration_s=1.0)), ["duration: 2 s -> 1 s"]),
    ("twice as fast", replace(BASE, timing=replace(BASE.timing, duration_s=1.0)), ["duration: 2 s -> 1 s"]),
    ("3 times as slow", replace(BASE, timing=replace(BASE.timing, duration_s=6.0)), ["duration: 2 s -> 6 s"]),
    ("half as fast", replace(BASE, timing=replace(BASE.timing, duration_s=4.0)), ["duration: 2 s -> 4 s"]),
    (
        "remove @product",
        replace(BASE, layers=tuple(x for x in BASE.layers if x.tag != "product")),
        ["@product: removed"],
    ),
    (
        "swap @logo and @badge",
        replace(
            BASE,
            layers=tuple(replace(x, tag={"logo": "badge", "badge": "logo"}.get(x.tag, x.tag)) for x in BASE.layers),
        ),
        ["@badge: small (20 %) -> edge", "@logo: edge -> small (20 %)"],
    ),
    (
        "make the background black",
        replace(BASE, canvas=replace(BASE.canvas, background=(0, 0, 0, 255))),
        ["background colour: #ffffff -> #000000", "note: @BG covers the canvas"],
    ),
    (
        "now as an Instagram story",
        replace(BASE, canvas=replace(BASE.canvas, width=1080, height=1920)),
        ["canvas: 1080x1080 -> 1080x1920"],
    ),
    (
        "1200 x 627",
        replace(BASE, canvas=replace(BASE.canvas, width=1200, height=627)),
        ["canvas: 1080x1080 -> 1200x627"],
    ),
]


@pytest.mark.parametrize(("text", "after", "lines"), TABLE, ids=[t[0] for t in TABLE])
def test_edit_table(text: str, after: Scene, lines: list[str]) -> None:
    result = apply_edit(BASE, text)
    assert result.scene == after
    assert result.fmt is None
    for expected in lines:
        if expected.endswith("edge") or expected.startswith("@logo: edge"):
            continue  # the swap's lines depend on size naming of the edge default; checked below
        assert any(line.startswith(expected) for line in result.changes), (expected, result.changes)
    assert apply_edit(BASE, text).scene == result.scene, "pure: same input, same output"
    assert parse(PROMPT, TAGS).scene == BASE, "the input Scene is never modified"


def test_swap_trades_places_and_motion() -> None:
    result = apply_edit(BASE, "swap @logo and @product")
    assert layer(result.scene, "logo").motions == layer(BASE, "product").motions
    assert (layer(result.scene, "product").anchor, layer(result.scene, "product").motions) == (Anchor.TOP_RIGHT, ())
    assert "@logo: center -> top-right" not in result.changes
    assert "@logo: top-right -> center" in result.changes


@pytest.mark.parametrize(("text", "fmt"), [("as MP4", OutputFormat.MP4), ("now as a .gif", OutputFormat.GIF)])
def test_a_format_is_returned_beside_the_scene(text: str, fmt: OutputFormat) -> None:
    result = apply_edit(BASE, text)
    assert (result.scene, result.fmt, result.changes) == (BASE, fmt, (f"format: {fmt.name}",))


def test_several_edits_apply_in_order() -> None:
    result = apply_edits(BASE, ["make @logo bigger", "make @logo bigger", "move @logo to the top left", "as MP4"])
    assert (layer(result.scene, "logo").size, layer(result.scene, "logo").anchor) == (0.6, Anchor.TOP_LEFT)
    assert result.changes[:2] == ("@logo: small (20 %) -> medium (35 %)", "@logo: medium (35 %) -> large (60 %)")
    assert result.fmt is OutputFormat.MP4


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("make @lgo bigger", UnknownTagError, "@lgo is not in this composition. Did you mean @logo? It holds @BG"),
        ("make the text bigger", PromptError, "This composition has no text to change"),
        ("change the headline to 'Last day!'", PromptError, "no text to change"),
        ("make it bigger", PromptError, "Say which image to change: @BG, @logo, @product, @badge"),
        ("swap @logo", PromptError, "Swap needs two images"),
        ("bananas please", PromptError, "'bananas please' is not a change this app understands — try 'make @logo"),
        ("", PromptError, "The change is empty"),
        ("make @BG bigger", PromptError, "@BG is the background and always covers the canvas"),
        ("move @product up a bit", PromptError, "@product (center) cannot move just a bit that way"),
        ("make @logo 600 % larger", LimitError, "@logo would be 140 % of the canvas — sizes go from 1 to 100 %"),
        ("now as 9000x100", LimitError, "Canvas 9000x100 is too large"),
        ("remove @BG and @logo and @product and @badge", PromptError, "That would remove every image"),
    ],
)
def test_edits_that_cannot_apply_say_what_would(text: str, error: type[Exception], message: str | None) -> None:
    with pytest.raises(error) as caught:
        apply_edit(BASE, text)
    if message:
        assert message in str(caught.value)


def test_growing_past_the_largest_named_size_says_to_use_a_percentage() -> None:
    with pytest.raises(LimitError, match=r"already full \(100 %\), the largest named size — say a percentage"):
        apply_edits(BASE, ["make @logo full size", "make @logo bigger"])


def test_speed_past_the_limits_is_refused_not_clamped() -> None:
    with pytest.raises(LimitError, match="too long"):
        apply_edit(BASE, "50 times as slow", limits=Limits(max_duration_s=60))
    still = parse("@logo in the center", ["logo"]).scene
    with pytest.raises(PromptError, match="Nothing moves in this composition"):
        apply_edit(still, "slower")


def test_unknown_words_are_reported_not_silently_ignored() -> None:
    result = apply_edit(BASE, "make @logo bigger and shinier")
    assert result.changes == ("@logo: small (20 %) -> medium (35 %)", "not understood (ignored): 'shinier'")


def test_edit_verbs_are_not_prompt_words() -> None:
    prompt_words = {tuple(words_of(w)) for e in VOCABULARY for w in e.words}
    assert not [w for e in EDIT_VOCABULARY for w in e.words if tuple(words_of(w)) in prompt_words]


def test_describe_changes_of_equal_scenes_is_empty() -> None:
    assert describe_changes(BASE, BASE) == []
    moved = replace(BASE, layers=(*BASE.layers[:1], Layer("extra", Role.LAYER, motions=(Motion(MotionKind.SPIN),))))
    assert "@logo: removed" in describe_changes(BASE, moved)


# --- the chain in a session ---------------------------------------------------------------------------
@pytest.fixture
def session(tmp_path: Path) -> Session:
    session = SessionStore(tmp_path / "sessions").create()
    files = [
        ("BG.png", png_bytes((200, 200), "skyblue")),
        ("logo.png", png_bytes((60, 60), "red", alpha=True)),
    ]
    assert add_images(session, files).errors == ()
    return session


def test_each_edit_is_a_new_output_remembering_its_scene_edits_and_parent(session: Session) -> None:
    prompt = "@BG as background, @logo small at the top right, 200x200"
    first = generate(session, prompt, understand(session, RenderRequest(prompt)).scene)
    second, result = edit_output(session, first, "make @logo bigger")
    third, _ = edit_output(session, second, "move @logo to the bottom left")

    assert result.changes == (("make @logo bigger", ("@logo: small (20 %) -> medium (35 %)",)),)
    assert (second.prompt, second.edits, second.parent) == (prompt, ("make @logo bigger",), first.id)
    assert (third.edits, third.parent) == (("make @logo bigger", "move @logo to the bottom left"), second.id)
    assert (
        Scene.from_json(third.scene_json)
        == apply_edits(understand(session, RenderRequest(prompt)).scene, third.edits).scene
    ), "the Scene is the prompt's Scene with the edits applied in order"

    with Image.open(output_path(session, first)) as before, Image.open(output_path(session, third)) as after:
        assert before.convert("RGB").getpixel((170, 30)) == (255, 0, 0)
        assert after.convert("RGB").getpixel((50, 150)) == (255, 0, 0), "the bigger logo at the bottom left"

    # Undo is the parent: its Scene is exactly the one before the edit.
    outputs = {o.id: o for o in session.manifest().outputs}
    assert Scene.from_json(outputs[third.parent].scene_json) == Scene.from_json(second.scene_json)


def test_the_history_chain_round_trips_through_json(session: Session) -> None:
    prompt = "@BG as background and @logo slides from left to right, 80x80, 1 second at 4 fps"
    first = generate(session, prompt, understand(session, RenderRequest(prompt)).scene)
    second, _ = edit_output(session, first, "twice as fast")
    third, _ = edit_output(session, second, "as MP4")
    manifest = session.manifest()
    again = Manifest.from_json(manifest.to_json())
    assert again == manifest
    assert again.outputs[-1].edits == ("twice as fast", "as MP4") and again.outputs[-1].format == "mp4"
    assert json.loads(manifest.to_json())["outputs"][1]["parent"] == first.id
    assert third.frames == 4  # 1 s said there, 1 s back (the seamless loop keeps the said speed), twice as fast


def test_an_edit_that_stops_the_motion_turns_a_gif_into_a_png(session: Session) -> None:
    prompt = "@BG as background and @logo slides from left to right, 80x80, 1 second at 4 fps"
    first = generate(session, prompt, understand(session, RenderRequest(prompt)).scene)
    assert first.format == "gif"
    edited, _ = edit_output(session, first, "remove @logo")
    assert edited.format == "png"


def test_a_failed_edit_adds_nothing(session: Session) -> None:
    prompt = "@BG as background, @logo small at the top right, 200x200"
    first = generate(session, prompt, understand(session, RenderRequest(prompt)).scene)
    with pytest.raises(PromptError):
        edit_output(session, first, "make the text bigger")
    assert session.manifest().outputs == (first,)


# --- the CLI ------------------------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imagegen", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_explain_then_shows_each_difference() -> None:
    done = run("explain", "--tags", "BG,logo", "--prompt", "@BG as background, @logo small at the top right",
               "--then", "make @logo bigger", "--then", "now as a story")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-4:] == [
        "then 'make @logo bigger':",
        "  @logo: small (20 %) -> medium (35 %)",
        "then 'now as a story':",
        "  canvas: 1080x1080 -> 1080x1920",
    ]


def test_cli_render_then_applies_the_edits(tmp_path: Path) -> None:
    (tmp_path / "bg.png").write_bytes(png_bytes((200, 200), "skyblue"))
    (tmp_path / "logo.png").write_bytes(png_bytes((60, 60), "red", alpha=True))
    out = tmp_path / "out.png"
    done = run("render", "--image", f"BG={tmp_path / 'bg.png'}", "--image", f"logo={tmp_path / 'logo.png'}",
               "--prompt", "@BG as background, @logo small at the top right, 200x200",
               "--then", "make @logo bigger", "--then", "move @logo to the bottom left", "-o", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Image.open(out) as image:
        assert image.convert("RGB").getpixel((50, 150)) == (255, 0, 0)
    refused = run("explain", "--tags", "BG,logo", "--prompt", "@BG as background", "--then", "make the text bigger")
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1].startswith("error: This composition has no text to change")


# --- text layers ------------------------------------------------------------------------------------------
HEADLINE = '@BG as background, "Summer Sale" at the top, @logo top right'


def _text(scene):
    return [layer for layer in scene.layers if layer.text is not None]


@pytest.mark.parametrize(
    ("prompt", "instruction", "words", "change"),
    [
        (
            HEADLINE,
            "change the headline to 'Last day!'",
            ["Last day!"],
            'the text "Summer Sale": "Summer Sale" -> "Last day!"',
        ),
        (HEADLINE, 'change "Summer Sale" to "Winter"', ["Winter"], 'the text "Summer Sale": "Summer Sale" -> "Winter"'),
        ('"Sale" at the top, "Shop now" at the bottom, @logo', 'change "Shop now" to "Buy"', ["Sale", "Buy"], None),
    ],
)
def test_the_words_of_a_text_change(prompt: str, instruction: str, words: list[str], change: str | None) -> None:
    before = parse(prompt, ["BG", "logo"]).scene
    result = apply_edit(before, instruction)
    assert [layer.text.text for layer in _text(result.scene)] == words
    assert [layer.text.text for layer in _text(before)] != words  # pure: the old scene is untouched
    if change:
        assert result.changes == (change,)


def test_the_text_grows_and_moves_like_an_image() -> None:
    before = parse(HEADLINE, ["BG", "logo"]).scene
    bigger = apply_edit(before, "make the text 20 % larger").scene
    assert _text(bigger)[0].size == pytest.approx(_text(before)[0].size * 1.2, abs=1e-3)
    moved = apply_edit(before, "move the text to the bottom").scene
    assert _text(moved)[0].anchor is Anchor.BOTTOM


@pytest.mark.parametrize(
    ("instruction", "colour"),
    [("make the headline blue", (0, 0, 255, 255)), ("make the text red", (255, 0, 0, 255))],
)
def test_a_colour_said_of_the_text_colours_the_words(instruction: str, colour: tuple[int, ...]) -> None:
    """It used to colour the canvas instead (hidden behind @BG), in silence."""
    before = parse(HEADLINE, ["BG", "logo"]).scene
    result = apply_edit(before, instruction)
    assert _text(result.scene)[0].text.colour == colour
    assert result.scene.canvas.background == before.canvas.background
    assert result.changes == (
        f'the text "Summer Sale": colour #ffffff -> #{colour[0]:02x}{colour[1]:02x}{colour[2]:02x}',
    )


def test_a_colour_said_of_an_image_is_refused_with_what_would_work() -> None:
    before = parse(HEADLINE, ["BG", "logo"]).scene
    with pytest.raises(PromptError) as refused:
        apply_edit(before, "make @logo blue")
    assert str(refused.value) == (
        "The colours of an image cannot be changed — @logo keeps its own. Say 'make the background blue' for the "
        "canvas behind the images, or 'make the headline blue' for a text."
    )
    assert apply_edit(before, "make the background blue").scene.canvas.background == (0, 0, 255, 255)


@pytest.mark.parametrize(
    ("instruction", "message"),
    [
        ("change the headline to 'X'", 'This composition has 2 texts ("Sale", "Shop now") — say which'),
        ('change "Nope" to "X"', 'No text reads "Nope" — the texts are "Sale", "Shop now".'),
        ("change the headline to", "Put the new words in quotes"),
    ],
)
def test_a_text_change_that_cannot_apply_says_what_would(instruction: str, message: str) -> None:
    scene = parse('"Sale" at the top, "Shop now" at the bottom, @logo', ["logo"]).scene
    with pytest.raises(PromptError, match=re.escape(message)):
        apply_edit(scene, instruction)


def test_an_edit_of_a_slide_names_what_the_composition_holds() -> None:
    scene = parse("Slideshow of @BG and @product, 2 seconds each, @logo at the top right", TAGS).scene
    with pytest.raises(PromptError) as caught:
        apply_edit(scene, "make @product bigger")
    assert str(caught.value) == (
        "@product is a slide of the slideshow: a change can move, resize or remove the layers over it, not a "
        "slide. This composition holds @logo, a slideshow of @BG, @product."
    )
    with pytest.raises(UnknownTagError, match=r"It holds @logo, a slideshow of @BG, @product\.$"):
        apply_edit(scene, "make @lgoo bigger")

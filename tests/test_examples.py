"""Example prompts: who plays background, logo and subject, and every example parses and renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import png_bytes
from PIL import Image

from imagegen.prompt.examples import Cast, cast, example_prompts
from imagegen.service import NoticeKind, Overrides, RenderRequest
from imagegen.service.outputs import generate, output_path, understand
from imagegen.store.assets import add_images, set_tags
from imagegen.store.session import Asset, Session, SessionStore
from imagegen.store.tags import MENTION_RE

LABELS = ["Still", "Animation", "Story"]


def asset(tag: str, width: int = 100, height: int = 100, *, alpha: bool = False) -> Asset:
    return Asset(
        id=f"id-{tag}",
        tag=tag,
        original_name=f"{tag}.png",
        file=f"{tag}.png",
        thumb=f"{tag}.thumb.png",
        width=width,
        height=height,
        has_alpha=alpha,
        source_format="PNG",
        bytes=1,
        added=0.0,
    )


CAST_CASES = [
    pytest.param([], None, id="no images: no cast"),
    pytest.param([asset("photo", 800, 600)], Cast("photo", "photo", "photo"), id="one image plays every part"),
    pytest.param(
        [asset("logo", 100, 50, alpha=True), asset("bg", 800, 600)],
        Cast("bg", "logo", "logo"),
        id="two named: bg and logo, logo is also the subject",
    ),
    pytest.param(
        [asset("product", 300, 300), asset("brand-logo", 80, 80, alpha=True), asset("Background_2", 1000, 1000)],
        Cast("Background_2", "brand-logo", "product"),
        id="three named: Background_2, brand-logo, product",
    ),
    pytest.param(
        [asset("Image1", 60, 60, alpha=True), asset("Image2", 1200, 800), asset("Image3", 500, 500)],
        Cast("Image2", "Image1", "Image3"),
        id="no names: largest opaque is background, transparent is logo, the rest the subject",
    ),
    pytest.param(
        [asset("bg", 50, 50), asset("Image1", 2000, 2000), asset("Image2", 40, 40, alpha=True)],
        Cast("bg", "Image2", "Image1"),
        id="a background name beats size",
    ),
    pytest.param(
        [asset("icon", 900, 900), asset("Image1", 100, 100, alpha=True), asset("Image2", 500, 500)],
        Cast("Image2", "icon", "Image1"),
        id="a logo name beats transparency and is never the background",
    ),
    pytest.param(
        [asset("logo", 1000, 1000), asset("product", 300, 300, alpha=True)],
        Cast("product", "logo", "logo"),
        id="two images: a large opaque logo is still the logo",
    ),
    pytest.param(
        [asset("a", 100, 100), asset("b", 900, 900), asset("c", 300, 300)],
        Cast("b", "a", "c"),
        id="no transparency: the smallest is the logo",
    ),
    pytest.param(
        [asset("Hero", 400, 400), asset("LOGO", 900, 900), asset("BG", 10, 10)],
        Cast("BG", "LOGO", "Hero"),
        id="names ignore case",
    ),
    pytest.param(
        [asset("bgcolor", 100, 100), asset("Image1", 1000, 1000)],
        Cast("Image1", "bgcolor", "bgcolor"),
        id="bg inside a word is no background hint",
    ),
    pytest.param(
        [asset("Image1", 2000, 2000), asset("Backdrop3", 10, 10), asset("shop_photo", 20, 20)],
        Cast("Backdrop3", "shop_photo", "Image1"),
        id="first background name in upload order wins; a digit may follow it",
    ),
    pytest.param(
        [asset("bg", 800, 800), asset("bg_2", 800, 800)],
        Cast("bg", "bg_2", "bg_2"),
        id="two backgrounds: the second plays the logo",
    ),
]


@pytest.mark.parametrize(("assets", "expected"), CAST_CASES)
def test_cast(assets: list[Asset], expected: Cast | None) -> None:
    assert cast(assets) == expected


@pytest.mark.parametrize(("assets", "expected"), CAST_CASES)
def test_prompts_mention_exactly_the_cast(assets: list[Asset], expected: Cast | None) -> None:
    prompts = example_prompts(assets)
    if expected is None:
        assert prompts == []
        return
    assert [label for label, _ in prompts] == LABELS
    every_mention = {tag for _, prompt in prompts for tag in MENTION_RE.findall(prompt)}
    assert every_mention == {expected.background, expected.logo, expected.subject}


PROMPT_CASES = [
    pytest.param(
        [asset("photo", 800, 600)],
        [
            ("Still", "Place @photo in the center on a white background"),
            ("Animation", "@photo slides in from the left over 2 seconds"),
            ("Story", "Instagram story: @photo in the center, spinning slowly, on a black background"),
        ],
        id="one image",
    ),
    pytest.param(
        [asset("bg", 800, 600), asset("brand-logo", 80, 80, alpha=True)],
        [
            ("Still", "Place @brand-logo on top right and @bg as background"),
            ("Animation", "@bg is stable background and @brand-logo is moving from left to right"),
            ("Story", "Story format: @bg as backdrop, @brand-logo bounces in the center 3 times over 3 seconds"),
        ],
        id="two images",
    ),
    pytest.param(
        [asset("product", 300, 300), asset("brand-logo", 80, 80, alpha=True), asset("Background_2", 1000, 1000)],
        [
            ("Still", "Place @product in center, @brand-logo on top right, and @Background_2 as background"),
            ("Animation", "@Background_2 is stable background and @brand-logo is moving from left to right"),
            (
                "Story",
                "Instagram story: @Background_2 as backdrop, @product bounces at the bottom,"
                " @brand-logo fades in at the top left over 3 seconds",
            ),
        ],
        id="three images",
    ),
]


@pytest.mark.parametrize(("assets", "expected"), PROMPT_CASES)
def test_example_prompt_text(assets: list[Asset], expected: list[tuple[str, str]]) -> None:
    assert example_prompts(assets) == expected


# --- every example works on a real session ------------------------------------------------------------
# (file name, size, colour, transparent?) per upload; tags come from the file names.
Upload = tuple[str, tuple[int, int], str, bool]
SESSION_CASES: list[tuple[str, list[Upload], dict[str, str]]] = [
    ("one image", [("photo.png", (160, 120), "blue", False)], {}),
    ("two images", [("bg.png", (160, 120), "blue", False), ("logo.png", (40, 40), "red", True)], {}),
    (
        "three named",
        [
            ("product.png", (80, 80), "green", False),
            ("brand-logo.png", (40, 40), "red", True),
            ("Background_2.png", (200, 150), "blue", False),
        ],
        {},
    ),
    (
        "unnamed camera files",
        [
            ("IMG_0001.png", (200, 150), "blue", False),
            ("IMG_0002.png", (30, 30), "red", True),
            ("IMG_0003.png", (90, 90), "green", False),
        ],
        {},
    ),
    (
        "odd tags: one letter, trailing dash and underscore",
        [("a.png", (200, 150), "blue", False), ("b.png", (30, 30), "red", True), ("c.png", (90, 90), "green", False)],
        {"a.png": "x", "b.png": "Logo-", "c.png": "item_"},
    ),
]


def _session_with(store: SessionStore, uploads: list[Upload], retag: dict[str, str]) -> Session:
    session = store.create()
    result = add_images(
        session, [(name, png_bytes(size, colour, alpha=alpha)) for name, size, colour, alpha in uploads]
    )
    assert result.errors == ()
    by_name = {a.original_name: a.id for a in result.added}
    if retag:
        set_tags(session, {by_name[name]: tag for name, tag in retag.items()})
    return session


LOOP_NOTE_ENDS = (
    'so the loop does not jump — say "play once" to keep it on screen.',
    'so the loop does not jump — say "play once" to stop at the end instead.',
)


@pytest.mark.parametrize(("uploads", "retag"), [pytest.param(u, r, id=i) for i, u, r in SESSION_CASES])
def test_every_example_parses_and_renders_its_kind(
    tmp_path: Path, uploads: list[Upload], retag: dict[str, str]
) -> None:
    session = _session_with(SessionStore(tmp_path), uploads, retag)
    manifest = session.manifest()
    examples = example_prompts(manifest.assets)
    assert [label for label, _ in examples] == LABELS
    small = Overrides(size=(48, 48), fps=4)
    for label, prompt in examples:
        mentioned = set(MENTION_RE.findall(prompt))
        result = understand(session, RenderRequest(prompt))
        scene = result.scene
        # The only warning an example may give: an image it leaves out (the animation uses two of three);
        # an animation's note says how it loops without a jump (the default).
        unused = [f"@{a.tag}" for a in manifest.assets if a.tag not in mentioned]
        allowed = {f"Not used: {', '.join(unused)}."} if unused else set()
        said = set(result.messages(NoticeKind.WARNING, NoticeKind.NOTE))  # scaling lines are not warnings
        said = {line for line in said if not line.endswith(LOOP_NOTE_ENDS)}
        assert said <= allowed, f"{label}: {prompt!r} warns {said}"
        assert set(scene.tags) == mentioned, prompt
        assert scene.animated is (label != "Still"), f"{label}: {prompt!r}"
        if label == "Story":
            assert scene.canvas.size == (1080, 1920), f"{prompt!r} makes a portrait story canvas"
        small_scene = small.apply(scene)
        output = generate(session, prompt, small_scene)
        with Image.open(output_path(session, output)) as image:
            assert image.size == (48, 48)
            assert getattr(image, "n_frames", 1) == output.frames  # the frames the file holds
            assert image.format == ("GIF" if scene.animated else "PNG")
        assert output.frames <= (small_scene.timing.frame_count if scene.animated else 1)
    assert [o.prompt for o in session.manifest().outputs] == [p for _, p in examples]

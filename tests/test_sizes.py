"""One design, many sizes: presets from the vocabulary, --sizes parsing, re-flow in pixels, session and CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from apptest_helpers import png_bytes
from fixtures_images import encode
from helpers_pixels import GREEN, RED, bbox, mask
from PIL import Image, ImageDraw

from imagegen.errors import ImagegenError, LimitError, PromptError
from imagegen.export.naming import slugged_name
from imagegen.limits import Limits
from imagegen.prompt import parse, parse_canvas_size
from imagegen.prompt.vocabulary import entries
from imagegen.render import render_still
from imagegen.scene import Scene
from imagegen.service import RenderRequest
from imagegen.service.outputs import generate_sizes, output_path, understand, zip_group
from imagegen.service.sizes import SizeSpec, parse_sizes, presets, resize
from imagegen.store.assets import add_images
from imagegen.store.session import Session, SessionStore

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "@BG is the background, @logo on top right, @product in the center"
NOW = datetime(2024, 5, 1, 9, 30, 15)


def photo(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """Photo-like: a diagonal blue-to-yellow gradient with per-pixel noise (never red or green)."""
    w, h = size
    ramp = np.add.outer(np.linspace(0, 1, h), np.linspace(0, 1, w)) / 2
    rng = np.random.default_rng(3)
    rgb = np.stack([ramp * 200, ramp * 180 + 20, (1 - ramp) * 200 + 40], axis=-1) + rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def logo() -> Image.Image:
    """An opaque red square mark on transparency (aspect 1:1)."""
    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((10, 10, 109, 109), fill=RED)
    return image


def product() -> Image.Image:
    """An opaque green product shot, 2:1 landscape, on white."""
    image = Image.new("RGB", (200, 100), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 199, 99), fill=GREEN[:3])
    return image


IMAGES = {"BG": photo(), "logo": logo(), "product": product()}


def test_presets_are_the_vocabularys_fixed_canvas_sizes() -> None:
    fixed = {e.key: e.value.size for e in entries("canvas") if e.value.size is not None}
    assert presets() == fixed
    assert {"story", "landscape", "linkedin", "twitter", "instagram", "youtube-thumbnail"} <= set(presets())
    assert presets()["linkedin"] == (1200, 627)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instagram,story,1200x627", [("instagram", 1080, 1080), ("story", 1080, 1920), ("1200x627", 1200, 627)]),
        (" landscape , linkedin ", [("landscape", 1920, 1080), ("linkedin", 1200, 627)]),
        (["tiktok", "300 x 200"], [("tiktok", 1080, 1920), ("300x200", 300, 200)]),
        ("Instagram Story", [("instagram-story", 1080, 1920)]),
        ("post,youtube thumbnail", [("post", 1080, 1080), ("youtube-thumbnail", 1280, 720)]),
    ],
)
def test_parse_sizes(text: str | list[str], expected: list[tuple[str, int, int]]) -> None:
    assert parse_sizes(text) == [SizeSpec(*item) for item in expected]


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("instagram,storry", PromptError, ["Size 'storry'", 'Did you mean "story"?']),
        ("square,instagram", PromptError, ["'square' and 'instagram' are both 1080x1080", "list each size once"]),
        ("story,9000x100", LimitError, ["Size '9000x100'", "between 16 and 4096"]),
        (" , ", PromptError, ["No size given", "instagram,story,1200x627"]),
    ],
)
def test_parse_sizes_refuses_with_the_item_named(text: str, error: type[ImagegenError], words: list[str]) -> None:
    with pytest.raises(error) as caught:
        parse_sizes(text)
    for word in words:
        assert word in str(caught.value)


def test_too_many_sizes_states_the_limit() -> None:
    with pytest.raises(LimitError, match="3 sizes were asked for — at most 2 at once"):
        parse_sizes("instagram,story,landscape", limits=Limits(max_sizes=2))


def test_resize_changes_only_the_canvas_size() -> None:
    scene = parse(PROMPT + ", background colour black", ["BG", "logo", "product"]).scene
    story = resize(scene, parse_sizes("story")[0])
    assert story.canvas.size == (1080, 1920)
    assert story.canvas.background == scene.canvas.background
    assert story.layers == scene.layers and story.timing == scene.timing


SIZES = ["instagram", "story", "landscape", "linkedin", "twitter", "120x400"]


@pytest.mark.parametrize("size", SIZES)
def test_every_size_keeps_the_regions_meaning(size: str) -> None:
    """Logo in the top-right corner at the margin, product centred, background covering, nothing stretched."""
    scene = parse(PROMPT, list(IMAGES)).scene
    width, height = parse_canvas_size(size)
    image = render_still(resize(scene, (width, height)), IMAGES)
    assert image.size == (width, height)
    short = min(width, height)
    margin = round(0.04 * short)

    red = bbox(image, RED)
    assert red is not None, "the logo is drawn"
    left, top, right, bottom = red
    sprite = 0.2 * short  # a corner logo is 20 % of the canvas; square, so of the shorter side
    # The logo's transparent padding is trimmed (issue 12): its visible mark sits at the margin and fills the box.
    assert abs(right - (width - margin)) <= 2 and abs(top - margin) <= 2, f"top right: {red}"
    assert abs((right - left) - (bottom - top)) <= 2, f"logo stays square: {red}"
    assert abs((right - left) - sprite) <= 3, "the logo is 20 % of the shorter side"

    green = bbox(image, GREEN)
    assert green is not None, "the product is drawn"
    centre = ((green[0] + green[2]) / 2, (green[1] + green[3]) / 2)
    assert abs(centre[0] - width / 2) <= 1 and abs(centre[1] - height / 2) <= 1, f"product centred: {green}"
    assert abs((green[2] - green[0]) / (green[3] - green[1]) - 2.0) < 0.05, "product keeps its 2:1 aspect"

    arr = np.asarray(image.convert("RGB")).astype(int)
    white = np.all(arr > 245, axis=-1)
    assert not white[:, : width // 3].any(), "the background covers the canvas: no white canvas shows"
    assert not (mask(image, RED) & mask(image, GREEN)).any()


# --- in a session -------------------------------------------------------------------------------------
@pytest.fixture
def session(tmp_path: Path) -> Session:
    session = SessionStore(tmp_path / "sessions").create()
    files = [(f"{tag}.png", encode(image)) for tag, image in IMAGES.items()]
    assert add_images(session, files).errors == ()
    return session


def test_generate_sizes_writes_and_records_one_output_per_size(session: Session) -> None:
    scene = understand(session, RenderRequest(PROMPT)).scene
    sizes = parse_sizes("instagram,story,200x100")
    outputs = generate_sizes(session, PROMPT, scene, sizes, now=NOW)

    assert [o.file for o in outputs] == [
        "20240501-093015-instagram-BG-logo-product.png",
        "20240501-093015-story-BG-logo-product.png",
        "20240501-093015-200x100-BG-logo-product.png",
    ]
    assert session.manifest().outputs == tuple(outputs)
    for output, spec in zip(outputs, sizes, strict=True):
        assert Scene.from_json(output.scene_json) == resize(scene, spec)
        with Image.open(output_path(session, output)) as image:
            assert image.size == spec.size
    archive = zip_group(session, outputs)
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == [*(slugged_name(o.file, o.prompt) for o in outputs), "manifest.csv"]
        rows = list(csv.DictReader(io.StringIO(opened.read("manifest.csv").decode("utf-8-sig"))))
    assert [row["size"] for row in rows] == ["1080x1080", "1080x1920", "200x100"]


def test_generate_sizes_reports_progress_over_all_sizes(session: Session) -> None:
    scene = understand(
        session, RenderRequest("@BG is the background and @logo slides from left to right, 1 second at 5 fps")
    ).scene
    seen: list[tuple[int, int]] = []
    generate_sizes(session, "p", scene, parse_sizes("100x100,60x120"), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (20, 20)  # 1 s said each way of the seamless loop, 5 fps: 10 frames a size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_size_over_the_limit_refuses_before_any_file_is_written(tmp_path: Path) -> None:
    limited = SessionStore(tmp_path / "small", limits=Limits(max_canvas_side=1500))
    small = limited.create()
    assert add_images(small, [("BG.png", png_bytes((50, 50), "blue"))]).errors == ()
    scene = understand(small, RenderRequest("@BG as background")).scene
    with pytest.raises(LimitError, match="Canvas 1920x1080 is too large — each side must be between 16 and 1500 px"):
        generate_sizes(small, "p", scene, [SizeSpec("instagram", 1080, 1080), SizeSpec("landscape", 1920, 1080)])
    assert list(small.outputs.iterdir()) == []
    assert small.manifest().outputs == ()


# --- the CLI ------------------------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imagegen", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    args = []
    for tag, image in IMAGES.items():
        image.save(folder / f"{tag}.png")
        args += ["--image", f"{tag}={folder / f'{tag}.png'}"]
    return args


def test_cli_sizes_writes_one_file_per_size_into_a_folder(inputs: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("render", *inputs, "--prompt", PROMPT, "--sizes", "instagram,story,300x157", "-o", str(out))
    assert done.returncode == 0, done.stderr
    names = ["instagram.png", "story.png", "300x157.png"]
    assert done.stdout.splitlines() == [str(out / n) for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    with Image.open(out / "story.png") as image:
        assert image.size == (1080, 1920)


def test_cli_sizes_with_a_file_name_appends_each_label(inputs: list[str], tmp_path: Path) -> None:
    done = run("render", *inputs, "--prompt", PROMPT, "--sizes", "linkedin,120x80", "-o", str(tmp_path / "ad.jpg"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ad-120x80.jpg", "ad-linkedin.jpg"]
    with Image.open(tmp_path / "ad-linkedin.jpg") as image:
        assert (image.format, image.size) == ("JPEG", (1200, 627))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sizes", "story,storry"], "Size 'storry'"),
        (["--sizes", "story", "--size", "story"], "Give either --size (one file) or --sizes"),
    ],
)
def test_cli_sizes_refusals_write_nothing(inputs: list[str], tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "out"
    done = run("render", *inputs, "--prompt", PROMPT, *extra, "-o", str(out))
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not out.exists()


@pytest.mark.parametrize("preset", ["post", "story", "landscape", "linkedin", "youtube thumbnail"])
def test_a_long_headline_fits_in_every_size(preset: str) -> None:
    # A magenta headline long enough to wrap: in every aspect ratio it is drawn, inside the canvas with a
    # margin, and in the top band it was asked for.
    headline = (
        '"Summer Sale — fifty percent off every sandal, sneaker and sun hat this weekend only" in magenta at the top'
    )
    scene = parse(f"@BG is the background, {headline}", ["BG"]).scene
    size = presets()[preset] if preset in presets() else parse_canvas_size(preset)
    image = render_still(resize(scene, size), IMAGES)
    box = bbox(image, (255, 0, 255), tol=60)
    assert box is not None, f"{preset}: no headline drawn"
    left, top, right, bottom = box
    width, height = size
    assert left > 0 and top > 0 and right < width and bottom < height, f"{preset}: {box} touches an edge of {size}"
    assert bottom <= height / 2, f"{preset}: the headline left the top half: {box} in {size}"


def _sky_and_ground() -> Image.Image:
    """A photo with a red sky band on top of a green field (so a crop's focus is visible by colour)."""
    image = photo((900, 900)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 899, 299), fill=RED[:3])
    draw.rectangle((0, 600, 899, 899), fill=GREEN[:3])
    return image


def _split(preset: str, focus: str) -> tuple[Image.Image, int]:
    scene = parse(
        f"@BG on the top half, crop @BG to the {focus}, @product on the bottom half, fit, background colour white",
        ["BG", "product"],
    ).scene
    width, height = presets()[preset]
    return render_still(resize(scene, (width, height)), {"BG": _sky_and_ground(), "product": product()}), round(
        height * 0.5
    )  # as Region.box rounds


@pytest.mark.parametrize("preset", ["instagram", "story", "landscape", "linkedin"])
def test_a_split_stays_a_split_and_a_crop_keeps_its_focus_in_every_size(preset: str) -> None:
    # The top half is the sky-and-ground photo cropped to its top; the bottom half a green product, fitted.
    # In every aspect ratio the top half is covered, starts with the sky (red), shows more sky than the
    # same split cropped to the bottom, and nothing of it crosses into the bottom half.
    image, half = _split(preset, "top")
    width, height = image.size
    top, bottom = image.crop((0, 0, width, half)), image.crop((0, half, width, height))
    sky = bbox(top, RED, tol=30)
    assert sky is not None and sky[:3] == (0, 0, width), f"{preset}: the sky starts at the top: {sky}"
    assert not np.all(np.asarray(top.convert("RGB")) > 245, axis=-1).any(), f"{preset}: the top half is covered"
    sky_rows = mask(top, RED, tol=30).any(axis=1).sum()
    other, _ = _split(preset, "bottom")
    assert sky_rows > mask(other.crop((0, 0, width, half)), RED, tol=30).any(axis=1).sum(), f"{preset}: focus kept"
    assert bbox(bottom, RED, tol=30) is None, f"{preset}: the photo stays in its half"
    green = bbox(bottom, GREEN, tol=40)
    assert green is not None, f"{preset}: the product is in the bottom half"
    assert abs((green[1] + green[3]) / 2 - (height - half) / 2) <= 2, f"{preset}: centred in its half"


@pytest.mark.parametrize("preset", ["instagram", "story", "landscape", "linkedin"])
def test_a_headline_in_the_right_half_refits_to_that_half_in_every_size(preset: str) -> None:
    scene = parse(
        '@BG on the left half, "Summer Sale — 30 % off everything this weekend" in red on the right half',
        ["BG"],
    ).scene
    width, height = presets()[preset]
    image = render_still(resize(scene, (width, height)), {"BG": photo((600, 600))})
    half = round(width * 0.5)
    words = bbox(image.crop((half, 0, width, height)), RED, tol=60)
    assert words is not None, f"{preset}: the headline is drawn"
    margin = round(0.04 * min(width, height))
    left, top, right, bottom = words
    assert left >= margin - 2 and right <= width - half - margin + 2, f"{preset}: inside its half: {words}"
    assert top >= margin - 2 and bottom <= height - margin + 2, f"{preset}: inside the canvas: {words}"
    assert bbox(image.crop((0, 0, half, height)), RED, tol=30) is None, f"{preset}: no text on the left half"

"""The command line, run as users run it: ``python -m imagegen`` in a subprocess."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageSequence

from imagegen.cli import ProgressBar
from imagegen.errors import ImagegenError
from imagegen.export import check_format
from imagegen.export.formats import OutputFormat
from imagegen.prompt import parse, parse_canvas_size
from imagegen.prompt.explain import describe_scene
from imagegen.render import check_limits
from imagegen.store.images import load_image

ROOT = Path(__file__).resolve().parents[1]
SLIDE = "@BG is the background and @logo slides across linearly"
SMALL = ["--size", "160x120", "--duration", "1", "--fps", "10"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imagegen", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit status 2 and exactly one error line on stderr, ``error: <message>``, after any notes."""
    errors = [line for line in done.stderr.splitlines() if not line.startswith("note: ")]
    assert (done.returncode, done.stdout, errors) == (2, "", [f"error: {message}"])


def message_of(call: object, *args: object, **kwargs: object) -> str:
    try:
        call(*args, **kwargs)  # type: ignore[operator]
    except ImagegenError as exc:
        return str(exc)
    raise AssertionError("expected an ImagegenError")


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    background = Image.linear_gradient("L").resize((300, 200)).convert("RGB")
    background.save(folder / "bg.jpg")
    logo = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((2, 2, 57, 57), fill=(220, 30, 30, 255))
    logo.save(folder / "logo.png")
    (folder / "notes.png").write_text("not an image")
    return {"BG": folder / "bg.jpg", "logo": folder / "logo.png", "bad": folder / "notes.png"}


def image_args(images: dict[str, Path]) -> list[str]:
    return ["--image", f"BG={images['BG']}", "--image", f"logo={images['logo']}"]


def test_render_gif_writes_every_frame_and_prints_the_path(images: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "slide.gif"
    done = run("render", *image_args(images), "--prompt", SLIDE, "-o", str(out), *SMALL)
    assert (done.returncode, done.stdout) == (0, f"{out}\n")
    assert done.stderr.splitlines() == [  # the settings are said, as the app says them
        "note: Canvas 160x120 (your setting; the prompt gives 1080x1080).",
        "note: Duration 1 s (your setting; the prompt gives 2 s).",
        "note: Frame rate 10 fps (your setting; the prompt gives 24 fps).",
        "note: Format GIF (your setting).",
    ]
    with Image.open(out) as gif:
        assert gif.size == (160, 120)
        assert gif.n_frames == 10
        assert sum(frame.info["duration"] for frame in ImageSequence.Iterator(gif)) == 1000


def test_render_still_png_with_a_size_preset(images: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "still.png"
    done = run("render", *image_args(images), "--prompt", "@BG is the background, @logo in the centre", "-o",
               str(out), "--size", "story")  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Image.open(out) as image:
        assert image.size == parse_canvas_size("story")
        centre = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert centre[0] > 180 and centre[1] < 80  # the red logo


def test_warnings_go_to_stderr_and_the_render_still_succeeds(images: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "w.png"
    done = run(
        "render", *image_args(images), "--prompt", "@BG background, @logo centre, size huge banana", "-o", str(out)
    )
    assert done.returncode == 0
    warnings = [line for line in done.stderr.splitlines() if not line.startswith("note: ")]
    assert warnings == ['warning: Not understood, so ignored: "banana".']
    assert "note: @logo is 60x60 and is enlarged 15.3x — it will look soft." in done.stderr  # as the app says it
    assert out.is_file()


def test_unknown_tag(images: dict[str, Path], tmp_path: Path) -> None:
    prompt = "@BG is the background and @lgo spins"
    done = run("render", *image_args(images), "--prompt", prompt, "-o", str(tmp_path / "x.gif"))
    refused(done, message_of(parse, prompt, ["BG", "logo"]))
    assert "@lgo" in done.stderr and "@logo" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jpg"
    done = run("render", "--image", f"BG={missing}", "--prompt", "@BG", "-o", str(tmp_path / "x.png"))
    refused(done, f"{missing}: cannot read the file (No such file or directory).")


def test_a_file_that_is_not_an_image(images: dict[str, Path], tmp_path: Path) -> None:
    done = run("render", "--image", f"BG={images['bad']}", "--prompt", "@BG", "-o", str(tmp_path / "x.png"))
    refused(done, message_of(load_image, images["bad"]))


def test_bad_suffix(images: dict[str, Path], tmp_path: Path) -> None:
    done = run("render", *image_args(images), "--prompt", SLIDE, "-o", str(tmp_path / "x.bmp"))
    refused(done, "Unknown output type '.bmp' — use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4.")


def test_a_still_format_for_an_animation(images: dict[str, Path], tmp_path: Path) -> None:
    done = run("render", *image_args(images), "--prompt", SLIDE, "-o", str(tmp_path / "x.jpg"))
    refused(done, message_of(check_format, parse(SLIDE, ["BG", "logo"]).scene, OutputFormat.JPEG))
    assert done.stderr.startswith("error: JPEG holds a single image — choose GIF, WebP, APNG or MP4")


def test_overrides_are_checked_against_the_limits(images: dict[str, Path], tmp_path: Path) -> None:
    done = run("render", *image_args(images), "--prompt", SLIDE, "-o", str(tmp_path / "x.gif"), "--fps", "500")
    scene = parse(SLIDE, ["BG", "logo"]).scene
    too_fast = dataclasses.replace(scene, timing=dataclasses.replace(scene.timing, fps=500.0))
    refused(done, message_of(check_limits, too_fast))


@pytest.mark.parametrize(
    ("image_arg", "message"),
    [
        ("logo", "--image expects TAG=PATH (e.g. --image logo=logo.png), got 'logo'."),
        ("=x.png", "--image expects TAG=PATH (e.g. --image logo=logo.png), got '=x.png'."),
    ],
)
def test_malformed_image_argument(image_arg: str, message: str, tmp_path: Path) -> None:
    refused(run("render", "--image", image_arg, "--prompt", "@logo", "-o", str(tmp_path / "x.png")), message)


def test_explain_prints_the_description(tmp_path: Path) -> None:
    prompt = "@BG is the background and @logo spins in the top right corner"
    done = run("explain", "--tags", "BG,logo", "--prompt", prompt)
    assert done.returncode == 0
    assert done.stdout.splitlines() == describe_scene(parse(prompt, ["BG", "logo"]).scene)
    assert done.stderr == ""


def test_explain_json_is_the_scene() -> None:
    done = run("explain", "--tags", "BG, logo", "--prompt", SLIDE, "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(parse(SLIDE, ["BG", "logo"]).scene.to_json())


def test_explain_reports_an_unknown_tag() -> None:
    prompt = "@BG and @lgo"
    refused(run("explain", "--tags", "BG,logo", "--prompt", prompt), message_of(parse, prompt, ["BG", "logo"]))


def test_argparse_errors_exit_2_with_usage() -> None:
    done = run("render", "--prompt", "@logo")
    assert done.returncode == 2
    assert "the following arguments are required: -o/--output" in done.stderr
    done = run("render", "--image", "a=b", "--prompt", "@a", "-o", "x.png", "--quality", "0")
    assert done.returncode == 2
    assert "argument --quality: '0' is not a whole number from 1 to 100" in done.stderr


def test_progress_bar_redraws_one_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    for done in range(1, 5):
        bar(done, 4)
    assert stream.getvalue() == (
        "\rrendering [##........] 1/4 frames"
        "\rrendering [#####.....] 2/4 frames"
        "\rrendering [#######...] 3/4 frames"
        "\rrendering [##########] 4/4 frames\n"
    )


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/x.gif", "Cannot write x.gif: the folder '{tmp}/missing' does not exist."),
        ("noext", "Output '{tmp}/noext' has no suffix — end it with one of .png .jpg .jpeg .webp .gif .apng .mp4."),
    ],
)
def test_output_path_problems(images: dict[str, Path], tmp_path: Path, output: str, message: str) -> None:
    done = run("render", *image_args(images), "--prompt", SLIDE, "-o", str(tmp_path / output), *SMALL)
    refused(done, message.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_cli_output_gets_an_ordinary_file_mode(tmp_path: Path) -> None:
    from imagegen.files import FILE_MODE

    image = tmp_path / "bg.png"
    Image.new("RGB", (40, 30), "blue").save(image)
    out = tmp_path / "out.png"
    done = subprocess.run(
        [sys.executable, "-m", "imagegen", "render", "--image", f"BG={image}", "--prompt", "@BG as background, 32x32",
         "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == FILE_MODE


def test_render_finds_the_photo_and_a_file_by_its_name(images: dict[str, Path], tmp_path: Path) -> None:
    # bg.jpg is the one opaque upload with no plain border, so "the photo" is @BG; "logo.png" is @logo
    out = tmp_path / "photo.png"
    prompt = "logo.png in the top left corner, the photo as background"
    done = run("render", *image_args(images), "--prompt", prompt, "--size", "160x120", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert 'note: "logo.png" = @logo.' in done.stderr and 'note: "the photo" = @BG.' in done.stderr
    with Image.open(out) as image:
        assert image.convert("RGB").getpixel((150, 110)) != (255, 255, 255)  # the photo covers the canvas
        red, green, _ = image.convert("RGB").getpixel((14, 11))  # the logo's red disc, top left
        assert red > 150 and green < 90

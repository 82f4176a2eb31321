"""One request, one file: the app (the service as the Compose page calls it), ``python -m imagegen render``
and a one-row ``python -m imagegen batch`` write byte-identical files and say the same lines.

The images are realistic: a JPEG photo (turned by its EXIF orientation), a logo with transparency, and a
product shot on white. Each request runs through all three entry points; the batch takes the requests it
can express (no edits, no timing settings, one size).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from imagegen.cli import main
from imagegen.export import OutputFormat
from imagegen.service import Overrides, RenderRequest
from imagegen.service.outputs import output_path, understand, write_outputs
from imagegen.service.request import notices_from_json
from imagegen.service.sizes import parse_sizes
from imagegen.store.assets import add_images
from tests.session_helpers import make_store


def _photo() -> Image.Image:
    """A landscape-like photo: a sky gradient, a sun, hills and grain."""
    rng = np.random.default_rng(7)
    height, width = 180, 240
    sky = np.linspace([40, 90, 170], [250, 190, 140], height)[:, None, :].repeat(width, axis=1)
    image = Image.fromarray((sky + rng.normal(0, 6, (height, width, 3))).clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 30, 190, 70), fill=(255, 230, 160))
    draw.polygon([(0, 180), (60, 110), (130, 150), (200, 100), (240, 140), (240, 180)], fill=(40, 90, 50))
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _logo() -> Image.Image:
    logo = Image.new("RGBA", (90, 90), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((4, 4, 86, 86), fill=(0, 85, 164, 255))
    draw.polygon([(45, 18), (70, 70), (20, 70)], fill=(255, 255, 255, 255))
    return logo


def _product() -> Image.Image:
    product = Image.new("RGB", (120, 160), "white")
    ImageDraw.Draw(product).rounded_rectangle((25, 20, 95, 150), 18, fill=(200, 40, 60), outline=(90, 10, 20), width=4)
    return product


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: the photo is shown rotated
    _photo().save(folder / "BG.jpg", quality=88, exif=exif)
    _logo().save(folder / "logo.png")
    _product().save(folder / "product.png")
    return folder


@dataclass(frozen=True)
class Case:
    prompt: str
    suffix: str = ".png"
    size: str | None = None
    duration: float | None = None
    fps: float | None = None
    then: tuple[str, ...] = ()
    sizes: str | None = None

    @property
    def batchable(self) -> bool:
        return not (self.then or self.sizes or self.duration or self.fps)


SMALL = "240x180"
CASES = [
    Case(f"{SMALL}, Place @product in center, @logo on top right, and @BG as background"),
    Case(f"{SMALL}, @BG is stable background and @logo is moving from left to right, 1 second at 8 fps", ".gif"),
    Case(f"{SMALL}, @BG as background, @logo fades in", ".gif", duration=1, fps=6),
    Case(f"{SMALL}, @BG as background, @product in the center", ".jpg"),
    Case(f"{SMALL}, @BG as background, @product in the center", ".webp"),
    Case(f"{SMALL}, @BG as background, @logo spins in the center, 1 second at 6 fps", ".apng"),
    Case(f"{SMALL}, @BG as background, @logo at the top left", ".mp4"),
    Case(f"{SMALL}, @BG as background, @logo at the top left", ".mp4", duration=1, fps=4),
    Case(f'{SMALL}, @BG as background, "Summer Sale -50%" at the top, white, bold, with a black outline'),
    Case(f'{SMALL}, @BG as background, "Shop now" uppercase on a red pill at the bottom'),
    Case(f'{SMALL}, @BG as background, "दिवाली सेल" in yellow at the top'),
    Case(f'{SMALL}, @BG as background, "تخفيضات الصيف" at the top'),
    Case(f"{SMALL}, @logo and @product side by side with a 24 px gap on white"),
    Case("grid of @BG, @logo and @product with 12 px gap and 8 px margin, 300x120"),
    Case(f"{SMALL}, slideshow of @BG and @product, 0.5 seconds each", ".gif", fps=4),
    Case(f"{SMALL}, @BG as background, @product in the center", size="160x200"),
    Case(f"{SMALL}, @BG as background, @logo top right", then=("make @logo bigger",)),
    Case(f"{SMALL}, @BG as background, @logo top right", then=("move @logo to the bottom left", "as MP4")),
    Case(f"{SMALL}, @BG as background, @logo top right", sizes="200x200,320x180"),
    Case("@logo and @product side by side with a 24 px gap on white", sizes="200x100,400x200"),
    Case(f"{SMALL}, remove the white background of @product, @product in the center over @BG"),
    Case(f"{SMALL}, @BG as background, @product small at the bottom right with a drop shadow", ".jpg"),
]


def _request(case: Case) -> RenderRequest:
    width, height = (int(v) for v in case.size.split("x")) if case.size else (0, 0)
    return RenderRequest(
        case.prompt,
        edits=case.then,
        overrides=Overrides(size=(width, height) if case.size else None, duration_s=case.duration, fps=case.fps),
        fmt=None if case.sizes else OutputFormat.from_suffix(case.suffix),
        sizes=tuple(parse_sizes(case.sizes)) if case.sizes else (),
    )


def _app(inputs: Path, root: Path, case: Case) -> tuple[list[bytes], list[str]]:
    session = make_store(root).create()
    add_images(session, [(p.name, p.read_bytes()) for p in sorted(inputs.iterdir())])
    understood = understand(session, _request(case))
    outputs = write_outputs(session, understood)
    design = [str(n) for o in outputs for n in notices_from_json(o.design)]  # seen in the rendered frames
    return [output_path(session, o).read_bytes() for o in outputs], [str(n) for n in understood.notices] + design


def _flags(case: Case) -> list[str]:
    flags = []
    for name, value in (("--size", case.size), ("--duration", case.duration), ("--fps", case.fps)):
        if value is not None:
            flags += [name, str(value)]
    for text in case.then:
        flags += ["--then", text]
    return flags + (["--sizes", case.sizes] if case.sizes else [])


def _cli(inputs: Path, out: Path, case: Case) -> tuple[list[bytes], list[str]]:
    images = [arg for tag, name in (("BG", "BG.jpg"), ("logo", "logo.png"), ("product", "product.png"))
              for arg in ("--image", f"{tag}={inputs / name}")]  # fmt: skip
    dest = out / "out" if case.sizes else out / f"out{case.suffix}"
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(["render", *images, "--prompt", case.prompt, "-o", str(dest), *_flags(case)], stdout, stderr)
    assert status == 0, stderr.getvalue()
    said = [line for line in stderr.getvalue().splitlines() if not line.startswith("  fix: ")]  # how to apply one
    return [Path(line).read_bytes() for line in stdout.getvalue().splitlines()], said


def _batch(inputs: Path, out: Path, case: Case) -> tuple[bytes, str]:
    recipe = out / "recipe.csv"
    recipe.write_text("name\nrow\n")
    flags = ["--format", case.suffix] + (["--size", case.size] if case.size else [])
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["batch", str(recipe), "--prompt", case.prompt, "--images", str(inputs), "-o", str(out / "b.zip")]
    status = main([*argv, "--workers", "1", *flags], stdout, stderr)
    assert status == 0, stderr.getvalue()
    with zipfile.ZipFile(out / "b.zip") as archive:
        (row,) = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
        return archive.read(row["file"]), row["message"]


def test_there_are_at_least_twenty_requests_of_every_kind() -> None:
    assert len(CASES) >= 20
    suffixes = {c.suffix for c in CASES}
    assert suffixes >= {".png", ".jpg", ".webp", ".gif", ".apng", ".mp4"}
    assert any(c.then for c in CASES) and any(c.sizes for c in CASES) and any('"' in c.prompt for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}{c.suffix}" for i, c in enumerate(CASES)])
def test_the_app_the_cli_and_the_batch_make_the_same_file_and_say_the_same(
    case: Case, inputs: Path, tmp_path: Path
) -> None:
    app_files, app_lines = _app(inputs, tmp_path / "app", case)
    cli_files, cli_lines = _cli(inputs, tmp_path, case)
    assert len(app_files) == len(cli_files) == (len(case.sizes.split(",")) if case.sizes else 1)
    assert [len(f) for f in app_files] == [len(f) for f in cli_files]
    assert app_files == cli_files, "the app and the command line wrote different bytes"
    assert app_lines == cli_lines
    if case.batchable:
        batch_file, batch_message = _batch(inputs, tmp_path, case)
        assert batch_file == app_files[0], "the batch wrote different bytes"
        # A batch is given only the images its prompt names, so it has no "Not used: @x" to say.
        said = [line.split(": ", 1)[1] for line in app_lines]
        assert batch_message == " ".join(line for line in said if not line.startswith("Not used:"))


@pytest.mark.parametrize("entry", ["app", "cli", "batch"])
def test_an_mp4_of_a_still_lasts_five_seconds_from_every_entry_point(entry: str, inputs: Path, tmp_path: Path) -> None:
    import imageio.v3 as iio

    case = Case(f"{SMALL}, @BG as background, @logo at the top left", ".mp4")
    data = {
        "app": lambda: _app(inputs, tmp_path / "app", case)[0][0],
        "cli": lambda: _cli(inputs, tmp_path, case)[0][0],
        "batch": lambda: _batch(inputs, tmp_path, case)[0],
    }[entry]()
    frames = sum(1 for _ in iio.imiter(data, extension=".mp4"))
    assert frames == 5 * 24, f"{entry}: {frames} frames"


@pytest.mark.parametrize("size", ["200x100", "400x200", "1000x500", "2000x500"])
def test_a_24_px_gap_is_24_px_at_every_size(size: str, inputs: Path, tmp_path: Path) -> None:
    """The grid's cells are filled (cover), so the canvas colour between them is exactly the gap."""
    case = Case("grid of @BG and @product with 24 px gap, background colour #00ff00", size=size)
    (data,), _ = _cli(inputs, tmp_path, case)
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    canvas_columns = np.all(np.abs(pixels - (0, 255, 0)) <= 2, axis=(0, 2))
    assert int(canvas_columns.sum()) == 24, f"{size}: {int(canvas_columns.sum())} px of gap"
    gap = np.flatnonzero(canvas_columns)
    assert gap[-1] - gap[0] == 23, "one run, between the two cells"

"""Bulk runs from a spreadsheet: CSV reading, the prompt template, per-row validation, the runners, the ZIP."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers_pixels import RED, centroid
from PIL import Image, ImageDraw, ImageSequence

from imagegen.batch import (
    ImageLibrary,
    library_from_folder,
    library_from_tags,
    plan_batch,
    read_manifest,
    read_recipe,
    read_template,
    run_batch,
    sample_recipe,
)
from imagegen.batch.recipe import RowError
from imagegen.errors import BatchError, LimitError
from imagegen.export import OutputFormat
from imagegen.export.thumbs import thumbnail_png
from imagegen.limits import Limits

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "@BG as background, @{product} in the center, @logo on the {corner}, 160x120"
CORNERS = ["top left", "top right", "bottom left", "bottom right"]
SHADES = [(30 + 40 * i, 160, 60) for i in range(5)]  # five green-ish products, told apart by red channel


def photo(size: tuple[int, int] = (320, 240), seed: int = 1) -> Image.Image:
    """Photo-like: a blue gradient with noise (never red)."""
    w, h = size
    ramp = np.linspace(0, 1, w)[None, :].repeat(h, 0)
    rng = np.random.default_rng(seed)
    rgb = np.stack([ramp * 40, ramp * 60 + 40, 150 + ramp * 80], axis=-1) + rng.normal(0, 5, (h, w, 3))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def logo() -> Image.Image:
    image = Image.new("RGB", (80, 80), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((0, 0, 79, 79), fill=RED[:3])
    return image


def product(shade: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", (90, 60), shade)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    photo().save(folder / "BG.jpg", quality=92)
    logo().save(folder / "logo.png")
    (folder / "shoes").mkdir()
    for index, shade in enumerate(SHADES):
        product(shade).save(folder / "shoes" / f"shoe{index}.png")
    (folder / "notes.txt").write_text("not an image")
    return folder


def fifty_rows() -> str:
    lines = ["product,corner,price"]
    lines += [f"shoe{i % 5}.png,{CORNERS[i % 4]},${i}.99" for i in range(50)]
    return "\n".join(lines) + "\n"


def members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def corner_of(point: tuple[float, float], size: tuple[int, int]) -> str:
    x, y = point
    return f"{'top' if y < size[1] / 2 else 'bottom'} {'left' if x < size[0] / 2 else 'right'}"


# --- a whole batch ------------------------------------------------------------------------------------
def test_fifty_rows_render_on_the_local_pool_and_the_manifest_matches(folder: Path, tmp_path: Path) -> None:
    recipe = read_recipe(fifty_rows())
    plan = plan_batch(recipe, PROMPT, library_from_folder(folder))
    assert (len(plan.jobs), plan.errors, plan.rows) == (50, (), 50)

    report = run_batch(plan, tmp_path / "out.zip", workers=2)

    files = members(report.zip)
    manifest = read_manifest(files.pop("manifest.csv"))
    assert [int(m["row"]) for m in manifest] == list(range(2, 52))
    assert {m["status"] for m in manifest} == {"ok"}
    assert sorted(files) == sorted(m["file"] for m in manifest)
    assert report.written == tuple((int(m["row"]), m["file"]) for m in manifest)
    for entry in manifest:
        index = int(entry["row"]) - 2
        with Image.open(io.BytesIO(files[entry["file"]])) as image:
            assert (image.format, image.size) == ("PNG", (160, 120))
            rgb = image.convert("RGB")
        assert rgb.getpixel((80, 60)) == SHADES[index % 5], f"row {entry['row']}: its own product in the centre"
        red = centroid(rgb.convert("RGBA"), RED)
        assert red is not None and corner_of(red, rgb.size) == CORNERS[index % 4], f"row {entry['row']}: the corner"


@pytest.mark.parametrize("spec", [None, "some_tool"], ids=["script-like-streamlit", "run-as-module"])
def test_pool_workers_never_run_the_callers_main_script(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str | None
) -> None:
    """`streamlit run app.py` installs app.py as ``__main__`` (a module with ``__file__``, no spec); a worker
    that re-ran it opened an empty session folder and logged "missing ScriptRunContext"."""
    import importlib.machinery
    import types

    marker = tmp_path / "main-was-run"
    script = tmp_path / "app_like.py"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    main.__spec__ = importlib.machinery.ModuleSpec(spec, None) if spec else None
    monkeypatch.setitem(sys.modules, "__main__", main)
    if spec:
        monkeypatch.syspath_prepend(str(tmp_path))
        (tmp_path / f"{spec}.py").write_text(script.read_text())
    lines = ["product,corner"] + [f"shoe{i}.png,{CORNERS[i % 4]}" for i in range(4)]
    plan = plan_batch(read_recipe("\n".join(lines)), PROMPT, library_from_folder(folder))

    report = run_batch(plan, tmp_path / "out.zip", workers=2)

    assert len(report.written) == 4 and not report.errors
    assert not marker.exists(), "a worker ran the caller's main script"
    assert main.__spec__ is None if spec is None else main.__spec__.name == spec, "the main module is left as it was"


def test_bad_rows_are_reported_by_row_and_column_and_good_rows_still_render(folder: Path, tmp_path: Path) -> None:
    csv_text = "\n".join(
        [
            "product,corner,size,format",
            "shoe1.png,top left,,",  # 2 ok
            "shoe9.png,top left,,",  # 3 missing image
            ",top left,,",  # 4 empty image cell
            "shoe2.png,top left,huge,",  # 5 bad size
            "shoe2.png,top left,,bmp",  # 6 bad format
            ",,,",  # 7 empty row
            "notes.txt,top left,,",  # 8 not an image
            "shoe3,bottom right,story,jpg",  # 9 ok: name without suffix, its own size and format
            "shoe1.png,top left,,,surplus",  # 10 too many cells
            "shoe4.png,top left,9000x10,",  # 11 size beyond the limit
        ]
    )
    plan = plan_batch(read_recipe(csv_text), PROMPT, library_from_folder(folder))
    by_row = {e.row: e for e in plan.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 10, 11]
    assert str(by_row[3]) == "row 3, column 'product': 'shoe9.png' is not in the folder '" + str(folder) + "'."
    assert str(by_row[4]).startswith("row 4, column 'product': is empty — write the image's file name")
    assert str(by_row[5]).startswith("row 5, column 'size': \"huge\" is not a canvas size")
    assert str(by_row[6]).startswith("row 6, column 'format': Unknown output type 'bmp'")
    assert str(by_row[7]) == "row 7: is empty — skipped."
    assert "row 8, column 'product': the image 'notes.txt' cannot be used: it is not a PNG, JPEG" in str(by_row[8])
    assert str(by_row[10]) == "row 10: has 5 cells but the header names 4 columns."
    assert str(by_row[11]).startswith("row 11, column 'size': Canvas 9000x10 is too large")

    report = run_batch(plan, tmp_path / "out.zip")
    files = members(report.zip)
    manifest = {int(m["row"]): m for m in read_manifest(files.pop("manifest.csv"))}
    assert sorted(manifest) == list(range(2, 12))
    assert [r for r, m in manifest.items() if m["status"] == "ok"] == [2, 9]
    assert manifest[7]["status"] == "skipped" and manifest[10]["status"] == "skipped"
    assert manifest[5] == {"row": "5", "status": "error", "file": "", "message": "column 'size': " + by_row[5].message}
    with Image.open(io.BytesIO(files[manifest[9]["file"]])) as image:
        assert (image.format, image.size) == ("JPEG", (1080, 1920))


def test_a_row_whose_text_breaks_the_prompt_names_the_row_and_its_prompt(folder: Path) -> None:
    csv_text = "product,corner\nshoe1.png,top right\nshoe1.png,@ghost\n"
    plan = plan_batch(read_recipe(csv_text), PROMPT, library_from_folder(folder))
    assert len(plan.jobs) == 1
    (error,) = plan.errors
    assert (error.row, error.column) == (3, None)
    assert "Unknown tag @ghost" in error.message
    assert "(the row's prompt: @BG as background, @product in the center, @logo on the @ghost" in error.message


def test_rows_name_their_files_and_a_name_column_wins(folder: Path) -> None:
    csv_text = "product,name,corner\nshoe1.png,Spring sale/1,top left\nshoe1.png,,top left\nshoe2.png,,top left\n"
    plan = plan_batch(read_recipe(csv_text), PROMPT, library_from_folder(folder), fmt=OutputFormat.WEBP)
    assert [j.file for j in plan.jobs] == ["1.webp", "row00003-shoe1.webp", "row00004-shoe2.webp"]


def test_a_gif_row_is_an_animation(folder: Path, tmp_path: Path) -> None:
    prompt = "@BG as background and @{product} slides from left to right, 80x60, 1 second at 5 fps, play once"
    csv_text = "product\nshoe0.png\nshoe1.png\n"
    report = run_batch(plan_batch(read_recipe(csv_text), prompt, library_from_folder(folder)), tmp_path / "g.zip")
    files = members(report.zip)
    with Image.open(io.BytesIO(files["row00002-shoe0.gif"])) as gif:
        assert sum(1 for _ in ImageSequence.Iterator(gif)) == 5


# --- the CSV ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "columns", "rows"),
    [
        ("a,b\n1,2\n", ("a", "b"), [{"a": "1", "b": "2"}]),
        ("\ufeffa;b\n1;2\n", ("a", "b"), [{"a": "1", "b": "2"}]),  # Excel in many locales: BOM and ;
        ("a\tb\n1\t2\n", ("a", "b"), [{"a": "1", "b": "2"}]),
        (" a , b ,,\n1,2\n", ("a", "b"), [{"a": "1", "b": "2"}]),  # spaces and trailing empty header cells
        ("a,b\n1\n", ("a", "b"), [{"a": "1", "b": ""}]),  # spreadsheets drop trailing empty cells
        ('a,b\n"x, y","line1\nline2"\n', ("a", "b"), [{"a": "x, y", "b": "line1\nline2"}]),
        ("name,price\nCafé,3€\n".encode("cp1252"), ("name", "price"), [{"name": "Café", "price": "3€"}]),
    ],
)
def test_read_recipe(data: str | bytes, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    recipe = read_recipe(data)
    assert recipe.columns == columns
    assert [values for _, values in recipe.rows] == rows


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "the CSV is empty — it needs a header row"),
        ("a,b\n", "the CSV has a header but no rows"),
        ("a,,b\n1,2,3\n", "column 2 of the header has no name"),
        ("a,A\n1,2\n", "two columns are called 'A'"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the CSV is not a CSV text file"),
        ('a,b\n"1,2\n', "cannot be read as CSV"),
    ],
)
def test_read_recipe_refuses_what_it_cannot_use(data: str | bytes, message: str) -> None:
    with pytest.raises(BatchError, match=message):
        read_recipe(data)


def test_the_row_limit_is_named_and_checked_before_any_row_is_used() -> None:
    text = "a\n" + "x\n" * 6
    assert len(read_recipe(text, limits=Limits(max_batch_rows=6)).rows) == 6
    with pytest.raises(LimitError, match=r"more than 5 rows — at most 5 per batch \(IMAGEGEN_MAX_BATCH_ROWS\)"):
        read_recipe(text, limits=Limits(max_batch_rows=5))
    assert Limits().max_batch_rows == 10_000


# --- the prompt template ------------------------------------------------------------------------------
def test_template_finds_image_and_text_columns_and_literal_braces() -> None:
    recipe = read_recipe("Product,price,corner\nx,1,top\n")
    template = read_template("@{ product } at the {corner}, {{sale}} @logo '{price}'", recipe)
    assert template.image_columns == {"Product": "Product"}
    assert template.text_columns == ("corner", "price")
    assert template.fixed_tags == ("logo",)
    assert template.fill({"Product": "a.png", "price": "9", "corner": "top"}) == "@Product at the top, {sale} @logo '9'"


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ("@{prodcut} in the center", r"The prompt's \{prodcut\} has no column in the CSV \(its columns: product, "
         r"price, Main image\). Did you mean \{product\}\?"),
        ("@{product} at {", r"a '\{' without its partner at character 15"),
        ("@{product} costs {product}", r"Column 'product' is used both as an image"),
        ("@{Main image} here", None),
        ("@{product} and @product", r"@product in the prompt is also the image column 'product'"),
    ],
)  # fmt: skip
def test_template_errors_say_what_would_work(prompt: str, message: str | None) -> None:
    recipe = read_recipe("product,price,Main image\nx,1,y\n")
    if message is None:
        assert read_template(prompt, recipe).image_columns == {"Main image": "Main_image"}
        return
    with pytest.raises(BatchError, match=message):
        read_template(prompt, recipe)


def test_a_fixed_image_missing_from_the_images_stops_the_batch(folder: Path) -> None:
    with pytest.raises(BatchError, match=r"The prompt's @brand: 'brand' is not in the folder"):
        plan_batch(read_recipe("product\nshoe1.png\n"), "@brand and @{product}", library_from_folder(folder))


def test_the_sessions_images_are_found_by_tag_or_file_name(folder: Path) -> None:
    library = library_from_tags([("logo", "Logo Final.png", folder / "logo.png")])
    assert library.find("LOGO") == folder / "logo.png"
    assert library.find("logo final.png") == folder / "logo.png"
    with pytest.raises(BatchError, match=r"'lgo' is not in this session's images\. Did you mean 'logo'"):
        library.find("lgo")


def test_an_ambiguous_file_name_asks_for_the_folder(tmp_path: Path) -> None:
    library = ImageLibrary("the ZIP", {"a/x.png": tmp_path / "1", "b/x.png": tmp_path / "2"})
    assert library.find("b/x.png") == tmp_path / "2"
    with pytest.raises(BatchError, match=r"'x.png' matches several images \(a/x.png, b/x.png\)"):
        library.find("x.png")


def test_row_error_text() -> None:
    assert str(RowError(4, "price", "is empty.")) == "row 4, column 'price': is empty."
    assert str(RowError(4, None, "is empty.")) == "row 4: is empty."


# --- the command line ---------------------------------------------------------------------------------
def test_cli_batch_with_a_zip_of_images(folder: Path, tmp_path: Path) -> None:
    images = tmp_path / "images.zip"
    with zipfile.ZipFile(images, "w") as archive:
        for path in folder.rglob("*.*"):
            archive.write(path, path.relative_to(folder).as_posix())
    recipe = tmp_path / "recipe.csv"
    recipe.write_text("product,corner\nshoe0.png,top left\nshoe7.png,top left\nshoes/shoe1.png,bottom right\n")
    out = tmp_path / "out.zip"
    done = subprocess.run(
        [sys.executable, "-m", "imagegen", "batch", str(recipe), "--prompt", PROMPT, "--images", str(images),
         "-o", str(out), "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}\n"
    assert "warning: row 3, column 'product': 'shoe7.png' is not in images.zip." in done.stderr
    assert "2 of 3 rows rendered, 1 reported in manifest.csv" in done.stderr
    files = members(out)
    assert sorted(files) == ["manifest.csv", "row00002-shoe0.png", "row00004-shoe1.png"]


def test_cli_batch_with_no_renderable_row_writes_nothing(folder: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.csv"
    recipe.write_text("product,corner\nnothing.png,top left\n")
    out = tmp_path / "out.zip"
    done = subprocess.run(
        [sys.executable, "-m", "imagegen", "batch", str(recipe), "--prompt", PROMPT, "--images", str(folder),
         "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    last = done.stderr.splitlines()[-1]
    assert last == "error: No row of recipe.csv can be rendered (see the warnings); nothing was written."
    assert not out.exists()


def test_the_dask_scheduler_comes_from_the_flag_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from imagegen.batch import dask_address

    monkeypatch.delenv("IMAGEGEN_DASK_SCHEDULER", raising=False)
    assert dask_address() is None
    monkeypatch.setenv("IMAGEGEN_DASK_SCHEDULER", "tcp://scheduler:8786")
    assert dask_address() == "tcp://scheduler:8786"
    assert dask_address("tcp://other:8786") == "tcp://other:8786"


# --- the sample CSV and the previews ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prompt", "images", "expected_prompt", "expected_csv"),
    [
        (
            "",
            ["BG", "logo", "shoe", "bag"],
            '@BG as background, @{product} in the center, @logo on the {corner}, "{headline}" at the bottom, 1080x1080',
            [
                "product,corner,headline,name",
                "shoe,top right,Summer Sale,variant-1",
                "bag,top left,New arrivals,variant-2",
                "shoe,bottom right,Last chance,variant-3",
            ],
        ),
        (
            "@{shoe} on the left, price {Price}, {size}",
            ["BG", "logo"],
            "@{shoe} on the left, price {Price}, {size}",
            [
                "shoe,Price,size,name",
                "BG,$19.99,instagram,variant-1",
                "logo,$24.99,story,variant-2",
                "BG,$29.99,facebook,variant-3",
            ],
        ),
        (
            "@logo over @{hero}, {mood} mood, {name}",
            ["logo", "red"],
            "@logo over @{hero}, {mood} mood, {name}",
            ["hero,mood,name", "red,mood 1,name 1", "red,mood 2,name 2", "red,mood 3,name 3"],
        ),
        (
            "a stray { brace",
            [],
            '@{product} in the center, "{headline}" at the bottom, 1080x1080',
            [
                "product,headline,name",
                "shoe.png,Summer Sale,variant-1",
                "bag.png,New arrivals,variant-2",
                "hat.png,Last chance,variant-3",
            ],
        ),
    ],
    ids=["proposed", "the-prompts-columns", "fixed-tag-not-cycled", "stray-brace-proposes"],
)
def test_the_sample_csv_has_a_column_per_placeholder(
    prompt: str, images: list[str], expected_prompt: str, expected_csv: list[str]
) -> None:
    roles = {role: tag if tag in images else None for role, tag in (("background", "BG"), ("logo", "logo"))}
    sample = sample_recipe(prompt, images, **roles)
    assert sample.prompt == expected_prompt
    assert sample.csv.splitlines() == expected_csv


def test_the_proposed_sample_plans_without_a_bad_row(folder: Path) -> None:
    names = ["BG.jpg", "logo.png", "shoe0.png", "shoe1.png"]
    library = library_from_folder(folder)
    sample = sample_recipe(
        "", [n.removesuffix(".png").removesuffix(".jpg") for n in names], background="BG", logo="logo"
    )
    plan = plan_batch(read_recipe(sample.csv), sample.prompt, library)
    assert (len(plan.jobs), plan.errors) == (3, ())
    assert [job.file for job in plan.jobs] == ["variant-1.png", "variant-2.png", "variant-3.png"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_a_rows_preview_is_a_small_png_of_its_first_frame(fmt: str) -> None:
    image = photo((640, 320))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    preview = thumbnail_png(buffer.getvalue(), 160)
    assert preview is not None
    with Image.open(io.BytesIO(preview)) as small:
        assert (small.format, small.size) == ("PNG", (160, 80))


def test_an_mp4_row_has_no_preview() -> None:
    assert thumbnail_png(b"\x00\x00\x00\x18ftypmp42" + bytes(64)) is None

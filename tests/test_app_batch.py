"""AppTest: Compose in several sizes, and the Batch page (CSV + ZIP -> checked rows -> ZIP with a manifest)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from apptest_helpers import png_bytes, session_of, with_images
from PIL import Image
from streamlit.testing.v1 import AppTest

from imagegen.batch import read_manifest
from imagegen.scene import Scene
from imagegen.ui.batch import _sample as sample_of
from imagegen.ui.sizes import GROUP_KEY

STILL = "Place @product in center, @logo on top right, and @BG as background"


def test_compose_renders_three_sizes_side_by_side_with_a_zip(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/compose.py")
    at.text_area(key="compose_prompt").input(STILL).run()
    options = at.multiselect(key="compose_sizes").options
    assert "story (1080×1920)" in options and "linkedin (1200×627)" in options
    at.multiselect(key="compose_sizes").select("instagram (1080×1080)").select("story (1080×1920)").select(
        "linkedin (1200×627)"
    ).run()
    at.button(key="compose_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    session = session_of(at, data_dir)
    outputs = session.manifest().outputs
    assert len(outputs) == 3
    assert [Scene.from_json(o.scene_json).canvas.size for o in outputs] == [(1080, 1080), (1080, 1920), (1200, 627)]
    assert at.session_state[GROUP_KEY] == [o.id for o in outputs]
    shown = [m.value for m in at.markdown]  # each size is labelled with its preset and pixels above its preview
    assert [m for m in shown if "×" in m and "·" in m][-3:] == [
        "**instagram** · 1080×1080",
        "**story** · 1080×1920",
        "**linkedin** · 1200×627",
    ], shown
    labels = [b.label for b in at.get("download_button")]
    assert labels[0].startswith("Download all 3 sizes (ZIP")


def _csv(text: str) -> tuple[str, bytes, str]:
    return ("recipe.csv", text.encode(), "text/csv")


def _zip(**files: bytes) -> tuple[str, bytes, str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"{name}.png", data)
    return ("shoes.zip", buffer.getvalue(), "application/zip")


def test_batch_page_checks_every_row_and_renders_the_good_ones(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    assert at.title[0].value == "Batch from a spreadsheet"
    at.get("file_uploader")[0].set_value(_csv("shoe,corner\nred.png,top left\nblue.png,bottom right\npink.png,top\n"))
    at.get("file_uploader")[1].set_value(_zip(red=png_bytes((60, 40), "red"), blue=png_bytes((60, 40), "blue")))
    at.text_area(key="batch_prompt").input("@BG as background, @{shoe} in the center, @logo on the {corner}, 120x90")
    at.run()
    assert not at.exception
    assert "3 rows" in at.caption[1].value
    assert at.warning[0].value == "1 of 3 rows cannot be rendered — the other 2 can:"
    errors = at.dataframe[0].value
    assert list(errors["row"]) == [4] and list(errors["column"]) == ["shoe"]
    assert "'pink.png' is not in shoes.zip or this session's images" in errors["problem"][0]

    at.button(key="batch_go").click().run()
    assert not at.exception and not at.error
    assert at.success[-1].value.startswith("2 of 3 rows rendered in ")
    zip_path = session_of(at, data_dir).dir / "batch.zip"
    with zipfile.ZipFile(zip_path) as archive:
        names = sorted(archive.namelist())
        manifest = read_manifest(archive.read("manifest.csv"))
        with Image.open(io.BytesIO(archive.read("row00002-red.png"))) as image:
            assert image.size == (120, 90)
            assert image.convert("RGB").getpixel((60, 45)) == (255, 0, 0)
    assert names == ["manifest.csv", "row00002-red.png", "row00003-blue.png"]
    assert [(m["row"], m["status"]) for m in manifest] == [("2", "ok"), ("3", "ok"), ("4", "error")]


def test_batch_page_says_which_placeholder_has_no_column(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    at.get("file_uploader")[0].set_value(_csv("shoe\nlogo\n"))
    at.text_area(key="batch_prompt").input("@{shoes} in the center")
    at.run()
    expected = "The prompt's {shoes} has no column in the CSV (its columns: shoe). Did you mean {shoe}?"
    assert expected in at.error[0].value
    at.button(key="batch_go").click().run()
    assert [e.value for e in at.error] == [expected], "the click renders nothing and says the same once"
    assert not (session_of(at, data_dir).dir / "batch.zip").exists()


def test_batch_page_with_no_renderable_row_says_so_and_renders_nothing(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    at.get("file_uploader")[0].set_value(_csv("shoe\nnothing.png\n"))
    at.text_area(key="batch_prompt").input("@{shoe} in the center")
    at.run()
    assert at.error[0].value == "None of the 1 rows can be rendered:"
    assert list(at.dataframe[0].value["row"]) == [2]
    at.button(key="batch_go").click().run()
    assert not at.exception and not at.success
    assert not (session_of(at, data_dir).dir / "batch.zip").exists()


@pytest.mark.parametrize(
    ("csv", "prompt", "expected"),
    [
        (None, "@{shoe} in the center", "Upload the spreadsheet first (CSV) — or download the sample above."),
        ("shoe\nred.png\n", "  ", "Write the prompt first: it names the CSV's columns as {column}, e.g. "),
    ],
    ids=["no-csv", "no-prompt"],
)
def test_render_is_never_disabled_and_says_what_is_missing(
    data_dir: Path, csv: str | None, prompt: str, expected: str
) -> None:
    at = with_images(data_dir, "pages/batch.py")
    assert not at.button(key="batch_go").disabled
    if csv:
        at.get("file_uploader")[0].set_value(_csv(csv))
    at.text_area(key="batch_prompt").input(prompt)
    at.button(key="batch_go").click().run()
    assert not at.exception
    assert [e.value for e in at.error if e.value.startswith(expected)], [e.value for e in at.error]


def test_the_prompt_typed_and_render_clicked_in_one_run_renders_with_previews(data_dir: Path) -> None:
    """What a browser sends when the button is clicked while the prompt box still has the focus: the new
    prompt and the click in one rerun. It renders at once, and shows a thumbnail per row."""
    at = with_images(data_dir, "pages/batch.py")
    at.get("file_uploader")[0].set_value(_csv("shoe,corner\nproduct,top left\nlogo,bottom right\n"))
    at.run()
    at.text_area(key="batch_prompt").input("@BG as background, @{shoe} in the center, @BG on the {corner}, 120x90")
    at.button(key="batch_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[-1].value.startswith("2 of 2 rows rendered in ")
    previews = [img for element in at.get("image") for img in element.proto.imgs]
    assert [img.caption for img in previews] == ["row 2 · row00002-product.png", "row 3 · row00003-logo.png"]


def test_the_sample_csv_fits_the_prompt_it_comes_with_and_renders(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    assert [b.proto.label for b in at.get("download_button")] == ["Download a sample CSV"]
    assert _sample_csv(at, data_dir).splitlines() == [
        "product,corner,headline,name",
        "product,top right,Summer Sale,variant-1",
        "product,top left,New arrivals,variant-2",
        "product,bottom right,Last chance,variant-3",
    ]
    at.button(key="batch_sample_prompt").click().run()
    assert at.text_area(key="batch_prompt").value == (
        '@BG as background, @{product} in the center, @logo on the {corner}, "{headline}" at the bottom, 1080x1080'
    )
    at.get("file_uploader")[0].set_value(_csv(_sample_csv(at, data_dir)))
    at.button(key="batch_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[-1].value.startswith("3 of 3 rows rendered in ")
    with zipfile.ZipFile(session_of(at, data_dir).dir / "batch.zip") as archive:
        assert sorted(archive.namelist()) == ["manifest.csv", "variant-1.png", "variant-2.png", "variant-3.png"]


def test_the_sample_csv_follows_the_prompts_own_columns(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    at.text_area(key="batch_prompt").input("@BG as background, @{shoe} on the {corner}, '{price}' at the top").run()
    assert _sample_csv(at, data_dir).splitlines() == [
        "shoe,corner,price,name",
        "logo,top right,$19.99,variant-1",
        "product,top left,$24.99,variant-2",
        "logo,bottom right,$29.99,variant-3",
    ]
    at.button(key="batch_sample_prompt").click().run()
    assert at.text_area(key="batch_prompt").value == "@BG as background, @{shoe} on the {corner}, '{price}' at the top"


def _sample_csv(at: AppTest, data_dir: Path) -> str:
    """The sample the page offers (AppTest cannot fetch a download's bytes: the browser test does)."""
    return sample_of(session_of(at, data_dir), at.text_area(key="batch_prompt").value or "").csv

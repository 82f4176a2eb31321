"""AppTest: Compose in several sizes, and the Batch page (CSV + ZIP -> checked rows -> ZIP with a manifest)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from apptest_helpers import png_bytes, session_of, with_images
from PIL import Image

from imagegen.batch import read_manifest
from imagegen.scene import Scene
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
    captions = [img.caption for element in at.get("image") for img in element.proto.imgs]
    assert [c for c in captions if c in {o.file for o in outputs}] == [o.file for o in outputs], captions
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
    assert at.button(key="batch_go").disabled


def test_batch_page_with_no_renderable_row_says_so_and_disables_render(data_dir: Path) -> None:
    at = with_images(data_dir, "pages/batch.py")
    at.get("file_uploader")[0].set_value(_csv("shoe\nnothing.png\n"))
    at.text_area(key="batch_prompt").input("@{shoe} in the center")
    at.run()
    assert at.error[0].value == "None of the 1 rows can be rendered:"
    assert list(at.dataframe[0].value["row"]) == [2]
    assert at.button(key="batch_go").disabled

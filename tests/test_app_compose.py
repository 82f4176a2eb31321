"""AppTest: the Compose page — chips, examples, understanding, errors, generate, preview, history."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from apptest_helpers import new_app, png_bytes, session_id, session_of, with_images
from PIL import Image
from streamlit.testing.v1 import AppTest

from imagegen.export.naming import slugged_name
from imagegen.files import format_bytes
from imagegen.service import outputs as outputs_module
from imagegen.service.outputs import ZIP_NAME, zip_outputs
from imagegen.store.assets import add_images
from imagegen.store.session import Output
from imagegen.ui.compose import _relative_size

PAGE = "pages/compose.py"
STILL = "Place @product in center, @logo on top right, and @BG as background"


def compose_with_images(data_dir: Path) -> AppTest:
    """A session holding @BG (opaque), @logo (red disc) and @product (green disc), on the Compose page."""
    return with_images(data_dir, PAGE)


def set_prompt(at: AppTest, text: str) -> AppTest:
    at.text_area(key="compose_prompt").input(text).run()
    return at


def test_without_images_it_says_to_upload_first(data_dir: Path) -> None:
    at = new_app(PAGE)
    assert at.info[0].value == "Upload a few images first; then describe here how to combine them."
    assert not at.text_area


def chips(at: AppTest):  # AppTest's ButtonGroup
    return at.button_group(key="compose_chips")


def test_tag_chips_insert_tags_into_the_prompt(data_dir: Path) -> None:
    at = compose_with_images(data_dir)
    assert chips(at).options == ["@BG", "@logo", "@product"]
    chips(at).set_value("product").run()
    chips(at).set_value("logo").run()
    assert at.text_area(key="compose_prompt").value == "@product @logo "
    assert chips(at).value is None, "a chip is an action: nothing stays selected"
    chips(at).set_value("product").run()
    assert at.text_area(key="compose_prompt").value == "@product @logo @product "


def test_nine_tags_each_show_on_their_own_chip(data_dir: Path) -> None:
    at = new_app()
    names = [
        f"photo_{n}_{colour}"
        for n, colour in enumerate(["red", "green", "blue", "gold", "navy", "pink", "teal", "gray", "tan"])
    ]
    add_images(
        session_of(at, data_dir), [(f"{name}.png", png_bytes((20, 20), name.rsplit("_", 1)[1])) for name in names]
    )
    at.switch_page(PAGE).run()
    assert chips(at).options == [f"@{name}" for name in names]


def test_examples_use_the_sessions_tags_and_fill_the_prompt(data_dir: Path) -> None:
    at = compose_with_images(data_dir)
    examples = [b for b in at.button if b.key and b.key.startswith("compose_example_")]
    assert examples[0].label == "Still: Place @product in center, @logo on top right, and @BG as background"
    examples[1].click().run()
    assert at.text_area(key="compose_prompt").value == (
        "@BG is stable background and @logo is moving from left to right"
    )
    assert not at.error


def test_understanding_is_shown_before_generating(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    understood = " ".join(m.value for m in at.markdown)
    assert "How this prompt is understood" in understood
    assert "@logo" in understood and "top right" in understood
    assert not at.button(key="compose_go").disabled


def test_unknown_tag_error_names_it_and_generate_renders_nothing(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Place @lgo on top right")
    assert at.error[0].value.startswith("Unknown tag @lgo. Did you mean @logo?")
    at.button(key="compose_go").click().run()
    assert at.warning[0].value == "Nothing was rendered: fix the prompt as shown above, then click Generate again."
    assert session_of(at, data_dir).manifest().outputs == ()
    assert at.text_area(key="compose_prompt").value == "Place @lgo on top right"


def test_generate_is_never_disabled_and_reads_the_prompt_of_its_own_click(data_dir: Path) -> None:
    at = compose_with_images(data_dir)
    assert not at.button(key="compose_go").disabled, "an empty box must not disable the button"
    at.button(key="compose_go").click().run()
    assert at.warning[0].value == "Write a prompt first — mention each image by its @tag."
    # The browser sends the typed text with the click (the click blurs the box): one run, both values.
    at.text_area(key="compose_prompt").input(STILL)
    at.button(key="compose_go").click().run()
    assert not at.exception
    [output] = session_of(at, data_dir).manifest().outputs
    assert output.prompt == STILL


def test_after_a_refresh_the_prompt_and_the_last_preview_come_back(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    set_prompt(at, "@logo spins in the center")  # typed after the render, not generated yet
    # A refresh: a new browser session (empty session_state), the same ?s= link.
    again = new_app(PAGE, query={"s": session_id(at)})
    assert session_id(again) == session_id(at)
    assert again.text_area(key="compose_prompt").value == "@logo spins in the center"
    labels = [b.label for b in again.get("download_button")]
    assert f"Download PNG ({format_bytes(output.bytes)})" in labels
    captions = [caption for image in again.get("image") for caption in image.captions]
    assert any(caption.startswith(output.file) for caption in captions), captions


def test_generate_still_writes_png_shows_preview_and_history(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    assert not at.exception
    session = session_of(at, data_dir)
    [output] = session.manifest().outputs
    assert output.prompt == STILL
    path = session.outputs / output.file
    image = Image.open(path)
    assert (image.format, image.size) == ("PNG", (1080, 1080))
    assert image.convert("RGB").getpixel((540, 540)) == (0, 128, 0)
    assert re.fullmatch(r"\d{8}-\d{6}-[\w-]*\.png", output.file), output.file
    labels = [b.label for b in at.get("download_button")]
    assert f"Download PNG ({output.bytes / 1024:.1f} KB)" in labels
    assert any(b.label.startswith("Make a ZIP of all (1 file,") for b in at.button)
    assert at.get("image"), "the preview is shown"


def test_generate_animation_writes_a_gif_with_every_frame(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@BG is stable background and @logo is moving from left to right")
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    gif = Image.open(session_of(at, data_dir).outputs / output.file)
    assert gif.format == "GIF"
    # 48 frames drawn (2 s at 24 fps, there and back); the GIF holds 45 (identical neighbours merged, durations
    # summed): the record and the preview say what the file holds, and why it is fewer.
    assert output.frames == gif.n_frames == 45
    [preview, _] = at.get("image")
    assert preview.captions[0] == f"{output.file} · GIF, 45 frames (48 drawn, identical ones merged), 2 s, " + (
        format_bytes(output.bytes)
    )


def test_advanced_options_choose_format_and_canvas(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Place @product in center and @BG as background")
    at.selectbox(key="compose_format").select("JPEG").run()
    at.selectbox(key="compose_canvas").select("facebook (1200×630)").run()
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    image = Image.open(session_of(at, data_dir).outputs / output.file)
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_custom_canvas_size_overrides_the_prompt(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Place @product in center and @BG as background, square")
    at.selectbox(key="compose_canvas").select("Custom size").run()
    at.number_input(key="compose_width").set_value(320).run()
    at.number_input(key="compose_height").set_value(200).run()
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    assert Image.open(session_of(at, data_dir).outputs / output.file).size == (320, 200)


def test_render_limit_errors_show_and_keep_the_session(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@logo spins in the center over 20 seconds")
    at.number_input(key="compose_fps").set_value(60).run()
    assert "600" in at.error[0].value, at.error[0].value  # said before Generate, which cannot start it
    at.button(key="compose_go").click().run()
    assert at.warning[0].value.startswith("Nothing was rendered")
    assert session_of(at, data_dir).manifest().outputs == ()
    assert at.text_area(key="compose_prompt").value == "@logo spins in the center over 20 seconds"


def test_history_reuses_a_prompt_and_deletes_an_output(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Place @product in center and @BG as background")
    at.button(key="compose_go").click().run()
    session = session_of(at, data_dir)
    [output] = session.manifest().outputs
    set_prompt(at, "@logo in the middle")
    at.button(key=f"history_reuse_{output.id}").click().run()
    assert at.text_area(key="compose_prompt").value == "Place @product in center and @BG as background"
    at.button(key=f"history_delete_{output.id}").click().run()
    assert session.manifest().outputs == (output,), "Delete asks first"
    at.button(key="history_delete_cancel").click().run()
    assert session.manifest().outputs == (output,)
    assert not [b for b in at.button if b.key == "history_delete_confirm"], "cancel closes the dialog"
    at.button(key=f"history_delete_{output.id}").click().run()
    at.button(key="history_delete_confirm").click().run()
    assert session.manifest().outputs == ()
    assert not (session.outputs / output.file).exists()
    assert not (session.outputs / output.thumb).exists()
    assert any("Deleted" in info.value for info in at.info)


def test_history_shows_a_thumbnail_of_each_output(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@BG is stable background and @logo is moving from left to right")
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    thumb = Image.open(session_of(at, data_dir).outputs / output.thumb)
    assert thumb.size == (160, 160)
    preview, thumbnail = at.get("image")  # the full-size preview, then the History's thumbnail
    assert preview.captions[0].startswith(output.file) and thumbnail.captions in ([], [""])


def test_a_gif_can_be_had_as_mp4_and_webp_made_only_when_asked(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@BG is stable background and @logo is moving from left to right")
    at.button(key="compose_go").click().run()
    session = session_of(at, data_dir)
    [gif] = session.manifest().outputs
    assert {b.key for b in at.button} >= {f"compose_alt_mp4_{gif.id}", f"compose_alt_webp_{gif.id}"}
    at.button(key=f"compose_alt_mp4_{gif.id}").click().run()
    assert not at.exception
    [_, mp4] = session.manifest().outputs
    assert (mp4.format, mp4.prompt, mp4.scene_json, mp4.frames) == ("mp4", gif.prompt, gif.scene_json, 48)
    labels = [b.label for b in at.get("download_button")]
    assert f"Download MP4 ({format_bytes(mp4.bytes)})" in labels
    assert f"Download GIF ({format_bytes(gif.bytes)})" in labels, "the preview still shows the GIF"
    assert f"compose_alt_webp_{gif.id}" in {b.key for b in at.button}, "WebP is still only made on request"


def test_zip_of_all_outputs_holds_every_file(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Place @product in center and @BG as background")
    at.button(key="compose_go").click().run()
    set_prompt(at, "@logo spins in the center")
    at.button(key="compose_go").click().run()
    session = session_of(at, data_dir)
    with zipfile.ZipFile(io.BytesIO(zip_outputs(session).read_bytes())) as archive:
        assert archive.namelist() == [*_zipped(session.manifest().outputs), "manifest.csv"]
    assert len(session_id(at)) == 32


def _zipped(outputs: tuple[Output, ...]) -> list[str]:
    """The outputs' names inside a ZIP: each with its prompt's slug."""
    return [slugged_name(o.file, o.prompt) for o in outputs]


def test_understanding_says_when_an_image_is_enlarged_and_offers_its_shape(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@BG as background, @logo top right")
    infos = [i.value for i in at.info]
    assert "@BG is 160x120 and is enlarged 9.0x — it will look soft." in infos, infos
    assert any(i.startswith('@BG is 160x120, not square like the default canvas — say "1440x1080"') for i in infos)
    at = set_prompt(at, "1600x1200, @BG as background")
    infos = [i.value for i in at.info]
    assert "@BG is 160x120 and is enlarged 10.0x — it will look soft." in infos
    assert not any("not square" in i for i in infos), "the size was said: nothing to offer"


def _static_download(at: AppTest, key: str) -> str:
    """The label of download button ``key``, which must carry its own file URL (bytes held by the session).

    A deferred one (``data=callable``) has no URL until clicked, and Streamlit 1.67 deletes the file it
    then makes when any two other sessions finish a rerun before the browser fetches it (issue 16; the
    browser test drives that race). AppTest's media storage lives only during a run, so the bytes
    themselves are checked in the browser test.
    """
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
    assert button.proto.url.startswith("/mock/media/"), f"{key} is served from the session's own files"
    assert not button.proto.deferred_file_id, f"{key} is not a deferred download"
    return button.proto.label


def test_the_latest_output_downloads_in_one_click_and_survives_other_sessions(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    label = f"Download PNG ({output.bytes / 1024:.1f} KB)"
    assert _static_download(at, f"compose_preview_download_{output.id}") == label
    assert _static_download(at, f"history_download_{output.id}") == label


def test_older_outputs_are_prepared_on_demand_then_download(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    set_prompt(at, "Place @logo in center and @BG as background")
    at.button(key="compose_go").click().run()
    session = session_of(at, data_dir)
    older, newer = session.manifest().outputs
    keys = {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}
    assert not any(key.endswith(f"history_download_{older.id}") for key in keys), "not held before it is asked for"
    assert at.button(key=f"history_prepare_{older.id}").label == "Prepare PNG download"

    at.button(key=f"history_prepare_{older.id}").click().run()
    assert _static_download(at, f"history_download_{older.id}").startswith("Download PNG (")
    assert _static_download(at, f"history_download_{newer.id}").startswith("Download PNG (")


def test_the_zip_is_built_when_asked_for_and_rebuilt_after_a_new_output(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("history_zip")]
    at.button(key="history_zip_prepare").click().run()
    session = session_of(at, data_dir)
    assert _static_download(at, "history_zip").startswith("Download all as ZIP (1 file,")
    with zipfile.ZipFile(session.dir / ZIP_NAME) as archive:
        assert archive.namelist() == [*_zipped(session.manifest().outputs), "manifest.csv"]

    set_prompt(at, "Place @logo in center and @BG as background")
    at.button(key="compose_go").click().run()
    assert at.button(key="history_zip_prepare").label.startswith("Make a ZIP of all (2 files,")
    at.button(key="history_zip_prepare").click().run()
    assert _static_download(at, "history_zip").startswith("Download all as ZIP (2 files,")
    with zipfile.ZipFile(session.dir / ZIP_NAME) as archive:
        assert archive.namelist() == [*_zipped(session.manifest().outputs), "manifest.csv"]


def test_text_is_explained_and_missing_shaping_is_warned(data_dir: Path, monkeypatch) -> None:
    from imagegen.render import fonts

    monkeypatch.setattr(fonts, "raqm_available", lambda: False)
    at = set_prompt(
        compose_with_images(data_dir), '@BG as background, "दिवाली सेल" at the top, "Party 🎉" at the bottom'
    )
    understood = " ".join(m.value for m in at.markdown)
    assert '"दिवाली सेल" — top, white, bold sans' in understood
    warnings = [w.value for w in at.warning]
    assert fonts.RAQM_WARNING in warnings
    assert any("emoji are not drawn" in w for w in warnings)


def test_a_slideshow_shows_its_timeline_as_a_table(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "Slideshow of @BG and @product, 3 seconds each, @logo at the top")
    assert not at.exception
    (table,) = at.table
    rows = table.value.to_dict("records")
    assert rows[:2] == [
        {"image": "@BG", "seconds": "0-3 s", "what": "slide, then crossfade (0.5 s) to @product"},
        {"image": "@product", "seconds": "3-6 s", "what": "slide, then crossfade (0.5 s) to @BG"},
    ]
    assert rows[2]["image"] == "@logo"
    assert not set_prompt(at, STILL).table  # a still has no timeline


def test_the_relative_size_of_an_alternative_is_never_hidden() -> None:
    assert _relative_size(250, 1000) == "25% of the GIF's size"
    assert _relative_size(2900, 1000) == "2.9× the GIF's size"


MOVING = "@BG is stable background and @logo is moving from left to right"


def _understood_lines(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_after_a_change_the_understanding_reads_the_output_shown(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), "@BG as background, @logo small at the top right")
    at.button(key="compose_go").click().run()
    assert "@logo — top right, small (20 % of the canvas)" in _understood_lines(at)
    at.text_input(key="compose_change").input("move @logo to the bottom left").run()
    at.button(key="compose_change_go").click().run()
    assert not at.exception
    lines = _understood_lines(at)
    assert "@logo — bottom left, small (20 % of the canvas)" in lines, lines
    assert "top right" not in lines
    assert any(c.value == "With the edits of the output shown: “move @logo to the bottom left”" for c in at.caption)
    # Generate makes what the box describes (the edit included), not the prompt alone.
    at.button(key="compose_go").click().run()
    session = session_of(at, data_dir)
    assert session.manifest().outputs[-1].edits == ("move @logo to the bottom left",)


def test_a_preview_of_another_prompt_is_marked_earlier(data_dir: Path) -> None:
    at = set_prompt(compose_with_images(data_dir), STILL)
    at.button(key="compose_go").click().run()
    assert not [i for i in at.info if "earlier prompt" in i.value]
    set_prompt(at, "@logo spins in the center")  # as "Try in Compose" does
    [marked] = [i for i in at.info if "earlier prompt" in i.value]
    assert marked.value == "This is the result of an earlier prompt — click **Generate** to see the prompt above."
    [output] = session_of(at, data_dir).manifest().outputs
    at.button(key=f"history_reuse_{output.id}").click().run()  # "Use prompt": the output is current again
    assert not [i for i in at.info if "earlier prompt" in i.value]


@pytest.mark.parametrize(
    ("prompt", "replay"), [(MOVING + ", play once", True), (MOVING, False), (MOVING + ", loop", False), (STILL, False)]
)
def test_only_an_animation_that_plays_once_has_a_replay(data_dir: Path, prompt: str, replay: bool) -> None:
    at = set_prompt(compose_with_images(data_dir), prompt)
    at.button(key="compose_go").click().run()
    [output] = session_of(at, data_dir).manifest().outputs
    keys = {b.key for b in at.button}
    assert (f"compose_replay_{output.id}" in keys) is replay
    if replay:
        at.button(key=f"compose_replay_{output.id}").click().run()
        assert not at.exception
        assert at.session_state["compose_replay"] == (output.id, 1)


def test_a_heavy_gif_gets_its_mp4_made_and_the_saving_measured(data_dir: Path, monkeypatch) -> None:
    """Over the advised size (lowered here, so a small GIF counts as heavy), the MP4 is made once, at
    once, and offered with its measured size; the GIF stays the main download."""
    monkeypatch.setattr(outputs_module, "HEAVY_GIF_BYTES", 10_000)
    at = set_prompt(compose_with_images(data_dir), MOVING)
    at.button(key="compose_go").click().run()
    assert not at.exception
    session = session_of(at, data_dir)
    gif, mp4 = session.manifest().outputs
    assert (gif.format, mp4.format) == ("gif", "mp4") and gif.bytes > 10_000
    notice = next(m.value for m in at.markdown if m.value.startswith("**This GIF is"))
    assert notice == (
        f"**This GIF is {format_bytes(gif.bytes)}** — heavy for e-mail, ads and chat apps. The same animation "
        f"as **MP4 is {format_bytes(mp4.bytes)}** ({_relative_size(mp4.bytes, gif.bytes)}, measured on the file)."
    )
    ids = [b.proto.id for b in at.get("download_button")]
    assert any(i.endswith(f"compose_lighter_download_{mp4.id}") for i in ids), "the MP4 in one click"
    main = next(b for b in at.get("download_button") if b.proto.id.endswith(f"compose_preview_download_{gif.id}"))
    assert main.proto.type == "primary" and main.label.startswith("Download GIF")
    at.run()  # another run makes nothing more
    assert len(session.manifest().outputs) == 2


def test_a_vocabulary_word_left_over_is_named_in_the_understanding(data_dir: Path) -> None:
    # "less" is a word of the guide, but no phrase took it, and the page says so
    at = set_prompt(compose_with_images(data_dir), "@BG as background, @logo top right, less please")
    assert (
        '"less" was not applied: on its own it says nothing here — it works in a phrase such as "less big", '
        '"less tiny" or "less contrast".'
    ) in [w.value for w in at.warning]

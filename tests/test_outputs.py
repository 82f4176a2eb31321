"""The session output pipeline: prompt -> scene -> file in the session's outputs, recorded in the manifest."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from apptest_helpers import png_bytes
from fixtures_images import encode
from helpers_pixels import BLUE, GREEN, RED, assert_pixel, centroid
from PIL import Image, ImageSequence
from session_helpers import run_in_threads

from imagegen.errors import LimitError, RenderCancelled, RenderError, SessionError, SessionExpiredError, UnknownTagError
from imagegen.export import OutputFormat
from imagegen.export.stored import stored_frames
from imagegen.limits import Limits
from imagegen.render import prepare
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Scene, Timing
from imagegen.service import Overrides, RenderRequest
from imagegen.service.outputs import generate, output_path, remove_output, understand, zip_outputs
from imagegen.store.assets import add_images, remove_image, tag_map
from imagegen.store.session import Output, Session, SessionStore

STILL = "Place @product in center, @logo on top right, and @BG as background, 200x200"
MOVING = "@BG is stable background and @logo is moving from left to right"
NOW = datetime(2024, 5, 1, 9, 30, 15)
STILL_SLUG = "place-product-in-center-logo-on-top"  # the prompts' slugs in a ZIP's names
MOVING_SLUG = "bg-is-stable-background-and-logo-is"
STAMPED = re.compile(r"\d{8}-\d{6}-BG-product-logo\.png")
# Animations in these tests: 120 x 120, 1 s at 10 fps -> 10 frames.
SMALL_ANIMATION = Overrides(size=(120, 120), duration_s=1.0, fps=10)


def _noise(size: tuple[int, int]) -> bytes:
    """A photo-like image (random pixels): lossy quality settings change its file size a lot."""
    pixels = np.random.default_rng(7).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return encode(Image.fromarray(pixels))


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "sessions")


@pytest.fixture
def session(store: SessionStore) -> Session:
    """BG: opaque blue 240x240; product: opaque green 100x100; logo: red disc on transparency; noise."""
    session = store.create()
    result = add_images(
        session,
        [
            ("BG.png", png_bytes((240, 240), "blue")),
            ("product.png", png_bytes((100, 100), "lime")),
            ("logo.png", png_bytes((60, 60), "red", alpha=True)),
            ("noise.png", _noise((200, 200))),
        ],
    )
    assert result.errors == ()
    return session


def _still(session: Session) -> Scene:
    return understand(session, RenderRequest(STILL)).scene


def _moving(session: Session) -> Scene:
    return SMALL_ANIMATION.apply(understand(session, RenderRequest(MOVING)).scene)


def _listing(folder: Path) -> list[str]:
    """Every entry, hidden ones included (temporary files start with a dot)."""
    return sorted(os.listdir(folder))


def _frames(path: Path) -> list[tuple[np.ndarray, int]]:
    """Each decoded frame as RGBA pixels, with its duration in ms."""
    with Image.open(path) as image:
        return [
            (np.asarray(f.convert("RGBA")).copy(), f.info.get("duration", 0)) for f in ImageSequence.Iterator(image)
        ]


# --- stills -------------------------------------------------------------------------------------------
def test_a_still_is_written_named_recorded_and_drawn(session: Session) -> None:
    scene = _still(session)
    output = generate(session, STILL, scene, now=NOW)

    assert output.file == "20240501-093015-BG-product-logo.png"
    assert output.thumb == f"{output.file}.thumb.png"
    assert _listing(session.outputs) == sorted([output.file, output.thumb])
    path = output_path(session, output)
    assert path == session.outputs / output.file
    assert session.manifest().outputs == (output,)
    assert (output.prompt, output.format, output.frames, output.tags) == (STILL, "png", 1, ("BG", "product", "logo"))
    assert output.bytes == path.stat().st_size
    assert Scene.from_json(output.scene_json) == scene

    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (200, 200))
        drawn = image.convert("RGBA")
    assert_pixel(drawn, (100, 100), GREEN, 0, "product in the centre")
    assert_pixel(drawn, (172, 28), RED, 0, "logo in the top-right corner, 8 px in")
    assert_pixel(drawn, (3, 196), BLUE, 0, "background in the bottom-left corner")
    assert_pixel(drawn, (196, 3), BLUE, 0, "background outside the logo's margin")


def test_the_name_uses_the_current_time_when_none_is_given(session: Session) -> None:
    output = generate(session, STILL, _still(session))
    assert STAMPED.fullmatch(output.file), output.file


def test_two_outputs_in_the_same_second_get_distinct_names(session: Session) -> None:
    scene = _still(session)
    first = generate(session, STILL, scene, now=NOW)
    second = generate(session, STILL, scene, now=NOW)
    assert (first.file, second.file) == ("20240501-093015-BG-product-logo.png", "20240501-093015-BG-product-logo-2.png")
    assert first.id != second.id
    assert _listing(session.outputs) == sorted([first.file, second.file, first.thumb, second.thumb])
    assert session.manifest().outputs == (first, second)


def test_concurrent_outputs_in_the_same_second_never_share_a_file(session: Session) -> None:
    scene = SMALL_ANIMATION.apply(_still(session))
    outputs: list[Output] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outputs.append(generate(session, STILL, scene, fmt=OutputFormat.PNG, now=NOW))
        except BaseException as exc:  # reported below
            errors.append(exc)

    run_in_threads(run, [() for _ in range(4)])
    assert errors == []
    files = sorted(o.file for o in outputs)
    assert len(set(files)) == 4, files
    assert _listing(session.outputs) == sorted(files + [o.thumb for o in outputs])
    assert sorted(o.file for o in session.manifest().outputs) == files
    for output in outputs:
        assert output.bytes == (session.outputs / output.file).stat().st_size


def test_a_stray_file_in_the_outputs_is_never_overwritten(session: Session) -> None:
    stray = session.outputs / "20240501-093015-BG-product-logo.png"
    stray.write_bytes(b"left over from a crash")
    output = generate(session, STILL, _still(session), now=NOW)
    assert output.file == "20240501-093015-BG-product-logo-2.png"
    assert stray.read_bytes() == b"left over from a crash"


def test_an_image_removed_after_parsing_is_named_and_nothing_is_written(session: Session) -> None:
    scene = _still(session)
    remove_image(session, next(a.id for a in session.manifest().assets if a.tag == "logo"))
    with pytest.raises(RenderError) as caught:
        generate(session, STILL, scene)
    assert str(caught.value) == "No image is tagged @logo — the images are tagged @BG, @noise, @product."
    assert _listing(session.outputs) == []


# --- animations ---------------------------------------------------------------------------------------
def test_an_animation_is_a_gif_whose_frames_match_the_record(session: Session) -> None:
    scene = _moving(session)
    output = generate(session, MOVING, scene, now=NOW)

    assert output.file == "20240501-093015-BG-logo.gif"
    assert (output.format, scene.frame_count, output.tags) == ("gif", 10, ("BG", "logo"))
    assert Scene.from_json(output.scene_json) == scene
    path = output_path(session, output)
    assert output.bytes == path.stat().st_size
    frames = _frames(path)
    # Identical neighbours may be merged into one longer frame (the record counts what the file holds);
    # the total time may not change.
    assert 2 <= len(frames) == output.frames <= scene.frame_count
    assert sum(duration for _, duration in frames) == 1000
    xs = [centroid(pixels, RED)[0] for pixels, _ in frames]
    assert xs[0] < 50 < 70 < max(xs) and xs[-1] < 70, xs  # left to right and back: a seamless loop
    for pixels, _ in frames:
        assert_pixel(pixels, (2, 2), BLUE, 8, "background in every frame")


def test_progress_counts_every_frame_up_to_the_total(session: Session) -> None:
    calls: list[tuple[int, int]] = []
    generate(session, MOVING, _moving(session), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 10) for done in range(1, 11)]


# --- formats and quality ------------------------------------------------------------------------------
FORMAT_CASES = [
    pytest.param(False, OutputFormat.JPEG, ".jpg", "JPEG", 1, id="still as JPEG"),
    pytest.param(False, OutputFormat.WEBP, ".webp", "WEBP", 1, id="still as WebP"),
    pytest.param(False, OutputFormat.PNG, ".png", "PNG", 1, id="still as PNG"),
    pytest.param(True, OutputFormat.WEBP, ".webp", "WEBP", 10, id="animation as WebP"),
    pytest.param(True, OutputFormat.APNG, ".apng", "PNG", 10, id="animation as APNG"),
    pytest.param(True, OutputFormat.GIF, ".gif", "GIF", 10, id="animation as GIF"),
]


@pytest.mark.parametrize(("animated", "fmt", "suffix", "pil_format", "frames"), FORMAT_CASES)
def test_format_override(
    session: Session, animated: bool, fmt: OutputFormat, suffix: str, pil_format: str, frames: int
) -> None:
    prompt = MOVING if animated else STILL
    scene = _moving(session) if animated else _still(session)
    output = generate(session, prompt, scene, fmt=fmt)
    assert output.file.endswith(suffix)
    assert (output.format, scene.frame_count if animated else 1) == (fmt.value, frames)
    path = output_path(session, output)
    assert output.bytes == path.stat().st_size
    with Image.open(path) as image:
        assert image.format == pil_format
        assert 1 <= getattr(image, "n_frames", 1) == output.frames <= frames  # what the file holds
        assert image.size == scene.canvas.size
        if not animated:
            assert_pixel(image.convert("RGBA"), (100, 100), GREEN, 12, "product in the centre")


def test_an_animation_as_mp4_holds_every_frame(session: Session) -> None:
    output = generate(session, MOVING, _moving(session), fmt=OutputFormat.MP4)
    assert (output.file[-4:], output.format, output.frames) == (".mp4", "mp4", 10)
    path = output_path(session, output)
    assert output.bytes == path.stat().st_size
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 10
    assert seconds == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("fmt", [OutputFormat.JPEG, OutputFormat.WEBP])
def test_quality_is_passed_to_lossy_formats(session: Session, fmt: OutputFormat) -> None:
    prompt = "@noise as background, 200x200"
    scene = understand(session, RenderRequest(prompt)).scene
    sizes = [generate(session, prompt, scene, fmt=fmt, quality=q).bytes for q in (20, 60, 95, 100)]
    assert sizes == sorted(sizes) and sizes[0] * 1.5 < sizes[2], sizes
    assert len(_listing(session.outputs)) == 4 * 2  # each file and its thumbnail


# --- nothing is left behind ---------------------------------------------------------------------------
def _cancel_after(frames: int) -> tuple[Callable[[int, int], None], Callable[[], bool]]:
    done = [0]

    def progress(count: int, total: int) -> None:
        done[0] = count

    return progress, lambda: done[0] >= frames


@pytest.mark.parametrize("after", [0, 3, 9])
def test_a_cancelled_animation_leaves_nothing(session: Session, after: int) -> None:
    progress, cancel = _cancel_after(after)
    with pytest.raises(RenderCancelled):
        generate(session, MOVING, _moving(session), progress=progress, cancel=cancel)
    assert _listing(session.outputs) == []
    assert session.manifest().outputs == ()


def test_a_cancelled_still_leaves_nothing(session: Session) -> None:
    with pytest.raises(RenderCancelled, match="cancelled before it started"):
        generate(session, STILL, _still(session), cancel=lambda: True)
    assert _listing(session.outputs) == []
    assert session.manifest().outputs == ()


REFUSED = [
    pytest.param(
        False,
        Overrides(size=(5000, 5000)),
        LimitError,
        "Canvas 5000x5000 is too large — each side must be between 16 and 4096 px.",
        id="canvas too large",
    ),
    pytest.param(
        False,
        Overrides(size=(200, 8)),
        LimitError,
        "Canvas 200x8 is too small — each side must be between 16 and 4096 px.",
        id="canvas too flat",
    ),
    pytest.param(
        True, Overrides(fps=500), LimitError, "Frame rate 500 fps is out of range — use 1 to 60 fps.", id="fps 500"
    ),
    pytest.param(
        True,
        Overrides(duration_s=61),
        LimitError,
        "Duration 61 s is too long — animations can last at most 60 s.",
        id="61 seconds",
    ),
    pytest.param(
        True,
        Overrides(duration_s=30, fps=60),
        LimitError,
        "30 s at 60 fps is 1800 frames — at most 600 frames are allowed;"
        " shorten the animation or lower the frame rate.",
        id="too many frames",
    ),
]


@pytest.mark.parametrize(("animated", "overrides", "error", "message"), REFUSED)
def test_limits_are_refused_before_any_file(
    session: Session, animated: bool, overrides: Overrides, error: type[Exception], message: str
) -> None:
    prompt = MOVING if animated else STILL
    scene = overrides.apply(understand(session, RenderRequest(prompt)).scene)
    before = _listing(session.dir)
    with pytest.raises(error) as caught:
        generate(session, prompt, scene)
    assert str(caught.value) == message
    assert _listing(session.outputs) == []
    assert _listing(session.dir) == before
    assert session.manifest().outputs == ()


def test_a_still_format_for_an_animation_is_refused_and_leaves_nothing(session: Session) -> None:
    with pytest.raises(RenderError, match="PNG holds a single image"):
        generate(session, MOVING, _moving(session), fmt=OutputFormat.PNG)
    assert _listing(session.outputs) == []
    assert session.manifest().outputs == ()


@pytest.mark.parametrize("quality", [0, 101])
def test_a_bad_quality_is_refused_and_leaves_nothing(session: Session, quality: int) -> None:
    with pytest.raises(RenderError, match=f"Quality {quality} is not valid"):
        generate(session, STILL, _still(session), fmt=OutputFormat.JPEG, quality=quality)
    assert _listing(session.outputs) == []


def test_a_session_deleted_before_generating(store: SessionStore, session: Session) -> None:
    scene = _still(session)
    store.delete(session.id)
    with pytest.raises(SessionExpiredError, match="expired or was reset"):
        generate(session, STILL, scene)
    assert _listing(store.root) == []


@pytest.mark.parametrize("at_frame", [1, 5, 10])
def test_a_session_deleted_while_generating(store: SessionStore, session: Session, at_frame: int) -> None:
    def progress(done: int, total: int) -> None:
        if done == at_frame:
            store.delete(session.id)

    with pytest.raises(SessionExpiredError, match="expired or was reset"):
        generate(session, MOVING, _moving(session), progress=progress)
    assert list(store.root.rglob("*")) == []


# --- Overrides ----------------------------------------------------------------------------------------
BASE = Scene(
    layers=(Layer("logo", motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),)),),
    canvas=Canvas(1080, 1920, (0, 0, 0, 255)),
    timing=Timing(duration_s=2.0, fps=24.0, loops=3),
)
OVERRIDE_CASES = [
    pytest.param(Overrides(), BASE, id="nothing set keeps the prompt's"),
    pytest.param(Overrides(size=(300, 200)), replace(BASE, canvas=Canvas(300, 200, (0, 0, 0, 255))), id="size"),
    pytest.param(Overrides(duration_s=5), replace(BASE, timing=Timing(5, 24.0, 3)), id="duration"),
    pytest.param(Overrides(fps=12), replace(BASE, timing=Timing(2.0, 12, 3)), id="fps"),
    pytest.param(
        Overrides(size=(64, 48), duration_s=1.5, fps=10),
        Scene(BASE.layers, Canvas(64, 48, (0, 0, 0, 255)), Timing(1.5, 10, 3)),
        id="all three",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), OVERRIDE_CASES)
def test_overrides_apply(overrides: Overrides, expected: Scene) -> None:
    assert overrides.apply(BASE) == expected


def test_overrides_change_the_frame_count_only_of_animations() -> None:
    assert Overrides(duration_s=1.5, fps=10).apply(BASE).frame_count == 15
    still = replace(BASE, layers=(Layer("logo"),))
    assert Overrides(duration_s=1.5, fps=10).apply(still).frame_count == 1


def test_a_still_ignores_timing_overrides_beyond_the_limits(session: Session) -> None:
    output = generate(session, STILL, Overrides(fps=500, duration_s=999).apply(_still(session)))
    assert output.frames == 1


# --- understand ---------------------------------------------------------------------------------------
def test_understand_uses_the_session_tags(session: Session) -> None:
    with pytest.raises(UnknownTagError) as caught:
        understand(session, RenderRequest("Place @lgo in the center"))
    assert str(caught.value) == "Unknown tag @lgo. Did you mean @logo? Tags here: @BG, @product, @logo, @noise"


def test_understand_uses_the_store_limits(tmp_path: Path) -> None:
    session = SessionStore(tmp_path, limits=Limits(max_prompt_chars=40)).create()
    add_images(session, [("logo.png", png_bytes((20, 20), "red"))])
    with pytest.raises(LimitError, match="at most 40 are allowed"):
        understand(session, RenderRequest("Place @logo in the center " + "very " * 5))


# --- removing, resolving and zipping outputs ----------------------------------------------------------
def test_remove_output_removes_one_file_and_its_record(session: Session) -> None:
    scene = _still(session)
    first, second, third = (generate(session, STILL, scene) for _ in range(3))
    remove_output(session, second.id)
    assert session.manifest().outputs == (first, third)
    assert _listing(session.outputs) == sorted([first.file, third.file, first.thumb, third.thumb])
    remove_output(session, "no-such-id")
    assert session.manifest().outputs == (first, third)


@pytest.mark.parametrize("fmt", [OutputFormat.GIF, OutputFormat.MP4, OutputFormat.WEBP])
def test_an_animation_gets_a_small_thumbnail_of_its_first_frame(session: Session, fmt: OutputFormat) -> None:
    scene = Overrides(size=(400, 240), duration_s=1.0, fps=5).apply(understand(session, RenderRequest(MOVING)).scene)
    output = generate(session, MOVING, scene, fmt=fmt)
    thumb = Image.open(session.path_of(session.outputs, output.thumb))
    assert (thumb.format, thumb.size) == ("PNG", (160, 96))
    first = prepare(scene, tag_map(session)).still().convert("RGB").resize(thumb.size)
    diff = np.abs(np.asarray(thumb.convert("RGB"), dtype=int) - np.asarray(first, dtype=int))
    assert diff.mean() < 12, diff.mean()  # the first frame, up to lossy coding and resampling
    red_x = centroid(thumb.convert("RGBA"), RED)[0]  # the logo starts at the left
    assert red_x < 40, red_x


def test_output_path_refuses_a_planted_symlink(tmp_path: Path, session: Session) -> None:
    output = generate(session, STILL, _still(session))
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not yours")
    path = session.outputs / output.file
    path.unlink()
    path.symlink_to(secret)
    with pytest.raises(SessionError) as caught:
        output_path(session, output)
    assert str(caught.value) == f"The file {output.file} is not a plain file of this session."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../manifest.json", "Not a file of this session: '../manifest.json'."),
        ("/etc/passwd", "Not a file of this session: '/etc/passwd'."),
        (".lock", "Not a file of this session: '.lock'."),
        ("manifest.json", "The file manifest.json is no longer in this session."),
        ("", "Not a file of this session: ''."),
    ],
)
def test_output_path_refuses_names_outside_the_folder(session: Session, name: str, message: str) -> None:
    output = generate(session, STILL, _still(session))
    with pytest.raises(SessionError) as caught:
        output_path(session, replace(output, file=name))
    assert str(caught.value) == message


def test_output_path_of_a_removed_output(session: Session) -> None:
    output = generate(session, STILL, _still(session))
    remove_output(session, output.id)
    with pytest.raises(SessionError, match="is no longer in this session"):
        output_path(session, output)


def _zip_contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("with_uploads", [False, True])
def test_zip_outputs_holds_every_output_byte_for_byte(session: Session, with_uploads: bool) -> None:
    outputs = [generate(session, STILL, _still(session)), generate(session, MOVING, _moving(session))]
    path = zip_outputs(session, with_uploads=with_uploads)
    assert path == session.dir / "all-outputs.zip"
    # Each output's name inside says which prompt made it.
    named = [o.file.replace(".", f"--{slug}.") for o, slug in zip(outputs, (STILL_SLUG, MOVING_SLUG), strict=True)]
    expected = {name: (session.outputs / o.file).read_bytes() for name, o in zip(named, outputs, strict=True)}
    if with_uploads:
        for asset in session.manifest().assets:
            expected[f"uploads/{asset.tag}.png"] = (session.uploads / asset.file).read_bytes()
        assert {"uploads/BG.png", "uploads/product.png", "uploads/logo.png", "uploads/noise.png"} <= set(expected)
    contents = _zip_contents(path)
    rows = list(csv.DictReader(io.StringIO(contents.pop("manifest.csv").decode("utf-8-sig"))))
    assert contents == expected
    with zipfile.ZipFile(path) as archive, Image.open(io.BytesIO(archive.read(named[1]))) as gif:
        assert gif.format == "GIF"
        assert rows[1]["frames"] == str(gif.n_frames)
    assert [row["file"] for row in rows] == list(expected)
    assert rows[0] == {
        "file": named[0],
        "prompt": STILL,
        "edits": "",
        "size": "200x200",
        "format": "PNG",
        "frames": "1",
        "bytes": str(outputs[0].bytes),
        "created": datetime.fromtimestamp(outputs[0].created).isoformat(timespec="seconds"),
        "original_file": outputs[0].file,
    }
    assert (rows[1]["prompt"], rows[1]["size"], rows[1]["format"]) == ("'" + MOVING, "120x120", "GIF")
    if with_uploads:
        assert rows[-1]["file"] == "uploads/noise.png" and rows[-1]["size"] == "200x200"
        assert rows[-1]["original_file"] == "noise.png" and rows[-1]["prompt"] == ""


def test_zip_outputs_skips_a_planted_symlink(tmp_path: Path, session: Session) -> None:
    kept = generate(session, STILL, _still(session))
    planted = generate(session, STILL, _still(session))
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not yours")
    (session.outputs / planted.file).unlink()
    (session.outputs / planted.file).symlink_to(secret)
    assert set(_zip_contents(zip_outputs(session))) == {kept.file.replace(".", f"--{STILL_SLUG}."), "manifest.csv"}


def test_generate_refuses_a_symlinked_outputs_folder(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "store")
    session = store.create()
    add_images(session, [("BG.png", png_bytes((40, 40), "blue"))])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    session.outputs.rmdir()
    session.outputs.symlink_to(elsewhere)
    scene = understand(session, RenderRequest("@BG as background, 32x32")).scene
    with pytest.raises(SessionError, match="outputs folder has been tampered with"):
        generate(session, "@BG as background, 32x32", scene)
    assert list(elsewhere.iterdir()) == []


def test_an_mp4_of_a_still_lasts_five_seconds_and_a_duration_set_wins(session: Session) -> None:
    import imageio.v3 as iio

    result = understand(session, RenderRequest(STILL, fmt=OutputFormat.MP4))
    assert "The still is held 5 s at 24 fps in the MP4." in result.messages()
    output = generate(session, STILL, result.scene, fmt=OutputFormat.MP4)
    assert output.frames == 120 and sum(1 for _ in iio.imiter(output_path(session, output))) == 120
    result = understand(
        session, RenderRequest(STILL, overrides=Overrides(duration_s=2.0, fps=10), fmt=OutputFormat.MP4)
    )
    messages = result.messages()
    assert "The still is held 2 s at 10 fps in the MP4." in messages
    assert not any("is not used" in m for m in messages)
    output = generate(session, STILL, result.scene, fmt=OutputFormat.MP4)
    assert sum(1 for _ in iio.imiter(output_path(session, output))) == 20


def test_a_duration_for_a_still_webp_says_it_is_not_used(session: Session) -> None:
    result = understand(session, RenderRequest(STILL, overrides=Overrides(duration_s=2.0), fmt=OutputFormat.WEBP))
    assert "Duration 2 s (your setting) is not used: nothing moves, so this is a still image." in result.messages()
    assert generate(session, STILL, result.scene, fmt=OutputFormat.WEBP).frames == 1


def test_an_output_is_named_after_its_images_not_its_texts(session: Session) -> None:
    add_images(session, [("BG.png", png_bytes((64, 48), "skyblue"))])
    result = understand(session, RenderRequest('@BG as background, "Summer Sale" at the top'))
    output = generate(session, "p", result.scene, now=datetime(2024, 5, 1, 9, 30))
    assert output.file == "20240501-093000-BG.png"


def test_a_slideshow_from_the_session_reads_each_slide_once_its_palette_from_the_upload_thumbnails(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored upload is a full-size PNG (a phone photo: ~0.5 s to decode): the palette is built from the
    thumbnails stored beside the uploads, so each slide's own file is read once, when it is shown."""
    from imagegen.render import plan as plan_module

    reads: list[str] = []
    real = plan_module.load_source
    monkeypatch.setattr(
        plan_module, "load_source", lambda tag, src, *a, **k: reads.append(Path(src).name) or real(tag, src, *a, **k)
    )
    scene = understand(
        session, RenderRequest("Slideshow of @BG, @noise and @product, 0.5 seconds each", overrides=SMALL_ANIMATION)
    ).scene
    output = generate(session, "slides", scene, fmt=OutputFormat.GIF)
    uploads = {path.name for path in tag_map(session).values()}
    assert sorted(name for name in reads if name in uploads) == sorted(
        path.name for tag, path in tag_map(session).items() if tag in ("BG", "noise", "product")
    )  # each once
    assert sum(name.endswith(".thumb.png") for name in reads) == 3
    with Image.open(output_path(session, output)) as gif:
        assert gif.n_frames >= 3


SLIDESHOW = "Make a slideshow of @BG and @product, 1 second each, 120x120"


@pytest.mark.parametrize("fmt", [OutputFormat.GIF, OutputFormat.APNG, OutputFormat.WEBP, OutputFormat.MP4])
def test_an_output_records_the_frames_its_file_holds(session: Session, fmt: OutputFormat) -> None:
    """A slideshow holds each slide: the image encoders merge the identical frames into one with a longer
    delay, so the file holds fewer frames than were drawn, and that is the count recorded (and shown)."""
    scene = understand(session, RenderRequest(SLIDESHOW)).scene
    output = generate(session, SLIDESHOW, scene, fmt=fmt)
    path = output_path(session, output)
    if fmt is OutputFormat.MP4:
        held = imageio_ffmpeg.count_frames_and_secs(str(path))[0]
        assert output.frames == held == scene.frame_count  # a video stores every frame
    else:
        with Image.open(path) as image:
            held = image.n_frames
        assert output.frames == held < scene.frame_count, (output.frames, held, scene.frame_count)
    assert stored_frames(path, fmt) == held


@pytest.mark.parametrize(
    ("fmt", "kept"),
    [
        (OutputFormat.GIF, 0.5),
        (OutputFormat.WEBP, 0.5),
        (OutputFormat.APNG, 30),
        (OutputFormat.MP4, 40),
        (OutputFormat.GIF, 0),
    ],
)
def test_a_file_cut_before_its_count_has_none(session: Session, tmp_path: Path, fmt: OutputFormat, kept: float) -> None:
    """GIF frames are counted by walking every block, so a GIF cut anywhere has no count; APNG and MP4
    say it in a header (``acTL``, ``stsz``), so only a file cut before that has none."""
    scene = understand(session, RenderRequest(SLIDESHOW)).scene
    data = output_path(session, generate(session, SLIDESHOW, scene, fmt=fmt)).read_bytes()
    broken = tmp_path / f"broken{fmt.suffix}"
    broken.write_bytes(data[: int(len(data) * kept) if isinstance(kept, float) else kept])
    assert stored_frames(broken, fmt) is None


def test_a_still_holds_one_frame(session: Session) -> None:
    output = generate(session, STILL, _still(session))
    assert output.frames == stored_frames(output_path(session, output), OutputFormat.PNG) == 1

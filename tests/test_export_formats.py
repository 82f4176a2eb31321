"""Every output format round-trips: right size, right frame count, right pixels; format rules."""

from __future__ import annotations

import struct
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageSequence

from imagegen.errors import RenderError
from imagegen.export import OutputFormat, default_format, export
from imagegen.render import RenderPlan, prepare
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind, Role, Scene, Timing

LOGO_RED = (210, 20, 40)


def photo(width: int = 200, height: int = 150) -> Image.Image:
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([60 + 120 * x / width, 80 + 100 * y / height, 150 + 0 * x], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def logo(side: int = 80) -> Image.Image:
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, side - 3, side - 3), fill=(*LOGO_RED, 255))
    draw.rectangle((side // 3, side // 2 - 4, 2 * side // 3, side // 2 + 4), fill=(255, 255, 255, 255))
    return image


def slide_scene(width: int = 161, height: int = 121, *, frames: int = 12, transparent: bool = False) -> Scene:
    """@logo slides left to right (every frame differs) over @BG, or over nothing when transparent."""
    mover = Layer(
        "logo",
        anchor=Anchor.TOP,
        size=0.3,
        motions=(Motion(MotionKind.SLIDE, from_anchor=Anchor.LEFT, to_anchor=Anchor.RIGHT),),
    )
    layers = (mover,) if transparent else (Layer("BG", role=Role.BACKGROUND), mover)
    canvas = Canvas(width, height, None if transparent else (255, 255, 255, 255))
    return Scene(layers=layers, canvas=canvas, timing=Timing(duration_s=frames / 10, fps=10))


def still_scene(width: int = 161, height: int = 121, *, transparent: bool = False) -> Scene:
    layers = [Layer("logo", anchor=Anchor.TOP_RIGHT, size=0.4)]
    if not transparent:
        layers.insert(0, Layer("BG", role=Role.BACKGROUND))
    return Scene(layers=tuple(layers), canvas=Canvas(width, height, None if transparent else (255, 255, 255, 255)))


def plan_for(scene: Scene) -> RenderPlan:
    return prepare(scene, {"BG": photo(), "logo": logo()})


def source_frames(plan: RenderPlan) -> list[np.ndarray]:
    return [frame.image.copy() for frame in plan.frames()]


def decoded_frames(path: Path, mode: str = "RGB") -> list[np.ndarray]:
    with Image.open(path) as image:
        return [np.asarray(frame.convert(mode)).copy() for frame in ImageSequence.Iterator(image)]


def video_frames(path: Path) -> tuple[tuple[int, int], list[np.ndarray]]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = reader.__next__()
    width, height = meta["size"]
    frames = [np.frombuffer(raw, np.uint8).reshape(height, width, 3) for raw in reader]
    return (width, height), frames


def _loaded(frame: Image.Image) -> Image.Image:
    frame.load()  # WebP reads a frame's duration when it decodes it
    return frame


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.mark.parametrize("fmt", [OutputFormat.GIF, OutputFormat.WEBP, OutputFormat.APNG])
def test_animated_images_decode_with_every_frame(tmp_path: Path, fmt: OutputFormat) -> None:
    plan = plan_for(slide_scene())
    sources = source_frames(plan)
    path = export(plan, tmp_path / f"out{fmt.suffix}", fmt)
    with Image.open(path) as image:
        assert image.size == (161, 121)
        assert image.n_frames == plan.frame_count == 12
    for i, (want, got) in enumerate(zip(sources, decoded_frames(path), strict=True)):
        if fmt is OutputFormat.APNG:
            assert np.array_equal(want[..., :3], got), f"APNG is lossless; frame {i} differs"
        else:
            assert psnr(want[..., :3], got) > 30, f"frame {i}"


def test_animated_durations_and_loop_are_kept(tmp_path: Path) -> None:
    plan = plan_for(slide_scene(frames=10))
    for fmt in (OutputFormat.GIF, OutputFormat.WEBP, OutputFormat.APNG):
        path = export(plan, tmp_path / f"out{fmt.suffix}", fmt)
        with Image.open(path) as image:
            durations = [_loaded(frame).info["duration"] for frame in ImageSequence.Iterator(image)]
            assert sum(durations) == 1000, fmt
            assert image.info.get("loop") == 0, fmt


@pytest.mark.parametrize(("width", "height"), [(161, 121), (160, 120)])
def test_mp4_has_every_frame_and_even_sides(tmp_path: Path, width: int, height: int) -> None:
    plan = plan_for(slide_scene(width, height))
    sources = source_frames(plan)
    path = export(plan, tmp_path / "out.mp4", OutputFormat.MP4)
    assert path.read_bytes()[4:8] == b"ftyp"
    size, frames = video_frames(path)
    assert size == (width + width % 2, height + height % 2)
    assert len(frames) == 12
    for want, got in zip(sources, frames, strict=True):
        assert psnr(want[..., :3], got[:height, :width]) > 28


def test_transparent_png_keeps_alpha_and_opaque_png_has_none(tmp_path: Path) -> None:
    clear = export(plan_for(still_scene(transparent=True)), tmp_path / "clear.png")
    with Image.open(clear) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 120)) == (0, 0, 0, 0)
        assert image.getpixel((140, 20))[3] == 255  # the logo, top right
    opaque = export(plan_for(still_scene()), tmp_path / "opaque.png")
    with Image.open(opaque) as image:
        assert image.mode == "RGB"


def test_png_pixels_are_the_renderers(tmp_path: Path) -> None:
    plan = plan_for(still_scene())
    path = export(plan, tmp_path / "out.png")
    with Image.open(path) as image:
        assert np.array_equal(np.asarray(image), np.asarray(plan.still().convert("RGB")))


def test_jpeg_quality_changes_the_size_and_transparency_flattens_on_white(tmp_path: Path) -> None:
    plan = plan_for(still_scene())
    low = export(plan, tmp_path / "low.jpg", OutputFormat.JPEG, quality=30)
    high = export(plan, tmp_path / "high.jpg", OutputFormat.JPEG, quality=95)
    assert low.stat().st_size < high.stat().st_size * 0.6
    clear = export(plan_for(still_scene(transparent=True)), tmp_path / "clear.jpg", OutputFormat.JPEG)
    with Image.open(clear) as image:
        assert image.mode == "RGB"
        assert all(c > 245 for c in image.getpixel((5, 110)))


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_still_scene_goes_into_every_format(tmp_path: Path, fmt: OutputFormat) -> None:
    plan = plan_for(still_scene())
    path = export(plan, tmp_path / f"still{fmt.suffix}", fmt)
    if fmt is OutputFormat.MP4:
        size, frames = video_frames(path)  # a video has a length: the still is held for the scene's timing
        assert (size, len(frames)) == ((162, 122), plan.scene.timing.frame_count)
        assert plan.scene.timing.frame_count > 1
        return
    with Image.open(path) as image:
        assert image.size == (161, 121)
        assert getattr(image, "n_frames", 1) == 1
        red = np.asarray(image.convert("RGB"))[20, 140]
        assert red[0] > 150 and red[1] < 90


def test_webp_still_quality_changes_the_size(tmp_path: Path) -> None:
    plan = plan_for(still_scene())
    low = export(plan, tmp_path / "low.webp", OutputFormat.WEBP, quality=20)
    high = export(plan, tmp_path / "high.webp", OutputFormat.WEBP, quality=95)
    assert low.stat().st_size < high.stat().st_size


def test_transparent_animation_keeps_alpha_in_gif_webp_and_apng(tmp_path: Path) -> None:
    plan = plan_for(slide_scene(transparent=True))
    sources = source_frames(plan)
    for fmt in (OutputFormat.GIF, OutputFormat.WEBP, OutputFormat.APNG):
        path = export(plan, tmp_path / f"clear{fmt.suffix}", fmt)
        for i, (want, got) in enumerate(zip(sources, decoded_frames(path, "RGBA"), strict=True)):
            agree = np.mean((want[..., 3] >= 128) == (got[..., 3] >= 128))
            assert agree > 0.99, f"{fmt} frame {i}: alpha agrees on {agree:.3f} of pixels"
            if fmt is OutputFormat.APNG:
                assert np.array_equal(want, got), f"APNG is lossless; frame {i} differs"


@pytest.mark.parametrize("fmt", [OutputFormat.PNG, OutputFormat.JPEG])
def test_a_still_format_refuses_an_animation(tmp_path: Path, fmt: OutputFormat) -> None:
    plan = plan_for(slide_scene())
    with pytest.raises(RenderError) as info:
        export(plan, tmp_path / f"out{fmt.suffix}", fmt)
    assert str(info.value) == (
        f"{fmt.name} holds a single image — choose GIF, WebP, APNG or MP4 for an animation"
        " (or remove the motion from the prompt for a still)."
    )
    assert list(tmp_path.iterdir()) == []


def test_default_format_is_png_for_stills_and_gif_for_animations(tmp_path: Path) -> None:
    assert default_format(still_scene()) is OutputFormat.PNG
    assert default_format(slide_scene()) is OutputFormat.GIF
    path = export(plan_for(slide_scene()), tmp_path / "anim")
    assert path.read_bytes()[:6] == b"GIF89a"
    assert export(plan_for(still_scene()), tmp_path / "still.data").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(("name", "magic"), [("a.webp", b"RIFF"), ("a.apng", b"\x89PNG"), ("a.JPG", b"\xff\xd8")])
def test_without_a_format_the_suffix_decides(tmp_path: Path, name: str, magic: bytes) -> None:
    scene = still_scene() if name.endswith("JPG") else slide_scene()
    assert export(plan_for(scene), tmp_path / name).read_bytes()[: len(magic)] == magic


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        (".png", OutputFormat.PNG),
        (".PNG", OutputFormat.PNG),
        (".jpg", OutputFormat.JPEG),
        (".jpeg", OutputFormat.JPEG),
        ("JPEG", OutputFormat.JPEG),
        (".webp", OutputFormat.WEBP),
        (".gif", OutputFormat.GIF),
        (".apng", OutputFormat.APNG),
        ("mp4", OutputFormat.MP4),
    ],
)
def test_from_suffix(suffix: str, fmt: OutputFormat) -> None:
    assert OutputFormat.from_suffix(suffix) is fmt


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (".bmp", "Unknown output type '.bmp' — use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4."),
        (".gift", "Unknown output type '.gift' — use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4."
         " Did you mean '.gif'?"),
        ("", "Unknown output type '(none)' — use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4."),
    ],
)  # fmt: skip
def test_unknown_suffix_lists_the_choices(suffix: str, message: str) -> None:
    with pytest.raises(RenderError) as info:
        OutputFormat.from_suffix(suffix)
    assert str(info.value) == message


def test_format_properties() -> None:
    assert [f.suffix for f in OutputFormat] == [".png", ".jpg", ".webp", ".gif", ".apng", ".mp4"]
    assert [f.mime for f in OutputFormat] == [
        "image/png", "image/jpeg", "image/webp", "image/gif", "image/apng", "video/mp4",
    ]  # fmt: skip
    assert [f.animated for f in OutputFormat] == [False, False, True, True, True, True]
    assert all(OutputFormat(f.value) is f for f in OutputFormat)


def apng_frame_boxes(data: bytes) -> list[tuple[int, int, int, int, int]]:
    """(left, top, width, height, blend op) of every fcTL chunk."""
    boxes, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"fcTL":
            width, height, left, top = struct.unpack(">IIII", data[pos + 12 : pos + 28])
            boxes.append((left, top, width, height, data[pos + 33]))
        pos += 12 + length
    return boxes


def test_apng_draws_opaque_changes_over_the_previous_frame(tmp_path: Path) -> None:
    """Opaque canvas: deltas blend OVER with unchanged pixels clear; transparent canvas: SOURCE."""
    for transparent, blend in ((False, 1), (True, 0)):
        path = export(
            plan_for(slide_scene(transparent=transparent)), tmp_path / f"{transparent}.apng", OutputFormat.APNG
        )
        assert {box[4] for box in apng_frame_boxes(path.read_bytes())[1:]} == {blend}


def test_apng_frames_after_the_first_hold_only_the_changed_box(tmp_path: Path) -> None:
    plan = plan_for(slide_scene(320, 240, frames=20))
    path = export(plan, tmp_path / "out.apng", OutputFormat.APNG)
    boxes = apng_frame_boxes(path.read_bytes())
    assert len(boxes) == 20
    assert boxes[0][:4] == (0, 0, 320, 240)
    logo_side = round(0.3 * 240)
    for _left, top, width, height, _blend in boxes[1:]:
        assert height <= logo_side + 1 and top < 30
        assert width < logo_side + 320 // 19 + 2

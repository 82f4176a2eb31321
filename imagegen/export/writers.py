"""export(): a RenderPlan -> one file in any :class:`OutputFormat`, written atomically.

Every animated writer streams frames from :meth:`RenderPlan.frames` (one reused buffer), so memory
does not grow with the frame count:

* GIF, APNG: our own streaming encoders (:mod:`.gif`, :mod:`.apng`).
* WebP: Pillow's encoder, fed through :class:`_StreamedFrames`, a multi-frame image that renders a
  frame when Pillow seeks to it (Pillow's ``append_images`` wants images, not an iterator; libwebp
  keeps only the compressed frames).
* MP4: H.264 through ffmpeg's stdin (imageio-ffmpeg), yuv420p; an odd width/height is padded by one
  edge pixel because 4:2:0 needs even sides.

PNG uses zlib's RLE strategy: after PNG filtering it is as small as the default on photos and
graphics alike, in about half the time.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from imagegen.errors import ImagegenError, RenderCancelled, RenderError
from imagegen.export.ahead import rendered_ahead
from imagegen.export.apng import write_apng
from imagegen.export.formats import OutputFormat, check_format, default_format
from imagegen.export.gif import FrameLike, write_gif
from imagegen.files import atomic_path, write_error
from imagegen.limits import LIMITS, check_timing
from imagegen.scene import Scene

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
WHITE = (255, 255, 255)


class PlanLike(Protocol):
    """What export needs from :class:`imagegen.render.RenderPlan`."""

    scene: Scene
    frame_count: int
    base: Image.Image
    sprites: list[Image.Image]

    def durations(self) -> list[int]: ...

    def palette_sources(self) -> list[Image.Image | np.ndarray]: ...

    def sprites_on_base(self) -> Iterator[np.ndarray]: ...

    def frames(self, *, progress: Progress | None = None, cancel: Cancel | None = None) -> Iterator[FrameLike]: ...

    def still(self) -> Image.Image: ...


Writer = Callable[[PlanLike, Path, int, Progress | None, Cancel | None], None]


def export(
    plan: PlanLike,
    dest: Path,
    fmt: OutputFormat | None = None,
    *,
    quality: int = 90,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Path:
    """Write ``plan`` to ``dest`` as ``fmt`` (default: from ``dest``'s suffix when it names a format,
    else PNG for a still and GIF for an animation).

    The file appears complete or not at all (temporary file + rename in the same folder).

    :param quality: 1-100 for the formats whose record names a quality knob (for GIF the
        error budgets of :class:`~imagegen.export.gif.GifQuality`); ignored by lossless PNG/APNG.
    :param progress: called with (frames done, total) while an animation renders.
    :param cancel: polled between frames; True stops with :class:`RenderCancelled`.
    :raise RenderError: still format for an animation, bad quality, or the write failed
        (folder missing or unwritable, disk full, encoder failure) — nothing is left behind.
    """
    scene = plan.scene
    dest = Path(dest)
    fmt = fmt or _format_of(dest) or default_format(scene)
    check_format(scene, fmt)
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 100:
        raise RenderError(
            f"Quality {quality!r} is not valid — use a whole number from 1 to 100 (90 is a good default)."
        )
    if cancel is not None and cancel():
        raise RenderCancelled("Rendering was cancelled before it started.")
    try:
        with atomic_path(dest) as tmp:
            _WRITERS[fmt](plan, tmp, quality, progress, cancel)
    except ImagegenError:
        raise
    except Exception as exc:
        raise write_error(dest, exc) from exc
    log.info("exported %s (%s, %d frames, %d bytes)", dest.name, fmt.name, plan.frame_count, dest.stat().st_size)
    return dest


def _frames(plan: PlanLike, progress: Progress | None, cancel: Cancel | None) -> Iterator[FrameLike]:
    """The plan's frames, rendered a few ahead in a thread while the encoder works (see ``ahead``)."""
    return rendered_ahead(plan.frames(), plan.frame_count, progress=progress, cancel=cancel)


def _format_of(dest: Path) -> OutputFormat | None:
    try:
        return OutputFormat.from_suffix(dest.suffix) if dest.suffix else None
    except RenderError:
        return None


def _flat_rgb(image: Image.Image, scene: Scene) -> Image.Image:
    """RGB on the canvas colour (white when the canvas is transparent)."""
    if image.mode == "RGB":
        return image
    background = scene.canvas.background
    colour = WHITE if background is None else background[:3]
    return Image.alpha_composite(Image.new("RGBA", image.size, (*colour, 255)), image.convert("RGBA")).convert("RGB")


def _still(plan: PlanLike) -> Image.Image:
    """The still in the mode to save: RGBA only when the canvas is transparent."""
    image = plan.still()
    return image if plan.scene.canvas.transparent else image.convert("RGB")


def _write_png(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    _still(plan).save(path, "PNG", compress_level=6, compress_type=zlib.Z_RLE)


def _write_jpeg(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    image = _flat_rgb(plan.still(), plan.scene)
    # Full-resolution colour at high quality keeps logo edges and small coloured text crisp.
    subsampling = 0 if quality >= 90 else 2
    try:
        image.save(path, "JPEG", quality=quality, optimize=True, progressive=True, subsampling=subsampling)
    except OSError:
        # Optimised/progressive JPEGs go through one whole-image buffer whose size Pillow guesses; grainy
        # photos at high quality outgrow it ("broken data stream"). A baseline JPEG streams, so it always fits.
        log.debug("JPEG: optimised encoding outgrew Pillow's buffer; writing a baseline JPEG")
        image.save(path, "JPEG", quality=quality, subsampling=subsampling)


def _write_gif(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    scene = plan.scene
    sources = plan.palette_sources()
    base = sources[0] if sources and isinstance(sources[0], np.ndarray) else None
    with open(path, "wb") as fp:
        stats = write_gif(
            _frames(plan, progress, cancel),
            fp,
            palette_sources=sources,
            blends=plan.sprites_on_base(),
            base=base,
            loops=scene.timing.loops,
            transparent=scene.canvas.transparent,
            quality=quality,
        )
    log.debug(
        "GIF: %d frames in, %d written, %d with a local palette",
        stats.frames_in,
        stats.frames_written,
        stats.local_palettes,
    )


def _write_apng(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    with open(path, "wb") as fp:
        write_apng(_frames(plan, progress, cancel), fp, loops=plan.scene.timing.loops)


class _StreamedFrames(Image.Image):
    """A multi-frame image whose frame ``i`` is rendered when Pillow seeks to it (in order only)."""

    def __init__(self, frames: Iterator[FrameLike], count: int, size: tuple[int, int], mode: str) -> None:
        super().__init__()
        self._frames = frames
        self._count = count
        self._position = -1
        self._mode = mode
        self._size = size

    @property
    def n_frames(self) -> int:
        return self._count

    @property
    def is_animated(self) -> bool:
        return self._count > 1

    def seek(self, frame: int) -> None:
        if frame == self._position:
            return
        if frame != self._position + 1:
            raise ValueError(f"frames stream in order: cannot seek from {self._position} to {frame}")
        pixels = next(self._frames).image
        self.im = Image.fromarray(pixels if self._mode == "RGBA" else np.ascontiguousarray(pixels[..., :3])).im
        self._position = frame

    def tell(self) -> int:
        return self._position


def _write_webp(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    scene = plan.scene
    if plan.frame_count == 1:
        _still(plan).save(path, "WEBP", quality=quality, method=4)
        return
    mode = "RGBA" if scene.canvas.transparent else "RGB"
    with closing(_frames(plan, progress, cancel)) as frames:
        first = next(frames).image
        first_image = Image.fromarray(first.copy() if mode == "RGBA" else np.ascontiguousarray(first[..., :3]))
        rest = _StreamedFrames(frames, plan.frame_count - 1, first_image.size, mode)
        first_image.save(
            path,
            "WEBP",
            save_all=True,
            append_images=[rest],
            duration=plan.durations(),
            loop=max(0, scene.timing.loops),
            quality=quality,
            method=0,
        )


def mp4_crf(quality: int) -> int:
    """x264 constant rate factor for our 1-100 quality: 90 -> 21 (visually clean), 100 -> 18, 1 -> 51."""
    return max(18, min(51, round(51 - quality * 0.33)))


def _write_mp4(plan: PlanLike, path: Path, quality: int, progress: Progress | None, cancel: Cancel | None) -> None:
    import imageio_ffmpeg  # deferred: it locates the ffmpeg binary on import

    scene = plan.scene
    width, height = scene.canvas.size
    even = (width + width % 2, height + height % 2)
    background = np.array(WHITE if scene.canvas.background is None else scene.canvas.background[:3], np.float32)
    writer = imageio_ffmpeg.write_frames(
        str(path),
        even,
        fps=float(scene.timing.fps),
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        macro_block_size=1,
        ffmpeg_log_level="error",
        output_params=["-crf", str(mp4_crf(quality)), "-preset", "medium", "-movflags", "+faststart", "-f", "mp4"],
    )
    writer.send(None)
    try:
        for image in _video_images(plan, progress, cancel):
            writer.send(_video_frame(image, background, scene.canvas.transparent, even))
    finally:
        writer.close()  # lets ffmpeg finish; on an error the temporary file is removed by the caller
    with open(path, "rb") as fp:
        if fp.read(8)[4:8] != b"ftyp":
            raise RenderError("The video encoder (ffmpeg) did not produce an MP4 — see the log for its message.")


def _video_images(plan: PlanLike, progress: Progress | None, cancel: Cancel | None) -> Iterator[np.ndarray]:
    """A video's frames: an animation's, or a still held for the scene's duration (a video has a length)."""
    if plan.scene.animated:
        yield from (frame.image for frame in _frames(plan, progress, cancel))
        return
    timing = plan.scene.timing
    check_timing(timing.duration_s, timing.fps, LIMITS)
    still = np.asarray(plan.still().convert("RGBA"))
    count = timing.frame_count
    for index in range(count):
        if cancel is not None and cancel():
            raise RenderCancelled(f"Rendering was cancelled after {index} of {count} frames.")
        yield still
        if progress is not None:
            progress(index + 1, count)


def _video_frame(rgba: np.ndarray, background: np.ndarray, transparent: bool, even: tuple[int, int]) -> bytes:
    """RGB bytes of one frame: flattened on the background, padded to even sides by edge pixels."""
    if transparent:
        alpha = rgba[..., 3:4].astype(np.float32) / 255.0
        rgb = (rgba[..., :3] * alpha + background * (1.0 - alpha) + 0.5).astype(np.uint8)
    else:
        rgb = rgba[..., :3]
    height, width = rgb.shape[:2]
    if (width, height) != even:
        rgb = np.pad(rgb, ((0, even[1] - height), (0, even[0] - width), (0, 0)), mode="edge")
    return np.ascontiguousarray(rgb).tobytes()


_WRITERS: dict[OutputFormat, Writer] = {
    OutputFormat.PNG: _write_png,
    OutputFormat.JPEG: _write_jpeg,
    OutputFormat.WEBP: _write_webp,
    OutputFormat.GIF: _write_gif,
    OutputFormat.APNG: _write_apng,
    OutputFormat.MP4: _write_mp4,
}

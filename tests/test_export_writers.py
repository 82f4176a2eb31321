"""export() writes atomically: cancel, a failing frame stream or a failing disk leave nothing behind."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_export_formats import plan_for, slide_scene, still_scene

from imagegen.errors import RenderCancelled, RenderError
from imagegen.export import OutputFormat, export
from imagegen.export.writers import mp4_crf
from imagegen.render import Frame, RenderPlan

ANIMATED = [OutputFormat.GIF, OutputFormat.WEBP, OutputFormat.APNG, OutputFormat.MP4]


def cancel_after(calls: int) -> Callable[[], bool]:
    """A cancel callback that says 'stop' from its ``calls + 1``-th call on."""
    seen = [0]

    def cancel() -> bool:
        seen[0] += 1
        return seen[0] > calls

    return cancel


class FailingPlan:
    """A real plan whose frame stream breaks after ``good`` frames (a renderer bug, an I/O error...)."""

    def __init__(self, plan: RenderPlan, good: int, error: Exception) -> None:
        self._plan, self._good, self._error = plan, good, error
        self.scene, self.frame_count, self.base, self.sprites = plan.scene, plan.frame_count, plan.base, plan.sprites

    def durations(self) -> list[int]:
        return self._plan.durations()

    def palette_sources(self) -> list[Image.Image | np.ndarray]:
        return self._plan.palette_sources()

    def sprites_on_base(self) -> Iterator[np.ndarray]:
        return self._plan.sprites_on_base()

    def still(self) -> Image.Image:
        raise self._error

    def frames(self, **kwargs: object) -> Iterator[Frame]:
        for frame in self._plan.frames(**kwargs):  # type: ignore[arg-type]
            if frame.index == self._good:
                raise self._error
            yield frame


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ANIMATED)
def test_cancel_mid_export_leaves_no_file(tmp_path: Path, fmt: OutputFormat) -> None:
    with pytest.raises(RenderCancelled, match="cancelled after 4 of 12 frames"):
        export(plan_for(slide_scene()), tmp_path / f"out{fmt.suffix}", fmt, cancel=cancel_after(5))
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ANIMATED)
def test_an_error_in_the_frame_stream_leaves_no_file(tmp_path: Path, fmt: OutputFormat) -> None:
    plan = FailingPlan(plan_for(slide_scene()), 4, RuntimeError("sprite cache exploded"))
    with pytest.raises(RenderError) as info:
        export(plan, tmp_path / f"out{fmt.suffix}", fmt)  # type: ignore[arg-type]
    assert str(info.value) == f"Cannot write out{fmt.suffix}: RuntimeError: sprite cache exploded"
    assert leftovers(tmp_path) == []


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    dest = tmp_path / "out.gif"
    dest.write_bytes(b"previous")
    with pytest.raises(RenderCancelled):
        export(plan_for(slide_scene()), dest, cancel=cancel_after(3))
    assert dest.read_bytes() == b"previous"
    assert leftovers(tmp_path) == ["out.gif"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "the disk is full — free some space and try again"),
        (errno.EACCES, "no permission to write in '{folder}' — choose another folder"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_disk_errors_become_clear_messages(tmp_path: Path, code: int, reason: str) -> None:
    plan = FailingPlan(plan_for(still_scene()), 0, OSError(code, os.strerror(code)))
    with pytest.raises(RenderError) as info:
        export(plan, tmp_path / "out.png")  # type: ignore[arg-type]
    assert str(info.value) == f"Cannot write out.png: {reason.format(folder=tmp_path)}."
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(RenderError) as info:
        export(plan_for(still_scene()), missing / "out.png")
    assert str(info.value) == f"Cannot write out.png: the folder '{missing}' does not exist."


def test_the_folder_holds_only_the_result_after_success(tmp_path: Path) -> None:
    for fmt in OutputFormat:
        scene = slide_scene() if fmt.animated else still_scene()
        export(plan_for(scene), tmp_path / f"out{fmt.suffix}", fmt)
    assert leftovers(tmp_path) == sorted(f"out{fmt.suffix}" for fmt in OutputFormat)


@pytest.mark.parametrize("quality", [0, 101, 50.5, True, "90"])
def test_quality_must_be_1_to_100(tmp_path: Path, quality: object) -> None:
    with pytest.raises(RenderError) as info:
        export(plan_for(still_scene()), tmp_path / "out.jpg", OutputFormat.JPEG, quality=quality)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"Quality {quality!r} is not valid — use a whole number from 1 to 100 (90 is a good default)."
    )


def test_progress_reports_every_frame(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export(plan_for(slide_scene()), tmp_path / "out.gif", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 12) for i in range(1, 13)]


@pytest.mark.parametrize(("quality", "crf"), [(100, 18), (90, 21), (50, 34), (1, 51)])
def test_mp4_quality_maps_to_crf(quality: int, crf: int) -> None:
    assert mp4_crf(quality) == crf


def test_mp4_quality_changes_the_size(tmp_path: Path) -> None:
    plan = plan_for(slide_scene())
    low = export(plan, tmp_path / "low.mp4", OutputFormat.MP4, quality=20)
    high = export(plan, tmp_path / "high.mp4", OutputFormat.MP4, quality=95)
    assert low.stat().st_size < high.stat().st_size

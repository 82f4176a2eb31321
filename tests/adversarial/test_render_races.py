"""Rendering under pressure: many sessions at once, the sweeper or a reset mid-render, a full disk, a
refused folder. Outputs always land in their own session, complete or not at all."""

from __future__ import annotations

import builtins
import errno
import io
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fixtures_images import solid_png
from PIL import Image
from session_helpers import TTL, Clock, run_in_threads, snapshot

from imagegen.errors import RenderCancelled, RenderError, SessionExpiredError
from imagegen.export import OutputFormat, export
from imagegen.render import prepare
from imagegen.scene import Scene
from imagegen.service import Overrides, RenderRequest
from imagegen.service.outputs import generate, understand
from imagegen.store.assets import add_images, tag_map
from imagegen.store.session import Session, SessionStore

pytestmark = pytest.mark.adversarial

STILL = "@bg as background and @logo in the center"
MOVING = "@bg is the background and @logo moves from left to right"
SMALL = Overrides(size=(48, 48), duration_s=1.0, fps=12)


def _colour(k: int) -> tuple[int, int, int]:
    """A distinct colour per session, far from white and from the other sessions."""
    return (10 + 12 * k, 250 - 11 * k, (70 * k) % 256)


def _stocked(store: SessionStore, k: int) -> Session:
    session = store.create()
    result = add_images(session, [("bg.png", solid_png((24, 24), _colour(k))), ("logo.png", solid_png((6, 6)))])
    assert result.errors == ()
    return session


def _scene(session: Session, prompt: str) -> Scene:
    return SMALL.apply(understand(session, RenderRequest(prompt)).scene)


def _no_partial_files(root: Path) -> list[str]:
    """Every leftover temp, placeholder or trash entry anywhere under ``root``."""
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if ".part" in p.name or p.name.startswith(".trash-") or (p.is_file() and p.stat().st_size == 0 and p.suffix)
    ]


# --- many sessions at once ---------------------------------------------------------------------------------
@pytest.mark.timeout(120)
def test_twenty_sessions_upload_and_render_at_once_without_cross_talk(store: SessionStore) -> None:
    count = 20
    sessions: list[Session | None] = [None] * count
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def work(k: int) -> None:
        try:
            start.wait()
            session = _stocked(store, k)
            sessions[k] = session
            generate(session, STILL, _scene(session, STILL), fmt=OutputFormat.PNG)
            generate(session, MOVING, _scene(session, MOVING), fmt=OutputFormat.GIF)
        except BaseException as exc:
            errors.append(exc)

    run_in_threads(work, [(k,) for k in range(count)])
    assert errors == []
    assert sorted(os.listdir(store.root)) == sorted(s.id for s in sessions if s)
    for k, session in enumerate(sessions):
        assert session is not None
        manifest = session.manifest()
        assert [a.tag for a in manifest.assets] == ["bg", "logo"]
        assert [o.format for o in manifest.outputs] == ["png", "gif"]
        files = [o.file for o in manifest.outputs] + [o.thumb for o in manifest.outputs]
        assert sorted(os.listdir(session.outputs)) == sorted(files)
        for name in files:  # each output and its thumbnail
            with Image.open(session.outputs / name) as image:
                assert image.size == (48, 48)
                assert image.convert("RGB").getpixel((2, 2)) == _colour(k)  # its own background, nobody else's
        with Image.open(session.uploads / manifest.assets[0].file) as stored:
            assert stored.getpixel((0, 0)) == _colour(k)
    assert _no_partial_files(store.root) == []


# --- the sweeper or a reset during a render ------------------------------------------------------------------
def test_sweeper_removes_a_session_mid_render(store: SessionStore, clock: Clock) -> None:
    victim, bystander = _stocked(store, 1), _stocked(store, 2)
    bystander_files = sorted(os.listdir(bystander.uploads))

    def sweep_at_frame_three(done: int, total: int) -> None:
        if done == 3:
            clock.advance(TTL + 1)
            bystander.manifest()
            assert store.sweep() == [victim.id]

    with pytest.raises(SessionExpiredError, match=r"^This session has expired or was reset\.$"):
        generate(victim, MOVING, _scene(victim, MOVING), fmt=OutputFormat.GIF, progress=sweep_at_frame_three)
    assert sorted(os.listdir(store.root)) == [bystander.id]
    assert _no_partial_files(store.root) == []
    assert sorted(os.listdir(bystander.uploads)) == bystander_files
    output = generate(bystander, MOVING, _scene(bystander, MOVING))
    assert (bystander.outputs / output.file).is_file()


@pytest.mark.parametrize("fmt", [OutputFormat.GIF, OutputFormat.APNG, OutputFormat.WEBP])
def test_a_reset_from_another_thread_mid_render(store: SessionStore, fmt: OutputFormat) -> None:
    victim, bystander = _stocked(store, 3), _stocked(store, 4)
    reached = threading.Event()
    resume = threading.Event()
    outcome: list[BaseException | str] = []

    def pause_at_frame_two(done: int, total: int) -> None:
        if done == 2:
            reached.set()
            resume.wait(20)

    def render() -> None:
        try:
            generate(victim, MOVING, _scene(victim, MOVING), fmt=fmt, progress=pause_at_frame_two)
            outcome.append("finished")
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=render)
    worker.start()
    try:
        assert reached.wait(20)
        store.delete(victim.id)  # the render holds no lock while it draws: the reset goes through
    finally:
        resume.set()
        worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], SessionExpiredError), outcome
    assert sorted(os.listdir(store.root)) == [bystander.id]
    assert _no_partial_files(store.root) == []


def test_a_cancelled_render_leaves_nothing(session: Session) -> None:
    add_images(session, [("bg.png", solid_png((24, 24))), ("logo.png", solid_png((6, 6)))])
    before = snapshot(session.dir)
    with pytest.raises(RenderCancelled):
        generate(session, MOVING, _scene(session, MOVING), progress=None, cancel=_after(4))
    after = snapshot(session.dir)
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }
    assert session.manifest().outputs == ()


def _after(calls: int) -> Callable[[], bool]:
    seen = [0]

    def cancel() -> bool:
        seen[0] += 1
        return seen[0] > calls

    return cancel


# --- a full disk, a refused folder ------------------------------------------------------------------------
class _FillingFile:
    """A file whose disk fills up after ``room`` bytes: writes beyond it fail with ENOSPC."""

    def __init__(self, real: Any, room: int) -> None:
        self._real = real
        self._room = room

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if len(chunk) > self._room:
            self._real.write(chunk[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(chunk)
        return self._real.write(chunk)

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")  # make encoders write through write()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()


@pytest.fixture
def disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Writes to the exporter's temporary files run out of space after 200 bytes."""
    real_open = builtins.open
    partial: list[str] = []

    def filling_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        if ".part" in str(file) and any(flag in mode for flag in "wa+"):
            partial.append(str(file))
            return _FillingFile(handle, 200)
        return handle

    monkeypatch.setattr(builtins, "open", filling_open)
    return partial


@pytest.mark.parametrize(
    ("prompt", "fmt"),
    [
        (STILL, OutputFormat.PNG),
        (STILL, OutputFormat.JPEG),
        (STILL, OutputFormat.WEBP),
        (MOVING, OutputFormat.GIF),
        (MOVING, OutputFormat.APNG),
        (MOVING, OutputFormat.WEBP),
    ],
)
def test_disk_full_during_an_export_leaves_no_partial_file(
    session: Session, disk_fills_up: list[str], prompt: str, fmt: OutputFormat
) -> None:
    add_images(session, [("bg.png", _grainy_png()), ("logo.png", solid_png((6, 6)))])
    before = snapshot(session.dir)
    with pytest.raises(RenderError) as caught:
        generate(session, prompt, _scene(session, prompt), fmt=fmt)
    assert disk_fills_up, "the exporter never wrote through a temporary file"
    assert str(caught.value).endswith(": the disk is full — free some space and try again.")
    assert str(caught.value).startswith("Cannot write ")
    assert os.listdir(session.outputs) == []
    assert not any(Path(p).exists() for p in disk_fills_up)
    after = snapshot(session.dir)
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }
    assert session.manifest().outputs == ()


def _grainy_png() -> bytes:
    """A background that does not compress to nothing, so every format writes more than 200 bytes."""
    buffer = io.BytesIO()
    Image.effect_noise((48, 48), 90).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_unwritable_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session: Session) -> None:
    """We run as root, so chmod 0500 would not stop us: the refusal is simulated where the file is created."""
    add_images(session, [("bg.png", solid_png((24, 24))), ("logo.png", solid_png((6, 6)))])
    plan = prepare(_scene(session, STILL), tag_map(session))
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)

    def refused(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(RenderError) as caught:
        export(plan, folder / "out.png", OutputFormat.PNG)
    assert str(caught.value) == f"Cannot write out.png: no permission to write in '{folder}' — choose another folder."
    assert os.listdir(folder) == []


def test_an_output_folder_that_vanished(tmp_path: Path, session: Session) -> None:
    add_images(session, [("bg.png", solid_png((24, 24))), ("logo.png", solid_png((6, 6)))])
    plan = prepare(_scene(session, STILL), tag_map(session))
    with pytest.raises(RenderError) as caught:
        export(plan, tmp_path / "gone" / "out.png", OutputFormat.PNG)
    assert str(caught.value) == f"Cannot write out.png: the folder '{tmp_path / 'gone'}' does not exist."

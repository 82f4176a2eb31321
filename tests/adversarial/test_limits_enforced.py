"""Session limits hold against batches, races and environment overrides; every refusal states the limit."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from pathlib import Path

import pytest
from fixtures_images import encode, solid_png
from PIL import Image
from session_helpers import make_store, run_in_threads, snapshot

from imagegen.errors import UploadError
from imagegen.files import format_bytes
from imagegen.limits import Limits
from imagegen.store.assets import add_image, add_images
from imagegen.store.session import SessionStore

pytestmark = pytest.mark.adversarial


def _noisy_png(side: int = 48) -> bytes:
    """A PNG that barely compresses, so its stored copy has a predictable, non-trivial size."""
    return encode(Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)))


def test_a_batch_beyond_the_image_count_keeps_exactly_the_limit(tmp_path: Path) -> None:
    session = make_store(tmp_path / "d", max_images_per_session=5).create()
    result = add_images(session, [(f"img{n}.png", solid_png()) for n in range(8)])
    assert [a.original_name for a in result.added] == [f"img{n}.png" for n in range(5)]
    assert [str(e) for e in result.errors] == [
        f"img{n}.png: this session already holds 5 images, the most allowed; remove one first." for n in range(5, 8)
    ]
    assert len(os.listdir(session.uploads)) == 10


def test_racing_uploads_cannot_overshoot_the_image_count(tmp_path: Path) -> None:
    store = make_store(tmp_path / "d", max_images_per_session=5)
    session = store.create()
    refused: list[str] = []
    start = threading.Barrier(8)

    def upload(worker: int) -> None:
        handle = store.open(session.id)
        start.wait()
        for n in range(3):
            try:
                add_image(handle, f"w{worker}-{n}.png", solid_png())
            except UploadError as exc:
                refused.append(str(exc))

    run_in_threads(upload, [(w,) for w in range(8)])
    assets = session.manifest().assets
    assert len(assets) == 5
    assert len(refused) == 8 * 3 - 5
    assert all(
        m.endswith(": this session already holds 5 images, the most allowed; remove one first.") for m in refused
    )
    assert sorted(os.listdir(session.uploads)) == sorted(n for a in assets for n in (a.file, a.thumb))


def _stored_size(tmp_path: Path, data: bytes) -> int:
    """Bytes one upload of ``data`` takes in a session (normalised copy + thumbnail)."""
    scratch = make_store(tmp_path / "scratch").create()
    add_image(scratch, "probe.png", data)
    return scratch.bytes_used()


def test_the_byte_budget_counts_uploads_and_outputs(tmp_path: Path) -> None:
    noisy = _noisy_png()
    budget = _stored_size(tmp_path, noisy) + 10_000
    session = make_store(tmp_path / "d", max_session_bytes=budget).create()
    (session.outputs / "render.gif").write_bytes(bytes(20_000))  # an earlier output uses part of the budget
    first = add_image(session, "small.png", solid_png((4, 4)))
    before = snapshot(session.dir)
    with pytest.raises(UploadError) as caught:
        add_image(session, "noisy.png", noisy)
    assert re.fullmatch(
        rf"noisy\.png: the session would use [\d.]+ KB, over the {re.escape(format_bytes(budget))} limit per session;"
        r" remove some images or outputs first\.",
        str(caught.value),
    )
    assert snapshot(session.dir) == before
    (session.outputs / "render.gif").unlink()
    assert add_image(session, "noisy.png", noisy).tag == "noisy"
    assert session.manifest().assets[0].id == first.id
    assert session.bytes_used() <= budget


def test_racing_uploads_cannot_overshoot_the_byte_budget(tmp_path: Path) -> None:
    noisy = _noisy_png()
    budget = 4 * _stored_size(tmp_path, noisy) + 1000  # room for four uploads, not five
    store = make_store(tmp_path / "d", max_session_bytes=budget)
    session = store.create()
    start = threading.Barrier(6)

    def upload(worker: int) -> None:
        start.wait()
        for n in range(3):
            with contextlib.suppress(UploadError):
                add_image(session, f"w{worker}-{n}.png", noisy)

    run_in_threads(upload, [(w,) for w in range(6)])
    assert len(session.manifest().assets) == 4
    assert session.bytes_used() <= budget


def test_limits_from_the_environment_reach_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("IMAGEGEN_MAX_IMAGES_PER_SESSION", "2")
    monkeypatch.setenv("IMAGEGEN_MAX_FILE_BYTES", "lots")  # a typo must not switch the limit off
    with caplog.at_level(logging.WARNING, logger="imagegen.limits"):
        limits = Limits.from_env()
    assert "ignoring IMAGEGEN_MAX_FILE_BYTES='lots': expected a positive whole number" in caplog.text
    assert limits.max_file_bytes == Limits().max_file_bytes
    session = SessionStore(tmp_path / "d", limits=limits).create()
    result = add_images(session, [("a.png", solid_png()), ("b.png", solid_png()), ("c.png", solid_png())])
    assert [str(e) for e in result.errors] == [
        "c.png: this session already holds 2 images, the most allowed; remove one first."
    ]


@pytest.mark.parametrize("raw", ["0", "-5", "nan", "inf", "1e309", "0x10", "10 MB", "٣"])
def test_nonsense_limits_are_ignored(raw: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="imagegen.limits"):
        limits = Limits.from_env({"IMAGEGEN_MAX_FILE_BYTES": raw, "IMAGEGEN_SESSION_TTL_S": raw})
    assert (limits.max_file_bytes, limits.session_ttl_s) == (Limits().max_file_bytes, Limits().session_ttl_s)
    assert caplog.text.count("ignoring IMAGEGEN_") == 2

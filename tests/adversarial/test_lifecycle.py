"""Session lifecycle under attack: the sweeper racing uploads, planted symlinks, forged and stale ids."""

from __future__ import annotations

import os
import string
import threading
from pathlib import Path

import pytest
from fixtures_images import solid_png
from hypothesis import given, settings
from hypothesis import strategies as st
from session_helpers import TTL, Clock, make_store, recorded_fs_calls, snapshot

from imagegen.errors import SessionError, SessionExpiredError
from imagegen.store import assets as assets_module
from imagegen.store import session as session_module
from imagegen.store.assets import add_image
from imagegen.store.session import ID_RE, Session, SessionStore

pytestmark = pytest.mark.adversarial


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "outside"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    return target


def _outside_intact(outside: Path) -> bool:
    return sorted(os.listdir(outside)) == ["precious.txt"] and (outside / "precious.txt").read_text() == "keep me"


# --- the sweeper against an upload in flight ---------------------------------------------------------------
def test_sweeper_removes_a_session_while_an_upload_decodes(
    store: SessionStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, bystander = store.create(), store.create()
    add_image(bystander, "mine.png", solid_png())
    real_decode = assets_module.decode_image

    def slow_decode(*args: object, **kwargs: object) -> object:
        decoded = real_decode(*args, **kwargs)  # type: ignore[arg-type]
        clock.advance(TTL + 1)
        bystander.manifest()  # the bystander stays active
        assert store.sweep() == [victim.id]  # the victim went idle meanwhile: swept mid-upload
        return decoded

    monkeypatch.setattr(assets_module, "decode_image", slow_decode)
    bystander_before = snapshot(bystander.dir)
    with pytest.raises(SessionExpiredError, match=r"^This session has expired or was reset\.$"):
        add_image(victim, "late.png", solid_png())
    assert sorted(os.listdir(store.root)) == [bystander.id]  # no partial files, no trash left
    after = snapshot(bystander.dir)
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {
        k: v for k, v in bystander_before.items() if k != "manifest.json"
    }
    assert [a.original_name for a in bystander.manifest().assets] == ["mine.png"]


def test_sweeper_waits_out_an_upload_that_is_writing(
    store: SessionStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = store.create()
    clock.advance(TTL + 1)  # idle by the clock, but an upload is writing right now
    real_write = session_module.write_atomic
    swept_during_write: list[list[str]] = []

    def write_and_sweep(path: Path, data: bytes, **kwargs: object) -> None:
        real_write(path, data, **kwargs)  # type: ignore[arg-type]
        if not swept_during_write:
            sweeper = threading.Thread(target=lambda: swept_during_write.append(store.sweep(clock.now)))
            sweeper.start()
            sweeper.join(10)

    monkeypatch.setattr(session_module, "write_atomic", write_and_sweep)
    asset = add_image(session, "busy.png", solid_png())
    assert swept_during_write == [[]]  # the session was locked: the sweeper skipped it
    assert session.manifest().assets == (asset,)
    assert (session.uploads / asset.file).is_file()


def test_uploads_in_threads_while_sessions_are_reset_and_swept(store: SessionStore, clock: Clock) -> None:
    """Real threads: ten sessions upload while half of them are deleted (another tab's reset) and the sweeper
    runs. Every upload lands in a live session or fails with SessionExpiredError (and stays failed), active
    sessions are never swept, and nothing partial is left anywhere."""
    sessions = [store.create() for _ in range(10)]
    doomed = {s.id for s in sessions[::2]}
    outcomes: dict[str, list[str]] = {s.id: [] for s in sessions}
    start = threading.Barrier(len(sessions) + 1)

    def upload(session: Session) -> None:
        start.wait()
        for n in range(8):
            try:
                add_image(session, f"{n}.png", solid_png((4, 4)))
                outcomes[session.id].append("added")
            except SessionExpiredError:
                outcomes[session.id].append("expired")

    threads = [threading.Thread(target=upload, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    start.wait()
    pending = set(doomed)
    while pending:
        assert store.sweep(clock.now) == []  # everyone is active
        for session_id in list(pending):
            if outcomes[session_id]:  # mid-upload: at least one landed
                store.delete(session_id)
                pending.discard(session_id)
    for thread in threads:
        thread.join(30)
    assert sorted(os.listdir(store.root)) == sorted(s.id for s in sessions if s.id not in doomed)
    for s in sessions:
        if s.id in doomed:
            added = outcomes[s.id].count("added")
            assert outcomes[s.id] == ["added"] * added + ["expired"] * (8 - added)  # once gone, always gone
        else:
            assert outcomes[s.id] == ["added"] * 8
            manifest = s.manifest()
            assert [a.original_name for a in manifest.assets] == [f"{n}.png" for n in range(8)]
            assert sorted(os.listdir(s.uploads)) == sorted(n for a in manifest.assets for n in (a.file, a.thumb))


# --- planted symlinks -------------------------------------------------------------------------------------
def test_sweeper_never_follows_links_planted_anywhere(store: SessionStore, clock: Clock, outside: Path) -> None:
    idle = store.create()
    (idle.uploads / "to-dir").symlink_to(outside)
    (idle.outputs / "to-file.png").symlink_to(outside / "precious.txt")
    (idle.dir / "loop").symlink_to(idle.dir / "loop")
    os.link(outside / "precious.txt", idle.uploads / "hardlink.png")
    nested = idle.outputs / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "deep").symlink_to(outside)
    (store.root / "root-to-dir").symlink_to(outside)
    (store.root / ("c" * 32)).symlink_to(outside)
    clock.advance(TTL + 1)
    store.sweep(clock.now)
    assert os.listdir(store.root) == []
    assert _outside_intact(outside)


def test_a_session_folder_replaced_by_a_link_to_another_session_is_refused(store: SessionStore) -> None:
    mine, other = store.create(), store.create()
    add_image(other, "secret.png", solid_png())
    forged = store.root / ("d" * 32)
    forged.symlink_to(other.dir)
    with pytest.raises(SessionError, match="Cannot lock the session"):
        store.open(forged.name)
    with pytest.raises(SessionError, match="not a plain file"):
        Session(store, forged.name).path_of(Session(store, forged.name).uploads, other.manifest().assets[0].file)
    assert mine.manifest().assets == ()


def test_uploads_are_never_written_through_a_planted_link(store: SessionStore, outside: Path) -> None:
    session = store.create()
    session.uploads.rmdir()
    session.uploads.symlink_to(outside)
    with pytest.raises(SessionError, match=r"^This session's uploads folder is not a plain folder; start a new"):
        add_image(session, "x.png", solid_png())
    assert _outside_intact(outside)
    assert session.manifest().assets == ()


def test_file_serving_never_follows_links(store: SessionStore, outside: Path) -> None:
    session = store.create()
    (session.outputs / "leak.png").symlink_to(outside / "precious.txt")
    for name in ("leak.png", "../../outside/precious.txt", "/etc/passwd", "..", ".", "x/../../y"):
        with pytest.raises(SessionError):
            session.path_of(session.outputs, name)


# --- forged and stale ids never reach the filesystem ------------------------------------------------------
not_an_id = st.text(max_size=40).filter(lambda s: not ID_RE.fullmatch(s)) | st.sampled_from(
    ["../" + "a" * 29, "%2e%2e/" + "0" * 25, "/" + "0" * 31, "0" * 31 + "/", "A" * 32, "a" * 32 + "\x00"]
)


@settings(max_examples=150, deadline=None)
@given(bad=not_an_id)
def test_forged_ids_never_reach_the_filesystem(tmp_path_factory: pytest.TempPathFactory, bad: str) -> None:
    store = make_store(tmp_path_factory.mktemp("forged"))
    with pytest.MonkeyPatch.context() as patch, recorded_fs_calls(patch) as calls:
        with pytest.raises(SessionError):
            store.open(bad)
        with pytest.raises(SessionError):
            store.delete(bad)
        with pytest.raises(SessionError):
            Session(store, bad)
        assert store.exists(bad) is False
    assert calls == []


def test_removed_ids_never_reach_the_filesystem(
    store: SessionStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    deleted, swept = store.create(), store.create()
    store.delete(deleted.id)
    clock.advance(TTL + 1)
    assert store.sweep() == [swept.id]
    for gone in (deleted.id, swept.id):
        with recorded_fs_calls(monkeypatch) as calls:
            with pytest.raises(SessionExpiredError):
                store.open(gone)
            assert store.exists(gone) is False
        assert calls == []


def test_an_unknown_well_formed_id_creates_nothing(store: SessionStore) -> None:
    store.create()
    before = snapshot(store.root)
    for guess in ("0" * 32, string.hexdigits.lower()[:16] * 2):
        with pytest.raises(SessionExpiredError):
            store.open(guess)
    assert snapshot(store.root) == before


def test_many_stores_share_nothing(tmp_path: Path) -> None:
    first, second = make_store(tmp_path / "one"), make_store(tmp_path / "two")
    session = first.create()
    with pytest.raises(SessionExpiredError):
        second.open(session.id)
    assert os.listdir(second.root) == []

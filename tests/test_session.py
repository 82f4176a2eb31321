"""Session store: ids, layout, opening, touching, deleting, sweeping, atomic manifests, concurrency."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from session_helpers import TTL, Clock, make_store, recorded_fs_calls, run_in_threads, snapshot

from imagegen.errors import SessionError, SessionExpiredError
from imagegen.store import session as session_module
from imagegen.store.session import ID_RE, MANIFEST, Manifest, Output, Session, SessionStore


def _output(n: int) -> Output:
    return Output(id=f"o{n}", file=f"f{n}.png", prompt="p", format="png", tags=("a",), frames=1, bytes=1, created=0.0)


def _manifest_on_disk(session: Session) -> dict[str, object]:
    return json.loads((session.dir / MANIFEST).read_text())


# --- layout ----------------------------------------------------------------------------------------------
def test_create_makes_a_private_folder_with_uploads_outputs_and_manifest(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    assert ID_RE.fullmatch(session.id)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(session.dir.stat().st_mode) == 0o700
    assert sorted(p.name for p in session.dir.iterdir()) == ["manifest.json", "outputs", "uploads"]
    assert _manifest_on_disk(session) == {
        "id": session.id,
        "created": clock.now,
        "last_active": clock.now,
        "assets": [],
        "outputs": [],
        "next_image_number": 1,
        "draft_prompt": "",
    }


def test_the_draft_prompt_is_kept_in_the_manifest_and_bounded(store: SessionStore) -> None:
    session = store.create()
    session.save_draft("Place @logo on top right")
    assert store.open(session.id).manifest().draft_prompt == "Place @logo on top right"
    session.save_draft("x" * (store.limits.max_prompt_chars + 50))
    assert len(session.manifest().draft_prompt) == store.limits.max_prompt_chars


def test_a_manifest_written_before_the_draft_field_still_opens(store: SessionStore) -> None:
    session = store.create()
    data = _manifest_on_disk(session)
    del data["draft_prompt"]
    (session.dir / "manifest.json").write_text(json.dumps(data))
    assert session.manifest().draft_prompt == ""


def test_ids_are_unguessable_and_distinct(store: SessionStore) -> None:
    ids = {store.create().id for _ in range(50)}
    assert len(ids) == 50
    assert all(ID_RE.fullmatch(i) for i in ids)
    assert len({i[:8] for i in ids}) == 50  # no shared prefix: not a counter or a timestamp


def test_data_dir_comes_from_the_environment_and_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = tmp_path / "configured"
    configured.mkdir(mode=0o755)
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(configured))
    store = SessionStore()
    assert store.root == configured
    assert stat.S_IMODE(configured.stat().st_mode) == 0o700
    assert store.create().dir.parent == configured


# --- open ------------------------------------------------------------------------------------------------
BAD_IDS = [
    "../x",
    "%2e%2e",
    "%2e%2e%2f" + "0" * 23,
    "/etc/passwd",
    "/" + "a" * 31,
    "..",
    "",
    "A" * 32,  # upper-case hex is not our form
    "0" * 31,
    "0" * 33,
    "0" * 32 + "\n",
    "０" * 32,  # full-width digits
    "a" * 16 + "\u202e" + "a" * 15,
    "a" * 31 + "\x00",
    None,
    32,
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=[repr(b) for b in BAD_IDS])
def test_open_rejects_malformed_ids_without_touching_the_filesystem(
    store: SessionStore, bad: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with recorded_fs_calls(monkeypatch) as calls, pytest.raises(SessionError) as caught:
        store.open(bad)  # type: ignore[arg-type]
    assert calls == []
    assert str(caught.value) == "That session link is not valid."
    assert type(caught.value) is SessionError
    assert store.exists(bad) is False  # type: ignore[arg-type]


def test_open_of_an_unknown_id_is_expired_and_creates_nothing(store: SessionStore) -> None:
    before = snapshot(store.root)
    with pytest.raises(SessionExpiredError, match=r"^This session has expired or was reset\.$"):
        store.open("0123456789abcdef" * 2)
    assert snapshot(store.root) == before


def test_open_of_a_deleted_session_never_reaches_the_filesystem(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = store.create()
    store.delete(session.id)
    with recorded_fs_calls(monkeypatch) as calls, pytest.raises(SessionExpiredError):
        store.open(session.id)
    assert calls == []
    assert not store.exists(session.id)


def test_open_after_the_ttl_removes_the_session(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    clock.advance(TTL + 1)
    with pytest.raises(SessionExpiredError) as caught:
        store.open(session.id)
    assert str(caught.value) == "That session expired after being idle for over an hour."
    assert not session.dir.exists()
    assert os.listdir(store.root) == []


def test_open_within_the_ttl_touches(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    clock.advance(TTL - 1)
    reopened = store.open(session.id)
    assert reopened.id == session.id
    assert _manifest_on_disk(session)["last_active"] == clock.now


# --- touching and info -----------------------------------------------------------------------------------
def test_every_write_and_each_minute_of_reads_touches_last_active(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    clock.advance(session_module.TOUCH_EVERY_S)
    assert session.manifest().last_active == clock.now
    assert _manifest_on_disk(session)["last_active"] == clock.now
    clock.advance(10)
    session.update(lambda m: replace(m, outputs=(_output(1),)))
    assert _manifest_on_disk(session)["last_active"] == clock.now
    clock.advance(session_module.TOUCH_EVERY_S)
    session.info()
    assert _manifest_on_disk(session)["last_active"] == clock.now


def test_reads_within_a_minute_write_nothing(
    store: SessionStore, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = store.create()
    writes: list[Path] = []
    real = session_module.write_atomic
    monkeypatch.setattr(session_module, "write_atomic", lambda path, data: (writes.append(path), real(path, data)))
    clock.advance(session_module.TOUCH_EVERY_S - 1)
    for _ in range(8):  # what one Compose rerun reads
        session.manifest()
        session.info()
    store.open(session.id).manifest()
    assert writes == []
    with session.edit() as draft:
        draft.manifest = replace(draft.manifest, outputs=(_output(1),))
    assert writes == [session.dir / MANIFEST]  # an edit writes once


def test_an_edit_that_raises_writes_nothing(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    before = _manifest_on_disk(session)
    with pytest.raises(RuntimeError), session.edit() as draft:
        draft.manifest = replace(draft.manifest, outputs=(_output(1),))
        raise RuntimeError("changed my mind")
    assert _manifest_on_disk(session) == before


def test_info(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    created = clock.now
    (session.uploads / "a.png").write_bytes(b"x" * 100)
    (session.outputs / "b.png").write_bytes(b"y" * 50)
    session.update(lambda m: replace(m, outputs=(_output(1), _output(2))))
    clock.advance(session_module.TOUCH_EVERY_S)  # a read refreshes the TTL clock once a minute
    info = session.info()
    assert (info.id, info.short_id) == (session.id, session.id[:8])
    assert (info.created, info.last_active, info.expires_at) == (created, clock.now, clock.now + TTL)
    assert (info.assets, info.outputs, info.bytes_used) == (0, 2, 150)


# --- delete ----------------------------------------------------------------------------------------------
def test_delete_removes_everything(store: SessionStore) -> None:
    keep = store.create()
    gone = store.create()
    (gone.uploads / "a.png").write_bytes(b"x")
    (gone.outputs / "nested").mkdir()
    store.delete(gone.id)
    assert sorted(os.listdir(store.root)) == [keep.id]
    store.delete(gone.id)  # already gone: no error
    with pytest.raises(SessionExpiredError):
        gone.manifest()
    with pytest.raises(SessionError, match="not valid"):
        store.delete("../" + keep.id)


# --- sweep -----------------------------------------------------------------------------------------------
def test_sweep_keeps_active_sessions_and_removes_idle_ones_and_orphans(store: SessionStore, clock: Clock) -> None:
    active, idle = store.create(), store.create()
    orphan = store.root / "not-a-session"
    orphan.mkdir()
    (orphan / "junk").write_bytes(b"x")
    stray = store.root / "stray.txt"
    stray.write_text("x")
    half_made = store.root / ("f" * 32)  # a session folder without a manifest (crash during create)
    half_made.mkdir()
    clock.advance(TTL + 10)
    active.manifest()
    fresh_orphan = store.root / "just-made"
    fresh_orphan.mkdir()
    os.utime(fresh_orphan, (clock.now, clock.now))
    removed = store.sweep(clock.now)
    assert sorted(removed) == sorted([idle.id, "not-a-session", "stray.txt", "f" * 32])
    assert sorted(os.listdir(store.root)) == sorted([active.id, "just-made"])
    assert active.manifest().id == active.id


def test_sweep_uses_the_store_clock_by_default(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    assert store.sweep() == []
    clock.advance(TTL + 1)
    assert store.sweep() == [session.id]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the store that planted symlinks point at; it must survive every sweep."""
    target = tmp_path / "outside"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    return target


def _assert_outside_intact(outside: Path) -> None:
    assert (outside / "precious.txt").read_text() == "keep me"
    assert sorted(os.listdir(outside)) == ["precious.txt"]


def test_sweep_never_follows_symlinks(store: SessionStore, clock: Clock, outside: Path) -> None:
    idle = store.create()
    (idle.uploads / "link").symlink_to(outside)
    (idle.dir / "link-file").symlink_to(outside / "precious.txt")
    (store.root / "root-link").symlink_to(outside)
    (store.root / ("e" * 32)).symlink_to(outside)  # a link named like a session
    clock.advance(TTL + 1)
    removed = store.sweep(clock.now)
    assert sorted(removed) == sorted([idle.id, "root-link", "e" * 32])
    assert os.listdir(store.root) == []
    _assert_outside_intact(outside)


def test_sweep_of_a_session_whose_lock_file_is_a_symlink(store: SessionStore, clock: Clock, outside: Path) -> None:
    session = store.create()
    (session.dir / ".lock").symlink_to(outside / "precious.txt")
    assert store.sweep(clock.now) == []  # young: kept
    clock.advance(TTL + 1)
    os.utime(session.dir, (clock.now - TTL - 1, clock.now - TTL - 1))
    assert store.sweep(clock.now) == [session.id]
    _assert_outside_intact(outside)


def test_active_session_with_planted_symlink_is_kept_and_its_target_untouched(
    store: SessionStore, clock: Clock, outside: Path
) -> None:
    session = store.create()
    (session.outputs / "link").symlink_to(outside)
    assert store.sweep(clock.now) == []
    assert (session.outputs / "link").is_symlink()
    _assert_outside_intact(outside)


@pytest.mark.parametrize("vanish", ["folder", "manifest"])
def test_sweep_tolerates_a_session_disappearing_under_it(
    store: SessionStore, clock: Clock, monkeypatch: pytest.MonkeyPatch, vanish: str
) -> None:
    first, second, third = (store.create() for _ in range(3))
    clock.advance(TTL + 1)
    real = SessionStore._sweep_entry

    def racing(self: SessionStore, entry: os.DirEntry[str], now: float) -> bool:
        if entry.name == second.id:  # someone else removes it right after the listing
            if vanish == "folder":
                shutil.rmtree(entry.path)
            else:
                os.unlink(Path(entry.path) / MANIFEST)
        return real(self, entry, now)

    monkeypatch.setattr(SessionStore, "_sweep_entry", racing)
    removed = store.sweep(clock.now)
    assert {first.id, third.id} <= set(removed)
    assert not first.dir.exists() and not third.dir.exists()


def test_sweep_skips_a_session_in_use(store: SessionStore, clock: Clock) -> None:
    session = store.create()
    clock.advance(TTL + 1)
    in_use = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with session.lock():
            in_use.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    in_use.wait(10)
    try:
        assert store.sweep(clock.now) == []
        assert session.dir.is_dir()
    finally:
        release.set()
        worker.join()
    assert store.sweep(clock.now) == [session.id]


def test_sweep_of_a_missing_root(tmp_path: Path) -> None:
    store = make_store(tmp_path / "data")
    store.root.rmdir()
    assert store.sweep() == []


# --- manifest --------------------------------------------------------------------------------------------
def test_a_failed_manifest_write_leaves_the_old_one_and_no_temp_file(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = store.create()
    session.update(lambda m: replace(m, outputs=(_output(1),)))
    before = (session.dir / MANIFEST).read_bytes()

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(session_module.os, "replace", disk_full)
    with pytest.raises(SessionError) as caught:
        session.update(lambda m: replace(m, outputs=(*m.outputs, _output(2))))
    assert str(caught.value) == "The session could not be saved (No space left on device); nothing was changed."
    monkeypatch.undo()
    assert (session.dir / MANIFEST).read_bytes() == before
    assert sorted(os.listdir(session.dir)) == [".lock", "manifest.json", "outputs", "uploads"]


def test_readers_never_see_half_a_manifest(store: SessionStore) -> None:
    session = store.create()
    stop = threading.Event()
    seen: list[int] = []
    problems: list[Exception] = []

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(len(json.loads((session.dir / MANIFEST).read_text())["outputs"]))
            except Exception as exc:  # any partial read would show up here
                problems.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(150):
            session.update(lambda m, n=n: replace(m, outputs=(*m.outputs, _output(n))))
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert seen == sorted(seen) and seen[-1] <= 150


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "The session's manifest is damaged"),
        ("[1, 2]", "The session's manifest is damaged"),
        ('{"id": "x"}', "The session's manifest is damaged"),
    ],
)
def test_a_damaged_manifest_is_a_session_error(store: SessionStore, content: str, message: str) -> None:
    session = store.create()
    (session.dir / MANIFEST).write_text(content)
    with pytest.raises(SessionError, match=message):
        session.manifest()


def test_manifest_round_trips() -> None:
    manifest = Manifest(id="a" * 32, created=1.0, last_active=2.0, outputs=(_output(1),), next_image_number=4)
    assert Manifest.from_json(manifest.to_json()) == manifest
    with pytest.raises(SessionError, match=r"No image with id 'zz' in this session\."):
        manifest.asset("zz")


# --- concurrency -----------------------------------------------------------------------------------------
def test_concurrent_updates_from_many_threads_keep_every_change(store: SessionStore) -> None:
    session = store.create()
    handles = [store.open(session.id) for _ in range(8)]  # separate handles on one session
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(25):
                output = _output(worker * 100 + n)
                handles[worker].update(lambda m, o=output: replace(m, outputs=(*m.outputs, o)))
        except BaseException as exc:
            errors.append(exc)

    run_in_threads(work, [(w,) for w in range(8)])
    assert errors == []
    ids = [o["id"] for o in _manifest_on_disk(session)["outputs"]]  # type: ignore[union-attr]
    assert sorted(ids) == sorted(f"o{w * 100 + n}" for w in range(8) for n in range(25))


def _update_in_process(root: str, session_id: str, worker: int) -> None:
    store = SessionStore(Path(root))
    session = Session(store, session_id)
    for n in range(20):
        output = _output(worker * 100 + n)
        session.update(lambda m, o=output: replace(m, outputs=(*m.outputs, o)))


def test_concurrent_updates_from_several_processes_keep_every_change(store: SessionStore) -> None:
    session = store.create()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_update_in_process, args=(str(store.root), session.id, w)) for w in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert len(_manifest_on_disk(session)["outputs"]) == 60  # type: ignore[arg-type]


def test_lock_is_reentrant_and_try_lock_does_not_wait(store: SessionStore) -> None:
    session = store.create()
    results: list[object] = []
    with session.lock():
        session.update(lambda m: m)  # nested: same thread, no deadlock
        worker = threading.Thread(target=lambda: results.append(session.try_lock()))
        worker.start()
        worker.join(10)
    assert results == [None]
    acquired = session.try_lock()
    assert acquired is not None
    with acquired:
        pass


def test_forged_ids_do_not_pile_up_locks_in_memory(store: SessionStore) -> None:
    before = len(session_module._thread_locks)
    for n in range(500):
        with pytest.raises(SessionExpiredError):
            store.open(f"{n:032x}")
    assert len(session_module._thread_locks) <= before + 1


# --- path_of (file serving) ------------------------------------------------------------------------------
def test_path_of_serves_plain_files_only(store: SessionStore, outside: Path) -> None:
    session = store.create()
    (session.outputs / "out.png").write_bytes(b"png")
    assert session.path_of(session.outputs, "out.png") == session.outputs / "out.png"
    (session.outputs / "link.png").symlink_to(outside / "precious.txt")
    cases = {
        "../manifest.json": "Not a file of this session",
        "a/b.png": "Not a file of this session",
        ".lock": "Not a file of this session",
        "": "Not a file of this session",
        "x\x00.png": "Not a file of this session",
        "link.png": "not a plain file of this session",
        "gone.png": "no longer in this session",
    }
    for name, message in cases.items():
        with pytest.raises(SessionError, match=message):
            session.path_of(session.outputs, name)
    with pytest.raises(SessionError, match="Not a folder of this session"):
        session.path_of(session.dir, "manifest.json")


def test_path_of_refuses_a_symlinked_folder(store: SessionStore, outside: Path) -> None:
    session = store.create()
    shutil.rmtree(session.outputs)
    session.outputs.symlink_to(outside)
    with pytest.raises(SessionError, match="not a plain file of this session"):
        session.path_of(session.outputs, "precious.txt")
    _assert_outside_intact(outside)


def test_a_new_session_is_made_even_after_the_data_folder_was_cleaned_away(store: SessionStore) -> None:
    import shutil

    shutil.rmtree(store.root)  # a tmp cleaner, or an operator, removed it while the app runs
    session = store.create()
    assert (session.dir / "uploads").is_dir() and session.manifest().assets == ()

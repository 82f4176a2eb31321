"""Session store: an unguessable id -> its own directory with uploads, outputs and a manifest.

Layout under the store's root (a 0700 folder)::

    <id>/manifest.json   assets, tags, outputs, created, last active (written atomically)
    <id>/uploads/        normalised PNGs and thumbnails under generated names
    <id>/outputs/        rendered files
    <id>/.lock           flock target: one writer at a time per session, across threads and processes

The sweeper removes sessions idle longer than the TTL; it takes the session's lock without waiting, so it
never removes a session in the middle of an operation, and it never follows symlinks.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from imagegen.errors import SessionError, SessionExpiredError
from imagegen.limits import LIMITS, Limits

log = logging.getLogger(__name__)

ID_RE = re.compile(r"[0-9a-f]{32}")
MANIFEST = "manifest.json"
LOCK = ".lock"
_TRASH_PREFIX = ".trash-"


@dataclass(frozen=True)
class Asset:
    """One uploaded image as stored in the session."""

    id: str
    tag: str
    original_name: str
    file: str
    thumb: str
    width: int
    height: int
    has_alpha: bool
    source_format: str
    bytes: int
    added: float


@dataclass(frozen=True)
class Output:
    """One rendered file of the session."""

    id: str
    file: str
    prompt: str
    format: str
    tags: tuple[str, ...]
    frames: int
    bytes: int
    created: float
    scene_json: str = ""


@dataclass(frozen=True)
class Manifest:
    """Everything a session knows, as stored in ``manifest.json``."""

    id: str
    created: float
    last_active: float
    assets: tuple[Asset, ...] = ()
    outputs: tuple[Output, ...] = ()
    next_image_number: int = 1

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        data["assets"] = tuple(Asset(**a) for a in data.get("assets", ()))
        data["outputs"] = tuple(Output(**{**o, "tags": tuple(o["tags"])}) for o in data.get("outputs", ()))
        return cls(**data)

    def asset(self, asset_id: str) -> Asset:
        for asset in self.assets:
            if asset.id == asset_id:
                return asset
        raise SessionError(f"No image with id {asset_id!r} in this session.")


@dataclass(frozen=True)
class SessionInfo:
    """What the UI shows about a session."""

    id: str
    created: float
    last_active: float
    expires_at: float
    assets: int
    outputs: int
    bytes_used: int

    @property
    def short_id(self) -> str:
        return self.id[:8]


_thread_locks: dict[str, threading.RLock] = {}
_thread_locks_guard = threading.Lock()
# Sessions whose flock this thread already holds: a nested lock() must not flock again (a second fd
# would wait on the first one forever).
_held = threading.local()


def _thread_lock(key: str) -> threading.RLock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(key, threading.RLock())


def default_root() -> Path:
    """``IMAGEGEN_DATA_DIR`` if set, else a folder under the system temp dir."""
    configured = os.environ.get("IMAGEGEN_DATA_DIR")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "imagegen-sessions"


@dataclass
class SessionStore:
    """Creates, opens, deletes and sweeps sessions under ``root``."""

    root: Path = field(default_factory=default_root)
    limits: Limits = LIMITS
    clock: Any = time.time

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            self.root.chmod(0o700)

    @property
    def ttl_s(self) -> float:
        return self.limits.session_ttl_s

    def create(self) -> Session:
        """A new empty session with an unguessable id."""
        session_id = secrets.token_hex(16)
        directory = self.root / session_id
        directory.mkdir(mode=0o700)
        (directory / "uploads").mkdir()
        (directory / "outputs").mkdir()
        now = self.clock()
        session = Session(self, session_id)
        session._write_manifest(Manifest(id=session_id, created=now, last_active=now))
        log.info("created session %s", session_id[:8])
        return session

    def open(self, session_id: str) -> Session:
        """The live session ``session_id``; touches it.

        :raise SessionError: the id is not of our form (nothing reaches the filesystem).
        :raise SessionExpiredError: no such session, or idle past the TTL.
        """
        if not isinstance(session_id, str) or not ID_RE.fullmatch(session_id):
            raise SessionError("That session link is not valid; a new session was started.")
        session = Session(self, session_id)
        with session.lock():
            manifest = session._read_manifest()
            if self.clock() - manifest.last_active > self.ttl_s:
                self._remove_dir(session.dir)
                raise SessionExpiredError(
                    f"That session expired (idle for over {_duration(self.ttl_s)}); a new one was started."
                )
            session._write_manifest(replace(manifest, last_active=self.clock()))
        return session

    def exists(self, session_id: str) -> bool:
        return bool(ID_RE.fullmatch(session_id or "")) and (self.root / session_id / MANIFEST).is_file()

    def delete(self, session_id: str) -> None:
        """Remove a session and everything in it (no error if it is already gone)."""
        if not ID_RE.fullmatch(session_id or ""):
            raise SessionError("That session id is not valid.")
        session = Session(self, session_id)
        with session.lock(missing_ok=True):
            self._remove_dir(session.dir)

    def sweep(self, now: float | None = None) -> list[str]:
        """Remove sessions idle longer than the TTL, orphan folders and leftovers; never follows symlinks.

        :return: the names of the removed entries.
        """
        now = self.clock() if now is None else now
        removed: list[str] = []
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return removed
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                if self._sweep_entry(entry, now):
                    removed.append(entry.name)
        return removed

    def _sweep_entry(self, entry: os.DirEntry[str], now: float) -> bool:
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            # Nothing but session folders belongs here; a planted link is removed, never followed.
            if now - entry.stat(follow_symlinks=False).st_mtime > self.ttl_s or entry.is_symlink():
                os.unlink(entry.path)
                return True
            return False
        if entry.name.startswith(_TRASH_PREFIX):
            shutil.rmtree(entry.path, ignore_errors=True)
            return True
        if not ID_RE.fullmatch(entry.name):
            return self._sweep_orphan(entry, now)
        session = Session(self, entry.name)
        acquired = session.try_lock()
        if acquired is None:
            return False  # busy: in use right now, so not idle
        with acquired:
            try:
                last_active = session._read_manifest().last_active
            except SessionError:
                return self._sweep_orphan(entry, now)
            if now - last_active <= self.ttl_s:
                return False
            self._remove_dir(session.dir)
            log.info("swept idle session %s", entry.name[:8])
            return True

    def _sweep_orphan(self, entry: os.DirEntry[str], now: float) -> bool:
        if now - entry.stat(follow_symlinks=False).st_mtime <= self.ttl_s:
            return False  # may be a session being created right now
        self._remove_dir(Path(entry.path))
        return True

    def _remove_dir(self, directory: Path) -> None:
        """Rename out of the way first (atomic), then delete; rmtree does not follow symlinks."""
        trash = directory.with_name(f"{_TRASH_PREFIX}{directory.name}-{secrets.token_hex(4)}")
        try:
            os.rename(directory, trash)
        except FileNotFoundError:
            return
        shutil.rmtree(trash, ignore_errors=True)


class Session:
    """A handle on one session directory. Cheap to create; every operation re-checks the directory."""

    def __init__(self, store: SessionStore, session_id: str) -> None:
        if not ID_RE.fullmatch(session_id):
            raise SessionError("That session id is not valid.")
        self.store = store
        self.id = session_id
        self.dir = store.root / session_id

    @property
    def uploads(self) -> Path:
        return self.dir / "uploads"

    @property
    def outputs(self) -> Path:
        return self.dir / "outputs"

    def __repr__(self) -> str:
        return f"Session({self.id[:8]})"

    # --- locking -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, *, missing_ok: bool = False) -> Iterator[None]:
        """Hold this session's lock: one thread lock (re-entrant) plus an flock for other processes."""
        held: set[str] = _held.__dict__.setdefault("ids", set())
        with _thread_lock(self.id):
            if self.id in held:
                yield
                return
            try:
                fd = os.open(self.dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            except FileNotFoundError:
                if missing_ok:
                    yield
                    return
                raise self._expired() from None
            except OSError as exc:
                raise SessionError(f"Cannot lock the session: {exc.strerror}.") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                held.add(self.id)
                yield
            finally:
                held.discard(self.id)
                os.close(fd)

    def try_lock(self) -> contextlib.AbstractContextManager[None] | None:
        """The lock if it is free right now, else None (the sweeper never waits)."""
        thread_lock = _thread_lock(self.id)
        if not thread_lock.acquire(blocking=False):
            return None
        try:
            fd = os.open(self.dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            thread_lock.release()
            raise FileNotFoundError(self.dir) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            thread_lock.release()
            return None

        @contextlib.contextmanager
        def held() -> Iterator[None]:
            try:
                yield
            finally:
                os.close(fd)
                thread_lock.release()

        return held()

    # --- manifest ------------------------------------------------------------------------------------
    def manifest(self) -> Manifest:
        """The current manifest; touches the session."""
        with self.lock():
            return self._touch(self._read_manifest())

    def update(self, change: Any) -> Manifest:
        """Apply ``change(manifest) -> manifest`` under the lock and write the result atomically."""
        with self.lock():
            new = change(self._read_manifest())
            return self._touch(new)

    def touch(self) -> None:
        self.manifest()

    def info(self) -> SessionInfo:
        manifest = self.manifest()
        return SessionInfo(
            id=self.id,
            created=manifest.created,
            last_active=manifest.last_active,
            expires_at=manifest.last_active + self.store.ttl_s,
            assets=len(manifest.assets),
            outputs=len(manifest.outputs),
            bytes_used=self.bytes_used(),
        )

    def bytes_used(self) -> int:
        total = 0
        for folder in (self.uploads, self.outputs):
            with contextlib.suppress(FileNotFoundError):
                for entry in os.scandir(folder):
                    if entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
        return total

    def path_of(self, folder: Path, name: str) -> Path:
        """A file inside ``folder`` by its stored name; refuses anything that is not a plain file there."""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise SessionError(f"Not a file of this session: {name!r}.")
        path = folder / name
        if path.is_symlink() or not path.is_file():
            raise SessionError(f"The file {name} is no longer in this session.")
        return path

    def _touch(self, manifest: Manifest) -> Manifest:
        touched = replace(manifest, last_active=self.store.clock())
        self._write_manifest(touched)
        return touched

    def _read_manifest(self) -> Manifest:
        path = self.dir / MANIFEST
        try:
            if path.is_symlink():
                raise SessionError("The session's manifest is not a regular file.")
            return Manifest.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise self._expired() from None
        except (ValueError, TypeError, KeyError) as exc:
            raise SessionError(f"The session's manifest is damaged ({exc}).") from exc

    def _write_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.dir / MANIFEST, manifest.to_json().encode(), expired=self._expired)

    def _expired(self) -> SessionExpiredError:
        return SessionExpiredError("This session has expired or was reset; start again with a new session.")


def write_atomic(path: Path, data: bytes, *, expired: Any = None) -> None:
    """Write to a temp file beside ``path``, then ``os.replace`` it in: readers never see half a file."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        if expired is not None:
            raise expired() from None
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        hours = seconds / 3600
        return "an hour" if hours == 1 else f"{hours:g} hours"
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"

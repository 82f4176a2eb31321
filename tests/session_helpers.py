"""Helpers shared by the session, asset and adversarial tests: a settable clock, a store, disk snapshots,
and a recorder of filesystem calls."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from imagegen.limits import Limits
from imagegen.store.session import SessionStore

#: Functions through which pathlib, open() and shutil reach the filesystem.
FS_FUNCTIONS = (
    "open",
    "stat",
    "lstat",
    "mkdir",
    "makedirs",
    "rmdir",
    "scandir",
    "listdir",
    "rename",
    "replace",
    "unlink",
    "remove",
    "symlink",
    "readlink",
    "chmod",
    "utime",
    "access",
)


class Clock:
    """A clock the test moves by hand; starts at the real time so file mtimes and the clock agree."""

    def __init__(self, start: float | None = None) -> None:
        import time

        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def run_in_threads(target: Callable[..., object], args: Iterable[tuple], timeout_s: float = 120) -> None:
    """Start one thread per argument tuple, all at once, and wait for every one of them."""
    threads = [threading.Thread(target=target, args=a) for a in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"


def make_store(root: Path, clock: Clock | None = None, **limits: float) -> SessionStore:
    return SessionStore(root, limits=Limits(**limits), clock=clock or Clock())


def snapshot(directory: Path) -> dict[str, str]:
    """Relative path -> content hash (or '<dir>' / '-> target' for links) of everything under ``directory``.

    The manifest's ``last_active`` changes on every read, so callers compare snapshots taken the same way.
    """
    result: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        key = str(path.relative_to(directory))
        if path.is_symlink():
            result[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            result[key] = "<dir>"
        else:
            result[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


@contextmanager
def recorded_fs_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Record every call (name, first argument) made through the ``os`` functions above and ``open``."""
    calls: list[tuple[str, str]] = []

    def spy(name: str, real: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            calls.append((name, str(args[0]) if args else ""))
            return real(*args, **kwargs)  # type: ignore[operator]

        return wrapper

    with monkeypatch.context() as patch:
        for name in FS_FUNCTIONS:
            if hasattr(os, name):
                patch.setattr(os, name, spy(f"os.{name}", getattr(os, name)))
        patch.setattr(builtins, "open", spy("open", builtins.open))
        patch.setattr(io, "open", spy("io.open", io.open))
        yield calls


# Fixtures shared by the session and adversarial suites (import them into a test module or conftest).
TTL = 3600.0


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> SessionStore:
    return make_store(tmp_path / "data", clock, session_ttl_s=TTL)

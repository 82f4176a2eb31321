"""End-to-end fixtures: a real `streamlit run app.py` and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


#: The process id of each running `server` fixture, by its URL.
SERVER_PIDS: dict[str, int] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("IMAGEGEN_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests: apt-get install -y chromium")
        pytest.skip("Chromium not installed (apt-get install -y chromium); CI installs it")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, with its own session folder."""
    port = int(os.environ.get("IMAGEGEN_E2E_PORT") or _free_port())  # a fixed port on a shared machine
    yield from run_app(tmp_path_factory, port, {"IMAGEGEN_DATA_DIR": str(tmp_path_factory.mktemp("e2e-sessions"))})


def run_app(
    tmp_path_factory: pytest.TempPathFactory, port: int, extra: dict[str, str], log_path: Path | None = None
) -> Iterator[str]:
    """`streamlit run app.py` on ``port`` with ``extra`` in its environment, until the generator is closed
    (its output in ``log_path``, or a file of its own)."""
    log_path = log_path or tmp_path_factory.mktemp("e2e-log") / "streamlit.log"
    env = {**os.environ, **extra, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{url}/_stcore/health", process, log_path)
            SERVER_PIDS[url] = process.pid
            yield url
        finally:
            SERVER_PIDS.pop(url, None)
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def server_pid(server: str) -> int:
    """The process id of the `server` fixture's `streamlit run` (to read its memory)."""
    return SERVER_PIDS[server]


def _wait_for(url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy in {timeout_s} s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    """The page's size; parametrise a test with ``@pytest.mark.parametrize("viewport", [...])``."""
    return {"width": 1280, "height": 800}


@pytest.fixture
def page(browser, server: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    """A fresh browser context (so a fresh app session) at 1280x800 (or ``viewport``), opened on the app."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # a shared, loaded machine: a slow rerun is not a failure
    page.goto(server)
    page.get_by_role("heading", name="Images & tags").wait_for()
    yield page
    context.close()

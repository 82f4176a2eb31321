"""``python -m imagegen serve --with-app``: the Streamlit app and the HTTP API in one process (one session store,
one render queue). A session made and rendered over HTTP opens in a real browser by its ``?s=`` link, and its
History shows the output; the app's own routes and the API's answer side by side."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_helpers import STILL, as_files, three_images
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    for _attempt in range(600):  # start-up: poll until it answers, or it exits
        if process.poll() is not None:
            pytest.fail(f"serve --with-app exited:\n{log_path.read_text()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"serve --with-app did not answer:\n{log_path.read_text()}")


@pytest.fixture
def one_process(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "IMAGEGEN_DATA_DIR": str(tmp_path / "sessions"), "PYTHONUNBUFFERED": "1"}
    env.pop("IMAGEGEN_API_TOKEN", None)
    command = [sys.executable, "-m", "imagegen", "serve", "--with-app", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(f"{url}/_stcore/health", process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_an_api_session_opens_in_the_app_served_by_the_same_process(one_process: str, browser) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=one_process, timeout=120) as api:
        session_id = api.post("/session/create/").json()["id"]
        assert api.post(f"/upload/{session_id}/", files=as_files(three_images())).status_code == 201
        made = api.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "size": "400x300"})
        assert made.status_code == 201, made.text
        assert api.get("/docs").status_code == 200
        assert api.get("/_stcore/health").text == "ok"
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # the shared Chromium, its own cookies
    try:
        page = context.new_page()
        page.goto(f"{one_process}/compose?s={session_id}")
        expect(page.get_by_role("heading", name="History")).to_be_visible(timeout=60_000)
        expect(page.get_by_text(made.json()["name"]).first).to_be_visible(timeout=30_000)
        assert f"s={session_id}" in page.url, "the app kept the API's session"
    finally:
        context.close()

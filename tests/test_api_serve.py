"""A real ``python -m imagegen serve`` on a free loopback port: a session made over HTTP, with three realistic
uploads, tags, a GIF and a PNG downloaded and checked pixel by pixel, then opened in the Streamlit app by its
``?s=`` link, whose History shows both outputs."""

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
from api_helpers import LOGO_RED, PRODUCT_GREEN, as_files, opened, three_images
from apptest_helpers import new_app, upload
from apptest_helpers import session_id as app_session
from helpers_pixels import centroid

ROOT = Path(__file__).resolve().parents[1]
PNG_PROMPT = "Place @item in center, @brand on top right, and @backdrop as background"
GIF_PROMPT = "@backdrop is stable background and @brand is moving from left to right"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(data_dir: Path) -> Iterator[httpx.Client]:
    """The API in its own process over ``data_dir`` (the app's store in this test), stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "IMAGEGEN_DATA_DIR": str(data_dir)}
    env.pop("IMAGEGEN_API_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "imagegen", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        for _attempt in range(600):  # start-up: poll until it answers, or it exits
            if process.poll() is not None:
                pytest.fail(f"serve exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                if client.get("/openapi.json").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not answer")
        yield client
    finally:
        client.close()
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


def test_a_session_made_over_http_renders_downloads_and_opens_in_the_app(server: httpx.Client) -> None:
    made = server.post("/session/create/")
    assert made.status_code == 201
    session_id = made.json()["id"]
    assert made.json()["app_link"] == f"/?s={session_id}"

    uploaded = server.post(f"/upload/{session_id}/", files=as_files(three_images()))
    assert uploaded.status_code == 201, uploaded.text
    assert [i["tag"] for i in uploaded.json()["added"]] == ["BG", "logo", "product"]
    tagged = server.post(f"/session/{session_id}/tag/", json={"file": "BG.jpg", "tag": "backdrop"})
    assert (tagged.status_code, tagged.json()["images"][0]["tag"]) == (200, "backdrop")
    batch = server.post(f"/session/{session_id}/tags/batch/", json={"tags": {"logo.png": "brand", "product": "item"}})
    assert sorted(i["tag"] for i in batch.json()["images"]) == ["brand", "item"]

    gif = server.post(
        f"/session/{session_id}/generate/",
        json={"prompt": GIF_PROMPT, "size": "320x200", "fps": 8, "duration": 1},
    )
    assert gif.status_code == 201, gif.text
    png = server.post(f"/session/{session_id}/generate/", json={"prompt": PNG_PROMPT, "size": "400x300"})
    assert png.status_code == 201, png.text
    assert gif.json()["name"].endswith(".gif") and png.json()["name"].endswith(".png")
    assert gif.json()["lines"][0].startswith("Canvas 320x200, covered by @backdrop, animation 1.0 s at 8 fps")

    animation = opened(server.get(f"/session/{session_id}/output/{gif.json()['name']}").content)
    assert (animation.format, animation.size) == ("GIF", (320, 200))
    centres = []
    for index in (0, animation.n_frames // 2, animation.n_frames - 1):  # a seamless loop: there and back
        animation.seek(index)
        centres.append(centroid(animation.convert("RGBA"), (*LOGO_RED, 255), tol=60))
    first, middle, last = centres
    assert first is not None and middle is not None and last is not None, centres
    assert first[0] < 120 < 200 < middle[0] and last[0] < 200, centres

    still = opened(server.get(f"/session/{session_id}/output/{png.json()['name']}").content).convert("RGB")
    assert still.size == (400, 300)
    assert all(abs(a - b) < 20 for a, b in zip(still.getpixel((200, 150)), PRODUCT_GREEN, strict=True))
    brand = centroid(still.convert("RGBA"), (*LOGO_RED, 255), tol=40)
    assert brand is not None and brand[0] > 300 and brand[1] < 80, brand
    corner = still.getpixel((4, 296))
    assert corner != (255, 255, 255) and max(corner) - min(corner) > 10, "the photo covers the canvas"

    at = new_app("pages/compose.py", query={"s": session_id})
    assert not at.exception
    assert app_session(at) == session_id, "the app opened the API's session, not a new one"
    outputs = server.get(f"/session/{session_id}/").json()["outputs"]
    assert [o["name"] for o in outputs] == [gif.json()["name"], png.json()["name"]]
    history = [m.value for m in at.markdown if m.value.startswith("**")]
    for output in outputs:
        assert any(line.startswith(f"**{output['name']}**") for line in history), history
        assert at.button(key=f"history_reuse_{output['id']}").label
    assert {c.value for c in at.caption} >= {GIF_PROMPT, PNG_PROMPT}


def test_a_session_made_in_the_app_is_used_over_http(data_dir: Path, server: httpx.Client) -> None:
    at = upload(new_app("pages/images.py"), ("shop logo.png", three_images()[1][1]))
    session_id = app_session(at)
    listed = server.get(f"/session/{session_id}/")
    assert listed.status_code == 200
    assert [(i["tag"], i["name"]) for i in listed.json()["images"]] == [("shop_logo", "shop logo.png")]
    made = server.post(f"/session/{session_id}/generate/", json={"prompt": "@shop_logo in the center", "size": "64x64"})
    assert made.status_code == 201, made.text
    at.switch_page("pages/compose.py").run()
    assert any(m.value.startswith(f"**{made.json()['name']}**") for m in at.markdown)

"""Hostile input through the HTTP API: traversal in names, bombs and fakes, huge prompts, forged ids and
concurrent renders on one session — each refused with a clear error, and nothing the session holds is lost."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from api_helpers import MOVING, STILL, Api, as_files, opened, three_images
from fixtures_images import html_document, png_bomb, svg_document
from session_helpers import make_store, run_in_threads

from imagegen.service.queue import RenderQueue

ALLOWED = "use PNG, JPEG, WebP, GIF or BMP."
SMALL = {"prompt": STILL, "size": "160x120"}


def _made(api: Api, session_id: str) -> dict[str, object]:
    answer = api.client.post(f"/session/{session_id}/generate/", json=SMALL)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.parametrize(
    "name",
    [  # a bare ".." is resolved by the client itself (RFC 3986), so it never reaches a file route
        "%2e%2e",
        "..%2Fmanifest.json",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%5C..%5Cmanifest.json",
        "manifest.json",
        ".lock",
        "%2Fetc%2Fpasswd",
        "logo.png%00.txt",
        "x" * 300,
    ],
)
def test_path_traversal_in_a_file_name_is_404_and_shows_nothing(api: Api, name: str) -> None:
    session_id = api.session()
    _made(api, session_id)
    for folder in ("uploads", "output"):
        answer = api.client.get(f"/session/{session_id}/{folder}/{name}")
        assert answer.status_code == 404, (folder, name, answer.text)
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()["kind"] in ("NotFoundError", "HTTPError")
        assert "last_active" not in answer.text and "root:" not in answer.text


def test_a_link_planted_in_place_of_an_output_is_never_followed(api: Api, tmp_path: Path) -> None:
    session_id = api.session()
    made = _made(api, session_id)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me")
    planted = api.store.root / session_id / "outputs" / str(made["name"])
    planted.unlink()
    os.symlink(secret, planted)
    answer = api.client.get(f"/session/{session_id}/output/{made['name']}")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": f"The file {made['name']} is not a plain file of this session.",
        "kind": "NotFoundError",
    }


@pytest.mark.parametrize(
    ("upload_name", "shown"),
    [
        ("../../../../etc/evil.png", "evil.png"),
        ("..\\..\\windows\\evil.png", "evil.png"),
        ("\u202egnp.live.png", "gnp.live.png"),
        ("x" * 500 + ".png", "x" * 75 + "….png"),
    ],
)
def test_a_hostile_upload_name_is_only_shown_cleaned_and_the_file_stays_in_the_session(
    api: Api, tmp_path: Path, upload_name: str, shown: str
) -> None:
    session_id = api.session(images=False)
    _name, data, mime = three_images()[1]
    answer = api.client.post(f"/upload/{session_id}/", files=as_files([(upload_name, data, mime)]))
    assert answer.status_code == 201, answer.text
    [image] = answer.json()["added"]
    assert image["name"] == shown
    assert image["file"] == f"{image['id']}.png"
    everything = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(api.store.root / session_id) for p in everything), everything
    assert not [p for p in everything if "evil" in p.name or "gnp" in p.name]


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("bomb.png", png_bomb(), 413, "bomb.png: the image is too large to open safely"),
        ("drawing.png", svg_document(), 415, f"drawing.png: SVG images are not supported — {ALLOWED}"),
        ("page.jpg", html_document(), 415, f"page.jpg: this is an HTML page, not an image — {ALLOWED}"),
        ("empty.png", b"", 400, f"empty.png: the file is empty — choose a {ALLOWED[4:-1]} image."),
        ("zeros.gif", b"\0" * 4096, 415, f"zeros.gif: this is not an image we can read — {ALLOWED}"),
    ],
)
def test_bombs_and_fakes_are_refused_with_their_status_and_the_session_keeps_what_it_had(
    api: Api, name: str, data: bytes, status: int, message: str
) -> None:
    session_id = api.session()
    before = api.store.open(session_id).manifest().assets
    answer = api.client.post(f"/upload/{session_id}/", files=as_files([(name, data, "image/png")]))
    assert answer.status_code == status, answer.text
    assert answer.json()["error"].startswith(message), answer.json()["error"]
    assert api.store.open(session_id).manifest().assets == before
    assert len(list((api.store.root / session_id / "uploads").iterdir())) == 2 * len(before)


def test_a_10000_character_prompt_or_edit_is_400_with_the_limit_and_renders_nothing(api: Api) -> None:
    session_id = api.session()
    message = "The prompt is 10000 characters long — at most 2000 are allowed; shorten it."
    for endpoint in ("explain", "generate"):
        long_prompt = api.client.post(f"/session/{session_id}/{endpoint}/", json={"prompt": "@logo " * 1666 + "xxxx"})
        assert (long_prompt.status_code, long_prompt.json()["error"]) == (400, message)
        long_edit = api.client.post(
            f"/session/{session_id}/{endpoint}/", json={"prompt": STILL, "edits": ["make it bigger " * 700]}
        )
        assert (long_edit.status_code, long_edit.json()["error"]) == (
            400,
            "The prompt is 10500 characters long — at most 2000 are allowed; shorten it.",
        )
    many = api.client.post(f"/session/{session_id}/explain/", json={"prompt": STILL, "edits": ["bigger"] * 21})
    assert many.status_code == 400
    assert (
        many.json()["error"]
        == "The request cannot be used — edits: List should have at most 20 items after validation, not 21."
    )
    assert api.store.open(session_id).manifest().outputs == ()


@pytest.mark.parametrize("session_id", ["..", "..%2F..%2Fetc", "%00", "f" * 10_000, "0" * 31 + "g", " " + "0" * 32])
def test_a_forged_session_id_is_404_and_touches_nothing(api: Api, session_id: str) -> None:
    for method, path in (("GET", f"/session/{session_id}/"), ("POST", f"/session/{session_id}/explain/")):
        answer = api.client.request(method, path, json={"prompt": STILL})
        assert answer.status_code == 404, (path[:60], answer.text[:200])
    assert list(api.store.root.iterdir()) == []


def test_concurrent_generates_on_one_session_all_land_with_distinct_files(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s"), RenderQueue(2, poll_s=0.01), max_waiting=10)
    session_id = api.session()
    answers: list[dict[str, object]] = []
    lock = threading.Lock()

    def render(index: int) -> None:
        body = {"prompt": MOVING if index % 2 else STILL, "size": "160x120", "fps": 4, "duration": 1}
        answer = api.client.post(f"/session/{session_id}/generate/", json=body)
        with lock:
            answers.append({"status": answer.status_code, **answer.json()})

    run_in_threads(render, [(i,) for i in range(6)])
    assert [a["status"] for a in answers] == [201] * 6, answers
    names = sorted(str(a["name"]) for a in answers)
    assert len(set(names)) == 6
    recorded = api.store.open(session_id).manifest().outputs
    assert sorted(o.file for o in recorded) == names
    for output in recorded:
        image = opened(api.client.get(f"/session/{session_id}/output/{output.file}").content)
        assert image.size == (160, 120)
        assert image.format == ("GIF" if output.format == "gif" else "PNG")


def test_concurrent_generates_past_the_line_are_429_and_every_201_is_in_the_session(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s"), RenderQueue(1, poll_s=0.01), max_waiting=1)
    session_id = api.session()
    statuses: list[tuple[int, dict[str, object]]] = []
    lock = threading.Lock()

    def render(_index: int) -> None:
        answer = api.client.post(f"/session/{session_id}/generate/", json=SMALL)
        with lock:
            statuses.append((answer.status_code, answer.json()))

    run_in_threads(render, [(i,) for i in range(6)])
    made = [body["name"] for status, body in statuses if status == 201]
    refused = [body for status, body in statuses if status != 201]
    assert made, "at least the first render runs"
    assert all(body["kind"] == "BusyError" for body in refused), refused
    assert sorted(o.file for o in api.store.open(session_id).manifest().outputs) == sorted(made)
    assert len(list((api.store.root / session_id / "outputs").glob("*.png"))) == 2 * len(made)  # file + thumbnail


def test_a_session_deleted_while_its_render_waits_answers_404_and_leaves_nothing(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s"), RenderQueue(1, poll_s=0.01), max_waiting=5)
    session_id = api.session()
    answers: list[tuple[int, dict[str, object]]] = []
    with api.queue.turn():  # someone else is rendering: the API's render waits in line
        waiting = threading.Thread(
            target=lambda: answers.append(
                (lambda a: (a.status_code, a.json()))(api.client.post(f"/session/{session_id}/generate/", json=SMALL))
            )
        )
        waiting.start()
        while api.queue.waiting == 0 and waiting.is_alive():
            waiting.join(0.01)
        assert api.queue.waiting == 1, answers
        assert api.client.delete(f"/session/{session_id}/").status_code == 200
    waiting.join(60)
    assert answers == [(404, {"error": "This session has expired or was reset.", "kind": "SessionExpiredError"})]
    assert not (api.store.root / session_id).exists()

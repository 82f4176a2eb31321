"""The HTTP API through its test client: every endpoint, its answers, its errors and its limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_helpers import LOGO_RED, MOVING, PRODUCT_GREEN, STILL, Api, as_files, opened, three_images
from fastapi.testclient import TestClient
from helpers_pixels import centroid, count
from session_helpers import make_store

from imagegen.api import ApiSettings, create_app
from imagegen.api.serve import configured_token
from imagegen.cli import main
from imagegen.prompt.explain import describe_scene
from imagegen.render.text import fit_text
from imagegen.service import Overrides, RenderRequest
from imagegen.service.outputs import understand
from imagegen.service.queue import RenderQueue

FORMATS = "use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4."


# --- sessions ------------------------------------------------------------------------------------------
def test_a_session_is_created_read_and_deleted(api: Api) -> None:
    made = api.client.post("/session/create/")
    assert made.status_code == 201
    body = made.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert body["app_link"] == f"/?s={body['id']}"
    assert (body["images"], body["outputs"], body["bytes_used"]) == ([], [], 0)
    assert body["expires_at"] == body["last_active"] + 3600
    assert api.store.exists(body["id"]), "the app's store holds it"

    assert api.client.get(f"/session/{body['id']}/").json() == body
    gone = api.client.delete(f"/session/{body['id']}/")
    assert (gone.status_code, gone.json()) == (200, {"deleted": body["id"]})
    assert not (api.store.root / body["id"]).exists()
    after = api.client.get(f"/session/{body['id']}/")
    assert (after.status_code, after.json()) == (
        404,
        {"error": "This session has expired or was reset.", "kind": "NotFoundError"},
    )


@pytest.mark.parametrize(
    ("session_id", "message"),
    [
        ("0" * 32, "This session has expired or was reset."),
        ("not-a-session", "That session link is not valid."),
        ("A" * 32, "That session link is not valid."),
    ],
)
def test_an_unknown_session_is_404_on_every_endpoint(api: Api, session_id: str, message: str) -> None:
    calls = [
        ("GET", f"/session/{session_id}/", {}),
        ("DELETE", f"/session/{session_id}/", {}),
        ("POST", f"/upload/{session_id}/", {"files": as_files(three_images()[:1])}),
        ("POST", f"/session/{session_id}/tag/", {"json": {"file": "logo", "tag": "brand"}}),
        ("POST", f"/session/{session_id}/tags/batch/", {"json": {"tags": {"logo": "brand"}}}),
        ("POST", f"/session/{session_id}/generate/", {"json": {"prompt": STILL}}),
        ("POST", f"/session/{session_id}/explain/", {"json": {"prompt": STILL}}),
        ("GET", f"/session/{session_id}/uploads/logo", {}),
        ("GET", f"/session/{session_id}/output/x.png", {}),
    ]
    for method, path, extra in calls:
        answer = api.client.request(method, path, **extra)
        assert (answer.status_code, answer.json()) == (404, {"error": message, "kind": "NotFoundError"}), path
    assert list(api.store.root.iterdir()) == [], "nothing was created for an unknown id"


# --- uploads -------------------------------------------------------------------------------------------
def test_three_uploads_are_stored_and_tagged_from_their_names_as_in_the_app(api: Api) -> None:
    session_id = api.session(images=False)
    answer = api.client.post(f"/upload/{session_id}/", files=as_files(three_images()))
    assert answer.status_code == 201
    body = answer.json()
    assert [(i["tag"], i["name"], i["width"], i["height"], i["has_alpha"]) for i in body["added"]] == [
        ("BG", "BG.jpg", 320, 200, False),
        ("logo", "logo.png", 96, 96, True),
        ("product", "product.jpg", 200, 200, False),
    ]
    assert [i["source_format"] for i in body["added"]] == ["JPEG", "PNG", "JPEG"]
    assert body["added"][2]["plain_background"] is True, "the product on white is offered a knock-out"
    assert (body["duplicates"], body["errors"]) == ([], [])
    manifest = api.store.open(session_id).manifest()
    assert [a.tag for a in manifest.assets] == ["BG", "logo", "product"]

    stored = api.client.get(body["added"][1]["url"])
    assert (stored.status_code, stored.headers["content-type"]) == (200, "image/png")
    assert opened(stored.content).getpixel((48, 20))[:3] == LOGO_RED
    by_tag = api.client.get(f"/session/{session_id}/uploads/logo")
    by_name = api.client.get(f"/session/{session_id}/uploads/logo.png")
    assert by_tag.content == by_name.content == stored.content


def test_the_same_file_twice_is_named_not_added_again(api: Api) -> None:
    session_id = api.session()
    again = api.client.post(f"/upload/{session_id}/", files=as_files(three_images()[1:2]))
    assert again.status_code == 200
    [duplicate] = again.json()["duplicates"]
    assert duplicate["error"] == "logo.png is already uploaded as @logo; it was not added again."
    assert duplicate["image"]["tag"] == "logo"
    assert len(api.store.open(session_id).manifest().assets) == 3


def test_a_fake_image_is_415_and_a_good_file_beside_it_is_still_added(api: Api) -> None:
    session_id = api.session(images=False)
    fake = ("photo.png", b"this is plain text, not a picture", "image/png")
    alone = api.client.post(f"/upload/{session_id}/", files=as_files([fake]))
    assert alone.status_code == 415
    message = "photo.png: this is not an image we can read — use PNG, JPEG, WebP, GIF or BMP."
    assert alone.json() == {
        "error": message,
        "kind": "NotAnImageError",
        "added": [],
        "duplicates": [],
        "errors": [{"error": message, "kind": "NotAnImageError"}],
    }
    mixed = api.client.post(f"/upload/{session_id}/", files=as_files([fake, three_images()[1]]))
    assert mixed.status_code == 201
    assert [i["tag"] for i in mixed.json()["added"]] == ["logo"]
    assert mixed.json()["errors"] == [{"error": message, "kind": "NotAnImageError"}]


def test_a_file_over_the_byte_limit_is_413_with_the_apps_words_and_nothing_is_kept(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s", max_file_bytes=5000), RenderQueue(1))
    session_id = api.session(images=False)
    big = api.client.post(f"/upload/{session_id}/", files=as_files(three_images()[:1]))
    assert big.status_code == 413
    size = len(three_images()[0][1])
    assert big.json()["error"] == f"BG.jpg: the file is {size / 1024:.1f} KB, over the 4.9 KB limit per file."
    assert big.json()["kind"] == "UploadTooLargeError"
    assert api.store.open(session_id).manifest().assets == ()
    assert list((api.store.root / session_id / "uploads").iterdir()) == []


def test_an_image_over_the_pixel_limit_is_413(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s", max_image_pixels=10_000), RenderQueue(1))
    session_id = api.session(images=False)
    big = api.client.post(f"/upload/{session_id}/", files=as_files(three_images()[:1]))
    assert big.status_code == 413
    assert big.json()["error"].startswith("BG.jpg: ") and "10,000 pixels" in big.json()["error"]


def test_a_damaged_image_is_400(api: Api) -> None:
    session_id = api.session(images=False)
    _name, data, mime = three_images()[1]
    cut = api.client.post(f"/upload/{session_id}/", files=as_files([("cut.png", data[: len(data) // 2], mime)]))
    assert cut.status_code == 400
    assert cut.json()["kind"] == "UploadError"
    assert cut.json()["error"].startswith("cut.png: the file is damaged or incomplete and cannot be read")


def test_an_upload_request_over_the_body_limit_is_413_before_it_is_read(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s", max_file_bytes=1000), RenderQueue(1))
    session_id = api.session(images=False)
    limit = 1000 * 10 + 1024 * 1024
    huge = api.client.post(f"/upload/{session_id}/", files=as_files([("a.png", b"\0" * (limit + 1), "image/png")]))
    assert huge.status_code == 413
    assert huge.json() == {
        "error": "The request is over the 1 MB limit per request; send fewer or smaller files in each request.",
        "kind": "HTTPError",
    }


def test_an_upload_without_files_is_400(api: Api) -> None:
    session_id = api.session(images=False)
    answer = api.client.post(f"/upload/{session_id}/", data={"note": "x"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "The request cannot be used — files: Field required.", "kind": "RequestError"}


# --- tags ----------------------------------------------------------------------------------------------
def test_tag_one_image_by_its_upload_name_its_tag_or_its_id(api: Api) -> None:
    session_id = api.session()
    by_name = api.client.post(f"/session/{session_id}/tag/", json={"file": "logo.png", "tag": "brand"})
    assert by_name.status_code == 200
    [image] = by_name.json()["images"]
    assert (image["tag"], image["name"]) == ("brand", "logo.png")
    by_tag = api.client.post(f"/session/{session_id}/tag/", json={"file": "BRAND", "tag": "Mark"})
    by_id = api.client.post(f"/session/{session_id}/tag/", json={"file": image["id"], "tag": "logo"})
    assert by_tag.json()["images"][0]["tag"] == "Mark"
    assert by_id.json()["images"][0]["tag"] == "logo"
    assert [a.tag for a in api.store.open(session_id).manifest().assets] == ["BG", "logo", "product"]


def test_a_bad_or_taken_tag_is_400_and_an_unknown_image_404(api: Api) -> None:
    session_id = api.session()
    taken = api.client.post(f"/session/{session_id}/tag/", json={"file": "logo", "tag": "bg"})
    assert taken.status_code == 400
    assert taken.json()["kind"] == "TagError"
    assert taken.json()["error"].startswith("logo.png: ") and taken.json()["error"].endswith(" Nothing was changed.")
    unknown = api.client.post(f"/session/{session_id}/tag/", json={"file": "nope.png", "tag": "x"})
    assert (unknown.status_code, unknown.json()["error"]) == (
        404,
        "No image 'nope.png' in this session — use an id, tag or file name from the session.",
    )
    assert [a.tag for a in api.store.open(session_id).manifest().assets] == ["BG", "logo", "product"]


def test_batch_tags_swap_two_tags_or_change_nothing(api: Api) -> None:
    session_id = api.session()
    swapped = api.client.post(f"/session/{session_id}/tags/batch/", json={"tags": {"BG": "logo", "logo": "BG"}})
    assert swapped.status_code == 200
    assert sorted((i["name"], i["tag"]) for i in swapped.json()["images"]) == [("BG.jpg", "logo"), ("logo.png", "BG")]
    bad = api.client.post(f"/session/{session_id}/tags/batch/", json={"tags": {"BG.jpg": "hero", "product": "a b"}})
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("product.jpg: ")
    assert [a.tag for a in api.store.open(session_id).manifest().assets] == ["logo", "BG", "product"]
    empty = api.client.post(f"/session/{session_id}/tags/batch/", json={"tags": {}})
    assert (empty.status_code, empty.json()["kind"]) == (400, "TagError")


# --- explain and generate ------------------------------------------------------------------------------
def test_explain_gives_the_apps_lines_and_warnings_without_rendering(api: Api) -> None:
    session_id = api.session()
    answer = api.client.post(f"/session/{session_id}/explain/", json={"prompt": MOVING, "size": "320x200"})
    assert answer.status_code == 200
    body = answer.json()
    session = api.store.open(session_id)
    understood = understand(session, RenderRequest(MOVING, overrides=Overrides(size=(320, 200))))
    assert body["lines"] == describe_scene(understood.scene, fit_text), "the lines the app shows"
    assert body["lines"][0].startswith("Canvas 320x200, covered by @BG, animation 2.0 s at 24 fps (48 frames)")
    assert body["targets"] == [{"width": 320, "height": 200, "format": "gif", "label": ""}]
    assert {"message": "Canvas 320x200 (your setting; the prompt gives 1080x1080).", "kind": "note"} in body["warnings"]
    assert body["mostly_not_understood"] is False
    assert session.manifest().outputs == () and list(session.outputs.iterdir()) == []


def test_generate_a_png_and_download_it(api: Api) -> None:
    session_id = api.session()
    answer = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "size": "400x300"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    [output] = body["outputs"]
    assert body["name"] == output["name"] and output["name"].endswith(".png")
    assert (output["format"], output["frames"], output["prompt"]) == ("png", 1, STILL)
    assert body["lines"][0].startswith("Canvas 400x300")
    file = api.client.get(output["url"])
    assert (file.status_code, file.headers["content-type"]) == (200, "image/png")
    assert f'filename="{output["name"]}"' in file.headers["content-disposition"]
    image = opened(file.content).convert("RGB")
    assert image.size == (400, 300)
    r, g, b = image.getpixel((200, 150))
    assert abs(r - PRODUCT_GREEN[0]) < 20 and abs(g - PRODUCT_GREEN[1]) < 20 and abs(b - PRODUCT_GREEN[2]) < 20
    logo = centroid(image.convert("RGBA"), (*LOGO_RED, 255), tol=40)
    assert logo is not None and logo[0] > 300 and logo[1] < 80, logo
    [recorded] = api.store.open(session_id).manifest().outputs
    assert (recorded.file, recorded.bytes) == (output["name"], len(file.content))


def test_generate_a_gif_with_fps_and_duration_and_download_it(api: Api) -> None:
    session_id = api.session()
    request = {"prompt": MOVING, "size": "320x200", "fps": 8, "duration": 1}
    answer = api.client.post(f"/session/{session_id}/generate/", json=request)
    assert answer.status_code == 201, answer.text
    [output] = answer.json()["outputs"]
    assert (output["format"], output["frames"]) == ("gif", 8)
    gif = opened(api.client.get(output["url"]).content)
    assert (gif.format, gif.size) == ("GIF", (320, 200))
    frames = []
    for index in (0, gif.n_frames // 2, gif.n_frames - 1):  # a seamless loop: there at half time, and back
        gif.seek(index)
        frames.append(centroid(gif.convert("RGBA"), (*LOGO_RED, 255), tol=60))
    assert None not in frames
    assert frames[0][0] < 120 < 200 < frames[1][0] and frames[2][0] < 160, frames


def test_generate_several_sizes_and_a_format_as_asked(api: Api) -> None:
    session_id = api.session()
    request = {"prompt": STILL, "sizes": "instagram,story", "format": "jpg", "quality": 80}
    answer = api.client.post(f"/session/{session_id}/generate/", json=request)
    assert answer.status_code == 201, answer.text
    outputs = answer.json()["outputs"]
    sizes = [opened(api.client.get(o["url"]).content).size for o in outputs]
    assert sizes == [(1080, 1080), (1080, 1920)]
    assert [o["format"] for o in outputs] == ["jpeg", "jpeg"]
    assert [t["label"] for t in answer.json()["targets"]] == ["instagram", "story"]


CANVAS_WORDS = (
    "square, instagram, instagram-portrait, story, landscape, youtube-thumbnail, 4k, facebook, twitter, linkedin"
)


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"prompt": "@ghost in the center"}, "Unknown tag @ghost. Tags here: @BG, @logo, @product"),
        ({"prompt": STILL, "format": "tiff"}, f"Unknown output type 'tiff' — {FORMATS}"),
        (
            {"prompt": MOVING, "format": "png"},
            "PNG holds a single image — choose GIF, WebP, APNG or MP4 for an animation (or remove the motion from"
            " the prompt for a still).",
        ),
        ({"prompt": MOVING, "fps": 500}, "Frame rate 500 fps is out of range — use 1 to 60 fps."),
        (
            {"prompt": STILL, "size": "gigantic"},
            f'"gigantic" is not a canvas size — write width x height (e.g. 1080x1920) or a format: {CANVAS_WORDS}.',
        ),
        ({"prompt": "x" * 10_000}, "The prompt is 10000 characters long — at most 2000 are allowed; shorten it."),
    ],
)
def test_a_request_that_cannot_render_is_400_with_the_apps_message_and_writes_nothing(
    api: Api, request_body: dict[str, object], message: str
) -> None:
    session_id = api.session()
    for endpoint in ("explain", "generate"):
        answer = api.client.post(f"/session/{session_id}/{endpoint}/", json=request_body)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"] == message
    session = api.store.open(session_id)
    assert session.manifest().outputs == () and list(session.outputs.iterdir()) == []


def test_a_malformed_body_is_400_naming_the_field(api: Api) -> None:
    session_id = api.session()
    wrong = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "fps": "fast"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "The request cannot be used — fps: Input should be a valid number, unable to parse string as a"
        " number.",
        "kind": "RequestError",
    }
    extra = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "colour": "red"})
    assert extra.json()["error"] == "The request cannot be used — colour: Extra inputs are not permitted."
    big = api.client.post(f"/session/{session_id}/explain/", json={"prompt": "x" * (1024 * 1024)})
    assert big.status_code == 413
    assert big.json()["error"].startswith("The request is over the 1 MB limit per request")


def test_a_full_render_queue_is_429_and_nothing_starts(tmp_path: Path) -> None:
    api = Api(make_store(tmp_path / "s"), RenderQueue(1, poll_s=0.01), max_waiting=0)
    session_id = api.session()
    with api.queue.turn():  # a browser user's render holds the only renderer
        busy = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "size": "200x200"})
        assert busy.status_code == 429
        assert busy.headers["retry-after"] == "5"
        assert busy.json() == {
            "error": "The renderer is busy (1 rendering, 0 waiting); nothing was started — try again in a few seconds.",
            "kind": "BusyError",
        }
        assert (api.queue.running, api.queue.waiting) == (1, 0)
    assert api.store.open(session_id).manifest().outputs == ()
    after = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "size": "200x200"})
    assert after.status_code == 201


def test_the_outputs_are_listed_with_the_session_and_unknown_names_are_404(api: Api) -> None:
    session_id = api.session()
    made = api.client.post(f"/session/{session_id}/generate/", json={"prompt": STILL, "size": "200x200"}).json()
    listed = api.client.get(f"/session/{session_id}/").json()
    assert [o["name"] for o in listed["outputs"]] == [made["name"]]
    assert [i["tag"] for i in listed["images"]] == ["BG", "logo", "product"]
    by_id = api.client.get(f"/session/{session_id}/output/{made['outputs'][0]['id']}")
    assert by_id.content == api.client.get(made["outputs"][0]["url"]).content
    missing = api.client.get(f"/session/{session_id}/output/nothing.png")
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": "No output 'nothing.png' in this session.", "kind": "NotFoundError"},
    )


# --- token, docs ---------------------------------------------------------------------------------------
def test_with_a_token_every_endpoint_needs_it_and_the_docs_stay_open(tmp_path: Path) -> None:
    client = TestClient(create_app(ApiSettings(store=make_store(tmp_path / "s"), token="s3cret")))
    refused = client.post("/session/create/")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json() == {
        "error": "This API needs a token: send the header 'Authorization: Bearer <token>'.",
        "kind": "UnauthorizedError",
    }
    assert client.post("/session/create/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    made = client.post("/session/create/", headers={"Authorization": "Bearer s3cret"})
    assert made.status_code == 201
    assert client.get(f"/session/{made.json()['id']}/").status_code == 401
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_the_openapi_document_lists_every_endpoint_of_the_specification(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {path: sorted(methods) for path, methods in paths.items()} == {
        "/session/create/": ["post"],
        "/session/{session_id}/": ["delete", "get"],
        "/upload/{session_id}/": ["post"],
        "/session/{session_id}/tag/": ["post"],
        "/session/{session_id}/tags/batch/": ["post"],
        "/session/{session_id}/generate/": ["post"],
        "/session/{session_id}/explain/": ["post"],
        "/session/{session_id}/uploads/{name}": ["get"],
        "/session/{session_id}/output/{name}": ["get"],
        "/session/{session_id}/template/": ["post"],
        "/session/{session_id}/template/explain/": ["post"],
        "/templates/": ["get"],
        "/templates/{name}": ["get"],
        "/templates/{name}/thumbnail": ["get"],
        "/templates/{name}/images/{slot}": ["get"],
        "/kits/": ["get"],
    }
    assert "docs" in api.client.get("/docs").text.lower()


def test_an_unknown_endpoint_is_404_in_the_same_json_shape(api: Api) -> None:
    answer = api.client.get("/sessions/")
    assert (answer.status_code, answer.json()) == (
        404,
        {"error": "No such endpoint or file: GET /sessions/ — see /docs for the endpoints.", "kind": "HTTPError"},
    )
    wrong = api.client.put("/session/create/")
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "PUT is not allowed on /session/create/ — see /docs for the endpoints."


def test_count_helper_sees_the_logo() -> None:
    assert count(opened(three_images()[1][1]).convert("RGBA"), (*LOGO_RED, 255)) > 1000


# --- serve: the token's sources, the command line ------------------------------------------------------
def test_the_token_comes_from_the_environment_first_then_the_streamlit_secrets_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('IMAGEGEN_API_TOKEN = "from-secrets"\n[other]\nkey = 1\n')
    assert configured_token({"IMAGEGEN_API_TOKEN": " from-env "}, [secrets]) == "from-env"
    assert configured_token({}, [tmp_path / "missing.toml", secrets]) == "from-secrets"
    assert configured_token({}, [tmp_path / "missing.toml"]) is None
    broken = tmp_path / "broken.toml"
    broken.write_text("IMAGEGEN_API_TOKEN = \n")
    assert configured_token({"IMAGEGEN_API_TOKEN": "  "}, [broken]) is None
    assert f"cannot read {broken}" in caplog.text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "70000"], "'70000' is not a port — use a number from 1 to 65535"),
        (["serve", "--max-waiting", "-1"], "'-1' is not a count — use 0 or a whole number above it"),
    ],
)
def test_serve_refuses_a_bad_port_or_line_length(argv: list[str], message: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err

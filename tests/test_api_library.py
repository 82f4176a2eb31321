"""The team library over HTTP: templates and brand kits listed, a template rendered in a session with its slots
set (as ``render --template NAME --set``), a kit named for explain and generate (as ``--brand NAME``).

The library-backed tests run on SQLite and on PostgreSQL (``db_url``; see tests/library_helpers.py).
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from api_helpers import PRODUCT_GREEN, Api, opened
from helpers_pixels import count
from library_helpers import BRAND_BLUE, ROOT, make_kit, sky
from PIL import Image, ImageDraw
from session_helpers import make_store

from imagegen.api.serve import configured_library
from imagegen.library import load_kit
from imagegen.library.fonts import save_font
from imagegen.library.store import save_kit
from imagegen.prompt import parse
from imagegen.service import RenderRequest
from imagegen.service.library import app_kit, save_as_template
from imagegen.service.pipeline import understand
from imagegen.service.queue import RenderQueue

PROMPT = '400x300, @BG as background, @logo at the top right, "Summer Sale" in white on a black banner at the bottom'
MOVING = '320x200, @BG as background, @logo moving from left to right, "Sale" in white at the bottom'
TEAM_FONT = ROOT / "imagegen" / "fonts" / "NotoSansHebrew-Regular.ttf"  # not the kit's font: its own name
STAMP_BLUE = (20, 60, 200)  # the template's own logo: a blue stamp, so the session's red logo is told apart


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def stamp_on_white(size: int = 120) -> Image.Image:
    """The template's logo as delivered: a blue ring with a dot, on white."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=STAMP_BLUE, width=14)
    draw.ellipse((size // 2 - 14, size // 2 - 14, size // 2 + 14, size // 2 + 14), fill=STAMP_BLUE)
    return image


def save_templates(url: str) -> None:
    files = {"BG": png(sky((400, 300))), "logo": png(stamp_on_white())}
    save_as_template("Summer promo", PROMPT, parse(PROMPT, ["BG", "logo"]).scene, files, url=url)
    save_as_template("Moving sale", MOVING, parse(MOVING, ["BG", "logo"]).scene, files, url=url)


@pytest.fixture
def lib(tmp_path: Path, db_url: str) -> Api:
    """The API over a library holding two templates and the kit 'Acme', on each backend."""
    save_templates(db_url)
    save_kit(load_kit(make_kit(tmp_path / "brand")), db_url)
    return Api(make_store(tmp_path / "sessions"), RenderQueue(1, poll_s=0.01), library_url=db_url)


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The API over an empty SQLite library."""
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return Api(make_store(tmp_path / "sessions"), RenderQueue(1, poll_s=0.01), library_url=url)


def rgb(data: bytes) -> np.ndarray:
    return np.asarray(opened(data).convert("RGB")).astype(int)


def assets(api: Api, session_id: str) -> list[tuple[str, str]]:
    return [(a.tag, a.sha256) for a in api.store.open(session_id).manifest().assets]


# --- listing -------------------------------------------------------------------------------------------
def test_templates_are_listed_with_their_prompt_slots_and_thumbnail(lib: Api) -> None:
    listed = lib.client.get("/templates/")
    assert listed.status_code == 200
    body = listed.json()["templates"]
    assert [t["name"] for t in body] == ["Moving sale", "Summer promo"], "newest first"
    summer = body[1]
    assert summer["prompt"] == PROMPT
    assert [(s["name"], s["kind"]) for s in summer["slots"]] == [
        ("BG", "image"),
        ("logo", "image"),
        ("headline", "text"),
    ]
    assert summer["slots"][2]["saved"] == "Summer Sale"
    assert all(len(s["saved"]) == 64 for s in summer["slots"][:2]), "an image slot's saved picture: its SHA-256"
    assert summer["thumbnail"] == "/templates/Summer%20promo/thumbnail"
    assert [s["picture"] for s in summer["slots"]] == [
        "/templates/Summer%20promo/images/BG",
        "/templates/Summer%20promo/images/logo",
        None,
    ]
    logo = lib.client.get(summer["slots"][1]["picture"])
    assert (logo.status_code, logo.headers["content-type"]) == (200, "image/png")
    assert logo.content == png(stamp_on_white()), "the saved picture, as it was given"
    assert lib.client.get("/templates/summer%20PROMO").json() == summer, "one template by name, any case"

    thumb = lib.client.get(summer["thumbnail"])
    assert (thumb.status_code, thumb.headers["content-type"]) == (200, "image/webp")
    picture = opened(thumb.content)
    assert (picture.format, picture.size) == ("WEBP", (320, 240)), "the 400x300 canvas at 320 px a side"
    pixels = np.asarray(picture.convert("RGB")).astype(int)
    assert count(picture.convert("RGBA"), (*STAMP_BLUE, 255), tol=60) > 50, "the saved logo is drawn"
    dark_rows = np.nonzero((pixels.max(axis=-1) < 30).sum(axis=1) > 100)[0]
    assert dark_rows.min() > 180, "the black banner is at the bottom (the template's own words on it)"


def test_kits_are_listed_with_their_colours_fonts_images_and_words(lib: Api) -> None:
    kits = lib.client.get("/kits/")
    assert kits.status_code == 200
    (acme,) = kits.json()["kits"]
    assert acme["name"] == "Acme"
    assert acme["colours"] == [{"name": "brand blue", "code": "#0055A4"}, {"name": "brand red", "code": "#D01020"}]
    assert acme["fonts"] == [{"name": "Acme Mono", "family": "Noto Sans Mono", "default": True}]
    assert acme["images"] == ["acme"]
    assert acme["words"][0] == {
        "words": ["brand blue", "brand blue colour", "brand blue color"],
        "meaning": "A brand kit colour: brand blue = #0055A4.",
        "example": '"Sale" in brand blue over @BG',
    }
    assert "the brand font" in acme["words"][2]["words"]


def test_an_empty_library_lists_nothing_and_says_so_when_asked_for_a_template(empty: Api) -> None:
    assert empty.client.get("/templates/").json() == {"templates": []}
    assert empty.client.get("/kits/").json() == {"kits": []}
    session_id = empty.session()
    missing = empty.client.post(f"/session/{session_id}/template/", json={"template": "Summer promo"})
    assert (missing.status_code, missing.json()) == (
        404,
        {
            "error": "There is no template 'Summer promo' — the library has none yet; save one first.",
            "kind": "UnknownTemplateError",
        },
    )
    kit = empty.client.post(f"/session/{session_id}/explain/", json={"prompt": "@BG as background", "brand": "Acme"})
    assert (kit.status_code, kit.json()) == (
        404,
        {
            "error": "There is no brand kit 'Acme' — the library has none yet; save a kit folder first "
            "(python -m imagegen kit save DIR).",
            "kind": "UnknownKitError",
        },
    )


# --- rendering a template ------------------------------------------------------------------------------
def test_a_template_renders_in_a_session_with_its_headline_changed(lib: Api) -> None:
    session_id = lib.session()
    url = f"/session/{session_id}/template/"
    saved = lib.client.post(url, json={"template": "Summer promo"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["replaced"] == ["BG", "logo"], "the session's own @BG and @logo now hold the template's"
    changed = lib.client.post(url, json={"template": "summer promo", "set": {"headline": "Winter Sale"}})
    assert changed.status_code == 201, changed.text
    body = changed.json()
    assert body["replaced"] == [], "the template's pictures are in the session already"
    assert body["lines"][-1] == '"Winter Sale" — bottom, white, bold sans, 27 px (fits 1 line), on a black banner'
    (output,) = body["outputs"]
    assert (output["format"], output["frames"], output["prompt"]) == ("png", 1, PROMPT)
    assert body["targets"] == [{"width": 400, "height": 300, "format": "png", "label": ""}]

    file = lib.store.open(session_id).outputs / output["name"]
    assert file.is_file() and file.stat().st_size == output["bytes"]
    before, after = rgb(lib.client.get(saved.json()["outputs"][0]["url"]).content), rgb(file.read_bytes())
    assert after.shape == (300, 400, 3)
    differs = np.abs(before - after).max(axis=-1) > 40
    rows = np.nonzero(differs.any(axis=1))[0]
    assert differs.sum() > 200, "the new words are drawn"
    assert rows.min() >= 225, f"only the banner at the bottom changed (rows {rows.min()}-{rows.max()})"
    assert [o["name"] for o in lib.client.get(f"/session/{session_id}/").json()["outputs"]] == [
        saved.json()["name"],
        output["name"],
    ], "both are the session's outputs (the app's History)"


def test_an_image_slot_takes_one_of_the_sessions_images_by_its_tag(lib: Api) -> None:
    session_id = lib.session()
    url = f"/session/{session_id}/template/"
    product = lib.client.post(url, json={"template": "Summer promo", "set": {"logo": "@product", "BG": "BG"}})
    assert product.status_code == 201, product.text
    assert product.json()["replaced"] == ["logo"], "@BG was set to itself: the session's own is kept"
    corner = rgb(lib.client.get(product.json()["outputs"][0]["url"]).content)[:100, 280:]
    green = np.all(np.abs(corner - PRODUCT_GREEN) < 40, axis=-1).sum()
    assert green > 500, "the product shot is drawn where the template's logo was"

    own = lib.client.post(url, json={"template": "Summer promo", "set": {"logo": "@product", "headline": "Hello"}})
    assert own.json()["replaced"] == ["BG"], "BG left out: the template's saved picture"
    tags = [tag for tag, _sha in assets(lib, session_id)]
    assert sorted(tags) == ["BG", "logo", "product"]


def test_an_animated_template_renders_with_the_size_format_and_frames_asked(lib: Api) -> None:
    session_id = lib.session()
    answer = lib.client.post(
        f"/session/{session_id}/template/",
        json={"template": "Moving sale", "set": {"headline": "Last day"}, "format": "gif", "fps": 10, "duration": 2},
    )
    assert answer.status_code == 201, answer.text
    (output,) = answer.json()["outputs"]
    data = lib.client.get(output["url"]).content
    gif = opened(data)
    assert (gif.format, gif.size, gif.n_frames, output["frames"]) == ("GIF", (320, 200), 20, 20)
    assert len(data) == output["bytes"]


def test_a_template_render_takes_a_size_and_an_edit(lib: Api) -> None:
    session_id = lib.session()
    answer = lib.client.post(
        f"/session/{session_id}/template/",
        json={"template": "Summer promo", "size": "200x150", "edits": ["make @logo bigger"], "format": "webp"},
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["targets"] == [{"width": 200, "height": 150, "format": "webp", "label": ""}]
    assert body["changes"] == [{"edit": "make @logo bigger", "lines": ["@logo: small (20 %) -> medium (35 %)"]}]
    picture = opened(lib.client.get(body["outputs"][0]["url"]).content)
    assert (picture.format, picture.size) == ("WEBP", (200, 150))
    assert body["outputs"][0]["edits"] == ["make @logo bigger"]


def test_a_template_saved_with_a_kits_font_says_the_fonts_name_without_the_kit(lib: Api, tmp_path: Path) -> None:
    kit = load_kit(make_kit(tmp_path / "kit"))
    prompt = '400x300, @BG as background, "Summer Sale" in brand blue at the bottom'
    scene = understand(RenderRequest(prompt, brand=kit.words()), {"BG": (400, 300)}).scene
    save_as_template("Branded", prompt, scene, {"BG": png(sky((400, 300)))}, url=lib.library_url)
    session_id = lib.session()
    answer = lib.client.post(f"/session/{session_id}/template/", json={"template": "Branded", "brand": ""})
    assert answer.status_code == 201, answer.text
    assert answer.json()["lines"][2] == '"Summer Sale" — bottom, #0055a4, bold font Noto Sans Mono, 27 px (fits 1 line)'
    kit_named = lib.client.post(f"/session/{session_id}/template/", json={"template": "Branded", "brand": "Acme"})
    assert "brand blue (#0055A4), bold brand font Acme Mono" in kit_named.json()["lines"][2]


REFUSED = [
    (
        {"template": "Sumer promo"},
        404,
        "There is no template 'Sumer promo'. Did you mean 'Summer promo'? Templates: 'Moving sale', 'Summer promo'.",
        "UnknownTemplateError",
    ),
    (
        {"template": "Summer promo", "set": {"title": "Winter Sale"}},
        400,
        "The template 'Summer promo' has no slot {title}. Its slots: {BG}, {logo}, {headline}.",
        "TemplateError",
    ),
    (
        {"template": "Summer promo", "set": {"headlin": "Winter Sale"}},
        400,
        "The template 'Summer promo' has no slot {headlin}. Did you mean {headline}? Its slots: {BG}, {logo}, "
        "{headline}.",
        "TemplateError",
    ),
    (
        {"template": "Summer promo", "set": {"logo": "@shoe"}},
        400,
        "{logo} is an image slot, and this session has no image @shoe — give it one of its images: @BG, @logo, "
        "@product.",
        "TagError",
    ),
    (
        {"template": "Summer promo", "set": {"BG": "Winter Sale"}},
        400,
        "{BG} is an image slot — give it one of the session's images by its tag (@BG, @logo, @product), not words "
        '("Winter Sale").',
        "TagError",
    ),
    (
        {"template": "Summer promo", "set": {"headline": "  "}},
        400,
        "The slot {headline} is empty — give it some words, or leave it out to keep the saved “Summer Sale”.",
        "TemplateError",
    ),
    (
        {"template": "Summer promo", "set": {"headline": "x" * 201}},
        400,
        "The text “" + "x" * 30 + "…” is 201 characters — at most 200 per text; shorten it or split it into two "
        "quoted texts.",
        "LimitError",
    ),
    (
        {"template": "Summer promo", "edits": ["make @logo dance"]},
        400,
        "'make @logo dance' is not a change this app understands — try 'make @logo bigger', 'move @logo to the "
        "bottom left', 'remove @logo', 'swap @a and @b', 'slower', 'twice as fast', 'make the background black', "
        "'now as an Instagram story' or 'as MP4'.",
        "PromptError",
    ),
    (
        {"template": "Summer promo", "brand": "Acm"},
        404,
        "There is no brand kit 'Acm'. Did you mean 'Acme'? Kits: 'Acme'.",
        "UnknownKitError",
    ),
    (
        {"template": "Summer promo", "format": "tiff"},
        400,
        "Unknown output type 'tiff' — use one of .png, .jpg, .jpeg, .webp, .gif, .apng, .mp4.",
        "RenderError",
    ),
]


@pytest.mark.parametrize("endpoint", ["template", "template/explain"])
@pytest.mark.parametrize(("body", "status", "message", "kind"), REFUSED)
def test_a_template_render_that_cannot_be_used_is_refused_and_changes_nothing(
    lib: Api, endpoint: str, body: dict[str, object], status: int, message: str, kind: str
) -> None:
    session_id = lib.session()
    before = assets(lib, session_id)
    answer = lib.client.post(f"/session/{session_id}/{endpoint}/", json=body)
    assert (answer.status_code, answer.json()) == (status, {"error": message, "kind": kind})
    assert assets(lib, session_id) == before, "no picture was put into the session"
    assert lib.store.open(session_id).manifest().outputs == ()


def test_a_template_explained_says_what_its_render_then_says(lib: Api) -> None:
    session_id = lib.session()
    body = {"template": "Summer promo", "set": {"headline": "Winter Sale", "logo": "product"}, "size": "story"}
    explained = lib.client.post(f"/session/{session_id}/template/explain/", json=body).json()
    rendered = lib.client.post(f"/session/{session_id}/template/", json=body).json()
    assert rendered["warnings"][0] == {
        "message": "Canvas 1080x1920 (your setting; the prompt gives 400x300).",
        "kind": "note",
    }
    assert "scaling" in [w["kind"] for w in rendered["warnings"]]
    assert (explained["lines"], explained["warnings"]) == (rendered["lines"], rendered["warnings"])


def test_a_text_slot_is_read_as_a_quoted_text_is(lib: Api) -> None:
    session_id = lib.session()
    words = "Last day /  30\u202e % off\x00"  # a line break, a direction override and a NUL, as a client may send
    answer = lib.client.post(
        f"/session/{session_id}/template/explain/", json={"template": "Summer promo", "set": {"headline": words}}
    )
    assert answer.status_code == 200, answer.text
    prompt = lib.client.post(
        f"/session/{session_id}/explain/",
        json={"prompt": f'400x300, "{words}" in white on a black banner at the bottom'},
    )
    assert answer.json()["lines"][-1] == prompt.json()["lines"][-1]
    assert answer.json()["lines"][-1].startswith('"Last day / 30 % off" — bottom, white, bold sans')


def test_a_template_render_refused_for_a_full_queue_changes_nothing(lib: Api) -> None:
    busy = Api(lib.store, RenderQueue(1, poll_s=0.01), library_url=lib.library_url, max_waiting=0)
    session_id = busy.session()
    before = assets(busy, session_id)
    with busy.queue.turn():  # a browser user's render holds the only renderer
        answer = busy.client.post(f"/session/{session_id}/template/", json={"template": "Summer promo"})
        assert (answer.status_code, answer.json()["kind"], answer.headers["retry-after"]) == (429, "BusyError", "5")
    assert assets(busy, session_id) == before, "the template's pictures were not put in"
    assert busy.client.post(f"/session/{session_id}/template/", json={"template": "Summer promo"}).status_code == 201


def test_an_unknown_template_thumbnail_or_picture_is_refused_naming_what_there_is(lib: Api) -> None:
    message = "There is no template 'Autumn'. Templates: 'Moving sale', 'Summer promo'."
    for path in ("/templates/Autumn", "/templates/Autumn/thumbnail", "/templates/Autumn/images/BG"):
        answer = lib.client.get(path)
        assert (answer.status_code, answer.json()) == (404, {"error": message, "kind": "UnknownTemplateError"}), path
    slot = lib.client.get("/templates/Summer%20promo/images/product")
    assert (slot.status_code, slot.json()) == (
        400,
        {
            "error": "The template 'Summer promo' has no slot {product}. Its slots: {BG}, {logo}, {headline}.",
            "kind": "TemplateError",
        },
    )
    text = lib.client.get("/templates/Summer%20promo/images/headline")
    assert (text.status_code, text.json()) == (
        404,
        {
            "error": "{headline} is a text slot, with no picture: its saved words are “Summer Sale”.",
            "kind": "NotFoundError",
        },
    )


def test_a_template_is_explained_with_its_slots_set_and_nothing_changes(lib: Api) -> None:
    session_id = lib.session()
    before = assets(lib, session_id)
    answer = lib.client.post(
        f"/session/{session_id}/template/explain/",
        json={"template": "Summer promo", "set": {"headline": "Winter Sale", "logo": "@product"}, "size": "story"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["lines"][-1].startswith('"Winter Sale" — bottom, white, bold sans')
    assert body["targets"] == [{"width": 1080, "height": 1920, "format": "png", "label": ""}]
    assert "outputs" not in body
    assert assets(lib, session_id) == before, "nothing was put into the session"
    assert lib.store.open(session_id).manifest().outputs == ()


# --- a brand kit for explain and generate --------------------------------------------------------------
BRANDED = (
    '400x300, @BG as background, @acme at the top right, "Summer Sale" in brand blue on a white banner at the bottom'
)


def test_a_named_kit_gives_explain_its_words_and_the_session_its_images(lib: Api) -> None:
    session_id = lib.session()
    answer = lib.client.post(f"/session/{session_id}/explain/", json={"prompt": BRANDED, "brand": "Acme"})
    assert answer.status_code == 200, answer.text
    lines = answer.json()["lines"]
    assert lines[2] == "@acme — top right, small (20 % of the canvas)"
    assert lines[3].startswith('"Summer Sale" — bottom, brand blue (#0055A4), bold brand font Acme Mono')
    assert [tag for tag, _ in assets(lib, session_id)] == ["BG", "logo", "product", "acme"]

    without = lib.client.post(f"/session/{session_id}/explain/", json={"prompt": BRANDED})
    notes = [w["message"] for w in without.json()["warnings"]]
    assert any('"brand blue" is not a colour of the brand kit' in n for n in notes), notes


def test_generate_with_a_named_kit_draws_its_colour_and_logo(lib: Api) -> None:
    session_id = lib.session()
    answer = lib.client.post(f"/session/{session_id}/generate/", json={"prompt": BRANDED, "brand": "Acme"})
    assert answer.status_code == 201, answer.text
    image = opened(lib.client.get(answer.json()["outputs"][0]["url"]).content).convert("RGBA")
    assert count(image.crop((0, 220, 400, 300)), (*BRAND_BLUE, 255), tol=30) > 100, "the headline in brand blue"
    assert count(image.crop((280, 0, 400, 100)), (*BRAND_BLUE, 255), tol=30) > 300, "the kit's logo, top right"


def test_the_teams_fonts_are_understood_with_or_without_a_kit(lib: Api) -> None:
    save_font(TEAM_FONT.read_bytes(), "team.ttf", "Team Serif", url=lib.library_url)
    session_id = lib.session()
    prompt = '@BG as background, "Sale" in Team Serif'
    for brand in (None, "Acme"):
        answer = lib.client.post(f"/session/{session_id}/explain/", json={"prompt": prompt, "brand": brand})
        assert answer.status_code == 200, answer.text
        assert "brand font Team Serif" in answer.json()["lines"][2], (brand, answer.json()["lines"])


@pytest.mark.parametrize("endpoint", ["explain", "generate"])
def test_an_unknown_kit_is_404_naming_the_kits_and_changes_nothing(lib: Api, endpoint: str) -> None:
    session_id = lib.session()
    before = assets(lib, session_id)
    answer = lib.client.post(f"/session/{session_id}/{endpoint}/", json={"prompt": BRANDED, "brand": "acme"})
    assert (answer.status_code, answer.json()) == (
        404,
        {"error": "There is no brand kit 'acme'. Did you mean 'Acme'? Kits: 'Acme'.", "kind": "UnknownKitError"},
    )
    assert assets(lib, session_id) == before


# --- the app's own kit: used when a request names none, as in the app's sessions -----------------------
HOUSE = 'name = "House"\n[colours]\n"house green" = "#1E8C3C"\n[images]\nhouse = "logo.png"\n'
HOUSE_PROMPT = '@BG as background, "Sale" in house green'


@pytest.fixture
def house(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The API of a deploy whose repository has the kit 'House' (brand/), beside 'Acme' saved in the library."""
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    save_kit(load_kit(make_kit(tmp_path / "acme")), url)
    folder = make_kit(tmp_path / "app" / "brand", HOUSE)
    return Api(make_store(tmp_path / "s"), RenderQueue(1, poll_s=0.01), library_url=url, app_kit=folder)


def test_the_apps_kit_is_listed_first_and_used_when_no_brand_is_named(house: Api) -> None:
    kits = house.client.get("/kits/").json()["kits"]
    assert [(k["name"], k["default"]) for k in kits] == [("House", True), ("Acme", False)]
    assert kits[0]["colours"] == [{"name": "house green", "code": "#1E8C3C"}]
    session_id = house.session()
    url = f"/session/{session_id}/explain/"
    lines = {
        brand: house.client.post(
            url, json={"prompt": HOUSE_PROMPT, **({} if brand is None else {"brand": brand})}
        ).json()["lines"][2]
        for brand in (None, "House", "", "Acme")
    }
    assert lines[None] == lines["House"]
    assert lines[None].startswith('"Sale" — center, house green (#1E8C3C)'), lines[None]
    assert "house green" not in lines[""] and "house green" not in lines["Acme"], lines
    assert "Acme Mono" in lines["Acme"], "the named kit's default font, not the app's kit"
    assert [tag for tag, _ in assets(house, session_id)] == ["BG", "logo", "product", "house", "acme"]
    unknown = house.client.post(url, json={"prompt": HOUSE_PROMPT, "brand": "Hose"})
    assert (unknown.status_code, unknown.json()["error"]) == (
        404,
        "There is no brand kit 'Hose'. Did you mean 'House'? Kits: 'Acme', 'House'.",
    )


def test_the_apps_kit_may_be_a_saved_one_and_a_broken_one_is_left_out(house: Api, tmp_path: Path) -> None:
    named = Api(house.store, house.queue, library_url=house.library_url, app_kit="Acme")
    session_id = named.session()
    line = named.client.post(f"/session/{session_id}/explain/", json={"prompt": '"Sale" in brand blue'}).json()
    assert line["lines"][1].startswith('"Sale" — center, brand blue (#0055A4), bold brand font Acme Mono'), line
    assert [k["name"] for k in named.client.get("/kits/").json()["kits"] if k["default"]] == ["Acme"]

    broken = make_kit(tmp_path / "broken" / "brand", "[colours]\nblue = 3\n")
    api = Api(house.store, house.queue, library_url=house.library_url, app_kit=broken)
    answer = api.client.post(f"/session/{session_id}/explain/", json={"prompt": HOUSE_PROMPT})
    assert answer.status_code == 200, "the deploy's broken kit is logged, never the client's fault"
    assert [(k["name"], k["default"]) for k in api.client.get("/kits/").json()["kits"]] == [("Acme", False)]


@pytest.mark.parametrize(
    ("environ", "secret", "expected"),
    [
        ({}, None, "brand"),  # the repository's brand/ folder
        ({"IMAGEGEN_BRAND_DIR": "elsewhere"}, None, "elsewhere"),
        ({"IMAGEGEN_BRAND_KIT": "Acme"}, "Other", "Acme"),
        ({}, "Other", "Other"),
        ({}, None, None),
    ],
)
def test_which_kit_the_app_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], secret: str | None, expected: str | None
) -> None:
    for key in ("IMAGEGEN_BRAND_DIR", "IMAGEGEN_BRAND_KIT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    if expected == "brand":
        make_kit(tmp_path / "brand")
        assert app_kit(tmp_path, secret) == tmp_path / "brand"
    elif expected == "elsewhere":
        assert app_kit(tmp_path, secret) == Path("elsewhere")
    else:
        assert app_kit(tmp_path, secret) == expected


# --- the token -----------------------------------------------------------------------------------------
def test_with_a_token_the_library_endpoints_need_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGEGEN_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
    save_templates(url)
    api = Api(make_store(tmp_path / "s"), RenderQueue(1, poll_s=0.01), library_url=url, token="s3cret")
    calls = [
        ("GET", "/templates/", {}),
        ("GET", "/templates/Summer%20promo", {}),
        ("GET", "/templates/Summer%20promo/thumbnail", {}),
        ("GET", "/kits/", {}),
        ("POST", f"/session/{'0' * 32}/template/", {"json": {"template": "Summer promo"}}),
    ]
    for method, path, extra in calls:
        answer = api.client.request(method, path, **extra)
        assert (answer.status_code, answer.json()["kind"]) == (401, "UnauthorizedError"), path
    authorised = {"Authorization": "Bearer s3cret"}
    assert api.client.get("/templates/", headers=authorised).status_code == 200
    thumb = api.client.get("/templates/Summer%20promo/thumbnail", headers=authorised)
    assert opened(thumb.content).format == "WEBP"


# --- serve: which library ---------------------------------------------------------------------------
def test_serve_with_db_lists_and_renders_the_librarys_templates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    environ = {**os.environ, "IMAGEGEN_DATA_DIR": str(tmp_path / "data")}
    for key in ("IMAGEGEN_API_TOKEN", "IMAGEGEN_DATABASE_URL", "IMAGEGEN_BRAND_DIR", "IMAGEGEN_BRAND_KIT"):
        environ.pop(key, None)
    save_templates(url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "imagegen", "serve", "--port", str(port), "--db", url],
            cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        for _attempt in range(600):
            assert process.poll() is None, log.read_text()
            try:
                listed = client.get("/templates/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert [t["name"] for t in listed.json()["templates"]] == ["Moving sale", "Summer promo"]
        session_id = client.post("/session/create/").json()["id"]
        made = client.post(f"/session/{session_id}/template/", json={"template": "Summer promo"})
        assert made.status_code == 201, made.text
        assert opened(client.get(made.json()["outputs"][0]["url"]).content).size == (400, 300)
    finally:
        client.close()
        process.terminate()
        process.wait(30)
    assert f"library {url}, brand kit none" in log.read_text()


def test_serve_uses_db_else_the_apps_secrets_else_the_environments_library(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('IMAGEGEN_API_TOKEN = "t"\n[connections.library]\nurl = "postgresql+psycopg://team@db/lib"\n')
    assert configured_library(" sqlite:///given.sqlite3 ", [secrets]) == "sqlite:///given.sqlite3"
    assert configured_library(None, [tmp_path / "missing.toml", secrets]) == "postgresql+psycopg://team@db/lib"
    assert configured_library(None, [tmp_path / "missing.toml"]) is None, "then IMAGEGEN_DATABASE_URL, else SQLite"
    broken = tmp_path / "broken.toml"
    broken.write_text("[connections.library\n")
    assert configured_library("", [broken]) is None
    assert f"cannot read {broken}" in caplog.text and "no library URL from it" in caplog.text

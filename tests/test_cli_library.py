"""The command line's brand kits and templates, run as users run it (the contract of issue 29)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from library_helpers import BRAND_BLUE, ROOT, logo_on_white, make_kit, sky
from PIL import Image

from imagegen.batch import read_manifest

PROMPT = (
    '400x300, @BG as background, @acme at the top right, "Summer Sale" in brand blue on a white banner at the bottom'
)


def _env(folder: Path, url: str) -> dict[str, str]:
    sky((400, 300)).save(folder / "bg.jpg", quality=92)
    logo_on_white((160, 160)).save(folder / "square.png")
    make_kit(folder / "brand")
    return {**os.environ, "IMAGEGEN_DATA_DIR": str(folder / "data"), "DB": url, "TMP": str(folder)}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Inputs, a kit and an SQLite library (the storage itself is tested on both backends in test_library)."""
    return _env(tmp_path, f"sqlite:///{tmp_path / 'library.sqlite3'}")


@pytest.fixture
def both(tmp_path: Path, db_url: str) -> dict[str, str]:
    """The same on each backend: SQLite and PostgreSQL."""
    return _env(tmp_path, db_url)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One library holding 'Summer promo', shared by tests that must not change it."""
    folder = tmp_path_factory.mktemp("saved")
    env = _env(folder, f"sqlite:///{folder / 'library.sqlite3'}")
    assert save(env).returncode == 0
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    argv = [a.replace("$TMP", env["TMP"]).replace("$DB", env["DB"]) for a in args]
    return subprocess.run(
        [sys.executable, "-m", "imagegen", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert (done.returncode, done.stdout, errors) == (2, "", [f"error: {message}"])


def save(env: dict[str, str], name: str = "Summer promo") -> subprocess.CompletedProcess[str]:
    return run(
        env, "template", "save", name, "--prompt", PROMPT, "--image", "BG=$TMP/bg.jpg", "--brand", "$TMP/brand",
        "--db", "$DB",
    )  # fmt: skip


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def test_explain_with_a_brand_kit(env: dict[str, str]) -> None:
    done = run(env, "explain", "--brand", "$TMP/brand", "--tags", "BG", "--prompt", PROMPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Canvas 400x300, covered by @BG, still image",
        "@BG — background, covers the canvas",
        "@acme — top right, small (20 % of the canvas)",
        '"Summer Sale" — bottom, brand blue (#0055A4), bold brand font Acme Mono, 27 px (fits 1 line), on a white '
        "banner",
    ]


def test_render_with_a_brand_kit_draws_its_colour_and_logo(env: dict[str, str], tmp_path: Path) -> None:
    prompt = "800x400, @acme in the center, background colour brand blue"
    done = run(env, "render", "--brand", "$TMP/brand", "--prompt", prompt, "-o", "$TMP/out.png")
    assert (done.returncode, done.stdout) == (0, f"{tmp_path / 'out.png'}\n"), done.stderr
    frame = pixels(tmp_path / "out.png")
    assert tuple(frame[10, 10]) == BRAND_BLUE
    assert tuple(frame[200, 400]) != BRAND_BLUE  # the logo (on white) is in the middle


def test_a_template_is_saved_listed_rendered_and_deleted(both: dict[str, str], tmp_path: Path) -> None:
    env = both
    done = save(env)
    assert (done.returncode, done.stdout) == (0, "saved template 'Summer promo' with slots {BG}, {acme}, {headline}\n")
    listed = run(env, "template", "list", "--db", "$DB")
    assert listed.returncode == 0
    assert listed.stdout.startswith("Summer promo: {BG}, {acme}, {headline} “Summer Sale” (saved 20")
    assert listed.stdout.endswith(" UTC)\n")
    done = run(env, "render", "--template", "Summer promo", "--set", "headline=Winter Sale", "-o", "$TMP/t.png",
               "--db", "$DB")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, f"{tmp_path / 't.png'}\n"), done.stderr
    direct = run(env, "render", "--brand", "$TMP/brand", "--image", "BG=$TMP/bg.jpg", "-o", "$TMP/d.png",
                 "--prompt", PROMPT.replace("Summer Sale", "Winter Sale"))  # fmt: skip
    assert direct.returncode == 0, direct.stderr
    assert np.array_equal(pixels(tmp_path / "t.png"), pixels(tmp_path / "d.png"))
    saved = run(env, "render", "--template", "summer promo", "-o", "$TMP/s.png", "--db", "$DB")
    assert saved.returncode == 0, saved.stderr
    assert not np.array_equal(pixels(tmp_path / "s.png"), pixels(tmp_path / "t.png"))  # the saved words
    swapped = run(env, "render", "--template", "Summer promo", "--image", "acme=$TMP/square.png", "-o", "$TMP/q.png",
                  "--db", "$DB")  # fmt: skip
    assert swapped.returncode == 0, swapped.stderr
    assert not np.array_equal(pixels(tmp_path / "q.png"), pixels(tmp_path / "s.png"))
    done = run(env, "template", "delete", "Summer promo", "--db", "$DB")
    assert (done.returncode, done.stdout) == (0, "deleted template 'Summer promo'\n")
    assert run(env, "template", "list", "--db", "$DB").stdout == (
        "No templates yet — save one: python -m imagegen template save NAME --prompt '…' --image TAG=PATH\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("render", "--template", "Summer promo", "--set", "headline=", "-o", "$TMP/x.png", "--db", "$DB"),
            "The slot {headline} is empty — give it some words, or leave it out to keep the saved “Summer Sale”.",
        ),
        (
            ("render", "--template", "Summer promo", "--set", "title=Hi", "-o", "$TMP/x.png", "--db", "$DB"),
            "The template 'Summer promo' has no slot {title}. Its slots: {BG}, {acme}, {headline}.",
        ),
        (
            ("render", "--template", "Sumer promo", "-o", "$TMP/x.png", "--db", "$DB"),
            "There is no template 'Sumer promo'. Did you mean 'Summer promo'? Templates: 'Summer promo'.",
        ),
        (
            ("render", "--template", "Summer promo", "--prompt", "@BG", "-o", "$TMP/x.png", "--db", "$DB"),
            "Give either --prompt or --template NAME, not both.",
        ),
        (
            ("render", "--prompt", "@BG", "--set", "headline=Hi", "-o", "$TMP/x.png"),
            "--set fills a template's slot — use it with --template NAME.",
        ),
        (
            ("render", "--template", "Summer promo", "--set", "headline", "-o", "$TMP/x.png", "--db", "$DB"),
            "--set expects SLOT=TEXT (e.g. --set headline='Summer Sale'), got 'headline'.",
        ),
        (
            ("template", "save", "summer PROMO", "--prompt", "@BG", "--image", "BG=$TMP/bg.jpg", "--db", "$DB"),
            "A template named 'Summer promo' already exists — pick another name, or delete or rename that one first.",
        ),
        (
            ("template", "delete", "Autumn", "--db", "$DB"),
            "There is no template 'Autumn'. Templates: 'Summer promo'.",
        ),
        (
            ("render", "--brand", "$TMP", "--prompt", "@BG", "--image", "BG=$TMP/bg.jpg", "-o", "$TMP/x.png"),
            "'$TMP' has no brand.toml — a brand kit is a folder with a brand.toml like:",
        ),
    ],
)
def test_refusals(saved: dict[str, str], args: tuple[str, ...], message: str) -> None:
    refused(run(saved, *args), message.replace("$TMP", saved["TMP"]))


def test_refusals_saved_nothing(saved: dict[str, str]) -> None:
    assert run(saved, "template", "list", "--db", "$DB").stdout.count("\n") == 1


def test_a_batch_is_driven_by_a_template(env: dict[str, str], tmp_path: Path) -> None:
    assert save(env).returncode == 0
    (tmp_path / "rows.csv").write_text(
        "headline,acme,name\nSpring Sale,square.png,spring\nAutumn Sale,,autumn\n,square.png,x\n"
    )
    done = run(env, "batch", "$TMP/rows.csv", "--template", "Summer promo", "--images", "$TMP", "-o", "$TMP/out.zip",
               "--db", "$DB", "--workers", "1")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[:2] == [
        "warning: row 3, column 'acme': is empty — write the image's file name (e.g. shoe.png).",
        "warning: row 4, column 'headline': The slot {headline} is empty — give it some words, or leave it out to "
        "keep the saved “Summer Sale”.",
    ]
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert sorted(archive.namelist()) == ["manifest.csv", "spring.png"]
        rows = read_manifest(archive.read("manifest.csv"))
        (tmp_path / "spring.png").write_bytes(archive.read("spring.png"))
    assert [(r["row"], r["status"], r["file"]) for r in rows] == [
        ("2", "ok", "spring.png"),
        ("3", "error", ""),
        ("4", "error", ""),
    ]
    direct = run(env, "render", "--brand", "$TMP/brand", "--image", "BG=$TMP/bg.jpg", "--image", "acme=$TMP/square.png",
                 "-o", "$TMP/d.png", "--prompt", PROMPT.replace("Summer Sale", "Spring Sale"))  # fmt: skip
    assert direct.returncode == 0, direct.stderr
    assert np.array_equal(pixels(tmp_path / "spring.png"), pixels(tmp_path / "d.png"))


def test_a_batch_column_that_is_no_slot_is_refused(saved: dict[str, str]) -> None:
    (Path(saved["TMP"]) / "rows.csv").write_text("headlin\nSpring Sale\n")
    done = run(saved, "batch", "$TMP/rows.csv", "--template", "Summer promo", "-o", "$TMP/out.zip", "--db", "$DB")
    refused(
        done,
        "Column 'headlin': The template 'Summer promo' has no slot {headlin}. Did you mean {headline}? "
        "Its slots: {BG}, {acme}, {headline}.",
    )


def test_a_batch_with_a_brand_kit(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("words\nHello\n")
    prompt = '300x200, @acme at the top, "{words}" at the bottom, background colour brand blue'
    done = run(env, "batch", "$TMP/rows.csv", "--brand", "$TMP/brand", "-o", "$TMP/out.zip", "--workers", "1",
               "--prompt", prompt)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        (tmp_path / "b.png").write_bytes(archive.read("row00002.png"))
    assert tuple(pixels(tmp_path / "b.png")[100, 5]) == BRAND_BLUE


def test_a_kit_saved_in_the_library_is_used_by_name(env: dict[str, str]) -> None:
    done = run(env, "kit", "save", "$TMP/brand", "--db", "$DB")
    assert (done.returncode, done.stdout) == (0, "saved brand kit 'Acme' (use it with --brand 'Acme')\n")
    assert run(env, "kit", "list", "--db", "$DB").stdout == "Acme\n"
    done = run(env, "explain", "--brand", "Acme", "--db", "$DB", "--tags", "BG", "--prompt", PROMPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith('"Summer Sale" — bottom, brand blue (#0055A4), bold brand font')


def test_the_teams_fonts_are_words_of_every_prompt_as_in_the_app(env: dict[str, str]) -> None:
    from imagegen.library.fonts import save_font

    font = ROOT / "imagegen" / "fonts" / "NotoSansHebrew-Regular.ttf"  # not the kit's font
    save_font(font.read_bytes(), "t.ttf", "Team Serif", env["DB"])
    done = run(env, "explain", "--tags", "BG", "--db", "$DB", "--prompt", '@BG as background, "Sale" in Team Serif')
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2].startswith('"Sale" — center, white, bold brand font Team Serif'), done.stdout

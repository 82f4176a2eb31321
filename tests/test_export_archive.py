"""zip_files: contents, safe and unique names inside, atomic on failure."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from imagegen.errors import RenderError
from imagegen.export import zip_files
from imagegen.export.archive import MANIFEST_NAME, manifest_csv, safe_arcname


def make(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_zip_holds_every_file_with_its_bytes(tmp_path: Path) -> None:
    a = make(tmp_path, "a.gif", b"GIF89a" + bytes(range(256)))
    b = make(tmp_path, "b.txt", b"hello " * 1000)
    dest = zip_files([("one.gif", a), ("uploads/notes.txt", b)], tmp_path / "all.zip")
    with zipfile.ZipFile(dest) as archive:
        assert archive.namelist() == ["one.gif", "uploads/notes.txt"]
        assert archive.read("one.gif") == a.read_bytes()
        assert archive.read("uploads/notes.txt") == b.read_bytes()
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
    assert kinds == {"one.gif": zipfile.ZIP_STORED, "uploads/notes.txt": zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/path.png", "abs/path.png"),
        ("C:\\Users\\me\\logo.png", "C_/Users/me/logo.png"),
        ("a/./b/../c.png", "a/b/c.png"),
        ("bad\x00name\x1f.png", "bad_name_.png"),
        ('what?<>|*".gif', "what______.gif"),
        ("", "file"),
        ("..", "file"),
    ],
)
def test_arcnames_are_made_safe(name: str, safe: str) -> None:
    assert safe_arcname(name) == safe


def test_duplicate_arcnames_get_numbers(tmp_path: Path) -> None:
    a = make(tmp_path, "a.png", b"1")
    dest = zip_files([("x.png", a), ("X.png", a), ("../x.png", a)], tmp_path / "all.zip")
    with zipfile.ZipFile(dest) as archive:
        assert archive.namelist() == ["x.png", "X-2.png", "x-3.png"]


def test_a_missing_file_leaves_no_zip_and_keeps_the_old_one(tmp_path: Path) -> None:
    dest = make(tmp_path, "all.zip", b"old zip")
    a = make(tmp_path, "a.png", b"1")
    with pytest.raises(RenderError) as info:
        zip_files([("a.png", a), ("gone.png", tmp_path / "gone.png")], dest)
    assert str(info.value) == "Cannot add gone.png to all.zip: No such file or directory."
    assert dest.read_bytes() == b"old zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "all.zip"]


def test_an_empty_zip_is_valid(tmp_path: Path) -> None:
    dest = zip_files([], tmp_path / "none.zip")
    with zipfile.ZipFile(dest) as archive:
        assert archive.namelist() == []


def test_a_manifest_lists_each_file_under_its_name_inside_the_zip(tmp_path: Path) -> None:
    a = make(tmp_path, "a.gif", b"GIF89a")
    rows = [{"prompt": "@logo spins", "format": "GIF"}, {"prompt": "Crème — 30 % off", "format": "PNG"}]
    dest = zip_files([("x.gif", a), ("X.gif", a)], tmp_path / "all.zip", manifest=rows)
    with zipfile.ZipFile(dest) as archive:
        assert archive.namelist() == ["x.gif", "X-2.gif", MANIFEST_NAME]
        text = archive.read(MANIFEST_NAME)
    assert text.startswith(b"\xef\xbb\xbf")  # a spreadsheet then reads UTF-8
    parsed = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert parsed == [
        {"file": "x.gif", "prompt": "'@logo spins", "format": "GIF"},  # not run as a formula
        {"file": "X-2.gif", "prompt": "Crème — 30 % off", "format": "PNG"},
    ]


def test_a_file_named_like_the_manifest_does_not_replace_it(tmp_path: Path) -> None:
    a = make(tmp_path, "a.csv", b"mine")
    dest = zip_files([(MANIFEST_NAME, a)], tmp_path / "all.zip", manifest=[{"prompt": "p"}])
    with zipfile.ZipFile(dest) as archive:
        assert archive.namelist() == ["manifest-2.csv", MANIFEST_NAME]
        assert archive.read("manifest-2.csv") == b"mine"


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-5 %", "'-5 %"), ("@BG", "'@BG"), ("Place @BG", "Place @BG"), (7, "7")],
)
def test_manifest_cells_that_a_spreadsheet_would_run_are_quoted(value: object, cell: str) -> None:
    text = manifest_csv([{"prompt": value}]).decode("utf-8-sig")
    assert text == f"prompt\r\n{cell}\r\n"

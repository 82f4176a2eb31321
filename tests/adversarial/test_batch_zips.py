"""Hostile ZIPs of images for a batch: each is refused with a message naming the entry, nothing is left behind."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from fixtures_images import solid_png

from imagegen.batch import plan_batch, read_recipe, unpack_zip
from imagegen.errors import BatchError, LimitError
from imagegen.limits import Limits

pytestmark = pytest.mark.adversarial

PNG = solid_png((8, 8))


def zip_of(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def encrypted(data: bytes) -> io.BytesIO:
    """Set the 'encrypted' flag in the local and central headers (zipfile cannot write encryption)."""
    patched = bytearray(data)
    local, central = patched.find(b"PK\x03\x04"), patched.find(b"PK\x01\x02")
    patched[local + 6] |= 0x1
    patched[central + 8] |= 0x1
    return io.BytesIO(bytes(patched))


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("ok.png", PNG), ("../../etc/cron.d/evil.png", PNG)], r"an entry 'evil.png' whose path leaves the archive"),
        ([("/etc/passwd.png", PNG)], r"whose path leaves the archive"),
        ([("C:\\Windows\\x.png", PNG)], r"whose path leaves the archive"),
        ([("a/../../x.png", PNG)], r"whose path leaves the archive"),
        ([(link("logo.png"), b"/etc/passwd")], r"holds a link 'logo.png' — links are refused"),
    ],
)
def test_entries_that_escape_or_hide_refuse_the_whole_zip(
    entries: list[tuple[str | zipfile.ZipInfo, bytes]], message: str, tmp_path: Path
) -> None:
    dest = tmp_path / "unpacked"
    with pytest.raises(BatchError, match=message):
        unpack_zip(zip_of(*entries), dest, name="images.zip")
    assert not dest.exists() or list(dest.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["unpacked"])


def test_an_encrypted_zip_asks_for_one_without_a_password(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match=r"images.zip is password-protected \('logo.png'\)"):
        unpack_zip(encrypted(zip_of(("logo.png", PNG)).getvalue()), tmp_path / "out", name="images.zip")


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_written(tmp_path: Path) -> None:
    bomb = zip_of(("a.png", bytes(600_000)), ("b.png", bytes(600_000)))
    assert len(bomb.getvalue()) < 5_000
    with pytest.raises(LimitError, match=r"images.zip unpacks to 1.1 MB — at most 976.6 KB per batch"):
        unpack_zip(bomb, tmp_path / "out", name="images.zip", limits=Limits(max_zip_bytes=1_000_000))  # 976.6 KiB
    assert not (tmp_path / "out").exists()


def _lie_about_size(data: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size in the local and central headers (a bomb that lies)."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    patched[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = patched.find(b"PK\x01\x02")
    patched[central + 24 : central + 28] = declared.to_bytes(4, "little")
    return bytes(patched)


def test_a_zip_bomb_that_lies_in_its_header_is_refused_by_its_real_size(tmp_path: Path) -> None:
    liar = _lie_about_size(zip_of(("logo.png", bytes(5_000_000))).getvalue(), 1_000)
    dest = tmp_path / "out"
    with pytest.raises(BatchError, match=r"'logo.png' does not match what its header declares .* a zip bomb"):
        unpack_zip(io.BytesIO(liar), dest, name="images.zip")
    assert list(dest.iterdir()) == []


def test_too_many_entries_states_the_limit(tmp_path: Path) -> None:
    many = zip_of(*[(f"{i}.png", PNG) for i in range(4)])
    with pytest.raises(LimitError, match=r"images\.zip holds 4 files — at most 3 per batch"):
        unpack_zip(many, tmp_path / "out", name="images.zip", limits=Limits(max_zip_entries=3))


def test_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match=r"images\.zip is not a readable ZIP file"):
        unpack_zip(io.BytesIO(PNG), tmp_path / "out", name="images.zip")


def test_an_oversized_image_is_refused_alone_and_the_rows_using_it_say_why(tmp_path: Path) -> None:
    big = solid_png((300, 300), (1, 2, 3)) + bytes(5_000)
    archive = zip_of(("small.png", PNG), ("big.png", big), ("__MACOSX/._small.png", b"junk"), ("._x.png", b"junk"))
    limits = Limits(max_file_bytes=4_000)
    library = unpack_zip(archive, tmp_path / "out", name="images.zip", limits=limits)
    assert list(library.files) == ["small.png"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["00000.png"]  # generated names only
    recipe = read_recipe("product\nsmall.png\nbig.png\n")
    plan = plan_batch(recipe, "@{product} in the center", library, limits=limits)
    assert len(plan.jobs) == 1
    (error,) = plan.errors
    assert str(error) == "row 3, column 'product': 'big.png' was refused: it is 5.8 KB — images can be at most 3.9 KB."


def test_a_renamed_non_image_fails_its_rows_not_the_batch(tmp_path: Path) -> None:
    archive = zip_of(("a.png", PNG), ("b.png", b"<html>not an image</html>"))
    library = unpack_zip(archive, tmp_path / "out", name="images.zip")
    plan = plan_batch(read_recipe("product\na.png\nb.png\nb.png\n"), "@{product} in the center", library)
    assert len(plan.jobs) == 1
    assert [(e.row, e.column) for e in plan.errors] == [(3, "product"), (4, "product")]
    assert "the image 'b.png' cannot be used: it is not a PNG, JPEG, WebP, GIF or BMP image" in plan.errors[0].message

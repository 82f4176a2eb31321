"""The bundled fonts: families by name, a fallback font per script, glyph coverage, and the layout engine.

Families (what the prompt calls them): ``sans`` (Noto Sans), ``serif`` (Noto Serif), ``condensed``
(Noto Sans at its narrowest width, for headlines) and ``mono`` (Noto Sans Mono). Scripts a family lacks
fall back to Noto Sans Devanagari, Noto Sans Arabic, Noto Sans Hebrew and, when installed, Noto Sans CJK.
All are SIL OFL 1.1: most arrive as pinned ``fontpkg-noto-*`` packages, Hebrew and Mono are vendored in
``imagegen/fonts`` with their licence. CJK is optional (about 20 MB): :func:`missing_font_hint` says what
to install.

Shaping (Devanagari conjuncts, joined Arabic, right-to-left order) needs Pillow's Raqm layout, which loads
FriBiDi from the system (``libfribidi0``). Without it, text is drawn with the basic layout and
:func:`layout_warning` says so; the app and the CLI show that warning.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont, features

from imagegen.store.fonts import FONT_PREFIX, font_file

log = logging.getLogger(__name__)

VENDORED = Path(__file__).resolve().parent.parent / "fonts"
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.ttf")
CJK_INSTALL = (
    "install a Noto Sans CJK font: `apt-get install fonts-noto-cjk` (on Streamlit Community Cloud add"
    " `fonts-noto-cjk` to packages.txt), or set IMAGEGEN_FONT_DIRS to a folder holding NotoSansCJK-Regular.ttc"
)
RAQM_WARNING = (
    "Text shaping is unavailable (Pillow's Raqm layout needs the system library libfribidi0): Hindi, Arabic"
    " and Hebrew text is drawn unshaped. Install it with `apt-get install libfribidi0` (on Streamlit"
    " Community Cloud it is in packages.txt)."
)


@dataclass(frozen=True)
class FontFile:
    """One font file: where it comes from, and its variation axes if it is variable."""

    name: str
    package: str | None  # the pip package shipping it (None = vendored or system)
    filename: str
    variable: bool = False
    bold_filename: str | None = None  # static families: the bold file (weights >= 600)

    def path(self, weight: int = 400) -> Path | None:
        filename = self.bold_filename if self.bold_filename and weight >= 600 else self.filename
        if Path(filename).is_absolute():  # a brand font kept by content (imagegen.store.fonts)
            return Path(filename) if Path(filename).is_file() else None
        if self.package is None:
            return _vendored_or_system(filename)
        return _package_file(self.package, filename)


@dataclass(frozen=True)
class Family:
    """A family users can name: upright and italic files, and the width it is drawn at (variable fonts)."""

    key: str
    label: str
    upright: FontFile
    italic: FontFile | None
    width: float = 100.0


NOTO_SANS = FontFile("Noto Sans", "fontpkg_noto_sans", "NotoSans[wdth,wght].ttf", variable=True)
NOTO_SANS_ITALIC = FontFile("Noto Sans Italic", "fontpkg_noto_sans", "NotoSans-Italic[wdth,wght].ttf", variable=True)
NOTO_SERIF = FontFile("Noto Serif", "fontpkg_noto_serif", "NotoSerif[wdth,wght].ttf", variable=True)
NOTO_SERIF_ITALIC = FontFile(
    "Noto Serif Italic", "fontpkg_noto_serif", "NotoSerif-Italic[wdth,wght].ttf", variable=True
)
NOTO_MONO = FontFile("Noto Sans Mono", None, "NotoSansMono-Regular.ttf", bold_filename="NotoSansMono-Bold.ttf")
DEVANAGARI = FontFile(
    "Noto Sans Devanagari", "fontpkg_noto_sans_devanagari", "NotoSansDevanagari[wdth,wght].ttf", variable=True
)
ARABIC = FontFile("Noto Sans Arabic", "fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf", variable=True)
HEBREW = FontFile("Noto Sans Hebrew", None, "NotoSansHebrew-Regular.ttf", bold_filename="NotoSansHebrew-Bold.ttf")
CJK = FontFile("Noto Sans CJK", None, CJK_FILES[0], bold_filename=CJK_FILES[1])

FAMILIES: dict[str, Family] = {
    "sans": Family("sans", "Noto Sans", NOTO_SANS, NOTO_SANS_ITALIC),
    "serif": Family("serif", "Noto Serif", NOTO_SERIF, NOTO_SERIF_ITALIC),
    "condensed": Family("condensed", "Noto Sans Condensed", NOTO_SANS, NOTO_SANS_ITALIC, width=62.5),
    "mono": Family("mono", "Noto Sans Mono", NOTO_MONO, None),
}
"""Every family a prompt may name, by key."""

#: Per-script fallbacks, tried in this order after the layer's own family.
SCRIPT_FONTS: tuple[FontFile, ...] = (DEVANAGARI, ARABIC, HEBREW, NOTO_SANS, CJK)

#: What to install when a font file is missing, by font name.
_INSTALL_HINTS = {
    "Noto Sans": "pip install fontpkg-noto-sans (in requirements.txt)",
    "Noto Sans Italic": "pip install fontpkg-noto-sans (in requirements.txt)",
    "Noto Serif": "pip install fontpkg-noto-serif (in requirements.txt)",
    "Noto Serif Italic": "pip install fontpkg-noto-serif (in requirements.txt)",
    "Noto Sans Devanagari": "pip install fontpkg-noto-sans-devanagari (in requirements.txt)",
    "Noto Sans Arabic": "pip install fontpkg-noto-sans-arabic (in requirements.txt)",
    "Noto Sans Hebrew": "restore imagegen/fonts/NotoSansHebrew-*.ttf from the repository",
    "Noto Sans Mono": "restore imagegen/fonts/NotoSansMono-*.ttf from the repository",
    "Noto Sans CJK": CJK_INSTALL,
}


def missing_font_hint(font: FontFile) -> str:
    """What to install so that ``font`` is found."""
    return _INSTALL_HINTS.get(font.name, f"install the {font.name} font")


def _font_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("IMAGEGEN_FONT_DIRS", "").split(os.pathsep) if p.strip()]
    return [VENDORED, *extra, *SYSTEM_FONT_DIRS]


@functools.lru_cache(maxsize=64)
def _package_file(package: str, filename: str) -> Path | None:
    """``files/<filename>`` inside an installed font package (found without importing it)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "files" / filename
    return path if path.is_file() else None


@functools.lru_cache(maxsize=64)
def _vendored_or_system(filename: str) -> Path | None:
    for folder in _font_dirs():
        direct = folder / filename
        if direct.is_file():
            return direct
        if folder != VENDORED and folder.is_dir():
            found = next(folder.rglob(filename), None)
            if found is not None:
                return found
    return None


@functools.lru_cache(maxsize=1)
def raqm_available() -> bool:
    """True when Pillow can shape text (Raqm with FriBiDi and HarfBuzz loaded)."""
    try:
        return bool(features.check("raqm"))
    except (OSError, ValueError):  # a broken libfribidi makes the check itself fail
        return False


def layout_warning() -> str | None:
    """The warning to show when text cannot be shaped, else None."""
    return None if raqm_available() else RAQM_WARNING


# ---------------------------------------------------------------- glyph coverage (the font's cmap)


@functools.lru_cache(maxsize=32)
def coverage(path: Path) -> frozenset[int]:
    """The code points ``path``'s character map covers (first font of a collection)."""
    data = path.read_bytes()
    offset = 0
    if data[:4] == b"ttcf":
        offset = struct.unpack_from(">I", data, 12)[0]
    num_tables = struct.unpack_from(">H", data, offset + 4)[0]
    for i in range(num_tables):
        tag, _, table, _ = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if tag == b"cmap":
            return frozenset(_cmap_codepoints(data, table))
    return frozenset()


def _cmap_codepoints(data: bytes, table: int) -> Iterable[int]:
    count = struct.unpack_from(">H", data, table + 2)[0]
    subtables: dict[int, int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, table + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, table + offset)[0]
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            subtables[12] = table + offset
        elif (platform, encoding) in ((3, 1), (0, 3), (0, 1), (0, 0)) and fmt == 4:
            subtables.setdefault(4, table + offset)
    if 12 in subtables:
        return _format12(data, subtables[12])
    if 4 in subtables:
        return _format4(data, subtables[4])
    return ()


def _format12(data: bytes, at: int) -> Iterable[int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        if glyph or start != end:
            yield from range(start, end + 1)


def _format4(data: bytes, at: int) -> Iterable[int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    for start, end in zip(starts, ends, strict=True):
        if start != 0xFFFF:
            yield from range(start, end + 1)


# ---------------------------------------------------------------- loading fonts


_lock = threading.RLock()
"""FreeType faces are not safe to share between threads: every text rasterisation holds this lock."""


def text_lock() -> threading.RLock:
    return _lock


@functools.lru_cache(maxsize=256)
def load(font: FontFile, size: int, weight: int, width: float, raqm: bool) -> ImageFont.FreeTypeFont | None:
    """``font`` at ``size`` px, weight and width (variable fonts), with Raqm or the basic layout."""
    path = font.path(weight)
    if path is None:
        return None
    engine = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    loaded = ImageFont.truetype(str(path), max(1, size), layout_engine=engine)
    if font.variable:
        _set_axes(loaded, weight, width)
    return loaded


def _set_axes(font: ImageFont.FreeTypeFont, weight: int, width: float) -> None:
    values = []
    for axis in font.get_variation_axes():
        name = axis["name"].decode() if isinstance(axis["name"], bytes) else str(axis["name"])
        wanted = {"Weight": weight, "Width": width}.get(name, axis["default"])
        values.append(max(axis["minimum"], min(axis["maximum"], wanted)))
    font.set_variation_by_axes(values)


def available(font: FontFile) -> bool:
    return font.path() is not None


def family(key: str) -> Family:
    """The family named ``key``: a bundled one, or a brand font kept by content (``font:<sha256>``).

    Unknown keys, and a brand font no longer kept here, fall back to sans (the parser refuses unknown
    family words first; a brand font's file travels with its kit or template).
    """
    if key.startswith(FONT_PREFIX):
        path = font_file(key)
        if path is not None:
            return _brand_family(key, str(path))
        log.warning("brand font %s is not kept here: drawn in Noto Sans", key[:20])
    return FAMILIES.get(key, FAMILIES["sans"])


@functools.lru_cache(maxsize=32)
def _brand_family(key: str, path: str) -> Family:
    return Family(key, "brand font", FontFile(f"brand font {key[5:13]}", None, path), None)


def startup_warnings() -> list[str]:
    """Problems to show once at start-up: no shaping, a bundled font missing (CJK is optional)."""
    problems = [w for w in (layout_warning(),) if w]
    fonts = {f.upright for f in FAMILIES.values()} | {f for f in SCRIPT_FONTS if f is not CJK}
    for font in sorted(fonts, key=lambda f: f.name):
        if not available(font):
            problems.append(f"The {font.name} font is missing — {missing_font_hint(font)}.")
    return problems

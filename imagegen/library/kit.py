"""A brand kit: named colours, images every session has without uploading, and fonts.

A kit is a folder holding ``brand.toml`` and its files (a repository's ``brand/``, or one saved in the
library database, see :mod:`imagegen.library.store`)::

    name = "Acme"                      # optional; the folder's name otherwise
    [colours]                          # name = "#RRGGBB" ("brand_blue" is said "brand blue")
    "brand blue" = "#0055A4"
    [images]                           # tag = path relative to the kit's folder
    acme = "logo.png"
    [fonts]                            # name = .ttf/.otf file; "default" names the text font
    "Acme Sans" = "AcmeSans.ttf"
    default = "Acme Sans"

Every problem is one :class:`BrandKitError` naming the file, the table and the entry, and what would work.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from imagegen.errors import BrandKitError, FontFileError, TagError, did_you_mean, suggest
from imagegen.prompt.brand import BrandWords
from imagegen.scene import RGBA
from imagegen.store.fonts import keep_font
from imagegen.store.tags import validate_tag

log = logging.getLogger(__name__)

KIT_FILE = "brand.toml"
ENV_BRAND_DIR = "IMAGEGEN_BRAND_DIR"
_TABLES = ("name", "colours", "images", "fonts")
_ALIASES = {"colors": "colours"}
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_NAME = re.compile(r"[a-z][a-z0-9 ]{0,39}")
_RESERVED = frozenset({"transparent", "background", "colour", "color", "canvas"})
_EXAMPLE = '[colours]\n"brand blue" = "#0055A4"\n[images]\nacme = "logo.png"'


@dataclass(frozen=True)
class KitColour:
    name: str  # as said in a prompt: "brand blue"
    rgba: RGBA

    @property
    def code(self) -> str:
        r, g, b = self.rgba[:3]
        return f"#{r:02X}{g:02X}{b:02X}"


@dataclass(frozen=True)
class KitFont:
    name: str  # as said in a prompt: "Acme Sans"
    key: str  # the Scene's family: font:<sha256>
    file: str  # relative to the kit folder
    family: str  # the name inside the font file


@dataclass(frozen=True)
class BrandKit:
    """A loaded kit: everything checked, fonts kept by content, image files known to exist."""

    name: str
    folder: Path
    colours: tuple[KitColour, ...] = ()
    images: tuple[tuple[str, Path], ...] = ()  # (tag, absolute path)
    fonts: tuple[KitFont, ...] = ()
    default_font: str | None = None  # a family key

    def words(self) -> BrandWords:
        """What the kit adds to the prompt language (one value per kit, so its compiled phrases are reused)."""
        return self._words

    @cached_property
    def _words(self) -> BrandWords:
        return BrandWords(
            colours=tuple((c.name, c.rgba) for c in self.colours),
            fonts=tuple((f.name, f.key) for f in self.fonts),
            default_font=self.default_font,
        )

    def image_paths(self) -> dict[str, Path]:
        return dict(self.images)

    def files(self) -> dict[str, Path]:
        """Every file the kit names (relative path -> absolute), to save it elsewhere."""
        found = {str(path.relative_to(self.folder)): path for _tag, path in self.images}
        found.update({font.file: self.folder / font.file for font in self.fonts})
        return found


def repository_kit_dir(start: Path | None = None) -> Path | None:
    """The kit a deploy carries: ``IMAGEGEN_BRAND_DIR``, else ``brand/`` beside the app (when it has a
    brand.toml); None when there is none."""
    configured = os.environ.get(ENV_BRAND_DIR, "").strip()
    if configured:
        return Path(configured)
    folder = (start or Path.cwd()) / "brand"
    return folder if (folder / KIT_FILE).is_file() else None


def load_kit(folder: Path) -> BrandKit:
    """Read and check ``folder/brand.toml`` and the files it names.

    :raise BrandKitError: naming what is wrong and what would work; nothing is kept then.
    """
    folder = Path(folder)
    source = folder / KIT_FILE
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BrandKitError(
            f"'{folder}' has no {KIT_FILE} — a brand kit is a folder with a {KIT_FILE} like:\n{_EXAMPLE}"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BrandKitError(f"Cannot read {source}: {exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BrandKitError(f"{source} is not valid TOML ({exc}) — e.g.:\n{_EXAMPLE}") from exc
    data = {_ALIASES.get(key, key): value for key, value in data.items()}
    for key in data:
        if key not in _TABLES:
            hint = did_you_mean(suggest(key, _TABLES))
            raise BrandKitError(f"{source}: unknown table [{key}].{hint} A kit has [colours], [images] and [fonts].")
    name = data.get("name", folder.resolve().name)
    if not isinstance(name, str) or not name.strip():
        raise BrandKitError(f'{source}: name must be text, e.g. name = "Acme".')
    colours = _colours(source, _table(source, data, "colours"))
    images = _images(source, folder, _table(source, data, "images"))
    fonts, default = _fonts(source, folder, _table(source, data, "fonts"))
    return BrandKit(name.strip(), folder, colours, images, fonts, default)


def _table(source: Path, data: dict[str, object], key: str) -> dict[str, object]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise BrandKitError(
            f"{source}: {key} must be a table — write [{key}] on its own line, then name = value lines."
        )
    return table


def colour_name(raw: str) -> str:
    """How a kit colour is said: "brand_blue" and "Brand-Blue" are "brand blue"."""
    return " ".join(raw.replace("_", " ").replace("-", " ").split()).casefold()


def _colours(source: Path, table: dict[str, object]) -> tuple[KitColour, ...]:
    colours: dict[str, KitColour] = {}
    for raw, value in table.items():
        name = colour_name(raw)
        where = f'{source} [colours] "{raw}"'
        if not _NAME.fullmatch(name) or name in _RESERVED:
            raise BrandKitError(
                f"{where}: a colour's name is 1-40 letters, digits and spaces, starting with a letter, and not "
                f'a word the prompt already uses for the canvas (e.g. "brand blue").'
            )
        if not isinstance(value, str) or not _HEX.fullmatch(value.strip()):
            raise BrandKitError(f'{where} = {_shown(value)} is not a colour — write "#RRGGBB", e.g. "#0055A4".')
        if name in colours:
            raise BrandKitError(f'{where}: the colour "{name}" is named twice — keep one.')
        digits = value.strip()[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        colours[name] = KitColour(name, (r, g, b, 255))
    return tuple(colours.values())


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _inside(source: Path, folder: Path, where: str, value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise BrandKitError(f'{where} must be a file name relative to the kit folder, e.g. "logo.png".')
    relative = Path(value.strip())
    path = (folder / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(folder.resolve()):
        raise BrandKitError(
            f'{where} = "{value}" leaves the kit folder — put the file inside {folder} and name it from there.'
        )
    if not path.is_file():
        raise BrandKitError(f'{where} = "{value}": there is no such file in {folder}.')
    return path


def _images(source: Path, folder: Path, table: dict[str, object]) -> tuple[tuple[str, Path], ...]:
    images: list[tuple[str, Path]] = []
    for raw, value in table.items():
        where = f"{source} [images] {raw}"
        try:
            tag = validate_tag(raw, [t for t, _ in images])
        except TagError as exc:
            raise BrandKitError(f"{where}: {exc}") from exc
        images.append((tag, _inside(source, folder, where, value)))
    return tuple(images)


def _fonts(source: Path, folder: Path, table: dict[str, object]) -> tuple[tuple[KitFont, ...], str | None]:
    chosen = table.get("default")
    fonts: list[KitFont] = []
    for raw, value in table.items():
        if raw == "default" and isinstance(value, str) and value in table:
            continue  # names another entry
        if raw == "default" and not str(value).casefold().endswith((".ttf", ".otf", ".ttc")):
            names = ", ".join(f'"{n}"' for n in table if n != "default") or "none yet"
            raise BrandKitError(
                f"{source} [fonts] default = {_shown(value)} names no font of the kit — name one of its fonts "
                f"({names}) or a .ttf/.otf file."
            )
        name = " ".join(raw.split()) if raw != "default" else "brand font"
        where = f"{source} [fonts] {raw}"
        path = _inside(source, folder, where, value)
        try:
            key, family = keep_font(path.read_bytes(), path.name)
        except FontFileError as exc:
            raise BrandKitError(f"{where}: {exc}") from exc
        fonts.append(KitFont(name, key, str(Path(str(value).strip())), family))
    default = None
    if isinstance(chosen, str) and chosen in table and chosen != "default":
        default = next(f.key for f in fonts if f.name == " ".join(chosen.split()))
    elif chosen is not None:
        default = next(f.key for f in fonts if f.name == "brand font")
    elif len(fonts) == 1:
        default = fonts[0].key  # one font: it is the text font
    return tuple(fonts), default

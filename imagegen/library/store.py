"""The team library: templates and brand kits saved in the database (:mod:`imagegen.library.db`).

Each save is one transaction: the blobs (images, fonts, the thumbnail) and the row go in together or not
at all. Names are unique ignoring case; two sessions saving different names at the same moment both
land, the same name at the same moment: one lands, the other hears of the clash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from imagegen.errors import LibraryError, TemplateError, UnknownKitError, UnknownTemplateError, did_you_mean, suggest
from imagegen.files import atomic_path
from imagegen.library import db
from imagegen.library.kit import KIT_FILE, BrandKit, load_kit
from imagegen.library.templates import Slot, image_tags, slots_of
from imagegen.scene import Scene
from imagegen.store.fonts import FONT_PREFIX, font_file, keep_font
from imagegen.store.session import library_root

log = logging.getLogger(__name__)

MAX_NAME = 80


@dataclass(frozen=True)
class TemplateInfo:
    """A saved template as a list shows it."""

    name: str
    slots: tuple[Slot, ...]
    saved: float  # seconds since the epoch
    thumbnail: str | None  # blob SHA-256 of a small WebP of its first frame
    prompt: str = ""  # the prompt it was made from

    @property
    def saved_text(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.gmtime(self.saved))


@dataclass(frozen=True)
class Template:
    """A saved template, whole: its Scene, its slots and the saved images (tag -> file bytes)."""

    info: TemplateInfo
    prompt: str
    scene: Scene
    images: dict[str, bytes]

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def slots(self) -> tuple[Slot, ...]:
        return self.info.slots


def check_name(name: str, what: str = "template") -> str:
    """``name`` without surrounding spaces. :raise TemplateError: empty, too long, or control characters."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise TemplateError(f"A {what} needs a name — e.g. 'Summer promo'.")
    if len(cleaned) > MAX_NAME:
        raise TemplateError(f"The {what} name '{cleaned[:40]}…' is {len(cleaned)} characters — at most {MAX_NAME}.")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise TemplateError(f"The {what} name '{cleaned[:40]}' has invisible control characters — use plain text.")
    return cleaned


def _key(name: str) -> str:
    return name.casefold()


def save_template(
    name: str,
    prompt: str,
    scene: Scene,
    images: Mapping[str, bytes],
    *,
    thumbnail: bytes | None = None,
    url: str | None = None,
    now: float | None = None,
) -> TemplateInfo:
    """Save ``scene`` as template ``name`` with the file of each image it draws (tag -> bytes).

    :raise TemplateError: a bad or taken name, an image the scene draws without its file; nothing is saved.
    """
    name = check_files(name, scene, images)
    fonts = _font_files(scene)
    saved = time.time() if now is None else now
    try:
        with db.transaction(url) as conn:
            _refuse_clash(conn, name)
            shas = {tag: db.put_blob(conn, images[tag], "image") for tag in _drawn(scene)}
            for data in fonts.values():
                db.put_blob(conn, data, "font")
            thumb = db.put_blob(conn, thumbnail, "image") if thumbnail else None
            slots = slots_of(scene, shas)
            conn.execute(
                db.templates.insert().values(
                    name=name,
                    name_key=_key(name),
                    prompt=prompt,
                    scene=scene.to_json(),
                    slots=json.dumps({"slots": [s.to_dict() for s in slots], "fonts": sorted(fonts)}),
                    thumbnail=thumb,
                    saved=saved,
                )
            )
    except LibraryError as exc:
        if isinstance(exc.__cause__, IntegrityError):  # saved by another session a moment ago
            raise TemplateError(_clash_message(name)) from exc
        raise
    log.info("template %r saved (%d slots)", name, len(slots))
    return TemplateInfo(name, slots, saved, thumb, prompt)


def check_files(name: str, scene: Scene, images: Mapping[str, bytes]) -> str:
    """The template's name, cleaned, once every image ``scene`` draws has its file.

    :raise TemplateError: a bad name, or an image without its file.
    """
    name = check_name(name)
    missing = [tag for tag in _drawn(scene) if tag not in images]
    if missing:
        raise TemplateError(f"Cannot save '{name}': no file for @{missing[0]} — every image it draws is saved with it.")
    return name


def _drawn(scene: Scene) -> list[str]:
    return image_tags(scene)


def _font_files(scene: Scene) -> dict[str, bytes]:
    """The brand fonts the scene's texts use (key -> bytes), so the template renders anywhere."""
    found: dict[str, bytes] = {}
    for layer in scene.layers:
        family = layer.text.family if layer.text is not None else ""
        if family.startswith(FONT_PREFIX) and family not in found:
            path = font_file(family)
            if path is None:
                raise TemplateError(
                    f"Cannot save: the brand font of {layer.name} is not here any more — load the kit again."
                )
            found[family] = path.read_bytes()
    return found


def _clash_message(name: str) -> str:
    return f"A template named '{name}' already exists — pick another name, or delete or rename that one first."


def _refuse_clash(conn: Connection, name: str, *, other_than: str | None = None) -> None:
    row = conn.execute(select(db.templates.c.name).where(db.templates.c.name_key == _key(name))).first()
    if row is not None and (other_than is None or _key(row.name) != _key(other_than)):
        raise TemplateError(_clash_message(row.name))


def list_templates(url: str | None = None) -> list[TemplateInfo]:
    """Every saved template, newest first."""
    with db.transaction(url) as conn:
        rows = conn.execute(
            select(
                db.templates.c.name,
                db.templates.c.slots,
                db.templates.c.saved,
                db.templates.c.thumbnail,
                db.templates.c.prompt,
            ).order_by(db.templates.c.saved.desc(), db.templates.c.name)
        ).all()
    return [TemplateInfo(r.name, _slots(r.slots), r.saved, r.thumbnail, r.prompt) for r in rows]


def _slots(text: str) -> tuple[Slot, ...]:
    return tuple(Slot.from_dict(s) for s in json.loads(text)["slots"])


def _unknown(conn: Connection, name: str) -> UnknownTemplateError:
    names = [r.name for r in conn.execute(select(db.templates.c.name))]
    if not names:
        return UnknownTemplateError(f"There is no template '{name}' — the library has none yet; save one first.")
    hint = did_you_mean(suggest(name, names), quote="'")
    return UnknownTemplateError(f"There is no template '{name}'.{hint} Templates: {_listed(names)}.")


def _listed(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names)[:10]) + (" …" if len(names) > 10 else "")


def load_template(name: str, url: str | None = None) -> Template:
    """The template ``name`` (ignoring case) with its images; its brand fonts are kept here again.

    :raise TemplateError: there is none by that name (with the close ones).
    """
    name = check_name(name)
    with db.transaction(url) as conn:
        row = conn.execute(select(db.templates).where(db.templates.c.name_key == _key(name))).first()
        if row is None:
            raise _unknown(conn, name)
        document = json.loads(row.slots)
        slots = tuple(Slot.from_dict(s) for s in document["slots"])
        images = {s.layer: db.get_blob(conn, s.saved) or b"" for s in slots if s.kind.value == "image"}
        for key in document.get("fonts", []):
            if font_file(key) is None:
                data = db.get_blob(conn, key.removeprefix(FONT_PREFIX))
                if data:
                    keep_font(data, f"{key[5:17]}.ttf")
    info = TemplateInfo(row.name, slots, row.saved, row.thumbnail, row.prompt)
    return Template(info, row.prompt, Scene.from_json(row.scene), images)


def rename_template(old: str, new: str, url: str | None = None) -> str:
    """Rename a template. :raise TemplateError: unknown ``old``, bad or taken ``new``."""
    old, new = check_name(old), check_name(new)
    with db.transaction(url) as conn:
        row = conn.execute(select(db.templates.c.id).where(db.templates.c.name_key == _key(old))).first()
        if row is None:
            raise _unknown(conn, old)
        _refuse_clash(conn, new, other_than=old)
        conn.execute(update(db.templates).where(db.templates.c.id == row.id).values(name=new, name_key=_key(new)))
    return new


def delete_template(name: str, url: str | None = None) -> None:
    """Delete a template (its images stay in the blob table while another template uses them).

    :raise TemplateError: there is none by that name.
    """
    name = check_name(name)
    with db.transaction(url) as conn:
        gone = conn.execute(delete(db.templates).where(db.templates.c.name_key == _key(name))).rowcount
        if not gone:
            raise _unknown(conn, name)


def blob(sha: str, url: str | None = None) -> bytes | None:
    """A stored blob (a thumbnail, an image) by its SHA-256."""
    with db.transaction(url) as conn:
        return db.get_blob(conn, sha)


def save_kit(kit: BrandKit, url: str | None = None) -> None:
    """Save a loaded kit (its brand.toml and every file it names) under its name, replacing an older one."""
    toml = (kit.folder / KIT_FILE).read_text(encoding="utf-8")
    files = {relative: path.read_bytes() for relative, path in kit.files().items()}
    with db.transaction(url) as conn:
        shas = {relative: db.put_blob(conn, data, "file") for relative, data in files.items()}
        conn.execute(delete(db.kits).where(db.kits.c.name == kit.name))
        conn.execute(db.kits.insert().values(name=kit.name, toml=toml, files=json.dumps(shas), saved=time.time()))


def kit_names(url: str | None = None) -> list[str]:
    with db.transaction(url) as conn:
        return [r.name for r in conn.execute(select(db.kits.c.name).order_by(db.kits.c.name))]


def load_saved_kit(name: str, url: str | None = None, *, also: tuple[str, ...] = ()) -> BrandKit:
    """A kit saved in the library, unpacked once into the library folder and loaded as a folder kit.

    :param also: other kits the caller knows by name (the app's folder kit), named too when there is none.
    :raise UnknownKitError: no kit by that name (naming the kits there are).
    """
    with db.transaction(url) as conn:
        row = conn.execute(select(db.kits).where(db.kits.c.name == name)).first()
        if row is None:
            names = [*also, *(r.name for r in conn.execute(select(db.kits.c.name)))]
            if not names:
                raise UnknownKitError(
                    f"There is no brand kit '{name}' — the library has none yet; save a kit folder first "
                    "(python -m imagegen kit save DIR)."
                )
            hint = did_you_mean(suggest(name, names), quote="'")
            raise UnknownKitError(f"There is no brand kit '{name}'.{hint} Kits: {_listed(names)}.")
        shas = json.loads(row.files)
        files = {relative: db.get_blob(conn, sha) or b"" for relative, sha in shas.items()}
    digest = hashlib.sha256(row.toml.encode() + json.dumps(shas, sort_keys=True).encode()).hexdigest()[:24]
    folder = library_root() / "kits" / digest
    if not (folder / KIT_FILE).is_file():
        for relative, data in files.items():
            _write(folder / relative, data)
        _write(folder / KIT_FILE, row.toml.encode())
    return load_kit(folder)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)

"""Team fonts: TTF/OTF files uploaded in the app (Brand & templates), kept in the library for everyone.

A team font is said like a kit font ("in Acme Serif", "in the Acme Serif font"): the app adds it to the brand
words every prompt is read with. Its file is stored once by SHA-256 in the database and kept under the data
folder for the renderer (``font:<sha256>``), so it survives a restart when the database is PostgreSQL.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError

from imagegen.errors import LibraryError, TemplateError, did_you_mean, suggest
from imagegen.library import db
from imagegen.library.store import check_name
from imagegen.store.fonts import font_file, font_name, keep_font

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamFont:
    """A font the team uploaded: the name it is said by, its ``font:<sha256>`` key, the family inside it."""

    name: str
    key: str
    family: str
    saved: float


def save_font(data: bytes, file: str, name: str = "", url: str | None = None) -> TeamFont:
    """Check ``data`` is a font and save it as ``name`` (default: the family name inside the file).

    :raise FontFileError: it is not a font; :raise TemplateError: a bad or taken name. Nothing is saved then.
    """
    family = font_name(data, file)
    name = check_name(name.strip() or family, "font")
    saved = time.time()
    try:
        with db.transaction(url) as conn:
            _refuse_clash(conn, name)
            sha = db.put_blob(conn, data, "font")
            conn.execute(
                db.team_fonts.insert().values(
                    name=name, name_key=name.casefold(), sha256=sha, family=family, saved=saved
                )
            )
    except LibraryError as exc:
        if isinstance(exc.__cause__, IntegrityError):  # saved by another session a moment ago
            raise TemplateError(_clash_message(name)) from exc
        raise
    key, _ = keep_font(data, file)
    log.info("team font %r saved (%s)", name, family)
    return TeamFont(name, key, family, saved)


def team_fonts(url: str | None = None) -> list[TeamFont]:
    """Every team font, by name; each one's file kept under the data folder for the renderer."""
    with db.transaction(url) as conn:
        rows = conn.execute(select(db.team_fonts).order_by(db.team_fonts.c.name_key)).all()
        found = []
        for row in rows:
            key = f"font:{row.sha256}"
            if font_file(key) is None:  # a new process, or another server saved it: fetch it once
                data = db.get_blob(conn, row.sha256)
                if data is None:
                    log.warning("team font %r has no file in the library", row.name)
                    continue
                keep_font(data, row.name)
            found.append(TeamFont(row.name, key, row.family, row.saved))
    return found


def delete_font(name: str, url: str | None = None) -> None:
    """:raise TemplateError: there is no team font by that name (with the nearest names)."""
    name = check_name(name, "font")
    with db.transaction(url) as conn:
        gone = conn.execute(delete(db.team_fonts).where(db.team_fonts.c.name_key == name.casefold())).rowcount
        if not gone:
            names = [r.name for r in conn.execute(select(db.team_fonts.c.name))]
            hint = did_you_mean(suggest(name, names), quote="'")
            raise TemplateError(f"There is no team font '{name}'.{hint}")


def _clash_message(name: str) -> str:
    return f"A team font named '{name}' already exists — pick another name, or delete that one first."


def _refuse_clash(conn: Connection, name: str) -> None:
    row = conn.execute(select(db.team_fonts.c.name).where(db.team_fonts.c.name_key == name.casefold())).first()
    if row is not None:
        raise TemplateError(_clash_message(row.name))

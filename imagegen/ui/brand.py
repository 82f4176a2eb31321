"""The team library in the app: the repository's brand kit, the library's database, the passphrase.

The kit (``brand/brand.toml`` beside app.py, or ``IMAGEGEN_BRAND_DIR``; else a kit saved in the library named
by ``IMAGEGEN_BRAND_KIT`` or ``brand_kit`` in secrets) is read once per process; its images
are put into each session once, as if uploaded, so they are tags everywhere (chips, Compose, Batch, the
API). The database URL follows the ``st.connection`` convention (``[connections.library] url = …`` in
secrets), else ``IMAGEGEN_DATABASE_URL``, else SQLite in the data folder. ``library_passphrase`` in secrets
limits saving, renaming and deleting.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.library import BrandKit, load_kit
from imagegen.library.fonts import TeamFont, team_fonts
from imagegen.library.store import load_saved_kit
from imagegen.prompt import BrandWords
from imagegen.service.library import app_kit, with_team_fonts
from imagegen.service.library import equip as equip_session
from imagegen.store.session import Session

log = logging.getLogger(__name__)

APP_DIR = Path(__file__).resolve().parents[2]
_EQUIPPED_KEY = "brand_equipped"
_PASS_KEY = "library_passphrase_given"


@st.cache_resource(show_spinner=False)
def _load(folder: str, stamp: float) -> tuple[BrandKit | None, str | None]:
    """The kit and the reason it cannot be used (cached per folder and brand.toml's modification time)."""
    try:
        return load_kit(Path(folder)), None
    except ImagegenError as exc:
        log.warning("brand kit not used: %s", exc)
        return None, str(exc)


@st.cache_resource(show_spinner=False, ttl=300)
def _saved(name: str, url: str | None) -> tuple[BrandKit | None, str | None]:
    """A kit saved in the library (``kit save``), re-read every 5 minutes."""
    try:
        return load_saved_kit(name, url), None
    except ImagegenError as exc:
        log.warning("brand kit %r not used: %s", name, exc)
        return None, str(exc)


def _kit_state() -> tuple[BrandKit | None, str | None]:
    source = app_kit(APP_DIR, _secret("brand_kit"))
    if source is None or isinstance(source, str):
        return _saved(source, database_url()) if source else (None, None)
    folder = source
    try:
        stamp = (folder / "brand.toml").stat().st_mtime
    except OSError:
        stamp = 0.0
    return _load(str(folder), stamp)


def kit() -> BrandKit | None:
    """The repository's brand kit, or None (none, or it cannot be used: :func:`kit_problem` says why)."""
    return _kit_state()[0]


def kit_problem() -> str | None:
    return _kit_state()[1]


def words() -> BrandWords | None:
    """The kit's words and the team's uploaded fonts, or None when there are neither."""
    loaded = kit()
    base = loaded.words() if loaded is not None else None
    try:
        extra = tuple((f.name, f.key) for f in team_fonts_cached())
    except ImagegenError as exc:  # the library cannot be reached: the kit still works
        log.warning("team fonts not used: %s", exc)
        extra = ()
    return with_team_fonts(base, extra)


def team_fonts_cached() -> tuple[TeamFont, ...]:
    return _team_fonts(database_url())


@st.cache_resource(show_spinner=False, ttl=60)
def _team_fonts(url: str | None) -> tuple[TeamFont, ...]:
    """The team's fonts, re-read every minute (and at once after a save here: :func:`fonts_changed`)."""
    return tuple(team_fonts(url))


def fonts_changed() -> None:
    _team_fonts.clear()


def _secret(*path: str) -> object:
    try:
        value: object = st.secrets
        for key in path:
            value = value[key]  # type: ignore[index]
        return value
    except Exception:  # no secrets file (Streamlit raises its own error), or no such key
        return None


def database_url() -> str | None:
    """``[connections.library] url`` from the app's secrets; None: the environment's, else SQLite."""
    url = _secret("connections", "library", "url")
    return str(url) if url else None


def equip(session: Session) -> None:
    """Put the kit's images into ``session`` once (as uploads tagged as in the kit), unless it has those tags."""
    loaded = kit()
    done = st.session_state.setdefault(_EQUIPPED_KEY, set())
    if loaded is None or session.id in done:
        return
    done.add(session.id)
    equip_session(session, loaded)


def may_edit(key: str) -> bool:
    """True when the library may be changed here: no passphrase is set, or the right one was given
    (once per browser session); else asks for it (``key``: the widget's place)."""
    secret = _secret("library_passphrase")
    if not secret or st.session_state.get(_PASS_KEY):
        return True
    given = st.text_input(
        "Library passphrase",
        type="password",
        key=f"{key}_passphrase",
        help="Saving, renaming and deleting templates needs the team's passphrase (set in the app's secrets).",
    )
    if given and hmac.compare_digest(given.encode(), str(secret).encode()):
        st.session_state[_PASS_KEY] = True
        return True
    if given:
        st.error("That is not the library's passphrase.", icon=":material/lock:")
    return False

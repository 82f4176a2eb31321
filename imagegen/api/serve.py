"""``python -m imagegen serve``: the API under uvicorn, over the app's session store and render queue.

The token, when one is set, comes from ``IMAGEGEN_API_TOKEN`` or, as the app's other settings do, from
Streamlit's secrets file (``.streamlit/secrets.toml`` here or in the home folder, key ``IMAGEGEN_API_TOKEN``),
read as TOML so that this process never imports Streamlit. The team library is ``--db``'s, else the app's
(``[connections.library] url`` in the same secrets file), else ``IMAGEGEN_DATABASE_URL``'s, else SQLite; the
brand kit a request gets when it names none is the app's (see :func:`imagegen.service.library.app_kit`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import uvicorn
from starlette.types import ASGIApp

from imagegen.api.app import ApiSettings, create_app
from imagegen.library.db import default_url, describe
from imagegen.service.library import app_kit
from imagegen.store.session import SessionStore, start_sweeper

log = logging.getLogger(__name__)

TOKEN_KEY = "IMAGEGEN_API_TOKEN"
APP_DIR = Path(__file__).resolve().parents[2]  # where app.py and the repository's brand/ are
LIBRARY_SECRET = ("connections", "library", "url")  # the app's st.connection convention
SWEEP_EVERY_S = 60.0


def secrets_files() -> tuple[Path, ...]:
    """Where Streamlit looks for secrets: the project's folder first, then the user's."""
    return (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def configured_token(environ: Mapping[str, str] | None = None, files: Sequence[Path] | None = None) -> str | None:
    """The bearer token: the environment's, else the first secrets file's; None (no token) when neither.

    An unreadable or malformed secrets file is logged and skipped: it must not stop the API from starting
    without the token someone meant it to have, so the start-up log says which file it skipped.
    """
    environ = os.environ if environ is None else environ
    if environ.get(TOKEN_KEY, "").strip():
        return environ[TOKEN_KEY].strip()
    return _secret((TOKEN_KEY,), files, "API token")


def configured_library(given: str | None = None, files: Sequence[Path] | None = None) -> str | None:
    """The team library's database: ``--db``, else the app's (``[connections.library] url`` in its secrets, so
    the API and the app beside it share one library), else None: ``IMAGEGEN_DATABASE_URL``, else SQLite."""
    if given and given.strip():
        return given.strip()
    return _secret(LIBRARY_SECRET, files, "library URL")


def _secret(path: tuple[str, ...], files: Sequence[Path] | None, what: str) -> str | None:
    """The text at ``path`` in the first secrets file that has it (an unreadable file is logged, skipped)."""
    for file in secrets_files() if files is None else files:
        try:
            value: object = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            log.warning("cannot read %s (%s); no %s from it", file, exc, what)
            continue
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def serve(
    host: str,
    port: int,
    *,
    max_waiting: int = 4,
    stream: TextIO | None = None,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
    library_url: str | None = None,
) -> None:
    """Run the API until interrupted (uvicorn handles Ctrl-C and SIGTERM).

    :param wrap: serves the API inside another application (the command line passes the Streamlit app's
        wrapper for ``--with-app``; this module never imports Streamlit).
    :param library_url: the team library's database (``--db``; else see :func:`configured_library`).
    """
    store = SessionStore()
    token = configured_token()
    library_url = configured_library(library_url)
    kit = app_kit(APP_DIR, _secret(("brand_kit",), None, "brand kit"))
    if token is None and not _loopback(host):
        log.warning(
            "serving on %s without a token: anyone who can reach it can use every session; set %s",
            host,
            TOKEN_KEY,
        )
    start_sweeper(store, SWEEP_EVERY_S)
    settings = ApiSettings(
        store=store,
        token=token,
        max_waiting=max_waiting,
        app_url=os.environ.get("IMAGEGEN_APP_URL", ""),
        library_url=library_url,
        app_kit=kit,
    )
    app: ASGIApp = create_app(settings)
    if wrap is not None:
        app = wrap(app)
    if stream is not None:
        beside = " beside the app at /" if wrap is not None else ""
        library = describe(library_url or default_url())
        stream.write(
            f"imagegen API on http://{host}:{port}{beside} (docs at /docs), sessions in {store.root}, "
            f"library {library}, brand kit {kit or 'none'}\n"
        )
        stream.flush()
    uvicorn.run(app, host=host, port=port, log_level="info")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

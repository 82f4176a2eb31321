"""The app and the HTTP API in one process (``python -m imagegen serve --with-app``): one session store and
one render queue, so the API's renders and the browser users' wait in the same line (two processes would
each have a queue of their own, and together run twice as many renders as there are cores)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

APP_SCRIPT = Path(__file__).resolve().parents[2] / "app.py"
#: The API's paths; every other request (pages, static files, the websocket) is the app's.
API_PREFIXES = ("/session/", "/upload/", "/docs", "/openapi.json")


class _ApiFirst:
    """ASGI middleware: an API path goes to the API, anything else on to Streamlit."""

    def __init__(self, app: ASGIApp, api: ASGIApp) -> None:
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(API_PREFIXES):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def with_app(api: ASGIApp) -> ASGIApp:
    """The Streamlit app (``app.py``) served with ``api`` beside it, as one ASGI application."""
    return st.App(str(APP_SCRIPT), middleware=[Middleware(_ApiFirst, api=api)])

"""Engine errors -> HTTP: one JSON shape, ``{"error": message, "kind": name}``, with the app's messages.

The engine's error classes already say what went wrong; this table only says which status code each is.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from imagegen.errors import (
    BusyError,
    ImagegenError,
    LimitError,
    NotAnImageError,
    PromptError,
    RenderError,
    SessionError,
    SessionExpiredError,
    TagError,
    UnknownKitError,
    UnknownTemplateError,
    UploadError,
    UploadTooLargeError,
)
from imagegen.files import format_bytes

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before it tries a refused render again.
RETRY_AFTER_S = 5


class NotFoundError(ImagegenError):
    """No such session (unknown, malformed, expired) or no such file in it."""


class UnauthorizedError(ImagegenError):
    """The API needs a bearer token and the request has none, or a wrong one."""


class RenderFailedError(ImagegenError):
    """A render that was understood failed while writing (a server-side fault, e.g. the disk)."""


# First match wins: subclasses come before their bases.
STATUS: tuple[tuple[type[ImagegenError], int], ...] = (
    (UnauthorizedError, 401),
    (NotFoundError, 404),
    (UnknownTemplateError, 404),
    (UnknownKitError, 404),
    (SessionExpiredError, 404),
    (BusyError, 429),
    (UploadTooLargeError, 413),
    (NotAnImageError, 415),
    (RenderFailedError, 500),
    (PromptError, 400),
    (LimitError, 400),
    (TagError, 400),
    (UploadError, 400),
    (RenderError, 400),
    (SessionError, 409),  # the session exists but cannot be used as asked (damaged, tampered, full disk)
    (ImagegenError, 400),
)


def status_of(exc: ImagegenError) -> int:
    return next(code for kind, code in STATUS if isinstance(exc, kind))


def error_body(exc: ImagegenError) -> dict[str, str]:
    return {"error": str(exc), "kind": type(exc).__name__}


def error_response(exc: ImagegenError, **extra: object) -> JSONResponse:
    status = status_of(exc)
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(RETRY_AFTER_S)
    elif status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({**error_body(exc), **extra}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Every failure of every route answers in the one JSON shape."""

    async def engine_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ImagegenError)
        return error_response(exc)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return JSONResponse(
            {"error": _http_message(request, exc), "kind": "HTTPError"},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"error": _validation_message(exc), "kind": "RequestError"}, status_code=400)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
        message = "Something went wrong on the server; nothing was changed by this request. Try again."
        return JSONResponse({"error": message, "kind": "ServerError"}, status_code=500)

    app.add_exception_handler(ImagegenError, engine_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, unexpected)


def _http_message(request: Request, exc: HTTPException) -> str:
    """The framework's own refusals (no such route, wrong method, too large a body), said as sentences."""
    if exc.status_code == 404:
        return f"No such endpoint or file: {request.method} {request.url.path} — see /docs for the endpoints."
    if exc.status_code == 405:
        return f"{request.method} is not allowed on {request.url.path} — see /docs for the endpoints."
    if exc.status_code == 413:
        return _too_large_message(request.scope.get("imagegen.max_body_size"))
    return str(exc.detail)


def too_large_response(limit: int) -> JSONResponse:
    return JSONResponse({"error": _too_large_message(limit), "kind": "HTTPError"}, status_code=413)


def _too_large_message(limit: object) -> str:
    said = f"the {format_bytes(limit)} limit" if isinstance(limit, int) else "the limit"
    return f"The request is over {said} per request; send fewer or smaller files in each request."


def _validation_message(exc: RequestValidationError) -> str:
    """``body.fps: Input should be a valid number`` — one clause per problem, the field named by its path."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(step) for step in error.get("loc", ()) if step != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "The request cannot be used — " + "; ".join(parts) + "."

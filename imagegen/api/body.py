"""A request body larger than its route allows is refused before it is read (uploads are spooled to disk
by the form parser, so without this a client could fill the disk with one request)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imagegen.api.errors import too_large_response

#: Where the limit of the request in hand is kept (the 413 message states it).
SCOPE_KEY = "imagegen.max_body_size"


class BodyTooLargeError(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413)


class BodyLimit:
    """ASGI middleware: ``limit_for(path)`` bytes at most; a declared length over it is refused at once,
    a streamed (chunked) body as soon as it passes it."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = scope[SCOPE_KEY] = self.limit_for(scope["path"])
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await too_large_response(limit)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError  # answered by the HTTP error handler, in the API's JSON shape
            return message

        await self.app(scope, limited, send)

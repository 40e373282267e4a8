"""What keeps the app safe to open next to hostile documents: security headers on every
response, a cap on request bodies enforced while they stream in, and the bearer token
of the write endpoints, compared in constant time."""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..ingest.decode import human_size
from ._errors import SECURITY_HEADERS, ApiError

__all__ = ["BodyLimit", "SecurityHeaders", "body_too_large", "same_origin", "token_check"]


class SecurityHeaders:
    """ASGI middleware: ``SECURITY_HEADERS`` on every HTTP response (a handler's own
    value for one of them wins)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def body_too_large(limit: int) -> ApiError:
    return ApiError(413, f"request body over the {human_size(limit)} limit")


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is refused with 413, from its
    declared Content-Length before anything is read, or, when it streams or lies, as soon
    as the bytes received pass the limit (raised from ``receive`` into whatever is
    reading the body, and answered by the error handlers)."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await _refuse(send, body_too_large(self.limit))
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise body_too_large(self.limit)
            return message

        await self.app(scope, capped_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _refuse(send: Send, error: ApiError) -> None:
    """The 413 body, sent before the app (and its handlers) ever sees the request."""
    detail = {"status": error.status_code, "code": error.code, "message": error.detail}
    body = json.dumps({"error": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_BEARER = HTTPBearer(auto_error=False, description="The value of EMBER_TOKEN.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]


def token_check(token: str) -> Callable[..., Awaitable[None]]:
    """A dependency that lets a request through only with ``Authorization: Bearer
    <token>`` (documented in OpenAPI as a bearer scheme); 401 otherwise."""
    expected = token.encode("utf-8")

    async def check(credentials: Credentials) -> None:
        given = credentials.credentials.encode("utf-8") if credentials else b""
        if not (given and secrets.compare_digest(given, expected)):
            raise ApiError(
                401, "a valid bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
            )

    return check


async def same_origin(request: Request) -> None:
    """A dependency: a write whose ``Origin`` (sent by browsers) is another site is
    refused with 403, whatever token it carries (scripts and tools send no Origin)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
        raise ApiError(403, f"refusing a write from another origin ({origin})")

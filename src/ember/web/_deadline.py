"""A deadline per request: ``Deadline`` (ASGI middleware) answers 503 with the API's
JSON error body (a small page for pages) when a request runs past its time, and sets
the deadline that the work itself checks (``check_deadline``, ``within_deadline``), so
the thread computing an answer nobody waits for stops too, between two batches."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import EmberError

__all__ = [
    "DEFAULT_REQUEST_SECONDS",
    "Deadline",
    "DeadlineExceeded",
    "check_deadline",
    "within_deadline",
]

T = TypeVar("T")

#: How long a request may run before it is cut with a 503.
DEFAULT_REQUEST_SECONDS = 20.0
# Paths that stream or write for as long as they need: exports, ingest, the reviews.
_EXEMPT = ("/api/export/", "/api/ingest/", "/static/")
_DEADLINE: ContextVar[float | None] = ContextVar("ember_request_deadline", default=None)
_CHECK_EVERY = 200


class DeadlineExceeded(EmberError):
    """The request ran past its deadline (answered 503)."""


def check_deadline() -> None:
    """Raise ``DeadlineExceeded`` when the current request is past its deadline."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlineExceeded("the request took too long: ask for a smaller page or filter")


def within_deadline(items: Iterable[T]) -> Iterator[T]:
    """``items``, checking the deadline every few hundred."""
    for n, item in enumerate(items):
        if n % _CHECK_EVERY == 0:
            check_deadline()
        yield item


class Deadline:
    """Cut every request (but exports and ingest) that runs past ``seconds``."""

    def __init__(self, app: ASGIApp, *, seconds: float = DEFAULT_REQUEST_SECONDS) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        token = _DEADLINE.set(time.monotonic() + self.seconds)
        try:
            await asyncio.wait_for(self.app(scope, receive, tracked), self.seconds)
        except TimeoutError:
            if started:  # pragma: no cover - a response already begun cannot become a 503
                raise
            await _too_long(scope, receive, send, self.seconds)
        finally:
            _DEADLINE.reset(token)


async def _too_long(scope: Scope, receive: Receive, send: Send, seconds: float) -> None:
    from ._errors import error_response

    request = Request(scope, receive)
    response = error_response(
        request, 503, f"the request took longer than {seconds:g} s: ask for less",
        code="too_slow", headers={"Retry-After": "5"},
    )  # fmt: skip
    await response(scope, receive, send)

"""One error body for the whole API, a small HTML page for everything else.

Every error the app answers goes through ``error_response``: ``HTTPException`` (ours
and Starlette's 404/405), request validation (422), ember's own errors (a bad date in a
filter is a 400) and anything unexpected (500, logged here, never shown)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ConfigError, EmberError
from ._deadline import DeadlineExceeded
from ._models import ErrorBody, ErrorDetail, error_responses

__all__ = [
    "READ_ERRORS",
    "SECURITY_HEADERS",
    "ApiError",
    "error_response",
    "install_error_handlers",
]

#: The error answers every read endpoint documents (OpenAPI).
READ_ERRORS = error_responses(
    (400, "A filter value that makes no sense"),
    (404, "No such record or path"),
    (422, "A parameter of the wrong type or out of range"),
    (500, "The server could not answer"),
)


log = logging.getLogger("ember.web")

# No inline script or style can run: every script and the stylesheet come from /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# On every response (``SecurityHeaders``), and set here too on error responses, which
# for a 500 are sent from outside the middleware.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "too_large", 422: "invalid", 500: "internal_error",
    503: "unavailable",
}  # fmt: skip
# A paging parameter past what a database integer holds is a bad request, not a 422
# of the schema: the schema says "at most 2**63 - 1" and the client asked for more.
_PAGING = frozenset({"offset"})


class ApiError(StarletteHTTPException):
    """An error with a chosen machine ``code`` (default: from the status)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code or _CODES.get(status, "error")


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as the API's JSON body or as a small HTML page."""
    code = code or _CODES.get(status, "error")
    all_headers = {**SECURITY_HEADERS, **(headers or {})}
    if wants_json(request):
        body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message))
        return JSONResponse(body.model_dump(), status_code=status, headers=all_headers)
    templates: Jinja2Templates | None = getattr(request.app.state, "templates", None)
    if templates is None:  # pragma: no cover - the app always has its templates
        return HTMLResponse(status_code=status, headers=all_headers)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "phrase": _phrase(status), "message": message},
        status_code=status,
        headers=all_headers,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _http_message(request: Request, exc: StarletteHTTPException) -> str:
    """Starlette's own 404/405 say only the phrase; say what was asked."""
    detail = str(exc.detail)
    if detail == _phrase(exc.status_code):
        return f"{detail.lower()}: {request.method} {request.url.path}"
    return detail


def _validation_message(exc: RequestValidationError) -> str:
    """The first problem, as "query.limit: Input should be less than or equal to 500"."""
    errors: list[Any] = list(exc.errors())
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = exc.code if isinstance(exc, ApiError) else None
    headers = dict(exc.headers) if exc.headers else None
    return error_response(
        request, exc.status_code, _http_message(request, exc), code=code, headers=headers
    )


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors: list[Any] = list(exc.errors())
    if errors and all(_past_paging(error) for error in errors):
        return error_response(request, 400, _validation_message(exc))
    return error_response(request, 422, _validation_message(exc))


def _past_paging(error: Any) -> bool:
    loc = tuple(error.get("loc", ()))
    return (
        len(loc) == 2
        and loc[0] == "query"
        and loc[1] in _PAGING
        and error.get("type") == "less_than_equal"
    )


async def _on_ember_error(request: Request, exc: Exception) -> Response:
    # A bad filter value is the client's mistake; anything else ember refused is ours.
    if isinstance(exc, ConfigError):
        return error_response(request, 400, str(exc))
    if isinstance(exc, DeadlineExceeded):
        return error_response(request, 503, str(exc), headers={"Retry-After": "5"})
    return await _on_unexpected(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(request, 500, "internal error: the server could not answer")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(EmberError, _on_ember_error)
    app.add_exception_handler(Exception, _on_unexpected)

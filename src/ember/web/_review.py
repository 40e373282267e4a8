"""Review in the app: an event's (or claim's) page with its fields, review controls
and audit trail, the ``/review`` page of every change, and the JSON API behind them.

Writes need a token: one of ``EMBER_REVIEWERS`` ("token1=alice,token2=bob": the token
names the reviewer) or ``EMBER_TOKEN`` (the reviewer then names themselves, in the
``X-Ember-Reviewer`` header or the form's ``by`` field). API clients send
``Authorization: Bearer <token>``; the page's forms send it as a ``token`` field (a
browser form cannot set headers), and a write from another origin is refused.

``?reviewed_only=1`` on any page or API call keeps only reviewed records in every read
(``ReviewedOnly``)."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import ConfigError
from ..geo import load_gazetteer
from ..report.exports import page_at
from ..store._review import CLAIM_FIELDS, EVENT_FIELDS, REVIEWED_ONLY, RecordNotFound, Reviews
from ..taxonomy import load_taxonomy
from ._deps import StoreDep
from ._errors import ApiError
from ._models import Page
from ._review_models import ERRORS, ReviewChangesOut, ReviewEntryOut, ReviewRecordOut
from ._security import same_origin

__all__ = ["ReviewedOnly", "Reviewers", "load_reviewers", "review_router"]

_PAGE = 50
_Id = Annotated[str, Path(max_length=64)]
_KINDS = {"event": "events", "claim": "claims"}
_TRUE = frozenset({"1", "true", "yes", "on"})
_MAX_FORM = 64 * 1024
_PLACE_CHOICES = 12
_FORM_REFERRER = "same-origin"


def load_reviewers(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Token -> reviewer name from ``EMBER_REVIEWERS`` ("tok1=alice,tok2=bob"); a
    malformed entry is a ConfigError."""
    text = (os.environ if env is None else env).get("EMBER_REVIEWERS", "")
    reviewers: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        token, _, name = item.partition("=")
        if not token.strip() or not name.strip():
            raise ConfigError(f"EMBER_REVIEWERS: {item!r} is not token=name")
        reviewers[token.strip()] = name.strip()
    return reviewers


class Reviewers:
    """Who a request's token names (compared in constant time)."""

    def __init__(self, token: str | None, names: Mapping[str, str]) -> None:
        self.token = token
        self.names = dict(names)

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.names)

    @property
    def self_named(self) -> bool:
        """Whether the reviewer names themselves (only ``EMBER_TOKEN`` is set)."""
        return not self.names

    def who(self, given: str, claimed: str | None) -> str:
        given_bytes = given.encode("utf-8")
        name = None
        for token, reviewer in self.names.items():
            if given and secrets.compare_digest(given_bytes, token.encode("utf-8")):
                name = reviewer
        if name is not None:
            return name
        if self.token and given and secrets.compare_digest(given_bytes, self.token.encode()):
            claimed = " ".join((claimed or "").split())
            if not claimed:
                raise ApiError(400, "say who reviews: the X-Ember-Reviewer header or 'by' field")
            return claimed[:80]
        raise ApiError(
            401, "a valid reviewer token is needed", headers={"WWW-Authenticate": "Bearer"}
        )


class ReviewedOnly:
    """ASGI middleware: ``?reviewed_only=1`` sets ``REVIEWED_ONLY`` for the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        wanted = any(v.strip().lower() in _TRUE for v in query.get("reviewed_only", []))
        token = REVIEWED_ONLY.set(wanted)
        try:
            await self.app(scope, receive, send)
        finally:
            REVIEWED_ONLY.reset(token)


def review_router(reviewers: Reviewers) -> APIRouter:
    """The review pages and API; the write endpoints only when ``reviewers.enabled``."""
    router = APIRouter()

    def pages_get(path: str, endpoint: Any) -> None:
        router.add_api_route(path, endpoint, methods=["GET"], response_class=HTMLResponse,
                             include_in_schema=False)  # fmt: skip

    pages_get("/review", review_page)
    pages_get("/events/{record_id}", _record_page("event"))
    pages_get("/claims/{record_id}", _record_page("claim"))
    router.add_api_route("/api/review", api_log, methods=["GET"], tags=["review"],
                         response_model=Page[ReviewEntryOut], responses=ERRORS)  # fmt: skip
    router.add_api_route("/api/review/{kind}/{record_id}", api_record, methods=["GET"],
                         tags=["review"], response_model=ReviewRecordOut,
                         responses=ERRORS)  # fmt: skip
    if reviewers.enabled:
        for action in ("accept", "reject", "set"):
            router.add_api_route(
                f"/api/review/{{kind}}/{{record_id}}/{action}", _writer(reviewers, action),
                methods=["POST"], tags=["review"], dependencies=[Depends(same_origin)],
                name=f"review_{action}", response_model=ReviewChangesOut, responses=ERRORS,
            )  # fmt: skip
    return router


def _kind(kind: str) -> str:
    if kind not in _KINDS:
        raise ApiError(404, f"no record kind {kind!r}: event or claim")
    return kind


# -- reading ----------------------------------------------------------------------------


def api_log(
    store: StoreDep,
    kind: Annotated[str | None, Query(max_length=8)] = None,
    record_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The audit trail, newest change first: who changed which field, when, from what
    to what."""
    entries, total = Reviews(store).log(
        kind=_kind(kind) if kind else None, record_id=record_id, limit=limit, offset=offset
    )
    return {"total": total, "limit": limit, "offset": offset,
            "items": [e.as_json() for e in entries]}  # fmt: skip


def api_record(store: StoreDep, kind: str, record_id: _Id) -> dict[str, Any]:
    """One event or claim (a rejected one too): its reviewable fields as they stand,
    which were reviewed, by whom, and its trail."""
    return _record_view(store, _kind(kind), record_id)


def _record_view(store: Any, kind: str, record_id: str) -> dict[str, Any]:
    reviews = Reviews(store)
    row = reviews.record(kind, record_id)
    if row is None:
        raise ApiError(404, f"no {kind} {record_id!r}")
    state = reviews.state(kind, record_id)
    entries, _total = reviews.log(kind=kind, record_id=record_id)
    status = state.get("status", {}).get("value")
    # The page of a paged document (PDF) the sentence starts on, cited beside it.
    page = page_at(store.get_document(row["doc_id"]), row["span_start"])
    return {
        "kind": kind, "id": record_id, "doc_id": row["doc_id"], "text": row["text"],
        "page": page,
        "status": status or ("edited" if state else "unreviewed"),
        "fields": reviews.values(kind, row),
        "reviewed": {f: {"by": s["by"], "at": s["at"].isoformat()} for f, s in state.items()},
        "trail": [e.as_json() for e in entries],
    }  # fmt: skip


def review_page(
    request: Request, store: StoreDep, offset: Annotated[int, Query(ge=0)] = 0
) -> Response:
    entries, total = Reviews(store).log(limit=_PAGE, offset=offset)
    paging = {
        "first": offset + 1 if entries else 0, "last": offset + len(entries), "total": total,
        "prev": f"/review?offset={max(offset - _PAGE, 0)}" if offset else None,
        "next": f"/review?offset={offset + _PAGE}" if offset + _PAGE < total else None,
    }  # fmt: skip
    context = {"page": "review", "entries": entries, "paging": paging, "kinds": _KINDS}
    return _render(request, "review.html", context)


def _record_page(kind: str) -> Any:
    def page(
        request: Request,
        store: StoreDep,
        record_id: _Id,
        find_place: Annotated[str | None, Query(max_length=200)] = None,
        error: Annotated[str | None, Query(max_length=500)] = None,
        done: Annotated[int | None, Query(ge=0)] = None,
    ) -> Response:
        view = _record_view(store, kind, record_id)
        reviewers = _reviewers(request)
        context = {
            "page": _KINDS[kind], "kind": kind, "view": view, "error": error, "done": done,
            "writable": reviewers is not None and reviewers.enabled,
            "self_named": reviewers is None or reviewers.self_named,
            "taxonomy": load_taxonomy().event_to_subs, "find_place": find_place,
            "place_choices": _place_choices(find_place) if find_place else [],
            "fields": EVENT_FIELDS if kind == "event" else CLAIM_FIELDS,
            "referrer_policy": _FORM_REFERRER,
        }  # fmt: skip
        response = _render(request, "record.html", context)
        # A browser sends "Origin: null" with a form posted under no-referrer, which
        # same_origin refuses; same-origin still sends nothing to other sites.
        response.headers["Referrer-Policy"] = _FORM_REFERRER
        return response

    page.__name__ = f"{kind}_page"
    return page


def _place_choices(name: str) -> list[dict[str, Any]]:
    """Gazetteer entries a name may mean, exact matches and bigger places first."""
    candidates = load_gazetteer().lookup(name) + load_gazetteer().lookup_loose(name)
    candidates.sort(key=lambda c: (not c.exact, not c.main, -(c.place.population or 0)))
    seen: dict[str, dict[str, Any]] = {}
    for candidate in candidates:
        place = candidate.place
        if place.key not in seen:
            seen[place.key] = {"key": place.key, "name": place.name, "feature": place.feature,
                               "country": place.country, "admin1": place.admin1}  # fmt: skip
    return list(seen.values())[:_PLACE_CHOICES]


def _reviewers(request: Request) -> Reviewers | None:
    found: Reviewers | None = getattr(request.app.state, "reviewers", None)
    return found


def _render(request: Request, name: str, context: dict[str, Any]) -> Response:
    engine: Jinja2Templates = request.app.state.templates
    return engine.TemplateResponse(request, name, context)


# -- writing ----------------------------------------------------------------------------


def _writer(reviewers: Reviewers, action: str) -> Any:
    async def write(request: Request, kind: str, record_id: _Id) -> Any:
        kind = _kind(kind)
        form = _is_form(request)
        body = await _body(request, form=form)
        bearer = request.headers.get("authorization", "")
        token = (
            bearer[7:].strip() if bearer[:7].lower() == "bearer " else str(body.get("token", ""))
        )
        by = reviewers.who(token, request.headers.get("x-ember-reviewer") or body.get("by"))
        store = request.app.state.store
        try:
            entries = _apply(Reviews(store), action, kind, record_id, body, by)
        except RecordNotFound as exc:
            raise ApiError(404, str(exc)) from exc
        except ConfigError as exc:
            if form:
                return _back(kind, record_id, error=str(exc))
            raise ApiError(400, str(exc)) from exc
        if form:
            return _back(kind, record_id, done=len(entries))
        return {"changes": [e.as_json() for e in entries]}

    write.__name__ = f"review_{action}"
    write.__doc__ = {
        "accept": "Accept a record as the analysers read it.",
        "reject": "Reject a record: kept, but hidden from every list, export and report.",
        "set": 'Set fields: JSON {"field": F, "value": V} or {"fields": {F: V, ...}}, or a '
        "form whose fields are named as the record's.",
    }[action]
    return write


def _apply(
    reviews: Reviews, action: str, kind: str, record_id: str, body: dict[str, Any], by: str
) -> list[Any]:
    if action == "accept":
        return reviews.accept(kind, record_id, by=by)
    if action == "reject":
        return reviews.reject(kind, record_id, by=by)
    changes = _changes(body, reviews.fields(kind))
    if not changes:
        raise ConfigError("nothing to set: give a field and its value")
    entries: list[Any] = []
    for field, value in changes.items():
        entries += reviews.set(kind, record_id, field, value, by=by)
    return entries


def _changes(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    if "fields" in body and isinstance(body["fields"], dict):
        raw: dict[str, Any] = body["fields"]
    elif "field" in body:
        raw = {str(body["field"]): body.get("value", "")}
    else:
        raw = {name: body[name] for name in fields if name in body}
    changes: dict[str, str] = {}
    for field, value in raw.items():
        if value is not None and not isinstance(value, str | int | float):
            raise ConfigError(f"the value of {field} must be text or a number")
        changes[str(field)] = "" if value is None else str(value)
    return changes


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


async def _body(request: Request, *, form: bool) -> dict[str, Any]:
    if form:
        data = await request.form(max_files=0, max_fields=64, max_part_size=_MAX_FORM)
        return {key: value for key, value in data.items() if isinstance(value, str)}
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, f"the body is not JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise ApiError(400, "the body must be a JSON object")
    return parsed


def _back(kind: str, record_id: str, *, error: str | None = None, done: int = 0) -> Response:
    where = f"/{_KINDS[kind]}/{quote(record_id, safe='')}"
    where += f"?error={quote(error)}" if error else f"?done={done}"
    return RedirectResponse(where, status_code=303)

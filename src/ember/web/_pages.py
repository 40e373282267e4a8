"""The server-rendered pages. Jinja2 with autoescape on: every string from a document is
escaped by the template, and the only markup built in Python (``_highlight``) escapes
each piece of text itself. Links to a document's source are made only for http(s) URLs.
Data for the map and timeline scripts goes in ``<script type="application/json">``
blocks (``tojson`` escapes ``<``, ``>``, ``&`` and ``'``, and non-ASCII such as U+2028),
read by ``/static/app.js``: no inline script runs."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from ..analyze.ledger import format_as_of
from ..report.exports import page_at
from ..report.html import by_number
from ..report.views import document_href, type_colour
from ..store import Store
from ..taxonomy import EVENT_TYPES
from . import _data, _views
from ._api import EXPORT_FORMATS
from ._assess import assess_page
from ._deps import ClaimFilters, EventFilters, StoreDep
from ._errors import ApiError
from ._highlight import document_highlights, mark_spans, mark_terms

__all__ = ["page_router", "templates"]

PAGE_SIZE = 25
_TOP = 12
_Offset = Annotated[int, Query(ge=0, le=_data.MAX_OFFSET)]
# Rows per page where a reader may choose (``?per_page=``; the page links keep it).
_PerPage = Annotated[int, Query(ge=5, le=100)]


def templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("ember.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["marked"] = mark_terms
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["as_of"] = format_as_of
    env.filters["by_number"] = by_number
    return Jinja2Templates(env=env)


def _render(request: Request, name: str, context: dict[str, Any]) -> Response:
    engine: Jinja2Templates = request.app.state.templates
    return engine.TemplateResponse(request, name, context)


def _pager(request: Request, listing: _data.Listing) -> dict[str, Any]:
    """Links to the previous and next page, keeping every other query parameter."""

    def at(offset: int | None) -> str | None:
        if offset is None:
            return None
        return str(request.url.include_query_params(offset=offset).replace(scheme="", netloc=""))

    return {
        "first": listing.offset + 1 if listing.items else 0,
        "last": listing.offset + len(listing.items),
        "total": listing.total,
        "prev": at(listing.prev_offset),
        "next": at(listing.next_offset),
    }


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    router.add_api_route("/", overview, methods=["GET"])
    router.add_api_route("/search", search, methods=["GET"])
    router.add_api_route("/documents/{doc_id}", document, methods=["GET"])
    router.add_api_route("/events", events, methods=["GET"])
    router.add_api_route("/claims", claims, methods=["GET"])
    router.add_api_route("/entities", entities, methods=["GET"])
    router.add_api_route("/map", event_map, methods=["GET"])
    router.add_api_route("/timeline", timeline, methods=["GET"])
    router.add_api_route("/assess", assess_page, methods=["GET"])
    router.add_api_route("/exports", exports, methods=["GET"])
    router.add_api_route("/palette.css", palette_css, methods=["GET"])
    return router


def overview(request: Request, store: StoreDep) -> Response:
    entities = list(store.iter_entities())
    merged = _data.overview_events(store)
    return _render(request, "overview.html", {
        "page": "overview",
        "counts": _data.counts(store, entities=len(entities)),
        "brief": _views.brief(merged, store),
        "map_data": _map_data(store),
        "timeline_data": _data.timeline_payload(store),
        "actors": _top(entities, "actor"),
        "places": _top(entities, "place"),
        "documents": _data.recent_documents(store, limit=8, offset=0).items,
    })  # fmt: skip


def _map_data(store: Store) -> dict[str, Any]:
    data = _data.map_payload(store)
    data.pop("events")
    return data


def _top(entities: list[Any], kind: str) -> list[Any]:
    of_kind = [e for e in entities if e.kind == kind]
    return sorted(of_kind, key=lambda e: (-e.mentions, e.canonical))[:_TOP]


def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: _Offset = 0,
) -> Response:
    query = q.strip()
    if query:
        listing = _data.search(store, query, limit=PAGE_SIZE, offset=offset)
    else:
        listing = _data.recent_documents(store, limit=PAGE_SIZE, offset=offset)
    return _render(request, "search.html", {
        "page": "search", "q": query, "listing": listing, "paging": _pager(request, listing),
    })  # fmt: skip


def document(
    request: Request, store: StoreDep, doc_id: Annotated[str, Path(max_length=64)]
) -> Response:
    view = _data.document_detail(store, doc_id)
    if view is None:
        raise ApiError(404, f"no document {doc_id!r}")
    doc = view.document
    highlights = document_highlights(len(doc.text), view.events, view.claims, view.mentions)
    events = [(e, f"event-{e.span[0]}-{e.span[1]}") for e in view.events]
    claims = [(c, f"claim-{c.quantity_span[0]}-{c.quantity_span[1]}") for c in view.claims]
    # The page each event and claim cites in a paged document (PDF), by its anchor.
    pages = {anchor: page_at(doc, e.span[0]) for e, anchor in events}
    pages |= {anchor: page_at(doc, c.span[0]) for c, anchor in claims}
    return _render(request, "document.html", {
        "page": "document",
        "doc": doc,
        # A link only to an http(s) original; a path or javascript: stays text.
        "doc_href": document_href(doc),
        "marked_text": mark_spans(doc.text, highlights),
        "events": events,
        "claims": claims,
        "pages": pages,
        "actors": _mentioned(view.mentions, ("actor", "person", "org")),
        "places": _mentioned(view.mentions, ("place",)),
        "highlight_counts": _kind_counts(highlights),
    })  # fmt: skip


def _mentioned(mentions: list[Any], kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each distinct entity of ``kinds`` with how often it is mentioned and where first."""
    found: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        if mention.kind not in kinds:
            continue
        entry = found.setdefault(mention.canonical, {
            "name": mention.canonical, "kind": mention.kind, "count": 0,
            "anchor": f"{'place' if mention.kind == 'place' else 'actor'}-"
                      f"{mention.start}-{mention.end}",
        })  # fmt: skip
        entry["count"] += 1
    return sorted(found.values(), key=lambda e: (-e["count"], e["name"]))


def _kind_counts(highlights: list[Any]) -> dict[str, int]:
    counts = dict.fromkeys(("event", "claim", "actor", "place"), 0)
    for highlight in highlights:
        counts[highlight.kind] = counts.get(highlight.kind, 0) + 1
    return counts


def events(
    request: Request,
    store: StoreDep,
    query: EventFilters,
    view: Annotated[str, Query(pattern="^(reports|merged)$")] = "reports",
    offset: _Offset = 0,
    per_page: _PerPage | None = None,
) -> Response:
    lister = _data.list_merged_events if view == "merged" else _data.list_events
    listing = lister(store, query, limit=per_page or PAGE_SIZE, offset=offset)
    return _render(request, "events.html", {
        "page": "events", "listing": listing, "paging": _pager(request, listing),
        "query": query, "view": view, "event_types": EVENT_TYPES,
    })  # fmt: skip


def claims(request: Request, store: StoreDep, query: ClaimFilters, offset: _Offset = 0) -> Response:
    listing = _data.list_claims(store, query, limit=PAGE_SIZE, offset=offset)
    ledger = _data.ledger_data(
        store, subject=query.subject, actor=query.actor, place=query.place,
        since=query.since, until=query.until,
    )  # fmt: skip
    return _render(request, "claims.html", {
        "page": "claims", "listing": listing, "paging": _pager(request, listing),
        "query": query, "ledger": ledger,
    })  # fmt: skip


def entities(
    request: Request,
    store: StoreDep,
    kind: Annotated[str, Query(pattern="^(actor|person|place|org)$")] = "actor",
    offset: _Offset = 0,
) -> Response:
    listing = _data.list_entities(store, kind=kind, limit=PAGE_SIZE * 2, offset=offset)
    return _render(request, "entities.html", {
        "page": "entities", "listing": listing, "paging": _pager(request, listing),
        "kind": kind,
    })  # fmt: skip


def event_map(request: Request, store: StoreDep) -> Response:
    data = _data.map_payload(store)
    merged = data.pop("events")
    return _render(request, "map.html", {
        "page": "map", "map_data": data,
        "located": [m for m in merged if m.event.location and m.event.location.lat is not None],
    })  # fmt: skip


def timeline(request: Request, store: StoreDep) -> Response:
    return _render(request, "timeline.html", {
        "page": "timeline", "timeline_data": _data.timeline_payload(store),
    })  # fmt: skip


def exports(request: Request, store: StoreDep) -> Response:
    return _render(request, "exports.html", {
        "page": "exports", "formats": EXPORT_FORMATS, "counts": _data.counts(store),
    })  # fmt: skip


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def palette_css() -> Response:
    """Each event type's colour (the report's palette) for the type tags, as CSS: the
    policy forbids inline styles, so the colours come as a stylesheet."""
    rules = []
    for name in EVENT_TYPES:
        colour = type_colour(name)
        if _COLOUR.fullmatch(colour):
            selector = name.replace("\\", "\\\\").replace('"', '\\"')
            rules.append(f'[data-type="{selector}"] {{ --type-color: {colour}; }}')
    return Response(
        "\n".join(rules) + "\n",
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )

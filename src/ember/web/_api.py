"""The read-only JSON API under ``/api``: one endpoint per view of the app, each with a
response model, so ``/openapi.json`` documents every shape."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from ..analyze.ledger import DEFAULT_WINDOW_DAYS
from ..report import (
    DOCUMENT_FIELDS,
    document_rows,
    export_claims,
    export_entities,
    export_events,
    write_csv,
    write_jsonl,
)
from ..report.exports import ExportFormat
from . import _data
from ._assess import assess_api
from ._assess_models import AssessmentOut
from ._deps import ClaimFilters, EventFilters, Limit, Offset, StoreDep, Text
from ._errors import READ_ERRORS, ApiError
from ._models import (
    ClaimOut,
    DocumentDetailOut,
    DocumentOut,
    EntityOut,
    EventOut,
    FeatureCollectionOut,
    HealthOut,
    LedgerOut,
    MergedEventOut,
    Page,
    SearchHitOut,
    TimelineOut,
)

__all__ = ["EXPORT_FORMATS", "api_router"]

ExportKind = Literal["documents", "events", "claims", "entities"]
# Which formats each kind can be exported in (ACLED rows are events; documents have no
# place of their own).
EXPORT_FORMATS: dict[str, tuple[ExportFormat, ...]] = {
    "documents": ("jsonl", "csv"),
    "events": ("jsonl", "csv", "geojson", "acled"),
    "claims": ("jsonl", "csv", "geojson"),
    "entities": ("jsonl", "csv", "geojson"),
}
_MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "acled": "text/csv; charset=utf-8",
}
_SUFFIXES = {"jsonl": "jsonl", "csv": "csv", "geojson": "geojson", "acled": "acled.csv"}
_SPOOL_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api", tags=["read"], responses=READ_ERRORS)
    router.add_api_route("/health", health, methods=["GET"], response_model=HealthOut)
    router.add_api_route("/search", search, methods=["GET"], response_model=Page[SearchHitOut])
    router.add_api_route("/documents", documents, methods=["GET"], response_model=Page[DocumentOut])
    router.add_api_route(
        "/documents/{doc_id}", document, methods=["GET"], response_model=DocumentDetailOut
    )
    router.add_api_route("/events", events, methods=["GET"], response_model=Page[EventOut])
    router.add_api_route(
        "/events/merged", merged_events, methods=["GET"], response_model=Page[MergedEventOut]
    )
    router.add_api_route("/claims", claims, methods=["GET"], response_model=Page[ClaimOut])
    router.add_api_route("/ledger", ledger, methods=["GET"], response_model=LedgerOut)
    router.add_api_route("/entities", entities, methods=["GET"], response_model=Page[EntityOut])
    router.add_api_route("/map", event_map, methods=["GET"], response_model=FeatureCollectionOut)
    router.add_api_route("/timeline", timeline, methods=["GET"], response_model=TimelineOut)
    router.add_api_route("/assess", assess_api, methods=["GET"], response_model=AssessmentOut)
    router.add_api_route(
        "/export/{kind}",
        export,
        methods=["GET"],
        response_class=StreamingResponse,
        responses={200: {"description": "The export as a file download", "content": {
            media: {} for media in dict.fromkeys(_MEDIA_TYPES.values())}}},
    )  # fmt: skip
    return router


def _page(listing: _data.Listing) -> dict[str, Any]:
    return {
        "total": listing.total,
        "limit": listing.limit,
        "offset": listing.offset,
        "items": listing.items,
    }


def health(store: StoreDep) -> dict[str, Any]:
    """The server is up and its database answers."""
    return {
        "status": "ok",
        "documents": store.count_documents(),
        "events": store.count_events(),
        "claims": store.count_claims(),
    }


def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search over documents, best match first, with snippets."""
    return _page(_data.search(store, q, limit=limit, offset=offset))


def documents(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Every document (export rows), latest publication first; ``source`` relative to
    the folder ingested."""
    return _page(_data.recent_documents(store, limit=limit, offset=offset, full_text=True))


def document(store: StoreDep, doc_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """One document with its events, claims and mentions."""
    view = _data.document_detail(store, doc_id)
    if view is None:
        raise ApiError(404, f"no document {doc_id!r}")
    return view.as_row()


def events(
    store: StoreDep, query: EventFilters, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Events as extracted, one per report, latest first, undated last (since/until:
    YYYY, YYYY-MM or YYYY-MM-DD)."""
    return _page(_data.list_events(store, query, limit=limit, offset=offset))


def merged_events(
    store: StoreDep, query: EventFilters, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Events merged across reports: one per happening, with every document reporting it;
    latest first, undated last."""
    return _page(_data.list_merged_events(store, query, limit=limit, offset=offset))


def claims(
    store: StoreDep, query: ClaimFilters, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Claims (quantitative statements), latest as-of date first, undated last."""
    return _page(_data.list_claims(store, query, limit=limit, offset=offset))


def ledger(
    store: StoreDep,
    subject: Text = None,
    actor: Text = None,
    place: Text = None,
    since: Text = None,
    until: Text = None,
    window: Annotated[int, Query(ge=0, le=36500)] = DEFAULT_WINDOW_DAYS,
    limit: Limit = _data.LEDGER_GROUPS,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The claims ledger: estimates grouped, echoes collapsed, conflicts flagged; a page
    of ``limit`` groups (``total_groups`` in all), each with at most 200 estimates
    (``entries_total`` in all)."""
    return _data.ledger_data(
        store, subject=subject, actor=actor, place=place, since=since, until=until,
        window_days=window, limit=limit, offset=offset,
    )  # fmt: skip


def entities(
    store: StoreDep,
    kind: Annotated[Literal["actor", "person", "place", "org"] | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Actors, people, organisations and places, aggregated over every mention."""
    return _page(_data.list_entities(store, kind=kind, limit=limit, offset=offset))


Bbox = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
        description="west,south,east,north in degrees: only the events inside.",
    ),
]


def event_map(store: StoreDep, bbox: Bbox = None) -> dict[str, Any]:
    """Merged events as GeoJSON points (one per happening that has a place); beyond
    2,000 of them, one point per map cell with the count of its events (``cluster``),
    so narrow ``bbox`` to see single events. ``total``: the located events matching."""
    return _data.map_collection(store, bbox=_bbox(bbox))


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise ApiError(400, f"bbox: not four numbers: {text!r}") from exc
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ApiError(400, f"bbox: west,south,east,north out of range: {text!r}")
    return west, south, east, north


def timeline(store: StoreDep) -> dict[str, Any]:
    """Merged events counted per period and event type."""
    return _data.timeline_payload(store)


def export(
    store: StoreDep,
    kind: ExportKind,
    format: Annotated[Literal["jsonl", "csv", "geojson", "acled"], Query()] = "jsonl",
) -> StreamingResponse:
    """Every stored record of ``kind`` as a file, as ``ember export`` writes it."""
    if format not in EXPORT_FORMATS[kind]:
        allowed = " or ".join(EXPORT_FORMATS[kind])
        raise ApiError(400, f"{kind} export as {format} is not possible: use {allowed}")
    # Written whole before the first byte goes out, so a failure is an error response,
    # not a truncated file; spooled to disk past a few MB.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, mode="w+b")  # noqa: SIM115
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        _write_export(store, kind, format, text)
        text.flush()
        text.detach()
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    filename = f"ember-{kind}.{_SUFFIXES[format]}"
    return StreamingResponse(
        _chunks(spool),
        media_type=_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _write_export(store: Any, kind: str, fmt: ExportFormat, out: io.TextIOWrapper) -> None:
    if kind == "documents":
        rows = document_rows(store.iter_documents())
        if fmt == "jsonl":
            write_jsonl(rows, out)
        else:
            write_csv(rows, out, fields=DOCUMENT_FIELDS)
        return
    exporter = {"events": export_events, "claims": export_claims}.get(kind, export_entities)
    exporter(store, out, fmt=fmt)


def _chunks(spool: Any) -> Iterator[bytes]:
    try:
        while chunk := spool.read(_CHUNK):
            yield chunk
    finally:
        spool.close()

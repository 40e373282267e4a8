"""What the pages and the API show, read from the store in one place so the two never
drift: pages of events, merged events, claims, entities and search hits as export
contract rows, a document with what was found in it, the ledger, and the counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..analyze.corroborate import MergedEvent, merge_events
from ..analyze.ledger import DEFAULT_WINDOW_DAYS, LedgerFilters
from ..analyze.ledger import parse_day as _parse_day
from ..analyze.trends import PERIODS, WEEKS_AT_MOST_DAYS, period_keys
from ..errors import ConfigError
from ..records import Claim, Document, Event, Mention
from ..report import StoredDocuments, claim_rows, document_rows
from ..report.exports import entity_rows, event_rows
from ..report.views import map_data, map_features, type_counts
from ..store import Store, derived
from ..store._search import shown_source, source_root
from ._deadline import check_deadline, within_deadline

__all__ = [
    "MAX_LIMIT",
    "ClaimQuery",
    "Counts",
    "DocumentView",
    "EventQuery",
    "Listing",
    "counts",
    "document_detail",
    "ledger_data",
    "list_claims",
    "list_entities",
    "list_events",
    "list_merged_events",
    "merged_events",
    "merged_row",
    "recent_documents",
    "search",
]

#: The largest page the API gives; pages of the app are smaller.
MAX_LIMIT = 500
#: The largest offset a page can start at (what a database's integer holds).
MAX_OFFSET = 2**63 - 1
#: Ledger groups per page unless asked otherwise.
LEDGER_GROUPS = 50
_OPENING_CHARS = 300


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of rows and how many there are in all."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]

    @property
    def next_offset(self) -> int | None:
        after = self.offset + self.limit
        return after if after < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


def _day(text: str | None, *, last: bool = False) -> date | None:
    """A filter's date ("2019", "2019-03", "2019-03-01"); a bad one is a ConfigError."""
    return _parse_day(text, last=last) if text and text.strip() else None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventQuery:
    """The event filters of the list, the API and the merged view. ``actor`` and
    ``place`` are parts of a name, ignoring case; ``since``/``until`` keep events whose
    dates overlap the period ("2019" up to all of 2019)."""

    event_type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None

    def store_filters(self) -> dict[str, Any]:
        return {"event_type": _blank_to_none(self.event_type), **_shared_filters(self)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimQuery:
    subject: str | None = None
    actor: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None

    def store_filters(self) -> dict[str, Any]:
        return {"subject": _blank_to_none(self.subject), **_shared_filters(self)}


def _shared_filters(query: EventQuery | ClaimQuery) -> dict[str, Any]:
    """The store's keyword arguments for the filters events and claims share."""
    return {
        "actor": _blank_to_none(query.actor),
        "place": _blank_to_none(query.place),
        "since": _day(query.since),
        "until": _day(query.until, last=True),
        "doc_id": _blank_to_none(query.doc_id),
    }


# -- lists ---------------------------------------------------------------------------


def list_events(store: Store, query: EventQuery, *, limit: int, offset: int) -> Listing:
    events, total = store.list_events(
        **query.store_filters(), limit=limit, offset=offset, newest_first=True
    )
    rows = _shown_sources(store, event_rows(events, StoredDocuments(store)))
    return Listing(total=total, limit=limit, offset=offset, items=rows)


def _merged_filters(query: EventQuery, *, located: bool = False) -> derived.MergedFilters:
    return derived.MergedFilters(**query.store_filters(), located=located)


def list_merged_events(store: Store, query: EventQuery, *, limit: int, offset: int) -> Listing:
    """Merged events (one per happening, however many documents report it) that match
    ``query``: a happening matches when any of its reports does. A page read from the
    store's merged events, newest first."""
    stored, total = derived.merged_page(
        store, _merged_filters(query), limit=limit, offset=offset, newest_first=True
    )
    page = list(_merged(stored))
    documents = _metadata(store, (doc_id for m in page for doc_id in m.doc_ids))
    rows = _shown_sources(store, (merged_row(m, documents) for m in page))
    return Listing(total=total, limit=limit, offset=offset, items=rows)


def _merged(happenings: Iterable[derived.StoredHappening]) -> Iterator[MergedEvent]:
    """The merged events of stored happenings."""
    for happening in happenings:
        yield merge_events(happening.key, list(happening.members))


def _metadata(store: Store, doc_ids: Iterable[str]) -> dict[str, Document]:
    """The documents of ``doc_ids`` without their text, read in one go."""
    with store.engine.connect() as conn:
        return derived.document_metadata(conn, doc_ids)


def merged_row(merged: MergedEvent, documents: Mapping[str, Document]) -> dict[str, Any]:
    """A merged event as an event contract row plus its cluster and every report."""
    (row,) = event_rows([merged.event], documents)
    return {
        **row,
        "cluster_id": merged.id,
        "doc_ids": list(merged.doc_ids),
        "reports": len(merged.members),
        "fatalities_reported": list(merged.fatalities_reported),
    }


def list_claims(store: Store, query: ClaimQuery, *, limit: int, offset: int) -> Listing:
    claims, total = store.list_claims(
        **query.store_filters(), limit=limit, offset=offset, newest_first=True
    )
    rows = _shown_sources(store, claim_rows(claims, StoredDocuments(store)))
    return Listing(total=total, limit=limit, offset=offset, items=rows)


def list_entities(store: Store, *, kind: str | None, limit: int, offset: int) -> Listing:
    """Entities of one kind (or all), by kind and name. Entities are aggregated over all
    mentions, so the total is counted while the page is taken."""
    matching = (e for e in store.iter_entities() if kind is None or e.kind == kind)
    total = 0
    page: list[Any] = []
    for index, entity in enumerate(matching):
        total += 1
        if offset <= index < offset + limit:
            page.append(entity)
    return Listing(total=total, limit=limit, offset=offset, items=list(entity_rows(page)))


def search(store: Store, text: str, *, limit: int, offset: int) -> Listing:
    """Documents matching ``text``, best first, each with its snippet and matched terms."""
    found = store.search_documents(text, limit=limit, offset=offset)
    items = [
        {
            "doc_id": hit.doc_id, "title": hit.title, "publisher": hit.publisher,
            "published": hit.published, "published_after": hit.published_after,
            "source": hit.source, "snippet": hit.snippet, "terms": list(hit.terms),
            "rank": hit.rank,
        }
        for hit in found.hits
    ]  # fmt: skip
    return Listing(total=found.total, limit=limit, offset=offset, items=items)


def recent_documents(store: Store, *, limit: int, offset: int, full_text: bool = False) -> Listing:
    """Documents, latest publication first, as contract rows; without ``full_text`` each
    text is cut to its opening (what the search page lists before a query). A page in SQL."""
    total = store.count_documents()
    page = (
        derived.documents_page(store, limit=limit, offset=offset, newest_first=True)
        if offset < total
        else []
    )
    rows = _shown_sources(store, document_rows(page))
    if not full_text:
        rows = [{**row, "text": row["text"][:_OPENING_CHARS]} for row in rows]
    return Listing(total=total, limit=limit, offset=offset, items=rows)


def _shown_sources(store: Store, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with ``source`` as the app shows it: a local path relative to the folder
    ingested (absolute paths stay in the store only)."""
    with store.engine.connect() as conn:
        root = source_root(conn)
    return [{**row, "source": shown_source(row["source"], root)} if row["source"] else row
            for row in rows]  # fmt: skip


# -- one document --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: Document
    events: list[Event]
    claims: list[Claim]
    mentions: list[Mention]

    def as_row(self) -> dict[str, Any]:
        """The document's contract row with its events, claims and mentions."""
        documents = {self.document.id: self.document}
        (row,) = document_rows([self.document])
        return {
            **row,
            "events": list(event_rows(self.events, documents)),
            "claims": list(claim_rows(self.claims, documents)),
            "mentions": [_mention_row(m) for m in self.mentions],
        }


def document_detail(store: Store, doc_id: str) -> DocumentView | None:
    """A document and everything found in it (a near-duplicate's are its original's
    only when analysed: copies are not analysed, so their lists are empty)."""
    doc = store.get_document(doc_id)
    if doc is None:
        return None
    with store.engine.connect() as conn:
        shown = shown_source(doc.source, source_root(conn))
    return DocumentView(
        document=replace(doc, source=shown),
        events=list(store.iter_events(doc_id=doc_id)),
        claims=list(store.iter_claims(doc_id=doc_id)),
        mentions=list(store.iter_mentions(doc_id)),
    )


def _mention_row(mention: Mention) -> dict[str, Any]:
    loc = mention.location
    return {
        "kind": mention.kind, "text": mention.text, "start": mention.start,
        "end": mention.end, "canonical": mention.canonical, "role": mention.role,
        "location": None if loc is None else {
            "name": loc.name, "canonical": loc.canonical, "geonameid": loc.geonameid,
            "lat": loc.lat, "lon": loc.lon, "country": loc.country, "admin1": loc.admin1,
            "precision": loc.precision,
        },
    }  # fmt: skip


# -- across documents ----------------------------------------------------------------


def ledger_data(
    store: Store,
    *,
    subject: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    limit: int = LEDGER_GROUPS,
    offset: int = 0,
) -> dict[str, Any]:
    """The claims ledger as ``ember claims --format json`` gives it, a page of its
    groups at a time (``total_groups`` in all; each group at most
    ``derived.GROUP_ENTRIES`` estimates of ``entries_total``).

    Groups come from the store's ledger groups; filters on what a group is (its subject
    term, actor or place) choose among them, and only filters on single claims (a
    subject that is not the group's term, ``since``/``until``) or another window make
    the chosen groups be computed from their claims."""
    filters = LedgerFilters(
        subject=_blank_to_none(subject),
        actor=_blank_to_none(actor),
        place=_blank_to_none(place),
        since=_day(since),
        until=_day(until, last=True),
    )
    if window_days < 0:
        raise ConfigError(f"the conflict window must be 0 days or more, not {window_days}")
    whole = filters.since is None and filters.until is None and window_days == DEFAULT_WINDOW_DAYS
    chosen: list[derived.LedgerGroupRow] = []
    computed: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for row in derived.ledger_group_rows(store):
            check_deadline()
            match = _group_match(row, filters)
            if match is None:
                continue
            if match and whole:
                chosen.append(row)
                continue
            found = derived.compute_group(
                conn, row.subject, row.actor, row.scope, filters=filters, window_days=window_days
            )
            if found is None:
                continue
            data, claims, entries, conflicts, subjects = found
            computed[row.key] = data
            chosen.append(derived.LedgerGroupRow(
                row.key, row.subject, row.actor, row.scope, subjects, claims, entries,
                conflicts, False, data,
            ))  # fmt: skip
    chosen.sort(key=lambda g: (g.subject.casefold(), -g.entries, g.actor or "", g.scope or ""))
    page = chosen[offset : offset + limit]
    return {
        "filters": {
            "subject": filters.subject,
            "actor": filters.actor,
            "place": filters.place,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
        },
        "window_days": window_days,
        "claims": sum(g.claims for g in chosen),
        "entries": sum(g.entries for g in chosen),
        "total_groups": len(chosen),
        "limit": limit,
        "offset": offset,
        "groups": derived.group_data(store, page),
    }


def _group_match(row: derived.LedgerGroupRow, filters: LedgerFilters) -> bool | None:
    """Whether a stored group matches ``filters`` whole (True), in part, so its claims
    must be filtered one by one (False), or not at all (None): ``build_ledger``'s rule
    (``analyze.ledger._wanted``) applied to what every claim of the group shares."""
    if filters.actor is not None and not _ledger_contains(row.actor, filters.actor):
        return None
    if filters.place is not None and not _ledger_contains(row.scope, filters.place):
        return None
    if filters.subject is None:
        return True
    wanted = filters.subject.strip().casefold()
    if wanted == row.subject.casefold():
        return True
    named = {s.casefold() for s in row.subjects}
    if wanted not in named:
        return None
    return named == {wanted}


def _ledger_contains(value: str | None, wanted: str) -> bool:
    return value is not None and wanted.strip().casefold() in value.casefold()


def merged_events(store: Store) -> list[MergedEvent]:
    """Every merged event (for a small store; views of a large one read pages)."""
    return list(within_deadline(_merged(derived.iter_merged(store))))


#: The most located events the map draws one by one; beyond, they are counted by cell.
MAP_MARKERS = 2000


def map_payload(store: Store) -> dict[str, Any]:
    """What ``EmberViews.mountMap`` draws (``report.views.map_data``), with ``located``
    (how many events have a place) and ``events`` (the merged events drawn). On a store
    with more than ``MAP_MARKERS`` located events, the ``MAP_MARKERS`` largest markers
    are drawn (the legend still counts every event)."""
    located = derived.MergedFilters(located=True)
    total, _ = derived.merged_count(store, located)
    merged = list(
        within_deadline(
            _merged(
                derived.iter_merged(
                    store, located, order_by_size=total > MAP_MARKERS, limit=MAP_MARKERS
                )
            )
        )
    )
    data = map_data(merged, _metadata(store, (d for m in merged for d in m.doc_ids)))
    data["types"] = _types(store)
    data["located"] = total
    data["events"] = merged
    return data


def overview_events(store: Store) -> list[MergedEvent]:
    """The merged events the overview's brief is written from (every one: the page is
    cut by the request deadline on a store too large for it)."""
    return merged_events(store)


def _types(store: Store) -> list[dict[str, Any]]:
    return type_counts(derived.merged_type_counts(store))


def map_collection(
    store: Store, *, bbox: tuple[float, float, float, float] | None = None
) -> dict[str, Any]:
    """The located merged events (inside ``bbox``: west, south, east, north) as a
    GeoJSON FeatureCollection, each feature's properties the report's event record; when
    more than ``MAP_MARKERS`` match, one feature per map cell instead, its properties
    the cell's count, types and fatalities (``cluster: true``). ``total``: how many
    located events match."""
    filters = derived.MergedFilters(located=True, bbox=bbox)
    total, _ = derived.merged_count(store, filters)
    if total > MAP_MARKERS:
        cells = derived.map_cells(store, filters, target=MAP_MARKERS)
        return {"type": "FeatureCollection", "features": cells.features, "total": total}
    merged = list(within_deadline(_merged(derived.iter_merged(store, filters))))
    documents = _metadata(store, (d for m in merged for d in m.doc_ids))
    features = [
        {
            "type": "Feature",
            "id": record["id"],
            # RFC 7946: longitude first.
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": record,
        }
        for record in map_features(merged, documents)
    ]
    return {"type": "FeatureCollection", "features": features, "total": total}


#: The most events the timeline lists one by one (for recounting a filtered view).
TIMELINE_EVENTS = 20000


def timeline_payload(store: Store) -> dict[str, Any]:
    """``report.views.timeline_data`` from the store's merged events, counted in SQL."""
    by_period = {}
    for period in PERIODS:
        placed, undated, coarse = derived.period_counts(store, period)
        keys = period_keys(min(placed), max(placed), period) if placed else []
        by_period[period] = (
            [{"key": k, "counts": placed.get(k, {})} for k in keys],
            undated,
            coarse,
        )
    first, last = derived.start_day_range(store)
    weeks = (
        first is not None
        and last is not None
        and (date.fromisoformat(last) - date.fromisoformat(first)).days <= WEEKS_AT_MOST_DAYS
    )
    events, total = derived.timeline_events(store, limit=TIMELINE_EVENTS)
    return {
        "default_period": "week" if weeks else "month",
        "periods": {p: [c["key"] for c in counts] for p, (counts, _u, _c) in by_period.items()},
        "counts": {p: counts for p, (counts, _u, _c) in by_period.items()},
        "undated": by_period["month"][1],
        "too_coarse": {p: coarse for p, (_c, _u, coarse) in by_period.items()},
        "types": _types(store),
        "events": events,
        "events_total": total,
    }


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int
    events: int
    happenings: int
    corroborated: int
    claims: int
    entities: int


def counts(store: Store, entities: int | None = None) -> Counts:
    """What the store holds: documents, extracted events and the happenings they merge
    into (and how many of those several documents report), claims, entities.
    ``entities``, when the caller has counted them already, saves reading them again."""
    happenings, corroborated = derived.merged_count(store)
    return Counts(
        documents=store.count_documents(),
        events=store.count_events(),
        happenings=happenings,
        corroborated=corroborated,
        claims=store.count_claims(),
        entities=_count(store.iter_entities()) if entities is None else entities,
    )


def _count(items: Iterator[Any]) -> int:
    return sum(1 for _ in items)

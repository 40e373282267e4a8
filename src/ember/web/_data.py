"""What the pages and the API show, read from the store in one place so the two never
drift: pages of events, merged events, claims, entities and search hits as export
contract rows, a document with what was found in it, the ledger, and the counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from ..analyze.corroborate import MergedEvent, merge_stored
from ..analyze.ledger import (
    DEFAULT_WINDOW_DAYS,
    LedgerFilters,
    build_ledger,
    format_as_of,
    format_value,
    ledger_json,
)
from ..analyze.ledger import parse_day as _parse_day
from ..records import Claim, Document, Event, Mention
from ..report import StoredDocuments, claim_rows, document_rows
from ..report.exports import entity_rows, event_rows
from ..store import Store

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
    events, total = store.list_events(**query.store_filters(), limit=limit, offset=offset)
    rows = list(event_rows(events, StoredDocuments(store)))
    return Listing(total=total, limit=limit, offset=offset, items=rows)


def list_merged_events(store: Store, query: EventQuery, *, limit: int, offset: int) -> Listing:
    """Merged events (one per happening, however many documents report it) that match
    ``query``: a happening matches when any of its reports does."""
    filters = query.store_filters()
    wanted = [m for m in merge_stored(store.iter_events()) if _merged_matches(m, filters)]
    documents = StoredDocuments(store)
    rows = [merged_row(m, documents) for m in wanted[offset : offset + limit]]
    return Listing(total=len(wanted), limit=limit, offset=offset, items=rows)


def merged_row(merged: MergedEvent, documents: StoredDocuments) -> dict[str, Any]:
    """A merged event as an event contract row plus its cluster and every report."""
    (row,) = event_rows([merged.event], documents)
    return {
        **row,
        "cluster_id": merged.id,
        "doc_ids": list(merged.doc_ids),
        "reports": len(merged.members),
        "fatalities_reported": list(merged.fatalities_reported),
    }


def _merged_matches(merged: MergedEvent, filters: dict[str, Any]) -> bool:
    event = merged.event
    if filters["event_type"] and event.event_type != filters["event_type"]:
        return False
    if filters["doc_id"] and filters["doc_id"] not in merged.doc_ids:
        return False
    if filters["actor"] and not any(_actor_has(e, filters["actor"]) for e in merged.members):
        return False
    if filters["place"] and not any(_place_has(e, filters["place"]) for e in merged.members):
        return False
    return _overlaps(event, filters["since"], filters["until"])


def _contains(value: str | None, part: str) -> bool:
    return value is not None and part.casefold() in value.casefold()


def _actor_has(event: Event, part: str) -> bool:
    return any(_contains(name, part) for name in (event.actor1, event.actor2))


def _place_has(event: Event, part: str) -> bool:
    loc = event.location
    return loc is not None and any(
        _contains(name, part) for name in (loc.name, loc.canonical, loc.admin1)
    )


def _overlaps(event: Event, since: date | None, until: date | None) -> bool:
    if since is None and until is None:
        return True
    start, end = event.date.start, event.date.end or event.date.start
    if start is None or end is None:
        return False
    return (since is None or end >= since.isoformat()) and (
        until is None or start <= until.isoformat()
    )


def list_claims(store: Store, query: ClaimQuery, *, limit: int, offset: int) -> Listing:
    claims, total = store.list_claims(**query.store_filters(), limit=limit, offset=offset)
    rows = list(claim_rows(claims, StoredDocuments(store)))
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
    """Documents in ingest order, as contract rows; without ``full_text`` each text is
    cut to its opening (what the search page lists before a query)."""
    page = list(islice(store.iter_documents(), offset, offset + limit))
    rows = list(document_rows(page))
    if not full_text:
        rows = [{**row, "text": row["text"][:_OPENING_CHARS]} for row in rows]
    return Listing(total=store.count_documents(), limit=limit, offset=offset, items=rows)


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
    return DocumentView(
        document=doc,
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
) -> dict[str, Any]:
    """The claims ledger as ``ember claims --format json`` gives it."""
    filters = LedgerFilters(
        subject=_blank_to_none(subject),
        actor=_blank_to_none(actor),
        place=_blank_to_none(place),
        since=_day(since),
        until=_day(until, last=True),
    )
    documents = StoredDocuments(store)
    ledger = build_ledger(store.iter_claims(), documents, filters=filters, window_days=window_days)
    data = ledger_json(ledger, documents)
    # As a reader writes them ("about 5,000", "$25,000,000", "March 2019").
    for group, shown in zip(ledger.groups, data["groups"], strict=True):
        for entry, record in zip(group.entries, shown["entries"], strict=True):
            record["value_text"] = format_value(entry.first)
            record["as_of_text"] = format_as_of(entry.as_of)
    return data


def merged_events(store: Store) -> list[MergedEvent]:
    return merge_stored(store.iter_events())


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int
    events: int
    happenings: int
    corroborated: int
    claims: int
    entities: int


def counts(
    store: Store, merged: Iterable[MergedEvent] | None = None, entities: int | None = None
) -> Counts:
    """What the store holds: documents, extracted events and the happenings they merge
    into (and how many of those several documents report), claims, entities. ``merged``
    and ``entities``, when the caller has them already, save reading them again."""
    merged_list = list(merged) if merged is not None else merged_events(store)
    return Counts(
        documents=store.count_documents(),
        events=store.count_events(),
        happenings=len(merged_list),
        corroborated=sum(1 for m in merged_list if m.corroborated),
        claims=store.count_claims(),
        entities=_count(store.iter_entities()) if entities is None else entities,
    )


def _count(items: Iterator[Any]) -> int:
    return sum(1 for _ in items)

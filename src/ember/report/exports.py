"""Writing stored records in the formats analysts use.

Rows follow the export contract in DESIGN.md. JSONL keeps them nested (an event's
``location`` and ``date`` are objects); CSV flattens them with dotted column names
(``location.lat``, ``date.start``, ``span.start``; a list of objects such as a claim's
``places`` becomes ``places.name`` and so on, each joined with ``|``) and joins other
lists with ``|``; GeoJSON (RFC 7946) puts each row in a Feature's properties, with a
Point where the row has coordinates and a null geometry where it has none; ``acled``
writes ACLED's own columns and codes (see ``acled_rows``).

Event and claim rows cite the ``page`` their sentence starts on in a paged document (a
PDF: ``Document.pages``), null for documents without pages.

Every CSV cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return and is not a plain number) is written with a
leading ``'``: document text is untrusted, and a spreadsheet must show it, not run it.

Event rows are one per report: an event reported by several documents appears once per
document, each row naming the others (``corroborated_by``) and the ``cluster_id`` they
share. ACLED rows are one per happening: the reports of one are merged (see
``analyze.corroborate``) and coded once, as ACLED codes an event however many outlets
report it."""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, TextIO

import pycountry

from ..analyze.corroborate import MergedEvent, merge_stored
from ..errors import ConfigError
from ..records import Claim, Document, Entity, Event
from ..taxonomy import disorder_type, interaction

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ACLED_COLUMNS",
    "CLAIM_CSV_FIELDS",
    "CLAIM_FIELDS",
    "DOCUMENT_FIELDS",
    "ENTITY_CSV_FIELDS",
    "ENTITY_FIELDS",
    "EVENT_CSV_FIELDS",
    "EVENT_FIELDS",
    "AcledExport",
    "ExportFormat",
    "ExportResult",
    "StoredDocuments",
    "acled_rows",
    "claim_rows",
    "document_rows",
    "entity_rows",
    "event_rows",
    "export_claims",
    "export_entities",
    "export_events",
    "flatten",
    "page_at",
    "write_csv",
    "write_geojson",
    "write_jsonl",
]

ExportFormat = Literal["jsonl", "csv", "geojson", "acled"]

# The export contract (DESIGN.md), in order; url follows as an extra.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "id", "source", "title", "publisher", "author", "published", "published_precision",
    "published_after", "published_before", "published_after_basis", "published_before_basis",
    "language", "text", "duplicate_of", "url",
)  # fmt: skip

EVENT_FIELDS: tuple[str, ...] = (
    "id", "doc_id", "source", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "date", "fatalities", "wounded", "arrested", "kidnapped", "text", "span", "confidence",
    "corroborated_by", "page", "cluster_id", "evidence",
)  # fmt: skip
LOCATION_FIELDS: tuple[str, ...] = (
    "name", "canonical", "geonameid", "lat", "lon", "country", "admin1", "precision",
)  # fmt: skip
DATE_FIELDS: tuple[str, ...] = ("start", "end", "precision")
# The claim contract, then the page it cites and the extras ledgers and reviewers need.
CLAIM_FIELDS: tuple[str, ...] = (
    "id", "doc_id", "source", "subject", "value_low", "value_high", "unit", "qualifier",
    "place", "as_of", "attributed_to", "text", "span", "page", "subject_text", "quantity_text",
    "quantity_span", "vague", "actor", "places", "attributed_text", "hedge", "confidence",
)  # fmt: skip
AS_OF_FIELDS: tuple[str, ...] = ("start", "end", "precision", "approximate")
PLACE_FIELDS: tuple[str, ...] = (
    "name", "canonical", "geonameid", "lat", "lon", "country", "admin1",
)  # fmt: skip
ENTITY_FIELDS: tuple[str, ...] = (
    "id", "kind", "canonical", "aliases", "mentions", "geonameid", "lat", "lon", "country",
    "admin1",
)  # fmt: skip


_SPAN_FIELDS = ("start", "end")
_SPANS = frozenset({"span", "quantity_span"})


def _csv_columns(fields: tuple[str, ...]) -> tuple[str, ...]:
    nested = {
        "location": LOCATION_FIELDS, "date": DATE_FIELDS, "span": _SPAN_FIELDS,
        "quantity_span": _SPAN_FIELDS, "as_of": AS_OF_FIELDS, "places": PLACE_FIELDS,
    }  # fmt: skip
    columns: list[str] = []
    for name in fields:
        if name in nested:
            columns.extend(f"{name}.{sub}" for sub in nested[name])
        else:
            columns.append(name)
    return tuple(columns)


EVENT_CSV_FIELDS: tuple[str, ...] = _csv_columns(EVENT_FIELDS)
CLAIM_CSV_FIELDS: tuple[str, ...] = _csv_columns(CLAIM_FIELDS)
ENTITY_CSV_FIELDS: tuple[str, ...] = ENTITY_FIELDS

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

_LIST_SEPARATOR = "|"
# What makes a spreadsheet read a cell as a formula (OWASP's list), and what may still
# start with a sign: numbers, alone or joined into a list ("-4.5|-1.2").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_PLAIN_NUMBERS = re.compile(rf"(?:{_NUMBER})?(?:\|(?:{_NUMBER})?)*")
_CIVILIANS = 7  # ACLED's inter code for civilians


# -- contract rows ----------------------------------------------------------------


def document_rows(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    for doc in documents:
        values = asdict(doc)
        yield {name: values[name] for name in DOCUMENT_FIELDS}


def event_rows(
    events: Iterable[Event], documents_by_id: Mapping[str, Document]
) -> Iterator[dict[str, Any]]:
    """Contract rows; ``source`` is the source of the event's document (None when the
    mapping does not hold it)."""
    for event in events:
        doc = documents_by_id.get(event.doc_id)
        location = None
        if event.location is not None:
            values = asdict(event.location)
            location = {name: values[name] for name in LOCATION_FIELDS}
        yield {
            "id": event.id, "doc_id": event.doc_id,
            "source": doc.source if doc is not None else None,
            "event_type": event.event_type, "sub_event_type": event.sub_event_type,
            "actor1": event.actor1, "actor2": event.actor2, "location": location,
            "date": {"start": event.date.start, "end": event.date.end,
                     "precision": event.date.precision},
            "fatalities": event.fatalities, "wounded": event.wounded,
            "arrested": event.arrested, "kidnapped": event.kidnapped,
            "text": event.text, "span": list(event.span), "confidence": event.confidence,
            "corroborated_by": list(event.corroborated_by),
            "page": page_at(doc, event.span[0]), "cluster_id": event.cluster_id,
            "evidence": [list(span) for span in event.evidence],
        }  # fmt: skip


def claim_rows(
    claims: Iterable[Claim], documents_by_id: Mapping[str, Document]
) -> Iterator[dict[str, Any]]:
    """Contract rows (``CLAIM_FIELDS``); ``source`` is the source of the claim's document
    (None when the mapping does not hold it). Whole values print as integers (15000,
    not 15000.0), as they were written."""
    for claim in claims:
        doc = documents_by_id.get(claim.doc_id)
        yield {
            "id": claim.id, "doc_id": claim.doc_id,
            "source": doc.source if doc is not None else None,
            "subject": claim.subject, "value_low": _whole(claim.value_low),
            "value_high": _whole(claim.value_high), "unit": claim.unit,
            "qualifier": claim.qualifier, "place": claim.place,
            "as_of": {"start": claim.as_of.start, "end": claim.as_of.end,
                      "precision": claim.as_of.precision,
                      "approximate": claim.as_of.approximate},
            "attributed_to": claim.attributed_to, "text": claim.text, "span": list(claim.span),
            "page": page_at(doc, claim.span[0]),
            "subject_text": claim.subject_text, "quantity_text": claim.quantity_text,
            "quantity_span": list(claim.quantity_span), "vague": claim.vague,
            "actor": claim.actor,
            "places": [{name: getattr(place, name) for name in PLACE_FIELDS}
                       for place in claim.places],
            "attributed_text": claim.attributed_text, "hedge": claim.hedge,
            "confidence": claim.confidence,
        }  # fmt: skip


def page_at(document: Document | None, offset: int) -> int | None:
    """The page (from 1) of a paged document (PDF) that character ``offset`` of its text
    stands on: what evidence cites ("p. 12"). None for an unpaged document, a document
    not at hand or a negative offset.

    ``ingest.pages.page_of``'s rule, without importing the ingest package (heavy, and
    an export needs none of it), and for documents read without their text too (the
    views read metadata only, ``text`` empty): the page starts alone place an offset."""
    if document is None or not document.pages or offset < 0:
        return None
    if document.text and offset > len(document.text):
        return None
    return max(1, bisect.bisect_right(document.pages, offset))


def _whole(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def entity_rows(entities: Iterable[Entity]) -> Iterator[dict[str, Any]]:
    for entity in entities:
        values = asdict(entity)
        yield {**{name: values[name] for name in ENTITY_FIELDS}, "aliases": list(entity.aliases)}


def flatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """A nested contract row as one CSV line: ``location.lat``, ``date.start``,
    ``span.start``/``span.end``; a list of objects as one column per key, each joined
    with ``|`` (``places.name``: "Hajin|Susah"); other lists joined with ``|``."""
    flat: dict[str, Any] = {}
    for name, value in row.items():
        if name in _SPANS and isinstance(value, list | tuple):
            flat[f"{name}.start"], flat[f"{name}.end"] = value
        elif name == "evidence" and isinstance(value, list | tuple):
            flat[name] = _joined(f"{start}-{end}" for start, end in value)  # "120-181|300-352"
        elif isinstance(value, Mapping):
            flat.update({f"{name}.{sub}": inner for sub, inner in value.items()})
        elif _is_objects(value):
            keys = dict.fromkeys(key for item in value for key in item)
            flat.update({f"{name}.{key}": _joined(item.get(key) for item in value)
                         for key in keys})  # fmt: skip
        elif isinstance(value, list | tuple):
            flat[name] = _joined(value)
        else:
            flat[name] = value
    return flat


def _is_objects(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _joined(values: Iterable[Any]) -> str:
    return _LIST_SEPARATOR.join("" if item is None else str(item) for item in values)


# -- writers ----------------------------------------------------------------------


def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO, *, fields: tuple[str, ...]) -> int:
    """One CSV line per row (nested rows are flattened); fields with commas, quotes
    or newlines are quoted by the csv module, so any reader gets them back whole, and
    cells a spreadsheet would run as formulas are defused (see ``_csv_cell``)."""
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in flatten(row).items()})
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    """A value as a CSV cell: None empty, booleans as JSON writes them, numbers as they
    are, and text that starts like a formula ("=HYPERLINK(...)", "@SUM(...)", "-2+3")
    behind a single quote, which spreadsheets show and do not evaluate. Plain numbers
    ("-12.5", "-4|7") keep their sign: they cannot call anything."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBERS.fullmatch(text):
        return "'" + text
    return text


def write_geojson(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A FeatureCollection, streamed: one Feature per row, the row as its properties.

    Coordinates come from an event row's ``location`` or an entity row's own ``lat`` and
    ``lon``; rows without both get ``"geometry": null`` as RFC 7946 allows."""
    out.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for row in rows:
        feature = {"type": "Feature", "id": row["id"], "geometry": _point(row), "properties": row}
        out.write(("," if count else "") + "\n" + json.dumps(feature, ensure_ascii=False,
                                                            allow_nan=False))  # fmt: skip
        count += 1
    out.write("\n]}\n")
    return count


def _point(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """An event's location, a claim's first located place, or an entity's own place."""
    if "location" in row:
        places = [row["location"]]
    elif "places" in row:
        places = list(row["places"])
    else:
        places = [row]
    for place in places:
        if place and place.get("lat") is not None and place.get("lon") is not None:
            # RFC 7946: longitude first.
            return {"type": "Point", "coordinates": [place["lon"], place["lat"]]}
    return None


# -- ACLED ------------------------------------------------------------------------

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}


@dataclass
class AcledExport:
    """ACLED rows, streamed, and the events left out by reason (filled while
    ``rows`` is consumed)."""

    rows: Iterator[dict[str, Any]]
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class _Country:
    iso3: str
    iso: int
    name: str
    region: str


def acled_rows(
    happenings: Iterable[MergedEvent],
    documents_by_id: Mapping[str, Document],
    *,
    exported_at: datetime | None = None,
) -> AcledExport:
    """Happenings (``merge_stored`` of the events) as rows of ACLED's columns
    (``ACLED_COLUMNS``) with ACLED's codes: one row however many reports, ``source``
    every outlet, ``fatalities`` the lowest figure and ``notes`` the others.

    ACLED dates every event to the day, week or month, so events whose date is unknown,
    or known only to the year, are left out and counted in ``skipped``. ``timestamp``
    is when the row was written (ACLED's meaning: the row's last update)."""
    stamp = int((exported_at or datetime.now(UTC)).timestamp())
    export = AcledExport(rows=iter(()))

    def rows() -> Iterator[dict[str, Any]]:
        for merged in happenings:
            reason = _acled_skip_reason(merged.event)
            if reason is not None:
                export.skipped[reason] += 1
                continue
            yield _acled_row(merged, documents_by_id, stamp)

    export.rows = rows()
    return export


def _acled_sources(merged: MergedEvent, documents_by_id: Mapping[str, Document]) -> str | None:
    """Every outlet that reports the happening, once each, joined as ACLED joins them."""
    found = (documents_by_id.get(doc_id) for doc_id in merged.doc_ids)
    names = dict.fromkeys(doc.publisher or doc.source for doc in found if doc is not None)
    return "; ".join(names) if names else None


def _acled_notes(merged: MergedEvent) -> str:
    """The sentence of the most confident report and, when reports differ on the toll,
    every figure they give (the row codes the lowest, as ACLED does)."""
    figures = [str(figure) for figure in merged.fatalities_reported]
    if len(figures) < 2:
        return merged.event.text
    listed = ", ".join(figures[:-1]) + f" and {figures[-1]}"
    return f"{merged.event.text} Reports give {listed} killed."


def _acled_skip_reason(event: Event) -> str | None:
    if event.date.start is None or event.date.precision == "unknown":
        return "date unknown"
    if event.date.precision not in _TIME_PRECISION:
        return "date known only to the year (ACLED dates events to the month at most)"
    return None


def _acled_row(
    merged: MergedEvent, documents_by_id: Mapping[str, Document], stamp: int
) -> dict[str, Any]:
    event = merged.event
    location = event.location
    country = _acled_country(location.country if location else None)
    day = _acled_date(event)
    inter1, inter2 = event.inter1 or 0, event.inter2 or 0
    return {
        "event_id_cnty": f"{country.iso3 if country else 'XXX'}{_acled_number(event)}",
        "event_date": day.isoformat(), "year": day.year,
        "time_precision": _time_precision(event),
        "disorder_type": disorder_type(event.sub_event_type),
        "event_type": event.event_type, "sub_event_type": event.sub_event_type,
        "actor1": event.actor1, "assoc_actor_1": event.assoc_actor1, "inter1": inter1,
        "actor2": event.actor2, "assoc_actor_2": event.assoc_actor2, "inter2": inter2,
        "interaction": interaction(event.inter1, event.inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == _CIVILIANS else None,
        "iso": country.iso if country else None,
        "region": country.region if country else None,
        "country": country.name if country else None,
        "admin1": location.admin1 if location else None,
        "admin2": location.admin2 if location else None, "admin3": None,
        "location": (location.canonical or location.name) if location else None,
        "latitude": location.lat if location else None,
        "longitude": location.lon if location else None,
        "geo_precision": location.precision if location else None,
        "source": _acled_sources(merged, documents_by_id), "source_scale": None,
        "notes": _acled_notes(merged),
        # ACLED's convention: an unreported death toll is coded 0.
        "fatalities": event.fatalities or 0, "tags": None, "timestamp": stamp,
    }  # fmt: skip


def _acled_date(event: Event) -> date:
    """The day itself, or the middle of a week or month (ACLED codes a vaguer date to
    the middle of the period)."""
    start = date.fromisoformat(event.date.start or "")
    end = date.fromisoformat(event.date.end) if event.date.end else start
    return start + timedelta(days=max((end - start).days, 0) // 2)


def _time_precision(event: Event) -> int:
    """ACLED's time precision: 1 the day, 2 a week, 3 a month or more. The width of the
    range decides (an undated report's dates are already every day they can be)."""
    if event.date.start is None:
        return 3
    end = event.date.end or event.date.start
    days = (date.fromisoformat(end) - date.fromisoformat(event.date.start)).days + 1
    by_width = 1 if days <= 1 else 2 if days <= 7 else 3
    return max(by_width, _TIME_PRECISION.get(event.date.precision, 3))


def _acled_number(event: Event) -> int:
    """A number derived from the happening's cluster id, or the event id of a happening
    only one report tells, so re-exports give the same ids."""
    identity = event.cluster_id or event.id
    return int(hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12], 16) % 10**12


@cache
def _acled_countries() -> dict[str, dict[str, Any]]:
    raw = resources.files("ember").joinpath("data/acled/regions.json").read_text("utf-8")
    countries: dict[str, dict[str, Any]] = json.loads(raw)["countries"]
    return countries


@cache
def _acled_country(alpha2: str | None) -> _Country | None:
    entry = _acled_countries().get((alpha2 or "").upper())
    if entry is None:
        return None
    record = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    iso3 = record.alpha_3 if record else entry["iso3"]
    iso = int(record.numeric) if record else int(entry["iso"])
    return _Country(iso3=iso3, iso=iso, name=entry["country"], region=entry["region"])


# -- from the store, for the CLI -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    """How many rows were written, and how many records were left out and why."""

    written: int
    skipped: dict[str, int] = field(default_factory=dict)


class StoredDocuments(Mapping[str, Document]):
    """Documents looked up in the store as events or claims need them (records come
    grouped by document, so a small cache answers nearly every lookup)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._recent: dict[str, Document | None] = {}

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._recent:
            if len(self._recent) >= 64:
                self._recent.clear()
            self._recent[doc_id] = self._store.get_document(doc_id)
        doc = self._recent[doc_id]
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def __iter__(self) -> Iterator[str]:
        return (doc.id for doc in self._store.iter_documents())

    def __len__(self) -> int:
        return self._store.count_documents()


def export_events(store: Store, out: TextIO, *, fmt: ExportFormat) -> ExportResult:
    """Write every stored event to ``out`` in ``fmt``: one row per report, or with
    ``acled`` one row per happening (its reports merged)."""
    documents = StoredDocuments(store)
    if fmt == "acled":
        export = acled_rows(merge_stored(store.iter_events()), documents)
        written = write_csv(export.rows, out, fields=ACLED_COLUMNS)
        return ExportResult(written=written, skipped=dict(export.skipped))
    rows = event_rows(store.iter_events(), documents)
    return ExportResult(written=_write(rows, out, fmt=fmt, csv_fields=EVENT_CSV_FIELDS))


def export_claims(store: Store, out: TextIO, *, fmt: ExportFormat) -> ExportResult:
    """Write every stored claim to ``out`` in ``fmt`` (jsonl, csv, or geojson placed at
    each claim's first located place; not ``acled``: ACLED rows are events)."""
    if fmt == "acled":
        raise ConfigError("the acled format holds events only: export claims as jsonl, "
                          "csv or geojson")  # fmt: skip
    rows = claim_rows(store.iter_claims(), StoredDocuments(store))
    return ExportResult(written=_write(rows, out, fmt=fmt, csv_fields=CLAIM_CSV_FIELDS))


def export_entities(store: Store, out: TextIO, *, fmt: ExportFormat) -> ExportResult:
    """Write every entity to ``out`` in ``fmt`` (not ``acled``: ACLED rows are events)."""
    if fmt == "acled":
        raise ConfigError("the acled format holds events only: export entities as jsonl, "
                          "csv or geojson")  # fmt: skip
    rows = entity_rows(store.iter_entities())
    return ExportResult(written=_write(rows, out, fmt=fmt, csv_fields=ENTITY_CSV_FIELDS))


def _write(
    rows: Iterable[dict[str, Any]], out: TextIO, *, fmt: ExportFormat, csv_fields: tuple[str, ...]
) -> int:
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "csv":
        return write_csv(rows, out, fields=csv_fields)
    if fmt == "geojson":
        return write_geojson(rows, out)
    raise ConfigError(f"unknown export format {fmt!r}: use jsonl, csv, geojson or acled")

"""An analyst's review of events and claims: accepted, rejected or edited fields, each
change in an audit trail (who, when, the old and new value).

A reviewed field is stored twice: in the record's own row, so every read (lists,
filters, exports, the report, corroboration, assessments) sees it, and in ``reviews``,
keyed by the record's id, so ``Store.add_analysis`` applies it again after every
re-analysis (``apply_reviews``): an analyser never overwrites a reviewed field. Event
and claim ids hash the document and the record's place in its text, so they are stable
across re-analysis. A rejected record keeps its rows but is left out of every read
(``visible``); ``reviewed_only`` keeps only records an analyst accepted or edited."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from ..errors import ConfigError, StoreError
from ..taxonomy import load_taxonomy
from . import derived
from ._engine import _first_line, lock_for_writing
from .schema import claims, events, review_log, reviews

if TYPE_CHECKING:
    from ._store import Store

__all__ = [
    "CLAIM_FIELDS",
    "EVENT_FIELDS",
    "REVIEWED_ONLY",
    "RecordNotFound",
    "ReviewEntry",
    "Reviews",
    "apply_reviews",
    "visible",
]

Kind = Literal["event", "claim"]
KINDS: tuple[Kind, ...] = ("event", "claim")
_TABLES: dict[str, Table] = {"event": events, "claim": claims}
_STATUS = "status"
_ACCEPTED, _REJECTED = "accepted", "rejected"
_COUNTS = ("fatalities", "wounded", "arrested", "kidnapped")
_ACTORS = ("actor1", "actor2", "assoc_actor1", "assoc_actor2")
EVENT_FIELDS = ("event_type", "sub_event_type", *_ACTORS, "place", "date", *_COUNTS)
CLAIM_FIELDS = ("subject", "value", "unit", "actor", "place", "as_of", "attributed_to")
_FIELDS: dict[str, tuple[str, ...]] = {"event": EVENT_FIELDS, "claim": CLAIM_FIELDS}
# Fields whose override is one: the type and sub-event type set both columns.
_SAME_OVERRIDE = {"event_type": "sub_event_type"}
_LOCATION = (
    "name", "start", "end", "near", "canonical", "key", "geonameid", "lat", "lon",
    "country", "admin1", "admin2", "feature", "precision",
)  # fmt: skip
_AREA_PRECISION = {"country": 3, "admin1": 3, "region": 3, "admin2": 2, "admin3": 2}
_MAX_VALUE = 200
_BLANK = frozenset({"", "-", "none", "null", "unknown"})
_DAY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(?:-|–|to|\.\.)\s*(\d[\d,]*(?:\.\d+)?))?")

_SHOWN_PLACE = re.compile(r".*\(([a-z]+:[^()]+)\)")
#: Set (per request, per command) to keep only reviewed records in every read.
REVIEWED_ONLY: ContextVar[bool] = ContextVar("ember_reviewed_only", default=False)


class RecordNotFound(StoreError):
    """No event or claim has the id given."""


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One change of the audit trail; ``old``/``new`` as shown to the analyst."""

    id: int
    kind: str
    record_id: str
    doc_id: str
    field: str
    old: Any
    new: Any
    by: str
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "record_id": self.record_id,
            "doc_id": self.doc_id, "field": self.field, "old": self.old, "new": self.new,
            "by": self.by, "at": self.at.isoformat(),
        }  # fmt: skip


# -- what every read applies ------------------------------------------------------------


def visible(table: Any, reviewed_only: bool | None = None) -> ColumnElement[bool]:
    """Rows of ``events`` or ``claims`` not rejected by a review (and, with
    ``reviewed_only``, reviewed: accepted or edited; None: as ``REVIEWED_ONLY`` says,
    for reads; what a derived table is built from passes False)."""
    kind = "event" if table is events else "claim"
    r = reviews.c
    mine = and_(r.kind == kind, r.record_id == table.c.id)
    rejected = exists().where(mine, r.field == _STATUS, r.value == json.dumps(_REJECTED))
    condition = ~rejected
    if reviewed_only or (reviewed_only is None and REVIEWED_ONLY.get()):
        condition = and_(condition, exists().where(mine))
    return condition


def apply_reviews(conn: Connection, doc_id: str) -> None:
    """Write the reviewed fields of ``doc_id``'s events and claims into their rows (after
    an analysis replaced them), inside the caller's transaction."""
    r = reviews.c
    query = select(r.kind, r.record_id, r.value).where(r.doc_id == doc_id, r.field != _STATUS)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in conn.execute(query.order_by(r.at)):
        merged.setdefault((row.kind, row.record_id), {}).update(json.loads(row.value))
    for (kind, record_id), columns in merged.items():
        table = _TABLES[kind]
        conn.execute(
            update(table).where(table.c.doc_id == doc_id, table.c.id == record_id).values(**columns)
        )


# -- reviewing -------------------------------------------------------------------------


class Reviews:
    """Accept, reject and edit events and claims of ``store``, and read the trail."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def fields(self, kind: str) -> tuple[str, ...]:
        return _FIELDS[_kind(kind)]

    def accept(self, kind: str, record_id: str, *, by: str) -> list[ReviewEntry]:
        return self._change(kind, record_id, _STATUS, _ACCEPTED, by=by)

    def reject(self, kind: str, record_id: str, *, by: str) -> list[ReviewEntry]:
        return self._change(kind, record_id, _STATUS, _REJECTED, by=by)

    def set(
        self, kind: str, record_id: str, field: str, value: str, *, by: str
    ) -> list[ReviewEntry]:
        """Set ``field`` of the record to ``value`` (text as an analyst types it: a
        sub-event type of the taxonomy, an actor name or alias, a gazetteer key or place
        name, a date, a count; blank clears it). A ConfigError names what is wrong with
        the field or value; an unknown id is a RecordNotFound. Returns the changes
        logged (none when the value is already the one stored)."""
        kind = _kind(kind)
        if field not in _FIELDS[kind]:
            raise ConfigError(
                f"no {kind} field {field!r}: choose one of {', '.join(_FIELDS[kind])}"
            )
        return self._change(kind, record_id, field, value, by=by)

    def record(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """The stored row of a record (a rejected one too), or None."""
        table = _TABLES[_kind(kind)]
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == record_id).limit(1)).first()
        return None if row is None else dict(row._mapping)

    def values(self, kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
        """Each reviewable field of a stored row as the analyst sees and types it."""
        parsers = _PARSERS[_kind(kind)]
        return {field: show(row) for field, (_parse, show) in parsers.items()}

    def state(self, kind: str, record_id: str) -> dict[str, Any]:
        """The reviewed fields of a record: field -> (shown value, by, at); ``status``
        is "accepted" or "rejected" when set."""
        r = reviews.c
        query = select(r.field, r.value, r.by, r.at).where(
            r.kind == _kind(kind), r.record_id == record_id
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        state: dict[str, Any] = {}
        for row in rows:
            value = json.loads(row.value)
            shown = value if row.field == _STATUS else None
            state[row.field] = {"value": shown, "by": row.by, "at": row.at}
        if "sub_event_type" in state:
            state.setdefault("event_type", state["sub_event_type"])
        return state

    def log(
        self,
        *,
        kind: str | None = None,
        record_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[ReviewEntry], int]:
        """The audit trail, newest first, and how many entries in all."""
        condition = _log_filter(kind, record_id)
        g = review_log.c
        count = select(func.count()).select_from(review_log).where(condition)
        query = select(review_log).where(condition).order_by(g.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            rows = conn.execute(query).all()
        return [_entry(row) for row in rows], total

    def iter_log(self) -> Iterator[ReviewEntry]:
        """Every change, oldest first, streamed in batches."""
        last = 0
        while True:
            query = select(review_log).where(review_log.c.id > last).order_by(review_log.c.id)
            with self.engine.connect() as conn:
                rows = conn.execute(query.limit(500)).all()
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            last = rows[-1].id

    def _change(
        self, kind: str, record_id: str, field: str, value: str, *, by: str
    ) -> list[ReviewEntry]:
        kind = _kind(kind)
        by = " ".join(by.split())
        if not by:
            raise ConfigError("a review needs the reviewer's name (--by NAME)")
        if len(value) > _MAX_VALUE:
            raise ConfigError(f"a value is at most {_MAX_VALUE} characters, not {len(value)}")
        table = _TABLES[kind]
        at = datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                lock_for_writing(conn)
                row = conn.execute(select(table).where(table.c.id == record_id).limit(1)).first()
                if row is None:
                    raise RecordNotFound(f"no {kind} {record_id!r}")
                current = dict(row._mapping)
                before = derived.before_analysis(conn, current["doc_id"])
                if field == _STATUS:
                    columns: dict[str, Any] = {}
                    old = self._status(conn, kind, record_id)
                    new: Any = value
                else:
                    parse, show = _PARSERS[kind][field]
                    if " ".join(value.split()) == _as_text(show(current)):
                        return []  # a form posting back what it was shown
                    columns = parse(value, current)
                    old, new = show(current), show({**current, **columns})
                if old == new:
                    return []
                key = _SAME_OVERRIDE.get(field, field)
                stored = columns if field != _STATUS else value
                _upsert(conn, kind, record_id, current["doc_id"], key, stored, by, at)
                if columns:
                    conn.execute(update(table).where(table.c.id == record_id).values(**columns))
                result = conn.execute(insert(review_log).values(
                    kind=kind, record_id=record_id, doc_id=current["doc_id"], field=field,
                    old=json.dumps(old, ensure_ascii=False),
                    new=json.dumps(new, ensure_ascii=False), by=by, at=at,
                ))  # fmt: skip
                key_row = result.inserted_primary_key
                entry_id = int(key_row[0]) if key_row else 0
                _refresh_derived(conn, current["doc_id"], before)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store the review of {record_id}: {_first_line(exc)}") from exc
        return [ReviewEntry(entry_id, kind, record_id, current["doc_id"], field, old, new, by, at)]

    @staticmethod
    def _status(conn: Connection, kind: str, record_id: str) -> str | None:
        r = reviews.c
        query = select(r.value).where(r.kind == kind, r.record_id == record_id, r.field == _STATUS)
        value = conn.execute(query).scalar_one_or_none()
        return None if value is None else str(json.loads(value))


def _refresh_derived(conn: Connection, doc_id: str, before: Any) -> None:
    """The merged events and ledger groups ``doc_id``'s records are in, redone after a
    review changed one of them (as after an analysis of the document)."""
    from ._store import claim_from_row

    query = select(claims).where(claims.c.doc_id == doc_id).order_by(claims.c.row)
    now = [claim_from_row(dict(row._mapping)) for row in conn.execute(query)]
    derived.after_analysis(conn, doc_id, before, now)


def _as_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ConfigError(f"no record kind {kind!r}: choose event or claim")
    return kind


def _upsert(
    conn: Connection, kind: str, record_id: str, doc_id: str, field: str, value: Any,
    by: str, at: datetime,
) -> None:  # fmt: skip
    r = reviews.c
    conn.execute(delete(reviews).where(
        r.kind == kind, r.record_id == record_id, r.field == field
    ))  # fmt: skip
    conn.execute(insert(reviews).values(
        kind=kind, record_id=record_id, field=field, doc_id=doc_id,
        value=json.dumps(value, ensure_ascii=False), by=by, at=at,
    ))  # fmt: skip


def _log_filter(kind: str | None, record_id: str | None) -> ColumnElement[bool]:
    g = review_log.c
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(g.kind == _kind(kind))
    if record_id is not None:
        conditions.append(g.record_id == record_id)
    return and_(True, *conditions)


def _entry(row: Any) -> ReviewEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return ReviewEntry(
        row.id, row.kind, row.record_id, row.doc_id, row.field,
        json.loads(row.old) if row.old is not None else None,
        json.loads(row.new) if row.new is not None else None, row.by, at,
    )  # fmt: skip


# -- fields: text as typed -> columns, and columns -> the value shown ---------------------

Row = Mapping[str, Any]
Parser = Callable[[str, Row], dict[str, Any]]
Shower = Callable[[Row], Any]


def _blank(value: str) -> bool:
    return value.strip().casefold() in _BLANK


def _sub_event_type(value: str, _row: Row) -> dict[str, Any]:
    taxonomy = load_taxonomy()
    wanted = value.strip()
    subs = {sub.casefold(): sub for sub in taxonomy.sub_to_event}
    sub = subs.get(wanted.casefold())
    if sub is None:
        raise ConfigError(f"no sub-event type {wanted!r} in ACLED's taxonomy")
    return {"sub_event_type": sub, "event_type": taxonomy.sub_to_event[sub]}


def _event_type(value: str, row: Row) -> dict[str, Any]:
    taxonomy = load_taxonomy()
    types = {name.casefold(): name for name in taxonomy.event_to_subs}
    event_type = types.get(value.strip().casefold())
    if event_type is None:
        raise ConfigError(
            f"no event type {value.strip()!r}: choose one of {', '.join(taxonomy.event_to_subs)}"
        )
    subs = taxonomy.event_to_subs[event_type]
    if row["sub_event_type"] not in subs:
        raise ConfigError(
            f"sub-event type {row['sub_event_type']!r} is not a kind of {event_type!r}: "
            f"set sub_event_type to one of {', '.join(subs)}"
        )
    return {"event_type": event_type, "sub_event_type": row["sub_event_type"]}


def _show_type(row: Row) -> str:
    return f"{row['event_type']} / {row['sub_event_type']}"


def _actor_parser(column: str, inter: str | None) -> Parser:
    def parse(value: str, _row: Row) -> dict[str, Any]:
        if _blank(value):
            return {column: None, **({inter: None} if inter else {})}
        name, code = canonical_actor(value)
        return {column: name, **({inter: code} if inter and code is not None else {})}

    return parse


def canonical_actor(value: str) -> tuple[str, int | None]:
    """The canonical name an actor alias stands for ("Daesh" -> "Islamic State") and
    its inter code; the name as typed (spaces tidied) when the table lacks it."""
    from ..nlp.fold import fold

    name = " ".join(value.split())
    aliases, inters = _actor_aliases()
    canonical = aliases.get(fold(name), name)
    return canonical, inters.get(canonical)


@cache
def _actor_aliases() -> tuple[dict[str, str], dict[str, int]]:
    """Folded alias -> canonical name, and canonical name -> inter code, of the actors in
    ``data/actors/actors.jsonl``."""
    from ..nlp.fold import fold

    aliases: dict[str, str] = {}
    inters: dict[str, int] = {}
    text = resources.files("ember").joinpath("data/actors/actors.jsonl").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        inters[row["name"]] = int(row["inter"])
        for alias in [row["name"], *row.get("aliases", [])]:
            aliases.setdefault(fold(alias), row["name"])
    return aliases, inters


def _shower(column: str) -> Shower:
    return lambda row: row[column]


def _count_parser(column: str) -> Parser:
    def parse(value: str, _row: Row) -> dict[str, Any]:
        if _blank(value):
            return {column: None}
        text = value.strip().replace(",", "")
        if not text.isdigit() or len(text) > 12:
            raise ConfigError(f"{column} must be a whole number of at least 0, not {value!r}")
        return {column: int(text)}

    return parse


def _date_columns(value: str, prefix: str) -> dict[str, Any]:
    if _blank(value):
        return {f"{prefix}_start": None, f"{prefix}_end": None,
                f"{prefix}_precision": "unknown", f"{prefix}_approximate": False}  # fmt: skip
    parts = [part.strip() for part in re.split(r"\.\.|/", value.strip(), maxsplit=1)]
    start, end = _day(parts[0]), _day(parts[-1], last=True)
    if start > end:
        raise ConfigError(f"the date range {value!r} ends before it starts")
    precision = _precision(parts[0]) if len(parts) == 1 else "day"
    return {f"{prefix}_start": start.isoformat(), f"{prefix}_end": end.isoformat(),
            f"{prefix}_precision": precision, f"{prefix}_approximate": False}  # fmt: skip


def _day(text: str, *, last: bool = False) -> date:
    if not _DAY.fullmatch(text):
        raise ConfigError(f"a date is YYYY, YYYY-MM or YYYY-MM-DD (or A..B), not {text!r}")
    pieces = [int(p) for p in text.split("-")]
    try:
        if len(pieces) == 3:
            return date(pieces[0], pieces[1], pieces[2])
        if len(pieces) == 2:
            if not last:
                return date(pieces[0], pieces[1], 1)
            following = date(pieces[0] + pieces[1] // 12, pieces[1] % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(pieces[0], 12, 31) if last else date(pieces[0], 1, 1)
    except ValueError as exc:
        raise ConfigError(f"no such date {text!r}: {exc}") from exc


def _precision(text: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(text.split("-"))]


def _show_date(prefix: str) -> Shower:
    def show(row: Row) -> str | None:
        start, end = row[f"{prefix}_start"], row[f"{prefix}_end"]
        if start is None:
            return None
        return start if end in (None, start) else f"{start}..{end}"

    return show


def place_location(value: str) -> dict[str, Any]:
    """A gazetteer entry as ``Location`` fields: ``value`` is its key
    ("geonames:163843", "curated:baghouz") or a name the gazetteer knows (its best
    exact match). A ConfigError when the gazetteer has neither."""
    from ..geo import load_gazetteer

    gazetteer = load_gazetteer()
    text = " ".join(value.split())
    shown = _SHOWN_PLACE.fullmatch(text)  # "Baghuz (curated:baghouz)", as a page shows it
    if shown:
        text = shown.group(1)
    place = gazetteer.place(text) if ":" in text else None
    if place is None:
        candidates = [c for c in gazetteer.lookup(text) if c.exact or c.main]
        candidates.sort(key=lambda c: (not c.exact, -(c.place.population or 0)))
        place = candidates[0].place if candidates else None
    if place is None:
        raise ConfigError(f"no place {text!r} in the gazetteer: give its name or key")
    return {
        "name": place.name, "start": None, "end": None, "near": False,
        "canonical": place.name, "key": place.key, "geonameid": place.geonameid,
        "lat": place.lat, "lon": place.lon, "country": place.country,
        "admin1": place.admin1, "admin2": place.admin2, "feature": place.feature,
        "precision": _AREA_PRECISION.get(place.feature or "", 1),
    }  # fmt: skip


def _event_place(value: str, _row: Row) -> dict[str, Any]:
    if _blank(value):
        return {f"loc_{name}": None for name in _LOCATION}
    return {f"loc_{name}": v for name, v in place_location(value).items()}


def _show_place(row: Row) -> str | None:
    if row["loc_name"] is None:
        return None
    name = row["loc_canonical"] or row["loc_name"]
    return f"{name} ({row['loc_key']})" if row["loc_key"] else name


def _claim_place(value: str, _row: Row) -> dict[str, Any]:
    if _blank(value):
        return {"places": "[]", "place": None, **{f"loc_{n}": None for n in _LOCATION}}
    location = place_location(value)
    return {
        "places": json.dumps([location], ensure_ascii=False), "place": location["canonical"],
        **{f"loc_{name}": v for name, v in location.items()},
    }  # fmt: skip


def _show_claim_place(row: Row) -> str | None:
    places = json.loads(row["places"] or "[]")
    names = [p.get("canonical") or p["name"] for p in places]
    keys = [p.get("key") for p in places]
    if not names:
        return None
    shown = "; ".join(names)
    return f"{shown} ({'; '.join(k for k in keys if k)})" if any(keys) else shown


@cache
def _subjects() -> tuple[str, ...]:
    raw = json.loads(
        resources.files("ember").joinpath("data/claims/subjects.json").read_text("utf-8")
    )
    return (*(entry["name"] for entry in raw["subjects"]), "other")


def _subject(value: str, _row: Row) -> dict[str, Any]:
    wanted = " ".join(value.split()).casefold()
    for subject in _subjects():
        if subject.casefold() == wanted:
            return {"subject": subject}
    raise ConfigError(f"no claim subject {value.strip()!r}: choose one of {', '.join(_subjects())}")


def _value(value: str, _row: Row) -> dict[str, Any]:
    match = _FIGURE.fullmatch(value.strip())
    if match is None:
        raise ConfigError(
            f"a claim's value is a figure or a range (1200, 1200-1500), not {value!r}"
        )
    low = float(match.group(1).replace(",", ""))
    high = float((match.group(2) or match.group(1)).replace(",", ""))
    if low > high or high > 2**53:
        raise ConfigError(f"the range {value!r} must run low to high, below 2**53")
    return {"value_low": low, "value_high": high, "vague": False}


def _show_value(row: Row) -> str:
    low, high = _figure(row["value_low"]), _figure(row["value_high"])
    return low if low == high else f"{low}-{high}"


def _figure(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _text_parser(column: str, *, required: bool = False, actor: bool = False) -> Parser:
    def parse(value: str, _row: Row) -> dict[str, Any]:
        if _blank(value):
            if required:
                raise ConfigError(f"{column} cannot be blank")
            return {column: None}
        text = " ".join(value.split())
        return {column: canonical_actor(text)[0] if actor else text}

    return parse


_PARSERS: dict[str, dict[str, tuple[Parser, Shower]]] = {
    "event": {
        "event_type": (_event_type, _show_type),
        "sub_event_type": (_sub_event_type, _show_type),
        **{
            column: (_actor_parser(column, inter), _shower(column))
            for column, inter in zip(_ACTORS, ("inter1", "inter2", None, None), strict=True)
        },
        "place": (_event_place, _show_place),
        "date": (lambda value, _row: _date_columns(value, "date"), _show_date("date")),
        **{column: (_count_parser(column), _shower(column)) for column in _COUNTS},
    },
    "claim": {
        "subject": (_subject, _shower("subject")),
        "value": (_value, _show_value),
        "unit": (_text_parser("unit", required=True), _shower("unit")),
        "actor": (_text_parser("actor", actor=True), _shower("actor")),
        "place": (_claim_place, _show_claim_place),
        "as_of": (lambda value, _row: _date_columns(value, "as_of"), _show_date("as_of")),
        "attributed_to": (_text_parser("attributed_to"), _shower("attributed_to")),
    },
}

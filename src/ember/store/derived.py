"""Derived tables: what the views show across documents, kept in the store so that a
view reads a page of it instead of recomputing it from every event and claim.

- ``merged_events``: one row per happening, as ``analyze.corroborate.merge_stored``
  makes them from the stored events (a cluster, or an event of no cluster): its members
  as stored rows, and the merged event's type, dates, period keys, point and figures as
  columns to filter, order, count and map by. Always exact: ``Store.add_analysis`` redoes
  the groups its document was and is part of, in its own transaction;
  ``Store.set_corroboration`` rebuilds the table, streamed in group order.
- ``ledger_groups``: one row per group of the claims ledger (subject term, actor,
  scope): its counts, the subjects its claims name, and its JSON (``ledger_json`` of
  the group at the default window, with the readers' value and date texts, at most
  ``GROUP_ENTRIES`` estimates). ``Store.add_analysis`` marks the groups its claims were
  and are in stale; ``refresh_ledger`` recomputes the stale ones (corroboration does
  at the end of every analysis; a reader that finds stale groups computes them itself).

Reads for the views (pages of documents without their text, document metadata) live
here too: they are what the web app and the report ask of a large store.

What goes in the tables is computed by the analyze stage (merging a happening's reports,
the claims ledger), which comes after the store in the flow: it hands its functions in
as a ``Derivation`` (``register``; ``ember.analyze`` does so when imported), so that
the store keeps the tables in step inside its own write transactions without importing
a later stage."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from ..errors import StoreError
from ..records import Claim, DateRange, Document, Event
from ._review import visible
from .schema import claims as claim_table
from .schema import documents, ledger_groups, merged_events
from .schema import events as event_table

if TYPE_CHECKING:
    from ._store import Store

__all__ = [
    "GROUP_ENTRIES",
    "AnalysisBefore",
    "Derivation",
    "LedgerGroupRow",
    "MergedFilters",
    "StoredHappening",
    "after_analysis",
    "after_corroboration",
    "before_analysis",
    "document_metadata",
    "documents_page",
    "iter_merged",
    "ledger_group_rows",
    "map_cells",
    "merged_count",
    "merged_page",
    "merged_type_counts",
    "period_counts",
    "rebuild_all",
    "rebuild_merged",
    "refresh_ledger",
    "register",
    "start_day_range",
]

#: The most estimates a stored ledger group shows (the first, in ledger order).
GROUP_ENTRIES = 200
#: Ledger groups of at most this many claims are recomputed with every analysis that
#: changes them; larger ones once the run ends (``after_corroboration``).
SMALL_GROUP = 100
_BATCH = 500
_SEP = "\n"  # between the folded names of a merged event's members
_META_FIELDS = tuple(f.name for f in fields(Document) if f.name != "text")


class Derivation(Protocol):
    """How the derived tables' contents are computed (``ember.analyze.views``)."""

    def merged_event(self, key: str, members: list[Event]) -> tuple[Event, tuple[str, ...]]:
        """The happening ``members`` report, and the documents that report it."""
        ...

    def start_day(self, when: DateRange) -> date | None:
        """The first day of ``when``; None when undated."""
        ...

    def period_key(self, when: DateRange, period: str) -> str | None:
        """The week or month key ``when`` falls in (None: undated or coarser)."""
        ...

    def compare_as(self) -> Mapping[str, str]:
        """Claim subject → the ledger term it is compared as."""
        ...

    def ledger_group(
        self,
        claims: list[Claim],
        documents: Mapping[str, Document],
        *,
        filters: Any,
        window_days: int | None,
        entries: int,
    ) -> tuple[dict[str, Any], int, int, int] | None:
        """The ledger group ``claims`` make: (its JSON with at most ``entries``
        estimates, claims kept, estimates, estimates in conflict); None when no claim
        is kept."""
        ...


_REGISTERED: list[Derivation] = []


def register(derivation: Derivation) -> None:
    """Use ``derivation`` for the derived tables from now on."""
    _REGISTERED[:] = [derivation]
    _TERMS.clear()


def _derivation() -> Derivation:
    if not _REGISTERED:
        raise StoreError(
            "the derived views need the analyze stage: import ember.analyze before writing"
        )
    return _REGISTERED[0]


@dataclass(frozen=True, slots=True)
class StoredHappening:
    """A merged event as stored: its key and its member events (``analyze.corroborate.
    merge_events`` turns them into the merged event)."""

    key: str
    members: tuple[Event, ...]


def _key_of(row: Mapping[str, Any]) -> str:
    """The group an event row belongs to, as ``merge_stored`` groups them."""
    return str(row["cluster_id"] or f"{row['doc_id']}:{row['id']}")


# -- merged events: writing ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnalysisBefore:
    """What a document's analysis replaces: the clusters its events were in, their
    stand-alone keys, and the ledger groups of its claims."""

    clusters: frozenset[str]
    alone: frozenset[str]
    claim_groups: frozenset[tuple[str, str | None, str | None]]


def before_analysis(conn: Connection, doc_id: str) -> AnalysisBefore:
    ev, c = event_table.c, claim_table.c
    rows = conn.execute(select(ev.cluster_id, ev.doc_id, ev.id).where(ev.doc_id == doc_id)).all()
    claims = conn.execute(select(c.subject, c.actor, c.place).where(c.doc_id == doc_id)).all()
    return AnalysisBefore(
        clusters=frozenset(r.cluster_id for r in rows if r.cluster_id),
        alone=frozenset(f"{r.doc_id}:{r.id}" for r in rows if not r.cluster_id),
        claim_groups=frozenset((r.subject, r.actor, r.place) for r in claims),
    )


def after_analysis(
    conn: Connection, doc_id: str, before: AnalysisBefore, claims: Sequence[Claim]
) -> None:
    """Bring the derived tables in step with ``doc_id``'s new analysis (just written in
    ``conn``'s transaction): its merged events and those of the clusters it was or is in
    are redone; the ledger groups of its old and new claims are marked stale."""
    ev = event_table.c
    now = conn.execute(select(ev.cluster_id).where(ev.doc_id == doc_id)).scalars().all()
    clusters = sorted(before.clusters | {cluster for cluster in now if cluster})
    old_keys = sorted(before.alone | set(clusters))
    for at in range(0, len(old_keys), _BATCH):
        conn.execute(
            delete(merged_events).where(merged_events.c.key.in_(old_keys[at : at + _BATCH]))
        )
    for at in range(0, len(clusters), _BATCH):
        query = select(event_table).where(
            ev.cluster_id.in_(clusters[at : at + _BATCH]), visible(event_table, False)
        )
        _insert_merged(conn, _grouped(conn.execute(query.order_by(ev.row))))
    alone = select(event_table).where(
        ev.doc_id == doc_id, ev.cluster_id.is_(None), visible(event_table, False)
    )
    _insert_merged(conn, _grouped(conn.execute(alone.order_by(ev.row))))
    groups = set(before.claim_groups) | {(c.subject, c.actor, c.place) for c in claims}
    small = _mark_stale(conn, groups)
    refresh_ledger(conn, small)


def after_corroboration(conn: Connection) -> None:
    """The end of an analysis run: merged events rebuilt from the new clusters, and the
    ledger groups left stale (the large ones) recomputed."""
    rebuild_merged(conn)
    refresh_ledger(conn)


def _grouped(rows: Iterable[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(key, member rows) for rows of any order, each group's members by ``row``."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        mapping = dict(row._mapping)
        groups.setdefault(_key_of(mapping), []).append(mapping)
    for key, members in groups.items():
        yield key, sorted(members, key=lambda m: int(m["row"]))


def _insert_merged(conn: Connection, groups: Iterable[tuple[str, list[dict[str, Any]]]]) -> int:
    batch: list[dict[str, Any]] = []
    count = 0
    for key, members in groups:
        batch.append(_merged_values(key, members))
        if len(batch) >= _BATCH:
            conn.execute(insert(merged_events), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(insert(merged_events), batch)
        count += len(batch)
    return count


def _folded(names: Iterable[str | None]) -> str:
    return _SEP.join(dict.fromkeys(n.casefold() for n in names if n))


def _merged_values(key: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    from ._store import event_from_row

    derivation = _derivation()
    events = [event_from_row(row) for row in members]
    event, doc_ids = derivation.merged_event(key, events)
    location = event.location
    located = location is not None and location.lat is not None and location.lon is not None
    first = derivation.start_day(event.date)
    return {
        "key": key,
        "first_row": int(members[0]["row"]),
        "event_type": event.event_type,
        "date_start": event.date.start,
        "date_end": event.date.end,
        "start_day": first.isoformat() if first else None,
        "week": derivation.period_key(event.date, "week"),
        "month": derivation.period_key(event.date, "month"),
        "lat": location.lat if located and location else None,
        "lon": location.lon if located and location else None,
        "fatalities": event.fatalities,
        "reports": len(doc_ids),
        "doc_ids": json.dumps(list(doc_ids)),
        "actors": _folded(name for e in events for name in (e.actor1, e.actor2)),
        "places": _folded(
            name
            for e in events
            if e.location is not None
            for name in (e.location.name, e.location.canonical, e.location.admin1)
        ),
        "members": json.dumps(members, ensure_ascii=False, default=str),
    }


def rebuild_merged(conn: Connection) -> int:
    """Every merged event again from the stored events (after corroboration rewrote the
    clusters), read a page of clusters, then of lone events, at a time so memory does
    not grow with the store. Pages, not one streamed query: PostgreSQL cannot write on
    a connection while a server-side cursor reads from it."""
    ev = event_table.c
    conn.execute(delete(merged_events))
    count = 0
    last_cluster = ""
    while True:
        page = select(ev.cluster_id).where(ev.cluster_id > last_cluster).distinct()
        clusters = conn.execute(page.order_by(ev.cluster_id).limit(_BATCH)).scalars().all()
        if not clusters:
            break
        members = select(event_table).where(
            ev.cluster_id.in_(clusters), visible(event_table, False)
        )
        count += _insert_merged(conn, _grouped(conn.execute(members.order_by(ev.row))))
        last_cluster = clusters[-1]
    last_row = 0
    while True:
        alone = select(event_table).where(
            ev.cluster_id.is_(None), ev.row > last_row, visible(event_table, False)
        )
        rows = conn.execute(alone.order_by(ev.row).limit(_BATCH)).all()
        if not rows:
            break
        count += _insert_merged(conn, _grouped(rows))
        last_row = rows[-1].row
    return count


# -- merged events: reading ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class MergedFilters:
    """The merged view's filters, with the meaning ``web._data`` gives them: a happening
    matches when its merged type is ``event_type``, any report is of ``doc_id``, names
    an actor or place holding ``actor``/``place`` (ignoring case), and its merged date
    overlaps ``since``..``until``."""

    event_type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: date | None = None
    until: date | None = None
    doc_id: str | None = None
    located: bool = False
    #: west, south, east, north: located events inside it only.
    bbox: tuple[float, float, float, float] | None = None


def _merged_condition(filters: MergedFilters) -> ColumnElement[bool]:
    m = merged_events.c
    conditions: list[ColumnElement[bool]] = []
    if filters.event_type is not None:
        conditions.append(m.event_type == filters.event_type)
    if filters.doc_id is not None:
        conditions.append(m.doc_ids.contains(json.dumps(filters.doc_id), autoescape=True))
    for column, part in ((m.actors, filters.actor), (m.places, filters.place)):
        if part is None:
            continue
        if _SEP in part:
            conditions.append(literal(False))
        else:
            conditions.append(column.contains(part.casefold(), autoescape=True))
    if filters.since is not None or filters.until is not None:
        conditions.append(m.date_start.is_not(None))
    if filters.since is not None:
        conditions.append(func.coalesce(m.date_end, m.date_start) >= filters.since.isoformat())
    if filters.until is not None:
        conditions.append(m.date_start <= filters.until.isoformat())
    if filters.located or filters.bbox is not None:
        conditions.append(and_(m.lat.is_not(None), m.lon.is_not(None)))
    if filters.bbox is not None:
        west, south, east, north = filters.bbox
        conditions.append(m.lat.between(south, north))
        # A box across the antimeridian has its west edge east of its east edge.
        if west <= east:
            conditions.append(m.lon.between(west, east))
        else:
            conditions.append(or_(m.lon >= west, m.lon <= east))
    return and_(True, *conditions)


@dataclass(frozen=True, slots=True)
class MapCells:
    """Located merged events counted per map cell: ``count`` in all, and one GeoJSON
    point feature per cell (at the mean of its events) with ``cluster: true``,
    ``count``, ``types`` {type: n} and ``fatalities`` (the sum of the lowest figures)."""

    count: int
    features: list[dict[str, Any]]


def map_cells(store: Store, filters: MergedFilters, *, target: int) -> MapCells:
    """The located events of ``filters`` in a grid of square cells, as few cells as
    keep their number under about ``target``."""
    m = merged_events.c
    condition = _merged_condition(replace(filters, located=True))
    extent = select(
        func.count(), func.min(m.lat), func.max(m.lat), func.min(m.lon), func.max(m.lon)
    )
    with store.engine.connect() as conn:
        count, south, north, west, east = conn.execute(extent.where(condition)).one()
        if not count:
            return MapCells(0, [])
        span = max(float(north) - float(south), float(east) - float(west), 1e-6)
        size = span / max(int(target**0.5) - 1, 1)
        row = func.cast((m.lat - south) / size, Integer)
        col = func.cast((m.lon - west) / size, Integer)
        query = (
            select(
                row.label("r"), col.label("c"), m.event_type, func.count().label("n"),
                func.sum(m.lat).label("lat"), func.sum(m.lon).label("lon"),
                func.sum(m.fatalities).label("dead"),
            )
            .where(condition)
            .group_by(row, col, m.event_type)
        )  # fmt: skip
        cells: dict[tuple[int, int], dict[str, Any]] = {}
        for r in conn.execute(query):
            cell = cells.setdefault(
                (int(r.r), int(r.c)), {"n": 0, "lat": 0.0, "lon": 0.0, "dead": 0, "types": {}}
            )
            cell["n"] += int(r.n)
            cell["lat"] += float(r.lat)
            cell["lon"] += float(r.lon)
            cell["dead"] += int(r.dead or 0)
            cell["types"][str(r.event_type)] = int(r.n)
    features = [
        {
            "type": "Feature",
            "id": f"cell:{i}:{j}",
            "geometry": {
                "type": "Point",
                "coordinates": [round(c["lon"] / c["n"], 5), round(c["lat"] / c["n"], 5)],
            },
            "properties": {
                "id": f"cell:{i}:{j}",
                "cluster": True,
                "count": c["n"],
                "types": c["types"],
                "fatalities": c["dead"],
            },
        }
        for (i, j), c in sorted(cells.items(), key=lambda item: -item[1]["n"])
    ]
    return MapCells(int(count), features)


def _happening(row: Any) -> StoredHappening:
    from ._store import event_from_row

    members = tuple(event_from_row(member) for member in json.loads(row.members))
    return StoredHappening(row.key, members)


def merged_page(
    store: Store, filters: MergedFilters, *, limit: int, offset: int, newest_first: bool = False
) -> tuple[list[StoredHappening], int]:
    """One page of merged events in ``merge_stored``'s order (with ``newest_first``, by
    date, latest first, undated last), and how many match."""
    m = merged_events.c
    condition = _merged_condition(filters)
    count = select(func.count()).select_from(merged_events).where(condition)
    by_date = [m.date_start.desc().nulls_last(), m.date_end.desc().nulls_last()]
    query = (
        select(m.key, m.members)
        .where(condition)
        .order_by(*(by_date if newest_first else []), m.first_row)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = int(conn.execute(count).scalar_one())
        rows = conn.execute(query).all() if total > offset else []
    return [_happening(row) for row in rows], total


def merged_count(store: Store, filters: MergedFilters | None = None) -> tuple[int, int]:
    """How many merged events match, and how many of them several documents report."""
    m = merged_events.c
    condition = _merged_condition(filters or MergedFilters())
    query = select(func.count(), func.count().filter(m.reports > 1)).where(condition)
    with store.engine.connect() as conn:
        total, corroborated = conn.execute(query.select_from(merged_events)).one()
    return int(total), int(corroborated or 0)


def iter_merged(
    store: Store,
    filters: MergedFilters | None = None,
    *,
    order_by_size: bool = False,
    limit: int | None = None,
) -> Iterator[StoredHappening]:
    """Merged events in ``merge_stored``'s order (or, with ``order_by_size``, most
    fatalities first), streamed in batches; at most ``limit``."""
    m = merged_events.c
    condition = _merged_condition(filters or MergedFilters())
    order = [m.fatalities.desc().nulls_last(), m.first_row] if order_by_size else [m.first_row]
    taken = 0
    at = 0
    while limit is None or taken < limit:
        size = _BATCH if limit is None else min(_BATCH, limit - taken)
        query = select(m.key, m.members).where(condition).order_by(*order).limit(size).offset(at)
        with store.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield _happening(row)
        taken += len(rows)
        at += len(rows)
        if len(rows) < size:
            return


def merged_type_counts(store: Store) -> dict[str, int]:
    """Merged events per event type."""
    m = merged_events.c
    query = select(m.event_type, func.count()).group_by(m.event_type)
    with store.engine.connect() as conn:
        return {str(kind): int(n) for kind, n in conn.execute(query)}


def period_counts(store: Store, period: str) -> tuple[dict[str, dict[str, int]], int, int]:
    """Merged events per ``period`` ("week" or "month") key and type, the undated ones
    and those dated too coarsely for the period (``analyze.trends.event_counts``)."""
    m = merged_events.c
    column = m.week if period == "week" else m.month
    query = (
        select(column, m.event_type, func.count())
        .where(column.is_not(None))
        .group_by(column, m.event_type)
    )
    undated = select(func.count()).select_from(merged_events).where(m.start_day.is_(None))
    coarse = (
        select(func.count())
        .select_from(merged_events)
        .where(m.start_day.is_not(None), column.is_(None))
    )
    placed: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        for key, kind, n in conn.execute(query):
            placed.setdefault(str(key), {})[str(kind)] = int(n)
        return (
            placed,
            int(conn.execute(undated).scalar_one()),
            int(conn.execute(coarse).scalar_one()),
        )


def start_day_range(store: Store) -> tuple[str | None, str | None]:
    m = merged_events.c
    with store.engine.connect() as conn:
        first, last = conn.execute(select(func.min(m.start_day), func.max(m.start_day))).one()
    return first, last


def timeline_events(store: Store, *, limit: int) -> tuple[list[dict[str, Any]], int]:
    """(id, type, week, month) of merged events in order, at most ``limit``, and how many
    there are."""
    m = merged_events.c
    query = select(m.key, m.event_type, m.week, m.month).order_by(m.first_row).limit(limit)
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(merged_events)).scalar_one())
        rows = conn.execute(query).all()
    items = [{"id": r.key, "type": r.event_type, "week": r.week, "month": r.month} for r in rows]
    return items, total


# -- the claims ledger ---------------------------------------------------------------------

GroupKey = tuple[str, str | None, str | None]


def _group_id(term: str, actor: str | None, scope: str | None) -> str:
    text = json.dumps([term, actor, scope], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_TERMS: dict[str, Mapping[str, str]] = {}


def _terms() -> Mapping[str, str]:
    if "terms" not in _TERMS:
        _TERMS["terms"] = dict(_derivation().compare_as())
    return _TERMS["terms"]


def _mark_stale(
    conn: Connection, groups: Iterable[tuple[str, str | None, str | None]]
) -> list[str]:
    """Mark the ledger groups of claims with these (subject, actor, place) stale,
    adding a row for a group not stored yet. Returns the keys of those small enough
    (``SMALL_GROUP`` claims at most) to be recomputed at once."""
    terms = _terms()
    wanted: dict[str, GroupKey] = {}
    for subject, actor, place in groups:
        term = terms.get(subject, subject)
        wanted[_group_id(term, actor, place)] = (term, actor, place)
    if not wanted:
        return []
    g = ledger_groups.c
    ids = sorted(wanted)
    known: set[str] = set()
    small: list[str] = []
    for at in range(0, len(ids), _BATCH):
        chunk = ids[at : at + _BATCH]
        for key, claims in conn.execute(select(g.key, g.claims).where(g.key.in_(chunk))):
            known.add(key)
            if claims <= SMALL_GROUP:
                small.append(key)
        conn.execute(update(ledger_groups).where(g.key.in_(chunk)).values(stale=True))
    new = [
        {"key": key, "subject": term, "actor": actor, "scope": scope, "subjects": "[]",
         "claims": 0, "entries": 0, "conflicts": 0, "stale": True, "data": None}
        for key, (term, actor, scope) in wanted.items()
        if key not in known
    ]  # fmt: skip
    if new:
        conn.execute(insert(ledger_groups), new)
    return small + [key for key in wanted if key not in known]


def _group_claims(conn: Connection, term: str, actor: str | None, scope: str | None) -> list[Claim]:
    from ._store import claim_from_row

    terms = _terms()
    subjects = {s for s, t in terms.items() if t == term}
    if terms.get(term, term) == term:
        subjects.add(term)
    c = claim_table.c
    query = select(claim_table).where(
        visible(claim_table, False),
        c.subject.in_(sorted(subjects)),
        c.actor.is_(None) if actor is None else c.actor == actor,
        c.place.is_(None) if scope is None else c.place == scope,
    )
    rows = conn.execute(query.order_by(c.row)).all()
    return [claim_from_row(dict(row._mapping)) for row in rows]


def document_metadata(conn: Connection, doc_ids: Iterable[str]) -> dict[str, Document]:
    """The documents of ``doc_ids`` without their text (``text`` is empty)."""
    wanted = sorted(set(doc_ids))
    found: dict[str, Document] = {}
    columns = [documents.c[name] for name in _META_FIELDS]
    for at in range(0, len(wanted), _BATCH):
        query = select(*columns).where(documents.c.id.in_(wanted[at : at + _BATCH]))
        for row in conn.execute(query):
            found[row.id] = Document(text="", **row._mapping)
    return found


@dataclass(frozen=True, slots=True)
class LedgerGroupRow:
    """A stored ledger group: its key, counts, subjects and JSON (None: not computed)."""

    key: str
    subject: str
    actor: str | None
    scope: str | None
    subjects: tuple[str, ...]
    claims: int
    entries: int
    conflicts: int
    stale: bool
    data: dict[str, Any] | None


def compute_group(
    conn: Connection,
    term: str,
    actor: str | None,
    scope: str | None,
    *,
    filters: Any = None,
    window_days: int | None = None,
) -> tuple[dict[str, Any], int, int, int, tuple[str, ...]] | None:
    """One ledger group from its stored claims: (JSON, claims kept, estimates,
    estimates in conflict, subjects); None when no claim of it is kept."""
    claims = _group_claims(conn, term, actor, scope)
    if not claims:
        return None
    docs = document_metadata(conn, {claim.doc_id for claim in claims})
    found = _derivation().ledger_group(
        claims, docs, filters=filters, window_days=window_days, entries=GROUP_ENTRIES
    )
    if found is None:
        return None
    shown, kept, estimates, conflicts = found
    subjects = tuple(sorted({claim.subject for claim in claims}))
    return shown, kept, estimates, conflicts, subjects


def refresh_ledger(conn: Connection, keys: Sequence[str] | None = None) -> int:
    """Recompute the stale ledger groups (or ``keys``) in ``conn``'s transaction;
    returns how many. A group left with no claim is removed."""
    if keys is not None and not keys:
        return 0
    g = ledger_groups.c
    query = select(g.key, g.subject, g.actor, g.scope)
    query = query.where(g.stale.is_(True)) if keys is None else query.where(g.key.in_(keys))
    rows = conn.execute(query).all()
    for row in rows:
        computed = compute_group(conn, row.subject, row.actor, row.scope)
        if computed is None:
            conn.execute(delete(ledger_groups).where(g.key == row.key))
            continue
        data, claims, entries, conflicts, subjects = computed
        conn.execute(
            update(ledger_groups)
            .where(g.key == row.key)
            .values(
                stale=False, data=json.dumps(data, ensure_ascii=False), claims=claims,
                entries=entries, conflicts=conflicts, subjects=json.dumps(subjects),
            )
        )  # fmt: skip
    return len(rows)


def ledger_group_rows(store: Store) -> list[LedgerGroupRow]:
    """Every ledger group with its counts (not its JSON). A large group an analysis
    changed is shown as it was until the run ends (``after_corroboration``); a group
    never computed yet is computed here."""
    g = ledger_groups.c
    query = select(
        g.key, g.subject, g.actor, g.scope, g.subjects, g.claims, g.entries, g.conflicts,
        g.stale, g.data.is_(None).label("missing"),
    )  # fmt: skip
    out = []
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
        for row in rows:
            if row.missing:
                computed = compute_group(conn, row.subject, row.actor, row.scope)
                if computed is None:
                    continue
                data, claims, entries, conflicts, subjects = computed
                out.append(LedgerGroupRow(row.key, row.subject, row.actor, row.scope, subjects,
                                          claims, entries, conflicts, True, data))  # fmt: skip
                continue
            out.append(
                LedgerGroupRow(
                    row.key, row.subject, row.actor, row.scope, tuple(json.loads(row.subjects)),
                    row.claims, row.entries, row.conflicts, bool(row.stale), None,
                )
            )  # fmt: skip
    return out


def group_data(store: Store, rows: Sequence[LedgerGroupRow]) -> list[dict[str, Any]]:
    """The JSON of each of ``rows``, in their order."""
    wanted = [row.key for row in rows if row.data is None]
    found: dict[str, dict[str, Any]] = {}
    g = ledger_groups.c
    with store.engine.connect() as conn:
        for at in range(0, len(wanted), _BATCH):
            query = select(g.key, g.data).where(g.key.in_(wanted[at : at + _BATCH]))
            for key, data in conn.execute(query):
                if data is not None:
                    found[key] = json.loads(data)
    return [row.data if row.data is not None else found[row.key] for row in rows]


# -- documents --------------------------------------------------------------------------


def documents_page(
    store: Store, *, limit: int, offset: int, newest_first: bool = False
) -> list[Document]:
    """Documents ``offset`` to ``offset + limit`` in ingest order (with ``newest_first``,
    latest publication first, as ``_search.list_documents`` sorts them), with their text."""
    d = documents.c
    columns = [d[name] for name in (*_META_FIELDS, "text")]
    when = func.coalesce(d.published, d.published_before, d.published_after)
    order = [when.is_(None), when.desc(), d.seq.desc()] if newest_first else [d.seq]
    query = select(*columns).order_by(*order).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [Document(**row._mapping) for row in conn.execute(query)]


def rebuild_all(conn: Connection) -> None:
    """Fill the derived tables from the stored events and claims (a store that had
    none: the migration that made them)."""
    rebuild_merged(conn)
    c = claim_table.c
    groups = conn.execute(select(c.subject, c.actor, c.place).distinct()).all()
    conn.execute(delete(ledger_groups))
    _mark_stale(conn, [(r.subject, r.actor, r.place) for r in groups])
    refresh_ledger(conn)

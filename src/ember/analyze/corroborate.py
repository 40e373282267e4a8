"""Corroboration: one happening counted once, however many documents report it.

``find_clusters`` decides which events of different documents report the same happening
(the rule is spelled out on it) and ``corroborate_store`` runs it over a store and writes
the clusters back. ``merge_stored`` reads the clusters that corroboration stored on the
events (``Event.cluster_id``) and merges each into one ``MergedEvent``: the most precise
date and place any report gives, the actors of the most confident report, and ACLED's
conservative rule for counts (the lowest figure any report gives, every figure kept).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import product
from typing import TYPE_CHECKING

from ..geo import haversine_km
from ..nlp.fold import fold
from ..records import DatePrecision, Event, Location

if TYPE_CHECKING:
    from ..store import Corroboration, Store

__all__ = [
    "MAX_DAYS_APART",
    "MAX_KM_APART",
    "SAME_SOURCE_SIMILARITY",
    "CorroborationSummary",
    "MergedEvent",
    "cluster_hash",
    "corroborate_store",
    "find_clusters",
    "merge_events",
    "merge_stored",
    "reports_same_happening",
]

# The rule: reports of one happening give dates at most this many days apart
# (or overlapping ranges) and places at most this far apart (or the same named place).
MAX_DAYS_APART = 2
MAX_KM_APART = 25.0
# Two analysed originals whose MinHash signatures estimate at least this Jaccard
# similarity are rewrites of one story (a syndicated copy with a new lead, say): one
# source, so they never corroborate each other. Lower than ingest's near-duplicate
# threshold (0.8), which decides what is stored as a copy and not analysed at all.
SAME_SOURCE_SIMILARITY = 0.5
# ACLED's "Strategic developments" gathers unlike happenings (an agreement, an arrest, a
# base set up, looting): reports of one must also share the sub-event type.
_SUB_TYPE_MUST_MATCH = frozenset({"Strategic developments"})
# ACLED's geo_precision 3: a province or a country, too large for distance to mean
# anything, so such places match only the same place.
_REGION = 3
_EARTH_RADIUS_KM = 6371.0088
# Blocking cells, in km on the chord through the earth (never longer than the distance
# along the surface): twice the match distance, so each report sits in at most 8 cells.
_CELL_KM = 2 * MAX_KM_APART

EventKey = tuple[str, str]  # (doc_id, event id): how the store names an event
Cell = tuple[int, ...]
UnrelatedDocs = Callable[[str, str], bool]


@dataclass(frozen=True, slots=True)
class CorroborationSummary:
    """What corroboration found: events read, clusters of two or more documents, and
    how many events belong to one."""

    events: int
    clusters: int
    events_in_clusters: int


_DATE_RANK: dict[DatePrecision, int] = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(frozen=True, slots=True, kw_only=True)
class MergedEvent:
    """One happening and every report of it.

    ``event`` carries the merged fields (its ``corroborated_by`` lists every document);
    ``members`` are the reports as extracted, in document order; ``fatalities_reported``
    every distinct fatality figure the reports give, lowest first."""

    id: str
    event: Event
    members: tuple[Event, ...]
    doc_ids: tuple[str, ...]
    fatalities_reported: tuple[int, ...] = ()

    @property
    def corroborated(self) -> bool:
        return len(self.doc_ids) > 1


def merge_stored(events: Iterable[Event]) -> list[MergedEvent]:
    """Group stored events by ``cluster_id`` (an event without one stands alone) and
    merge each group, in the order each group's first event comes."""
    groups: dict[str, list[Event]] = {}
    for event in events:
        key = event.cluster_id or f"{event.doc_id}:{event.id}"
        groups.setdefault(key, []).append(event)
    return [merge_events(key, members) for key, members in groups.items()]


def merge_events(cluster_id: str, members: list[Event]) -> MergedEvent:
    """Merge the reports of one happening (``members``, at least one)."""
    lead = max(members, key=lambda e: e.confidence)
    typical = _typical(members, lead)
    doc_ids = tuple(dict.fromkeys(e.doc_id for e in members))
    fatalities = sorted({e.fatalities for e in members if e.fatalities is not None})
    merged = replace(
        lead,
        sub_event_type=typical.sub_event_type,
        event_type=typical.event_type,
        actor1=_first_known(members, lead, "actor1"),
        actor2=_first_known(members, lead, "actor2"),
        date=min(members, key=_date_rank).date,
        location=_most_precise_location(members),
        fatalities=fatalities[0] if fatalities else None,
        wounded=_lowest(e.wounded for e in members),
        arrested=_lowest(e.arrested for e in members),
        kidnapped=_lowest(e.kidnapped for e in members),
        corroborated_by=doc_ids if len(doc_ids) > 1 else (),
        cluster_id=cluster_id if len(members) > 1 else lead.cluster_id,
    )
    return MergedEvent(
        id=cluster_id,
        event=merged,
        members=tuple(members),
        doc_ids=doc_ids,
        fatalities_reported=tuple(fatalities),
    )


def _date_rank(event: Event) -> tuple[bool, int]:
    # A stated date beats any date resolved against an uncertain anchor (only a lower
    # bound, however precise it looks: "last March" of an undated report); then the
    # most precise.
    return (event.date.approximate, _DATE_RANK[event.date.precision])


def _most_precise_location(members: list[Event]) -> Location | None:
    placed = [e.location for e in members if e.location is not None]
    if not placed:
        return None
    resolved = [loc for loc in placed if loc.lat is not None] or placed
    return min(resolved, key=lambda loc: loc.precision or 4)


def _typical(members: list[Event], lead: Event) -> Event:
    """The report whose sub-event type most reports give (the lead's on a tie)."""
    counts = Counter(e.sub_event_type for e in members)
    best = max(counts.values())
    if counts[lead.sub_event_type] == best:
        return lead
    return next(e for e in members if counts[e.sub_event_type] == best)


def _first_known(members: list[Event], lead: Event, field: str) -> str | None:
    value: str | None = getattr(lead, field)
    if value is not None:
        return value
    ranked = sorted(members, key=lambda e: -e.confidence)
    return next((getattr(e, field) for e in ranked if getattr(e, field) is not None), None)


def _lowest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


# -- finding the same happening ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Report:
    """An event reduced to what the rule compares, computed once per event."""

    key: EventKey
    doc_id: str
    family: str  # the event type, with the sub-event type where _SUB_TYPE_MUST_MATCH
    start: int  # date ordinals
    # None: open upward. A date of an undated report (approximate) is already every
    # date it can mean for a report written in its window ("last March" of a report
    # of April 2019 to March 2020: March 2019 to March 2020), so it is compared as the
    # range it is, like any other.
    end: int | None
    approximate: bool
    place_id: str | None  # the gazetteer entry (geonames:..., curated:...)
    place_name: str
    point: tuple[float, float] | None  # coordinates, unless the place is a region
    cell: Cell | None  # the map cell of ``point``
    actors: frozenset[str]


def _report(event: Event) -> _Report | None:
    """The event as a ``_Report``; None when it can never merge: undated, or without
    a place (a place is half of the evidence that two reports tell one happening)."""
    location = event.location
    if event.date.start is None or location is None:
        return None
    start = date.fromisoformat(event.date.start).toordinal()
    end = date.fromisoformat(event.date.end or event.date.start).toordinal()
    point = None
    if location.lat is not None and location.lon is not None and location.precision != _REGION:
        point = (location.lat, location.lon)
    return _Report(
        key=(event.doc_id, event.id),
        doc_id=event.doc_id,
        family=_family(event),
        start=start,
        end=max(end, start),
        approximate=event.date.approximate,
        place_id=location.key or (f"geonames:{location.geonameid}" if location.geonameid else None),
        place_name=fold(location.canonical or location.name),
        point=point,
        cell=None if point is None else _cell(_chord_xyz(point)),
        actors=frozenset(a for a in (event.actor1, event.actor2) if a is not None),
    )


def _family(event: Event) -> str:
    if event.event_type in _SUB_TYPE_MUST_MATCH:
        return f"{event.event_type}: {event.sub_event_type}"
    return event.event_type


def reports_same_happening(a: Event, b: Event) -> bool:
    """The issue's rule for two events of different documents (sources are not looked
    at here; see ``find_clusters``): same event type (ACLED's families; for "Strategic
    developments" also the same sub-event type), dates at most ``MAX_DAYS_APART`` days
    apart or overlapping, places at most ``MAX_KM_APART`` km apart or the same named
    place (a province or a country only the same place), and actors that do not
    contradict each other. An undated event, or one without a place, matches nothing."""
    left, right = _report(a), _report(b)
    return left is not None and right is not None and _compatible(left, right)


def _compatible(a: _Report, b: _Report) -> bool:
    return (
        a.doc_id != b.doc_id
        and a.family == b.family
        and _days_apart(a, b) <= MAX_DAYS_APART
        and _actors_agree(a.actors, b.actors)
        and _place_distance(a, b) is not None
    )


def _days_apart(a: _Report, b: _Report) -> int:
    """Days between two date ranges; 0 when they overlap."""
    gaps = [
        b.start - a.end if a.end is not None else 0,
        a.start - b.end if b.end is not None else 0,
    ]
    return max(0, *gaps)


def _place_distance(a: _Report, b: _Report) -> float | None:
    """0 for the same named place, the distance in km when both have coordinates and
    are at most ``MAX_KM_APART`` apart, else None (not the same place)."""
    if a.place_id is not None and b.place_id is not None:
        if a.place_id == b.place_id:
            return 0.0
    elif a.place_name == b.place_name:
        return 0.0
    if a.point is None or b.point is None:
        return None
    km = haversine_km(*a.point, *b.point)
    return km if km <= MAX_KM_APART else None


def _actors_agree(left: frozenset[str], right: frozenset[str]) -> bool:
    """No contradiction: one side names no actor, or the sides share one (a generic
    actor such as "Military Forces" is the same as any actor of its kind)."""
    if not left or not right or left & right:
        return True
    return any(_same_actor(x, y) for x, y in product(left, right))


def _same_actor(x: str, y: str) -> bool:
    if x == y:
        return True
    kind_x, generic_x = _actor_class(x)
    kind_y, generic_y = _actor_class(y)
    return kind_x is not None and kind_x == kind_y and (generic_x or generic_y)


@cache
def _actor_class(name: str) -> tuple[str | None, bool]:
    """An actor's kind and whether it is generic; (None, False) for a name the actor
    table lacks, which then matches only itself."""
    # Imported here: the actor table needs spaCy, and the views that only merge stored
    # clusters (report, web) should not pay for it.
    from ..nlp.actors import actor_info

    try:
        info = actor_info(name)
    except KeyError:
        return None, False
    return info.kind, info.generic


def find_clusters(
    events: Iterable[Event], *, unrelated_docs: UnrelatedDocs
) -> dict[EventKey, Corroboration]:
    """Group the events that report one happening (``reports_same_happening``) across
    documents that are independent sources (``unrelated_docs(a, b)`` is True).

    A cluster holds at most one event per document and every member is compatible with
    every other (no chaining: A~B and B~C put C with A only when A~C). Closest pairs
    join first (fewest approximate dates, then fewest days and km apart, then by key),
    so the result does not depend on the order of ``events``. Returns, for each event
    in a cluster of two or more documents, ``(cluster_id, other doc ids)``; the cluster
    id is a hash of its members' keys. Candidate pairs come from blocks of one event
    type and one place (or neighbouring map cells) swept in date order, never all pairs."""
    reports = {r.key: r for r in map(_report, events) if r is not None}
    edges = {
        pair: _closeness(reports[pair[0]], reports[pair[1]])
        for pair in _candidate_pairs(reports.values())
        if _compatible(reports[pair[0]], reports[pair[1]])
        and unrelated_docs(pair[0][0], pair[1][0])
    }
    return _assignments(_complete_linkage(edges))


def _closeness(a: _Report, b: _Report) -> tuple[int, int, float]:
    approximate = a.approximate + b.approximate
    return approximate, _days_apart(a, b), _place_distance(a, b) or 0.0


def _candidate_pairs(reports: Iterable[_Report]) -> set[tuple[EventKey, EventKey]]:
    """Pairs of reports of one family and other documents that may match: within one
    block (a place, or a map cell) and close enough in time."""
    blocks: dict[tuple[str, str, object], list[_Report]] = {}
    for report in reports:
        for kind, block in _blocks(report):
            blocks.setdefault((report.family, kind, block), []).append(report)
    pairs: set[tuple[EventKey, EventKey]] = set()
    for (_family, kind, block), members in blocks.items():
        for first, second in _date_sweep(members):
            # A close pair shares up to 8 cells: take it in the second one's own only.
            if kind != "cell" or second.cell == block:
                pairs.add((first.key, second.key))
    return pairs


def _blocks(report: _Report) -> Iterator[tuple[str, object]]:
    """The blocks a report is compared within: its named place, and every map cell its
    ``MAX_KM_APART`` neighbourhood touches. Two reports close enough then share a cell:
    the cell of either one's point."""
    if report.place_id is not None:
        yield "place", report.place_id
    yield "name", report.place_name
    if report.point is not None:
        xyz = _chord_xyz(report.point)
        low, high = (
            _cell(tuple(v - MAX_KM_APART for v in xyz)),
            _cell(tuple(v + MAX_KM_APART for v in xyz)),
        )
        for cell in product(*(range(lo, hi + 1) for lo, hi in zip(low, high, strict=True))):
            yield "cell", cell


def _chord_xyz(point: tuple[float, float]) -> tuple[float, float, float]:
    """A point on the earth in km from its centre: chords are never longer than the
    distance along the surface, so cells on them miss no close pair, even across the
    antimeridian or near a pole."""
    lat, lon = math.radians(point[0]), math.radians(point[1])
    return (
        _EARTH_RADIUS_KM * math.cos(lat) * math.cos(lon),
        _EARTH_RADIUS_KM * math.cos(lat) * math.sin(lon),
        _EARTH_RADIUS_KM * math.sin(lat),
    )


def _cell(xyz: tuple[float, ...]) -> Cell:
    return tuple(math.floor(v / _CELL_KM) for v in xyz)


def _date_sweep(members: list[_Report]) -> Iterator[tuple[_Report, _Report]]:
    """Pairs of reports of other documents whose dates come within ``MAX_DAYS_APART``
    days (the one with the smaller key first), found by sweeping the reports in order
    of their first day."""
    active: list[_Report] = []
    for report in sorted(members, key=lambda r: (r.start, r.key)):
        active = [r for r in active if r.end is None or r.end + MAX_DAYS_APART >= report.start]
        for other in active:
            if other.doc_id != report.doc_id:
                yield (other, report) if other.key < report.key else (report, other)
        active.append(report)


def _complete_linkage(
    edges: Mapping[tuple[EventKey, EventKey], tuple[int, int, float]],
) -> list[list[EventKey]]:
    """Clusters of two or more events: pairs join, closest first, when every member of
    one is compatible with every member of the other (``edges`` holds the compatible
    pairs, never two events of one document)."""
    cluster_of: dict[EventKey, int] = {}
    members: dict[int, list[EventKey]] = {}
    for key in sorted({key for pair in edges for key in pair}):
        cluster_of[key] = len(members)
        members[len(members)] = [key]
    for a, b in sorted(edges, key=lambda pair: (edges[pair], pair)):
        left, right = cluster_of[a], cluster_of[b]
        if left == right or not _can_join(members[left], members[right], edges):
            continue
        for key in members[right]:
            cluster_of[key] = left
        members[left].extend(members.pop(right))
    return [sorted(group) for group in members.values() if len(group) > 1]


def _can_join(
    left: list[EventKey], right: list[EventKey], edges: Collection[tuple[EventKey, EventKey]]
) -> bool:
    # Events of one document are never a pair, so this also keeps one per document.
    return all((min(x, y), max(x, y)) in edges for x, y in product(left, right))


def _assignments(clusters: list[list[EventKey]]) -> dict[EventKey, Corroboration]:
    assignments: dict[EventKey, Corroboration] = {}
    for group in clusters:
        cluster_id = cluster_hash(group)
        docs = sorted({doc_id for doc_id, _ in group})
        for key in group:
            assignments[key] = (cluster_id, tuple(d for d in docs if d != key[0]))
    return assignments


def cluster_hash(keys: Iterable[EventKey]) -> str:
    """A short stable id for a cluster: a hash of its members' sorted keys."""
    text = "\n".join(f"{doc_id}:{event_id}" for doc_id, event_id in sorted(keys))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- running it over a store -------------------------------------------------------------


def corroborate_store(store: Store) -> CorroborationSummary:
    """Find the clusters among every stored event and write them to the store (each
    event's ``cluster_id`` and ``corroborated_by``; earlier clusters are replaced).
    Analysed documents whose stored signatures are ``SAME_SOURCE_SIMILARITY`` similar
    count as one source."""
    events = list(store.iter_events())
    signatures = store.document_signatures({event.doc_id for event in events})
    assignments = find_clusters(events, unrelated_docs=_unrelated_by(signatures))
    store.set_corroboration(assignments)
    return CorroborationSummary(
        events=len(events),
        clusters=len({cluster for cluster, _ in assignments.values()}),
        events_in_clusters=len(assignments),
    )


def _unrelated_by(signatures: Mapping[str, bytes]) -> UnrelatedDocs:
    """Two documents are independent sources unless both signatures are known and
    estimate a Jaccard similarity of at least ``SAME_SOURCE_SIMILARITY``."""
    from ..ingest.dedup import similarity  # the ingest package is heavy; see _actor_class

    @cache
    def unrelated(a: str, b: str) -> bool:
        if a not in signatures or b not in signatures:
            return True
        return similarity(signatures[a], signatures[b]) < SAME_SOURCE_SIMILARITY

    return unrelated

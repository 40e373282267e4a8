"""Corroboration: one happening counted once, however many documents report it.

``merge_stored`` reads the clusters that corroboration stored on the events
(``Event.cluster_id``) and merges each into one ``MergedEvent``: the most precise date
and place any report gives, the actors of the most confident report, and ACLED's
conservative rule for counts (the lowest figure any report gives, every figure kept).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..records import DatePrecision, Event, Location

__all__ = ["MergedEvent", "merge_events", "merge_stored"]

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
    doc_ids = tuple(dict.fromkeys(e.doc_id for e in members))
    fatalities = sorted({e.fatalities for e in members if e.fatalities is not None})
    merged = replace(
        lead,
        sub_event_type=_most_common(members, lambda e: e.sub_event_type, lead.sub_event_type),
        event_type=_event_type_of(members, lead),
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


def _date_rank(event: Event) -> tuple[int, bool, int]:
    # A stated date beats one resolved against an uncertain anchor; then the shorter.
    date = event.date
    span = 0 if date.start is None or date.end is None else len(date.end) + len(date.start)
    return (_DATE_RANK[date.precision], date.approximate, span)


def _most_precise_location(members: list[Event]) -> Location | None:
    placed = [e.location for e in members if e.location is not None]
    if not placed:
        return None
    resolved = [loc for loc in placed if loc.lat is not None] or placed
    return min(resolved, key=lambda loc: loc.precision or 4)


def _most_common(members: list[Event], key: Callable[[Event], str], default: str) -> str:
    counts: dict[str, int] = {}
    for event in members:
        value = key(event)
        counts[value] = counts.get(value, 0) + 1
    best = max(counts.values())
    return default if counts.get(default) == best else max(counts, key=counts.__getitem__)


def _event_type_of(members: list[Event], lead: Event) -> str:
    sub = _most_common(members, lambda e: e.sub_event_type, lead.sub_event_type)
    return next(e.event_type for e in members if e.sub_event_type == sub)


def _first_known(members: list[Event], lead: Event, field: str) -> str | None:
    value: str | None = getattr(lead, field)
    if value is not None:
        return value
    ranked = sorted(members, key=lambda e: -e.confidence)
    return next((getattr(e, field) for e in ranked if getattr(e, field) is not None), None)


def _lowest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None

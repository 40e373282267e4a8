"""Trends: how many events happened per week or month, by event type.

Counts are of merged events (``analyze.corroborate``), so a happening that five outlets
report counts once. An event is placed in the period its date falls in, but only when
its date is at least as precise as the period and its range lies within one period: an
event known only to the month is not put in one of that month's weeks, one known only
to the year in no month, and "last March" of a report that can be of 2019 or 2020 in
neither March. Such
events, and undated ones, are counted apart (``too_coarse``, ``undated``), never placed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..records import DatePrecision, DateRange
from .corroborate import MergedEvent

__all__ = [
    "PERIODS",
    "WEEKS_AT_MOST_DAYS",
    "EventCounts",
    "Period",
    "PeriodCount",
    "choose_period",
    "event_counts",
    "period_key",
    "period_keys",
    "start_day",
]

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")

# The date precisions that can be placed in a period of each length.
_PLACEABLE: dict[Period, frozenset[DatePrecision]] = {
    "week": frozenset({"day", "week"}),
    "month": frozenset({"day", "week", "month"}),
}
# Spans of dated events longer than this read better by month than by week.
WEEKS_AT_MOST_DAYS = 182
_WEEKS_AT_MOST_DAYS = WEEKS_AT_MOST_DAYS


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodCount:
    """Events of one period: ``key`` is the Monday of an ISO week ("2019-03-18") or a
    month ("2019-03"); ``counts`` maps event types to how many events of it."""

    key: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class EventCounts:
    """Events per period, every period from the first to the last placed event
    (empty ones included, so a chart's axis is even), plus those not placed."""

    period: Period
    periods: tuple[PeriodCount, ...]
    undated: int
    too_coarse: int

    @property
    def placed(self) -> int:
        return sum(p.total for p in self.periods)


def period_key(when: DateRange, period: Period) -> str | None:
    """The period an event dated ``when`` falls in (its start's ISO-week Monday or its
    month), or None when it is undated or its date is coarser than the period."""
    start = _start_day(when)
    if start is None or when.precision not in _PLACEABLE[period]:
        return None
    end = _end_day(when) or start
    # A range (an undated report's date is every day it can be) is placed only when it
    # lies within one period.
    if period == "month":
        key = start.strftime("%Y-%m")
        return key if end.strftime("%Y-%m") == key else None
    monday = start - timedelta(days=start.weekday())
    return monday.isoformat() if (end - monday).days < 7 else None


def period_keys(first: str, last: str, period: Period) -> list[str]:
    """Every period key from ``first`` to ``last`` (both keys of ``period``), in order."""
    keys = []
    if period == "month":
        year, month = int(first[:4]), int(first[5:7])
        while f"{year:04d}-{month:02d}" <= last:
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        keys.append(day.isoformat())
        day += timedelta(days=7)
    return keys


def event_counts(merged_events: Iterable[MergedEvent], period: Period = "month") -> EventCounts:
    """Merged events per ``period`` by event type, each event counted once."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    placed: dict[str, Counter[str]] = {}
    undated = too_coarse = 0
    for merged in merged_events:
        event = merged.event
        key = period_key(event.date, period)
        if key is None:
            if _start_day(event.date) is None:
                undated += 1
            else:
                too_coarse += 1
            continue
        placed.setdefault(key, Counter())[event.event_type] += 1
    keys = period_keys(min(placed), max(placed), period) if placed else []
    return EventCounts(
        period=period,
        periods=tuple(PeriodCount(key=k, counts=dict(placed.get(k, {}))) for k in keys),
        undated=undated,
        too_coarse=too_coarse,
    )


def choose_period(merged_events: Sequence[MergedEvent]) -> Period:
    """Weeks for events within about half a year of each other, else months."""
    days = [d for m in merged_events if (d := _start_day(m.event.date)) is not None]
    if days and (max(days) - min(days)).days <= _WEEKS_AT_MOST_DAYS:
        return "week"
    return "month"


def _end_day(when: DateRange) -> date | None:
    return _day(when.end)


def start_day(when: DateRange) -> date | None:
    """The first day of ``when``; None when it is undated (an unknown precision)."""
    return None if when.precision == "unknown" else _day(when.start)


_start_day = start_day


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None

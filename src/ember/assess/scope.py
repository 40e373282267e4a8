"""What an assessment is of: the actor, the places and the windows of time.

An event or a figure counts in a window when more than half of the days its date can be
lie in that window ("in 2019" counts in a window holding eleven months of 2019); an
undated one counts in none. The default window is the twelve whole months ending with
the month of the latest dated evidence in scope (an event's date, a document's day),
and the default baseline the same length just before it."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from ..analyze.corroborate import MergedEvent
from ..analyze.ledger import parse_day
from ..errors import ConfigError
from ..nlp.fold import fold
from ..records import DateRange, Event, Location

__all__ = [
    "ALL",
    "AssessFilters",
    "Window",
    "actor_names",
    "admin1_matches",
    "assess_data",
    "country_code",
    "date_range_days",
    "default_window",
    "filters_from_options",
    "in_window",
    "involves",
    "parse_baseline",
    "perpetrated_by",
    "place_in_scope",
    "resolve_actor",
    "same_actor",
]

#: ``--actor all``: every actor, all political violence in scope.
ALL = "all"
_RANGE = re.compile(r"^\s*(\S+?)\s*(?:\.\.|/|:)\s*(\S+)\s*$")
_DEFAULT_MONTHS = 12


@cache
def assess_data(name: str) -> dict[str, Any]:
    """A file of ``data/assess/`` (``indicators.json``, ``verdict.json``, ...)."""
    raw = resources.files("ember").joinpath("data/assess", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessFilters:
    """What ``ember assess`` was asked for. ``actor`` None: the armed group with the most
    events in scope; ``ALL``: every actor. ``countries`` are ISO 3166-1 alpha-2 codes,
    ``admin1`` a first-level division's name as written (any spelling the gazetteer
    knows). ``baseline``: None for the same length just before the window, or an explicit
    window; ``no_baseline`` for none at all."""

    actor: str | None = None
    countries: tuple[str, ...] = ()
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    baseline: tuple[date, date] | None = None
    no_baseline: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    """Days ``since``..``until``, both included."""

    since: date
    until: date

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def months(self) -> float:
        return self.days / 30.4375

    @property
    def years(self) -> float:
        return self.days / 365.25

    def overlap(self, first: date, last: date) -> int:
        start, end = max(first, self.since), min(last, self.until)
        return max(0, (end - start).days + 1)


# --- reading options ----------------------------------------------------------------


def parse_baseline(text: str) -> tuple[date, date] | None:
    """``--baseline``: "none", a year or month ("2018", "2018-06": all of it) or a range
    "2018-01..2018-12" (also with "/" or ":"). None for "none"."""
    value = text.strip()
    if value.casefold() == "none":
        return None
    match = _RANGE.match(value)
    first, last = (match.group(1), match.group(2)) if match else (value, value)
    since, until = parse_day(first), parse_day(last, last=True)
    if until < since:
        raise ConfigError(f"the baseline ends before it starts: {text!r}")
    return since, until


def filters_from_options(
    *,
    actor: str | None = None,
    countries: Sequence[str] = (),
    admin1: str | None = None,
    since: str | None = None,
    until: str | None = None,
    baseline: str | None = None,
) -> AssessFilters:
    """``AssessFilters`` from options as a person types them (the CLI's flags, the web
    app's query): countries by name or code, several at once or comma-separated; dates
    YYYY, YYYY-MM or YYYY-MM-DD; a blank value is no filter. A ConfigError says which
    value makes no sense."""

    def given(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    names = [part for text in countries for part in text.split(",") if part.strip()]
    wanted = given(baseline)
    window = parse_baseline(wanted) if wanted else None
    first, last = given(since), given(until)
    return AssessFilters(
        actor=given(actor),
        countries=tuple(dict.fromkeys(country_code(n) for n in names)),
        admin1=given(admin1),
        since=parse_day(first) if first else None,
        until=parse_day(last, last=True) if last else None,
        baseline=window,
        no_baseline=wanted is not None and window is None,
    )


def country_code(name: str) -> str:
    """An ISO alpha-2 code for a country given by code or name ("IQ", "Iraq", "Syria")."""
    import pycountry

    value = name.strip()
    if not value:
        raise ConfigError("an empty country name")
    try:
        found = pycountry.countries.lookup(value)
    except LookupError:
        try:
            matches = pycountry.countries.search_fuzzy(value) if len(value) > 3 else []
        except LookupError:
            matches = []
        if not matches:
            raise ConfigError(f"not a country ember knows: {name!r}") from None
        found = matches[0]
    return str(found.alpha_2)


# --- windows ------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def date_range_days(when: DateRange) -> tuple[date, date] | None:
    """The first and last day a date can be, or None when it is unknown."""
    if when.precision == "unknown":
        return None
    start = _day(when.start)
    if start is None:
        return None
    end = _day(when.end) or start
    return start, max(start, end)


def in_window(when: DateRange, window: Window | None) -> bool:
    """Whether more than half of the days ``when`` can be lie in ``window``."""
    days = date_range_days(when)
    if days is None or window is None:
        return False
    first, last = days
    return 2 * window.overlap(first, last) > (last - first).days + 1


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _months_before(day: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def default_window(latest: date, *, since: date | None, until: date | None) -> Window:
    """The window asked for, its open ends filled: up to the end of the latest
    evidence's month, and twelve whole months back from its end."""
    end = until or _month_end(latest)
    start = since or _months_before(end, _DEFAULT_MONTHS)
    if end < start:
        raise ConfigError(f"--until ({end}) is before --since ({start})")
    return Window(start, end)


def baseline_window(window: Window, filters: AssessFilters) -> Window | None:
    """The baseline asked for, else the same length just before the window (the same
    number of whole months when the window is whole months)."""
    if filters.no_baseline:
        return None
    if filters.baseline is not None:
        return Window(*filters.baseline)
    until = window.since - timedelta(days=1)
    if window.since.day == 1 and window.until == _month_end(window.until):
        # Whole months: the same number of whole months before.
        months = (
            (window.until.year - window.since.year) * 12
            + window.until.month
            - window.since.month
            + 1
        )
        return Window(_months_before(until, months), until)
    return Window(until - timedelta(days=window.days - 1), until)


# --- actors and places --------------------------------------------------------------


def actor_names(event: Event) -> tuple[str, ...]:
    named = (event.actor1, event.assoc_actor1, event.actor2, event.assoc_actor2)
    return tuple(dict.fromkeys(name for name in named if name))


def same_actor(name: str | None, actor: str) -> bool:
    return name is not None and fold(name) == fold(actor)


def perpetrated_by(event: Event, actor: str) -> bool:
    """The actor acts in the event (actor1 or its associate); any actor for ``ALL``."""
    if actor == ALL:
        return True
    return same_actor(event.actor1, actor) or same_actor(event.assoc_actor1, actor)


def involves(event: Event, actor: str) -> bool:
    """The actor takes part on either side."""
    return actor == ALL or any(same_actor(name, actor) for name in actor_names(event))


def admin1_matches(location: Location | None, admin1: str) -> bool:
    """Whether a place lies in the first-level division ``admin1`` (as written, in any
    spelling the gazetteer knows: "Ninewa" is Nineveh, "Rural Damascus" Rif-dimashq)."""
    if location is None or not location.admin1:
        return False
    if fold(location.admin1) == fold(admin1):
        return True
    return location.admin1 in admin1_names(admin1, location.country)


@cache
def admin1_names(written: str, country: str | None) -> frozenset[str]:
    """The gazetteer's names of the first-level divisions ``written`` can be."""
    from ..geo import load_gazetteer

    return frozenset(
        c.place.name
        for c in load_gazetteer().lookup(written)
        if c.place.feature == "admin1" and (country is None or c.place.country == country)
    )


def place_in_scope(location: Location | None, filters: AssessFilters) -> bool:
    if filters.countries and (location is None or location.country not in filters.countries):
        return False
    return filters.admin1 is None or admin1_matches(location, filters.admin1)


def default_actor(merged: Sequence[MergedEvent], armed: Iterable[int]) -> str | None:
    """The armed group (by inter code) in the most events, ties by name."""
    codes = frozenset(armed)
    counts: Counter[str] = Counter()
    for item in merged:
        event = item.event
        for name, inter in ((event.actor1, event.inter1), (event.actor2, event.inter2)):
            if name and inter in codes:
                counts[name] += 1
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def resolve_actor(wanted: str, merged: Sequence[MergedEvent]) -> str:
    """The canonical name ``--actor`` means: an actor of the events (any case), else what
    the actor table calls it ("ISIS" is the Islamic State), else the one actor of the
    events whose name holds it. The name as given when none fits (it then has no events)."""
    if wanted.strip().casefold() == ALL:
        return ALL
    counts: Counter[str] = Counter(name for m in merged for name in actor_names(m.event))
    key = fold(wanted)
    for name in counts:
        if fold(name) == key:
            return name
    from ..nlp.actors import load_actor_table

    table = load_actor_table()
    entry = table.folded.get(key) or table.exact.get(tuple(wanted.split()))
    canonical = table.names.get(wanted.strip()) or (
        entry.target if entry is not None and entry.kind == "actor" else None
    )
    if canonical:
        return canonical
    holding = [name for name in counts if key in fold(name)]
    if holding:
        return max(holding, key=lambda name: (counts[name], name))
    return wanted.strip()

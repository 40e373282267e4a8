"""The indicators measured on events: tempo, lethality, targets, modus operandi, spread
and territory, each against the baseline window, plus the monthly and regional figures.

Events are merged events (``analyze.corroborate``): a happening that five outlets report
counts once, with ACLED's conservative rule for its toll (the lowest credible figure).
The rules (which sub-events make the insurgency signature, who is a target, the diffusion
measure's cell size) are data: ``data/assess/indicators.json``."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..analyze.corroborate import MergedEvent
from ..analyze.trends import period_key, period_keys
from ..records import Event
from .model import Evidence, Indicator, MonthCount, RegionCount
from .scope import Window, assess_data, date_range_days, in_window, perpetrated_by, same_actor

__all__ = [
    "EventSets",
    "event_evidence",
    "event_indicators",
    "monthly_counts",
    "region_counts",
    "territory_changes",
    "trend_test",
]

# An indicator lists at most this many events as its evidence (the count says how many).
_MAX_EVIDENCE = 40
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSets:
    """The events an assessment reads. ``period``/``baseline``: violent events the actor
    carries out, in the place scope, counted in each window; ``record``: every event in
    the place scope that involves the actor on either side, dated up to the window's
    end or undated (territory, leadership and reach read the whole record)."""

    actor: str
    window: Window
    base: Window | None
    period: tuple[MergedEvent, ...]
    baseline: tuple[MergedEvent, ...]
    record: tuple[MergedEvent, ...]


def _rules() -> dict[str, Any]:
    return assess_data("indicators.json")


def event_evidence(
    events: Iterable[MergedEvent], limit: int = _MAX_EVIDENCE
) -> tuple[Evidence, ...]:
    """Events as evidence: the first stored report's id and every document telling it."""
    return tuple(
        Evidence(kind="event", id=m.members[0].id, doc_ids=m.doc_ids) for m in list(events)[:limit]
    )


def _fatalities(events: Iterable[MergedEvent]) -> int:
    return sum(m.event.fatalities or 0 for m in events)


# --- tempo ------------------------------------------------------------------------------


def trend_test(count: int, base_count: int, window: Window, base: Window | None) -> dict[str, Any]:
    """Whether the rate of events changed between the baseline and the window: the
    conditional binomial test of two Poisson rates (given n = count + base_count events,
    the window's share is Binomial(n, days / (days + base days)) if the rate held).
    "too few to tell" below ``trend.min_events`` events in both windows together."""
    rules = assess_data("verdict.json")["trend"]
    result: dict[str, Any] = {
        "method": "conditional binomial test of two Poisson rates",
        "events": count,
        "baseline_events": base_count,
        "p_value": None,
        "rate_ratio": None,
    }
    if base is None:
        return {**result, "verdict": "no baseline"}
    total = count + base_count
    if total < rules["min_events"]:
        return {**result, "verdict": "too few to tell"}
    from scipy.stats import binomtest

    share = window.days / (window.days + base.days)
    p_value = float(binomtest(count, total, share).pvalue)
    rate, base_rate = count / window.days, base_count / base.days
    ratio = rate / base_rate if base_rate else math.inf
    verdict = "stable"
    if p_value < rules["p_value"] and ratio >= rules["rising_ratio"]:
        verdict = "rising"
    elif p_value < rules["p_value"] and ratio <= rules["declining_ratio"]:
        verdict = "declining"
    return {
        **result,
        "p_value": round(p_value, 4),
        "rate_ratio": None if math.isinf(ratio) else round(ratio, 3),
        "verdict": verdict,
    }


def _within_trend(monthly: Sequence[MonthCount]) -> dict[str, Any] | None:
    """Kendall's tau of the monthly counts against time (a Mann-Kendall test), for six
    months or more."""
    if len(monthly) < 6 or len({m.events for m in monthly}) < 2:
        return None
    from scipy.stats import kendalltau

    tau = kendalltau(range(len(monthly)), [m.events for m in monthly])
    return {
        "method": "Mann-Kendall (Kendall's tau of monthly events)",
        "tau": round(float(tau.statistic), 3),
        "p_value": round(float(tau.pvalue), 4),
    }


def _per_month(events: Sequence[MergedEvent], window: Window) -> dict[str, float]:
    counts = Counter(m.event.event_type for m in events)
    return {name: round(n / window.months, 2) for name, n in sorted(counts.items())}


def _too_few(sets: EventSets) -> str:
    return f"{len(sets.period) + len(sets.baseline)} events in both windows: too few for a trend"


def _tempo(sets: EventSets, monthly: Sequence[MonthCount]) -> Indicator:
    window, base = sets.window, sets.base
    test = trend_test(len(sets.period), len(sets.baseline), window, base)
    within = _within_trend(monthly)
    return Indicator(
        name="tempo",
        value=round(len(sets.period) / window.months, 2),
        baseline=round(len(sets.baseline) / base.months, 2) if base else None,
        unit="events per month",
        evidence=event_evidence(sets.period),
        detail={
            "events": len(sets.period),
            "baseline_events": len(sets.baseline),
            "by_type": _per_month(sets.period, window),
            "baseline_by_type": _per_month(sets.baseline, base) if base else {},
            "test": test,
            "within_window": within,
        },
        note=None if test["verdict"] != "too few to tell" else _too_few(sets),
    )


# --- lethality and targets --------------------------------------------------------------


def _target(event: Event) -> str:
    rules = _rules()["targets"]
    words = [w.casefold() for w in rules["official_words"]]
    said = f" {(event.actor2_text or '').casefold()} "
    if any(f" {word} " in said for word in words):
        return "officials"
    if event.inter2 is not None and str(event.inter2) in rules["inter"]:
        return str(rules["inter"][str(event.inter2)])
    if event.event_type == "Violence against civilians":
        return "civilians"
    return "unknown"


def _targets(events: Sequence[MergedEvent]) -> dict[str, int]:
    counts = Counter(_target(m.event) for m in events)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _lethality(sets: EventSets) -> list[Indicator]:
    threshold = int(_rules()["mass_casualty_killed"])
    period, baseline = sets.period, sets.baseline
    deadly = sorted(
        (m for m in period if m.event.fatalities), key=lambda m: -(m.event.fatalities or 0)
    )
    mass = [m for m in deadly if (m.event.fatalities or 0) >= threshold]
    base_mass = [m for m in baseline if (m.event.fatalities or 0) >= threshold]
    killed, base_killed = _fatalities(period), _fatalities(baseline)
    targets, base_targets = _targets(period), _targets(baseline)
    civilians = targets.get("civilians", 0) + targets.get("officials", 0)
    has_base = sets.base is not None
    return [
        Indicator(
            name="fatalities",
            value=killed,
            baseline=base_killed if has_base else None,
            unit="killed",
            evidence=event_evidence(deadly),
            detail={
                "rule": "ACLED's conservative rule: the lowest credible toll, a happening once",
                "wounded": sum(m.event.wounded or 0 for m in period),
                "kidnapped": sum(m.event.kidnapped or 0 for m in period),
                "events_with_toll": len(deadly),
            },
        ),
        Indicator(
            name="lethality",
            value=round(killed / len(period), 2) if period else None,
            baseline=round(base_killed / len(baseline), 2) if baseline else None,
            unit="killed per event",
            evidence=event_evidence(deadly),
        ),
        Indicator(
            name="mass_casualty_events",
            value=len(mass),
            baseline=len(base_mass) if has_base else None,
            unit=f"events with {threshold} or more killed",
            evidence=event_evidence(mass),
        ),
        Indicator(
            name="targets",
            value=round(civilians / len(period), 3) if period else None,
            baseline=(
                round(
                    (base_targets.get("civilians", 0) + base_targets.get("officials", 0))
                    / len(baseline),
                    3,
                )
                if baseline
                else None
            ),
            unit="share of events against civilians and officials",
            evidence=event_evidence(m for m in period if _target(m.event) != "unknown"),
            detail={"targets": targets, "baseline_targets": base_targets},
        ),
    ]


# --- modus operandi -------------------------------------------------------------------


def _mix(events: Sequence[MergedEvent]) -> dict[str, float]:
    groups = _rules()["tactics"]["groups"]
    counts = Counter(str(groups.get(m.event.sub_event_type, "other")) for m in events)
    total = sum(counts.values())
    return {name: round(n / total, 3) for name, n in sorted(counts.items())} if total else {}


def _modus_operandi(sets: EventSets) -> Indicator:
    tactics = _rules()["tactics"]
    insurgency = set(tactics["insurgency"])
    mix, base_mix = _mix(sets.period), _mix(sets.baseline)

    def share(of: dict[str, float]) -> float | None:
        return round(sum(v for k, v in of.items() if k in insurgency), 3) if of else None

    shift = (
        {
            name: round(mix.get(name, 0.0) - base_mix.get(name, 0.0), 3)
            for name in sorted(set(mix) | set(base_mix))
        }
        if base_mix
        else {}
    )
    return Indicator(
        name="modus_operandi",
        value=share(mix),
        baseline=share(base_mix),
        unit="share of insurgency tactics (bombs, raids, assassinations, kidnappings)",
        evidence=event_evidence(sets.period),
        detail={
            "mix": mix,
            "baseline_mix": base_mix,
            "shift": shift,
            "sub_events": dict(Counter(m.event.sub_event_type for m in sets.period).most_common()),
        },
    )


# --- spread -------------------------------------------------------------------------


def _region(event: Event) -> tuple[str | None, str | None]:
    location = event.location
    if location is None:
        return None, None
    return location.country, location.admin1


def _areas(events: Iterable[MergedEvent], part: Callable[[Event], str | None]) -> set[str]:
    return {name for m in events if (name := part(m.event))}


def _admin1_key(event: Event) -> str | None:
    country, admin1 = _region(event)
    return f"{admin1}, {country}" if admin1 and country else None


def _admin2_key(event: Event) -> str | None:
    location = event.location
    if location is None or not location.admin2:
        return None
    return f"{location.admin2}, {location.admin1}, {location.country}"


def _location_key(event: Event) -> str | None:
    location = event.location
    if location is None:
        return None
    return (
        location.key
        or (str(location.geonameid) if location.geonameid else None)
        or (location.canonical or location.name)
    )


def diffusion(events: Sequence[MergedEvent], window: Window) -> dict[str, Any] | None:
    """ACLED's diffusion measure on the events that have a point (geo precision 1-2):
    10 km cells with 10 or more events a year (counts scaled to a year), over the cells
    with any event. None when no event has a point."""
    rules = _rules()["diffusion"]
    size, wanted = float(rules["cell_km"]), float(rules["events_per_year"])
    cells: Counter[tuple[int, int]] = Counter()
    for merged in events:
        location = merged.event.location
        if location is None or location.lat is None or location.lon is None:
            continue
        if location.precision is not None and location.precision > rules["max_geo_precision"]:
            continue
        y = math.floor(location.lat * _KM_PER_DEGREE / size)
        x = math.floor(location.lon * _KM_PER_DEGREE * math.cos(math.radians(location.lat)) / size)
        cells[(x, y)] += 1
    if not cells:
        return None
    scale = 1 / max(window.years, 1 / 12)
    high = sum(1 for n in cells.values() if n * scale >= wanted)
    return {
        "cells": len(cells),
        "high_cells": high,
        "share": round(high / len(cells), 3),
        "points": sum(cells.values()),
    }


def _spread(sets: EventSets) -> list[Indicator]:
    period, baseline, has_base = sets.period, sets.baseline, sets.base is not None
    now, before = _areas(period, _admin1_key), _areas(baseline, _admin1_key)
    new = sorted(now - before) if has_base else []
    first_new = {area: [m for m in period if _admin1_key(m.event) == area] for area in new}
    spread = diffusion(period, sets.window)
    base_spread = diffusion(baseline, sets.base) if sets.base else None
    note = (
        "ACLED divides by every populated 10 km cell of a country; ember, without population "
        "data, by the cells with at least one event"
    )
    return [
        Indicator(
            name="spread_admin1",
            value=len(now),
            baseline=len(before) if has_base else None,
            unit="first-level divisions with events",
            evidence=event_evidence(m for m in period if _admin1_key(m.event)),
            detail={
                "areas": sorted(now),
                "new_areas": new,
                "new_area_evidence": {
                    area: [e.id for e in event_evidence(found, 5)]
                    for area, found in first_new.items()
                },
                "admin2": len(_areas(period, _admin2_key)),
                "baseline_admin2": len(_areas(baseline, _admin2_key)),
            },
        ),
        Indicator(
            name="spread_locations",
            value=len(_areas(period, _location_key)),
            baseline=len(_areas(baseline, _location_key)) if has_base else None,
            unit="distinct places with events",
            evidence=event_evidence(m for m in period if _location_key(m.event)),
        ),
        Indicator(
            name="diffusion",
            value=spread["share"] if spread else None,
            baseline=base_spread["share"] if base_spread else None,
            unit="share of 10 km cells with 10 or more events a year",
            evidence=event_evidence(m for m in period if m.event.location and m.event.location.lat),
            detail={"window": spread, "baseline": base_spread},
            note=note if spread else "no event has a point location: diffusion cannot be measured",
        ),
    ]


# --- territory ----------------------------------------------------------------------


def territory_changes(sets: EventSets) -> list[dict[str, Any]]:
    """Every territorial event of the record that the actor wins or loses, by date:
    ``direction`` gain (it takes ground) or loss (ground is taken from it)."""
    sub_events = set(_rules()["territory"]["sub_events"])
    changes = []
    for merged in sets.record:
        event = merged.event
        if event.sub_event_type not in sub_events:
            continue
        gains = event.sub_event_type == "Non-state actor overtakes territory" and perpetrated_by(
            event, sets.actor
        )
        direction = "gain" if gains else "loss"
        if not gains and sets.actor != "all" and not _loses(event, sets.actor):
            continue
        days = date_range_days(event.date)
        location = event.location
        changes.append(
            {
                "direction": direction,
                "date": event.date.start if days else None,
                "precision": event.date.precision,
                "place": (location.canonical or location.name) if location else None,
                "country": location.country if location else None,
                "sub_event_type": event.sub_event_type,
                "by": event.actor1,
                "from": event.actor2,
                "in_window": in_window(event.date, sets.window),
                "in_baseline": in_window(event.date, sets.base),
                "event_id": merged.members[0].id,
                "doc_ids": list(merged.doc_ids),
            }
        )
    changes.sort(key=lambda c: (c["date"] is None, c["date"] or ""))
    return changes


def _loses(event: Event, actor: str) -> bool:
    return same_actor(event.actor2, actor) or same_actor(event.assoc_actor2, actor)


def _territory(sets: EventSets, changes: list[dict[str, Any]]) -> Indicator:
    def net(flag: str) -> int:
        return sum(1 if c["direction"] == "gain" else -1 for c in changes if c[flag])

    return Indicator(
        name="territory",
        value=net("in_window"),
        baseline=net("in_baseline") if sets.base is not None else None,
        unit="territorial changes won minus lost",
        evidence=tuple(
            Evidence(kind="event", id=c["event_id"], doc_ids=tuple(c["doc_ids"])) for c in changes
        ),
        detail={
            "changes": changes,
            "losses": sum(c["direction"] == "loss" for c in changes),
            "gains": sum(c["direction"] == "gain" for c in changes),
        },
    )


# --- monthly and regional figures -----------------------------------------------------


def monthly_counts(events: Sequence[MergedEvent], window: Window) -> tuple[MonthCount, ...]:
    """Events and fatalities per month of the window (every month, empty ones too); an
    event is placed only when its date is known to the month (``analyze.trends``)."""
    first, last = window.since.strftime("%Y-%m"), window.until.strftime("%Y-%m")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    killed: Counter[str] = Counter()
    for merged in events:
        key = period_key(merged.event.date, "month")
        if key is None or not first <= key <= last:
            continue
        counts[key][merged.event.event_type] += 1
        killed[key] += merged.event.fatalities or 0
    return tuple(
        MonthCount(
            month=key,
            events=sum(counts[key].values()),
            fatalities=killed[key],
            by_type=dict(sorted(counts[key].items())),
        )
        for key in period_keys(first, last, "month")
    )


def region_counts(
    sets: EventSets, country_name: Callable[[str], str | None]
) -> tuple[RegionCount, ...]:
    """Events and fatalities per first-level division in the window, with the baseline's
    events; events placed only in a country (or nowhere) get a row of their own."""
    now: Counter[tuple[str | None, str | None]] = Counter()
    dead: Counter[tuple[str | None, str | None]] = Counter()
    before: Counter[tuple[str | None, str | None]] = Counter()
    for merged in sets.period:
        now[_region(merged.event)] += 1
        dead[_region(merged.event)] += merged.event.fatalities or 0
    for merged in sets.baseline:
        before[_region(merged.event)] += 1
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], str(k)))
    return tuple(
        RegionCount(
            country=country_name(country) if country else None,
            admin1=admin1,
            events=now[(country, admin1)],
            fatalities=dead[(country, admin1)],
            baseline_events=before[(country, admin1)],
        )
        for country, admin1 in keys
    )


def event_indicators(
    sets: EventSets, monthly: Sequence[MonthCount]
) -> tuple[list[Indicator], list[dict[str, Any]]]:
    """The event indicators in their order, and the territorial changes."""
    changes = territory_changes(sets)
    indicators = [
        _tempo(sets, monthly),
        *_lethality(sets),
        _modus_operandi(sets),
        *_spread(sets),
        _territory(sets, changes),
    ]
    return indicators, changes

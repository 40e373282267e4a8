"""Corroboration: which events of different documents are one happening, and how the
reports of one happening merge. Each rule of the issue has a test that fails without it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import pytest

from ember.analyze.corroborate import (
    _candidate_pairs,
    _compatible,
    _report,
    cluster_hash,
    find_clusters,
    merge_events,
    merge_stored,
    reports_same_happening,
)
from ember.geo import haversine_km
from ember.records import DateRange, Event, Location

KM_PER_DEGREE_LAT = 111.195  # haversine's earth radius, per degree of latitude


def place(name: str, lat: float, lon: float, **fields: object) -> Location:
    values: dict[str, object] = {
        "name": name, "canonical": name, "key": f"test:{name.lower()}", "lat": lat,
        "lon": lon, "country": "SY", "precision": 1,
    }  # fmt: skip
    return Location(**{**values, **fields})  # type: ignore[arg-type]


HAJIN = place("Hajin", 34.69, 40.83)
SYRIA = place("Syria", 35.0, 38.0, precision=3, key="test:syria")


def north_of(origin: Location, km: float, name: str) -> Location:
    return place(name, origin.lat + km / KM_PER_DEGREE_LAT, origin.lon)  # type: ignore[operator]


def day(iso: str, **fields: object) -> DateRange:
    return DateRange(start=iso, end=iso, precision="day", **fields)  # type: ignore[arg-type]


def report(doc: str, n: int = 1, **fields: object) -> Event:
    """One event of document ``doc``: by default the SDF fighting IS in Hajin."""
    values: dict[str, object] = {
        "id": f"{doc}-{n}", "doc_id": doc, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": f"Report {n} of {doc}.", "span": (0, 10),
        "actor1": "QSD: Syrian Democratic Forces", "actor2": "Islamic State",
        "location": HAJIN, "date": day("2018-12-14"), "confidence": 0.6,
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


def unrelated(_a: str, _b: str) -> bool:
    return True


def clusters(
    events: list[Event], unrelated_docs: Callable[[str, str], bool] = unrelated
) -> list[set[str]]:
    """The clusters found, each as the set of its events' doc ids."""
    found = find_clusters(events, unrelated_docs=unrelated_docs)
    groups: dict[str, set[str]] = {}
    for (doc_id, _event_id), (cluster, _others) in found.items():
        groups.setdefault(cluster, set()).add(doc_id)
    return sorted(groups.values(), key=sorted)


def test_two_reports_of_one_happening_share_a_cluster() -> None:
    a, b = report("a"), report("b", location=north_of(HAJIN, 3, "Hajin outskirts"))
    found = find_clusters([a, b], unrelated_docs=unrelated)
    assert found[("a", "a-1")] == (cluster_hash([("a", "a-1"), ("b", "b-1")]), ("b",))
    assert found[("b", "b-1")] == (cluster_hash([("a", "a-1"), ("b", "b-1")]), ("a",))


def test_events_of_one_document_never_corroborate_each_other() -> None:
    assert clusters([report("a", 1), report("a", 2)]) == []


@pytest.mark.parametrize(("other_day", "merges"), [("2018-12-16", True), ("2018-12-17", False)])
def test_dates_at_most_two_days_apart(other_day: str, merges: bool) -> None:
    events = [report("a"), report("b", date=day(other_day))]
    assert clusters(events) == ([{"a", "b"}] if merges else [])


def test_overlapping_ranges_merge_however_long() -> None:
    month = DateRange(start="2018-12-01", end="2018-12-31", precision="month")
    late = DateRange(start="2018-12-20", end="2018-12-31", precision="week")
    assert clusters([report("a", date=month), report("b", date=late)]) == [{"a", "b"}]
    early = DateRange(start="2018-11-01", end="2018-11-28", precision="month")
    assert clusters([report("a", date=early), report("b", date=late)]) == []


def test_an_approximate_date_is_the_range_it_can_be() -> None:
    """ "Last March" in a report written between April 2019 and April 2020 is March 2019
    to March 2020: it meets a dated report of 23 March 2019. It is no longer an open
    lower bound, so a March resolved against a window a year too early never does."""
    ranged = DateRange(start="2019-03-01", end="2020-03-31", precision="year", approximate=True)
    dated = report("b", date=day("2019-03-23"))
    assert clusters([report("a", date=ranged), dated]) == [{"a", "b"}]
    early = DateRange(start="2018-03-01", end="2018-03-31", precision="month", approximate=True)
    assert clusters([report("a", date=early), dated]) == []
    before = report("b", date=day("2018-02-20"))
    assert clusters([report("a", date=ranged), before]) == []


def test_the_merged_date_is_a_stated_one_before_an_approximate_one() -> None:
    # The approximate week looks more precise than the stated year but is only a
    # lower bound: the happening is in 2019.
    week = DateRange(start="2016-03-21", end="2016-03-27", precision="week", approximate=True)
    year = DateRange(start="2019-01-01", end="2019-12-31", precision="year")
    merged = merge_events("c", [report("a", date=week), report("b", date=year)])
    assert merged.event.date == year


def test_undated_events_never_merge() -> None:
    undated = [report("a", date=DateRange.unknown()), report("b", date=DateRange.unknown())]
    assert clusters(undated) == []
    assert clusters([undated[0], report("b")]) == []


@pytest.mark.parametrize(("km", "merges"), [(20.0, True), (30.0, False)])
def test_places_within_25_km(km: float, merges: bool) -> None:
    other = north_of(HAJIN, km, "Elsewhere")
    assert abs(haversine_km(HAJIN.lat, HAJIN.lon, other.lat, other.lon) - km) < 0.1  # type: ignore[arg-type]
    assert clusters([report("a"), report("b", location=other)]) == ([{"a", "b"}] if merges else [])


def test_the_same_named_place_merges_at_any_distance() -> None:
    """Two gazetteers' points for one entry (or a curated key) are one place."""
    moved = replace(HAJIN, lat=HAJIN.lat + 1.0)  # type: ignore[operator]
    assert clusters([report("a"), report("b", location=moved)]) == [{"a", "b"}]
    unresolved = Location(name="Hajin")  # no gazetteer entry: the name decides
    bare = Location(name="hajin")
    assert clusters([report("a", location=unresolved), report("b", location=bare)]) == [{"a", "b"}]


def test_a_country_matches_only_the_same_country() -> None:
    near_centroid = place("Some town", SYRIA.lat, SYRIA.lon + 0.05)  # type: ignore[operator]
    assert clusters([report("a", location=SYRIA), report("b", location=near_centroid)]) == []
    assert clusters([report("a", location=SYRIA), report("b", location=SYRIA)]) == [{"a", "b"}]


def test_events_without_a_place_never_merge() -> None:
    assert clusters([report("a", location=None), report("b", location=None)]) == []
    assert clusters([report("a", location=None), report("b")]) == []


def test_different_event_types_never_merge() -> None:
    strike = report("b", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    assert clusters([report("a"), strike]) == []
    assert not reports_same_happening(report("a"), strike)


def test_strategic_developments_must_share_the_sub_event_type() -> None:
    def development(doc: str, sub: str) -> Event:
        return report(doc, event_type="Strategic developments", sub_event_type=sub)

    assert clusters([development("a", "Arrests"), development("b", "Agreement")]) == []
    assert clusters([development("a", "Arrests"), development("b", "Arrests")]) == [{"a", "b"}]


def test_contradictory_actors_never_merge() -> None:
    other_sides = report("b", actor1="Military Forces of Turkey", actor2="Military Forces of Syria")
    assert clusters([report("a"), other_sides]) == []
    shared = report("b", actor1="Military Forces of the United States")  # IS on both sides
    assert clusters([report("a"), shared]) == [{"a", "b"}]


def test_an_unnamed_side_does_not_contradict() -> None:
    nobody = report("b", actor1=None, actor2=None)
    assert clusters([report("a"), nobody]) == [{"a", "b"}]


def test_a_generic_actor_is_any_actor_of_its_kind() -> None:
    soldiers = report("a", actor1="Military Forces", actor2=None)
    iraqi = report("b", actor1="Military Forces of Iraq", actor2=None)
    police = report("c", actor1="Police Forces of Iraq", actor2=None)
    assert clusters([soldiers, iraqi]) == [{"a", "b"}]
    assert clusters([soldiers, police]) == []


def test_near_duplicate_documents_never_corroborate() -> None:
    def same_source(a: str, b: str) -> bool:
        return {a, b} != {"a", "b"}

    assert clusters([report("a"), report("b")], unrelated_docs=same_source) == []
    # A third, independent report joins one of them, never both.
    found = clusters([report("a"), report("b"), report("c")], unrelated_docs=same_source)
    assert len(found) == 1 and "c" in found[0] and len(found[0]) == 2


def test_a_cluster_holds_one_event_per_document_the_closest() -> None:
    near = report("a", 1, date=day("2018-12-15"))
    exact = report("a", 2)
    found = find_clusters([near, exact, report("b")], unrelated_docs=unrelated)
    assert set(found) == {("a", "a-2"), ("b", "b-1")}


def test_no_chaining() -> None:
    """A~B and B~C (two days apart each) but A and C are four days apart."""
    a, b = report("a", date=day("2018-12-10")), report("b", date=day("2018-12-12"))
    c = report("c", date=day("2018-12-14"))
    found = clusters([a, b, c])
    assert found in ([{"a", "b"}], [{"b", "c"}])


def test_every_member_matches_every_other() -> None:
    events = [report(doc, date=day(f"2018-12-{10 + i}")) for i, doc in enumerate("abcdefg")]
    for group in clusters(events):
        members = [e for e in events if e.doc_id in group]
        assert all(reports_same_happening(x, y) for x in members for y in members if x is not y)


def test_clusters_are_deterministic() -> None:
    events = [
        report(doc, n, date=day(f"2018-12-{10 + (i * 7 + n) % 6:02d}"))
        for i, doc in enumerate("abcdefgh")
        for n in (1, 2)
    ]
    first = find_clusters(events, unrelated_docs=unrelated)
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert find_clusters(shuffled, unrelated_docs=unrelated) == first
    assert first  # something to compare
    for cluster, _others in first.values():
        members = [key for key, (c, _o) in first.items() if c == cluster]
        assert cluster == cluster_hash(members)


def test_blocking_finds_every_compatible_pair() -> None:
    """Map cells and date sweeps must not lose a pair that the rule accepts: compare
    with all pairs, on points scattered around cell edges and the antimeridian."""
    rng = random.Random(3)
    events = []
    for n in range(300):
        lat, lon = rng.choice([(34.5, 40.9), (-16.8, 179.9), (71.0, 25.0)])
        spot = place(f"p{n}", lat + rng.uniform(-0.4, 0.4), lon + rng.uniform(-0.4, 0.4))
        if spot.lon > 180:  # type: ignore[operator]
            spot = replace(spot, lon=spot.lon - 360)  # type: ignore[operator]
        when = day(f"2018-12-{rng.randint(1, 28):02d}", approximate=rng.random() < 0.1)
        events.append(report(f"d{n % 40}", n, location=spot, date=when, actor2=None))
    reports = [r for r in map(_report, events) if r is not None]
    brute = {
        (min(x.key, y.key), max(x.key, y.key))
        for i, x in enumerate(reports)
        for y in reports[i + 1 :]
        if _compatible(x, y)
    }
    assert brute  # the scatter holds matches
    by_key = {r.key: r for r in reports}
    candidates = _candidate_pairs(reports)
    assert {(x, y) for x, y in candidates if _compatible(by_key[x], by_key[y])} == brute


def test_merged_event_keeps_the_lowest_figure_and_every_figure() -> None:
    events = [
        report("a", fatalities=14, confidence=0.9),
        report("b", fatalities=11, date=day("2018-12-15")),
        report("c", fatalities=None),
    ]
    found = find_clusters(events, unrelated_docs=unrelated)
    stored = [
        replace(e, cluster_id=found[(e.doc_id, e.id)][0],
                corroborated_by=found[(e.doc_id, e.id)][1])
        for e in events
    ]  # fmt: skip
    (merged,) = merge_stored(stored)
    assert merged.event.fatalities == 11
    assert merged.fatalities_reported == (11, 14)
    assert merged.doc_ids == ("a", "b", "c")
    assert merged.event.corroborated_by == ("a", "b", "c")
    assert merged.event.date == day("2018-12-14")  # the lead's equally precise date

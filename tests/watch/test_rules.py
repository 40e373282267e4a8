"""Alert rules: reading them (every mistake one ConfigError that names the rule) and
matching them against events, claims, the ledger and the tempo. Records written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ember.errors import ConfigError
from ember.records import Claim, DateRange, Document, Event, Location
from ember.store import Store
from ember.watch import Rule, load_rules, parse_rules
from ember.watch.match import alerts_for, claim_alerts, event_matches

MOSUL = Location(name="Mosul", canonical="Mosul", lat=36.335, lon=43.119, country="IQ")
ERBIL = Location(name="Erbil", canonical="Erbil", lat=36.191, lon=44.009, country="IQ")


def rule(**table: object) -> Rule:
    return parse_rules({"rule": [{"id": "r", **table}]})[0]


def event(
    doc_id: str = "d1",
    *,
    actor: str = "Islamic State",
    place: Location | None = MOSUL,
    killed: int | None = 4,
    day: str = "2026-11-30",
) -> Event:
    return Event(
        id=f"ev-{doc_id}", doc_id=doc_id, event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED", text="A bomb went off.", span=(0, 17),
        actor1=actor, location=place, fatalities=killed,
        date=DateRange(start=day, end=day, precision="day"),
    )  # fmt: skip


def claim(
    doc_id: str, figure: float, *, attributed: str | None = None, day: str = "2026-06-01"
) -> Claim:
    value = float(figure)
    return Claim(
        id=f"cl-{doc_id}", doc_id=doc_id, subject="fighters", subject_text="fighters",
        value_low=value, value_high=value, unit="count", quantity_text=f"{value:g}",
        quantity_span=(0, 4), text=f"{value:g} fighters remain.", span=(0, 20),
        actor="Islamic State", places=(MOSUL,), attributed_to=attributed,
        as_of=DateRange(start=day, end=day, precision="day"),
    )  # fmt: skip


def test_an_alias_names_the_canonical_actor_and_a_place_its_point() -> None:
    found = rule(kind="event", actor="Daesh", place="Mosul", within_km=40)
    assert found.actor == "Islamic State"
    near = found.near
    assert near is not None and abs(near.lat - 36.3) < 0.2 and near.km == 40


def test_event_conditions_all_hold() -> None:
    near_mosul = rule(kind="event", actor="ISIS", place="Mosul", within_km=40)
    assert event_matches(near_mosul, event())
    assert not event_matches(near_mosul, event(place=ERBIL))  # ~80 km
    assert not event_matches(near_mosul, event(place=None))
    assert not event_matches(near_mosul, event(actor="Kurdistan Workers' Party"))
    by_point = rule(kind="event", lat=36.19, lon=44.01, within_km=10)
    assert event_matches(by_point, event(place=ERBIL))
    deadly = rule(kind="event", min_fatalities=5)
    assert not event_matches(deadly, event(killed=4))
    assert not event_matches(deadly, event(killed=None))
    assert event_matches(deadly, event(killed=5))
    typed = rule(kind="event", event_type="Battles")
    assert not event_matches(typed, event())


def test_a_claim_alert_fires_when_the_figure_crosses_the_value() -> None:
    over = [rule(kind="claim", subject="fighters", above=10000)]
    crossed = list(claim_alerts(over, [claim("n", 12000)], [claim("o", 8000)]))
    assert [a.record_id for a in crossed] == ["cl-n"]
    assert list(claim_alerts(over, [claim("n", 12000)], [claim("o", 11000)])) == []
    first = list(claim_alerts(over, [claim("a", 12000), claim("b", 13000)], []))
    assert [a.record_id for a in first] == ["cl-a"]
    under = [rule(kind="claim", subject="fighters", below=1000)]
    fell = list(claim_alerts(under, [claim("n", 800)], [claim("o", 2000)]))
    assert [a.record_id for a in fell] == ["cl-n"]


def _doc(doc_id: str, published: str = "2026-11-30") -> Document:
    return Document(
        id=doc_id, source=f"{doc_id}.txt", text="A report.", format="text", published=published
    )


def test_a_new_ledger_conflict_alerts_once_per_pair(tmp_path: Path) -> None:
    rules = parse_rules({"rule": [{"id": "disagree", "kind": "conflict", "subject": "fighters"}]})
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        for doc_id, value, who in (("a", 500.0, "Officials"), ("b", 5000.0, "Analysts")):
            store.add_document(_doc(doc_id), signature=None, run_id="t")
            store.add_analysis(doc_id, [], [], [claim(doc_id, value, attributed=who)], version="t")
        assert alerts_for(rules, store, ["zzz"]) == []
        found = alerts_for(rules, store, ["b"])
    assert len(found) == 1 and found[0].rule.id == "disagree"
    assert ("500" in found[0].summary and "5,000" in found[0].summary) or "5000" in found[0].summary


def test_a_rising_tempo_alerts(tmp_path: Path) -> None:
    rules = parse_rules({"rule": [{"id": "tempo", "kind": "tempo", "actor": "ISIS"}]})
    days = ["2025-03-10", *[f"2026-{month:02d}-1{month % 9}" for month in range(1, 12)],
            "2026-11-20", "2026-11-25"]  # fmt: skip
    places = [Location(name=f"Town {n}", lat=36.0 + n / 10, lon=43.0, country="IQ")
              for n in range(len(days))]  # fmt: skip
    with Store.open(f"sqlite:///{tmp_path / 'e.db'}") as store:
        for n, (day, place) in enumerate(zip(days, places, strict=True)):
            doc_id = f"d{n}"
            store.add_document(_doc(doc_id, day), signature=None, run_id="t")
            store.add_analysis(doc_id, [event(doc_id, place=place, day=day)], [], version="t")
        found = alerts_for(rules, store, ["d13"])
    assert [a.record_id for a in found] == ["Islamic State:2026-11"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"kind": "event"}, "at least one condition"),
        ({"kind": "event", "event_type": "Riot"}, "unknown event_type"),
        ({"kind": "event", "sub_event_type": "Ambush"}, "unknown sub_event_type"),
        ({"kind": "event", "min_fatalities": -1}, "min_fatalities"),
        ({"kind": "event", "lat": 36.0, "within_km": 5}, "go together"),
        ({"kind": "event", "place": "Mosul", "lat": 1.0, "lon": 1.0, "within_km": 5}, "not both"),
        ({"kind": "claim", "subject": "goats", "above": 1}, "unknown subject"),
        ({"kind": "claim", "subject": "fighters", "above": 1, "below": 2}, "one of"),
        ({"kind": "tempo", "country": "Atlantis"}, "not a country"),
    ],
)
def test_each_mistake_names_the_rule(table: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        parse_rules({"rule": [{"id": "bad-one", **table}]}, source="rules.toml")
    assert "rule 'bad-one'" in str(caught.value) or "not a country" in str(caught.value)


def test_yaml_is_refused_and_an_empty_file_too(tmp_path: Path) -> None:
    yaml = tmp_path / "rules.yaml"
    yaml.write_text("rule: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="use TOML"):
        load_rules(yaml)
    empty = tmp_path / "rules.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="no \\[\\[rule\\]\\]"):
        load_rules(empty)


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("1h30m", 5400), ("1d", 86400)]
)
def test_intervals(text: str, seconds: float) -> None:
    from ember.watch import parse_interval

    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "m", "1x", "-5m", "0m"])
def test_bad_intervals(text: str) -> None:
    from ember.watch import parse_interval

    with pytest.raises(ConfigError):
        parse_interval(text)

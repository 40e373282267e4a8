"""The events suite: each metric on tiny hand-written gold files and fake analyzers, with a
right and a wrong prediction per metric; format detection and bad input."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from ember.errors import ConfigError, EmberError, ExtractError
from ember.evaluate.events import (
    CASE_TO_ACLED,
    detect_format,
    evaluate_events,
    fold_name,
    format_events_table,
    haversine_km,
    token_set_similarity,
)
from ember.records import DateRange, Event, Location

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "admin1", "location", "latitude", "longitude", "notes", "fatalities",
]  # fmt: skip
RAND_COLUMNS = ["Date", "City", "Country", "Perpetrator", "Weapon", "Injuries", "Fatalities",
                "Description"]  # fmt: skip

NOTE_GOOD = "On 3 March 2021, gunmen of the River Front shot two guards at a depot near Alpha."
NOTE_BAD = "On 9 April 2021, drones of the Hill Army struck a fuel truck near Beta."


def _event(**fields: object) -> Event:
    base: dict[str, object] = {
        "id": "e",
        "doc_id": "d",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "text": "",
        "span": (0, 0),
    }
    base.update(fields)
    return Event(**base)  # type: ignore[arg-type]


class FakeAnalyzer:
    """Returns canned events per text and records what it was called with."""

    def __init__(self, answers: Mapping[str, Sequence[Event]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, text: str, published: str | None) -> Sequence[Event]:
        self.calls.append((text, published))
        return self.answers.get(text, [])


def _write(path: Path, columns: list[str], rows: list[dict[str, str]], sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=sep)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _acled_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(values)
    return row


@pytest.fixture
def acled_file(tmp_path: Path) -> Path:
    rows = [
        _acled_row(
            event_id_cnty="X1", event_date="2021-03-03", event_type="Violence against civilians",
            sub_event_type="Attack", actor1="River Front Militia (Alphaland)",
            admin1="Al-Qadim", latitude="33.0", longitude="44.0", notes=NOTE_GOOD,
            fatalities="0",
        ),
        _acled_row(
            event_id_cnty="X2", event_date="2021-04-09", event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike", actor1="Military Forces of Hilland (2010-)",
            admin1="Sud", latitude="35.0", longitude="40.0", notes=NOTE_BAD, fatalities="2",
        ),
        _acled_row(
            event_id_cnty="X3", event_date="2021-05-01", event_type="Protests",
            sub_event_type="Peaceful protest", actor1="Protesters (Alphaland)",
            admin1="Nord", latitude="30.0", longitude="30.0",
            notes="Teachers marched in Gamma on 1 May 2021 over unpaid wages.", fatalities="0",
        ),
    ]  # fmt: skip
    return _write(tmp_path / "acled.csv", ACLED_COLUMNS, rows)


def _acled_answers() -> dict[str, list[Event]]:
    good = _event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="River Front Militia",
        date=DateRange(start="2021-03-03", end="2021-03-03", precision="day"),
        # about 10 km north of the gold point
        location=Location(name="Alpha", lat=33.09, lon=44.0, admin1="Qadim"),
        fatalities=None,  # none reported: ACLED's 0
    )
    wrong = _event(
        event_type="Battles",  # gold: Explosions/Remote violence
        sub_event_type="Armed clash",  # gold: Air/drone strike
        actor1="Lake Brigade",
        actor2_text="villagers",  # neither names the Military Forces of Hilland
        date=DateRange(start="2021-04-01", end="2021-04-30", precision="month"),
        location=Location(name="Beta", lat=35.3, lon=40.0, admin1="Nord"),  # ~33 km off
        fatalities=3,  # gold 2
    )
    decoy = _event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    return {NOTE_GOOD: [good], NOTE_BAD: [wrong, decoy]}


def test_acled_metrics_hit_and_miss(acled_file: Path) -> None:
    fake = FakeAnalyzer(_acled_answers())
    result = evaluate_events(acled_file, analyze=fake)
    assert result["suite"] == "events" and result["format"] == "acled" and result["n"] == 3
    metrics = result["metrics"]
    assert set(metrics) == {
        "detection", "event_type", "sub_event_type", "date", "location_25km", "admin1",
        "fatalities", "actor1",
    }  # fmt: skip
    assert metrics["detection"] == pytest.approx(2 / 3)
    # Only the first row is right on every metric; the decoy second event is not primary,
    # and the undetected third row misses everything (its gold 0 fatalities included).
    for name in metrics.keys() - {"detection"}:
        assert metrics[name] == pytest.approx(1 / 3), name
    assert [call[1] for call in fake.calls] == [None, None, None]  # notes alone, no date
    assert result["rows"][0]["hits"] == sorted(metrics)


def test_acled_actor_matches_actor2_and_written_name(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.csv",
        ACLED_COLUMNS,
        [
            _acled_row(
                event_date="2021-01-01", event_type="Battles", sub_event_type="Armed clash",
                actor1="Military Forces of Hilland (2010-)", latitude="1", longitude="1",
                notes="one", fatalities="0",
            ),
            _acled_row(
                event_date="2021-01-01", event_type="Battles", sub_event_type="Armed clash",
                actor1="Military Forces of Hilland (2010-)", latitude="1", longitude="1",
                notes="two", fatalities="0",
            ),
        ],
    )  # fmt: skip
    fake = FakeAnalyzer(
        {
            "one": [_event(actor1="Lake Brigade", actor2_text="military forces of Hilland")],
            # sharing only "of Hilland" is not enough
            "two": [_event(actor1="Lake Brigade", actor2="Governor of Hilland")],
        }
    )
    result = evaluate_events(path, analyze=fake)
    assert result["metrics"]["actor1"] == pytest.approx(0.5)


def test_fatalities_none_is_zero_but_not_one(tmp_path: Path) -> None:
    rows = [
        _acled_row(event_date="2021-01-01", event_type="Battles", sub_event_type="Armed clash",
                   actor1="A", latitude="1", longitude="1", notes=f"n{i}", fatalities=gold)
        for i, gold in enumerate(["0", "1"])
    ]  # fmt: skip
    path = _write(tmp_path / "a.csv", ACLED_COLUMNS, rows)
    fake = FakeAnalyzer({"n0": [_event()], "n1": [_event()]})
    assert evaluate_events(path, analyze=fake)["metrics"]["fatalities"] == pytest.approx(0.5)


def test_case_mapping_accuracy_macro_f1_and_outside(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "EventSnippet": "s1", "SubType": "AIR_STRIKE"},
        {"id": "2", "EventSnippet": "s2", "SubType": "AIR_STRIKE"},
        {"id": "3", "EventSnippet": "s3", "SubType": "ARREST"},
        {"id": "4", "EventSnippet": "s4", "SubType": "SUIC_BOMB"},
        {"id": "5", "EventSnippet": "s5", "SubType": "DIPLO"},
        {"id": "6", "EventSnippet": "s6", "SubType": "NATURAL_DISASTER"},
    ]
    path = _write(tmp_path / "case.tsv", ["id", "EventSnippet", "SubType"], rows, sep="\t")
    air = _event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    fake = FakeAnalyzer(
        {
            "s1": [air],
            "s2": [_event()],  # Armed clash: wrong sub-event and event type
            "s3": [_event(event_type="Strategic developments", sub_event_type="Arrests")],
            "s4": [air],  # wrong sub-event, right event type
            "s5": [_event()],  # an event where gold says there is none
        }
    )
    result = evaluate_events(path, analyze=fake)
    assert result["format"] == "case" and result["n"] == 6
    metrics = result["metrics"]
    assert metrics["sub_event_accuracy"] == pytest.approx(2 / 4)
    assert metrics["event_type_accuracy"] == pytest.approx(3 / 4)
    assert metrics["no_event_outside"] == pytest.approx(1 / 2)
    # Air/drone strike: P 1/2, R 1/2; Arrests 1; Suicide bomb 0.
    assert metrics["sub_event_macro_f1"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert result["per_label"]["Arrests"]["f1"] == pytest.approx(1.0)


def test_case_unknown_subtype_is_a_clear_error(tmp_path: Path) -> None:
    rows = [{"EventSnippet": "s", "SubType": "SPACE_BATTLE"}]
    path = _write(tmp_path / "case.tsv", ["EventSnippet", "SubType"], rows, sep="\t")
    with pytest.raises(ConfigError, match=r"case\.tsv:2: unknown CASE SubType"):
        evaluate_events(path, analyze=FakeAnalyzer({}))


def test_case_table_maps_to_acled_names() -> None:
    from ember.taxonomy import event_type_of

    assert len(CASE_TO_ACLED) == 25
    for name in CASE_TO_ACLED.values():
        event_type_of(name)  # KeyError for a name ACLED lacks


def _rand_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(RAND_COLUMNS, "")
    row.update({"Country": "Iraq", "Perpetrator": "Unknown", "Injuries": "0", "Fatalities": "0"})
    row.update(values)
    return row


def test_rand_metrics(tmp_path: Path) -> None:
    rows = [
        _rand_row(Date="2005-06-01", City="Ṣadr Town", Weapon="Explosives", Injuries="4",
                  Fatalities="2", Description="d1"),
        _rand_row(Date="2005-06-02", City="Kassel", Weapon="Firearms", Fatalities="1",
                  Description="d2"),
        _rand_row(Date="2005-06-03", City="", Weapon="Unknown", Description="d3"),
    ]  # fmt: skip
    path = _write(tmp_path / "rand.csv", RAND_COLUMNS, rows)
    bomb = _event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        fatalities=2,
        wounded=4,
        location=Location(name="Baghdad"),
    )
    second = _event(location=Location(name="Sadr-town", canonical="Sadr Town"))
    miss = _event(
        event_type="Explosions/Remote violence",  # gold weapon Firearms
        sub_event_type="Grenade",
        fatalities=2,  # gold 1
        wounded=1,  # gold 0
        location=Location(name="Kassala"),
    )
    fake = FakeAnalyzer({"d1": [bomb, second], "d2": [miss]})
    result = evaluate_events(path, analyze=fake)
    assert result["format"] == "rand"
    assert [call[1] for call in fake.calls] == ["2005-06-01", "2005-06-02", "2005-06-03"]
    metrics = result["metrics"]
    assert metrics["fatalities"] == pytest.approx(1 / 3)  # d3: no event, a miss
    assert metrics["injuries"] == pytest.approx(1 / 3)
    assert metrics["city_found"] == pytest.approx(1 / 2)  # the row without City not counted
    assert metrics["weapon"] == pytest.approx(1 / 2)  # "Unknown" weapon not counted
    assert result["counts"]["weapon"] == 2


def test_limit_and_detection(acled_file: Path) -> None:
    fake = FakeAnalyzer(_acled_answers())
    result = evaluate_events(acled_file, limit=1, analyze=fake)
    assert result["n"] == 1 and len(fake.calls) == 1
    assert result["metrics"]["detection"] == 1.0


def test_an_ember_error_on_one_row_is_recorded(acled_file: Path) -> None:
    def failing(text: str, published: str | None) -> list[Event]:
        raise ExtractError("text too odd")

    result = evaluate_events(acled_file, analyze=failing)
    assert result["metrics"]["detection"] == 0.0
    assert result["errors"][0] == {"line": 2, "reason": "text too odd"}


def test_format_detection(tmp_path: Path, acled_file: Path) -> None:
    assert detect_format(acled_file) == "acled"
    rand = _write(tmp_path / "r.csv", RAND_COLUMNS, [])
    assert detect_format(rand) == "rand"
    case = _write(tmp_path / "c.tsv", ["id", "EventSnippet", "SubType"], [], sep="\t")
    assert detect_format(case) == "case"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,body\nx,y\n", "unknown gold format"),
        ("", "unknown gold format"),
    ],
)
def test_unknown_format(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        evaluate_events(path, analyze=FakeAnalyzer({}))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        evaluate_events(tmp_path / "nope.csv", analyze=FakeAnalyzer({}))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("latitude", "north", "latitude is not a number"),
        ("fatalities", "many", "fatalities is not a number"),
        ("event_date", "3 March", "event_date is not a YYYY-MM-DD date"),
        ("notes", "", "notes is empty"),
    ],
)
def test_bad_rows(tmp_path: Path, column: str, value: str, message: str) -> None:
    row = _acled_row(event_date="2021-01-01", latitude="1", longitude="1", notes="n",
                     fatalities="0")  # fmt: skip
    row[column] = value
    path = _write(tmp_path / "bad.csv", ACLED_COLUMNS, [row])
    with pytest.raises(EmberError, match=rf"bad\.csv:2: {message}"):
        evaluate_events(path, analyze=FakeAnalyzer({}))


def test_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x00garbage")
    with pytest.raises(ConfigError):
        evaluate_events(path, analyze=FakeAnalyzer({}))


def test_table(acled_file: Path) -> None:
    result = evaluate_events(acled_file, analyze=FakeAnalyzer(_acled_answers()))
    table = format_events_table(result)
    assert "ACLED notes: 3 rows" in table
    assert "location_25km" in table and "0.333" in table


def test_measures() -> None:
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.1)
    assert fold_name("Al-Hasakah") == fold_name("hasakah") == "hasakah"
    assert fold_name("Deir ez-Zor") == fold_name("Deir ez Zor")
    assert fold_name("Hasakeh") != fold_name("Hasakah")
    assert token_set_similarity("Military Forces of Hilland", "hilland military forces") == 1.0
    assert token_set_similarity("Military Forces of Hilland", "Lake Brigade") < 0.8
    # As in fuzzywuzzy/rapidfuzz: a name whose tokens all occur in the other scores 1.
    assert token_set_similarity("Unidentified Armed Group", "armed group") == 1.0


def test_admin1_matches_across_transliterations() -> None:
    from ember.evaluate.events import _admin1_hit
    from ember.records import Event, Location

    def at(admin1: str) -> Event:
        location = Location(name="x", admin1=admin1, lat=1.0, lon=1.0)
        return Event(id="e", doc_id="d", event_type="Battles", sub_event_type="Armed clash",
                     text="t", span=(0, 1), location=location)  # fmt: skip

    assert _admin1_hit(at("Al-Hasakah"), "Al Hasakeh")
    assert _admin1_hit(at("Dihok"), "Duhok")
    assert not _admin1_hit(at("Ninawa"), "Anbar")

"""Event and entity exports: contract rows, JSONL, CSV, GeoJSON and ACLED's columns."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from importlib import resources

import pycountry
import pytest

from ember.analyze.corroborate import merge_stored
from ember.errors import ConfigError
from ember.ingest import content_id
from ember.records import DateRange, Document, Entity, Event, Location
from ember.report.exports import (
    ACLED_COLUMNS,
    ENTITY_CSV_FIELDS,
    ENTITY_FIELDS,
    EVENT_CSV_FIELDS,
    EVENT_FIELDS,
    acled_rows,
    entity_rows,
    event_rows,
    export_entities,
    export_events,
    write_csv,
    write_geojson,
    write_jsonl,
)
from ember.store import Store

BODY = "Gunmen opened fire on a minibus outside Baiji, killing two passengers, police said."
DOC = Document(id=content_id(BODY), source="feeds/north.xml", text=BODY, format="rss",
               publisher="Northern Monitor")  # fmt: skip
BAIJI = Location(name="Baiji", canonical="Bayji", geonameid=99347, lat=34.93, lon=43.49,
                 country="IQ", admin1="Salah ad Din", admin2="Baiji", precision=1)  # fmt: skip
ALEPPO = Location(name="Aleppo", canonical="Aleppo", geonameid=170063, lat=36.2, lon=37.16,
                  country="SY", admin1="Aleppo", precision=1)  # fmt: skip


def make_event(n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{DOC.id}-{n}", "doc_id": DOC.id, "event_type": "Violence against civilians",
        "sub_event_type": "Attack", "text": BODY, "span": (0, len(BODY)),
        "actor1": "Unidentified Armed Group", "inter1": 3, "actor2": "Civilians",
        "inter2": 7, "location": BAIJI, "fatalities": 2,
        "date": DateRange(start="2021-06-08", end="2021-06-08", precision="day"),
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


EVENT = make_event(1, corroborated_by=("a" * 16, "b" * 16), cluster_id="c" * 16)
UNPLACED = make_event(2, location=None, date=DateRange.unknown(), fatalities=None)
TOWN = Entity(id="e1", kind="place", canonical="Bayji", aliases=("Baiji", "Beiji"),
              mentions=3, geonameid=99347, lat=34.93, lon=43.49, country="IQ",
              admin1="Salah ad Din")  # fmt: skip
GROUP = Entity(id="e2", kind="actor", canonical="Islamic State", aliases=("IS", "Daesh"),
               mentions=5)  # fmt: skip


# -- contract rows, JSONL, CSV ----------------------------------------------------


def test_event_rows_follow_the_contract() -> None:
    (row, bare) = event_rows([EVENT, UNPLACED], {DOC.id: DOC})
    assert tuple(row) == EVENT_FIELDS
    assert row["source"] == "feeds/north.xml"
    assert row["location"] == {
        "name": "Baiji", "canonical": "Bayji", "geonameid": 99347, "lat": 34.93, "lon": 43.49,
        "country": "IQ", "admin1": "Salah ad Din", "precision": 1,
    }  # fmt: skip
    assert row["date"] == {"start": "2021-06-08", "end": "2021-06-08", "precision": "day"}
    assert row["span"] == [0, len(BODY)]
    assert row["corroborated_by"] == ["a" * 16, "b" * 16]
    assert (row["cluster_id"], bare["cluster_id"]) == ("c" * 16, None)
    assert bare["location"] is None
    assert bare["date"] == {"start": None, "end": None, "precision": "unknown"}


def test_event_rows_without_their_document_have_no_source() -> None:
    (row,) = event_rows([EVENT], {})
    assert row["source"] is None


def test_entity_rows_follow_the_contract() -> None:
    town, group = entity_rows([TOWN, GROUP])
    assert tuple(town) == ENTITY_FIELDS
    assert town["aliases"] == ["Baiji", "Beiji"]
    assert (group["geonameid"], group["lat"], group["mentions"]) == (None, None, 5)


def test_jsonl_is_one_valid_object_per_line() -> None:
    out = io.StringIO()
    assert write_jsonl(event_rows([EVENT, UNPLACED], {DOC.id: DOC}), out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [EVENT.id, UNPLACED.id]
    assert json.loads(lines[0])["location"]["lat"] == 34.93


def test_csv_flattens_with_dotted_columns_and_escapes_text() -> None:
    tricky = 'Officials said: "two dead, three hurt"\nin the\r\nmarket, Baiji'
    event = make_event(3, text=tricky, corroborated_by=("x1", "x2"))
    out = io.StringIO(newline="")
    write_csv(event_rows([event, UNPLACED], {DOC.id: DOC}), out, fields=EVENT_CSV_FIELDS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == EVENT_CSV_FIELDS
    assert "location.lat" in EVENT_CSV_FIELDS and "date.start" in EVENT_CSV_FIELDS
    assert rows[0]["text"] == tricky
    assert (rows[0]["location.lat"], rows[0]["date.precision"]) == ("34.93", "day")
    assert (rows[0]["span.start"], rows[0]["span.end"]) == ("0", str(len(BODY)))
    assert rows[0]["corroborated_by"] == "x1|x2"
    assert (rows[1]["location.name"], rows[1]["fatalities"]) == ("", "")


def test_entity_csv_joins_aliases() -> None:
    out = io.StringIO(newline="")
    write_csv(entity_rows([TOWN, GROUP]), out, fields=ENTITY_CSV_FIELDS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [r["aliases"] for r in rows] == ["Baiji|Beiji", "IS|Daesh"]
    assert rows[1]["lat"] == ""


# -- GeoJSON ----------------------------------------------------------------------


def test_geojson_events_are_points_or_null_geometries() -> None:
    out = io.StringIO()
    assert write_geojson(event_rows([EVENT, UNPLACED], {DOC.id: DOC}), out) == 2
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    placed, unplaced = collection["features"]
    assert placed["type"] == "Feature" and placed["id"] == EVENT.id
    assert placed["geometry"] == {"type": "Point", "coordinates": [43.49, 34.93]}  # lon, lat
    assert set(placed["properties"]) == set(EVENT_FIELDS)
    assert placed["properties"]["date"]["start"] == "2021-06-08"
    assert unplaced["geometry"] is None


def test_geojson_entities_places_are_points() -> None:
    out = io.StringIO()
    write_geojson(entity_rows([TOWN, GROUP]), out)
    town, group = json.loads(out.getvalue())["features"]
    assert town["geometry"]["coordinates"] == [43.49, 34.93]
    assert group["geometry"] is None
    assert town["properties"]["aliases"] == ["Baiji", "Beiji"]


def test_empty_geojson_is_valid() -> None:
    out = io.StringIO()
    assert write_geojson([], out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


# -- ACLED ------------------------------------------------------------------------

AT = datetime(2021, 7, 1, 12, 0, tzinfo=UTC)


def acled(*events: Event) -> tuple[list[dict[str, object]], dict[str, int]]:
    export = acled_rows(merge_stored(events), {DOC.id: DOC}, exported_at=AT)
    rows = list(export.rows)
    return rows, dict(export.skipped)


def test_acled_row_has_acleds_columns_and_codes() -> None:
    (rows, skipped) = acled(EVENT)
    (row,) = rows
    assert tuple(row) == ACLED_COLUMNS
    assert skipped == {}
    assert str(row["event_id_cnty"]).startswith("IRQ")
    assert str(row["event_id_cnty"])[3:].isdigit()
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2021-06-08", 2021, 1)
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (3, 7, 37)
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == (368, "Middle East", "Iraq")
    assert (row["admin1"], row["admin2"], row["location"]) == ("Salah ad Din", "Baiji", "Bayji")
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (34.93, 43.49, 1)
    assert (row["source"], row["notes"], row["fatalities"]) == ("Northern Monitor", BODY, 2)
    assert row["timestamp"] == int(AT.timestamp())


def test_acled_event_ids_are_stable_and_distinct() -> None:
    first, _ = acled(EVENT, make_event(7))
    again, _ = acled(EVENT)
    assert first[0]["event_id_cnty"] == again[0]["event_id_cnty"]
    assert first[0]["event_id_cnty"] != first[1]["event_id_cnty"]


def test_acled_uses_acleds_country_names() -> None:
    (row,), _ = acled(make_event(1, location=ALEPPO))
    assert (row["country"], row["iso"], row["event_id_cnty"][:3]) == ("Syria", 760, "SYR")  # type: ignore[index]


@pytest.mark.parametrize(
    ("date", "event_date", "precision"),
    [
        (DateRange(start="2021-06-07", end="2021-06-13", precision="week"), "2021-06-10", 2),
        (DateRange(start="2021-06-01", end="2021-06-30", precision="month"), "2021-06-15", 3),
        # An undated report's date is already the range it can be: its width decides.
        (DateRange(start="2021-06-08", end="2021-06-08", precision="day", approximate=True),
         "2021-06-08", 1),
        (DateRange(start="2021-03-01", end="2021-04-14", precision="month", approximate=True),
         "2021-03-23", 3),
        (DateRange(start="2021-06-01", end="2021-06-30", precision="month", approximate=True),
         "2021-06-15", 3),
    ],
)  # fmt: skip
def test_acled_dates_and_time_precision(date: DateRange, event_date: str, precision: int) -> None:
    (row,), _ = acled(make_event(1, date=date))
    assert (row["event_date"], row["time_precision"]) == (event_date, precision)


def test_acled_defaults_for_what_the_text_does_not_say() -> None:
    quiet = make_event(1, fatalities=None, actor2=None, inter2=None, location=None)
    (row,), _ = acled(quiet)
    assert (row["fatalities"], row["inter2"], row["interaction"]) == (0, 0, 30)
    assert row["civilian_targeting"] is None
    assert (row["country"], row["latitude"]) == (None, None)
    assert str(row["event_id_cnty"]).startswith("XXX")
    (row,), _ = acled(make_event(1, doc_id="f" * 16, id="f" * 16 + "-1"))
    assert row["source"] is None


def test_acled_leaves_out_undated_events_and_counts_them() -> None:
    year_only = make_event(4, date=DateRange(start="2021-01-01", end="2021-12-31",
                                             precision="year"))  # fmt: skip
    rows, skipped = acled(EVENT, UNPLACED, year_only, make_event(5, date=DateRange.unknown()))
    assert [r["notes"] for r in rows] == [BODY]
    assert skipped["date unknown"] == 2
    assert sum(skipped.values()) == 3


def test_acled_csv_keeps_column_order() -> None:
    export = acled_rows(merge_stored([EVENT]), {DOC.id: DOC}, exported_at=AT)
    out = io.StringIO(newline="")
    write_csv(export.rows, out, fields=ACLED_COLUMNS)
    reader = csv.reader(io.StringIO(out.getvalue(), newline=""))
    header, line = next(reader), next(reader)
    assert tuple(header) == ACLED_COLUMNS
    assert line[ACLED_COLUMNS.index("notes")] == BODY


def test_acled_regions_cover_every_country() -> None:
    raw = resources.files("ember").joinpath("data/acled/regions.json").read_text("utf-8")
    countries = json.loads(raw)["countries"]
    acled_regions = {
        "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa",
        "Northern Africa", "South Asia", "Southeast Asia", "East Asia", "Central Asia",
        "Caucasus and Central Asia", "Middle East", "Europe", "North America",
        "Central America", "South America", "Caribbean", "Oceania", "Antarctica",
    }  # fmt: skip
    assert {c.alpha_2 for c in pycountry.countries} <= set(countries)
    for code, entry in countries.items():
        assert entry["region"] in acled_regions, code
        assert entry["country"].strip(), code


# -- from the store ---------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_document(DOC, signature=None, run_id="r")
    store.add_analysis(DOC.id, [EVENT, UNPLACED], [], version="1")
    return store


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "acled"])
def test_export_events_from_the_store(filled: Store, fmt: str) -> None:
    out = io.StringIO(newline="")
    result = export_events(filled, out, fmt=fmt)  # type: ignore[arg-type]
    text = out.getvalue()
    if fmt == "acled":
        assert (result.written, result.skipped) == (1, {"date unknown": 1})
        assert text.splitlines()[0] == ",".join(ACLED_COLUMNS)
        assert "Northern Monitor" in text
    else:
        assert (result.written, result.skipped) == (2, {})
        assert "feeds/north.xml" in text
    if fmt == "geojson":
        assert len(json.loads(text)["features"]) == 2


def test_export_entities_from_the_store(filled: Store) -> None:
    out = io.StringIO()
    assert export_entities(filled, out, fmt="jsonl").written == 0
    with pytest.raises(ConfigError, match="events only"):
        export_entities(filled, io.StringIO(), fmt="acled")

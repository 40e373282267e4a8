"""Exports of corroborated events: one row per report (with the other documents and the
shared cluster) in JSONL, CSV and GeoJSON; one row per happening in ACLED's format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ember.analyze.corroborate import corroborate_store
from ember.ingest import content_id
from ember.records import DateRange, Document, Event, Location
from ember.report.exports import ACLED_COLUMNS, EVENT_CSV_FIELDS, export_events
from ember.store import Store

TIKRIT = Location(name="Tikrit", canonical="Tikrit", geonameid=89993, lat=34.6, lon=43.68,
                  country="IQ", admin1="Salah ad Din", precision=1)  # fmt: skip
REPORTS = [
    ("A bomb hidden in a parked truck exploded near a Tikrit checkpoint.", "Tigris Daily", 14),
    ("Police said a truck bomb went off at a checkpoint south of Tikrit.", "North Wire", 11),
    ("A blast at a checkpoint outside Tikrit killed eleven, a medic said.", "North Wire", 11),
]


def outlet_report(store: Store, body: str, publisher: str, killed: int) -> Document:
    doc = Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                   format="text", publisher=publisher)  # fmt: skip
    store.add_document(doc, signature=None, run_id="r")
    event = Event(
        id=f"{doc.id}-1", doc_id=doc.id, event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED", text=body, span=(0, len(body)),
        location=TIKRIT, fatalities=killed,
        date=DateRange(start="2020-02-11", end="2020-02-11", precision="day"),
    )  # fmt: skip
    store.add_analysis(doc.id, [event], [], version="1")
    return doc


@pytest.fixture
def corroborated(store: Store) -> tuple[Store, list[Document]]:
    docs = [outlet_report(store, *report) for report in REPORTS]
    assert corroborate_store(store).clusters == 1
    return store, docs


def test_jsonl_keeps_one_row_per_report(corroborated: tuple[Store, list[Document]]) -> None:
    store, docs = corroborated
    out = io.StringIO()
    assert export_events(store, out, fmt="jsonl").written == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    ids = {doc.id for doc in docs}
    for row in rows:
        assert set(row["corroborated_by"]) == ids - {row["doc_id"]}
    assert len({row["cluster_id"] for row in rows}) == 1 and rows[0]["cluster_id"]


def test_csv_and_geojson_carry_the_cluster(corroborated: tuple[Store, list[Document]]) -> None:
    store, docs = corroborated
    out = io.StringIO(newline="")
    export_events(store, out, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == EVENT_CSV_FIELDS
    assert rows[0]["corroborated_by"] == "|".join(sorted({d.id for d in docs[1:]}))
    assert len({row["cluster_id"] for row in rows}) == 1
    out = io.StringIO()
    export_events(store, out, fmt="geojson")
    features = json.loads(out.getvalue())["features"]
    assert len(features) == 3 and features[0]["properties"]["cluster_id"] == rows[0]["cluster_id"]


def test_acled_codes_the_happening_once(corroborated: tuple[Store, list[Document]]) -> None:
    store, _docs = corroborated
    out = io.StringIO(newline="")
    assert export_events(store, out, fmt="acled").written == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert tuple(row) == ACLED_COLUMNS
    assert row["source"] == "Tigris Daily; North Wire"  # every outlet, once
    assert row["fatalities"] == "11"  # the lowest figure
    assert row["notes"].endswith("Reports give 11 and 14 killed.")
    again = io.StringIO(newline="")
    export_events(store, again, fmt="acled")
    assert (
        next(csv.DictReader(io.StringIO(again.getvalue())))["event_id_cnty"]
        == (row["event_id_cnty"])
    )


def test_acled_notes_name_no_figures_when_reports_agree(store: Store) -> None:
    for body, publisher, _killed in REPORTS[1:]:
        outlet_report(store, body, publisher, 11)
    corroborate_store(store)
    out = io.StringIO(newline="")
    export_events(store, out, fmt="acled")
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert "Reports give" not in row["notes"] and row["fatalities"] == "11"

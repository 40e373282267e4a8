"""Claim exports (contract rows, JSONL, CSV, GeoJSON) and the CSV formula guard that
every CSV export shares."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ember.errors import ConfigError
from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Event, Location
from ember.report import claim_rows, export_claims
from ember.report.exports import (
    CLAIM_CSV_FIELDS,
    CLAIM_FIELDS,
    DOCUMENT_FIELDS,
    EVENT_CSV_FIELDS,
    document_rows,
    event_rows,
    write_csv,
    write_geojson,
    write_jsonl,
)
from ember.store import Store

BODY = (
    "Between 3,000 and 4,500 fighters are thought to remain across the Anbar desert "
    "and Nineveh, a regional security source told the Valley Courier; the courier puts "
    "the cost of rebuilding at $ 1.5 billion."
)
DOC = Document(id=content_id(BODY), source="pages/courier.html", text=BODY, format="html",
               publisher="Valley Courier")  # fmt: skip
ANBAR = Location(name="Anbar", start=67, end=72, canonical="Al Anbar", geonameid=99593,
                 lat=33.0, lon=42.0, country="IQ", admin1="Anbar", feature="admin1",
                 precision=3)  # fmt: skip
NINEVEH = Location(name="Nineveh", start=84, end=91, canonical="Nineveh", geonameid=99071,
                   lat=36.0, lon=42.5, country="IQ", admin1="Nineveh", feature="admin1",
                   precision=3)  # fmt: skip
SENTENCE = (0, BODY.index(";"))

FIGHTERS = Claim(
    id=f"{DOC.id}-c1", doc_id=DOC.id, subject="fighters", subject_text="fighters",
    value_low=3000.0, value_high=4500.0, unit="count", quantity_text="Between 3,000 and 4,500",
    quantity_span=(0, 23), text=BODY[slice(*SENTENCE)], span=SENTENCE, qualifier=None,
    actor="Islamic State", places=(ANBAR, NINEVEH),
    as_of=DateRange(start="2020-03-02", end="2020-03-02", precision="day"),
    attributed_to="regional security source", attributed_text="a regional security source",
    hedge="thought", confidence=0.74,
)  # fmt: skip
COST = Claim(
    id=f"{DOC.id}-c2", doc_id=DOC.id, subject="funds", subject_text="cost of rebuilding",
    value_low=1.5e9, value_high=1.5e9, unit="USD", quantity_text="$ 1.5 billion",
    quantity_span=(BODY.index("$"), len(BODY) - 1), text=BODY, span=(0, len(BODY)),
)  # fmt: skip
SHARE = Claim(
    id=f"{DOC.id}-c3", doc_id=DOC.id, subject="territory", subject_text="the province",
    value_low=0.25, value_high=0.5, unit="share", quantity_text="a quarter to half",
    quantity_span=(0, 5), text=BODY, span=(0, len(BODY)), qualifier="up to", vague=True,
    places=(Location(name="the desert", start=60, end=70),),
)  # fmt: skip


def test_claim_rows_follow_the_contract() -> None:
    (row, cost, _) = claim_rows([FIGHTERS, COST, SHARE], {DOC.id: DOC})
    assert tuple(row) == CLAIM_FIELDS
    assert CLAIM_FIELDS[:13] == (
        "id", "doc_id", "source", "subject", "value_low", "value_high", "unit", "qualifier",
        "place", "as_of", "attributed_to", "text", "span",
    )  # fmt: skip
    assert (row["source"], row["subject"], row["unit"]) == ("pages/courier.html", "fighters",
                                                           "count")  # fmt: skip
    assert row["place"] == "Al Anbar; Nineveh"
    assert row["as_of"] == {"start": "2020-03-02", "end": "2020-03-02", "precision": "day",
                            "approximate": False}  # fmt: skip
    assert (row["span"], row["quantity_span"]) == ([0, SENTENCE[1]], [0, 23])
    assert row["places"][0] == {
        "name": "Anbar", "canonical": "Al Anbar", "geonameid": 99593, "lat": 33.0,
        "lon": 42.0, "country": "IQ", "admin1": "Anbar",
    }  # fmt: skip
    assert (row["attributed_to"], row["hedge"], row["vague"]) == (
        "regional security source", "thought", False,
    )  # fmt: skip
    assert (cost["place"], cost["places"], cost["attributed_to"]) == (None, [], None)


def test_whole_values_are_integers_in_json() -> None:
    out = io.StringIO()
    assert write_jsonl(claim_rows([FIGHTERS, COST, SHARE], {DOC.id: DOC}), out) == 3
    lines = out.getvalue().splitlines()
    assert '"value_low": 3000, "value_high": 4500,' in lines[0]
    assert '"value_low": 1500000000, "value_high": 1500000000,' in lines[1]
    share = json.loads(lines[2])
    assert (share["value_low"], share["value_high"]) == (0.25, 0.5)
    assert isinstance(json.loads(lines[0])["value_low"], int)


def test_claim_rows_without_their_document_have_no_source() -> None:
    (row,) = claim_rows([COST], {})
    assert row["source"] is None


def test_claim_csv_flattens_spans_as_of_and_places() -> None:
    out = io.StringIO(newline="")
    write_csv(claim_rows([FIGHTERS, COST, SHARE], {DOC.id: DOC}), out, fields=CLAIM_CSV_FIELDS)
    fighters, cost, share = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert tuple(fighters) == CLAIM_CSV_FIELDS
    assert (fighters["value_low"], fighters["value_high"]) == ("3000", "4500")
    assert (fighters["as_of.start"], fighters["as_of.approximate"]) == ("2020-03-02", "false")
    assert (fighters["quantity_span.start"], fighters["quantity_span.end"]) == ("0", "23")
    assert (fighters["span.start"], fighters["span.end"]) == ("0", str(SENTENCE[1]))
    assert fighters["places.name"] == "Anbar|Nineveh"
    assert fighters["places.lat"] == "33.0|36.0"
    assert fighters["places.geonameid"] == "99593|99071"
    assert fighters["place"] == "Al Anbar; Nineveh"
    assert (cost["places.name"], cost["qualifier"], cost["value_low"]) == ("", "", "1500000000")
    assert (share["places.name"], share["places.lat"], share["vague"]) == ("the desert", "",
                                                                           "true")  # fmt: skip


def test_claim_geojson_places_a_claim_at_its_first_located_place() -> None:
    out = io.StringIO()
    write_geojson(claim_rows([FIGHTERS, COST, SHARE], {DOC.id: DOC}), out)
    fighters, cost, share = json.loads(out.getvalue())["features"]
    assert fighters["geometry"] == {"type": "Point", "coordinates": [42.0, 33.0]}
    assert cost["geometry"] is None and share["geometry"] is None
    assert fighters["properties"]["value_low"] == 3000


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_document(DOC, signature=None, run_id="r")
    store.add_analysis(DOC.id, [], [], [FIGHTERS, COST], version="claims-1")
    return store


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson"])
def test_export_claims_from_the_store(filled: Store, fmt: str) -> None:
    out = io.StringIO(newline="")
    result = export_claims(filled, out, fmt=fmt)  # type: ignore[arg-type]
    assert (result.written, result.skipped) == (2, {})
    text = out.getvalue()
    assert "pages/courier.html" in text
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert rows == list(claim_rows([FIGHTERS, COST], {DOC.id: DOC}))
    if fmt == "csv":
        assert text.splitlines()[0] == ",".join(CLAIM_CSV_FIELDS)


def test_export_claims_refuses_acled(filled: Store) -> None:
    with pytest.raises(ConfigError, match="events only"):
        export_claims(filled, io.StringIO(), fmt="acled")


# -- formula injection ------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://example.invalid","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
]


def read_back(rows: list[dict[str, object]], fields: tuple[str, ...]) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_csv(rows, out, fields=fields)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_cells_that_start_like_formulas_are_quoted(cell: str) -> None:
    (row,) = read_back([{"text": cell}], ("text",))
    assert row["text"] == "'" + cell


@pytest.mark.parametrize(
    "cell", ["-12", "-12.5", "+3", "-1e5", "-4.5|-1.2", "-4||7", "plain = text", "a-b", ""]
)
def test_plain_numbers_and_ordinary_text_are_left_alone(cell: str) -> None:
    (row,) = read_back([{"text": cell}], ("text",))
    assert row["text"] == cell


def test_numbers_keep_their_sign() -> None:
    (row,) = read_back([{"lat": -33.9, "n": -4, "flag": True}], ("lat", "n", "flag"))
    assert row == {"lat": "-33.9", "n": "-4", "flag": "true"}


def test_every_csv_export_is_guarded() -> None:
    hostile = '=IMPORTXML("http://example.invalid", "//a")'
    doc = Document(id=content_id(hostile), source="@evil.txt", text=hostile, format="text",
                   title="-1+1+cmd|' /C calc'!A0")  # fmt: skip
    (document,) = read_back(list(document_rows([doc])), DOCUMENT_FIELDS)
    assert (document["text"], document["source"]) == ("'" + hostile, "'@evil.txt")
    assert document["title"].startswith("'-1+1")
    event = Event(id="e1", doc_id=doc.id, event_type="Riots", sub_event_type="Mob violence",
                  text=hostile, span=(0, len(hostile)), actor1="+Group")  # fmt: skip
    (event_row,) = read_back(list(event_rows([event], {doc.id: doc})), EVENT_CSV_FIELDS)
    assert (event_row["text"], event_row["actor1"]) == ("'" + hostile, "'+Group")
    assert event_row["source"] == "'@evil.txt"
    claim = Claim(id="c1", doc_id=doc.id, subject="other", subject_text="=cmd", value_low=-5,
                  value_high=-5, unit="count", quantity_text="-5", quantity_span=(0, 2),
                  text=hostile, span=(0, len(hostile)),
                  places=(Location(name="@Town", canonical="=Town"),))  # fmt: skip
    (claim_row,) = read_back(list(claim_rows([claim], {doc.id: doc})), CLAIM_CSV_FIELDS)
    assert (claim_row["subject_text"], claim_row["text"]) == ("'=cmd", "'" + hostile)
    assert (claim_row["value_low"], claim_row["quantity_text"]) == ("-5", "-5")
    assert (claim_row["places.name"], claim_row["place"]) == ("'@Town", "'=Town")

"""Evidence cites the page of a paged document (a PDF): the ``page`` field of event and
claim rows in every format, and "p. N" beside the quote in the report."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from ember.ingest import content_id
from ember.ingest.pages import page_of
from ember.records import Claim, DateRange, Document, Event, Location
from ember.report.exports import (
    CLAIM_CSV_FIELDS,
    CLAIM_FIELDS,
    EVENT_CSV_FIELDS,
    EVENT_FIELDS,
    claim_rows,
    event_rows,
    export_claims,
    export_events,
    page_at,
    write_geojson,
)
from ember.report.html import build_report
from ember.report.views import report_data
from ember.store import Store

PAGE_ONE = "Quarterly review of the river districts.\n\nTrade on the river road recovered."
PAGE_TWO = (
    "Gunmen attacked a checkpoint outside Hawija on 3 March 2021, killing four guards.\n\n"
    "Officials estimate that 300 militants remain in the hills."
)
PAGED_TEXT = f"{PAGE_ONE}\n\n{PAGE_TWO}"
PAGE_TWO_START = len(PAGE_ONE) + 2
PAGED = Document(id=content_id(PAGED_TEXT), source="reports/review.pdf", text=PAGED_TEXT,
                 format="pdf", title="Quarterly review", publisher="River Monitor",
                 published="2021-03-20", pages=(0, PAGE_TWO_START))  # fmt: skip
UNPAGED_TEXT = "Gunmen attacked a checkpoint outside Hawija, killing four guards, police said."
UNPAGED = Document(id=content_id(UNPAGED_TEXT), source="news/hawija.html", text=UNPAGED_TEXT,
                   format="html", title="Checkpoint attacked", publisher="Hawija Daily",
                   published="2021-03-04")  # fmt: skip
HAWIJA = Location(name="Hawija", canonical="Hawija", lat=35.33, lon=43.77, country="IQ",
                  admin1="Kirkuk", precision=1)  # fmt: skip
MARCH_3 = DateRange(start="2021-03-03", end="2021-03-03", precision="day")


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


ATTACK_SENTENCE = (
    "Gunmen attacked a checkpoint outside Hawija on 3 March 2021, killing four guards."
)
PAGED_ATTACK = Event(
    id=f"{PAGED.id}-e1", doc_id=PAGED.id, event_type="Battles", sub_event_type="Armed clash",
    text=ATTACK_SENTENCE, span=_span(PAGED_TEXT, ATTACK_SENTENCE), location=HAWIJA,
    date=MARCH_3, fatalities=4, confidence=0.9,
)  # fmt: skip
UNPAGED_ATTACK = Event(
    id=f"{UNPAGED.id}-e1", doc_id=UNPAGED.id, event_type="Battles", sub_event_type="Armed clash",
    text=UNPAGED_TEXT, span=(0, len(UNPAGED_TEXT)), location=HAWIJA, date=MARCH_3,
    fatalities=4, confidence=0.5,
)  # fmt: skip
MILITANTS_SENTENCE = "Officials estimate that 300 militants remain in the hills."
PAGED_MILITANTS = Claim(
    id=f"{PAGED.id}-c1", doc_id=PAGED.id, subject="fighters", subject_text="militants",
    value_low=300, value_high=300, unit="count", quantity_text="300",
    quantity_span=_span(PAGED_TEXT, "300"), text=MILITANTS_SENTENCE,
    span=_span(PAGED_TEXT, MILITANTS_SENTENCE), as_of=MARCH_3, attributed_to="officials",
)  # fmt: skip
DOCUMENTS = {PAGED.id: PAGED, UNPAGED.id: UNPAGED}


def test_event_and_claim_rows_cite_the_page_their_sentence_starts_on() -> None:
    paged, unpaged = event_rows([PAGED_ATTACK, UNPAGED_ATTACK], DOCUMENTS)
    assert (paged["page"], unpaged["page"]) == (2, None)
    (claim,) = claim_rows([PAGED_MILITANTS], DOCUMENTS)
    assert claim["page"] == 2
    # After the contract's fields, in the order the field lists give.
    assert tuple(paged) == EVENT_FIELDS and tuple(claim) == CLAIM_FIELDS
    assert EVENT_FIELDS.index("page") == EVENT_FIELDS.index("corroborated_by") + 1
    assert CLAIM_FIELDS.index("page") == CLAIM_FIELDS.index("span") + 1


def test_a_record_on_the_first_page_cites_page_one() -> None:
    first = replace(PAGED_ATTACK, id="first", text=PAGE_ONE, span=(0, 40))
    (row,) = event_rows([first], DOCUMENTS)
    assert row["page"] == 1


def test_page_at_agrees_with_the_ingest_rule_with_and_without_the_text() -> None:
    metadata_only = replace(PAGED, text="")
    for offset in (0, 10, PAGE_TWO_START - 1, PAGE_TWO_START, len(PAGED_TEXT)):
        assert page_at(PAGED, offset) == page_of(PAGED, offset)
        assert page_at(metadata_only, offset) == page_of(PAGED, offset)
    assert page_at(PAGED, len(PAGED_TEXT) + 1) is None
    assert page_at(PAGED, -1) is None
    assert page_at(UNPAGED, 0) is None and page_at(None, 0) is None


def _store(path: Path) -> Store:
    store = Store.open(f"sqlite:///{path}")
    store.add_document(PAGED, signature=None, run_id="test")
    store.add_document(UNPAGED, signature=None, run_id="test")
    store.add_analysis(PAGED.id, [PAGED_ATTACK], [], [PAGED_MILITANTS], version="test")
    store.add_analysis(UNPAGED.id, [UNPAGED_ATTACK], [], [], version="test")
    return store


def _exported(store: Store, kind: str, fmt: str) -> str:
    out = io.StringIO()
    export = export_events if kind == "events" else export_claims
    export(store, out, fmt=fmt)  # type: ignore[arg-type]
    return out.getvalue()


def test_exports_from_the_store_cite_pages_in_every_format(tmp_path: Path) -> None:
    with _store(tmp_path / "p.db") as store:
        jsonl = [json.loads(line) for line in _exported(store, "events", "jsonl").splitlines()]
        assert {row["doc_id"]: row["page"] for row in jsonl} == {PAGED.id: 2, UNPAGED.id: None}
        rows = list(csv.DictReader(io.StringIO(_exported(store, "events", "csv"))))
        assert tuple(rows[0]) == EVENT_CSV_FIELDS
        assert {row["doc_id"]: row["page"] for row in rows} == {PAGED.id: "2", UNPAGED.id: ""}
        features = json.loads(_exported(store, "events", "geojson"))["features"]
        assert {f["properties"]["doc_id"]: f["properties"]["page"] for f in features} == {
            PAGED.id: 2, UNPAGED.id: None,
        }  # fmt: skip
        (claim,) = csv.DictReader(io.StringIO(_exported(store, "claims", "csv")))
        assert tuple(claim) == CLAIM_CSV_FIELDS and claim["page"] == "2"
        (claim_line,) = _exported(store, "claims", "jsonl").splitlines()
        assert json.loads(claim_line)["page"] == 2


def test_geojson_keeps_a_null_page() -> None:
    out = io.StringIO()
    write_geojson(event_rows([UNPAGED_ATTACK], DOCUMENTS), out)
    (feature,) = json.loads(out.getvalue())["features"]
    assert "page" in feature["properties"] and feature["properties"]["page"] is None


@pytest.fixture
def report_store(tmp_path: Path) -> Store:
    store = _store(tmp_path / "r.db")
    # Both reports tell one happening: the merged event cites each on its own page.
    store.set_corroboration({
        (PAGED.id, PAGED_ATTACK.id): ("hawija", (UNPAGED.id,)),
        (UNPAGED.id, UNPAGED_ATTACK.id): ("hawija", (PAGED.id,)),
    })  # fmt: skip
    return store


def test_report_events_cite_the_quote_page_and_each_source_page(report_store: Store) -> None:
    data = report_data(report_store)
    (event,) = data["events"]
    assert event["text"] == ATTACK_SENTENCE and event["page"] == 2
    assert {s["id"]: s["page"] for s in event["sources"]} == {PAGED.id: 2, UNPAGED.id: None}
    (entry,) = [e for group in data["ledger"]["groups"] for e in group["entries"]]
    assert [claim["page"] for claim in entry["claims"]] == [2]


def test_the_report_shows_the_page_beside_the_quote(report_store: Store) -> None:
    html = build_report(report_store)
    quote_at = html.index(f">{ATTACK_SENTENCE}</div>")
    cell_end = html.index("</td>", quote_at)
    assert '<span class="page-cite">p. 2</span>' in html[quote_at:cell_end]


def test_unpaged_reports_cite_no_page(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'u.db'}") as store:
        store.add_document(UNPAGED, signature=None, run_id="test")
        store.add_analysis(UNPAGED.id, [UNPAGED_ATTACK], [], [], version="test")
        (event,) = report_data(store)["events"]
        assert event["page"] is None and event["sources"][0]["page"] is None
        assert '<span class="page-cite">' not in build_report(store)

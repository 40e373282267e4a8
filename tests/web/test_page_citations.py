"""The app cites the page of a paged document (PDF) beside each quote: event and claim
pages, the document page, the lists, and the API's event, claim and map records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Event, Location
from ember.store import Store
from ember.web import create_app

FIRST_PAGE = "Annual review of the northern districts.\n\nMarkets in the valley reopened."
SECOND_PAGE = (
    "Militants ambushed a patrol near Sinjar on 9 April 2021, killing three soldiers.\n\n"
    "Officials put the number of fighters in the mountains at 250."
)
TEXT = f"{FIRST_PAGE}\n\n{SECOND_PAGE}"
PDF = Document(id=content_id(TEXT), source="reports/annual.pdf", text=TEXT, format="pdf",
               title="Annual review", publisher="North Monitor", published="2021-04-20",
               pages=(0, len(FIRST_PAGE) + 2))  # fmt: skip
NOTE_TEXT = "Militants ambushed a patrol near Sinjar, killing three soldiers, the army said."
NOTE = Document(id=content_id(NOTE_TEXT), source="news/sinjar.html", text=NOTE_TEXT,
                format="html", title="Patrol ambushed", published="2021-04-10")  # fmt: skip
SINJAR = Location(name="Sinjar", canonical="Sinjar", lat=36.32, lon=41.87, country="IQ",
                  admin1="Nineveh", precision=1)  # fmt: skip
APRIL_9 = DateRange(start="2021-04-09", end="2021-04-09", precision="day")
AMBUSH = "Militants ambushed a patrol near Sinjar on 9 April 2021, killing three soldiers."
FIGHTERS = "Officials put the number of fighters in the mountains at 250."


def _span(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


PDF_EVENT = Event(id=f"{PDF.id}-e1", doc_id=PDF.id, event_type="Battles",
                  sub_event_type="Armed clash", text=AMBUSH, span=_span(AMBUSH),
                  location=SINJAR, date=APRIL_9, fatalities=3, confidence=0.9)  # fmt: skip
NOTE_EVENT = Event(id=f"{NOTE.id}-e1", doc_id=NOTE.id, event_type="Battles",
                   sub_event_type="Armed clash", text=NOTE_TEXT, span=(0, len(NOTE_TEXT)),
                   location=SINJAR, date=APRIL_9, fatalities=3, confidence=0.4)  # fmt: skip
PDF_CLAIM = Claim(id=f"{PDF.id}-c1", doc_id=PDF.id, subject="fighters", subject_text="fighters",
                  value_low=250, value_high=250, unit="count", quantity_text="250",
                  quantity_span=_span("250"), text=FIGHTERS, span=_span(FIGHTERS),
                  as_of=APRIL_9, attributed_to="officials")  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'pages.db'}"
    with Store.open(url) as store:
        for doc in (PDF, NOTE):
            store.add_document(doc, signature=None, run_id="test")
        store.add_analysis(PDF.id, [PDF_EVENT], [], [PDF_CLAIM], version="test")
        store.add_analysis(NOTE.id, [NOTE_EVENT], [], [], version="test")
        store.set_corroboration({
            (PDF.id, PDF_EVENT.id): ("ambush", (NOTE.id,)),
            (NOTE.id, NOTE_EVENT.id): ("ambush", (PDF.id,)),
        })  # fmt: skip
    with TestClient(create_app(url)) as test_client:
        yield test_client


CITED = '<span class="page-cite" id="record-page">p. 2</span>'


def test_the_event_and_claim_pages_cite_the_page_beside_the_quote(client: TestClient) -> None:
    page = client.get(f"/events/{PDF_EVENT.id}").text
    assert f"{AMBUSH} {CITED}" in page
    unpaged = client.get(f"/events/{NOTE_EVENT.id}").text
    assert "record-page" not in unpaged
    claim = client.get(f"/claims/{PDF_CLAIM.id}").text
    assert f"{FIGHTERS} {CITED}" in claim


def test_the_document_page_and_the_lists_cite_pages(client: TestClient) -> None:
    document = client.get(f"/documents/{PDF.id}").text
    assert document.count('<span class="page-cite">p. 2</span>') == 2  # the event and claim
    assert "page-cite" not in client.get(f"/documents/{NOTE.id}").text.split("doc-side")[1]
    events = client.get("/events").text
    assert events.count('<span class="page-cite">p. 2</span>') == 1
    merged = client.get("/events?view=merged").text
    assert merged.count('<span class="page-cite">p. 2</span>') == 1
    assert '<span class="page-cite">p. 2</span>' in client.get("/claims").text


def test_the_api_gives_each_record_its_page(client: TestClient) -> None:
    events = client.get("/api/events").json()["items"]
    assert {e["doc_id"]: e["page"] for e in events} == {PDF.id: 2, NOTE.id: None}
    (claim,) = client.get("/api/claims").json()["items"]
    assert claim["page"] == 2
    detail = client.get(f"/api/documents/{PDF.id}").json()
    assert [e["page"] for e in detail["events"]] == [2]
    assert [c["page"] for c in detail["claims"]] == [2]
    (feature,) = client.get("/api/map").json()["features"]
    properties = feature["properties"]
    assert properties["page"] == 2
    assert {s["id"]: s["page"] for s in properties["sources"]} == {PDF.id: 2, NOTE.id: None}
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "page" in schema["EventOut"]["properties"]
    assert "page" in schema["ClaimOut"]["properties"]

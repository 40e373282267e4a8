"""Lists as an analyst reads them: events and claims newest first by their own dates
(undated last), the latest documents by publication date, whatever order they were
ingested in; and local sources shown relative to the folder ingested, on every page and
in every API record (absolute paths stay in the store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ember.records import Claim, DateRange, Document, Event
from ember.store import Store
from ember.web import create_app

ROOT = "/home/analyst/cases/euphrates"
# Ingested in this order: neither the events' nor the documents' date order.
REPORTS = [
    ("mid", "2021-05-10", "2021-05-09"),
    ("old", "2021-03-02", "2021-03-01"),
    ("undated", None, None),
    ("new", "2021-08-21", "2021-08-20"),
]


def _day(iso: str | None) -> DateRange:
    return DateRange(start=iso, end=iso, precision="day") if iso else DateRange.unknown()


def _fill(store: Store) -> None:
    for name, published, happened in REPORTS:
        text = f"Gunmen attacked a checkpoint near the {name} bridge, killing two guards."
        doc = Document(id=f"{name:0<8}", source=f"{ROOT}/{name}/{name}.txt", text=text,
                       format="text", title=f"Report {name}", published=published)  # fmt: skip
        store.add_document(doc, signature=None, run_id="test")
        event = Event(id=f"ev-{name}", doc_id=doc.id, event_type="Battles",
                      sub_event_type="Armed clash", text=text, span=(0, len(text)),
                      date=_day(happened), fatalities=2)  # fmt: skip
        claim = Claim(id=f"cl-{name}", doc_id=doc.id, subject="guards", subject_text="guards",
                      value_low=2, value_high=2, unit="count", quantity_text="two",
                      quantity_span=(text.index("two"), text.index("two") + 3), text=text,
                      span=(0, len(text)), as_of=_day(happened))  # fmt: skip
        store.add_analysis(doc.id, [event], [], [claim], version="test")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'order.db'}"
    with Store.open(url) as store:
        _fill(store)
    with TestClient(create_app(url)) as test_client:
        yield test_client


NEWEST_FIRST = ["new", "mid", "old", "undated"]


def _order(text: str, marks: list[str]) -> list[str]:
    return sorted(marks, key=text.index)


def test_events_are_listed_newest_first_undated_last(client: TestClient) -> None:
    api = client.get("/api/events").json()["items"]
    assert [e["id"] for e in api] == [f"ev-{name}" for name in NEWEST_FIRST]
    merged = client.get("/api/events/merged").json()["items"]
    assert [e["id"] for e in merged] == [f"ev-{name}" for name in NEWEST_FIRST]
    page = client.get("/events").text
    assert _order(page, [f'/events/ev-{n}"' for n in NEWEST_FIRST]) == [
        f'/events/ev-{n}"' for n in NEWEST_FIRST
    ]
    # Paging keeps the order.
    second = client.get("/api/events?limit=2&offset=2").json()["items"]
    assert [e["id"] for e in second] == ["ev-old", "ev-undated"]


def test_claims_are_listed_newest_first(client: TestClient) -> None:
    api = client.get("/api/claims").json()["items"]
    assert [c["id"] for c in api] == [f"cl-{name}" for name in NEWEST_FIRST]


def test_latest_documents_are_by_publication_date(client: TestClient) -> None:
    api = client.get("/api/documents").json()["items"]
    assert [d["title"] for d in api] == [f"Report {name}" for name in NEWEST_FIRST]
    overview = client.get("/").text
    latest = overview[overview.index("Latest documents") :]
    marks = [f"Report {name}<" for name in NEWEST_FIRST]
    assert _order(latest, marks) == marks
    search = client.get("/search").text
    assert _order(search, marks) == marks


def test_sources_are_relative_to_the_ingest_root_everywhere(client: TestClient) -> None:
    records = [
        *client.get("/api/events").json()["items"],
        *client.get("/api/events/merged").json()["items"],
        *client.get("/api/claims").json()["items"],
        *client.get("/api/documents").json()["items"],
    ]
    assert {r["source"] for r in records} == {f"{n}/{n}.txt" for n, _, _ in REPORTS}
    detail = client.get("/api/documents/new00000").json()
    assert detail["source"] == "new/new.txt"
    assert {e["source"] for e in detail["events"] + detail["claims"]} == {"new/new.txt"}
    for path in ("/", "/events", "/claims", "/documents", "/search", "/documents/new00000",
                 "/events/ev-new"):  # fmt: skip
        assert ROOT not in client.get(path).text, path

"""``ember serve``'s ``/alerts`` page and ``/api/alerts``: what the watch raised, newest
first, escaped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ember.store import Store, add_alert
from ember.web import create_app


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ember.db'}"
    with Store.open(url) as store:
        for number, (rule, summary) in enumerate(
            [("deadly", "Armed clash at Mosul, 4 killed"),
             ("near-raqqa", "Remote explosive at Ar Raqqah <script>alert(1)</script>")]
        ):  # fmt: skip
            added = add_alert(
                store, key=f"{rule}:e{number}", rule_id=rule, kind="event",
                record_id=f"e{number}", doc_id=f"d{number}", summary=summary,
                payload={"rule": rule, "text": "A sentence <b>as written</b>."}, webhook=False,
            )  # fmt: skip
            assert added is not None
        assert add_alert(
            store, key="deadly:e0", rule_id="deadly", kind="event", record_id="e0",
            doc_id="d0", summary="again", payload={}, webhook=False,
        ) is None  # fmt: skip
    return url


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def test_the_api_lists_each_alert_once_newest_first(client: TestClient) -> None:
    body = client.get("/api/alerts").json()
    assert body["total"] == 2
    assert [item["key"] for item in body["items"]] == ["near-raqqa:e1", "deadly:e0"]
    assert body["items"][1]["details"] == {"text": "A sentence <b>as written</b>."}
    only = client.get("/api/alerts", params={"rule": "deadly"}).json()
    assert [item["rule"] for item in only["items"]] == ["deadly"]
    assert client.get("/api/alerts", params={"limit": 0}).status_code in (400, 422)


def test_the_page_shows_them_escaped(client: TestClient) -> None:
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "Armed clash at Mosul, 4 killed" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;b&gt;as written&lt;/b&gt;" in page.text
    assert 'href="/documents/d0"' in page.text
    assert "No alerts for this rule" in client.get("/alerts", params={"rule": "none"}).text

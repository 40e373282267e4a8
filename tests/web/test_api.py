"""The JSON API: shapes, paging, errors, the OpenAPI schema and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ember.report import DOCUMENT_FIELDS
from ember.report.exports import CLAIM_FIELDS, EVENT_FIELDS


def _error(response: object, status: int, code: str) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message and "Traceback" not in message
    return message


def test_health(client: TestClient) -> None:
    assert client.get("/api/health").json() == {
        "status": "ok", "documents": 4, "events": 3, "claims": 4,
    }  # fmt: skip


def test_events_page_in_the_export_shape(client: TestClient) -> None:
    body = client.get("/api/events", params={"limit": 2}).json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 2, 0)
    # Newest first: the attack of 30 June, then the clash of 4 May its two reports tell.
    assert [e["id"] for e in body["items"]] == ["ev-x4", "ev-a1"]
    event = body["items"][1]
    assert list(event) == list(EVENT_FIELDS)
    assert event["location"]["canonical"] == "Qarabel"
    assert event["date"] == {"start": "2021-05-04", "end": "2021-05-04", "precision": "day"}
    assert event["source"] == "https://news.example/a1"
    rest = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert [e["id"] for e in rest["items"]] == ["ev-b2"]


def test_event_filters(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        return [e["id"] for e in client.get("/api/events", params=params).json()["items"]]

    assert ids(event_type="Battles") == ["ev-a1", "ev-b2"]
    assert ids(actor="CRIMSON", since="2021-05-04", until="2021-05-04") == ["ev-a1", "ev-b2"]
    assert ids(place="qarabel", doc_id="b2") == ["ev-b2"]
    assert ids(until="2020") == []


def test_merged_events(client: TestClient) -> None:
    body = client.get("/api/events/merged").json()
    assert body["total"] == 2
    clash = next(item for item in body["items"] if item["event_type"] == "Battles")
    assert clash["doc_ids"] == ["a1", "b2"] and clash["reports"] == 2
    assert clash["fatalities"] == 4 and clash["fatalities_reported"] == [4, 5]
    only = client.get("/api/events/merged", params={"actor": "night wolves"}).json()
    assert [item["doc_id"] for item in only["items"]] == ["x4"]


def test_limit_is_capped(client: TestClient) -> None:
    message = _error(client.get("/api/events", params={"limit": 501}), 422, "invalid")
    assert "limit" in message and "500" in message
    _error(client.get("/api/claims", params={"offset": -1}), 422, "invalid")
    assert client.get("/api/events", params={"limit": 500}).status_code == 200


def test_claims_and_ledger(client: TestClient) -> None:
    body = client.get("/api/claims").json()
    assert body["total"] == 4
    # Newest as-of date first.
    assert [c["id"] for c in body["items"]] == ["cl-x4", "cl-c3", "cl-a1", "cl-b2"]
    assert list(body["items"][2]) == list(CLAIM_FIELDS)
    assert body["items"][2]["value_low"] == 1200  # whole numbers stay integers
    assert client.get("/api/claims", params={"doc_id": "c3"}).json()["total"] == 1

    ledger = client.get("/api/ledger", params={"actor": "crimson"}).json()
    (group,) = ledger["groups"]
    assert group["has_conflicts"]
    echoed = next(e for e in group["entries"] if e["echoes"] == 2)
    assert echoed["doc_ids"] == ["a1", "b2"] and echoed["value_text"].startswith("about 1,200")
    assert client.get("/api/ledger", params={"subject": "donkeys"}).json()["groups"] == []


def test_documents_search_and_one_document(client: TestClient) -> None:
    listing = client.get("/api/documents").json()
    assert listing["total"] == 4 and list(listing["items"][0]) == list(DOCUMENT_FIELDS)

    found = client.get("/api/search", params={"q": "soldiers"}).json()
    assert {hit["doc_id"] for hit in found["items"]} == {"a1", "b2"}
    assert all(hit["snippet"] and hit["terms"] for hit in found["items"])
    _error(client.get("/api/search", params={"q": ""}), 422, "invalid")

    doc = client.get("/api/documents/a1").json()
    assert doc["title"] == "Clash at Qarabel"
    assert [e["id"] for e in doc["events"]] == ["ev-a1"]
    assert [c["id"] for c in doc["claims"]] == ["cl-a1"]
    assert {(m["kind"], m["canonical"]) for m in doc["mentions"]} == {
        ("actor", "Crimson Banner"), ("place", "Qarabel"),
    }  # fmt: skip


def test_search_ranks_the_better_match_first(app: FastAPI) -> None:
    from .conftest import document

    text = "The convoy was hit twice. A second convoy turned back; the convoy route is closed."
    app.state.store.add_document(document("r5", text), signature=None, run_id="t")
    with TestClient(app) as client:
        hits = client.get("/api/search", params={"q": "convoy"}).json()["items"]
    assert [hit["doc_id"] for hit in hits] == ["r5", "x4"]
    assert hits[0]["rank"] >= hits[1]["rank"]


def test_entities(client: TestClient) -> None:
    places = client.get("/api/entities", params={"kind": "place"}).json()
    assert [p["canonical"] for p in places["items"]] == ["Qarabel"]
    assert places["items"][0]["mentions"] == 2
    _error(client.get("/api/entities", params={"kind": "weapon"}), 422, "invalid")


def test_map_is_geojson_of_merged_events(client: TestClient) -> None:
    body = client.get("/api/map").json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]  # the clash; the hostile event has no coordinates
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.2, 35.1]}
    assert feature["properties"]["doc_ids"] == ["a1", "b2"]


def test_timeline(client: TestClient) -> None:
    body = client.get("/api/timeline").json()
    months = {row["key"]: row["counts"] for row in body["counts"]["month"]}
    assert months["2021-05"] == {"Battles": 1}
    assert months["2021-06"] == {"Violence against civilians": 1}


@pytest.mark.parametrize(
    ("kind", "fmt", "media"),
    [
        ("documents", "jsonl", "application/x-ndjson"),
        ("events", "csv", "text/csv; charset=utf-8"),
        ("events", "acled", "text/csv; charset=utf-8"),
        ("claims", "geojson", "application/geo+json"),
        ("entities", "jsonl", "application/x-ndjson"),
    ],
)
def test_exports_download(client: TestClient, kind: str, fmt: str, media: str) -> None:
    response = client.get(f"/api/export/{kind}", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.headers["content-disposition"].startswith(f'attachment; filename="ember-{kind}')
    if fmt == "jsonl":
        assert all(json.loads(line) for line in response.text.splitlines())
    elif fmt == "geojson":
        assert response.json()["type"] == "FeatureCollection"
    else:
        assert list(csv.reader(io.StringIO(response.text)))[1:]


def test_export_errors(client: TestClient) -> None:
    assert "use jsonl or csv" in _error(
        client.get("/api/export/documents", params={"format": "acled"}), 400, "bad_request"
    )
    _error(client.get("/api/export/secrets"), 422, "invalid")


def test_error_bodies(client: TestClient) -> None:
    assert _error(client.get("/api/documents/zz"), 404, "not_found") == "no document 'zz'"
    assert "GET /api/nothing" in _error(client.get("/api/nothing"), 404, "not_found")
    _error(client.post("/api/events"), 405, "method_not_allowed")
    assert "not a date" in _error(client.get("/api/events", params={"since": "soon"}), 400,
                                  "bad_request")  # fmt: skip
    # Without a token the write endpoints are not there at all.
    _error(client.post("/api/ingest/url", json={"url": "https://example.org/"}), 404, "not_found")


def test_unexpected_errors_are_a_500_without_a_traceback(app: FastAPI) -> None:
    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("secret internals at /srv/db")

    app.state.store.count_documents = broken
    with TestClient(app, raise_server_exceptions=False) as client:
        api = client.get("/api/health")
        message = _error(api, 500, "internal_error")
        assert "secret" not in message and "RuntimeError" not in api.text
        assert api.headers["content-security-policy"].startswith("default-src 'self'")
        page = client.get("/exports")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "secret" not in page.text and "Traceback" not in page.text


def test_openapi_documents_every_route(client: TestClient, app: FastAPI) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/health", "/api/search", "/api/documents", "/api/documents/{doc_id}",
        "/api/events", "/api/events/merged", "/api/claims", "/api/ledger", "/api/entities",
        "/api/map", "/api/timeline", "/api/assess", "/api/export/{kind}",
        "/api/review", "/api/review/{kind}/{record_id}", "/api/actors", "/api/places",
        "/api/alerts",
    }  # fmt: skip
    assert set(paths) == expected
    for path in expected - {"/api/export/{kind}"}:
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, path
        errors = paths[path]["get"]["responses"]
        assert errors["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "EventOut" in schema["components"]["schemas"]
    assert (
        "text/csv; charset=utf-8"
        in paths["/api/export/{kind}"]["get"]["responses"]["200"]["content"]
    )


def test_docs_pages_that_load_a_cdn_are_off(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404

"""Building and serving the app: one store per app, served on loopback by default, and
the same answers on PostgreSQL as on SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ember.errors import ConfigError
from ember.store import Store
from ember.web import create_app, run

from .conftest import fill


def test_run_serves_on_loopback_by_default(monkeypatch: pytest.MonkeyPatch, web_db: str) -> None:
    import uvicorn

    served: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        served.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    run(web_db, port=8123)
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    with TestClient(served["app"]) as client:
        assert client.get("/api/health").json()["documents"] == 4
        # No token: no write endpoint.
        assert client.post("/api/ingest/url", json={"url": "https://a.example/"}).status_code == 404


def test_a_bad_database_url_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        create_app(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    with pytest.raises(ConfigError):
        create_app("mysql://localhost/ember")


def test_the_store_closes_with_the_app(web_db: str) -> None:
    app = create_app(web_db)
    closed: list[bool] = []
    store = app.state.store
    original = store.close
    store.close = lambda: (closed.append(True), original())[1]
    with TestClient(app) as client:
        client.get("/api/health")
    assert closed == [True]


@pytest.mark.postgres
def test_the_app_on_postgresql(postgres_url: str) -> None:
    with Store.open(postgres_url) as store:
        fill(store)
    with TestClient(create_app(postgres_url)) as client:
        hits = client.get("/api/search", params={"q": "soldiers killed"}).json()
        assert {hit["doc_id"] for hit in hits["items"]} >= {"a1"}
        assert client.get("/api/events", params={"actor": "crimson"}).json()["total"] == 2
        assert client.get("/api/events/merged").json()["total"] == 2
        page = client.get("/search", params={"q": "militants"})
        assert page.status_code == 200 and "<mark>militants</mark>" in page.text
        assert "<script>alert" not in client.get("/documents/x4").text

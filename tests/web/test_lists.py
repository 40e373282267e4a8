"""Document, actor and place lists and their API: paged in SQL, newest first by
default, names matched by any spelling, sources relative to the ingest root."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from ember.records import Document
from ember.store import Store
from ember.web import create_app


def test_documents_newest_publication_first(client: TestClient) -> None:
    page = client.get("/documents")
    assert page.status_code == 200
    text = page.text
    # x4 (2021-07-01), c3 (2021-06-10), a1 (2021-05-05), b2 (2021-05-05, ingested later first)
    order = [text.index(f"/documents/{doc}") for doc in ("x4", "c3", "b2", "a1")]
    assert order == sorted(order)
    assert "<script>alert('title')</script>" not in text
    by_title = client.get("/documents?sort=title").text
    assert by_title.index("Army post raided") < by_title.index("Clash at Qarabel")
    assert client.get("/documents?sort=bogus").status_code == 422


def test_actor_and_place_lists(client: TestClient) -> None:
    actors = client.get("/api/actors").json()
    assert actors["total"] == 2
    # Night Wolves' report (2021-07-01) is the latest.
    assert [a["canonical"] for a in actors["items"]] == ["<b>Night Wolves</b>", "Crimson Banner"]
    banner = actors["items"][1]
    assert (banner["mentions"], banner["documents"], banner["latest"]) == (2, 2, "2021-05-05")
    by_mentions = client.get("/api/actors?sort=mentions").json()["items"]
    assert by_mentions[0]["canonical"] == "Crimson Banner"
    places = client.get("/api/places?name=qarab").json()
    assert places["total"] == 1 and places["items"][0]["latest"] == "2021-06-10"
    paged = client.get("/api/actors?limit=1&offset=1").json()
    assert paged["total"] == 2 and [a["canonical"] for a in paged["items"]] == ["Crimson Banner"]
    assert "Crimson Banner" in client.get("/actors").text
    assert "&lt;b&gt;Night Wolves" in client.get("/actors").text
    assert "Qarabel" in client.get("/places").text


def test_sources_are_relative_to_the_ingest_root(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'src.db'}"
    with Store.open(url) as store:
        for name in ("one", "two"):
            text = f"A report called {name} about the ferry crossing."
            doc = Document(id=name * 8, source=f"/data/field/{name}/{name}.txt", text=text,
                           format="text", title=name)  # fmt: skip
            store.add_document(doc, signature=None, run_id="r")
    with TestClient(create_app(url)) as client:
        page = client.get("/documents").text
        assert "one/one.txt" in page and "/data/field" not in page
        hits = client.get("/api/search?q=ferry").json()["items"]
        assert sorted(h["source"] for h in hits) == ["one/one.txt", "two/two.txt"]

"""The ingest runner: URLs through an injected fetcher, folder skips, near-duplicates."""

from __future__ import annotations

from pathlib import Path

import httpx

from ember.ingest import HttpxFetcher
from ember.scale import ingest_inputs
from ember.settings import Settings
from ember.store import Store

ARTICLE = (
    "<html><head><title>Bridge reopens in Hawija</title></head><body><nav>Home | World</nav>"
    "<article><h1>Bridge reopens in Hawija</h1><p>Engineers reopened the main bridge over "
    "the canal in Hawija on Thursday, two years after it was blown up during the fighting, "
    "the provincial council said in a statement.</p><p>Traffic between the villages south "
    "of the town and the market resumed within hours, residents said.</p></article>"
    "<footer>Copyright Example Wire</footer></body></html>"
)


def test_urls_use_the_given_fetcher_once_per_batch(store: Store) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.path))
        return httpx.Response(200, text=ARTICLE, headers={"content-type": "text/html"})

    fetcher = HttpxFetcher(
        Settings(), transport=httpx.MockTransport(handler), resolver=lambda _h: ["93.184.216.34"]
    )
    urls = ["https://news.example/a", "https://news.example/b"]
    summary = ingest_inputs(urls, store=store, settings=Settings(), fetcher=fetcher)
    assert seen == ["/a", "/b"]
    # The same page at two URLs is one document.
    assert (summary.stored, summary.duplicates, summary.rejected) == (1, 1, 0)
    (doc,) = store.iter_documents()
    assert doc.title == "Bridge reopens in Hawija"
    assert "Traffic between the villages" in doc.text and "Home | World" not in doc.text


def test_private_url_is_rejected_without_a_request(store: Store) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not be fetched")

    fetcher = HttpxFetcher(
        Settings(), transport=httpx.MockTransport(handler), resolver=lambda _h: ["10.1.2.3"]
    )
    summary = ingest_inputs(
        ["http://intranet.example/"], store=store, settings=Settings(), fetcher=fetcher
    )
    (rejection,) = summary.rejections
    assert "private address" in rejection.reason


def test_unsupported_files_in_a_folder_are_skipped_not_rejected(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "note.txt").write_text(
        "Two rockets struck near the airport perimeter overnight without casualties, "
        "the airport authority said on Saturday.",
        encoding="utf-8",
    )
    summary = ingest_inputs([str(folder)], store=store, settings=Settings())
    assert (summary.stored, summary.rejected, summary.skipped) == (1, 0, 1)
    outcomes = {Path(row["source"]).name: row["outcome"] for row in store.ingest_log()}
    assert outcomes == {"map.png": "skipped", "note.txt": "stored"}


def test_syndicated_copy_points_at_the_first(tmp_path: Path, store: Store) -> None:
    body = (
        "Turkish drones struck a vehicle on the road between Qamishli and Amuda on Monday, "
        "killing two members of the local security forces, a monitoring group said. The "
        "strike was the third in the area this month, and local officials said that shops "
        "in the nearby market closed early as residents feared further raids on the town."
    )
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(body, encoding="utf-8")
    (folder / "b.txt").write_text(
        "QAMISHLI (Agency) - " + body + " (Editing by desk)", encoding="utf-8"
    )
    summary = ingest_inputs([str(folder)], store=store, settings=Settings())
    assert (summary.stored, summary.near_duplicates) == (1, 1)
    first, copy = store.iter_documents()
    assert first.duplicate_of is None and copy.duplicate_of == first.id

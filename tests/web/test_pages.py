"""The server-rendered pages: each renders, and shows what the store holds."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

PAGES = [
    "/", "/search", "/search?q=qarabel", "/documents/a1", "/events", "/events?view=merged",
    "/claims", "/entities", "/entities?kind=place", "/map", "/timeline", "/exports",
]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/app.css">' in response.text
    # Scripts only from this server, never inline.
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert all('type="application/json"' in s or 'src="/static/' in s for s in scripts)


def test_static_files_are_served_from_the_package(client: TestClient) -> None:
    assert client.get("/static/app.css").status_code == 200
    assert "EmberViews" in client.get("/static/app.js").text
    palette = client.get("/palette.css")
    assert palette.headers["content-type"].startswith("text/css")
    assert '[data-type="Battles"] { --type-color: #' in palette.text


def test_overview_counts_and_brief(client: TestClient) -> None:
    html = client.get("/").text
    assert 'data-count="documents">4<' in html
    assert 'data-count="events">3<' in html
    # The two reports of the clash are one happening.
    assert 'data-count="happenings">2<' in html
    assert 'id="brief"' in html and 'class="cite" href="/documents/' in html
    assert 'id="map-data"' in html and 'id="timeline-data"' in html


def test_search_finds_ranks_and_marks(client: TestClient) -> None:
    html = client.get("/search", params={"q": "militants"}).text
    hits = re.findall(r'<li class="search-hit">\s*<a class="hit-title" href="([^"]+)"', html)
    assert set(hits) == {"/documents/a1", "/documents/b2", "/documents/c3"}
    assert "<mark>militants</mark>" in html


def test_search_without_words_lists_documents(client: TestClient) -> None:
    html = client.get("/search").text
    assert 'id="documents-table"' in html
    assert html.count('<a href="/documents/') == 4


def test_document_view_highlights_each_kind(client: TestClient) -> None:
    html = client.get("/documents/a1").text
    text = html.split('id="doc-text">', 1)[1].split("</div>", 1)[0]
    assert '<mark class="event" id="event-0-' in text
    assert re.search(r'<mark class="claim" id="claim-\d+-\d+" title="Claim: about 1,200', text)
    assert '<mark class="actor" id="actor-' in text and ">Crimson Banner</mark>" in text
    assert '<mark class="place" id="place-' in text and ">Qarabel</mark>" in text
    assert 'data-kind="event"' in text
    # The side lists link to the marks.
    for anchor in re.findall(r'href="#((?:event|claim)-\d+-\d+)"', html):
        assert f'id="{anchor}"' in text
    # Removing the marks gives back the text, escaped once.
    plain = re.sub(r"</?mark[^>]*>", "", text)
    assert plain.startswith("Fighters of the Crimson Banner attacked")


def test_document_view_of_an_unknown_id_is_an_html_404(client: TestClient) -> None:
    response = client.get("/documents/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no document &#39;nope&#39;" in response.text


def test_events_filters_and_pagination(client: TestClient) -> None:
    html = client.get("/events").text
    assert 'id="event-filters"' in html and 'name="event_type"' in html
    assert len(_rows(html)) == 3

    battles = client.get("/events", params={"event_type": "Battles"}).text
    assert len(_rows(battles)) == 2
    assert '<option value="Battles" selected>' in battles

    assert len(_rows(client.get("/events", params={"actor": "crimson"}).text)) == 2
    assert len(_rows(client.get("/events", params={"place": "tell sabr"}).text)) == 1
    assert len(_rows(client.get("/events", params={"since": "2021-06"}).text)) == 1
    assert len(_rows(client.get("/events", params={"until": "2021-05"}).text)) == 2


def test_merged_view_counts_a_happening_once(client: TestClient) -> None:
    html = client.get("/events", params={"view": "merged"}).text
    rows = _rows(html)
    assert len(rows) == 2
    clash = next(row for row in rows if "Armed clash" in row)
    assert "2 reports" in clash
    # ACLED's rule: the lowest credible figure, every figure kept.
    assert re.search(r'<td class="num">4<div class="sub"[^>]*>4, 5</div>', clash)


def test_pagination_links_keep_the_filters(client: TestClient, web_db: str) -> None:
    from ember.web import _pages

    _pages.PAGE_SIZE, saved = 1, _pages.PAGE_SIZE
    try:
        first = client.get("/events", params={"event_type": "Battles"}).text
        assert 'class="prev"' not in first
        next_href = re.search(r'<a class="next" href="([^"]+)"', first)
        assert next_href is not None
        url = next_href.group(1).replace("&amp;", "&")
        assert "event_type=Battles" in url and "offset=1" in url
        second = client.get(url).text
        assert len(_rows(second)) == 1 and 'class="prev"' in second and 'class="next"' not in second
    finally:
        _pages.PAGE_SIZE = saved


def test_a_reader_chooses_the_page_size_and_the_links_keep_it(client: TestClient) -> None:
    # (5 rows at least a page: the three events of this store fit on one.)
    html = client.get("/events", params={"per_page": 5}).text
    assert len(_rows(html)) == 3 and 'class="next"' not in html
    assert client.get("/events", params={"per_page": 2}).status_code == 422


def test_bad_filter_values_are_a_400_page(client: TestClient) -> None:
    response = client.get("/events", params={"since": "last spring"})
    assert response.status_code == 400
    assert "not a date" in response.text
    assert client.get("/events", params={"view": "both"}).status_code == 422


def test_claims_page_flags_conflicts_and_echoes(client: TestClient) -> None:
    html = client.get("/claims").text
    assert 'id="ledger"' in html
    assert 'class="flag flag-conflict"' in html
    assert 'class="flag flag-echo"' in html
    assert 'id="claims-table"' in html
    assert html.count('<a class="doc-ref" href="/documents/') >= 3


def test_exports_page_links_every_download(client: TestClient) -> None:
    html = client.get("/exports").text
    for kind, fmt in [("events", "acled"), ("claims", "geojson"), ("documents", "csv")]:
        assert f'href="/api/export/{kind}?format={fmt}"' in html


def _rows(html: str) -> list[str]:
    body = html.split('id="events-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr(?![^>]*class=\"empty\")[^>]*>(.*?)</tr>", body, flags=re.S)
    return rows

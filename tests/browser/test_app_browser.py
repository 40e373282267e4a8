"""``ember serve`` in a real browser: overview with map and timeline, search, the
document view, event filters and pagination, the ledger, and no script from a document
ever runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote


def _go(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url


def test_overview_shows_map_and_timeline(page: Any, server: str, artifacts: Path) -> None:
    _go(page, server + "/")
    page.wait_for_selector("#map svg circle.marker")
    assert page.locator("#map svg circle.marker:visible").count() >= 5
    assert page.locator("#timeline svg rect.bar:visible").count() >= 3
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "app-overview.png"), full_page=True)


def test_search_then_document_view_with_highlights(page: Any, server: str, artifacts: Path) -> None:
    _go(page, server + "/search?q=" + quote("Baghouz"))
    hits = page.locator(".search-hit a")
    assert hits.count() >= 3
    assert page.locator(".search-hit mark").count() >= 1
    page.screenshot(path=str(artifacts / "app-search.png"), full_page=True)

    hits.first.click()
    page.wait_for_selector("#doc-text")
    assert "/documents/" in page.url
    for kind in ("event", "place", "actor"):
        assert page.locator(f"#doc-text mark.{kind}").count() >= 1, kind
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "app-document.png"), full_page=True)


def test_event_filters_and_pagination(page: Any, server: str, artifacts: Path) -> None:
    # Ten rows a page (the sample corpus has about two dozen events): the next page
    # keeps the page size.
    _go(page, server + "/events?per_page=10")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 10 and page.locator("a.next").count() >= 1
    page.locator("a.next").first.click()
    assert page.locator("#events-table tbody tr").count() >= 1
    assert "offset=10" in page.url and "per_page=10" in page.url

    _go(page, server + "/events")
    page.select_option("form#event-filters select[name=event_type]", "Battles")
    page.click("form#event-filters button[type=submit]")
    page.wait_for_url("**event_type=Battles**")
    kinds = page.eval_on_selector_all(
        "#events-table tbody tr", "rows => rows.map(r => r.dataset.eventType)"
    )
    assert kinds and set(kinds) == {"Battles"}
    page.screenshot(path=str(artifacts / "app-events.png"), full_page=True)

    _go(page, server + "/events?view=merged")
    assert page.locator("#events-table tbody tr .badge").count() >= 1  # "n reports"


def test_ledger_page_flags_conflicts(page: Any, server: str, artifacts: Path) -> None:
    _go(page, server + "/claims")
    assert page.locator(".flag-conflict").count() >= 2
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "app-claims.png"), full_page=True)


def test_no_payload_from_a_document_runs_in_the_app(
    page: Any, server: str, hostile_title: str
) -> None:
    _go(page, server + "/search?q=" + quote("checkpoint Homs"))
    hit = page.locator(".search-hit a").first
    assert hostile_title in hit.inner_text()
    hit.click()
    page.wait_for_selector("#doc-text")
    _assert_nothing_ran(page)

    _go(page, server + "/search?q=" + quote("convoy Hama"))
    page.locator(".search-hit a").first.click()
    page.wait_for_selector("#doc-text")
    assert "window.__xss = 'text'" in page.locator("#doc-text").inner_text()
    _assert_nothing_ran(page)
    for url in ("/", "/events", "/events?view=merged", "/claims", "/entities", "/map"):
        _go(page, server + url)
        _assert_nothing_ran(page)


def _assert_nothing_ran(page: Any) -> None:
    links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert not [href for href in links if href.strip().lower().startswith("javascript:")]
    assert page.evaluate("window.__xss") is None, page.url
    assert page.script_errors == []

"""Search across spellings in a real browser: every transliteration of Baghouz finds the
same reports, a prefix finds them too, and the places list finds the town by any
spelling. On the sample corpus, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote


def _hits(page: Any, server: str, query: str) -> set[str]:
    response = page.goto(server + "/search?q=" + quote(query))
    assert response is not None and response.status == 200
    links = page.eval_on_selector_all(".search-hit a", "as => as.map(a => a.href)")
    return {link for link in links if "/documents/" in link}


def test_every_spelling_finds_the_same_reports(page: Any, server: str, artifacts: Path) -> None:
    found = {q: _hits(page, server, q) for q in ("Baghouz", "Baguz", "Baghuz", "al-Baghuz")}
    first = found["Baghouz"]
    assert len(first) >= 2
    assert all(hits == first for hits in found.values()), found
    assert _hits(page, server, "Bagh*") >= first
    assert page.script_errors == []
    page.goto(server + "/search?q=Baguz")
    page.screenshot(path=str(artifacts / "app-search-spellings.png"), full_page=True)


def test_places_and_documents_lists(page: Any, server: str, artifacts: Path) -> None:
    page.goto(server + "/places?name=Baguz")
    rows = page.locator("#places-table tbody tr")
    assert rows.count() >= 1 and "Baghouz" in rows.first.inner_text()
    page.goto(server + "/documents")
    dates = page.eval_on_selector_all(
        "#documents-table tbody tr td:first-child", "tds => tds.map(td => td.innerText.trim())"
    )
    dated = [d for d in dates if d[:1].isdigit()]
    assert dated and dated == sorted(dated, reverse=True)
    assert not any(cell.startswith("/") for cell in page.eval_on_selector_all(
        "#documents-table td.source-text", "tds => tds.map(td => td.innerText)"))  # fmt: skip
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "app-documents.png"), full_page=True)

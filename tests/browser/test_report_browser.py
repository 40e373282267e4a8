"""The HTML report in a real browser: offline, map, timeline, ledger, brief, filters,
and no script from a document ever runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.offline import open_offline


def _visible(page: Any, selector: str) -> int:
    return int(page.locator(f"{selector}:visible").count())


def test_report_works_offline_with_map_timeline_ledger_and_brief(
    page: Any, report_path: Path, artifacts: Path
) -> None:
    asked = open_offline(page, report_path, "#map svg circle.marker")
    assert asked == [], f"the report asked the network for {asked}"
    assert _visible(page, "#map svg circle.marker") >= 5
    # Country and province lines: a few long paths, however the layers are grouped.
    drawn = page.eval_on_selector_all(
        "#map svg path", "ps => ps.map(p => (p.getAttribute('d') || '').length)"
    )
    assert len(drawn) >= 2 and sum(drawn) > 2000
    assert _visible(page, "#timeline svg rect.bar") >= 3
    assert page.locator("#ledger .flag-conflict").count() >= 2
    sentences = page.locator("#brief .sentence, #brief li, #brief p")
    assert sentences.count() >= 3
    assert sentences.first.inner_text().startswith("Across ")
    for i in range(sentences.count()):
        assert sentences.nth(i).locator("a.cite").count() >= 1, sentences.nth(i).inner_text()
    assert page.locator("#actors table tr").count() > 3
    assert page.locator("#places table tr").count() > 3
    assert page.locator("#sources [id^='doc-']").count() >= 15
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    page.locator("#map").screenshot(path=str(artifacts / "report-map.png"))


def test_report_filters_work_in_the_file(page: Any, report_path: Path, artifacts: Path) -> None:
    open_offline(page, report_path, "#map svg circle.marker")
    everything = _visible(page, "#map svg circle.marker")
    shown = page.locator("#shown-count").inner_text()

    page.select_option("#filter-type", "Battles")
    battles = _visible(page, "#map svg circle.marker")
    assert 0 < battles < everything
    types = page.eval_on_selector_all(
        "#map svg circle.marker",
        "els => els.filter(e => e.getBoundingClientRect().width > 0).map(e => e.dataset.type)",
    )
    assert set(types) == {"Battles"}
    assert page.locator("#shown-count").inner_text() != shown
    page.screenshot(path=str(artifacts / "report-filtered.png"), full_page=False)

    page.click("#filter-reset")
    assert _visible(page, "#map svg circle.marker") == everything

    page.fill("#filter-from", "2019-10-01")
    page.fill("#filter-to", "2019-10-31")
    page.dispatch_event("#filter-to", "change")
    october = _visible(page, "#map svg circle.marker")
    assert 0 < october < everything
    page.click("#filter-reset")

    actors = page.eval_on_selector_all("#filter-actor option", "os => os.map(o => o.value)")
    sdf = next(a for a in actors if "Syrian Democratic" in a)
    page.select_option("#filter-actor", sdf)
    rows = page.locator("#events tbody tr:visible")
    assert rows.count() > 0
    for i in range(rows.count()):
        assert "Syrian Democratic" in rows.nth(i).inner_text()
    assert page.script_errors == []


def test_no_payload_from_a_document_runs_in_the_report(
    page: Any, report_path: Path, hostile_title: str
) -> None:
    open_offline(page, report_path, "#map svg circle.marker")
    for control in ("#filter-type", "#filter-actor", "#filter-place"):
        options = page.eval_on_selector_all(f"{control} option", "os => os.map(o => o.value)")
        if len(options) > 1:
            page.select_option(control, options[1])
    page.click("#filter-reset")
    for marker in page.locator("#map svg circle.marker").all()[:10]:
        marker.click(force=True)
    assert page.evaluate("window.__xss") is None
    # The payload is shown as the text it is, not swallowed.
    assert hostile_title in page.locator("#sources").inner_text()
    links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert not [href for href in links if href.strip().lower().startswith("javascript:")]
    assert page.script_errors == []

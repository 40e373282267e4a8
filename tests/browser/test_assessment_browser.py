"""The threat assessment in a real browser: the report's opening section and the app's
/assess page render (verdict, judgments, sparklines) and every citation leads to its
document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.offline import open_offline


def test_the_report_opens_with_the_assessment_and_its_citations_resolve(
    page: Any, report_path: Path, artifacts: Path
) -> None:
    asked = open_offline(page, report_path, "#assessment #verdict")
    assert asked == []
    section = page.locator("#assessment")
    assert section.is_visible()
    assert page.locator("main > section").first.get_attribute("id") == "assessment"
    assert "threat" in page.locator("#verdict .verdict-summary").inner_text()
    judgments = page.locator("#key-judgments li")
    assert judgments.count() >= 3
    for i in range(judgments.count()):
        assert judgments.nth(i).locator("a.cite").count() >= 1, judgments.nth(i).inner_text()
    missing = page.eval_on_selector_all(
        "#assessment a.cite",
        "links => links.map(a => a.getAttribute('href')).filter(h => !document.querySelector(h))",
    )
    assert missing == [], "every citation is an entry of the sources list"
    spark = page.locator("#assessment svg.spark").first
    box = spark.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10
    first = judgments.first.locator("a.cite").first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_function("h => location.hash === h", arg=target)
    assert page.locator(f"{target}:target").count() == 1
    assert page.script_errors == []
    section.screenshot(path=str(artifacts / "report-assessment.png"))


def test_the_assess_page_renders_and_links_to_documents(
    page: Any, server: str, artifacts: Path
) -> None:
    page.goto(f"{server}/assess")
    assert "threat" in page.locator("#verdict .verdict-summary").inner_text()
    assert page.locator("#indicator-cards .indicator-card").count() >= 10
    assert page.locator("#indicator-cards svg.spark").count() >= 1
    cite = page.locator("#key-judgments a.cite").first
    href = cite.get_attribute("href")
    assert href.startswith("/documents/")
    page.screenshot(path=str(artifacts / "app-assess.png"), full_page=True)
    with page.expect_navigation():
        cite.click()
    assert page.url == f"{server}{href}"
    assert page.locator("h1").count() == 1
    assert page.script_errors == []

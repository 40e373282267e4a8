"""``ember serve``'s ``/alerts`` in a real browser, after ``ember watch`` polled a feed:
the alerts its rules describe, filtering by rule, the link to the document, and no
script from an alert ever runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.watch.conftest import ITEMS, rss

from .conftest import _free_port

XSS_SUMMARY = "<img src=x onerror=\"window.__xss='alert'\">Armed clash near Homs"


@pytest.fixture(scope="module")
def alerts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store a watch filled from a feed file (two alerts), with one hostile alert
    added, served by ``ember serve`` in a thread."""
    import uvicorn

    from ember.settings import Settings
    from ember.store import Store, add_alert
    from ember.watch import Watch, parse_rules
    from ember.web import create_app

    folder = tmp_path_factory.mktemp("inbox")
    (folder / "feed.xml").write_bytes(rss(ITEMS))
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ember.db'}"
    rules = parse_rules({"rule": [
        {"id": "is-deadly", "kind": "event", "actor": "ISIS", "min_fatalities": 3},
        {"id": "near-raqqa", "kind": "event", "place": "Raqqa", "within_km": 30},
    ]})  # fmt: skip
    with Store.open(url) as store:
        summary = Watch(store, [str(folder)], settings=Settings(), rules=rules).poll()
        assert sorted(a.rule_id for a in summary.alerts) == ["is-deadly", "near-raqqa"]
        add_alert(
            store, key="hostile:x", rule_id="hostile", kind="event", record_id="x",
            doc_id=None, summary=XSS_SUMMARY, payload={"text": XSS_SUMMARY}, webhook=False,
        )  # fmt: skip
    port = _free_port()
    config = uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("ember serve did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_alerts_page_lists_filters_and_links(
    page: Any, alerts_server: str, artifacts: Path
) -> None:
    response = page.goto(alerts_server + "/alerts")
    assert response is not None and response.status == 200
    rows = page.locator("#alerts-table tbody tr")
    assert rows.count() == 3
    assert page.locator("nav.mainnav a.active").inner_text() == "Alerts"
    assert "4 killed" in page.locator("tr[data-key^='is-deadly:']").inner_text()
    page.screenshot(path=str(artifacts / "app-alerts.png"), full_page=True)

    page.locator("tr[data-key^='near-raqqa:'] td a").first.click()
    page.wait_for_url("**rule=near-raqqa**")
    assert page.locator("#alerts-table tbody tr").count() == 1
    assert page.locator("#alert-filters input[name=rule]").input_value() == "near-raqqa"

    page.locator("#alerts-table a.doc-ref").first.click()
    page.wait_for_url("**/documents/**")
    assert "Raqqa" in page.locator("#doc-text").inner_text()
    assert page.script_errors == []


def test_no_script_from_an_alert_runs(page: Any, alerts_server: str) -> None:
    page.goto(alerts_server + "/alerts?rule=hostile")
    assert page.locator("#alerts-table tbody tr").count() == 1
    assert "onerror" in page.locator("#alerts-table tbody tr").inner_text()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.script_errors == []

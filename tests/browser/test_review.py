"""Review in a real browser: from the events list to an event's page, an edit through
the form (token field), a place picked from the gazetteer, a rejection, and the audit
trail on the event page and on /review. Runs on a copy of the corpus (reviews change
it) served with a reviewer token."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import _free_port

TOKEN = "browser-review-token"


@pytest.fixture(scope="module")
def review_server(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from ember.web import create_app

    copy = tmp_path_factory.mktemp("review") / "ember.db"
    shutil.copyfile(corpus_db.removeprefix("sqlite:///"), copy)
    app = create_app(f"sqlite:///{copy}", reviewers={TOKEN: "reviewer-one"})
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
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


def _saved(page: Any) -> None:
    page.wait_for_selector("#review-done, #review-error")
    assert page.locator("#review-error").count() == 0, page.locator("#review-error").inner_text()


def test_edit_pick_a_place_and_reject(page: Any, review_server: str, artifacts: Path) -> None:
    page.goto(review_server + "/events")
    page.locator("#events-table a.review-link").first.click()
    page.wait_for_selector("#set-form")
    event_url = page.url.split("?")[0]
    assert page.locator("#review-status").get_attribute("data-status") == "unreviewed"

    form = page.locator("#set-form")
    form.locator("input[name=fatalities]").fill("7")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button[type=submit]").click()
    _saved(page)
    assert page.locator("#fields-table tr[data-field=fatalities] input").input_value() == "7"
    assert "reviewer-one" in page.locator("#trail-table").inner_text()

    page.fill("#place-finder input[name=find_place]", "Baguz")
    page.click("#place-finder button[type=submit]")
    page.wait_for_selector("#set-form select[name=place]")
    page.select_option("#set-form select[name=place]", "curated:baghouz")
    page.fill("#set-form input[name=token]", TOKEN)
    page.click("#set-form button[type=submit]")
    _saved(page)
    assert "Baghouz (curated:baghouz)" in page.locator("#trail-table").inner_text()
    page.screenshot(path=str(artifacts / "app-review-event.png"), full_page=True)

    page.fill("#accept-form input[name=token]", TOKEN)
    page.click("#reject-button")
    _saved(page)
    assert page.locator("#review-status").get_attribute("data-status") == "rejected"
    event_id = event_url.rsplit("/", 1)[1]
    page.goto(review_server + "/events")
    assert page.locator(f"a.review-link[href='/events/{event_id}']").count() == 0

    page.goto(review_server + "/review")
    rows = page.locator("#review-table tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).get_attribute("data-field") for i in range(3)] == [
        "status", "place", "fatalities",
    ]  # fmt: skip
    assert page.script_errors == []
    page.screenshot(path=str(artifacts / "app-review-trail.png"), full_page=True)


def test_a_wrong_token_changes_nothing(page: Any, review_server: str) -> None:
    page.goto(review_server + "/events")
    page.locator("#events-table a.review-link").first.click()
    page.fill("#set-form input[name=fatalities]", "99")
    page.fill("#set-form input[name=token]", "not-the-token")
    page.click("#set-form button[type=submit]")
    assert "a valid reviewer token is needed" in page.content()
    page.go_back()
    page.reload()
    assert page.locator("#set-form input[name=fatalities]").input_value() != "99"

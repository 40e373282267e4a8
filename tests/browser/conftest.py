"""Browser tests: Playwright driving Debian's Chromium (``/usr/bin/chromium``, which
``.ci/run`` installs) against the report of a small corpus and against ``ember serve``.

The corpus is the bundled sample plus one hostile document whose title, publisher and
text carry script payloads; every payload would set ``window.__xss``. Screenshots go to
``artifacts/screenshots/`` at the repository root."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# Flags a headless Chromium needs on a closed network, as root, in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

XSS_TITLE = '<script>window.__xss = "title"</script>Checkpoint attacked near Homs'
# A record's text is read as markup and stripped; a .txt file's text is kept as it is.
XSS_RECORD_TEXT = (
    "Gunmen attacked an army checkpoint near Homs on 3 May 2020, wounding two soldiers, "
    "a local official said."
)
XSS_PUBLISHER = "<img src=x onerror=\"window.__xss='publisher'\">Orchard Wire"
XSS_TEXT = (
    "Gunmen ambushed an army convoy near Hama on 2 May 2020, killing four soldiers, "
    "officials said. <script>window.__xss = 'text'</script> "
    "<img src=x onerror=\"window.__xss='img'\"> "
    "<a href=\"javascript:window.__xss='link'\">read more</a> "
    "Local officials said 300 fighters were still hiding in the hills."
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def hostile_title() -> str:
    """The hostile document's title, which every view must show as plain text."""
    return XSS_TITLE


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it (apt-get chromium)")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Any]:
    # Module scope: Playwright's sync API keeps an event loop running in this thread
    # while it is open, which would break later tests that call asyncio.run().
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.script_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample corpus and the hostile document, ingested and analysed once."""
    from ember.scale import analyze_stored, ingest_inputs
    from ember.settings import load_settings
    from ember.store import Store

    folder = tmp_path_factory.mktemp("corpus")
    sample = resources.files("ember") / "samples" / "corpus"
    with resources.as_file(sample) as sample_path:
        shutil.copytree(sample_path, folder / "sample")
    record = {"title": XSS_TITLE, "publisher": XSS_PUBLISHER, "text": XSS_RECORD_TEXT,
              "date": "2020-05-04"}  # fmt: skip
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "hostile.txt").write_text(XSS_TEXT + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ember.db'}"
    settings = load_settings(db_url=url)
    with Store.open(url) as store:
        summary = ingest_inputs([str(folder)], store=store, settings=settings)
        assert summary.rejected == 0, summary.rejections
        analyze_stored(store)
    return url


@pytest.fixture(scope="session")
def report_path(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ember.report.html import write_report
    from ember.store import Store

    out = tmp_path_factory.mktemp("report") / "report.html"
    with Store.open(corpus_db) as store:
        write_report(store, out)
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(corpus_db: str) -> Iterator[str]:
    """``ember serve`` on a free loopback port, in a thread, for the session."""
    import uvicorn

    from ember.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(corpus_db), host="127.0.0.1", port=port, log_level="warning")
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

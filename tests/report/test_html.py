"""The HTML report: self-contained (nothing external), hostile text escaped everywhere,
the embedded data intact, the brief cited, the ledger flagged, empty stores handled."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ember.errors import ConfigError
from ember.report.html import asset_text, build_report, embed_json, render_report, write_report
from ember.report.views import report_data
from ember.store import Store
from tests.report.test_views import (
    HOSTILE,
    WEB,
    XSS_ACTOR,
    XSS_PUBLISHER,
    XSS_SENTENCE,
    XSS_SOURCE,
    XSS_TITLE,
    build_store,
)

Corpus = tuple[str, dict[str, Any]]
DATA_SCRIPT = re.compile(r'<script type="application/json" id="ember-data">(.*?)</script>', re.S)
REQUIRED_IDS = (
    "filter-actor", "filter-place", "filter-type", "filter-from", "filter-to", "filter-reset",
    "shown-count", "map", "timeline", "ledger", "brief", "actors", "places", "sources",
)  # fmt: skip


class Page(HTMLParser):
    """Every start tag with its attributes, the text inside each script and style, and
    the ids present."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))
            else:
                self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._open == "style":
            self.styles[-1] += data

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def with_attr(self, name: str) -> list[tuple[str, str]]:
        return [(tag, a[name] or "") for tag, a in self.tags if name in a]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    store = build_store(tmp_path_factory.mktemp("report") / "r.db")
    data = report_data(store, title="Anbar <b>May</b>")
    return render_report(data, generated="2021-07-01"), data


def test_the_report_references_nothing_outside_itself(corpus: Corpus) -> None:
    html, _ = corpus
    page = Page(html)
    assert not [t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    for tag, value in page.with_attr("src"):
        pytest.fail(f"<{tag} src={value!r}>: the report must load nothing")
    for tag, value in page.with_attr("href"):
        if value.startswith("#"):
            continue
        # The only links out are to documents' own web pages, opened by the reader.
        assert tag == "a" and value == "https://news.example.org/blast", (tag, value)
    styles = "\n".join(page.styles) + "\n".join(v for _, v in page.with_attr("style"))
    assert "@import" not in styles
    for url in re.findall(r"url\(([^)]*)\)", styles):
        assert url.strip("'\" ").startswith(("#", "data:")), url
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp and "default-src 'none'" in csp


def test_the_page_has_the_ids_the_browser_tests_use(corpus: Corpus) -> None:
    html, _ = corpus
    page = Page(html)
    assert set(REQUIRED_IDS) <= page.ids
    assert {"ember-data"} <= page.ids
    for doc_id in (HOSTILE.id, WEB.id):
        assert f"doc-{doc_id}" in page.ids


def test_hostile_text_is_escaped_everywhere(corpus: Corpus) -> None:
    html, _ = corpus
    for payload in (XSS_TITLE, XSS_PUBLISHER, XSS_SENTENCE, XSS_ACTOR, "<b>Ramadi</b>",
                    "<b>May</b>", "<script>alert", "<img src=x", "<svg onload"):  # fmt: skip
        assert payload not in html, payload
    page = Page(html)
    # Only ember's two scripts: the data and the code.
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    assert not [a for a, _ in page.scripts if "src" in a]
    handlers = [(t, k) for t, a in page.tags for k in a if k.lower().startswith("on")]
    assert handlers == [], "no inline event handler at all"
    assert not [v for _, v in page.with_attr("href") if "javascript" in v.lower()]
    assert not [t for t, _ in page.tags if t in ("svg", "b", "img")]
    # The hostile values are there, as text.
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert f"<code>{XSS_SOURCE}</code>" in html


def test_the_embedded_data_round_trips(corpus: Corpus) -> None:
    html, data = corpus
    (embedded,) = DATA_SCRIPT.findall(html)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded) == json.loads(json.dumps(data))
    hostile = next(e for e in json.loads(embedded)["events"] if e["text"] == XSS_SENTENCE)
    assert hostile["actors"] == [XSS_ACTOR]


def test_embed_json_escapes_what_could_end_a_script() -> None:
    value = {"t": "</script><!-- a & b \u2028 \u2029 >", "n": [1, 2.5, None]}
    text = str(embed_json(value))
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_every_sentence_of_the_brief_cites_listed_documents(corpus: Corpus) -> None:
    html, data = corpus
    brief = html[html.index('<section id="brief"') : html.index('<section id="map-section"')]
    paragraphs = re.findall(r"<p>(.*?)</p>", brief, re.S)
    assert len(paragraphs) == len(data["brief"]) >= 5
    ids = Page(html).ids
    for paragraph in paragraphs:
        cited = re.findall(r'<a class="cite" href="#doc-([0-9a-f]+)">\[\d+\]</a>', paragraph)
        assert cited, paragraph
        assert all(f"doc-{doc_id}" in ids for doc_id in cited)
        numbers = [int(n) for n in re.findall(r">\[(\d+)\]</a>", paragraph)]
        assert numbers == sorted(numbers), "citations in number order"
    assert paragraphs[0].startswith("Across 6 reports from 3 May 2021 to 11 June 2021")


def test_the_ledger_flags_conflicts_and_echoes(corpus: Corpus) -> None:
    html, data = corpus
    ledger = html[html.index('<div id="ledger">') : html.index('<section id="actors"')]
    entries = [e for g in data["ledger"]["groups"] for e in g["entries"]]
    conflicting = [e for e in entries if e["conflicts_with"]]
    assert conflicting, "the fixture's 200 and 900 contradict each other"
    assert ledger.count('class="flag flag-conflict"') == len(conflicting)
    assert "CONFLICT with #" in ledger
    assert ledger.count('class="flag flag-echo"') == 1 and "ECHO ×2" in ledger


def test_the_events_table_shows_corroboration(corpus: Corpus) -> None:
    html, data = corpus
    rows = re.findall(r'<tr data-event-id="([^"]+)"', html)
    assert rows == [e["id"] for e in data["events"]]
    assert '<span class="badge">2 reports</span>' in html


def test_an_empty_store_gives_a_valid_report_that_says_so(tmp_path: Path) -> None:
    html = build_report(Store.open(f"sqlite:///{tmp_path / 'empty.db'}"))
    page = Page(html)
    assert set(REQUIRED_IDS) <= page.ids
    assert "There are no documents in this store yet" in html
    assert "No events: nothing in these documents reads as an event yet." in html
    assert "No claims: no figures were found" in html
    (embedded,) = DATA_SCRIPT.findall(html)
    assert json.loads(embedded)["events"] == []


def test_documents_without_events_or_claims_say_so(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'quiet.db'}")
    store.add_document(HOSTILE, signature=None, run_id="t")
    html = build_report(store)
    assert "No events were found in these documents." in html
    assert "No claims: no figures were found" in html
    assert f'id="doc-{HOSTILE.id}"' in html


def test_write_report_writes_the_file_and_sums_it_up(tmp_path: Path) -> None:
    store = build_store(tmp_path / "r.db")
    out = tmp_path / "report.html"
    summary = write_report(store, out, title="Anbar")
    assert summary.bytes_written == out.stat().st_size > 10_000
    assert (summary.events, summary.merged_events, summary.claims, summary.documents) == (
        6, 5, 3, 6,
    )  # fmt: skip
    assert "<title>Anbar</title>" in out.read_text("utf-8")
    assert not list(tmp_path.glob(".report.html.*")), "no temporary file left behind"


def test_an_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ConfigError, match="cannot write the report to"):
        write_report(store, tmp_path / "no" / "such" / "folder" / "r.html")
    with pytest.raises(ConfigError, match="cannot write the report to"):
        write_report(store, tmp_path)


def test_the_script_builds_views_without_markup_injection() -> None:
    js = asset_text("ember.js")
    assert "</script" not in js.lower() and "</style" not in asset_text("ember.css").lower()
    for sink in (".innerHTML", ".outerHTML", ".insertAdjacentHTML(", "document.write(", "eval(",
                 "new Function("):  # fmt: skip
        assert sink not in js, sink
    for api in ("mountMap", "mountTimeline", "mountReport"):
        assert re.search(rf"root\.EmberViews = \{{[^}}]*\b{api}\b", js), api

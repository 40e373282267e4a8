"""A small store written by hand for the web tests: three reports of one clash (two
corroborating each other), figures that conflict and echo, and a hostile document whose
every field carries a script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ember.records import Claim, DateRange, Document, Event, Location, Mention
from ember.scale import ingest_and_analyze
from ember.store import Store
from ember.web import create_app

TOKEN = "s3cret-token-for-tests"

CLASH_TEXT = (
    "Fighters of the Crimson Banner attacked an army post outside Qarabel on 4 May 2021. "
    "Four soldiers were killed in the fighting, the ministry said.\n\n"
    "Officials estimate that about 1,200 militants remain in the hills."
)
ECHO_TEXT = (
    "The army said the Crimson Banner raided a post near Qarabel on 4 May 2021, "
    "killing five soldiers.\n\nAbout 1,200 militants remain in the hills, officials said."
)
LATER_TEXT = (
    "A month later, a village elder in Qarabel put the number of militants at 4,000. "
    "Residents said the roads to the hills stayed closed."
)
XSS_TITLE = "<script>alert('title')</script>"
XSS_PUBLISHER = '<img src=x onerror="alert(1)">'
XSS_SOURCE = "javascript:alert('source')"
XSS_TEXT = (
    'Gunmen of <b>Night Wolves</b> shot at a convoy near Tell Sabr. <script>alert("text")</script> '
    '<a href="javascript:alert(2)">read more</a> <img src=x onerror=alert(3)>\n'
    "Witnesses counted 12 <svg onload=alert(4)> guards."
)
QARABEL = Location(
    name="Qarabel", canonical="Qarabel", lat=35.1, lon=40.2, country="SY", admin1="Deir ez-Zor",
    precision=1,
)  # fmt: skip


def _span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def _sentence(text: str, part: str) -> tuple[int, int]:
    """The span of the sentence holding ``part``."""
    start, end = _span(text, part)
    after_stop = text.rfind(". ", 0, start)
    begin = max(after_stop + 2 if after_stop != -1 else 0, text.rfind("\n", 0, start) + 1)
    stop = text.find(".", end)
    return begin, (stop + 1 if stop != -1 else len(text))


def document(doc_id: str, text: str, **fields: str | None) -> Document:
    values: dict[str, str | None] = {
        "source": f"https://news.example/{doc_id}", "title": f"Report {doc_id}",
        "publisher": "Example News", "published": "2021-05-05", "language": "en",
    }  # fmt: skip
    values.update(fields)
    return Document(id=doc_id, text=text, format="text", **values)  # type: ignore[arg-type]


def clash(doc_id: str, text: str, part: str, killed: int, cluster: str | None) -> Event:
    span = _sentence(text, part)
    return Event(
        id=f"ev-{doc_id}", doc_id=doc_id, event_type="Battles", sub_event_type="Armed clash",
        text=text[span[0] : span[1]], span=span, actor1="Crimson Banner",
        actor2="Military Forces of Syria", location=QARABEL,
        date=DateRange(start="2021-05-04", end="2021-05-04", precision="day"),
        fatalities=killed, confidence=0.8, cluster_id=cluster,
        corroborated_by=(("b2",) if doc_id == "a1" else ("a1",)) if cluster else (),
    )  # fmt: skip


def militants(doc_id: str, text: str, figure: str, value: float, as_of: str) -> Claim:
    quantity = _span(text, figure)
    span = _sentence(text, figure)
    return Claim(
        id=f"cl-{doc_id}", doc_id=doc_id, subject="fighters", subject_text="militants",
        value_low=value, value_high=value, unit="count", quantity_text=figure,
        quantity_span=quantity, text=text[span[0] : span[1]], span=span,
        qualifier="about" if figure.startswith("about") else None, actor="Crimson Banner",
        places=(QARABEL,), as_of=DateRange(start=as_of, end=as_of, precision="day"),
        attributed_to="Officials" if doc_id != "c3" else None,
    )  # fmt: skip


def mention(doc_id: str, text: str, part: str, kind: str, canonical: str, nth: int = 0) -> Mention:
    start, end = _span(text, part, nth)
    location = QARABEL if kind == "place" else None
    return Mention(
        doc_id=doc_id,
        kind=kind,
        text=part,
        start=start,
        end=end,  # type: ignore[arg-type]
        canonical=canonical,
        location=location,
    )


def fill(store: Store) -> None:
    """The fixture corpus: a1 and b2 report one clash (corroborated), c3 a later figure
    that conflicts with theirs, x4 is hostile."""
    docs = [
        document("a1", CLASH_TEXT, title="Clash at Qarabel", published="2021-05-05"),
        document("b2", ECHO_TEXT, title="Army post raided", publisher="Wire Service"),
        document("c3", LATER_TEXT, title="Elder counts militants", published="2021-06-10",
                 publisher="Hill Courier"),
        document("x4", XSS_TEXT, title=XSS_TITLE, publisher=XSS_PUBLISHER, source=XSS_SOURCE,
                 published="2021-07-01"),
    ]  # fmt: skip
    for doc in docs:
        store.add_document(doc, signature=None, run_id="fixture")
    store.add_analysis(
        "a1",
        [clash("a1", CLASH_TEXT, "attacked an army post", 4, "k1")],
        [
            mention("a1", CLASH_TEXT, "Crimson Banner", "actor", "Crimson Banner"),
            mention("a1", CLASH_TEXT, "Qarabel", "place", "Qarabel"),
        ],
        [militants("a1", CLASH_TEXT, "about 1,200", 1200, "2021-05-04")],
        version="test",
    )
    store.add_analysis(
        "b2",
        [clash("b2", ECHO_TEXT, "raided a post", 5, "k1")],
        [mention("b2", ECHO_TEXT, "Crimson Banner", "actor", "Crimson Banner")],
        [militants("b2", ECHO_TEXT, "About 1,200", 1200, "2021-05-04")],
        version="test",
    )
    store.add_analysis(
        "c3", [], [mention("c3", LATER_TEXT, "Qarabel", "place", "Qarabel")],
        [militants("c3", LATER_TEXT, "4,000", 4000, "2021-06-09")], version="test",
    )  # fmt: skip
    xss_span = _sentence(XSS_TEXT, "shot at a convoy")
    store.add_analysis(
        "x4",
        [
            Event(
                id="ev-x4",
                doc_id="x4",
                event_type="Violence against civilians",
                sub_event_type="Attack",
                text=XSS_TEXT[xss_span[0] : xss_span[1]],
                span=xss_span,
                actor1="<b>Night Wolves</b>",
                location=Location(name="<i>Tell Sabr</i>"),
                date=DateRange(start="2021-06-30", end="2021-06-30", precision="day"),
            )
        ],
        [mention("x4", XSS_TEXT, "<b>Night Wolves</b>", "actor", "<b>Night Wolves</b>")],
        [hostile_claim()],
        version="test",
    )


def hostile_claim() -> Claim:
    """A claim whose every string is markup."""
    span = _sentence(XSS_TEXT, "Witnesses counted")
    return Claim(
        id="cl-x4", doc_id="x4", subject="<script>alert('subject')</script>",
        subject_text="<svg onload=alert(4)> guards", value_low=12, value_high=12, unit="count",
        quantity_text="12", quantity_span=_span(XSS_TEXT, "12"),
        text=XSS_TEXT[span[0] : span[1]], span=span, actor="<b>Night Wolves</b>",
        places=(Location(name="<i>Tell Sabr</i>"),),
        as_of=DateRange(start="2021-06-30", end="2021-06-30", precision="day"),
        attributed_to='<a href="javascript:alert(6)">Witnesses</a>', hedge="<u>said</u>",
    )  # fmt: skip


@pytest.fixture
def web_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Store.open(url) as store:
        fill(store)
    return url


@pytest.fixture
def app(web_db: str) -> FastAPI:
    return create_app(web_db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def writer(web_db: str) -> Iterator[TestClient]:
    """The app with write endpoints (a token), an upload cap of 4 KiB."""
    app = create_app(web_db, token=TOKEN, max_upload_bytes=4096, pipeline=ingest_and_analyze)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client

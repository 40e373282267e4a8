"""The brief: sentences written from the data, every one citing the documents it draws
on; the lowest credible toll with every figure; the ledger's conflicts and echoes."""

from __future__ import annotations

from ember.analyze.brief import BriefSentence, when_phrase, write_brief
from ember.analyze.corroborate import merge_events
from ember.analyze.ledger import build_ledger
from ember.records import Claim, DateRange, Document, Event, Location

SINJAR = Location(name="Sinjar", canonical="Sinjar", lat=36.32, lon=41.87, country="IQ")
TALAFAR = Location(name="Tal Afar", canonical="Tal Afar", lat=36.37, lon=42.45, country="IQ")


def doc(n: int, published: str | None = None, after: str | None = None) -> Document:
    return Document(
        id=f"d{n}", source=f"notes/{n}.txt", text="", format="text",
        publisher=f"Outlet {n}", published=published, published_after=after,
    )  # fmt: skip


def day(iso: str, approximate: bool = False) -> DateRange:
    return DateRange(start=iso, end=iso, precision="day", approximate=approximate)


def event(d: Document, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{d.id}-e", "doc_id": d.id, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": "", "span": (0, 0), "location": SINJAR,
        "date": day("2018-04-02"), "actor1": "Islamic State",
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


def claim(d: Document, value: float, source: str | None) -> Claim:
    return Claim(
        id=f"{d.id}-c{int(value)}", doc_id=d.id, subject="fighters", subject_text="fighters",
        value_low=float(value), value_high=float(value), unit="count",
        quantity_text=str(value), quantity_span=(0, 1), text="", span=(0, 1),
        actor="Islamic State", places=(SINJAR,), as_of=day("2018-04-01"), attributed_to=source,
    )  # fmt: skip


DOCS = [doc(1, "2018-04-03"), doc(2, "2018-04-05"), doc(3, after="2018-04-09"), doc(4)]
D1, D2, D3, D4 = DOCS
CLASH = merge_events("k", [event(D1, fatalities=14), event(D2, fatalities=20)])
BOMB = merge_events("b", [
    event(D3, event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
          location=TALAFAR, fatalities=3, date=day("2018-04-08", approximate=True)),
])  # fmt: skip
QUIET = merge_events("q", [event(D4, location=None, date=DateRange.unknown(), actor1=None)])
LEDGER = build_ledger(
    [claim(D1, 300, "local officials"), claim(D2, 2000, "a coalition spokesman"),
     claim(D3, 300, "local officials")],
    {d.id: d for d in DOCS},
)  # fmt: skip


def brief() -> list[BriefSentence]:
    return write_brief([CLASH, BOMB, QUIET], DOCS, LEDGER)


def test_every_sentence_cites_documents_of_the_corpus() -> None:
    sentences = brief()
    assert len(sentences) >= 7
    known = {d.id for d in DOCS}
    for sentence in sentences:
        assert sentence.doc_ids and set(sentence.doc_ids) <= known, sentence


def test_the_overview_spans_the_dated_reports_and_cites_the_first_and_last() -> None:
    overview = brief()[0]
    assert overview.text == (
        "Across 4 reports from 3 April 2018 to 9 April 2018, ember found 3 events "
        "(1 reported by more than one document) and 2 figures."
    )
    assert overview.doc_ids == ("d1", "d3")


def test_the_deadliest_event_gives_the_lowest_figure_and_every_figure() -> None:
    texts = [s.text for s in brief()]
    deadliest = next(t for t in texts if t.startswith("The deadliest"))
    assert deadliest == (
        "The deadliest event, an armed clash in Sinjar on 2 April 2018, left 14 dead "
        "(the lowest credible figure; the reports give 14 and 20)."
    )
    assert any(
        t.startswith("The next deadliest, a suicide bomb in Tal Afar around 8 April") for t in texts
    )


def test_rankings_count_merged_events() -> None:
    types = next(s for s in brief() if s.text.startswith("By event type"))
    assert types.text == (
        "By event type, the most reported are Battles (2 events) and "
        "Explosions/Remote violence (1)."
    )
    assert set(types.doc_ids) == {"d1", "d2", "d3", "d4"}
    places = next(s for s in brief() if s.text.startswith("The places"))
    assert places.text == "The places with the most events are Sinjar (1 event) and Tal Afar (1)."
    assert set(places.doc_ids) == {"d1", "d2", "d3"}


def test_conflicts_and_echoes_are_told_with_their_sources() -> None:
    assert LEDGER.groups[0].has_conflicts
    sentences = brief()
    conflict = next(s for s in sentences if "conflict" in s.text)
    assert "300 according to local officials" in conflict.text
    assert "2,000 according to a coalition spokesman" in conflict.text
    assert set(conflict.doc_ids) == {"d1", "d2", "d3"}
    echo = next(s for s in sentences if s.text.startswith("The most repeated figure"))
    assert echo.text.startswith(
        "The most repeated figure, 300 (fighters), is stated in 2 documents"
    )
    assert echo.doc_ids == ("d1", "d3")


def test_without_events_or_claims_the_brief_still_cites() -> None:
    empty_ledger = build_ledger([], {})
    (only,) = write_brief([], [D1, D4], empty_ledger)
    assert only.text.startswith("Across 2 reports from 3 April 2018 to 3 April 2018")
    assert "ember found 0 events and 0 figures" in only.text
    assert only.doc_ids == ("d1",)
    undated = write_brief([], [D4], empty_ledger)
    assert undated[0].text.startswith("Across 1 report, none of them dated")
    assert undated[0].doc_ids == ("d4",)
    assert write_brief([], [], empty_ledger) == []


def test_dates_read_at_their_precision() -> None:
    assert when_phrase(day("2019-03-23")) == "on 23 March 2019"
    assert when_phrase(day("2019-03-23", approximate=True)) == "around 23 March 2019"
    assert when_phrase(DateRange(start="2019-03-18", end="2019-03-24", precision="week")) == (
        "in the week of 18 March 2019"
    )
    assert when_phrase(DateRange(start="2017-09-01", end="2017-09-30", precision="month")) == (
        "in September 2017"
    )
    assert (
        when_phrase(DateRange(start="2014-01-01", end="2014-12-31", precision="year")) == "in 2014"
    )
    assert when_phrase(DateRange.unknown()) == "on an unknown date"

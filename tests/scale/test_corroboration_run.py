"""analyze_stored ends with corroboration across the store, and says how many
happenings two or more documents report."""

from __future__ import annotations

from ember.ingest import Prepared, RawDocument, build_document, content_id
from ember.records import DateRange, Document, Event, Location
from ember.scale import analyze_stored
from ember.scale.pipeline import ANALYZER_VERSION
from ember.settings import Settings
from ember.store import Store

SINJAR = Location(name="Sinjar", canonical="Sinjar", geonameid=94298, lat=36.32, lon=41.88,
                  country="IQ", admin1="Nineveh", precision=1)  # fmt: skip


def analysed_report(store: Store, body: str) -> Document:
    """A document already analysed by this version, with one event in Sinjar."""
    doc = Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                   format="text")  # fmt: skip
    store.add_document(doc, signature=None, run_id="r")
    event = Event(
        id=f"{doc.id}-1", doc_id=doc.id, event_type="Battles", sub_event_type="Armed clash",
        text=body, span=(0, len(body)), location=SINJAR, actor1="Islamic State",
        date=DateRange(start="2017-05-02", end="2017-05-02", precision="day"),
    )  # fmt: skip
    store.add_analysis(doc.id, [event], [], version=ANALYZER_VERSION)
    return doc


def test_corroboration_runs_even_when_nothing_is_new(store: Store) -> None:
    """A store upgraded from before clusters existed gets them on the next run."""
    first = analysed_report(store, "Fighting flared on the northern edge of Sinjar at dawn.")
    second = analysed_report(store, "Clashes west of Sinjar town lasted into the afternoon.")
    summary = analyze_stored(store)
    assert (summary.documents, summary.corroborated) == (0, 1)
    by_doc = {event.doc_id: event for event in store.iter_events()}
    assert by_doc[first.id].corroborated_by == (second.id,)
    assert by_doc[first.id].cluster_id == by_doc[second.id].cluster_id is not None


def test_an_undated_report_is_re_dated_by_a_dated_report_of_the_same_happening(
    store: Store,
) -> None:
    """The window of an undated report moves to the happening a dated report dates, and
    the report is analysed again against it."""
    dated = (
        "Gunmen storm army post near Hajin\n\nPublished: 9 March 2021\n\n"
        "Gunmen attacked an army post near Hajin in Deir ez-Zor province on 7 March 2021,"
        " killing four soldiers, a local monitor said."
    )
    undated = (
        "The long insurgency on the Euphrates\n\n"
        "The cells that survived the battles of early 2021 have not gone away.\n\n"
        "Last March, gunmen attacked an army post near Hajin in Deir ez-Zor province,"
        " killing four soldiers."
    )
    ids = []
    for name, body in (("dated", dated), ("undated", undated)):
        raw = RawDocument(source=f"{name}.txt", body=body, kind="text", format="text")
        prepared = build_document(raw, settings=Settings())
        assert isinstance(prepared, Prepared)
        store.add_document(prepared.document, signature=prepared.signature, run_id="r")
        ids.append(prepared.document.id)
    before = store.get_document(ids[1])
    assert before is not None and before.published_after == "2021-01-01"
    summary = analyze_stored(store)
    assert summary.redated == 1
    after = store.get_document(ids[1])
    assert after is not None and after.published_after == "2021-03-07"
    assert after.published_after_basis and "2021-03-07" in after.published_after_basis
    assert after.published_before == "2022-03-07"


def test_a_document_stored_before_windows_gets_one_when_analysed(store: Store) -> None:
    body = "A month after the fall of Raqqa, the cells regrouped along the river."
    doc = Document(id=content_id(body), source="old.txt", text=body, format="text",
                   published_after="2017-01-01")  # fmt: skip
    store.add_document(doc, signature=None, run_id="r")
    analyze_stored(store)
    stored = store.get_document(doc.id)
    assert stored is not None and stored.published_after is not None
    assert stored.published_before is not None and stored.published_after_basis
    assert "2017-11" <= stored.published_after <= "2017-12-31"

"""analyze_stored ends with corroboration across the store, and says how many
happenings two or more documents report."""

from __future__ import annotations

from ember.ingest import content_id
from ember.records import DateRange, Document, Event, Location
from ember.scale import analyze_stored
from ember.scale.pipeline import ANALYZER_VERSION
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

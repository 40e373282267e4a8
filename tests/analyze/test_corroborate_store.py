"""corroborate_store over a real store (SQLite, and PostgreSQL when a server is given):
clusters written back, rewrites of one story not counted as two sources, reruns."""

from __future__ import annotations

from ember.analyze.corroborate import (
    SAME_SOURCE_SIMILARITY,
    CorroborationSummary,
    corroborate_store,
    merge_stored,
)
from ember.ingest import content_id, fingerprint, signature_bytes
from ember.ingest.dedup import similarity
from ember.records import DateRange, Document, Event, Location
from ember.store import Store

MOSUL = Location(name="Mosul", canonical="Mosul", geonameid=99072, lat=36.34, lon=43.13,
                 country="IQ", admin1="Nineveh", precision=1)  # fmt: skip

WIRE = (
    "Two roadside bombs struck an army patrol on the western edge of Mosul on Tuesday "
    "morning, killing three soldiers and wounding four, a military spokesman said. The "
    "patrol had been clearing a road used by farmers to reach the old city markets, and "
    "the army closed the road for the rest of the day while engineers searched the "
    "verges for more devices. No group claimed the attack by nightfall."
)
# The same story rewritten by a second outlet: a new opening and a few words changed.
REWRITE = (
    "Mosul, Tuesday: A military spokesman said two roadside bombs hit an army patrol "
    "on the western edge of Mosul early on Tuesday, killing three soldiers and wounding "
    "four. The patrol had been clearing a road that farmers use to reach the old city "
    "markets, and the army shut the road for the rest of the day while engineers searched "
    "the verges for more devices. No group claimed the attack by nightfall."
)
LOCAL = (
    "Residents of a western Mosul district heard two blasts before nine in the morning "
    "and saw smoke over the farm road, where soldiers later counted their dead; a nurse "
    "at the general hospital said four wounded men arrived within the hour."
)


def store_report(store: Store, body: str, *, fatalities: int) -> Document:
    """A document with one analysed event: IEDs against the army in Mosul on a day."""
    doc = Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                   format="text")  # fmt: skip
    store.add_document(doc, signature=signature_bytes(fingerprint(body)), run_id="r")
    event = Event(
        id=f"{doc.id}-1", doc_id=doc.id, event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED", text=body[:60], span=(0, 60),
        actor2="Military Forces of Iraq", location=MOSUL, fatalities=fatalities,
        date=DateRange(start="2021-03-09", end="2021-03-09", precision="day"),
    )  # fmt: skip
    store.add_analysis(doc.id, [event], [], version="1")
    return doc


def test_the_fixture_rewrite_is_one_source_but_not_a_copy() -> None:
    shared = similarity(signature_bytes(fingerprint(WIRE)), signature_bytes(fingerprint(REWRITE)))
    assert SAME_SOURCE_SIMILARITY <= shared < 0.8  # stored as an original, yet one source


def test_clusters_are_written_and_rewrites_do_not_corroborate(db_url: str) -> None:
    with Store.open(db_url) as store:
        wire = store_report(store, WIRE, fatalities=3)
        rewrite = store_report(store, REWRITE, fatalities=3)
        local = store_report(store, LOCAL, fatalities=4)
        summary = corroborate_store(store)
        assert summary == CorroborationSummary(events=3, clusters=1, events_in_clusters=2)
        by_doc = {event.doc_id: event for event in store.iter_events()}
        # The local report joins the wire story (the closer key order breaks the tie),
        # never both of the rewrites.
        clustered = {doc for doc, event in by_doc.items() if event.cluster_id is not None}
        assert local.id in clustered and not {wire.id, rewrite.id} <= clustered
        other = (clustered - {local.id}).pop()
        assert by_doc[local.id].corroborated_by == (other,)
        assert by_doc[other].corroborated_by == (local.id,)
        assert by_doc[local.id].cluster_id == by_doc[other].cluster_id


def test_a_rerun_replaces_the_clusters(db_url: str) -> None:
    with Store.open(db_url) as store:
        wire = store_report(store, WIRE, fatalities=3)
        local = store_report(store, LOCAL, fatalities=4)
        assert corroborate_store(store).clusters == 1
        assert corroborate_store(store).clusters == 1  # idempotent
        store.add_analysis(local.id, [], [], version="2")  # it no longer reports it
        assert corroborate_store(store) == CorroborationSummary(
            events=1, clusters=0, events_in_clusters=0
        )
        (event,) = store.iter_events()
        assert (event.doc_id, event.cluster_id, event.corroborated_by) == (wire.id, None, ())


def test_merged_from_the_store_counts_the_happening_once(db_url: str) -> None:
    with Store.open(db_url) as store:
        store_report(store, WIRE, fatalities=3)
        store_report(store, LOCAL, fatalities=4)
        corroborate_store(store)
        (merged,) = merge_stored(store.iter_events())
        assert merged.corroborated and merged.fatalities_reported == (3, 4)
        assert merged.event.fatalities == 3

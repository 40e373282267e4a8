"""Events, mentions, entities and analysis markers on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, insert, text

import ember.store
from ember.errors import StoreError
from ember.ingest import content_id
from ember.records import DateRange, Document, Event, Location, Mention, MentionKind
from ember.store import Store, entity_id, metadata
from ember.store._store import is_older_version
from ember.store.schema import documents, in_metadata
from tests.store import pre_window_row

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")

REPORT = (
    "Militants stormed a checkpoint near Hawija on Tuesday, killing four policemen. "
    "Two days later an air strike hit a hideout in the Hamrin hills."
)
OTHER = "Police in Tikrit detained three suspects on Monday after a tip-off, officials said."

HAWIJA = Location(
    name="Hawija", start=50, end=56, near=True, canonical="Al-Hawija", geonameid=94787,
    lat=35.33, lon=43.77, country="IQ", admin1="Kirkuk", admin2="Hawija District",
    feature="PPLA2", precision=2,
)  # fmt: skip


def make_doc(body: str, **fields: object) -> Document:
    return Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                    format="text", **fields)  # type: ignore[arg-type]  # fmt: skip


def make_event(doc: Document, n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{doc.id}-{n}", "doc_id": doc.id, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": doc.text[:80], "span": (0, 80),
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


FULL_EVENT_FIELDS: dict[str, object] = {
    "event_type": "Violence against civilians", "sub_event_type": "Attack",
    "actor1": "Islamic State", "actor1_text": "Militants", "actor2": "Police Forces of Iraq",
    "actor2_text": "policemen", "assoc_actor1": "Tribal militia", "assoc_actor2": None,
    "inter1": 2, "inter2": 1, "location": HAWIJA,
    "date": DateRange(start="2019-03-05", end="2019-03-05", precision="day", approximate=True),
    "fatalities": 4, "wounded": None, "arrested": 0, "kidnapped": None,
    "confidence": 0.87, "corroborated_by": ("b" * 16, "c" * 16),
    "evidence": ((120, 181), (300, 352)),
}  # fmt: skip


def add(store: Store, doc: Document) -> Document:
    store.add_document(doc, signature=None, run_id="r")
    return doc


def test_migrated_database_equals_the_metadata(db_url: str) -> None:
    """Equal but for the full-text search objects, which only ``in_metadata`` skips."""
    with Store.open(db_url) as store, store.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": in_metadata}
        assert compare_metadata(MigrationContext.configure(conn, opts=opts), metadata) == []
        unfiltered = MigrationContext.configure(conn, opts={"compare_type": True})
        extra = {_name(diff) for diff in compare_metadata(unfiltered, metadata)}
    assert extra and all(not in_metadata(name, kind, None) for kind, name in extra)


def _name(diff: object) -> tuple[str, str]:
    """("table" or "index", name) of an autogenerate diff ('remove_table', Table)."""
    action, item = diff[0], diff[1]  # type: ignore[index]
    return action.removeprefix("remove_"), item.name


def test_upgrade_from_0002_keeps_documents(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    doc = make_doc(REPORT)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        row = {**pre_window_row(doc), "seq": 1, "ingested_at": datetime.now(UTC)}
        conn.execute(insert(documents).values(**row))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        assert store.get_document(doc.id) == doc
        assert [d.id for d in store.documents_needing_analysis("1")] == [doc.id]


def test_events_and_mentions_round_trip(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, make_doc(REPORT))
        full = make_event(doc, 1, **FULL_EVENT_FIELDS)
        bare = make_event(doc, 2)
        place = Mention(doc_id=doc.id, kind="place", text="Hawija", start=50, end=56,
                        canonical="Al-Hawija", location=HAWIJA)  # fmt: skip
        person = Mention(doc_id=doc.id, kind="person", text="Abu Omar", start=0, end=8,
                         canonical="Abu Omar", role="commander")  # fmt: skip
        store.add_analysis(doc.id, [full, bare], [place, person], version="1.0")
        assert list(store.iter_events()) == [full, bare]
        assert list(store.iter_mentions()) == [place, person]
        assert list(store.iter_mentions(doc_id="0" * 16)) == []
        assert store.analysis_version(doc.id) == "1.0"


def test_reanalysis_replaces_only_that_documents_records(db_url: str) -> None:
    with Store.open(db_url) as store:
        first, second = add(store, make_doc(REPORT)), add(store, make_doc(OTHER))
        store.add_analysis(first.id, [make_event(first, 1), make_event(first, 2)], [], version="1")
        store.add_analysis(second.id, [make_event(second, 1)], [], version="1")
        newer = make_event(first, 3, sub_event_type="Air/drone strike",
                           event_type="Explosions/Remote violence")  # fmt: skip
        store.add_analysis(first.id, [newer], [], version="2")
        assert [e.id for e in store.iter_events(doc_id=first.id)] == [newer.id]
        assert [e.id for e in store.iter_events(doc_id=second.id)] == [f"{second.id}-1"]
        assert store.count_documents() == 2
        assert store.analysis_version(first.id) == "2"


def test_an_analysis_can_be_emptied(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, make_doc(REPORT))
        store.add_analysis(doc.id, [make_event(doc, 1)], [], version="1")
        store.add_analysis(doc.id, [], [], version="2")
        assert store.count_events() == 0
        assert store.get_document(doc.id) == doc
        assert list(store.documents_needing_analysis("2")) == []


def test_failed_analysis_keeps_the_earlier_one(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, make_doc(REPORT))
        kept = make_event(doc, 1)
        store.add_analysis(doc.id, [kept], [], version="1")
        broken = make_event(doc, 2, event_type=None)  # NOT NULL: the insert fails
        with pytest.raises(StoreError, match="cannot store the analysis"):
            store.add_analysis(doc.id, [broken], [], version="2")
        assert list(store.iter_events()) == [kept]
        assert store.analysis_version(doc.id) == "1"
        assert store.get_document(doc.id) == doc


def test_analysis_of_an_unknown_document_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store:
        ghost = make_doc(OTHER)
        with pytest.raises(StoreError, match="no such document"):
            store.add_analysis(ghost.id, [make_event(ghost, 1)], [], version="1")
        assert store.count_events() == 0


def test_records_of_another_document_are_a_bug(store: Store) -> None:
    doc, other = add(store, make_doc(REPORT)), make_doc(OTHER)
    with pytest.raises(ValueError, match="other documents"):
        store.add_analysis(doc.id, [make_event(other, 1)], [], version="1")


def dated(doc: Document, n: int, start: str | None, end: str | None, **fields: object) -> Event:
    precision = "unknown" if start is None else "day" if start == end else "month"
    return make_event(doc, n, date=DateRange(start=start, end=end, precision=precision), **fields)  # type: ignore[arg-type]


def test_event_filters(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc, other = add(store, make_doc(REPORT)), add(store, make_doc(OTHER))
        store.add_analysis(doc.id, [
            dated(doc, 1, "2019-02-10", "2019-02-10"),
            dated(doc, 2, "2019-03-01", "2019-03-31", event_type="Strategic developments",
                  sub_event_type="Arrests"),
            dated(doc, 3, None, None),
        ], [], version="1")  # fmt: skip
        store.add_analysis(other.id, [dated(other, 1, "2020-01-05", "2020-01-05")], [], version="1")

        def ids(**filters: object) -> list[str]:
            return [e.id.split("-")[1] for e in store.iter_events(**filters)]  # type: ignore[arg-type]

        assert ids() == ["1", "2", "3", "1"]
        assert ids(event_type="Strategic developments") == ["2"]
        assert ids(since="2019-03-15") == ["2", "1"]  # a month overlapping the bound counts
        assert ids(until=date(2019, 3, 1)) == ["1", "2"]
        assert ids(since="2019-02-11", until="2019-12-31") == ["2"]
        assert ids(doc_id=other.id) == ["1"]
        assert store.count_events() == 4
        assert store.count_events(since="2019-03-15") == 2


def test_events_stream_past_one_batch(store: Store) -> None:
    doc = add(store, make_doc(REPORT))
    many = [make_event(doc, n) for n in range(1203)]
    store.add_analysis(doc.id, many, [], version="1")
    assert [e.id for e in store.iter_events()] == [e.id for e in many]


def test_entities_aggregate_mentions_across_documents(db_url: str) -> None:
    tripoli_lb = Location(name="Tripoli", canonical="Tripoli", geonameid=266826,
                          lat=34.44, lon=35.85, country="LB", admin1="North")  # fmt: skip
    tripoli_ly = replace(tripoli_lb, geonameid=2210247, lat=32.89, lon=13.19, country="LY",
                         admin1="Tripoli")  # fmt: skip
    with Store.open(db_url) as store:
        doc, other = add(store, make_doc(REPORT)), add(store, make_doc(OTHER))

        def mention(d: Document, kind: MentionKind, written: str, canonical: str,
                    location: Location | None = None) -> Mention:  # fmt: skip
            return Mention(doc_id=d.id, kind=kind, text=written, start=0, end=len(written),
                           canonical=canonical, location=location)  # fmt: skip

        store.add_analysis(doc.id, [], [
            mention(doc, "actor", "ISIS", "Islamic State"),
            mention(doc, "actor", "Daesh", "Islamic State"),
            mention(doc, "place", "Tripoli", "Tripoli", location=tripoli_lb),
        ], version="1")  # fmt: skip
        store.add_analysis(other.id, [], [
            mention(other, "actor", "Daesh", "Islamic State"),
            mention(other, "place", "Tripoli", "Tripoli", location=tripoli_ly),
            mention(other, "org", "the UN", "United Nations"),
        ], version="1")  # fmt: skip
        entities = list(store.iter_entities())

    by_kind = {(e.kind, e.canonical, e.country): e for e in entities}
    state = by_kind[("actor", "Islamic State", None)]
    assert (state.aliases, state.mentions) == (("Daesh", "ISIS"), 3)
    assert state.id == entity_id("actor", "Islamic State")
    assert state.geonameid is None and state.lat is None
    lebanon, libya = by_kind[("place", "Tripoli", "LB")], by_kind[("place", "Tripoli", "LY")]
    assert (lebanon.geonameid, lebanon.lat, lebanon.admin1) == (266826, 34.44, "North")
    assert (libya.geonameid, libya.mentions) == (2210247, 1)
    assert lebanon.id != libya.id
    assert by_kind[("org", "United Nations", None)].aliases == ("the UN",)
    assert len(entities) == 4


def test_entity_ids_are_stable_and_distinct() -> None:
    assert entity_id("actor", "Islamic State") == entity_id("actor", "Islamic State")
    assert entity_id("actor", "Islamic State") != entity_id("org", "Islamic State")
    assert entity_id("place", "Mosul", "99072") != entity_id("place", "Mosul")
    assert len(entity_id("actor", "x")) == 16


def test_documents_needing_analysis(db_url: str) -> None:
    with Store.open(db_url) as store:
        fresh, stale, current, newer = (
            add(store, make_doc(f"{OTHER} Item {n}.")) for n in range(4)
        )
        near = make_doc(f"{OTHER} Item 0. Copied.", duplicate_of=fresh.id)
        store.add_document(near, signature=None, run_id="r")
        store.add_analysis(stale.id, [], [], version="1.9")
        store.add_analysis(current.id, [], [], version="1.10")
        store.add_analysis(newer.id, [], [], version="2.0")
        pending = [d.id for d in store.documents_needing_analysis("1.10")]
        assert pending == [fresh.id, stale.id]


@pytest.mark.parametrize(
    ("stored", "current", "older"),
    [("1.9", "1.10", True), ("1.10", "1.9", False), ("2", "2", False),
     ("dev", "1.0", True), ("1.0", "1.0", False), ("1.0", "1.0rc1", True),
     ("events-2", "events-10", True), ("events-10", "events-2", False),
     ("events-1", "claims-1", True)],
)  # fmt: skip
def test_version_order(stored: str, current: str, older: bool) -> None:
    assert is_older_version(stored, current) is older


def test_event_filters_use_indexes(store: Store) -> None:
    plans = {
        "doc_id": "SELECT * FROM events WHERE doc_id = 'x'",
        "event_type": "SELECT * FROM events WHERE event_type = 'Battles'",
        "date_start": "SELECT * FROM events WHERE date_start <= '2020-01-01'",
        "canonical": "SELECT * FROM mentions WHERE kind = 'actor' AND canonical = 'x'",
    }
    with store.engine.connect() as conn:
        for column, sql in plans.items():
            plan = " ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "USING INDEX" in plan, (column, plan)

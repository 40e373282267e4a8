"""Claims on SQLite and PostgreSQL: the migration, round trips, replacement with the
rest of an analysis, filters and streaming."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, inspect, select, text

import ember.store
from ember.errors import StoreError
from ember.ingest import content_id
from ember.records import Claim, DateRange, Document, Event, Location
from ember.store import Store
from ember.store._store import claim_from_row, claim_row
from ember.store.schema import claims, documents
from tests.store import pre_window_row

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")

BULLETIN = (
    "A monitoring group said on Friday that about 2,500 militants remain in the desert "
    "between Palmyra and the border, and that 40 fighters surrendered near Rutba last week."
)
DIGEST = "The ministry put the number of detainees held in the north at 9,000 in May."

PALMYRA = Location(
    name="Palmyra", start=96, end=103, canonical="Tadmur", geonameid=163345, lat=34.56,
    lon=38.28, country="SY", admin1="Homs", feature="city", precision=1,
)  # fmt: skip
IRAQ = Location(name="Iraq", start=0, end=4, canonical="Iraq", geonameid=99237, lat=33.0,
                lon=44.0, country="IQ", feature="country", precision=3)  # fmt: skip
UNRESOLVED = Location(name="the border", start=112, end=122)


def make_doc(body: str) -> Document:
    return Document(id=content_id(body), source=f"test://{content_id(body)}", text=body,
                    format="text")  # fmt: skip


def make_claim(doc: Document, n: int, **fields: object) -> Claim:
    values: dict[str, object] = {
        "id": f"{doc.id}-c{n}", "doc_id": doc.id, "subject": "fighters",
        "subject_text": "militants", "value_low": 2500.0, "value_high": 2500.0,
        "unit": "count", "quantity_text": "2,500", "quantity_span": (n * 10, n * 10 + 5),
        "text": doc.text[:60], "span": (0, 60),
    }  # fmt: skip
    return Claim(**{**values, **fields})  # type: ignore[arg-type]


def add(store: Store, doc: Document) -> Document:
    store.add_document(doc, signature=None, run_id="r")
    return doc


def full_claim(doc: Document) -> Claim:
    return make_claim(
        doc, 1, subject_text="militants", value_low=2000, value_high=3000, qualifier="about",
        vague=True, actor="Islamic State", places=(PALMYRA, UNRESOLVED, IRAQ),
        as_of=DateRange(start="2019-06-07", end="2019-06-07", precision="day",
                        approximate=True),
        attributed_to="Syrian Observatory for Human Rights",
        attributed_text="A monitoring group", hedge="estimated", confidence=0.81,
    )  # fmt: skip


def test_claims_round_trip(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, make_doc(BULLETIN))
        full, bare = full_claim(doc), make_claim(doc, 2)
        store.add_analysis(doc.id, [], [], [full, bare], version="claims-1")
        assert list(store.iter_claims()) == [full, bare]
        (stored, _) = store.iter_claims()
        assert stored.places == (PALMYRA, UNRESOLVED, IRAQ)
        assert stored.place == "Iraq; Tadmur; the border"
        assert store.count_claims() == 2


def test_claim_rows_flatten_the_first_place(store: Store) -> None:
    doc = add(store, make_doc(BULLETIN))
    store.add_analysis(doc.id, [], [], [full_claim(doc), make_claim(doc, 2)], version="1")
    with store.engine.connect() as conn:
        first, bare = conn.execute(select(claims).order_by(claims.c.row)).mappings().all()
    assert (first["place"], first["loc_canonical"], first["loc_lat"]) == (
        "Iraq; Tadmur; the border", "Tadmur", 34.56,
    )  # fmt: skip
    assert (first["quantity_start"], first["quantity_end"]) == (10, 15)
    assert (first["as_of_start"], first["as_of_precision"]) == ("2019-06-07", "day")
    assert (bare["place"], bare["loc_name"], bare["places"]) == (None, None, "[]")


def test_claim_converters_are_inverse() -> None:
    doc = make_doc(BULLETIN)
    claim = full_claim(doc)
    assert claim_from_row({**claim_row(claim), "row": 1}) == claim


def test_claims_are_replaced_with_the_rest_of_the_analysis(db_url: str) -> None:
    with Store.open(db_url) as store:
        first, second = add(store, make_doc(BULLETIN)), add(store, make_doc(DIGEST))
        event = Event(id=f"{first.id}-1", doc_id=first.id, event_type="Battles",
                      sub_event_type="Armed clash", text=BULLETIN[:40], span=(0, 40))  # fmt: skip
        store.add_analysis(first.id, [event], [], [make_claim(first, 1), make_claim(first, 2)],
                           version="1")  # fmt: skip
        store.add_analysis(second.id, [], [], [make_claim(second, 1)], version="1")
        store.add_analysis(first.id, [], [], [make_claim(first, 3)], version="2")
        assert [c.id for c in store.iter_claims(doc_id=first.id)] == [f"{first.id}-c3"]
        assert [c.id for c in store.iter_claims(doc_id=second.id)] == [f"{second.id}-c1"]
        assert store.count_events() == 0
        store.add_analysis(first.id, [], [], version="3")  # claims default to none
        assert store.count_claims(doc_id=first.id) == 0


def test_failed_analysis_keeps_the_earlier_claims(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc = add(store, make_doc(BULLETIN))
        kept = make_claim(doc, 1)
        store.add_analysis(doc.id, [], [], [kept], version="1")
        broken = make_claim(doc, 2, subject=None)  # NOT NULL: the insert fails
        with pytest.raises(StoreError, match="cannot store the analysis"):
            store.add_analysis(doc.id, [], [], [make_claim(doc, 3), broken], version="2")
        assert list(store.iter_claims()) == [kept]
        assert store.analysis_version(doc.id) == "1"


def test_claims_of_another_document_are_a_bug(store: Store) -> None:
    doc, other = add(store, make_doc(BULLETIN)), make_doc(DIGEST)
    with pytest.raises(ValueError, match="other documents"):
        store.add_analysis(doc.id, [], [], [make_claim(other, 1)], version="1")


def test_claims_come_back_in_text_order(store: Store) -> None:
    doc = add(store, make_doc(BULLETIN))
    late, early = make_claim(doc, 9), make_claim(doc, 2)
    store.add_analysis(doc.id, [], [], [late, early], version="1")
    assert list(store.iter_claims()) == [early, late]


def test_claim_filters(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc, other = add(store, make_doc(BULLETIN)), add(store, make_doc(DIGEST))

        def on(day: str | None) -> DateRange:
            return DateRange(start=day, end=day, precision="day" if day else "unknown")

        store.add_analysis(doc.id, [], [], [
            make_claim(doc, 1, actor="Islamic State", places=(PALMYRA, IRAQ),
                       as_of=on("2019-06-07")),
            make_claim(doc, 2, actor="Islamic State", subject="surrendered",
                       places=(IRAQ,), as_of=on(None)),
            make_claim(doc, 3, actor="Hay'at Tahrir al-Sham", as_of=on("2018-01-10")),
        ], version="1")  # fmt: skip
        store.add_analysis(other.id, [], [], [
            make_claim(other, 1, subject="detainees", actor=None, places=(IRAQ,),
                       as_of=DateRange(start="2019-05-01", end="2019-05-31", precision="month")),
        ], version="1")  # fmt: skip

        def ids(**filters: object) -> list[str]:
            return [c.id.split("-")[1] for c in store.iter_claims(**filters)]  # type: ignore[arg-type]

        assert ids() == ["c1", "c2", "c3", "c1"]
        assert ids(subject="fighters") == ["c1", "c3"]
        assert ids(actor="islamic") == ["c1", "c2"]
        assert ids(actor="TAHRIR AL") == ["c3"]
        assert ids(place="iraq") == ["c1", "c2", "c1"]  # "Iraq; Tadmur" holds Iraq
        assert ids(place="tadmur") == ["c1"]
        assert ids(since="2019-01-01") == ["c1", "c1"]  # undated claims drop out
        assert ids(until=date(2019, 5, 31)) == ["c3", "c1"]
        assert ids(since="2019-05-01", until="2019-05-31") == ["c1"]
        assert ids(doc_id=other.id, place="iraq") == ["c1"]
        assert ids(subject="fighters", actor="islamic", place="syria") == []
        assert store.count_claims(place="iraq") == 3
        assert store.count_claims(subject="detainees", since="2019-05-01") == 1


def test_like_wildcards_in_filters_are_literal(store: Store) -> None:
    doc = add(store, make_doc(BULLETIN))
    store.add_analysis(doc.id, [], [], [make_claim(doc, 1, actor="Islamic State")], version="1")
    assert store.count_claims(actor="%") == 0
    assert store.count_claims(actor="Islamic_State") == 0
    assert store.count_claims(actor="c S") == 1


def test_claims_stream_past_one_batch(store: Store) -> None:
    doc = add(store, make_doc(BULLETIN))
    many = [make_claim(doc, n) for n in range(1203)]
    store.add_analysis(doc.id, [], [], many, version="1")
    assert [c.id for c in store.iter_claims()] == [c.id for c in many]


def test_claim_filters_use_indexes(store: Store) -> None:
    plans = {
        "doc_id": "SELECT * FROM claims WHERE doc_id = 'x'",
        "subject": "SELECT * FROM claims WHERE subject = 'fighters'",
        "as_of_start": "SELECT * FROM claims WHERE as_of_start >= '2019-01-01'",
    }
    with store.engine.connect() as conn:
        for column, sql in plans.items():
            plan = " ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "USING INDEX" in plan, (column, plan)


def test_upgrade_from_0003_adds_an_empty_claims_table(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    doc = make_doc(DIGEST)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        assert "claims" not in inspect(conn).get_table_names()
        row = {**pre_window_row(doc), "seq": 1, "ingested_at": datetime.now(UTC)}
        conn.execute(insert(documents).values(**row))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        assert store.get_document(doc.id) == doc
        assert store.count_claims() == 0
        store.add_analysis(doc.id, [], [], [make_claim(doc, 1)], version="claims-1")
        assert store.count_claims() == 1

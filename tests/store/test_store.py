"""The store on SQLite and PostgreSQL: migrations, one-transaction writes, the log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, inspect, select, text

import ember.store
from ember.errors import ConfigError, StoreError
from ember.ingest import content_id, fingerprint, signature_bytes
from ember.ingest.dedup import band_keys
from ember.records import Document
from ember.store import Store, metadata, normalise_url
from ember.store._store import candidates_query
from ember.store.schema import document_bands, documents
from tests.store import pre_window_row

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")


def sig(text: str) -> bytes:
    return signature_bytes(fingerprint(text))


def make_doc(text: str, **fields: object) -> Document:
    return Document(
        id=content_id(text), source=f"test://{content_id(text)}", text=text, format="text", **fields
    )  # type: ignore[arg-type]


TEXT = "Iraqi forces retook the town after a week of fighting, officials said on Sunday."


def test_migrated_schema_matches_metadata(db_url: str) -> None:
    with Store.open(db_url) as store:
        inspector = inspect(store.engine)
        for table in metadata.sorted_tables:
            assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys())


def test_opening_twice_is_idempotent(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.add_document(make_doc(TEXT), signature=None, run_id="r1")
    with Store.open(db_url) as store:
        assert store.count_documents() == 1


def test_same_text_is_stored_once(db_url: str) -> None:
    doc = make_doc(TEXT, title="Town retaken")
    with Store.open(db_url) as store:
        assert store.add_document(doc, signature=None, run_id="r1") == "stored"
        again = replace(doc, source="elsewhere.txt")
        assert store.add_document(again, signature=None, run_id="r2") == "duplicate"
        assert store.count_documents() == 1
        assert store.get_document(doc.id) == doc
        outcomes = [(row["source"], row["outcome"]) for row in store.ingest_log()]
        assert outcomes == [(doc.source, "stored"), ("elsewhere.txt", "duplicate")]


def test_near_duplicate_keeps_link_to_original(db_url: str) -> None:
    original = make_doc(TEXT)
    copy = make_doc(TEXT + " Reuters contributed.", duplicate_of=original.id)
    with Store.open(db_url) as store:
        store.add_document(original, signature=sig(TEXT), run_id="r")
        assert store.add_document(copy, signature=None, run_id="r") == "near_duplicate"
        assert store.get_document(copy.id).duplicate_of == original.id  # type: ignore[union-attr]
        assert store.find_near_duplicate(sig(TEXT + " Reuters."), threshold=0.8) == original.id
        unrelated = sig("Unrelated words about a harvest festival in the south.")
        assert store.find_near_duplicate(unrelated, threshold=0.1) is None


def test_band_keys_are_written_for_originals_only(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.connect() as conn:
        original = make_doc(TEXT)
        store.add_document(original, signature=sig(TEXT), run_id="r")
        copy = make_doc(TEXT + " Copy.", duplicate_of=original.id)
        store.add_document(copy, signature=sig(TEXT + " Copy."), run_id="r")
        owners = conn.execute(select(document_bands.c.doc_id).distinct()).scalars().all()
        assert owners == [original.id]


def test_migration_backfills_band_keys(sqlite_url: str) -> None:
    """A store created at revision 0001 gets keys for its documents on upgrade."""
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        row = {**pre_window_row(make_doc(TEXT)), "minhash": sig(TEXT), "seq": 1}
        conn.execute(insert(documents).values(**row, ingested_at=datetime.now(UTC)))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        assert store.find_near_duplicate(sig(TEXT + " Copy."), threshold=0.8) == make_doc(TEXT).id


def test_rejections_are_logged_with_reason(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.log_rejection(source="bad.txt", reason="binary file", run_id="r9")
        (row,) = store.ingest_log(run_id="r9")
        assert (row["source"], row["outcome"], row["reason"]) == (
            "bad.txt",
            "rejected",
            "binary file",
        )


def test_iter_documents_streams_in_ingest_order(db_url: str) -> None:
    texts = [f"{TEXT} Report number {i} of the series." for i in range(7)]
    with Store.open(db_url) as store:
        for text in texts:
            store.add_document(make_doc(text), signature=None, run_id="r")
        assert [d.text for d in store.iter_documents(batch_size=3)] == texts


def test_failed_write_keeps_what_was_stored(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        good = make_doc(TEXT)
        store.add_document(good, signature=None, run_id="r")
        # A dangling duplicate_of breaks the foreign key: the write fails as a whole.
        broken = make_doc(TEXT + " More.", duplicate_of="0" * 16)
        with pytest.raises(StoreError):
            store.add_document(broken, signature=None, run_id="r")
        assert store.count_documents() == 1
        assert [row["doc_id"] for row in store.ingest_log()] == [good.id]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ember.db", "sqlite:///ember.db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "sqlite:////no/such/folder/x.db", "oracle://u@h/db"]
)
def test_bad_database_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError):
        Store.open(url)


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open("postgresql://nobody@127.0.0.1:1/none")


def test_near_duplicate_lookup_uses_the_band_index(store: Store) -> None:
    """A row-value IN made SQLite scan document_bands whole: ingest slowed with size."""
    query = candidates_query(band_keys(sig(TEXT)))
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        plan = " | ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "USING INDEX ix_document_bands_band_key" in plan
    assert "SCAN document_bands" not in plan

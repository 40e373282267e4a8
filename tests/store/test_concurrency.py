"""Concurrent writers on one store (SQLite and PostgreSQL): every document gets its own
``seq``, full-text search stays consistent, and racing first runs create the schema once.
Old stores that two writers corrupted are renumbered on upgrade (migration 0009)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, insert, select, text

import ember.store
from ember.ingest import content_id
from ember.records import Document
from ember.store import Store
from ember.store.schema import documents

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")
PER_WRITER = 40
FTS = "documents_fts"


def make_doc(writer: str, i: int) -> Document:
    body = f"Writer {writer} filed report {i}: gunmen attacked a checkpoint near the bridge."
    return Document(id=content_id(body), source=f"{writer}-{i}.txt", text=body, format="text")


def run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Run ``workers`` in threads released at the same moment; the errors they raised."""
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def wrapped(work: Callable[[], None]) -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def writer(url: str, name: str) -> Callable[[], None]:
    def work() -> None:
        with Store.open(url) as store:
            for i in range(PER_WRITER):
                store.add_document(make_doc(name, i), signature=None, run_id=name)

    return work


def fts_integrity_error(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
            )
    except Exception as exc:
        return str(exc)
    finally:
        engine.dispose()
    return None


def test_two_writers_never_share_a_seq(db_url: str) -> None:
    Store.open(db_url).close()
    assert run_together([writer(db_url, "alpha"), writer(db_url, "beta")]) == []
    with Store.open(db_url) as store, store.engine.connect() as conn:
        seqs = conn.execute(select(documents.c.seq)).scalars().all()
        assert len(seqs) == 2 * PER_WRITER
        assert len(set(seqs)) == len(seqs)
        if db_url.startswith("sqlite"):
            assert fts_integrity_error(db_url) is None
        # Search finds exactly the documents that hold the words.
        page = store.search_documents('"writer beta" "report 7"', limit=10)
        assert [hit.doc_id for hit in page.hits] == [make_doc("beta", 7).id]
        assert store.search_documents("alpha", limit=100).total == PER_WRITER
        # Paging by seq reads every document once.
        assert len({doc.id for doc in store.iter_documents(batch_size=7)}) == 2 * PER_WRITER


@pytest.mark.parametrize("attempt", range(3))
def test_racing_first_runs_create_the_schema_once(db_url: str, attempt: int) -> None:
    errors = run_together([writer(db_url, f"first{attempt}"), writer(db_url, f"second{attempt}")])
    assert errors == []
    with Store.open(db_url) as store:
        assert store.count_documents() == 2 * PER_WRITER


def test_a_store_with_shared_seqs_is_renumbered_on_upgrade(sqlite_url: str) -> None:
    """A store written by two concurrent ingests before migration 0009: documents that
    share a seq get their own, and the full-text index is rebuilt to match."""
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    bodies = [
        "Shelling hit the northern market on Monday.",
        "A convoy was ambushed near the dam.",
        "Protesters gathered outside the ministry.",
    ]
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0008")
        for seq, body in zip((1, 2, 2), bodies, strict=True):
            doc = Document(id=content_id(body), source=f"{seq}.txt", text=body, format="text")
            row = {
                "id": doc.id, "source": doc.source, "format": doc.format, "text": doc.text,
                "seq": seq, "ingested_at": datetime.now(UTC),
            }  # fmt: skip
            conn.execute(insert(documents).values(**row))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        with store.engine.connect() as conn:
            seqs = conn.execute(select(documents.c.seq).order_by(documents.c.seq)).scalars().all()
            assert seqs == [1, 2, 3]
            assert conn.execute(select(func.count()).select_from(documents)).scalar_one() == 3
        assert [doc.text for doc in store.iter_documents()] == bodies
        for word, body in (("market", 0), ("convoy", 1), ("ministry", 2)):
            hits = store.search_documents(word).hits
            assert [hit.doc_id for hit in hits] == [content_id(bodies[body])]
    assert fts_integrity_error(sqlite_url) is None

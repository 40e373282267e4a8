"""Poison never blocks progress: a failed analysis is noted and skipped until retried;
figures a column cannot hold are left out with a reason instead of raising; a store
from before migration 0009 upgrades with its analyses kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert

import ember.store
from ember.ingest import content_id
from ember.records import Claim, Document, Event, Location
from ember.store import Store
from ember.store.schema import analyses, documents

MIGRATIONS = Path(ember.store.__file__).with_name("migrations")
BODIES = [
    "Gunmen attacked a checkpoint near the bridge on Monday, police said.",
    "Shelling hit the northern market on Tuesday, officials said.",
    "A convoy was ambushed near the dam on Wednesday.",
]


def make_doc(body: str) -> Document:
    return Document(id=content_id(body), source=f"{content_id(body)}.txt", text=body,
                    format="text")  # fmt: skip


def filled(store: Store) -> list[Document]:
    docs = [make_doc(body) for body in BODIES]
    for doc in docs:
        store.add_document(doc, signature=None, run_id="r")
    return docs


def pending(store: Store, version: str = "v-2", **options: bool) -> list[str]:
    return [doc.id for doc in store.documents_needing_analysis(version, **options)]


def test_a_failed_document_is_skipped_until_retried(db_url: str) -> None:
    with Store.open(db_url) as store:
        first, poison, last = filled(store)
        store.mark_failed(poison.id, version="v-2", reason="OverflowError:\nint too large")
        assert pending(store) == [first.id, last.id]
        assert pending(store, retry_failed=True) == [first.id, poison.id, last.id]
        assert pending(store, "v-3") == [first.id, poison.id, last.id]  # a newer version tries
        (failure,) = store.analysis_failures()
        assert (failure.doc_id, failure.version) == (poison.id, "v-2")
        assert failure.reason == "OverflowError: int too large"
        store.add_analysis(poison.id, [], [], version="v-2")
        assert store.analysis_failures() == []


def make_event(doc: Document, **fields: object) -> Event:
    values: dict[str, object] = {
        "id": f"{doc.id}-e", "doc_id": doc.id, "event_type": "Battles",
        "sub_event_type": "Armed clash", "text": doc.text, "span": (0, len(doc.text)),
    }  # fmt: skip
    return Event(**{**values, **fields})  # type: ignore[arg-type]


def make_claim(doc: Document, n: int, value: float, text: str) -> Claim:
    return Claim(
        id=f"{doc.id}-c{n}", doc_id=doc.id, subject="fatalities", subject_text="people",
        value_low=value, value_high=value, unit="count", quantity_text=text,
        quantity_span=(n, n + len(text)), text=doc.text, span=(0, len(doc.text)),
    )  # fmt: skip


def test_figures_beyond_what_the_store_holds_are_left_out(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc, *_ = filled(store)
        huge = 9223372036854775808  # 2**63: one past what a 64-bit column holds
        event = make_event(doc, fatalities=huge, wounded=3)
        kept = make_claim(doc, 1, 12.0, "12")
        claims = [
            make_claim(doc, 2, huge, str(huge)),  # type: ignore[arg-type]
            make_claim(doc, 3, float("inf"), "infinitely many"),
            make_claim(doc, 4, float("nan"), "nan"),
            kept,
        ]
        notes = store.add_analysis(doc.id, [event], [], claims, version="v-2")
        assert len(notes) == 4
        assert notes[0].startswith(f"event {event.id}: fatalities {huge} is beyond 2**63")
        assert all("claim left out" in note for note in notes[1:])
        (stored,) = store.iter_events()
        assert (stored.fatalities, stored.wounded) == (None, 3)
        assert list(store.iter_claims()) == [kept]


def test_pages_beyond_64_bits_are_a_value_error(store: Store) -> None:
    with pytest.raises(ValueError, match="below 2"):
        store.list_events(offset=2**63)


def test_a_store_from_before_0009_upgrades(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    doc = make_doc(BODIES[0])
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0008")
        conn.execute(insert(documents).values(
            id=doc.id, source=doc.source, format="text", text=doc.text, seq=1,
            ingested_at=datetime.now(UTC),
        ))  # fmt: skip
        conn.execute(insert(analyses).values(doc_id=doc.id, version="v-2", at=datetime.now(UTC)))
    engine.dispose()
    with Store.open(sqlite_url) as store:
        assert store.analysis_version(doc.id) == "v-2"
        assert pending(store) == []
        store.mark_failed(doc.id, version="v-3", reason="RecursionError")
        assert pending(store, "v-3") == []
        assert pending(store, "v-3", retry_failed=True) == [doc.id]


def test_non_finite_values_never_reach_the_store(store: Store) -> None:
    doc, *_ = filled(store)
    nowhere = Location(name="the dam", start=0, end=7, lat=float("nan"), lon=44.0)
    event = make_event(doc, confidence=float("inf"), location=nowhere)
    claim = replace(make_claim(doc, 1, 40.0, "40"), places=(nowhere,))
    notes = store.add_analysis(doc.id, [event], [], [claim], version="v-2")
    assert len(notes) == 3
    (stored,) = store.iter_events()
    assert stored.confidence == 0.0 and stored.location is not None
    assert (stored.location.lat, stored.location.lon) == (None, None)
    assert list(store.iter_claims()) == []

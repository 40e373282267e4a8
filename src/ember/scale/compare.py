"""What an analysis run left in a store, in store order, to compare two runs (one worker
against several, the local engine against Ray): the tests and ``benchmarks/scale.py``."""

from __future__ import annotations

import hashlib
from typing import Any

from ..store import Store

__all__ = ["store_digest", "store_records"]


def store_records(store: Store) -> dict[str, list[Any]]:
    """Documents (with their windows), events (with their clusters), claims, mentions and
    failures, each in the order the store holds them."""
    return {
        "documents": list(store.iter_documents()),
        "events": list(store.iter_events()),
        "claims": list(store.iter_claims()),
        "mentions": list(store.iter_mentions()),
        "failures": [(f.doc_id, f.version, f.reason) for f in store.analysis_failures()],
    }


def store_digest(store: Store) -> str:
    """One hash of :func:`store_records` (records compare by value; the hash is of their
    reprs, which dataclasses make from every field)."""
    digest = hashlib.sha256()
    for kind, records in store_records(store).items():
        digest.update(kind.encode())
        for record in records:
            digest.update(repr(record).encode())
    return digest.hexdigest()

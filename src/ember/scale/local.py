"""Running the ingest stage into a store, in this process.

Sources stream through one at a time, so memory stays flat however large the corpus;
each document is committed on its own, so a kill loses at most the one in flight and a
rerun stores only what is missing."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from ..ingest import (
    NearDuplicateIndex,
    Prepared,
    Rejection,
    Source,
    build_document,
    expand_inputs,
    read_source,
    signature_bytes,
)
from ..settings import Settings
from ..store import Outcome, Store

__all__ = ["IngestSummary", "ProgressCallback", "ingest_inputs", "plan_sources"]

ProgressCallback = Callable[[str, Outcome], None]


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.counts["stored"]

    @property
    def duplicates(self) -> int:
        return self.counts["duplicate"]

    @property
    def near_duplicates(self) -> int:
        return self.counts["near_duplicate"]

    @property
    def rejected(self) -> int:
        return self.counts["rejected"]


def plan_sources(inputs: Iterable[str]) -> tuple[list[Source], list[Rejection]]:
    """Expand inputs up front (paths only, cheap) so progress can show a total."""
    sources: list[Source] = []
    rejections: list[Rejection] = []
    for item in expand_inputs(inputs):
        (rejections if isinstance(item, Rejection) else sources).append(item)  # type: ignore[arg-type]
    return sources, rejections


def ingest_inputs(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    on_source: Callable[[Source], None] | None = None,
    on_outcome: ProgressCallback | None = None,
    planned: tuple[list[Source], list[Rejection]] | None = None,
) -> IngestSummary:
    """Read every input into ``store``; return what happened to each document."""
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    sources, early = planned if planned is not None else plan_sources(inputs)
    index = NearDuplicateIndex(
        threshold=settings.near_duplicate_threshold, num_perm=settings.minhash_permutations
    )
    index.load(store.signatures())

    def record(source: str, outcome: Outcome, rejection: Rejection | None = None) -> None:
        summary.counts[outcome] += 1
        if rejection is not None:
            summary.rejections.append(rejection)
            store.log_rejection(
                source=rejection.source, reason=rejection.reason, run_id=summary.run_id
            )
        if on_outcome is not None:
            on_outcome(source, outcome)

    for rejection in early:
        record(rejection.source, "rejected", rejection)
    for source in sources:
        for item in _prepare(source, settings):
            if isinstance(item, Rejection):
                record(item.source, "rejected", item)
            else:
                record(item.document.source, _store(item, store, index, summary.run_id))
        if on_source is not None:
            on_source(source)
    return summary


def _prepare(source: Source, settings: Settings) -> Iterator[Prepared | Rejection]:
    try:
        for raw in read_source(source, settings=settings):
            if isinstance(raw, Rejection):
                yield raw
                continue
            try:
                yield build_document(raw, settings=settings)
            except Exception as exc:  # one broken document must not sink the batch
                yield Rejection(
                    source=raw.source, reason=f"internal error: {type(exc).__name__}: {exc}"
                )
    except Exception as exc:
        yield Rejection(
            source=source.location, reason=f"internal error: {type(exc).__name__}: {exc}"
        )


def _store(prepared: Prepared, store: Store, index: NearDuplicateIndex, run_id: str) -> Outcome:
    doc = prepared.document
    original = index.find(prepared.minhash)
    if original is not None and original != doc.id:
        doc = replace(doc, duplicate_of=original)
    outcome = store.add_document(doc, signature=signature_bytes(prepared.minhash), run_id=run_id)
    if outcome == "stored":
        index.add(doc.id, prepared.minhash)
    return outcome

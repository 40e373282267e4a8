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
    Fetcher,
    HttpxFetcher,
    Prepared,
    Rejection,
    Skipped,
    Source,
    build_document,
    expand_inputs,
    read_source,
)
from ..settings import Settings
from ..store import Outcome, Store

__all__ = ["IngestPlan", "IngestSummary", "ProgressCallback", "ingest_inputs", "plan_sources"]

ProgressCallback = Callable[[str, Outcome], None]


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    skips: list[Skipped] = field(default_factory=list)

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

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]


@dataclass(slots=True)
class IngestPlan:
    """The inputs expanded to sources (paths only, cheap), so progress can show a total."""

    sources: list[Source] = field(default_factory=list)
    unread: list[Rejection | Skipped] = field(default_factory=list)


def plan_sources(inputs: Iterable[str]) -> IngestPlan:
    plan = IngestPlan()
    for item in expand_inputs(inputs):
        if isinstance(item, Source):
            plan.sources.append(item)
        else:
            plan.unread.append(item)
    return plan


def ingest_inputs(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    fetcher: Fetcher | None = None,
    plan: IngestPlan | None = None,
    on_source: Callable[[Source], None] | None = None,
    on_outcome: ProgressCallback | None = None,
) -> IngestSummary:
    """Read every input into ``store``; return what happened to each document.

    URLs are fetched with ``fetcher`` (one client for the whole batch; tests pass a fake)."""
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    plan = plan if plan is not None else plan_sources(inputs)

    def record(source: str, outcome: Outcome, unread: Rejection | Skipped | None = None) -> None:
        summary.counts[outcome] += 1
        if isinstance(unread, Rejection):
            summary.rejections.append(unread)
        elif isinstance(unread, Skipped):
            summary.skips.append(unread)
        if unread is not None:
            store.log_rejection(
                source=unread.source, reason=unread.reason, run_id=summary.run_id, outcome=outcome
            )
        if on_outcome is not None:
            on_outcome(source, outcome)

    for unread in plan.unread:
        record(unread.source, "skipped" if isinstance(unread, Skipped) else "rejected", unread)
    own_fetcher = fetcher is None and any(source.is_url for source in plan.sources)
    active = HttpxFetcher(settings) if own_fetcher else fetcher
    try:
        for source in plan.sources:
            for item in _prepare(source, settings, active):
                if isinstance(item, Rejection):
                    record(item.source, "rejected", item)
                else:
                    record(item.document.source, _store(item, store, settings, summary.run_id))
            if on_source is not None:
                on_source(source)
    finally:
        if own_fetcher and isinstance(active, HttpxFetcher):
            active.close()
    return summary


def _prepare(
    source: Source, settings: Settings, fetcher: Fetcher | None
) -> Iterator[Prepared | Rejection]:
    try:
        for raw in read_source(source, settings=settings, fetcher=fetcher):
            if isinstance(raw, Rejection):
                yield raw
                continue
            try:
                yield build_document(raw, settings=settings)
            except Exception as exc:  # one broken document must not sink the batch
                reason = f"internal error: {type(exc).__name__}: {exc}"
                yield Rejection(source=raw.source, reason=reason)
    except Exception as exc:
        yield Rejection(
            source=source.location, reason=f"internal error: {type(exc).__name__}: {exc}"
        )


def _store(prepared: Prepared, store: Store, settings: Settings, run_id: str) -> Outcome:
    doc = prepared.document
    original = store.find_near_duplicate(
        prepared.signature, threshold=settings.near_duplicate_threshold
    )
    if original is not None and original != doc.id:
        doc = replace(doc, duplicate_of=original)
    return store.add_document(doc, signature=prepared.signature, run_id=run_id)

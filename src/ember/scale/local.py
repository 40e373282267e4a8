"""Running the ingest stage into a store, in this process.

Sources stream through one at a time, so memory stays flat however large the corpus;
each document is committed on its own, so a kill loses at most the one in flight and a
rerun stores only what is missing."""

from __future__ import annotations

import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import StoreError
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
from ..ingest.boundary import escape_name, one_line_name
from ..ingest.window import infer_window
from ..records import Document
from ..settings import Settings
from ..store import Outcome, Store
from .budget import DocumentBudget
from .workers import Engine, EngineName, failure_reason, open_engine

if TYPE_CHECKING:
    from .pipeline import Analysis, AnalysisInput

__all__ = ["IngestPlan", "IngestSummary", "ProgressCallback", "ingest_inputs", "plan_sources"]

ProgressCallback = Callable[[str, Outcome], None]
# Documents analysed together (what one worker takes at a time; the same groups on every
# engine); when one of a group raises, the rest of that group is analysed one at a time,
# so the one that raised is found and marked failed.
_GROUP = 8


@dataclass(slots=True)
class IngestSummary:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    skips: list[Skipped] = field(default_factory=list)
    # Documents stored with characters that were not valid Unicode replaced, and how
    # many characters in all (``ingest.boundary``).
    repaired_documents: int = 0
    repaired_characters: int = 0

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
    plan = plan if plan is not None else plan_sources(inputs)
    run = _Run(store, IngestSummary(run_id=uuid.uuid4().hex), on_outcome)
    for unread in plan.unread:
        run.unread(unread)
    needs_network = settings.follow_links or any(source.is_url for source in plan.sources)
    own_fetcher = fetcher is None and needs_network
    active = HttpxFetcher(settings) if own_fetcher else fetcher
    try:
        for source in plan.sources:
            for item in _prepare(source, settings, active):
                if isinstance(item, Rejection):
                    run.unread(item)
                else:
                    outcome = _store(item, store, settings, run.run_id)
                    run.record(item.document.source, outcome, repaired=item.repaired)
            if on_source is not None:
                on_source(source)
    finally:
        if own_fetcher and isinstance(active, HttpxFetcher):
            active.close()
    return run.summary


@dataclass(slots=True)
class _Run:
    """Counts each outcome, logs what was not stored, and reports progress."""

    store: Store
    summary: IngestSummary
    on_outcome: ProgressCallback | None

    @property
    def run_id(self) -> str:
        return self.summary.run_id

    def record(self, source: str, outcome: Outcome, *, repaired: int = 0) -> None:
        self.summary.counts[outcome] += 1
        if repaired and outcome in ("stored", "near_duplicate"):
            self.summary.repaired_documents += 1
            self.summary.repaired_characters += repaired
        if self.on_outcome is not None:
            self.on_outcome(source, outcome)

    def unread(self, item: Rejection | Skipped) -> None:
        # Names and reasons become one line of valid text: a file name that is not
        # UTF-8 or holds a newline can neither break the store nor the summary.
        item = replace(item, source=escape_name(item.source), reason=one_line_name(item.reason))
        outcome: Outcome = "skipped" if isinstance(item, Skipped) else "rejected"
        if isinstance(item, Skipped):
            self.summary.skips.append(item)
        else:
            self.summary.rejections.append(item)
        self.store.log_rejection(
            source=item.source, reason=item.reason, run_id=self.run_id, outcome=outcome
        )
        self.record(item.source, outcome)


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
    note = f"replaced {prepared.repaired} invalid characters" if prepared.repaired else None
    return store.add_document(doc, signature=prepared.signature, run_id=run_id, note=note)


@dataclass(slots=True)
class AnalyzeSummary:
    """What an analysis run did. ``corroborated``: happenings reported by two or more
    documents across the whole store after the run (corroboration runs every time).
    ``failed``: (doc id, reason) of each document whose analysis raised (marked failed
    in the store, skipped by later runs); ``dropped``: (doc id, reason) of each figure
    the store could not hold (``Store.add_analysis``)."""

    documents: int = 0
    events: int = 0
    claims: int = 0
    corroborated: int = 0
    redated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


def analyze_stored(
    store: Store,
    *,
    force: bool = False,
    retry_failed: bool = False,
    on_document: Callable[[str], None] | None = None,
    workers: int | None = 1,
    engine: EngineName = "local",
    address: str | None = None,
    budget: DocumentBudget | None = None,
) -> AnalyzeSummary:
    """Analyse every original document not yet analysed by this version of ember (all of
    them with ``force``), each written in its own transaction, so a rerun resumes; then
    corroborate across the whole store. Corroboration runs even when nothing was new: it
    is cheap, and a store upgraded from before clusters existed gets them this way.

    Documents stream from the store a page at a time to ``workers`` processes (``engine``
    "local"; 1: this process; None: one a core) or to Ray (``engine`` "ray", on the
    cluster at ``address`` or a local one), and their analyses come back in order to this
    process, the only one that writes the store: the store ends the same whatever the
    engine and the workers.

    A document whose analysis raises, or goes over ``budget`` (``scale.budget``; default
    the settings' defaults), is marked failed with the reason and the run goes on; later
    runs skip it unless ``retry_failed`` (or ``force``)."""
    from ..analyze.corroborate import corroborate_store
    from ..analyze.redate import redate_from_corroboration
    from .pipeline import ANALYZER_VERSION

    if force:
        documents: Iterable[Document] = (
            doc for doc in store.iter_documents() if doc.duplicate_of is None
        )
    else:
        documents = store.documents_needing_analysis(ANALYZER_VERSION, retry_failed=retry_failed)
    summary = AnalyzeSummary()
    with open_engine(engine, workers=workers, address=address, budget=budget) as running:
        windowed = (_with_window(store, doc) for doc in documents)
        for analysis in _analysed_into(store, windowed, summary, running):
            summary.documents += 1
            summary.events += len(analysis.events)
            summary.claims += len(analysis.claims)
            if on_document is not None:
                on_document(analysis.doc_id)
        summary.corroborated = corroborate_store(store).clusters
        # Undated reports that tell a happening a dated report dates get a narrower
        # window: read their relative dates again, once, and corroborate with the new
        # dates.
        redated = redate_from_corroboration(store)
        if redated:
            again = (doc for doc in map(store.get_document, redated) if doc is not None)
            # store them; nothing to count
            deque(_analysed_into(store, again, summary, running), maxlen=0)
            summary.corroborated = corroborate_store(store).clusters
            summary.redated = len(redated)
    return summary


def _analysed_into(
    store: Store, documents: Iterable[Document], summary: AnalyzeSummary, engine: Engine
) -> Iterator[Analysis]:
    """Analyse ``documents`` on ``engine`` and store each analysis (one transaction each),
    yielding it. A document whose analysis or its storing raises is marked failed (in
    ``summary`` and the store) and the others go on."""
    from .pipeline import ANALYZER_VERSION

    for results in engine.results(_groups(documents)):
        for doc_id, result in results:
            stored = _store_analysis(store, doc_id, result, summary, version=ANALYZER_VERSION)
            if stored is not None:
                yield stored


def _groups(documents: Iterable[Document]) -> Iterator[list[AnalysisInput]]:
    """The documents as inputs, ``_GROUP`` at a time (the same groups on every engine)."""
    from .pipeline import AnalysisInput

    group: list[AnalysisInput] = []
    for doc in documents:
        group.append(AnalysisInput.of(doc))
        if len(group) == _GROUP:
            yield group
            group = []
    if group:
        yield group


def _store_analysis(
    store: Store,
    doc_id: str,
    result: Analysis | str,
    summary: AnalyzeSummary,
    *,
    version: str,
) -> Analysis | None:
    """Store ``result`` (the analysis of ``doc_id``), or mark it failed when ``result``
    is the reason its analysis failed; None if failed."""
    if not isinstance(result, str):
        try:
            notes = store.add_analysis(
                doc_id, result.events, result.mentions, result.claims, version=version
            )
        except StoreError as exc:
            result = failure_reason(exc)
        else:
            summary.dropped.extend((doc_id, note) for note in notes)
            return result
    store.mark_failed(doc_id, version=version, reason=result)
    summary.failed.append((doc_id, " ".join(result.split())[:300]))
    return None


def _with_window(store: Store, doc: Document) -> Document:
    """A document stored before publication windows existed (an undated one with no
    upper bound) gets its window now, so its dates are read against it."""
    if doc.published is not None or doc.published_before is not None:
        return doc
    window = infer_window(doc.text)
    store.set_document_window(
        doc.id, after=window.after, before=window.before,
        after_basis=window.after_basis, before_basis=window.before_basis,
    )  # fmt: skip
    return replace(
        doc, published_after=window.after, published_before=window.before,
        published_after_basis=window.after_basis, published_before_basis=window.before_basis,
    )  # fmt: skip


def ingest_and_analyze(
    store: Store, location: str, *, settings: Settings, fetcher: Fetcher | None = None
) -> tuple[IngestSummary, AnalyzeSummary]:
    """Read one input (a path or URL) into ``store`` and analyse what is new, ending with
    corroboration: what ``ember serve``'s write endpoints run for an upload or a URL."""
    summary = ingest_inputs([location], store=store, settings=settings, fetcher=fetcher)
    return summary, analyze_stored(store, budget=DocumentBudget.of(settings))

"""Dating undated reports from the corpus: a report that tells a happening which a dated
report also tells (the two are corroborated) was written after that happening.

This runs after corroboration. An undated report whose window starts before the
happening's stated date gets that date as its new lower bound (its basis names the
happening and the report that dates it); when the window's upper bound was only assumed
(nothing in the text bounded it, ``ingest.window.ASSUMED_SPAN_DAYS``), it moves with
the start. The caller analyses the re-dated reports again, so their relative dates are
read against the narrower window."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..ingest.window import ASSUMED_SPAN_DAYS
from ..records import Document, Event
from ..store import Store

__all__ = ["Redating", "redate_from_corroboration", "redatings"]

_Lookup = Callable[[str], Document | None]
# Only a date stated this precisely dates another report's writing.
_PRECISE = frozenset({"day", "week", "month"})


@dataclass(frozen=True, slots=True)
class Redating:
    """A narrower window for an undated report, and why."""

    doc_id: str
    after: str
    before: str | None
    after_basis: str
    before_basis: str | None


def redate_from_corroboration(store: Store) -> list[str]:
    """Narrow the windows of the undated reports in ``store`` that tell a happening a
    dated report also tells; returns their ids (to analyse again)."""
    documents: dict[str, Document] = {}

    def document(doc_id: str) -> Document | None:
        if doc_id not in documents:
            found = store.get_document(doc_id)
            if found is None:
                return None
            documents[doc_id] = found
        return documents[doc_id]

    changed = []
    for redating in redatings(store.iter_events(), document):
        store.set_document_window(
            redating.doc_id,
            after=redating.after,
            before=redating.before,
            after_basis=redating.after_basis,
            before_basis=redating.before_basis,
        )
        changed.append(redating.doc_id)
    return changed


def redatings(
    events: Iterable[Event], document: _Lookup, *, today: date | None = None
) -> Iterator[Redating]:
    """The windows that corroborated happenings narrow, one per undated report (its
    latest such happening)."""
    today = today or date.today()
    clusters: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.cluster_id is not None:
            clusters[event.cluster_id].append(event)
    best: dict[str, tuple[date, str]] = {}
    for members in clusters.values():
        dated = [e for e in members if _states_its_date(e, document)]
        if not dated:
            continue
        anchor = min(dated, key=lambda e: e.date.start or "")
        happened = date.fromisoformat(anchor.date.start or "")
        for event in members:
            doc = document(event.doc_id)
            if doc is None or doc.published is not None or event.doc_id == anchor.doc_id:
                continue
            if event.doc_id not in best or happened > best[event.doc_id][0]:
                best[event.doc_id] = (happened, _basis(anchor, document))
    for doc_id, (happened, basis) in sorted(best.items()):
        doc = document(doc_id)
        if doc is None:
            continue
        redating = _narrowed(doc, happened, basis, today)
        if redating is not None:
            yield redating


def _states_its_date(event: Event, document: _Lookup) -> bool:
    doc = document(event.doc_id)
    return (
        doc is not None
        and doc.published is not None
        and not event.date.approximate
        and event.date.start is not None
        and event.date.precision in _PRECISE
    )


def _basis(event: Event, document: _Lookup) -> str:
    doc = document(event.doc_id)
    outlet = (doc.publisher or doc.title or doc.source) if doc is not None else event.doc_id
    where = event.location.canonical or event.location.name if event.location else None
    what = event.sub_event_type + (f" at {where}" if where else "")
    return f"tells the happening ({what}) that {outlet} dates {event.date.start}"


def _narrowed(doc: Document, happened: date, basis: str, today: date) -> Redating | None:
    after = date.fromisoformat(doc.published_after) if doc.published_after else None
    before = date.fromisoformat(doc.published_before) if doc.published_before else None
    if after is not None and happened <= after:
        return None
    assumed = before is None or (doc.published_before_basis or "").startswith("assumed")
    if before is not None and happened > before and not assumed:
        return None  # the text bounds the window: a contradicting happening is not taken
    new_before, before_basis = before, doc.published_before_basis
    if assumed:
        new_before = min(today, happened + timedelta(days=ASSUMED_SPAN_DAYS))
        before_basis = (
            f"assumed: within {ASSUMED_SPAN_DAYS} days of the earliest date it can be"
            " (nothing in the text bounds it from above)"
        )
    return Redating(
        doc_id=doc.id,
        after=happened.isoformat(),
        before=new_before.isoformat() if new_before else None,
        after_basis=basis,
        before_basis=before_basis,
    )

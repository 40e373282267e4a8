"""What every route needs from the app: its store, the query parameters that page
through lists, and the event and claim filters (declared once, for pages and API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from ..store import Store
from ._data import MAX_LIMIT, MAX_OFFSET, ClaimQuery, EventQuery

__all__ = [
    "ClaimFilters",
    "EventFilters",
    "Limit",
    "Offset",
    "StoreDep",
    "Text",
    "get_store",
]


def get_store(request: Request) -> Store:
    """The app's one store (its engine opens a short-lived connection per read)."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip (below 2**63).")
]
# A free-text filter: part of a name, a date; short, so a query string stays sane.
Text = Annotated[str | None, Query(max_length=200)]


def event_filters(
    event_type: Text = None,
    actor: Text = None,
    place: Text = None,
    since: Text = None,
    until: Text = None,
    doc_id: Text = None,
) -> EventQuery:
    """Event filters: ``actor``/``place`` part of a name, ``since``/``until`` YYYY,
    YYYY-MM or YYYY-MM-DD."""
    return EventQuery(
        event_type=event_type, actor=actor, place=place, since=since, until=until, doc_id=doc_id
    )


def claim_filters(
    subject: Text = None,
    actor: Text = None,
    place: Text = None,
    since: Text = None,
    until: Text = None,
    doc_id: Text = None,
) -> ClaimQuery:
    """Claim filters: ``subject`` a term of the vocabulary, the rest as for events."""
    return ClaimQuery(
        subject=subject, actor=actor, place=place, since=since, until=until, doc_id=doc_id
    )


EventFilters = Annotated[EventQuery, Depends(event_filters)]
ClaimFilters = Annotated[ClaimQuery, Depends(claim_filters)]

"""What every route needs from the app: its store, and the query parameters that page
through lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from ..store import Store
from ._data import MAX_LIMIT

__all__ = ["Limit", "Offset", "StoreDep", "Text", "get_store"]


def get_store(request: Request) -> Store:
    """The app's one store (its engine opens a short-lived connection per read)."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip.")]
# A free-text filter: part of a name, a date; short, so a query string stays sane.
Text = Annotated[str | None, Query(max_length=200)]

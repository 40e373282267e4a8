"""The store: documents and records in SQLite (default) or PostgreSQL."""

from ._engine import normalise_url
from ._search import SearchHit, SearchPage, search_terms
from ._store import AnalysisFailure, Corroboration, Outcome, Store, entity_id
from ._watch import (
    StoredAlert,
    WatchState,
    add_alert,
    list_alerts,
    load_watch_state,
    pending_webhooks,
    save_watch_state,
    set_webhook_result,
)
from .schema import metadata

__all__ = [
    "AnalysisFailure",
    "Corroboration",
    "Outcome",
    "SearchHit",
    "SearchPage",
    "Store",
    "StoredAlert",
    "WatchState",
    "add_alert",
    "entity_id",
    "list_alerts",
    "load_watch_state",
    "metadata",
    "normalise_url",
    "pending_webhooks",
    "save_watch_state",
    "search_terms",
    "set_webhook_result",
]

"""The store: documents and records in SQLite (default) or PostgreSQL."""

from ._engine import normalise_url
from ._search import SearchHit, SearchPage, search_terms
from ._store import AnalysisFailure, Corroboration, Outcome, Store, entity_id
from .schema import metadata

__all__ = [
    "AnalysisFailure",
    "Corroboration",
    "Outcome",
    "SearchHit",
    "SearchPage",
    "Store",
    "entity_id",
    "metadata",
    "normalise_url",
    "search_terms",
]

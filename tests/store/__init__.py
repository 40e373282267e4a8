"""Store tests. ``pre_window_row`` gives a document as a row of a store created before
migration 0007, which added the publication window's columns (nor ``pages``, of 0013)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ember.records import Document

WINDOW_COLUMNS = frozenset({"published_before", "published_after_basis", "published_before_basis"})
LATER_COLUMNS = WINDOW_COLUMNS | {"pages"}


def pre_window_row(doc: Document) -> dict[str, Any]:
    return {k: v for k, v in asdict(doc).items() if k not in LATER_COLUMNS}

"""Response bodies of the review and list API (``_review``, ``_lists``), as pydantic
models so ``/openapi.json`` documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._models import error_responses

__all__ = [
    "ERRORS",
    "NamedOut",
    "ReviewChangesOut",
    "ReviewEntryOut",
    "ReviewRecordOut",
    "ReviewedByOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ReviewEntryOut(_Out):
    """One change of the audit trail."""

    id: int
    kind: str = Field(description="event or claim")
    record_id: str
    doc_id: str
    field: str = Field(description="The field changed; status for accept and reject.")
    old: Any = Field(description="The value before, as shown to the analyst.")
    new: Any = Field(description="The value after.")
    by: str = Field(description="Who made the change.")
    at: str = Field(description="When (ISO 8601, UTC).")


class ReviewChangesOut(_Out):
    """The changes a write made (none when the value was already the one stored)."""

    changes: list[ReviewEntryOut]


class ReviewedByOut(_Out):
    by: str
    at: str


class ReviewRecordOut(_Out):
    """An event or claim (a rejected one too) with its reviewable fields and trail."""

    kind: str
    id: str
    doc_id: str
    text: str
    status: str = Field(description="unreviewed, edited, accepted or rejected")
    fields: dict[str, Any]
    reviewed: dict[str, ReviewedByOut]
    trail: list[ReviewEntryOut]


class NamedOut(_Out):
    """An actor or place as the corpus mentions it."""

    canonical: str
    loc_key: str | None = None
    mentions: int
    documents: int
    latest: str | None = Field(description="The latest publication date naming it.")
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None


ERRORS = error_responses(
    (400, "A field or value that makes no sense"),
    (401, "No valid reviewer token"),
    (403, "A write from another origin"),
    (404, "No such record or path"),
    (422, "A parameter of the wrong type or out of range"),
    (500, "The server could not answer"),
)

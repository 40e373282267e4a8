"""The records that flow between stages. Conversion to rows or JSON lives in ``store``
and the output layers, never here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DatePrecision", "Document", "Span"]

DatePrecision = Literal["day", "week", "month", "year", "unknown"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """Provenance: the characters ``text[start:end]`` of document ``doc_id``."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One cleaned report. ``id`` is the hash of ``text``, so equal text means equal id."""

    id: str
    source: str
    text: str
    format: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    published_precision: DatePrecision | None = None
    published_after: str | None = None
    language: str | None = None
    url: str | None = None
    duplicate_of: str | None = None

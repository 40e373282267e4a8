"""Metadata stated in the text of a report: title, byline, publisher, dates."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import DatePrecision

__all__ = ["TextMetadata", "extract_metadata", "latest_mentioned_date"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMetadata:
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    published_precision: DatePrecision | None = None


def extract_metadata(text: str) -> TextMetadata:
    """Metadata the raw text states. Dates only when marked as the publication date."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return TextMetadata(title=first)


def latest_mentioned_date(text: str) -> str | None:
    """The latest date the text mentions (ISO), a lower bound for its publication."""
    return None

"""Metadata stated in the text of a report: title, byline, publisher, dates.

Everything here is read from the lines ``clean`` takes out of the body (see
``clean.read_layout``), so what is metadata and what is boilerplate is decided once.
A publication date is given only when the text marks it as one: a "Published on" or
"Posted:" line, an issue line, a wire dateline, or a date line directly under the
headline or byline. A date line above the headline is a page banner (often the day the
page was crawled) and is never taken; with no stated date, ``published`` stays None.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..records import DatePrecision
from ._dates import StatedDate, latest_mentioned, parse_stated
from .clean import Layout, Line, read_layout, site_name

__all__ = ["TextMetadata", "describe_layout", "extract_metadata", "latest_mentioned_date"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMetadata:
    """What the text itself says about the report; None where it says nothing."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    published_precision: DatePrecision | None = None


def extract_metadata(text: str) -> TextMetadata:
    """Metadata the raw text states. Dates only when marked as the publication date."""
    return describe_layout(read_layout(text))


def describe_layout(layout: Layout) -> TextMetadata:
    """Metadata from a layout already read (``clean.read_layout``)."""
    stated = _published(layout)
    return TextMetadata(
        title=layout.title,
        author=_author(layout),
        publisher=_publisher(layout),
        published=stated.iso if stated else None,
        published_precision=stated.precision if stated else None,
    )


def latest_mentioned_date(text: str) -> str | None:
    """The latest date the text mentions (ISO), a lower bound for its publication.

    A year alone counts as its first day, a month as its first day; relative dates
    ("last March") and numbers that merely look like years ("2000 fighters") do not."""
    found = latest_mentioned(text)
    return found.isoformat() if found else None


def _stated_lines(layout: Layout) -> Iterator[Line]:
    """Lines whose captured fields count: meta lines above the tail, and notes (a
    standfirst, a dateline) in the head or on the first body line."""
    for index, line in enumerate(layout.lines[: layout.cut]):
        is_note = line.rule is not None and line.rule.kind == "note"
        if line.role == "meta" or (is_note and index <= layout.body_start):
            yield line


def _first_field(layout: Layout, name: str) -> str | None:
    return next((line.fields[name] for line in _stated_lines(layout) if name in line.fields), None)


def _author(layout: Layout) -> str | None:
    """A byline ("by X", "Posted by X"), a deck ending ", writes X", or a name line."""
    stated = _first_field(layout, "author")
    if stated:
        return stated.strip(" .,")
    return next((line.text for line in layout.lines if line.role == "byline"), None)


def _publisher(layout: Layout) -> str | None:
    """A copyright line (anywhere, even in the tail), the masthead, or the signature."""
    for line in layout.lines:
        value = line.fields.get("publisher", "").strip(" .,")
        if value and any(ch.isalpha() for ch in value) and "rights" not in value.casefold():
            return value
    masthead = next((site_name(ln.text) for ln in layout.lines if ln.role == "masthead"), None)
    signature = [line.text for line in layout.lines if line.role == "signature"]
    return masthead or (signature[-1] if signature else None)


def _published(layout: Layout) -> StatedDate | None:
    """A date the text marks as published, else a date line under the headline."""
    for line in _stated_lines(layout):
        stated = parse_stated(line.fields.get("published", ""))
        if stated:
            return stated
    return _dateline(layout)


def _dateline(layout: Layout) -> StatedDate | None:
    """A lone date line in the head, below the title or byline and printed only once."""
    head = layout.lines[: layout.body_start]
    anchored = False
    for line in head:
        if line.role in ("title", "byline") or "author" in line.fields:
            anchored = True
        elif anchored and "dateline" in line.fields:
            if sum(1 for other in head if other.key == line.key) == 1:
                return parse_stated(line.fields["dateline"])
            return None
    return None

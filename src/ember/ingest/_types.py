"""Contracts of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..records import DatePrecision

__all__ = ["Hints", "RawDocument", "Rejection", "Skipped"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hints:
    """Metadata a container states outside the text (CSV columns, feed entry fields,
    HTML metadata). A hint wins over what ember infers from the text."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    published_precision: DatePrecision | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """One document as read from a source, before cleaning.

    ``source`` is the path or URL as the user gave it; items inside a container get a
    suffix (``feed.xml#3``, ``notes.jsonl:12``, ``crawl.warc.gz#<record id>``).
    ``kind`` says whether ``body`` is HTML (to extract) or plain text (to clean).
    ``pages``: for paged formats (PDF), the offset in ``body`` where each page starts."""

    source: str
    body: str
    kind: Literal["text", "html"]
    format: str
    hints: Hints = Hints()
    pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """A source, or one item inside it, that was not stored, and the one-line reason."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A file met while walking a folder that ember does not read (an image, a PDF):
    noted in the log, but not a rejection, since nobody asked for it by name."""

    source: str
    reason: str

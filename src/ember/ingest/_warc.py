"""WARC crawls with warcio: each ``response`` record holding a 2xx HTML page becomes a
document named ``crawl.warc.gz#<record id>``. Other records (requests, metadata,
images, redirects, errors) are skipped without a word: a crawl is full of them.

The stream is read record by record, each page capped at ``max_record_bytes`` (after
content decoding, so a gzip-encoded body cannot bomb either). A corrupt or truncated
archive rejects the rest with the reason; the pages before it are kept (an uncompressed
archive cut inside a record's WARC header cannot be told from a complete one: warcio
reads that as the end). ``WARC-Date``
is when the page was crawled, not published, so it is not a date hint."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import DecodeFailed, IngestError
from ..settings import Settings
from ._types import Hints, RawDocument, Rejection
from .decode import decode_html, human_size, one_line

__all__ = ["read_warc"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BROKEN = (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error)
# What warcio raises on a record header it cannot make sense of (a response record with
# no WARC-Target-URI: "'NoneType' object has no attribute 'startswith'").
_MALFORMED = (AttributeError, TypeError, IndexError, KeyError)


def read_warc(
    source: str, stream: BinaryIO, *, settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """The HTML pages of the WARC (or ARC) in ``stream``."""
    pages = 0
    record: Any = None
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            item = _page(source, record, settings.max_record_bytes)
            if isinstance(item, RawDocument):
                pages += 1
            if item is not None:
                yield item
    except IngestError as exc:
        raise type(exc)(f"{exc}; stopped after {pages} page(s)", source=source) from exc
    except _BROKEN as exc:
        problem = one_line(str(exc), limit=120) or type(exc).__name__
        raise DecodeFailed(f"corrupt WARC after {pages} page(s): {problem}", source=source) from exc
    except _MALFORMED as exc:
        problem = "a malformed record header"
        raise DecodeFailed(f"corrupt WARC after {pages} page(s): {problem}", source=source) from exc
    if record is not None and _truncated(record):
        if not _is_page(record):  # a page is rejected on its own, by _page
            yield Rejection(source=source, reason=f"truncated WARC after {pages} page(s)")
    elif pages == 0:
        yield Rejection(source=source, reason="no HTML pages (2xx text/html responses) in the WARC")


def _is_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = str(record.http_headers.get_statuscode() or "")
    return status.startswith("2") and _media_type(record) in _HTML_TYPES


def _media_type(record: Any) -> str:
    content_type = record.http_headers.get_header("Content-Type") or ""
    return str(content_type).split(";", 1)[0].strip().lower()


def _truncated(record: Any) -> bool:
    """Whether the archive ended inside ``record`` (its declared length not all there,
    or its header cut before the length)."""
    remaining = getattr(record.raw_stream, "limit", None)
    return remaining is None or remaining > 0


def _page(source: str, record: Any, limit: int) -> RawDocument | Rejection | None:
    if not _is_page(record):
        return None
    item = f"{source}#{_record_id(record)}"
    try:
        data = record.content_stream().read(limit + 1)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        return Rejection(source=item, reason=f"unreadable record: {one_line(str(exc), limit=120)}")
    if len(data) > limit:
        return Rejection(source=item, reason=f"page is over the {human_size(limit)} record cap")
    if _truncated(record):
        return Rejection(source=item, reason="truncated record: the archive ends inside it")
    content_type = record.http_headers.get_header("Content-Type") or ""
    try:
        body = decode_html(data, source=item, declared=_charset(content_type))
    except IngestError as exc:
        return Rejection(source=item, reason=str(exc))
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    return RawDocument(source=item, body=body, kind="html", format="warc", hints=Hints(url=url))


def _record_id(record: Any) -> str:
    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    return record_id.strip().strip("<>") or record.rec_headers.get_header("WARC-Target-URI") or "?"


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None

"""Reading one source into raw documents: dispatch on the source's format.

Files are read by their suffix; URLs are fetched (through a ``Fetcher``) and read by the
response's content type, or by sniffing the bytes when the type is missing or generic.
Text, HTML and feeds are read whole, within the size caps; JSONL, CSV and WARC are
containers and stream record by record. Whatever fails becomes a ``Rejection`` with a
one-line reason: of the whole source, or of one item inside it."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import IngestError, UnsupportedFormat
from ..settings import Settings
from ._feed import read_feed
from ._tabular import read_csv, read_jsonl
from ._types import Hints, RawDocument, Rejection
from ._warc import read_warc
from .decode import (
    decode_bytes,
    decode_html,
    gunzip_capped,
    open_stream,
    read_file_capped,
    stream_bytes,
)
from .fetch import FetchedResponse, Fetcher, HttpxFetcher
from .office import read_docx
from .pdf import read_pdf
from .sources import Source, format_of

__all__ = ["read_source"]

Item = RawDocument | Rejection


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where the bytes came from: ``source`` names documents and rejections; ``url`` and
    ``charset`` are what the server said, for fetched content."""

    source: str
    url: str | None = None
    charset: str | None = None


class _Context:
    """Settings, and a fetcher made on first use (and closed at the end) if none is given."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None) -> None:
        self.settings = settings
        self._given = fetcher
        self._own: HttpxFetcher | None = None

    def fetch(self, url: str) -> FetchedResponse:
        if self._given is not None:
            return self._given.fetch(url)
        if self._own is None:
            self._own = HttpxFetcher(self.settings)
        return self._own.fetch(url)

    def close(self) -> None:
        if self._own is not None:
            self._own.close()


WholeReader = Callable[[_Origin, bytes, _Context], Iterator[Item]]
StreamReader = Callable[[_Origin, BinaryIO, _Context], Iterator[Item]]


def _read_text(origin: _Origin, data: bytes, _context: _Context) -> Iterator[Item]:
    body = decode_bytes(data, source=origin.source, declared=origin.charset)
    yield RawDocument(
        source=origin.source, body=body, kind="text", format="text", hints=Hints(url=origin.url)
    )


def _read_html(origin: _Origin, data: bytes, _context: _Context) -> Iterator[Item]:
    body = decode_html(data, source=origin.source, declared=origin.charset)
    yield RawDocument(
        source=origin.source, body=body, kind="html", format="html", hints=Hints(url=origin.url)
    )


def _read_feed(origin: _Origin, data: bytes, context: _Context) -> Iterator[Item]:
    follow = context.fetch if context.settings.follow_links else None
    yield from read_feed(origin.source, data, base_url=origin.url, follow=follow)


def _read_jsonl(origin: _Origin, stream: BinaryIO, context: _Context) -> Iterator[Item]:
    yield from read_jsonl(origin.source, stream, settings=context.settings)


def _read_csv(origin: _Origin, stream: BinaryIO, context: _Context) -> Iterator[Item]:
    yield from read_csv(origin.source, stream, settings=context.settings)


def _read_warc(origin: _Origin, stream: BinaryIO, context: _Context) -> Iterator[Item]:
    yield from read_warc(origin.source, stream, settings=context.settings)


def _read_pdf(origin: _Origin, data: bytes, context: _Context) -> Iterator[Item]:
    yield read_pdf(origin.source, data, settings=context.settings)


def _read_docx(origin: _Origin, data: bytes, context: _Context) -> Iterator[Item]:
    yield read_docx(origin.source, data, settings=context.settings)


_WHOLE: dict[str, WholeReader] = {
    "text": _read_text, "html": _read_html, "feed": _read_feed,
    "pdf": _read_pdf, "docx": _read_docx,
}  # fmt: skip
_STREAMED: dict[str, StreamReader] = {"jsonl": _read_jsonl, "csv": _read_csv, "warc": _read_warc}

# Content types (without parameters) to reader formats, for fetched URLs.
_MEDIA_FORMATS: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed", "application/feed+json": "feed",
    "text/plain": "text", "text/markdown": "text",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "text/csv": "csv", "application/csv": "csv",
    "application/warc": "warc",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}  # fmt: skip
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_SNIFF_BYTES = 1024
# Types that say nothing about the content: the URL's suffix and the bytes decide.
_GENERIC_TYPES = frozenset({
    "", "application/octet-stream", "binary/octet-stream",
    "application/gzip", "application/x-gzip",
})  # fmt: skip
# Types that a suffix may refine (.jsonl served as JSON), refused without one.
_BY_NAME_TYPES = _GENERIC_TYPES | {"application/json", "application/x-json"}


def read_source(
    source: Source, *, settings: Settings, fetcher: Fetcher | None = None
) -> Iterator[Item]:
    """Raw documents from ``source``; a source that fails yields one ``Rejection`` (after
    the documents read before the failure, for containers). URLs are fetched with
    ``fetcher``, by default an ``HttpxFetcher`` made when first needed."""
    context = _Context(settings, fetcher)
    try:
        if source.is_url:
            yield from _read_url(source.location, context)
        else:
            yield from _read_file(source, context)
    except IngestError as exc:
        yield Rejection(source=source.location, reason=str(exc))
    finally:
        context.close()


def _read_file(source: Source, context: _Context) -> Iterator[Item]:
    settings = context.settings
    path = Path(source.location)
    origin = _Origin(source.location)
    if source.format in _STREAMED:
        with open_stream(path, decompressed_limit=settings.max_decompressed_bytes) as stream:
            yield from _STREAMED[source.format](origin, stream, context)
    elif source.format in _WHOLE:
        data = read_file_capped(
            path, limit=settings.max_file_bytes, decompressed_limit=settings.max_decompressed_bytes
        )
        yield from _WHOLE[source.format](origin, data, context)
    else:
        raise UnsupportedFormat(f"cannot read {source.format} files", source=source.location)


def _read_url(url: str, context: _Context) -> Iterator[Item]:
    response = context.fetch(url)
    origin = _Origin(url, url=response.final_url, charset=response.charset)
    fmt = _response_format(response)
    limit = context.settings.max_decompressed_bytes
    if fmt in _STREAMED:
        stream = stream_bytes(response.content, decompressed_limit=limit, source=url)
        yield from _STREAMED[fmt](origin, stream, context)
    else:
        data = response.content
        if data.startswith(_GZIP_MAGIC):
            data = gunzip_capped(data, limit=limit, source=url)
        yield from _WHOLE[fmt](origin, data, context)


def _response_format(response: FetchedResponse) -> str:
    """The reader for a response: the bytes when they are unmistakable and the content
    type is vague (servers label feeds text/plain or XHTML application/xml), else the
    content type, else the URL's suffix, else text (which refuses binary with a reason)."""
    stated = _MEDIA_FORMATS.get(response.media_type)
    sniffed = _sniff(_head(response.content))
    if sniffed is not None and stated in (None, "text", "feed"):
        return sniffed
    if stated is not None:
        return stated
    by_name = _format_by_name(response.final_url)
    if response.media_type in _BY_NAME_TYPES and by_name is not None:
        return by_name
    if response.media_type in _GENERIC_TYPES:
        return by_name or "text"
    raise UnsupportedFormat(f"unsupported content type {response.media_type}", source=response.url)


def _format_by_name(url: str) -> str | None:
    name = Path(urlsplit(url).path).name
    return format_of(name) if "." in name.removesuffix(".gz") else None


def _head(data: bytes) -> bytes:
    """The first bytes of ``data``, inflated when it is gzip."""
    if not data.startswith(_GZIP_MAGIC):
        return data[:_SNIFF_BYTES]
    try:
        return zlib.decompressobj(_GZIP_WBITS).decompress(data[:65536], _SNIFF_BYTES)
    except zlib.error:
        return b""


def _sniff(data: bytes) -> str | None:
    """``html``, ``feed``, ``warc`` or ``pdf`` from the first bytes, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")):
        return "html" if b"<html" in head and b"<rss" not in head else "feed"
    return None

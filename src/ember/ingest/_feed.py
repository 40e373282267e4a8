"""RSS and Atom feeds with feedparser: one document per entry (``feed.xml#1`` is the
first), its body the entry's content or summary, its hints the entry's fields.

With ``follow`` (``--follow``), each entry's link is fetched and the page becomes the
document, entry fields still winning as hints. When that fetch fails, the entry is
rejected with the reason rather than stored from its summary: a summary stored now and
the full page stored on a rerun would be two documents with two ids for one report,
while a rejection shows in the summary and the ingest log, and a rerun (or a run without
``--follow``) stores the entry once."""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Literal

import feedparser

from ..errors import DecodeFailed, IngestError
from ._types import Hints, RawDocument, Rejection
from .decode import decode_bytes, decode_html, one_line
from .fetch import FetchedResponse

__all__ = ["read_feed"]

Fetch = Callable[[str], FetchedResponse]
Kind = Literal["text", "html"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", ""})
_HTML_START = re.compile(r"\s*<(?:!doctype html|html)\b", re.I)
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")


def _valid_reference(match: re.Match[bytes]) -> bytes:
    """A character reference XML allows as it is; any other (``&#xD800;``, ``&#0;``,
    beyond U+10FFFF) becomes U+FFFD, so one entry cannot make the whole feed unreadable."""
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    if allowed or 0x10000 <= code <= 0x10FFFF:
        return match.group()
    return b"&#xFFFD;"


def read_feed(
    source: str, data: bytes, *, base_url: str | None = None, follow: Fetch | None = None
) -> Iterator[RawDocument | Rejection]:
    """The entries of the feed in ``data``; ``follow`` fetches each entry's link."""
    parsed = _parse(source, data, base_url)
    feed: Mapping[str, Any] = parsed.get("feed", {})
    for number, entry in enumerate(parsed.entries, 1):
        item = f"{source}#{number}"
        hints = _hints(entry, feed)
        if follow is not None and hints.url:
            yield _followed(item, hints, follow)
        else:
            yield _own(item, entry, hints)


def _parse(source: str, data: bytes, base_url: str | None) -> Any:
    headers = {"content-location": base_url} if base_url else None
    data = _CHAR_REFERENCE.sub(_valid_reference, data)
    # A stream, never bytes or str: feedparser opens a str or bytes that names a file.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
    )
    if parsed.entries:
        return parsed
    if parsed.get("bozo"):
        problem = one_line(str(parsed.get("bozo_exception", "")) or "unknown error", limit=120)
        raise DecodeFailed(f"not a readable RSS/Atom feed: {problem}", source=source)
    if not parsed.get("version"):
        raise DecodeFailed("not an RSS/Atom feed (well-formed, but no feed in it)", source=source)
    raise DecodeFailed("a feed with no entries", source=source)


def _own(item: str, entry: Mapping[str, Any], hints: Hints) -> RawDocument | Rejection:
    body, media_type = _body(entry)
    if not body.strip():
        return Rejection(source=item, reason="the entry has no content or summary")
    if media_type in _HTML_TYPES and "<" in body:
        return RawDocument(source=item, body=body, kind="html", format="feed", hints=hints)
    if media_type in _HTML_TYPES:  # HTML without tags: text with entities (&amp;)
        body = html.unescape(body)
    return RawDocument(source=item, body=body, kind="text", format="feed", hints=hints)


def _body(entry: Mapping[str, Any]) -> tuple[str, str]:
    """The longest of the entry's contents, else its summary, and its media type."""
    parts = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or ()]
    summary = entry.get("summary_detail") or {}
    parts.append((entry.get("summary") or "", summary.get("type") or "text/html"))
    return max(parts, key=lambda part: len(part[0].strip()))


def _followed(item: str, hints: Hints, follow: Fetch) -> RawDocument | Rejection:
    assert hints.url is not None
    try:
        page = follow(hints.url)
        kind, body = _page(page, source=item)
    except IngestError as exc:
        return Rejection(source=item, reason=f"following {one_line(hints.url, limit=120)}: {exc}")
    hints = replace(hints, url=page.final_url)
    return RawDocument(source=item, body=body, kind=kind, format="feed", hints=hints)


def _page(page: FetchedResponse, *, source: str) -> tuple[Kind, str]:
    """A linked page as HTML or plain text; anything else (a PDF, an image) is refused."""
    if page.media_type in _HTML_TYPES:
        return "html", decode_html(page.content, source=source, declared=page.charset)
    if page.media_type in _TEXT_TYPES:
        text = decode_bytes(page.content, source=source, declared=page.charset)
        return ("html" if _HTML_START.match(text) else "text"), text
    raise DecodeFailed(f"the linked page is {page.media_type}, not HTML or text", source=source)


def _hints(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> Hints:
    published = _date(entry.get("published_parsed") or entry.get("updated_parsed"))
    link = _text(entry.get("link"))
    language = _text(entry.get("language") or feed.get("language"))
    return Hints(
        title=_text(entry.get("title")),
        author=_text(entry.get("author")),
        publisher=_text(feed.get("title")),
        published=published,
        published_precision="day" if published else None,
        url=link if link and link.lower().startswith(("http://", "https://")) else None,
        language=language.split("-")[0].lower() if language else None,
    )


def _date(value: object) -> str | None:
    if not isinstance(value, time.struct_time):
        return None
    return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None

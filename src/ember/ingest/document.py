"""From a raw document to a clean, dated, identified ``Document``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import IngestError
from ..records import Document
from ..settings import Settings
from ._types import Hints, RawDocument, Rejection
from .boundary import escape_name, valid_text
from .clean import read_layout
from .dedup import content_id, fingerprint, signature_bytes
from .html import extract_html
from .language import detect_language
from .metadata import describe_layout
from .pages import map_pages
from .window import infer_window, stated_window

__all__ = ["Prepared", "build_document"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to store, with its MinHash signature for near-duplicate search.
    ``repaired``: how many characters of its text fields were not valid Unicode (lone
    surrogates, controls, non-characters) and were replaced (``boundary.valid_text``)."""

    document: Document
    signature: bytes
    repaired: int = 0


def build_document(raw: RawDocument, *, settings: Settings) -> Prepared | Rejection:
    """Extract (HTML), clean, describe and identify ``raw``; or say why not. Its text
    and every other text field come out valid Unicode, and its source and URL escaped
    (``boundary``), before the id is computed."""
    body, repaired = valid_text(raw.body)
    hints, repaired_hints = _valid_hints(raw.hints)
    repaired += repaired_hints
    if raw.kind == "html":
        try:
            body, page_hints = extract_html(body, url=hints.url, source=raw.source)
        except IngestError as exc:
            return Rejection(source=raw.source, reason=str(exc))
        # Extraction decodes character references ("&#1;"): read its output again.
        page_hints, repaired_page = _valid_hints(page_hints)
        hints = _merge(hints, page_hints)
        body, repaired_body = valid_text(body)
        repaired += repaired_page + repaired_body
    layout = read_layout(body)
    stated = describe_layout(layout)
    title = hints.title or stated.title
    if title != layout.title:
        # The page states its own title: the head is read again to drop that one.
        layout = read_layout(body, title=title)
    text = "\n\n".join(layout.paragraphs())
    if len(text) < settings.min_text_chars:
        return Rejection(
            source=raw.source, reason=f"too little text after cleaning ({len(text)} characters)"
        )
    published = hints.published or stated.published
    precision = hints.published_precision if hints.published else stated.published_precision
    window = stated_window(published, precision) if published else infer_window(text)
    document = Document(
        id=content_id(text),
        source=escape_name(raw.source),
        text=text,
        format=raw.format,
        title=title,
        publisher=hints.publisher or stated.publisher,
        author=hints.author or stated.author,
        published=published,
        published_precision=precision if published else None,
        published_after=window.after,
        published_before=window.before,
        published_after_basis=window.after_basis,
        published_before_basis=window.before_basis,
        language=hints.language or detect_language(text),
        url=escape_name(hints.url) if hints.url is not None else None,
        pages=map_pages(body, raw.pages, text) if raw.pages else None,
    )
    signature = signature_bytes(fingerprint(text, shingle_words=settings.shingle_words))
    return Prepared(document, signature, repaired)


def _valid_hints(hints: Hints) -> tuple[Hints, int]:
    """``hints`` with each text field valid (see ``valid_text``), and the count replaced."""
    changes: dict[str, Any] = {}
    repaired = 0
    for name in ("title", "author", "publisher", "published", "language"):
        value = getattr(hints, name)
        if value is not None:
            changes[name], count = valid_text(value)
            repaired += count
    return (replace(hints, **changes) if repaired else hints), repaired


def _merge(first: Hints, fallback: Hints) -> Hints:
    """``first``'s values, with gaps filled from ``fallback``."""
    return Hints(
        title=first.title or fallback.title,
        author=first.author or fallback.author,
        publisher=first.publisher or fallback.publisher,
        published=first.published or fallback.published,
        published_precision=(
            first.published_precision if first.published else fallback.published_precision
        ),
        url=first.url or fallback.url,
        language=first.language or fallback.language,
    )

"""HTML pages to article text and metadata, with trafilatura."""

from __future__ import annotations

from typing import Any

import trafilatura

from ..errors import DecodeFailed
from ._types import Hints

__all__ = ["extract_html"]

# An unclosed tag soup this deep is a parser bomb rather than an article.
_MAX_TREE_SIZE = 500_000


def extract_html(html: str, *, url: str | None = None, source: str | None = None) -> tuple[str, Hints]:
    """The main text of ``html`` and the metadata the page states.

    Comments are left out (they are readers' words, not the report's); tables are kept
    because casualty lists often sit in them."""
    try:
        result: Any = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            max_tree_size=_MAX_TREE_SIZE,
        )
    except Exception as exc:  # lxml raises a zoo of types on hostile markup
        raise DecodeFailed(f"unparseable HTML: {type(exc).__name__}: {exc}", source=source) from exc
    if result is None or not (result.text or "").strip():
        raise DecodeFailed("no article text found in the HTML", source=source)
    hints = Hints(
        title=_clean(result.title),
        author=_clean(result.author),
        publisher=_clean(result.sitename),
        published=_clean(result.date),
        published_precision="day" if result.date else None,
        url=_clean(result.url) or url,
        language=_clean(result.language),
    )
    return result.text, hints


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None

"""Page numbers of paged documents (PDF): where each page starts in the stored text.

A reader gives the offsets where pages start in the body it read; cleaning then drops
lines (a title, boilerplate) and so moves everything after them. ``map_pages`` carries
the offsets over to the cleaned text: each cleaned paragraph is a whole line of the
body, found again in order, so an offset inside a kept paragraph moves with it and one
inside a dropped line moves to the next kept paragraph. ``Document.pages`` holds the
result, and ``page_of`` turns an evidence offset into the page to cite ("p. 12")."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..records import Document

__all__ = ["map_pages", "page_label", "page_of"]


def map_pages(body: str, starts: Sequence[int], text: str) -> tuple[int, ...]:
    """The offsets in ``text`` (the cleaned body: paragraphs of ``body``, blank lines
    between) where the pages that start at ``starts`` in ``body`` start."""
    # (start in body, start in text, length) of each paragraph of text found in body.
    anchors: list[tuple[int, int, int]] = []
    padded = f"\n{body}\n"
    cursor = 0
    at = 0
    for paragraph in text.split("\n\n"):
        found = padded.find(f"\n{paragraph}\n", cursor)
        if found >= 0:
            anchors.append((found, at, len(paragraph)))
            cursor = found + len(paragraph) + 1
        at += len(paragraph) + 2
    ends = [start + length for start, _, length in anchors]
    mapped: list[int] = []
    for start in starts:
        index = bisect.bisect_right(ends, start)
        if index == len(anchors):
            offset = len(text)
        else:
            in_body, in_text, _ = anchors[index]
            offset = in_text + max(0, start - in_body)
        mapped.append(max(offset, mapped[-1]) if mapped else 0)
    return tuple(mapped)


def page_of(document: Document, offset: int) -> int | None:
    """The page (from 1) on which character ``offset`` of ``document.text`` stands;
    None for a document without pages or an offset outside its text."""
    pages = document.pages
    if not pages or not 0 <= offset <= len(document.text):
        return None
    return max(1, bisect.bisect_right(pages, offset))


def page_label(document: Document, offset: int) -> str | None:
    """``"p. 12"`` for ``page_of``'s page, None without one."""
    page = page_of(document, offset)
    return None if page is None else f"p. {page}"

"""A parsed document's text and entities, read once: ``Doc.text`` joins every token and
``Doc.ents`` builds every entity on each call, which rule code calling them per figure
or per sentence turns into most of its running time."""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

__all__ = [
    "doc_entities",
    "doc_spans",
    "doc_text",
    "span_entities",
    "spans_overlapping",
    "spans_within",
]

_TEXT = "ember.text"
_ENTS = "ember.ents"
_SPANS = "ember.spans"


def doc_text(doc: Doc) -> str:
    cache = doc.user_data
    if _TEXT not in cache:
        cache[_TEXT] = doc.text
    text: str = cache[_TEXT]
    return text


def doc_entities(doc: Doc) -> tuple[Span, ...]:
    cache = doc.user_data
    if _ENTS not in cache:
        cache[_ENTS] = tuple(doc.ents)
    ents: tuple[Span, ...] = cache[_ENTS]
    return ents


def span_entities(span: Span) -> list[Span]:
    """``span.ents`` (the entities wholly inside ``span``) from the document's entities
    read once: ``Span.ents`` builds every entity of the document on each call."""
    found = []
    for ent in doc_entities(span.doc):
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            found.append(ent)
    return found


def doc_spans(doc: Doc, name: str) -> tuple[Span, ...]:
    """``doc.spans[name]`` (empty when unset), read once while the group stands: a span
    group builds its spans anew on each reading. A group set again is read again."""
    group = doc.spans.get(name)
    if group is None:
        return ()
    cache: dict[str, tuple[object, tuple[Span, ...]]] = doc.user_data.setdefault(_SPANS, {})
    kept = cache.get(name)
    if kept is None or kept[0] is not group:
        kept = cache[name] = (group, tuple(group))
    return kept[1]


_INDEX = "ember.span_index"
_Index = tuple[tuple[Span, ...], list[int], list[int], int]


def spans_within(doc: Doc, name: str, start: int, end: int) -> list[Span]:
    """The spans of ``doc.spans[name]`` that lie wholly inside tokens ``start:end``, in
    the group's order: looked up in an index by start, not by reading the whole group
    for every sentence or figure (which is quadratic on a long document)."""
    spans, order, starts, _ = _index(doc, name)
    found = sorted(order[bisect_left(starts, start) : bisect_left(starts, end)])
    return [spans[i] for i in found if spans[i].end <= end]


def spans_overlapping(doc: Doc, name: str, start: int, end: int) -> list[Span]:
    """The spans of ``doc.spans[name]`` that share a token with tokens ``start:end``,
    in the group's order (indexed as ``spans_within``)."""
    spans, order, starts, longest = _index(doc, name)
    found = sorted(order[bisect_left(starts, start - longest) : bisect_left(starts, end)])
    return [spans[i] for i in found if spans[i].end > start]


def _index(doc: Doc, name: str) -> _Index:
    """The group's spans, their positions sorted by start, those starts, and the
    longest span's length; rebuilt when the group is set again."""
    spans = doc_spans(doc, name)
    cache: dict[str, _Index] = doc.user_data.setdefault(_INDEX, {})
    kept = cache.get(name)
    if kept is None or kept[0] is not spans:
        order = sorted(range(len(spans)), key=lambda i: spans[i].start)
        starts = [spans[i].start for i in order]
        longest = max((len(s) for s in spans), default=0)
        kept = cache[name] = (spans, order, starts, longest)
    return kept

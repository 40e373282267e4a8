"""A parsed document's text and entities, read once: ``Doc.text`` joins every token and
``Doc.ents`` builds every entity on each call, which rule code calling them per figure
or per sentence turns into most of its running time."""

from __future__ import annotations

from spacy.tokens import Doc, Span

__all__ = ["doc_entities", "doc_spans", "doc_text", "span_entities"]

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

"""Marking spans of untrusted text as HTML: a document's events, claims, actors and
places, and the matched words of a search snippet.

Text is split at every span boundary and each piece escaped on its own, so no markup
from a document ever reaches the page and a mark never cuts an entity in half. Spans
that cross are nested by closing and reopening the inner one (each piece of a split
span carries the same attributes; only the first its ``id``), so the HTML stays well
formed however the spans overlap."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

from ..records import Claim, Event, Mention

__all__ = ["Highlight", "document_highlights", "mark_spans", "mark_terms"]

# Which mark a mention kind gets: people and organisations act, as actors do.
_MENTION_CLASS = {"actor": "actor", "person": "actor", "org": "actor", "place": "place"}
# Wider marks open first (outside); for equal extents, this order from outside in.
_NESTING = {"event": 0, "claim": 1, "actor": 2, "place": 3}


@dataclass(frozen=True, slots=True, kw_only=True)
class Highlight:
    """One marked stretch ``text[start:end]``: its class (event, claim, actor, place),
    the anchor id the side lists link to, and what it is, for ``title`` and data
    attributes. Several records with the same class and extent share one highlight."""

    kind: str
    start: int
    end: int
    labels: tuple[str, ...]
    record_ids: tuple[str, ...] = field(default=())

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.start}-{self.end}"


def document_highlights(
    text_length: int,
    events: Iterable[Event],
    claims: Iterable[Claim],
    mentions: Iterable[Mention],
) -> list[Highlight]:
    """The highlights of one document: events on their sentence, claims on their
    figure, mentions on their words. Spans outside the text or empty are dropped."""
    found: dict[tuple[str, int, int], list[tuple[str, str]]] = {}

    def add(kind: str, span: tuple[int, int], label: str, record_id: str) -> None:
        start, end = span
        if 0 <= start < end <= text_length:
            found.setdefault((kind, start, end), []).append((label, record_id))

    for event in events:
        add("event", event.span, _event_label(event), event.id)
    for claim in claims:
        add("claim", claim.quantity_span, _claim_label(claim), claim.id)
    for mention in mentions:
        kind = _MENTION_CLASS.get(mention.kind, "actor")
        add(kind, (mention.start, mention.end), _mention_label(mention), mention.canonical)
    return [
        Highlight(
            kind=kind,
            start=start,
            end=end,
            labels=tuple(dict.fromkeys(label for label, _ in records)),
            record_ids=tuple(dict.fromkeys(record_id for _, record_id in records)),
        )
        for (kind, start, end), records in sorted(found.items(), key=lambda item: item[0][1:])
    ]


def _event_label(event: Event) -> str:
    parts = [f"Event: {event.sub_event_type}"]
    actors = " vs ".join(a for a in (event.actor1, event.actor2) if a)
    if actors:
        parts.append(actors)
    if event.date.start:
        parts.append(event.date.start)
    if event.fatalities is not None:
        parts.append(f"{event.fatalities} killed")
    return " · ".join(parts)


def _claim_label(claim: Claim) -> str:
    source = f" (per {claim.attributed_to})" if claim.attributed_to else ""
    return f"Claim: {claim.quantity_text} {claim.subject}{source}"


def _mention_label(mention: Mention) -> str:
    return f"{mention.kind.capitalize()}: {mention.canonical}"


def mark_spans(text: str, highlights: Sequence[Highlight]) -> Markup:
    """``text`` as escaped HTML with each highlight wrapped in
    ``<mark class="KIND" title="..." data-kind="KIND" data-ids="...">``."""
    bounds = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, _NESTING.get(h.kind, 9)))
    opened: set[str] = set()
    stack: list[Highlight] = []
    out: list[str] = []
    for start, end in pairwise(bounds):
        wanted = [h for h in ordered if h.start <= start and end <= h.end]
        keep = _common_prefix(stack, wanted)
        out.extend("</mark>" for _ in stack[keep:])
        for highlight in wanted[keep:]:
            out.append(_open_tag(highlight, with_id=highlight.anchor not in opened))
            opened.add(highlight.anchor)
        stack = wanted
        out.append(str(escape(text[start:end])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


def _common_prefix(a: Sequence[Highlight], b: Sequence[Highlight]) -> int:
    count = 0
    for left, right in zip(a, b, strict=False):
        if left is not right:
            break
        count += 1
    return count


def _open_tag(highlight: Highlight, *, with_id: bool) -> str:
    anchor = f' id="{highlight.anchor}"' if with_id else ""
    return str(
        Markup(
            '<mark class="{kind}"{anchor} title="{title}" data-kind="{kind}" data-ids="{ids}">'
        ).format(
            kind=highlight.kind,
            anchor=Markup(anchor),
            title="\n".join(highlight.labels),
            ids=" ".join(highlight.record_ids),
        )
    )


def mark_terms(snippet: str, terms: Iterable[str]) -> Markup:
    """A search snippet as escaped HTML with every occurrence of a matched term (whole
    words or word prefixes, ignoring case) wrapped in ``<mark>``. Terms are found in the
    raw text and each piece escaped after, so a term never matches inside an entity."""
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return Markup(escape(snippet))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(snippet):
        out.append(str(escape(snippet[last : match.start()])))
        out.append(str(Markup("<mark>{}</mark>").format(match.group())))
        last = match.end()
    out.append(str(escape(snippet[last:])))
    return Markup("".join(out))

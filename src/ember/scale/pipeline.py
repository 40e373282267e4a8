"""The whole analysis of one document: nlp → extract → geo, giving the events, the
mentions and the claims the store keeps. The same functions serve ``ember ingest``, the evaluation
harness and the benchmark."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..extract.claims import extract_claims
from ..extract.events import extract_events
from ..geo.recover import places_among
from ..geo.resolve import demonym_target, resolve_locations
from ..nlp.actors import load_actor_table
from ..nlp.pipeline import load_pipeline
from ..nlp.text import doc_text
from ..nlp.truecase import needs_truecasing, truecase
from ..records import Claim, Document, Event, Location, Mention, MentionKind

__all__ = [
    "ANALYZER_VERSION",
    "Analysis",
    "AnalysisInput",
    "analyze_document",
    "analyze_many",
    "analyze_text",
]

# Stored with each analysis; bump it when extraction changes so that stored documents
# can be analysed again (``ember analyze``).
ANALYZER_VERSION = "window-1"
# spaCy's parser holds a whole Doc in memory; longer texts are cut at paragraph breaks.
CHUNK_CHARS = 100_000
_BATCH = 16


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    doc_id: str
    text: str
    anchor: str | None = None
    approximate: bool = False
    # An undated report's window is ``anchor``..``latest``.
    latest: str | None = None

    @classmethod
    def of(cls, document: Document) -> AnalysisInput:
        if document.published:
            return cls(document.id, document.text, document.published, False)
        return cls(
            document.id, document.text, document.published_after, True,
            document.published_before,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Analysis:
    doc_id: str
    events: list[Event]
    mentions: list[Mention]
    claims: list[Claim] = field(default_factory=list)


def analyze_text(text: str, *, published: str | None = None, doc_id: str = "text") -> list[Event]:
    """The events of one text, the most salient first (the evaluation's entry point)."""
    return analyze_document(AnalysisInput(doc_id, text, published, False)).events


def analyze_document(item: AnalysisInput) -> Analysis:
    return next(iter(analyze_many([item])))


def analyze_many(items: Iterable[AnalysisInput]) -> Iterator[Analysis]:
    """Analyses in input order; spaCy sees the texts in batches."""
    nlp = load_pipeline()
    pending = _chunked(items)
    current: AnalysisInput | None = None
    parts: list[tuple[int, Doc]] = []
    # Text all in capitals or all in lower case is parsed in ordinary case (same length,
    # so every offset holds in the original); what is stored quotes the original.
    texts = ((_parseable(chunk), (item, offset)) for item, offset, chunk in pending)
    for doc, (item, offset) in nlp.pipe(texts, as_tuples=True, batch_size=_BATCH):
        if current is not None and item is not current:
            yield _analysis(current, parts)
            parts = []
        current = item
        parts.append((offset, doc))
    if current is not None:
        yield _analysis(current, parts)


def _parseable(chunk: str) -> str:
    return truecase(chunk) if needs_truecasing(chunk) else chunk


def _chunked(items: Iterable[AnalysisInput]) -> Iterator[tuple[AnalysisInput, int, str]]:
    for item in items:
        text = item.text or " "
        start = 0
        while start < len(text):
            end = min(len(text), start + CHUNK_CHARS)
            if end < len(text):
                cut = text.rfind("\n", start, end)
                end = cut + 1 if cut > start else end
            yield item, start, text[start:end]
            start = end


def _analysis(item: AnalysisInput, parts: Sequence[tuple[int, Doc]]) -> Analysis:
    events: list[Event] = []
    mentions: list[Mention] = []
    claims: list[Claim] = []
    for offset, doc in parts:
        _recover_places(doc)
        doc_events = extract_events(
            doc, doc_id=item.doc_id, anchor=item.anchor, approximate=item.approximate,
            latest=item.latest,
        )  # fmt: skip
        doc_claims = extract_claims(
            doc, doc_id=item.doc_id, anchor=item.anchor, approximate=item.approximate,
            latest=item.latest,
        )  # fmt: skip
        places = _resolve_places(doc, doc_events)
        if doc_text(doc) != item.text[offset : offset + len(doc_text(doc))]:
            doc_events = [_quoting(e, item.text, offset) for e in doc_events]
            doc_claims = [_quoting_claim(c, item.text, offset) for c in doc_claims]
        events.extend(_shift_event(_locate(event, places), offset) for event in doc_events)
        mentions.extend(_mentions(doc, item.doc_id, places, offset))
        claims.extend(_shift_claim(_scope(claim, places), offset) for claim in doc_claims)
    return Analysis(item.doc_id, events, mentions, claims)


def _quoting(event: Event, original: str, offset: int) -> Event:
    """The event's sentence as the document writes it (the parser read it re-cased)."""
    start, end = event.span
    return replace(event, text=original[offset + start : offset + end])


def _quoting_claim(claim: Claim, original: str, offset: int) -> Claim:
    (start, end), (q_start, q_end) = claim.span, claim.quantity_span
    return replace(
        claim,
        text=original[offset + start : offset + end],
        quantity_text=original[offset + q_start : offset + q_end],
    )


def _recover_places(doc: Doc) -> None:
    """Add to ``doc.spans["places"]`` the names the parser tagged as people, groups or
    organisations that are towns of the countries the document is about
    (``geo.recover``), before events and claims read the places. The document's own
    places are resolved for that only when there is such a name to judge."""
    places = list(doc.spans.get("places", []))
    taken = {
        i
        for group in ("places", "actors")
        for s in doc.spans.get(group, [])
        for i in range(s.start, s.end)
    }
    known = load_actor_table().persons
    nationalities = {(s.start, s.end) for s in doc.spans.get("place_adjectives", [])}
    organisations = [
        ent for ent in doc.ents
        if ent.label_ in ("ORG", "NORP") and (ent.start, ent.end) not in nationalities
    ]  # fmt: skip
    candidates = [
        span for span in (*doc.spans.get("persons", []), *organisations)
        if span.kb_id_ not in known and taken.isdisjoint(range(span.start, span.end))
    ]  # fmt: skip
    if not candidates:
        return
    adjectives = (demonym_target(s.text) for s in doc.spans.get("place_adjectives", []))
    countries = {target for target in adjectives if target is not None and len(target) == 2}
    if places:
        resolved = resolve_locations(
            [Location(name=s.text, start=s.start_char, end=s.end_char) for s in places],
            text=doc_text(doc),
        )
        countries |= {loc.country for loc in resolved if loc.country}
    if not countries:
        return
    found = places_among([span.text for span in candidates], countries=countries)
    extra = [
        Span(doc, s.start, s.end, label="PLACE")
        for s, ok in zip(candidates, found, strict=True)
        if ok
    ]
    if extra:
        doc.spans["places"] = sorted([*places, *filter_spans(extra)], key=lambda s: s.start)


def _resolve_places(doc: Doc, events: Sequence[Event]) -> dict[int, Location]:
    """Every place of the document resolved together (context decides ambiguous names),
    keyed by start character."""
    near = {e.location.start for e in events if e.location is not None and e.location.near}
    spans = list(doc.spans.get("places", []))
    asked = [
        Location(name=s.text, start=s.start_char, end=s.end_char, near=s.start_char in near)
        for s in spans
    ]
    resolved = resolve_locations(asked, text=doc_text(doc))
    return {loc.start: loc for loc in resolved if loc.start is not None}


def _locate(event: Event, places: dict[int, Location]) -> Event:
    """The extractor's choice, resolved. When it names only a province or country and
    the same sentence names a town inside it ("shelled Kafr Batna in the Damascus
    countryside"), the town is the event's place; when the gazetteer does not know it
    (a village GeoNames lacks), the province named beside it stands in, less precise."""
    if event.location is None or event.location.start not in places:
        return event
    chosen = replace(places[event.location.start], near=event.location.near)
    if chosen.feature in ("city", "site"):
        return replace(event, location=chosen)
    start, end = event.span
    in_sentence = [place for at, place in sorted(places.items()) if start <= at < end]
    # A province or country holds the towns the sentence names in it; an unknown name (a
    # village GeoNames lacks) is stood in for by a town named right with it ("Kafr Nabl
    # near Maarat al-Numan"), not by any other in the sentence ("near Barisha ... told
    # reporters at the Pentagon").
    if chosen.lat is None:
        in_sentence = [p for at, p in sorted(places.items()) if _same_stretch(at, chosen, event)]
    towns = [p for p in in_sentence if p.feature in ("city", "site") and _inside(p, chosen)]
    if towns:
        return replace(event, location=towns[0])
    if chosen.lat is None:
        # The larger places named with it ("Barisha, in Syria's Idlib province") stand in,
        # never another town or a landmark the sentence names for something else ("told
        # reporters at the Pentagon").
        near = [p for at, p in sorted(places.items()) if _same_stretch(at, chosen, event)]
        regions = [p for p in near if p.lat is not None and p.feature in _AREAS]
        regions += [p for p in near if p.lat is not None and p.feature == "country"]
        if regions:
            stand_in = regions[0]
            precision = max(stand_in.precision or 2, 2)
            return replace(event, location=replace(stand_in, precision=precision))
    return replace(event, location=chosen)


_AREAS = frozenset({"admin1", "admin2", "admin3", "region"})


def _same_stretch(at: int, place: Location, event: Event) -> bool:
    """Whether a place at ``at`` is named with ``place``: after it, within the event's
    sentence or the sentence the place was borrowed from (a short stretch)."""
    if place.start is None:
        return event.span[0] <= at < event.span[1]
    return place.start <= at <= place.start + _STRETCH_CHARS


_STRETCH_CHARS = 80


def _scope(claim: Claim, places: dict[int, Location]) -> Claim:
    """The claim's places as the gazetteer resolved them with the rest of the document
    (so "Baghuz" in a claim and in an event is the same place); a place the document's
    place spans do not hold stays as the extractor gave it."""
    if not claim.places:
        return claim
    resolved = tuple(
        replace(places[place.start], near=place.near) if place.start in places else place
        for place in claim.places
    )
    return replace(claim, places=resolved)


def _inside(town: Location, region: Location) -> bool:
    if region.lat is None:
        return True
    if region.feature == "country":
        return town.country == region.country
    if region.feature == "admin1":
        return town.country == region.country and town.admin1 == region.admin1
    return False


def _shift_event(event: Event, offset: int) -> Event:
    if not offset:
        return event
    location = event.location
    if location is not None and location.start is not None and location.end is not None:
        location = replace(location, start=location.start + offset, end=location.end + offset)
    return replace(event, span=(event.span[0] + offset, event.span[1] + offset), location=location)


def _shift_claim(claim: Claim, offset: int) -> Claim:
    """A chunk's claim in the document's characters."""
    if not offset:
        return claim
    return replace(
        claim,
        quantity_span=(claim.quantity_span[0] + offset, claim.quantity_span[1] + offset),
        span=(claim.span[0] + offset, claim.span[1] + offset),
        places=tuple(_shift_location(place, offset) for place in claim.places),
    )


def _shift_location(location: Location, offset: int) -> Location:
    return replace(
        location,
        start=None if location.start is None else location.start + offset,
        end=None if location.end is None else location.end + offset,
    )


def _mentions(doc: Doc, doc_id: str, places: dict[int, Location], offset: int) -> list[Mention]:
    """Actors, persons, other organisations (spaCy ORG not in the actor table) and places.
    A name the gazetteer resolves as a place of this document is never a person or an
    organisation ("Al-Qaim", "Rawa" tagged PERSON or ORG by the parser)."""
    found: list[Mention] = []
    taken: set[int] = set()
    place_chars = {
        i for loc in places.values() if loc.canonical is not None and loc.start is not None
        for i in range(loc.start, loc.end if loc.end is not None else loc.start)
    }  # fmt: skip
    place_names = {_bare_name(loc.name) for loc in places.values() if loc.canonical is not None}

    def is_place(span: Span) -> bool:
        overlaps = not place_chars.isdisjoint(range(span.start_char, span.end_char))
        return overlaps or _bare_name(span.text) in place_names

    groups: tuple[tuple[str, MentionKind], ...] = (("actors", "actor"), ("persons", "person"))
    for group, kind in groups:
        for span in doc.spans.get(group, []):
            taken.update(range(span.start, span.end))
            if kind == "person" and is_place(span):
                continue
            role = span._.get("role") if span.has_extension("role") else None
            found.append(_mention(doc_id, kind, span, offset, canonical=span.kb_id_, role=role))
    for ent in doc.ents:
        free = taken.isdisjoint(range(ent.start, ent.end))
        if ent.label_ == "ORG" and free and not is_place(ent):
            found.append(_mention(doc_id, "org", ent, offset, canonical=ent.text))
    for start, location in sorted(places.items()):
        end = location.end if location.end is not None else start
        shifted = replace(location, start=start + offset, end=end + offset)
        found.append(
            Mention(
                doc_id=doc_id,
                kind="place",
                text=location.name,
                start=start + offset,
                end=end + offset,
                canonical=location.canonical or location.name,
                location=shifted,
            )
        )
    return found


def _bare_name(name: str) -> str:
    """A name compared without case, a leading article or a trailing "area"."""
    words = name.lower().replace("\u2019", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and words[-1] in ("area", "region", "district"):
        words = words[:-1]
    return " ".join(words)


def _mention(
    doc_id: str,
    kind: MentionKind,
    span: Span,
    offset: int,
    *,
    canonical: str,
    role: str | None = None,
) -> Mention:
    return Mention(
        doc_id=doc_id, kind=kind, text=span.text, start=span.start_char + offset,
        end=span.end_char + offset, canonical=canonical or span.text, role=role,
    )  # fmt: skip

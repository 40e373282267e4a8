"""The whole analysis of one document: nlp → extract → geo, giving the events, the
mentions and the claims the store keeps. The same functions serve ``ember ingest``, the evaluation
harness and the benchmark."""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace

from spacy.language import Language
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
from .budget import Allowance, DocumentBudget, watch

__all__ = [
    "ANALYZER_VERSION",
    "Analysis",
    "AnalysisInput",
    "analyze_document",
    "analyze_many",
    "analyze_text",
    "cap_sentences",
    "cut_pieces",
]

# Stored with each analysis; bump it when extraction changes so that stored documents
# can be analysed again (``ember analyze``).
ANALYZER_VERSION = "window-1"
_BATCH = 16
# A batch of whole documents holds at most about this many pieces' worth of text.
_BATCH_PIECES = 2


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


def analyze_document(item: AnalysisInput, *, budget: DocumentBudget | None = None) -> Analysis:
    return next(iter(analyze_many([item], budget=budget)))


def analyze_many(
    items: Iterable[AnalysisInput], *, budget: DocumentBudget | None = None
) -> Iterator[Analysis]:
    """Analyses in input order. Documents that fit in one piece (``PIECE_CHARS``) are
    parsed in batches; a longer one is cut (:func:`cut_pieces`) and read one piece at a
    time, each piece's records taken (offsets in the whole document's characters) before
    the next is parsed, so memory stays bounded by a piece. With ``budget``, each
    document is analysed under its own allowance (``budget``): one over it raises
    :class:`~ember.scale.budget.BudgetExceeded` naming it, and the documents after it are
    the caller's to go on with (``workers.analyse_group``)."""
    nlp = load_pipeline()
    whole: list[AnalysisInput] = []
    held = 0  # characters in ``whole``: the parses of a batch are held together
    for item in items:
        pieces = cut_pieces(item.text or " ")
        if len(pieces) == 1:
            whole.append(item)
            held += len(item.text)
            if len(whole) == _BATCH or held >= _BATCH_PIECES * PIECE_CHARS:
                yield from _analyse_whole(nlp, whole, budget)
                whole, held = [], 0
            continue
        yield from _analyse_whole(nlp, whole, budget)
        whole = []
        yield _analyse_in_pieces(nlp, item, pieces, budget)
    yield from _analyse_whole(nlp, whole, budget)


def _analyse_whole(
    nlp: Language, items: Sequence[AnalysisInput], budget: DocumentBudget | None
) -> Iterator[Analysis]:
    """Documents of one piece, parsed together; each one's allowance runs from when the
    parser is asked for it (the first of a batch bears the batch's parse)."""
    if not items:
        return
    docs = nlp.pipe((_parser_input(nlp, item.text or " ") for item in items), batch_size=_BATCH)
    for item in items:
        allowance = budget.start(item.doc_id) if budget is not None else None
        with _watching(allowance):
            doc = next(docs)
            events, mentions, claims = _records(item, 0, doc, allowance)
        # Yielded outside the watch: the caller's work is not this document's.
        yield Analysis(item.doc_id, events, mentions, claims)


def _analyse_in_pieces(
    nlp: Language,
    item: AnalysisInput,
    pieces: Sequence[tuple[int, int]],
    budget: DocumentBudget | None,
) -> Analysis:
    text = item.text
    allowance = budget.start(item.doc_id) if budget is not None else None
    events: list[Event] = []
    mentions: list[Mention] = []
    claims: list[Claim] = []
    with _watching(allowance):
        for number, (start, end) in enumerate(pieces):
            if allowance is not None:
                allowance.progress = f"{number} of {len(pieces)} pieces analysed"
                allowance.check()
            doc = nlp(_parser_input(nlp, text[start:end]))
            piece_events, piece_mentions, piece_claims = _records(item, start, doc, allowance)
            # The parse of a piece is the bulk of the memory: drop it now (a parsed Doc
            # is held in reference cycles, which only the collector frees).
            del doc
            gc.collect()
            events.extend(piece_events)
            mentions.extend(piece_mentions)
            claims.extend(piece_claims)
    return Analysis(item.doc_id, events, mentions, claims)


def _watching(allowance: Allowance | None) -> AbstractContextManager[object]:
    return nullcontext() if allowance is None else watch(allowance)


def _parser_input(nlp: Language, piece: str) -> Doc:
    """The piece tokenized, re-cased when it is all in capitals or all in lower case
    (same length, so every offset holds in the original; what is stored quotes the
    original), with its overlong sentences capped (:func:`cap_sentences`)."""
    doc = nlp.make_doc(truecase(piece) if needs_truecasing(piece) else piece)
    cap_sentences(doc)
    return doc


# -- cutting -----------------------------------------------------------------------

# The longest text the parser reads at once. Up to about this length the analysis costs
# the same per character; at 100,000 it costs a fifth more, and its parse holds about
# 300 MB (benchmarks/longdoc.py). A document this long or shorter is read whole.
PIECE_CHARS = 50_000
# A cut is looked for in the last half of a piece's span, so that no piece is tiny.
_CUT_WINDOW = 0.5
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")


def cut_pieces(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """``text`` as consecutive (start, end) pieces of at most ``limit`` characters
    (default ``PIECE_CHARS``), cut
    after the last paragraph break of a piece's span, else its last line break, else
    its last sentence end, else its last space, else at the limit; one piece when the
    text is no longer than ``limit``."""
    limit = PIECE_CHARS if limit is None else limit
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        lowest = start + int(limit * _CUT_WINDOW)
        for boundary in (_PARAGRAPH_BREAK, _LINE_BREAK, _SENTENCE_END, _SPACE):
            found = _last_match_end(boundary, text, lowest, end)
            if found is not None:
                end = found
                break
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _last_match_end(pattern: re.Pattern[str], text: str, lowest: int, highest: int) -> int | None:
    """The end of the last match of ``pattern`` ending in ``(lowest, highest]``."""
    found = None
    for match in pattern.finditer(text, lowest, highest):
        if match.end() > lowest:
            found = match.end()
    return found


# The longest sentence the parser is given, in tokens. Much of the extractors' work for
# a trigger or a figure reads its whole sentence, so text with no sentence end (one word
# repeated, a table of numbers, a list with no full stops) would cost the square of its
# length: a run this long with no sentence end gets a sentence start, at its last line
# break when that is in the run's second half, else at the next word. No document of
# the evaluation sets (596 news reports) nor the seeds has such a run; 120 would cut
# three sentences of them. Capped, one word repeated costs the same per character at
# 60, 120 or 200 (benchmarks/longdoc.py).
SENTENCE_TOKENS = 200
_FINAL = frozenset(".!?")


def cap_sentences(doc: Doc, limit: int = SENTENCE_TOKENS) -> int:
    """Mark sentence starts in ``doc`` (tokenized, not yet parsed: the parser keeps them)
    so that no run of more than ``limit`` tokens goes without a sentence end or a blank
    line. Returns how many starts were marked (0 for ordinary prose)."""
    marked = 0
    run_start = 0
    last_line = -1  # the first token after the run's last line break
    for token in doc:
        i = token.i
        text = token.text
        if token.is_space:
            if "\n" in text:
                if text.count("\n") >= 2:
                    run_start, last_line = i + 1, -1
                else:
                    last_line = i + 1
            continue
        if i - run_start >= limit:
            cut = last_line if last_line > run_start + limit // 2 else i
            doc[cut].is_sent_start = True
            marked += 1
            run_start, last_line = cut, -1
        if text[-1] in _FINAL or (len(text) > 1 and text[-2] in _FINAL):
            run_start, last_line = i + 1, -1
    return marked


# -- records -----------------------------------------------------------------------


def _records(
    item: AnalysisInput, offset: int, doc: Doc, allowance: Allowance | None
) -> tuple[list[Event], list[Mention], list[Claim]]:
    """The events, mentions and claims of one parsed piece starting at ``offset``, in
    the whole document's characters; the allowance is checked after each step."""
    check = allowance.check if allowance is not None else _no_check
    check()
    _recover_places(doc)
    doc_events = extract_events(
        doc, doc_id=item.doc_id, anchor=item.anchor, approximate=item.approximate,
        latest=item.latest,
    )  # fmt: skip
    check()
    doc_claims = extract_claims(
        doc, doc_id=item.doc_id, anchor=item.anchor, approximate=item.approximate,
        latest=item.latest,
    )  # fmt: skip
    check()
    places = _resolve_places(doc, doc_events)
    check()
    if doc_text(doc) != item.text[offset : offset + len(doc_text(doc))]:
        doc_events = [_quoting(e, item.text, offset) for e in doc_events]
        doc_claims = [_quoting_claim(c, item.text, offset) for c in doc_claims]
    events = [_shift_event(_locate(event, places), offset) for event in doc_events]
    mentions = _mentions(doc, item.doc_id, places, offset)
    claims = [_shift_claim(_scope(claim, places), offset) for claim in doc_claims]
    return events, mentions, claims


def _no_check() -> None:
    return None


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
    """A piece's event in the document's characters (its sentence, its place, its
    evidence), with an id of the document's (:func:`_piece_id`)."""
    if not offset:
        return event
    location = event.location
    if location is not None and location.start is not None and location.end is not None:
        location = replace(location, start=location.start + offset, end=location.end + offset)
    return replace(
        event,
        id=_piece_id(event.id, offset),
        span=(event.span[0] + offset, event.span[1] + offset),
        location=location,
        evidence=tuple((start + offset, end + offset) for start, end in event.evidence),
    )


def _shift_claim(claim: Claim, offset: int) -> Claim:
    """A chunk's claim in the document's characters."""
    if not offset:
        return claim
    return replace(
        claim,
        id=_piece_id(claim.id, offset),
        quantity_span=(claim.quantity_span[0] + offset, claim.quantity_span[1] + offset),
        span=(claim.span[0] + offset, claim.span[1] + offset),
        places=tuple(_shift_location(place, offset) for place in claim.places),
    )


def _piece_id(record_id: str, offset: int) -> str:
    """The id of a record of the piece at ``offset``: the extractors key ids by offsets
    in the text they read, so two pieces could give one id; the piece's offset goes into
    the digest (the id keeps its form: any prefix, then 16 hex digits)."""
    digest = hashlib.sha1(f"{record_id}@{offset}".encode()).hexdigest()[:16]
    return record_id[:-16] + digest if len(record_id) > 16 else digest


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

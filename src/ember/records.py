"""The records that flow between stages. Conversion to rows or JSON lives in ``store``
and the output layers, never here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Claim",
    "DatePrecision",
    "DateRange",
    "Document",
    "Entity",
    "Event",
    "GeoPrecision",
    "Location",
    "Mention",
    "MentionKind",
    "Span",
]

DatePrecision = Literal["day", "week", "month", "year", "unknown"]
# ACLED's geo_precision: 1 the town itself, 2 near a town or part of a region, 3 a
# larger region (a province, a country).
GeoPrecision = Literal[1, 2, 3]
MentionKind = Literal["actor", "person", "place", "org"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """Provenance: the characters ``text[start:end]`` of document ``doc_id``."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One cleaned report. ``id`` is the hash of ``text``, so equal text means equal id.

    ``published`` is the date the report states. ``published_after``..``published_before``
    is the window in which it can have been written, from what the text and the corpus
    say (``ingest.window``); each bound's ``*_basis`` says what set it. ``pages``: for
    paged documents (PDF), the offset in ``text`` where each page starts
    (``ingest.pages.page_of``)."""

    id: str
    source: str
    text: str
    format: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    published_precision: DatePrecision | None = None
    published_after: str | None = None
    published_before: str | None = None
    published_after_basis: str | None = None
    published_before_basis: str | None = None
    language: str | None = None
    url: str | None = None
    duplicate_of: str | None = None
    pages: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DateRange:
    """When something happened: ``start``..``end`` (ISO dates, equal for one day).

    ``approximate`` marks a date resolved against the publication window of an undated
    report (every date the expression can mean for a report written in that window)
    rather than against a stated publication date. An unresolvable date is
    ``DateRange.unknown()``: no dates, precision ``unknown``, never today's date."""

    start: str | None
    end: str | None
    precision: DatePrecision
    approximate: bool = False

    @classmethod
    def unknown(cls) -> DateRange:
        return cls(start=None, end=None, precision="unknown")


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A place as written (``name``) and, once geo has resolved it, the gazetteer entry.

    ``geonameid`` is None for curated places that GeoNames lacks; ``key`` then names the
    curated entry ("curated:baghouz"). ``country`` is the ISO 3166-1 alpha-2 code."""

    name: str
    start: int | None = None
    end: int | None = None
    near: bool = False
    canonical: str | None = None
    key: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature: str | None = None
    precision: GeoPrecision | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One mention of an actor, person, organisation or place in a document."""

    doc_id: str
    kind: MentionKind
    text: str
    start: int
    end: int
    canonical: str
    role: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One happening in ACLED's taxonomy, traced to the sentence that states it.

    ``actor1`` acts, ``actor2`` is acted on (canonical names; ``*_text`` as written).
    Counts are None when the text gives none. ``span`` is the sentence's characters.
    ``evidence`` holds the other sentences of the document that tell the same happening
    (the follow-up with the toll, the claim of responsibility), as character spans.
    ``cluster_id`` and ``corroborated_by`` are set by corroboration across documents:
    every event reporting the same happening shares one ``cluster_id``, and
    ``corroborated_by`` lists the other documents that report it."""

    id: str
    doc_id: str
    event_type: str
    sub_event_type: str
    text: str
    span: tuple[int, int]
    actor1: str | None = None
    actor1_text: str | None = None
    actor2: str | None = None
    actor2_text: str | None = None
    assoc_actor1: str | None = None
    assoc_actor2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    location: Location | None = None
    date: DateRange = DateRange(start=None, end=None, precision="unknown")
    fatalities: int | None = None
    wounded: int | None = None
    arrested: int | None = None
    kidnapped: int | None = None
    confidence: float = 0.5
    evidence: tuple[tuple[int, int], ...] = ()
    corroborated_by: tuple[str, ...] = ()
    cluster_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One quantitative statement: what is counted, how many, about whom and where, as
    of when, and who says so.

    ``subject`` is a term of the controlled vocabulary in ``data/claims/subjects.json``
    ("fighters", "prisoners", "funds"...) or "other"; ``subject_text`` the counted words
    as written ("ISIS fighters"). ``value_low``/``value_high`` are equal for a point
    value; ``vague`` marks a word rather than a figure ("tens of thousands").
    ``quantity_text``/``quantity_span`` are the figure as written and its characters;
    ``text``/``span`` the sentence. ``places`` is the scope (resolved where the gazetteer
    knows them). ``attributed_to`` is the canonical source ("The New York Times"), None
    when the document states the figure itself; ``hedge`` the word that hedges it
    ("estimated", "believed", "reportedly")."""

    id: str
    doc_id: str
    subject: str
    subject_text: str
    value_low: float
    value_high: float
    unit: str
    quantity_text: str
    quantity_span: tuple[int, int]
    text: str
    span: tuple[int, int]
    qualifier: str | None = None
    vague: bool = False
    actor: str | None = None
    places: tuple[Location, ...] = ()
    as_of: DateRange = DateRange(start=None, end=None, precision="unknown")
    attributed_to: str | None = None
    attributed_text: str | None = None
    hedge: str | None = None
    confidence: float = 0.5

    @property
    def place(self) -> str | None:
        """The scope as one name: the places' canonical names, sorted (a scope is a set:
        "Iraq and Syria" and "Syria and Iraq" are one), joined by "; "."""
        names = sorted({p.canonical or p.name for p in self.places})
        return "; ".join(names) if names else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """An actor, person, organisation or place aggregated over every document's mentions.

    ``id`` is stable: a hash of kind and canonical name (and, for places, the gazetteer
    entry, so two towns that share a name stay apart). ``aliases`` are the distinct
    as-written forms, ``mentions`` how often it is mentioned. The place fields are None
    for other kinds."""

    id: str
    kind: MentionKind
    canonical: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None

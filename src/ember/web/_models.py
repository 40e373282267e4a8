"""The JSON API's response bodies, as pydantic models so ``/openapi.json`` documents
each one. Records follow the export contract of DESIGN.md (``ember.report``'s rows);
the models only describe them, the rows are built by the export code."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AsOfOut",
    "ClaimOut",
    "DateOut",
    "DocumentDetailOut",
    "DocumentOut",
    "EntityOut",
    "ErrorBody",
    "ErrorDetail",
    "FeatureCollectionOut",
    "FeatureOut",
    "HealthOut",
    "IngestOut",
    "LedgerOut",
    "LocationOut",
    "MapEventOut",
    "MentionOut",
    "MergedEventOut",
    "Page",
    "PlaceOut",
    "RejectionOut",
    "SearchHitOut",
    "TimelineOut",
    "UrlIngestIn",
    "error_responses",
]

T = TypeVar("T")
Number = int | float


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorDetail(_Out):
    status: int = Field(description="The HTTP status code.")
    code: str = Field(description="A stable machine name: not_found, unauthorized, ...")
    message: str = Field(description="One line for people.")


class ErrorBody(_Out):
    """Every API error has this body."""

    error: ErrorDetail


def error_responses(*answers: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for error statuses, each with its description and the
    error body."""
    return {status: {"model": ErrorBody, "description": text} for status, text in answers}


class Page(_Out, Generic[T]):
    """One page of a list: ``items`` from ``offset``, at most ``limit``, of ``total``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class HealthOut(_Out):
    status: Literal["ok"]
    documents: int
    events: int
    claims: int


# -- records (the export contract) -------------------------------------------------


class LocationOut(_Out):
    name: str
    canonical: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    precision: int | None = None


class DateOut(_Out):
    start: str | None
    end: str | None
    precision: str


class AsOfOut(DateOut):
    approximate: bool = False


class PlaceOut(_Out):
    name: str
    canonical: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None


class DocumentOut(_Out):
    id: str
    source: str
    title: str | None
    publisher: str | None
    author: str | None
    published: str | None
    published_precision: str | None
    published_after: str | None
    published_before: str | None = None
    published_after_basis: str | None = None
    published_before_basis: str | None = None
    language: str | None
    text: str
    duplicate_of: str | None
    url: str | None


class EventOut(_Out):
    id: str
    doc_id: str
    source: str | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    location: LocationOut | None
    date: DateOut
    fatalities: int | None
    wounded: int | None
    arrested: int | None
    kidnapped: int | None
    text: str
    span: tuple[int, int]
    confidence: float
    corroborated_by: list[str]
    page: int | None = Field(
        None, description="The page of a paged document (PDF) the sentence starts on."
    )
    cluster_id: str | None = Field(
        description="Shared by every report of the same happening (null: reported once)."
    )
    evidence: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Spans of the document's other sentences that tell the same happening.",
    )


class MergedEventOut(EventOut):
    """One happening merged from every report of it: the event fields are the merged
    ones (``doc_id``, ``text`` and ``span`` those of the most confident report)."""

    cluster_id: str
    doc_ids: list[str] = Field(description="Every document reporting it.")
    reports: int = Field(description="How many extracted events were merged.")
    fatalities_reported: list[int] = Field(description="Every distinct figure, lowest first.")


class ClaimOut(_Out):
    id: str
    doc_id: str
    source: str | None
    subject: str
    value_low: Number
    value_high: Number
    unit: str
    qualifier: str | None
    place: str | None
    as_of: AsOfOut
    attributed_to: str | None
    text: str
    span: tuple[int, int]
    page: int | None = Field(
        None, description="The page of a paged document (PDF) the sentence starts on."
    )
    subject_text: str
    quantity_text: str
    quantity_span: tuple[int, int]
    vague: bool
    actor: str | None
    places: list[PlaceOut]
    attributed_text: str | None
    hedge: str | None
    confidence: float


class EntityOut(_Out):
    id: str
    kind: str
    canonical: str
    aliases: list[str]
    mentions: int
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None


class MentionOut(_Out):
    kind: str
    text: str
    start: int
    end: int
    canonical: str
    role: str | None
    location: LocationOut | None


class DocumentDetailOut(DocumentOut):
    """A document with what was found in it."""

    events: list[EventOut]
    claims: list[ClaimOut]
    mentions: list[MentionOut]


class SearchHitOut(_Out):
    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    published_after: str | None
    source: str
    snippet: str = Field(description="Plain text around the best match (not HTML).")
    terms: list[str] = Field(description="The words that matched, to highlight.")
    rank: float = Field(description="Higher is a better match.")


# -- the ledger (``ember claims --format json``) ---------------------------------------


class LedgerFiltersOut(_Out):
    subject: str | None
    actor: str | None
    place: str | None
    since: str | None
    until: str | None


class LedgerClaimOut(_Out):
    id: str
    doc_id: str
    source: str | None
    title: str | None
    outlet: str
    subject_text: str
    quantity_text: str
    quantity_span: tuple[int, int]
    qualifier: str | None
    as_of: AsOfOut
    attributed_text: str | None
    hedge: str | None
    confidence: float
    text: str
    span: tuple[int, int]


class LedgerEntryOut(_Out):
    id: str
    subject: str
    compare_as: str
    subject_text: str
    value_low: Number | None
    value_high: Number | None
    unit: str
    qualifier: str | None
    vague: bool
    quantity_text: str
    range: tuple[Number | None, Number | None] = Field(
        description="The values the qualifier allows; null above means open."
    )
    actor: str | None
    place: str | None
    as_of: AsOfOut
    attributed_to: str | None
    hedge: str | None
    outlets: list[str]
    doc_ids: list[str]
    echoes: int = Field(description="How many documents state this estimate.")
    conflicts_with: list[str] = Field(description="Ids of the estimates it contradicts.")
    claims: list[LedgerClaimOut]
    value_text: str = Field(description='The figure as a reader writes it ("about 5,000").')
    as_of_text: str = Field(description="The date as a reader writes it.")


class LedgerGroupOut(_Out):
    subject: str
    actor: str | None
    scope: str | None
    has_conflicts: bool
    conflicts: int
    entries: list[LedgerEntryOut]
    entries_total: int | None = Field(None, description="Estimates in all (at most 200 shown).")


class LedgerOut(_Out):
    filters: LedgerFiltersOut
    window_days: int
    claims: int
    entries: int
    total_groups: int | None = Field(None, description="Groups in all (a page shown).")
    limit: int | None = None
    offset: int | None = None
    groups: list[LedgerGroupOut]


# -- the map and timeline (the report's view data, ``ember.report.views``) ----------------


class EventTypeOut(_Out):
    name: str
    colour: str = Field(description="Its colour on the map and timeline (#RRGGBB).")
    count: int


class SourceRefOut(_Out):
    id: str
    title: str | None
    outlet: str
    date: str
    page: int | None = Field(None, description="Where a paged document (PDF) tells it.")


class MapEventOut(_Out):
    """A merged event as the map shows it."""

    id: str
    type: str
    sub_type: str
    date: AsOfOut
    date_label: str
    week: str | None
    month: str | None
    place: str | None
    places: list[str] = Field(description="Its place, province and country.")
    lat: float | None
    lon: float | None
    actors: list[str]
    fatalities: int | None = Field(description="The lowest credible figure.")
    fatalities_reported: list[int]
    wounded: int | None
    arrested: int | None
    kidnapped: int | None
    doc_ids: list[str]
    reports: int
    corroborated: bool
    text: str
    page: int | None = Field(
        None, description="The page of a paged document (PDF) the quoted sentence starts on."
    )
    colour: str
    r: float = Field(description="Marker radius in map pixels, by fatalities.")
    sources: list[SourceRefOut]


class PointOut(_Out):
    type: Literal["Point"]
    coordinates: tuple[float, float] = Field(description="[longitude, latitude]")


class MapCellOut(_Out):
    """Located events counted in one map cell (beyond 2,000 located events)."""

    id: str
    cluster: Literal[True]
    count: int
    types: dict[str, int]
    fatalities: int


class FeatureOut(_Out):
    type: Literal["Feature"]
    id: str | None = None
    geometry: PointOut | None
    properties: MapEventOut | MapCellOut


class FeatureCollectionOut(_Out):
    """GeoJSON (RFC 7946)."""

    type: Literal["FeatureCollection"]
    features: list[FeatureOut]
    total: int | None = Field(None, description="Located events matching, in all.")


class PeriodCountOut(_Out):
    key: str = Field(description="A month (2019-03) or the Monday of an ISO week.")
    counts: dict[str, int] = Field(description="Events per event type.")


class TimelineEventOut(_Out):
    id: str
    type: str
    week: str | None
    month: str | None


class TimelineOut(_Out):
    """Merged events per week and per month, by event type."""

    default_period: Literal["week", "month"]
    periods: dict[str, list[str]]
    counts: dict[str, list[PeriodCountOut]]
    undated: int
    too_coarse: dict[str, int]
    types: list[EventTypeOut]
    events: list[TimelineEventOut]
    events_total: int | None = Field(None, description="Merged events in all.")


# -- writing -------------------------------------------------------------------------


class UrlIngestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(description="An http(s) URL on a public address.", max_length=4096)


class RejectionOut(_Out):
    source: str
    reason: str


class IngestOut(_Out):
    """What one ingest did: the normal ingest summary, then the analysis of what it
    stored."""

    run_id: str
    stored: int
    duplicates: int
    near_duplicates: int
    rejected: int
    skipped: int
    documents: list[str] = Field(description="Ids of the documents this ingest read.")
    rejections: list[RejectionOut]
    analysed: int
    events: int
    claims: int

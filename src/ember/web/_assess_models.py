"""The body of ``GET /api/assess``: the JSON contract of ``ember assess --format json``
(issue 13: actor, scope, period, verdict, indicators, regions, monthly, capabilities,
judgments, statements), as pydantic models so ``/openapi.json`` documents it. The body
is ``ember.assess.assessment_json``'s; the models only describe it, and keep any key
they do not name (``extra="allow"``: more keys are welcome)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AssessCapabilityOut",
    "AssessCapabilitySourceOut",
    "AssessDocumentOut",
    "AssessEvidenceOut",
    "AssessIndicatorOut",
    "AssessJudgmentOut",
    "AssessMonthOut",
    "AssessPeriodOut",
    "AssessRegionOut",
    "AssessScopeOut",
    "AssessStatementOut",
    "AssessVerdictOut",
    "AssessmentOut",
]

Number = int | float


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class AssessScopeOut(_Open):
    country: str | None = Field(description="The countries asked for, by name; null: all.")
    countries: list[str] = Field(description="Their ISO 3166-1 alpha-2 codes.")
    admin1: str | None = Field(description="The first-level division asked for, if any.")


class AssessPeriodOut(_Open):
    since: str = Field(description="First day of the window (ISO).")
    until: str = Field(description="Last day of the window (ISO).")
    baseline_since: str | None = Field(description="First day of the baseline; null: none.")
    baseline_until: str | None


class AssessVerdictOut(_Open):
    level: str = Field(description="minimal, low, moderate, high or severe.")
    trend: str = Field(description="rising, persisting, declining or unclear.")
    confidence: str = Field(description="low, moderate or high.")
    summary: str = Field(description="The bottom line in one sentence.")
    score: Number = Field(description="The formula's sum, 0 to 10 (docs/assess.md).")
    components: dict[str, Number]
    trend_basis: str = Field(description="What the trend rests on.")
    likelihood: str = Field(description="ICD 203's estimative words for the bottom line.")
    rests_on: dict[str, int] = Field(description="Documents, outlets, events... counted.")


class AssessEvidenceOut(_Open):
    kind: Literal["event", "claim", "document"]
    id: str
    doc_ids: list[str]


class AssessIndicatorOut(_Open):
    name: str
    value: Number | None
    baseline: Number | None
    change: Number | None = Field(description="(value - baseline) / baseline; null: none.")
    unit: str
    evidence: list[AssessEvidenceOut]
    detail: dict[str, Any] = {}
    note: str | None = None


class AssessRegionOut(_Open):
    country: str | None
    admin1: str | None
    events: int
    fatalities: int
    baseline_events: int


class AssessMonthOut(_Open):
    month: str = Field(description="YYYY-MM.")
    events: int
    fatalities: int
    by_type: dict[str, int] = {}


class AssessCapabilitySourceOut(_Open):
    claim_id: str
    doc_ids: list[str]
    value: str = Field(description="The figure as a reader writes it.")
    as_of: str
    attributed_to: str | None
    outlets: list[str]
    linked: Literal["named", "document"]


class AssessCapabilityOut(_Open):
    subject: str
    label: str
    scope: str | None
    low: Number | None
    high: Number | None
    unit: str
    as_of: str
    sources: list[AssessCapabilitySourceOut]
    conflict: bool = Field(description="Two of the estimates cannot both be true.")
    earlier_estimates: int = 0


class AssessJudgmentOut(_Open):
    text: str
    cites: list[str] = Field(description="The ids of the documents it rests on.")
    kind: str


class AssessStatementOut(_Open):
    text: str
    source: str | None = Field(description="Who states it; null: the outlet itself.")
    outlet: str
    stance: Literal["rising", "persisting", "declining"]
    hedge: str | None
    date: str | None
    doc_id: str
    span: list[int]


class AssessDocumentOut(_Open):
    id: str
    title: str | None = None
    source: str | None = None
    outlet: str | None = None
    date: str | None = None


class AssessmentOut(_Open):
    """A sourced threat assessment of one actor (or all political violence) in a scope."""

    actor: str = Field(description='The canonical actor, or "all".')
    scope: AssessScopeOut
    period: AssessPeriodOut
    verdict: AssessVerdictOut
    indicators: list[AssessIndicatorOut]
    regions: list[AssessRegionOut]
    monthly: list[AssessMonthOut]
    capabilities: list[AssessCapabilityOut]
    judgments: list[AssessJudgmentOut]
    statements: list[AssessStatementOut]
    watch: list[str] = []
    documents: list[AssessDocumentOut] = Field(description="Every document cited, in order.")

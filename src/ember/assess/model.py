"""The records of an assessment. Every item names its evidence: events (by the id of a
stored report of the happening), claims (by claim id) and the documents behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Assessment",
    "Capability",
    "CapabilitySource",
    "Evidence",
    "Indicator",
    "Judgment",
    "MonthCount",
    "RegionCount",
    "Statement",
    "Verdict",
]

EvidenceKind = Literal["event", "claim", "document"]
Stance = Literal["rising", "persisting", "declining"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One piece of evidence: an event (``id`` of a stored report of it), a claim, or a
    document, with the documents that state it."""

    kind: EvidenceKind
    id: str
    doc_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """One measured indicator. ``change`` is relative ((value - baseline) / baseline),
    None when there is no baseline or it is 0; ``detail`` holds its breakdown."""

    name: str
    value: float | None
    baseline: float | None
    unit: str
    evidence: tuple[Evidence, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    note: str | None = None

    @property
    def change(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return (self.value - self.baseline) / self.baseline


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionCount:
    country: str | None
    admin1: str | None
    events: int
    fatalities: int
    baseline_events: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthCount:
    month: str
    events: int
    fatalities: int
    by_type: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class CapabilitySource:
    """One estimate behind a capability: the ledger entry's first claim and every
    document stating it."""

    claim_id: str
    doc_ids: tuple[str, ...]
    value: str
    low: float
    high: float
    as_of: str
    attributed_to: str | None
    outlets: tuple[str, ...]
    linked: Literal["named", "document"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Capability:
    """The latest estimates of one capability (fighters, funds...) in one scope:
    ``low``..``high`` spans the estimates as of the latest year of them; ``conflict``
    says whether the ledger finds two of them that cannot both be true."""

    subject: str
    label: str
    scope: str | None
    low: float
    high: float
    unit: str
    as_of: str
    sources: tuple[CapabilitySource, ...]
    conflict: bool
    earlier: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """A judgment a document states about the threat: its sentence, who states it
    (None: the outlet itself), the stance, the hedge and the document's day."""

    text: str
    source: str | None
    outlet: str
    stance: Stance
    hedge: str | None
    date: str | None
    doc_id: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgment:
    """A key judgment in plain words and the documents it cites (never empty)."""

    text: str
    cites: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    level: str
    trend: str
    confidence: str
    summary: str
    score: float
    components: dict[str, float]
    trend_basis: str
    likelihood: str
    rests_on: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    actor: str
    countries: tuple[str, ...]
    country_names: tuple[str, ...]
    admin1: str | None
    since: str
    until: str
    baseline_since: str | None
    baseline_until: str | None
    verdict: Verdict
    indicators: tuple[Indicator, ...]
    regions: tuple[RegionCount, ...]
    monthly: tuple[MonthCount, ...]
    capabilities: tuple[Capability, ...]
    judgments: tuple[Judgment, ...]
    statements: tuple[Statement, ...]
    watch: tuple[str, ...]
    documents: dict[str, dict[str, Any]]

    def indicator(self, name: str) -> Indicator:
        for item in self.indicators:
            if item.name == name:
                return item
        raise KeyError(name)

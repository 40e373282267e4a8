"""assess stage: the threat assessment of an actor in a region (``ember assess``):
indicators from merged events, capability from the claims ledger, the documents' own
judgments, and a verdict from a documented formula (docs/assess.md)."""

from .assess import NoEvidence, assess, assess_records
from .model import Assessment, Capability, Evidence, Indicator, Judgment, Statement, Verdict
from .render import (
    assessment_json,
    change_text,
    render_markdown,
    render_table,
    sparkline,
    value_text,
)
from .scope import ALL, AssessFilters, country_code, filters_from_options, parse_baseline

__all__ = [
    "ALL",
    "AssessFilters",
    "Assessment",
    "Capability",
    "Evidence",
    "Indicator",
    "Judgment",
    "NoEvidence",
    "Statement",
    "Verdict",
    "assess",
    "assess_records",
    "assessment_json",
    "change_text",
    "country_code",
    "filters_from_options",
    "parse_baseline",
    "render_markdown",
    "render_table",
    "sparkline",
    "value_text",
]

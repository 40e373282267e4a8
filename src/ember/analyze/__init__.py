"""analyze stage: views across documents (the claims ledger, trends, the brief).

Importing it registers the functions the store's derived tables are computed with
(``views``)."""

from .brief import BriefSentence, write_brief
from .ledger import (
    DEFAULT_WINDOW_DAYS,
    Ledger,
    LedgerEntry,
    LedgerFilters,
    LedgerGroup,
    build_ledger,
    ledger_json,
    load_compare_as,
    parse_day,
    render_ledger,
)
from .trends import EventCounts, PeriodCount, choose_period, event_counts
from .views import AnalyzeDerivation

# Plainly sorted, as tests/test_exported_members.py wants (ruff would put constants first).
__all__ = [  # noqa: RUF022
    "AnalyzeDerivation",
    "BriefSentence",
    "DEFAULT_WINDOW_DAYS",
    "EventCounts",
    "Ledger",
    "LedgerEntry",
    "LedgerFilters",
    "LedgerGroup",
    "PeriodCount",
    "build_ledger",
    "choose_period",
    "event_counts",
    "ledger_json",
    "load_compare_as",
    "parse_day",
    "render_ledger",
    "write_brief",
]

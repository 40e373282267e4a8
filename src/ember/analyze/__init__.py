"""analyze stage: views across documents (the claims ledger)."""

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

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "Ledger",
    "LedgerEntry",
    "LedgerFilters",
    "LedgerGroup",
    "build_ledger",
    "ledger_json",
    "load_compare_as",
    "parse_day",
    "render_ledger",
]

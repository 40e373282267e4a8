"""What the store's derived tables hold, computed here: a happening merged from its
reports (``corroborate.merge_events``), its period keys (``trends``) and a claims-ledger
group as the views show it (``ledger``). The store keeps the tables in step inside its
write transactions and calls these through ``store.derived.Derivation``; importing
``ember.analyze`` registers them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from ..records import Claim, DateRange, Document, Event
from ..store import derived
from .corroborate import merge_events
from .ledger import DEFAULT_WINDOW_DAYS, build_ledger, format_as_of, format_value, ledger_json
from .ledger import load_compare_as as _load_compare_as
from .trends import Period, period_key, start_day

__all__ = ["AnalyzeDerivation"]


class AnalyzeDerivation:
    """``store.derived.Derivation`` by the analyze stage's own functions."""

    def merged_event(self, key: str, members: list[Event]) -> tuple[Event, tuple[str, ...]]:
        merged = merge_events(key, members)
        return merged.event, merged.doc_ids

    def start_day(self, when: DateRange) -> date | None:
        return start_day(when)

    def period_key(self, when: DateRange, period: str) -> str | None:
        chosen: Period = "week" if period == "week" else "month"
        return period_key(when, chosen)

    def compare_as(self) -> Mapping[str, str]:
        return _compare_as()

    def ledger_group(
        self,
        claims: list[Claim],
        documents: Mapping[str, Document],
        *,
        filters: Any,
        window_days: int | None,
        entries: int,
    ) -> tuple[dict[str, Any], int, int, int] | None:
        window = DEFAULT_WINDOW_DAYS if window_days is None else window_days
        ledger = build_ledger(
            claims, documents, filters=filters, window_days=window, compare_as=self.compare_as()
        )
        if not ledger.groups:
            return None
        (group,) = ledger.groups
        capped = replace(ledger, groups=(replace(group, entries=group.entries[:entries]),))
        (shown,) = ledger_json(capped, documents)["groups"]
        for entry, record in zip(capped.groups[0].entries, shown["entries"], strict=True):
            record["value_text"] = format_value(entry.first)
            record["as_of_text"] = format_as_of(entry.as_of)
        shown["conflicts"] = group.conflicts
        shown["has_conflicts"] = group.has_conflicts
        shown["entries_total"] = len(group.entries)
        return shown, ledger.claims, len(group.entries), group.conflicts


@cache
def _compare_as() -> Mapping[str, str]:
    """The subject vocabulary's comparison terms, read once (every ledger group asks)."""
    return dict(_load_compare_as())


derived.register(AnalyzeDerivation())

"""Capability from the claims ledger: the latest estimates of a group's fighters, foreign
fighters, funds, weapons, detainees and camp populations, as ranges with every source
and the conflicts between them; and the tallies of attacks the documents give ("139
attacks in 2019, in which 274 were killed"), which count what no single event report does.

A figure is linked to the actor when the claim names it ("named"), or when it names no
actor and comes from a document about the actor (its most mentioned armed group:
"document"). Which ledger subjects are capabilities is data
(``data/assess/indicators.json``, ``capabilities``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Literal

from ..analyze.ledger import (
    Ledger,
    LedgerEntry,
    LedgerGroup,
    effective_range,
    format_as_of,
    format_value,
)
from ..records import Claim
from .model import Capability, CapabilitySource, Evidence, Indicator
from .scope import ALL, Window, assess_data, in_window, same_actor

__all__ = ["capabilities", "link_of", "tallies"]

# Estimates as of up to this long before the latest one are "the latest estimates".
_LATEST_DAYS = 365

Link = Literal["named", "document"]


def link_of(
    group: LedgerGroup, entry: LedgerEntry, actor: str, doc_actor: Mapping[str, str | None]
) -> Link | None:
    """How a ledger estimate is linked to ``actor``, or None when it is not."""
    if actor == ALL:
        return "named" if group.actor else "document"
    if group.actor is not None:
        return "named" if same_actor(group.actor, actor) else None
    if any(same_actor(doc_actor.get(doc_id), actor) for doc_id in entry.doc_ids):
        return "document"
    return None


def _start(entry: LedgerEntry) -> date | None:
    value = entry.as_of.start
    try:
        return (
            date.fromisoformat(value[:10]) if value and entry.as_of.precision != "unknown" else None
        )
    except ValueError:
        return None


def _source(entry: LedgerEntry, link: Link) -> CapabilitySource:
    return CapabilitySource(
        claim_id=entry.id,
        doc_ids=entry.doc_ids,
        value=format_value(entry.first),
        low=entry.value_low,
        high=entry.value_high,
        as_of=format_as_of(entry.as_of),
        attributed_to=entry.attributed_to,
        outlets=entry.outlets,
        linked=link,
    )


def _overlapping(entries: Sequence[LedgerEntry]) -> bool:
    ranges = [effective_range(entry.first) for entry in entries]
    return all(
        not (a_high < b_low or b_high < a_low)
        for i, (a_low, a_high) in enumerate(ranges)
        for b_low, b_high in ranges[i + 1 :]
    )


def capabilities(
    ledger: Ledger,
    actor: str,
    doc_actor: Mapping[str, str | None],
    *,
    until: date,
    in_scope: Callable[[Claim], bool],
) -> list[Capability]:
    """One row per capability and scope: the estimates as of the latest year of them (up
    to ``until``), their range, sources and whether any two conflict."""
    labels: dict[str, str] = assess_data("indicators.json")["capabilities"]["subjects"]
    rows: dict[tuple[str, str | None], list[tuple[LedgerEntry, Link, bool]]] = {}
    for group in ledger.groups:
        if group.subject not in labels:
            continue
        for entry in group.entries:
            link = link_of(group, entry, actor, doc_actor)
            start = _start(entry)
            if link is None or start is None or start > until or not in_scope(entry.first):
                continue
            rows.setdefault((group.subject, group.scope), []).append(
                (entry, link, bool(entry.conflicts_with))
            )
    found = []
    for (subject, scope), members in rows.items():
        figures = [m for m in members if not m[0].vague] or members
        latest = max(_start(entry) or date.min for entry, _, _ in figures)
        recent = [
            m
            for m in figures
            if (_start(m[0]) or date.min) >= latest - timedelta(days=_LATEST_DAYS)
        ]
        unit = recent[-1][0].unit
        recent = [m for m in recent if m[0].unit == unit]
        lows = [entry.value_low for entry, _, _ in recent]
        highs = [entry.value_high for entry, _, _ in recent if math.isfinite(entry.value_high)]
        entries = [entry for entry, _, _ in recent]
        found.append(
            Capability(
                subject=subject,
                label=labels[subject],
                scope=scope,
                low=min(lows),
                high=max(highs) if highs else max(lows),
                unit=unit,
                as_of=format_as_of(entries[-1].as_of),
                sources=tuple(_source(entry, link) for entry, link, _ in recent),
                conflict=any(flag for _, _, flag in recent) or not _overlapping(entries),
                earlier=len(members) - len(recent),
            )
        )
    order = list(labels)
    found.sort(key=lambda c: (order.index(c.subject), -len(c.sources), c.scope or ""))
    return found


def tallies(
    ledger: Ledger,
    claims: Sequence[Claim],
    actor: str,
    doc_actor: Mapping[str, str | None],
    *,
    window: Window,
    base: Window | None,
    in_scope: Callable[[Claim], bool],
) -> Indicator:
    """The attacks the documents tally for the actor in the window (the largest tally
    per scope), with the deaths tallied in the same sentence."""
    by_sentence: dict[tuple[str, tuple[int, int]], list[Claim]] = {}
    for claim in claims:
        if claim.subject == "killed" and not claim.vague:
            by_sentence.setdefault((claim.doc_id, claim.span), []).append(claim)

    def best(of: Window | None) -> tuple[int, int, list[dict[str, object]], list[Evidence]]:
        if of is None:
            return 0, 0, [], []
        per_scope: dict[str | None, tuple[LedgerEntry, int]] = {}
        for group in ledger.groups:
            if group.subject != "attacks":
                continue
            for entry in group.entries:
                if entry.vague or link_of(group, entry, actor, doc_actor) is None:
                    continue
                if not in_window(entry.as_of, of) or not in_scope(entry.first):
                    continue
                toll = [c for c in by_sentence.get((entry.first.doc_id, entry.first.span), [])]
                killed = int(max((c.value_low for c in toll), default=0))
                held = per_scope.get(group.scope)
                if held is None or entry.value_low > held[0].value_low:
                    per_scope[group.scope] = (entry, killed)
        rows: list[dict[str, object]] = []
        evidence = []
        for scope, (entry, killed) in per_scope.items():
            rows.append(
                {
                    "scope": scope,
                    "attacks": int(entry.value_low),
                    "killed": killed,
                    "as_of": format_as_of(entry.as_of),
                    "claim_id": entry.id,
                    "attributed_to": entry.attributed_to,
                    "doc_ids": list(entry.doc_ids),
                }
            )
            evidence.append(Evidence(kind="claim", id=entry.id, doc_ids=entry.doc_ids))
        attacks = sum(int(e.value_low) for e, _ in per_scope.values())
        return attacks, sum(k for _, k in per_scope.values()), rows, evidence

    attacks, killed, rows, evidence = best(window)
    base_attacks, base_killed, base_rows, _ = best(base)
    return Indicator(
        name="tallies",
        value=attacks if rows else None,
        baseline=base_attacks if base_rows else None,
        unit="attacks tallied by the documents",
        evidence=tuple(evidence),
        detail={"killed": killed, "baseline_killed": base_killed, "tallies": rows},
        note=None if rows else "no document tallies the actor's attacks in the window",
    )

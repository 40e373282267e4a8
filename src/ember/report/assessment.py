"""The threat assessment as the report and the web app show it: ``ember.assess``'s
result (nothing recomputed) turned into what a page needs: the verdict, the key
judgments, one card per indicator (value, baseline, change, a line of detail and, for
the monthly series, a sparkline's points), the capability table, the judgments ledger,
the indicators to watch and the documents cited, each item with the ids of the
documents behind it.

``assessment_view`` builds it from an ``Assessment``; ``unavailable_view`` says why
there is none (no events for the actor); ``report_assessment`` assesses what the report
already read from the store. Every string is as the documents give it: whoever shows it
must escape it (the templates autoescape). The sparkline is numbers only."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..analyze.corroborate import MergedEvent
from ..assess import (
    ALL,
    AssessFilters,
    Assessment,
    Indicator,
    NoEvidence,
    assess_records,
    change_text,
    value_text,
)
from ..assess.model import Capability, MonthCount
from ..records import Claim, Document, Mention

__all__ = [
    "SPARK_HEIGHT",
    "SPARK_WIDTH",
    "assessment_view",
    "report_assessment",
    "spark",
    "unavailable_view",
]

SPARK_WIDTH = 160
SPARK_HEIGHT = 28
_PAD = 2.0
# How the cards name each indicator (the JSON keeps ``name``).
_LABELS = {
    "tempo": "Tempo",
    "fatalities": "Fatalities",
    "lethality": "Lethality",
    "mass_casualty_events": "Mass-casualty events",
    "targets": "Targets",
    "modus_operandi": "Modus operandi",
    "spread_admin1": "Spread: divisions",
    "spread_locations": "Spread: places",
    "diffusion": "Diffusion",
    "territory": "Territory",
    "tallies": "Attacks tallied",
    "leadership": "Leadership",
    "reach": "Reach",
    "judgments": "What others judge",
}
_STANCES = ("rising", "persisting", "declining")
_MAX_NAMES = 4


def _series(name: str, monthly: Sequence[MonthCount]) -> tuple[list[float], str] | None:
    """The monthly series a card draws, and what it counts; None for the indicators
    the months do not break down."""
    if name == "tempo":
        return [float(m.events) for m in monthly], "events a month"
    if name == "fatalities":
        return [float(m.fatalities) for m in monthly], "killed a month"
    if name == "lethality":
        return [m.fatalities / m.events if m.events else 0.0 for m in monthly], "killed per event"
    return None


def spark(values: Sequence[float], *, what: str, months: Sequence[str]) -> dict[str, Any] | None:
    """A sparkline of ``values`` in a ``SPARK_WIDTH`` × ``SPARK_HEIGHT`` box: the line's
    points, the area under it, the last point, and a label that reads the values out
    (for screen readers and the tooltip). None with fewer than two values."""
    if len(values) < 2:
        return None
    top = max(max(values), 0.0) or 1.0
    step = (SPARK_WIDTH - 2 * _PAD) / (len(values) - 1)
    span = SPARK_HEIGHT - 2 * _PAD
    points = [
        (round(_PAD + i * step, 1), round(SPARK_HEIGHT - _PAD - max(v, 0.0) / top * span, 1))
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:g},{y:g}" for x, y in points)
    floor = f"{SPARK_HEIGHT - _PAD:g}"
    shown = ", ".join(f"{v:g}" if v == int(v) else f"{v:.1f}" for v in values)
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": line,
        "area": f"{points[0][0]:g},{floor} {line} {points[-1][0]:g},{floor}",
        "last": {"x": points[-1][0], "y": points[-1][1]},
        "label": f"{what}, {months[0]} to {months[-1]}: {shown}",
        "first_month": months[0],
        "last_month": months[-1],
        "peak": f"{max(values):g}" if max(values) == int(max(values)) else f"{max(values):.1f}",
    }


def _doc_ids(indicator: Indicator) -> list[str]:
    return list(dict.fromkeys(d for e in indicator.evidence for d in e.doc_ids))


def _listed(names: Sequence[str]) -> str:
    shown = "; ".join(names[:_MAX_NAMES])
    return shown + (f" and {len(names) - _MAX_NAMES} more" if len(names) > _MAX_NAMES else "")


def _shares(shares: Mapping[str, float]) -> str:
    ordered = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{name} {share * 100:.0f} %" for name, share in ordered[:3])


def _detail_line(indicator: Indicator) -> str | None:
    """One line of what the indicator's breakdown says, as a reader wants it."""
    d = indicator.detail
    name = indicator.name
    if name == "tempo":
        verdict = d.get("test", {}).get("verdict")
        return str(verdict) if verdict else None
    if name == "targets" and d.get("targets"):
        counts = sorted(d["targets"].items(), key=lambda kv: (-kv[1], kv[0]))
        return ", ".join(f"{who} {n}" for who, n in counts)
    if name == "modus_operandi" and d.get("mix"):
        return _shares(d["mix"])
    if name == "spread_admin1" and d.get("areas"):
        new = d.get("new_areas") or []
        line = _listed(d["areas"])
        return f"{line}; new: {_listed(new)}" if new else line
    if name == "territory" and d.get("changes"):
        changes = d["changes"]
        lost = [c for c in changes if c.get("direction") == "loss"]
        won = [c for c in changes if c.get("direction") != "loss"]
        parts = []
        for words, rows in (("lost", lost), ("took", won)):
            if rows:
                latest = rows[-_MAX_NAMES:]
                places = [f"{c.get('place') or '?'} {(c.get('date') or '')[:7]}" for c in latest]
                parts.append(f"{words} {', '.join(places)}")
        return "; ".join(parts) + " (whole record)"
    if name == "leadership" and d.get("leaders"):
        return _listed([f"{p['name']} ({p['role']}, {p['status']})" for p in d["leaders"]])
    if name == "reach":
        abroad = [c["country"] for c in d.get("abroad", [])]
        affiliates = [a["name"] for a in d.get("affiliates", [])]
        parts = [f"attacks in {_listed(abroad)}"] if abroad else []
        parts += [f"affiliates: {_listed(affiliates)}"] if affiliates else []
        return "; ".join(parts) or None
    if name == "judgments" and d.get("counts"):
        line = " · ".join(f"{stance} {d['counts'].get(stance, 0)}" for stance in _STANCES)
        return line + (" (the sources disagree)" if d.get("disagreement") else "")
    return None


def _direction(indicator: Indicator) -> str | None:
    change = indicator.change
    if change is None:
        return None
    return "up" if change > 0.05 else "down" if change < -0.05 else "flat"


def _card(indicator: Indicator, monthly: Sequence[MonthCount]) -> dict[str, Any]:
    series = _series(indicator.name, monthly)
    return {
        "name": indicator.name,
        "label": _LABELS.get(indicator.name, indicator.name.replace("_", " ").capitalize()),
        "value": value_text(indicator.value, indicator.unit),
        "baseline": (
            value_text(indicator.baseline, indicator.unit)
            if indicator.baseline is not None
            else None
        ),
        "change": change_text(indicator) or None,
        "direction": _direction(indicator),
        "unit": indicator.unit,
        "detail": _detail_line(indicator),
        "note": indicator.note,
        "evidence": len(indicator.evidence),
        "doc_ids": _doc_ids(indicator),
        "spark": (
            spark(series[0], what=series[1], months=[m.month for m in monthly]) if series else None
        ),
    }


def _range(capability: Capability) -> str:
    low = value_text(capability.low, "")
    high = value_text(capability.high, "")
    figure = low if low == high else f"{low}–{high}"
    return f"${figure}" if capability.unit == "USD" else figure


def _capability(capability: Capability) -> dict[str, Any]:
    return {
        "subject": capability.subject,
        "label": capability.label,
        "scope": capability.scope,
        "range": _range(capability),
        "unit": capability.unit,
        "as_of": capability.as_of,
        "conflict": capability.conflict,
        "earlier": capability.earlier,
        "doc_ids": list(dict.fromkeys(d for s in capability.sources for d in s.doc_ids)),
        "sources": [
            {
                "claim_id": s.claim_id,
                "value": s.value,
                "as_of": s.as_of,
                "who": s.attributed_to or "; ".join(s.outlets),
                "outlet_own": s.attributed_to is None,
                "outlets": list(s.outlets),
                "linked": s.linked,
                "doc_ids": list(s.doc_ids),
            }
            for s in capability.sources
        ],
    }


def assessment_view(assessment: Assessment) -> dict[str, Any]:
    """What the views show of ``assessment`` (the shape in this module's docstring),
    with ``available`` true."""
    a, v = assessment, assessment.verdict
    where = ", ".join(a.country_names) or "all places"
    ledger = a.indicator("judgments").detail
    return {
        "available": True,
        "actor": "all political violence" if a.actor == ALL else a.actor,
        "scope": f"{a.admin1}, {where}" if a.admin1 else where,
        "period": {
            "since": a.since,
            "until": a.until,
            "baseline_since": a.baseline_since,
            "baseline_until": a.baseline_until,
        },
        "verdict": {
            "level": v.level,
            "trend": v.trend,
            "confidence": v.confidence,
            "summary": v.summary,
            "score": v.score,
            "likelihood": v.likelihood,
            "trend_basis": v.trend_basis,
            "rests_on": dict(v.rests_on),
        },
        "judgments": [
            {"text": j.text, "doc_ids": list(j.cites), "kind": j.kind} for j in a.judgments
        ],
        "cards": [_card(i, a.monthly) for i in a.indicators],
        "capabilities": [_capability(c) for c in a.capabilities],
        "statements": [
            {
                "text": s.text,
                "who": s.source or s.outlet,
                "outlet_own": s.source is None,
                "outlet": s.outlet,
                "stance": s.stance,
                "hedge": s.hedge,
                "date": s.date,
                "doc_id": s.doc_id,
            }
            for s in sorted(a.statements, key=lambda s: (s.date is None, s.date or ""))
        ],
        "stance_counts": {stance: ledger.get("counts", {}).get(stance, 0) for stance in _STANCES},
        "disagreement": bool(ledger.get("disagreement")),
        "regions": [
            {
                "country": r.country,
                "admin1": r.admin1,
                "events": r.events,
                "fatalities": r.fatalities,
                "baseline_events": r.baseline_events,
            }
            for r in a.regions
        ],
        "watch": list(a.watch),
        "documents": list(a.documents.values()),
    }


def unavailable_view(reason: str) -> dict[str, Any]:
    """No assessment, and why (one line)."""
    return {"available": False, "message": reason}


def report_assessment(
    merged: Sequence[MergedEvent],
    claims: Sequence[Claim],
    mentions: Sequence[Mention],
    documents: Sequence[Document],
    *,
    text_of: Callable[[str], str | None],
    filters: AssessFilters | None = None,
) -> dict[str, Any]:
    """The report's assessment (default: the armed group with most events, as ``ember
    assess`` without options) from the records the report read; ``unavailable_view``
    when there is nothing to assess."""
    try:
        result = assess_records(
            merged, claims, mentions, documents, filters or AssessFilters(), text_of=text_of
        )
    except NoEvidence as exc:
        return unavailable_view(str(exc))
    return assessment_view(result)

"""An assessment as JSON (the contract of issue 13, more keys welcome), as a terminal
table and as Markdown. Text from documents goes through rich's ``Text`` in the table
(shown, never read as markup) and is escaped in Markdown."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Assessment, Evidence, Indicator

__all__ = [
    "assessment_json",
    "change_text",
    "render_markdown",
    "render_table",
    "sparkline",
    "value_text",
]

_SPARKS = "▁▂▃▄▅▆▇█"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _number(value: float | None) -> float | int | None:
    if value is None or (isinstance(value, float) and (math.isinf(value) or math.isnan(value))):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 3)


def _evidence(items: Sequence[Evidence]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "id": e.id, "doc_ids": list(e.doc_ids)} for e in items]


def _indicator(indicator: Indicator) -> dict[str, Any]:
    change = indicator.change
    return {
        "name": indicator.name,
        "value": _number(indicator.value),
        "baseline": _number(indicator.baseline),
        "change": round(change, 3) if change is not None else None,
        "unit": indicator.unit,
        "evidence": _evidence(indicator.evidence),
        "detail": indicator.detail,
        "note": indicator.note,
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON-able data."""
    a = assessment
    v = a.verdict
    return {
        "actor": a.actor,
        "scope": {
            "country": ", ".join(a.country_names) if a.country_names else None,
            "countries": list(a.countries),
            "admin1": a.admin1,
        },
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
            "components": v.components,
            "trend_basis": v.trend_basis,
            "likelihood": v.likelihood,
            "rests_on": v.rests_on,
            "formula": "docs/assess.md; weights in src/ember/data/assess/verdict.json",
        },
        "indicators": [_indicator(i) for i in a.indicators],
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
        "monthly": [
            {"month": m.month, "events": m.events, "fatalities": m.fatalities, "by_type": m.by_type}
            for m in a.monthly
        ],
        "capabilities": [
            {
                "subject": c.subject,
                "label": c.label,
                "scope": c.scope,
                "low": _number(c.low),
                "high": _number(c.high),
                "unit": c.unit,
                "as_of": c.as_of,
                "sources": [
                    {
                        "claim_id": s.claim_id,
                        "doc_ids": list(s.doc_ids),
                        "value": s.value,
                        "as_of": s.as_of,
                        "attributed_to": s.attributed_to,
                        "outlets": list(s.outlets),
                        "linked": s.linked,
                    }
                    for s in c.sources
                ],
                "conflict": c.conflict,
                "earlier_estimates": c.earlier,
            }
            for c in a.capabilities
        ],
        "judgments": [
            {"text": j.text, "cites": list(j.cites), "kind": j.kind} for j in a.judgments
        ],
        "statements": [
            {
                "text": s.text,
                "source": s.source,
                "outlet": s.outlet,
                "stance": s.stance,
                "hedge": s.hedge,
                "date": s.date,
                "doc_id": s.doc_id,
                "span": list(s.span),
            }
            for s in a.statements
        ],
        "watch": list(a.watch),
        "documents": list(a.documents.values()),
    }


def sparkline(values: Sequence[float]) -> str:
    """Values as a row of block characters, lowest to highest."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return _SPARKS[0] * len(values)
    return "".join(
        _SPARKS[min(len(_SPARKS) - 1, int(v / top * (len(_SPARKS) - 1)))] for v in values
    )


def value_text(value: float | None, unit: str) -> str:
    """An indicator's value as shown: "—" for none, a share in per cent, else a number."""
    if value is None:
        return "—"
    if "share" in unit:
        return f"{value * 100:.0f} %"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def change_text(indicator: Indicator) -> str:
    """The change against the baseline in per cent ("+112 %"), "" when there is none."""
    change = indicator.change
    return "" if change is None else f"{change * 100:+.0f} %"


def _citations(doc_ids: Sequence[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[d]}]" for d in doc_ids if d in numbers)


def render_table(assessment: Assessment, console: Console) -> None:
    """Print the assessment: verdict, key judgments, indicators, regions, capabilities,
    judgments ledger, indicators to watch and the numbered sources."""
    a, v = assessment, assessment.verdict
    numbers = {doc: n for n, doc in enumerate(a.documents, 1)}
    scope = ", ".join(a.country_names) or "all places"
    if a.admin1:
        scope = f"{a.admin1}, {scope}"
    console.print(
        Text(f"Threat assessment: {a.actor} · {scope} · {a.since} – {a.until}", style="bold")
    )
    console.print(Text(v.summary))
    console.print(
        Text(
            f"level {v.level} (score {v.score} of 10) · trend {v.trend} ({v.trend_basis}) · "
            f"confidence {v.confidence}",
            style="dim",
        )
    )
    console.print()
    console.print(Text("Key judgments", style="bold"))
    for judgment in a.judgments:
        console.print(Text(f"• {judgment.text} {_citations(judgment.cites, numbers)}"))
    console.print()
    table = Table(
        box=box.SIMPLE_HEAD, title=Text("Indicators"), title_justify="left", title_style="bold"
    )
    for column in ("indicator", "value", "baseline", "change", "unit"):
        table.add_column(
            column, justify="right" if column in ("value", "baseline", "change") else "left"
        )
    table.add_column("evidence", justify="right")
    for indicator in a.indicators:
        table.add_row(
            Text(indicator.name),
            Text(value_text(indicator.value, indicator.unit)),
            Text(value_text(indicator.baseline, indicator.unit)),
            Text(change_text(indicator)),
            Text(indicator.unit),
            Text(str(len(indicator.evidence))),
        )
    console.print(table)
    if a.monthly:
        console.print(
            Text(
                f"events per month {a.monthly[0].month}…{a.monthly[-1].month}: "
                f"{sparkline([m.events for m in a.monthly])}"
            )
        )
    if a.regions:
        regions = Table(
            box=box.SIMPLE_HEAD, title=Text("Regions"), title_justify="left", title_style="bold"
        )
        for column in ("country", "admin1", "events", "killed", "baseline events"):
            regions.add_column(column)
        for r in a.regions[:15]:
            regions.add_row(
                Text(r.country or "—"),
                Text(r.admin1 or "—"),
                Text(str(r.events)),
                Text(str(r.fatalities)),
                Text(str(r.baseline_events)),
            )
        console.print(regions)
    if a.capabilities:
        caps = Table(
            box=box.SIMPLE_HEAD,
            title=Text("Capabilities (claims ledger)"),
            title_justify="left",
            title_style="bold",
        )
        for column in ("capability", "scope", "latest estimates", "as of", "sources", "conflict"):
            caps.add_column(column, overflow="fold")
        for c in a.capabilities:
            values = "; ".join(s.value for s in c.sources)
            sources = "; ".join(
                f"{s.attributed_to or ', '.join(s.outlets)} {_citations(s.doc_ids, numbers)}"
                for s in c.sources
            )
            caps.add_row(
                Text(c.label),
                Text(c.scope or "—"),
                Text(values),
                Text(c.as_of),
                Text(sources),
                Text("CONFLICT" if c.conflict else ""),
            )
        console.print(caps)
    if a.statements:
        console.print(Text("What others judge", style="bold"))
        for s in a.statements:
            who = s.source or f"{s.outlet} (the outlet)"
            hedge = f", {s.hedge}" if s.hedge else ""
            console.print(
                Text(
                    f"• [{s.stance}{hedge}] {who}, {s.date or 'undated'}: “{s.text}” "
                    f"{_citations((s.doc_id,), numbers)}"
                )
            )
        console.print()
    console.print(Text("Indicators to watch", style="bold"))
    for line in a.watch:
        console.print(Text(f"• {line}"))
    console.print()
    console.print(Text("Sources", style="bold"))
    for doc, n in numbers.items():
        row = a.documents[doc]
        console.print(
            Text(
                f"[{n}] {doc}  {row.get('date') or 'undated'}  {row.get('outlet') or ''}  "
                f"{row.get('title') or row.get('source') or ''}"
            )
        )


def _md(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def render_markdown(assessment: Assessment) -> str:
    """The assessment as a Markdown page: the first page of an analyst's assessment."""
    a, v = assessment, assessment.verdict
    numbers = {doc: n for n, doc in enumerate(a.documents, 1)}
    scope = ", ".join(a.country_names) or "all places"
    if a.admin1:
        scope = f"{a.admin1}, {scope}"
    lines = [
        f"# Threat assessment: {_md(a.actor)}",
        "",
        f"*{_md(scope)} · {a.since} – {a.until}"
        + (f" · baseline {a.baseline_since} – {a.baseline_until}*" if a.baseline_since else "*"),
        "",
        f"**{_md(v.summary)}** Level {v.level} (score {v.score} of 10), trend {v.trend} "
        f"({_md(v.trend_basis)}), confidence {v.confidence}.",
        "",
        "## Key judgments",
        "",
    ]
    lines += [f"- {_md(j.text)} {_citations(j.cites, numbers)}" for j in a.judgments]
    lines += [
        "",
        "## Indicators",
        "",
        "| indicator | value | baseline | change | unit | evidence |",
        "|---|---:|---:|---:|---|---:|",
    ]
    lines += [
        f"| {i.name} | {value_text(i.value, i.unit)} | {value_text(i.baseline, i.unit)} | "
        f"{change_text(i)} | {_md(i.unit)} | {len(i.evidence)} |"
        for i in a.indicators
    ]
    if a.monthly:
        lines += [
            "",
            f"Events per month: `{sparkline([m.events for m in a.monthly])}` "
            f"({a.monthly[0].month} – {a.monthly[-1].month})",
        ]
    if a.capabilities:
        lines += [
            "",
            "## Capabilities (claims ledger)",
            "",
            "| capability | scope | estimates | as of | sources | conflict |",
            "|---|---|---|---|---|---|",
        ]
        for c in a.capabilities:
            sources = "; ".join(
                f"{_md(s.attributed_to or ', '.join(s.outlets))} {_citations(s.doc_ids, numbers)}"
                for s in c.sources
            )
            values = "; ".join(_md(s.value) for s in c.sources)
            lines.append(
                f"| {_md(c.label)} | {_md(c.scope or '—')} | {values} | {c.as_of} | "
                f"{sources} | {'yes' if c.conflict else ''} |"
            )
    if a.statements:
        lines += ["", "## What others judge", ""]
        for s in a.statements:
            who = _md(s.source or f"{s.outlet} (the outlet)")
            hedge = f", {_md(s.hedge)}" if s.hedge else ""
            lines.append(
                f"- **{s.stance}**{hedge}: {who}, {s.date or 'undated'}: “{_md(s.text)}” "
                f"{_citations((s.doc_id,), numbers)}"
            )
    lines += ["", "## Indicators to watch", ""] + [f"- {_md(w)}" for w in a.watch]
    lines += ["", "## Sources", ""]
    for doc, n in numbers.items():
        row = a.documents[doc]
        lines.append(
            f"{n}. `{doc}` {row.get('date') or 'undated'} {_md(row.get('outlet'))}: "
            f"{_md(row.get('title') or row.get('source'))}"
        )
    return "\n".join(lines) + "\n"

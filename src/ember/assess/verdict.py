"""The verdict: a threat level and trend from an explicit formula over the indicators, a
confidence from the amount, diversity and corroboration of the evidence, key judgments in
estimative language, and the indicators to watch. The formula, its weights and
thresholds are data (``data/assess/verdict.json``) and docs/assess.md spells them out:

- **activity** = per_log10 × log10(1 + impact), impact = (events + 3 × killed + 0.5 ×
  wounded + 0.5 × kidnapped) a year (the Global Terrorism Index's weights), where events
  and killed are the larger of what ember counts and what the documents tally;
- plus **points** for capability (fighters, funds, detainees), reach abroad, spread
  across divisions and danger to civilians (ACLED's Conflict Index);
- the **level** bands the sum; the **trend** comes from the event tempo when the test can
  tell, else from the balance of the sources' judgments, else it is unclear;
- **confidence** adds points for documents, outlets, corroboration and dated events;
- **likelihood** (ICD 203's words) is the share of evidence strands that agree with the
  bottom line (activity, capability, reach, each source's judgment, the tempo)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..analyze.brief import month_label
from ..analyze.corroborate import MergedEvent
from .model import Capability, Indicator, Judgment, Statement, Verdict
from .scope import Window, assess_data

__all__ = ["Inputs", "key_judgments", "stepped", "verdict", "watch_list"]

_MAX_CITES = 6


@cache
def _words() -> dict[str, Any]:
    return assess_data("judgments.json")


def _say(kind: str, **fields: Any) -> str:
    return str(_words()["sentences"][kind]).format(**fields)


def stepped(value: float, steps: Sequence[Sequence[Any]]) -> Any:
    """The points (or label) of the first step whose threshold ``value`` reaches, from
    the highest; 0 when it reaches none."""
    for threshold, points in steps:
        if value >= threshold:
            return points
    return 0


def _band(value: float, bands: Sequence[Sequence[Any]]) -> str:
    """The label of the first band ``value`` lies below."""
    for limit, label in bands:
        if value < limit:
            return str(label)
    return str(bands[-1][1])


@dataclass(frozen=True, slots=True, kw_only=True)
class Inputs:
    """What the verdict reads."""

    actor: str
    scope: str
    window: Window
    base: Window | None
    indicators: Mapping[str, Indicator]
    capabilities: Sequence[Capability]
    statements: Sequence[Statement]
    judgments_ledger: Mapping[str, Any]
    period_events: Sequence[MergedEvent]
    record_events: Sequence[MergedEvent]
    documents: Mapping[str, str]  # doc id -> outlet, every document the evidence cites
    figures: int


def _capability_low(capabilities: Sequence[Capability], subjects: set[str], unit: str) -> float:
    values = [c.low for c in capabilities if c.subject in subjects and c.unit == unit]
    return max(values, default=0.0)


def _components(inputs: Inputs) -> dict[str, float]:
    rules = assess_data("verdict.json")
    weights, points = rules["impact_weights"], rules["capability_points"]
    ind = inputs.indicators
    tallies = ind["tallies"]
    events = max(float(ind["tempo"].detail["events"]), float(tallies.value or 0))
    killed = max(float(ind["fatalities"].value or 0), float(tallies.detail["killed"]))
    wounded = float(ind["fatalities"].detail["wounded"])
    kidnapped = float(ind["fatalities"].detail["kidnapped"])
    impact = (
        weights["events"] * events
        + weights["fatalities"] * killed
        + weights["wounded"] * wounded
        + weights["kidnapped"] * kidnapped
    ) / max(inputs.window.years, 1 / 12)
    activity = min(
        rules["activity"]["max"], rules["activity"]["per_log10"] * math.log10(1 + impact)
    )
    caps = inputs.capabilities
    detainees = sum(_capability_low(caps, {s}, "count") for s in ("prisoners", "camp residents"))
    civilians = ind["targets"].value or 0.0
    enough = ind["tempo"].detail["events"] >= points["civilian_min_events"]
    return {
        "impact_per_year": round(impact, 1),
        "activity": round(activity, 2),
        "fighters": stepped(_capability_low(caps, {"fighters"}, "count"), points["fighters"]),
        "funds": stepped(_capability_low(caps, {"funds"}, "USD"), points["funds"]),
        "detainees": stepped(detainees, points["detainees"]),
        "reach": stepped(len(ind["reach"].detail["abroad"]), points["reach_countries"]),
        "spread": stepped(float(ind["spread_admin1"].value or 0), points["spread_admin1"]),
        "civilians": stepped(civilians, points["civilian_share"]) if enough else 0,
    }


def _source_stances(statements: Sequence[Statement]) -> dict[str, str]:
    """Each source's stance: the one it states most (ties: the later statement's)."""
    per: dict[str, Counter[str]] = {}
    for statement in statements:
        per.setdefault(statement.source or statement.outlet, Counter())[statement.stance] += 1
    return {who: counts.most_common(1)[0][0] for who, counts in per.items()}


def _trend(inputs: Inputs) -> tuple[str, str]:
    rules = assess_data("verdict.json")["trend"]
    test = inputs.indicators["tempo"].detail["test"]
    mapped = {"rising": "rising", "declining": "declining", "stable": "persisting"}
    if test["verdict"] in mapped:
        return mapped[test["verdict"]], (
            f"event tempo: {test['events']} events against {test['baseline_events']} "
            f"(p = {test['p_value']})"
        )
    stances = _source_stances(inputs.statements)
    if len(stances) >= rules["min_sources"]:
        values = rules["stance_values"]
        mean = sum(values[s] for s in stances.values()) / len(stances)
        limit = rules["stance_threshold"]
        trend = "rising" if mean > limit else "declining" if mean < -limit else "persisting"
        return trend, (f"the judgments of {len(stances)} sources (events {test['verdict']})")
    return (
        "unclear",
        f"events {test['verdict']}, and fewer than {rules['min_sources']} sources judge it",
    )


def _confidence(inputs: Inputs) -> tuple[str, dict[str, int]]:
    rules = assess_data("verdict.json")["confidence"]
    documents = len(inputs.documents)
    outlets = len(set(inputs.documents.values()))
    period = inputs.period_events
    corroborated = sum(m.corroborated for m in period)
    record = inputs.record_events
    dated = sum(m.event.date.precision in ("day", "week", "month") for m in record)
    points = stepped(documents, rules["documents"]) + stepped(outlets, rules["outlets"])
    if len(period) >= rules["corroborated_min_events"]:
        points += stepped(corroborated / len(period), rules["corroborated_share"])
    if record:
        points += stepped(dated / len(record), rules["dated_share"])
    rests_on = {
        "documents": documents,
        "outlets": outlets,
        "events": len(period),
        "record_events": len(record),
        "corroborated": corroborated,
        "figures": inputs.figures,
        "statements": len(inputs.statements),
    }
    return str(stepped(points, rules["levels"])), rests_on


def _likelihood(inputs: Inputs, trend: str) -> str:
    """ICD 203's word for the share of evidence strands agreeing that the actor is still
    a threat: activity in the window, capability, reach, each source's judgment, tempo."""
    ind = inputs.indicators
    strands: list[bool] = [
        bool(ind["tempo"].detail["events"] or ind["tallies"].value),
    ]
    fighters = _capability_low(inputs.capabilities, {"fighters"}, "count")
    if any(c.subject == "fighters" for c in inputs.capabilities):
        strands.append(fighters >= 1000)
    if any(c.subject == "funds" for c in inputs.capabilities):
        strands.append(_capability_low(inputs.capabilities, {"funds"}, "USD") >= 10_000_000)
    if ind["reach"].detail["abroad"]:
        strands.append(True)
    strands += [s != "declining" for s in _source_stances(inputs.statements).values()]
    if trend in ("rising", "persisting", "declining"):
        strands.append(trend != "declining")
    share = sum(strands) / len(strands)
    rules = assess_data("verdict.json")["likelihood"]
    if len(strands) < rules["min_strands"]:
        # Too few strands to be surer than "likely" (or less sure than "unlikely").
        share = min(max(share, rules["few_strands_floor"]), rules["few_strands_ceiling"])
    return _band(share, rules["scale"])


def _trend_phrase(trend: str) -> str:
    return "of unclear direction" if trend == "unclear" else trend


def verdict(inputs: Inputs) -> Verdict:
    """The level, trend, confidence and one-line summary."""
    components = _components(inputs)
    score = min(10.0, sum(v for k, v in components.items() if k != "impact_per_year"))
    level = _band(score, assess_data("verdict.json")["levels"])
    trend, basis = _trend(inputs)
    confidence, rests_on = _confidence(inputs)
    lost = inputs.indicators["territory"].detail["losses"]
    gained = inputs.indicators["territory"].detail["gains"]
    kind = "summary_territory" if lost and lost > gained else "summary"
    summary = _say(
        kind, actor=inputs.actor, level=level, trend=_trend_phrase(trend), confidence=confidence
    )
    return Verdict(
        level=level,
        trend=trend,
        confidence=confidence,
        summary=summary,
        score=round(score, 2),
        components=components,
        trend_basis=basis,
        likelihood=_likelihood(inputs, trend),
        rests_on=rests_on,
    )


# --- key judgments ------------------------------------------------------------------


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _listed(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _figure(value: float, unit: str) -> str:
    if unit == "USD":
        if value >= 1e9:
            return f"${value / 1e9:,.1f} billion".replace(".0 ", " ")
        if value >= 1e6:
            return f"${value / 1e6:,.0f} million"
        return f"${value:,.0f}"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text if unit == "count" else f"{text} {unit}"


def _cites(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(doc for group in groups for doc in group))[:_MAX_CITES]


def _period(window: Window) -> str:
    first, last = month_label(window.since.isoformat()), month_label(window.until.isoformat())
    return first if first == last else f"{first} – {last}"


def _bottom_line(inputs: Inputs, result: Verdict) -> Judgment | None:
    changes = [
        c for c in inputs.indicators["territory"].detail["changes"] if c["direction"] == "loss"
    ]
    losses = _listed(
        [
            f"{c['place'] or 'a place'} {c['date'][:7] if c['date'] else ''}".strip()
            for c in changes[:4]
        ]
    )
    clause = _say("territory_clause", losses=losses) if changes else ""
    text = _say(
        "bottom_line",
        actor=inputs.actor,
        likelihood=result.likelihood,
        level=result.level,
        scope=inputs.scope,
        territory_clause=clause,
        trend_phrase=_trend_phrase(result.trend),
    )
    cites = _cites(
        [d for c in changes for d in c["doc_ids"]],
        [d for e in inputs.indicators["tempo"].evidence for d in e.doc_ids],
        [d for e in inputs.indicators["tallies"].evidence for d in e.doc_ids],
        [d for c in inputs.capabilities for s in c.sources for d in s.doc_ids],
        [s.doc_id for s in inputs.statements],
    )
    return Judgment(text=text, cites=cites, kind="bottom_line") if cites else None


def _tempo(inputs: Inputs) -> list[Judgment]:
    ind = inputs.indicators
    tempo, killed = ind["tempo"], ind["fatalities"]
    test = tempo.detail["test"]
    baseline = ""
    if inputs.base is not None:
        baseline = _say(
            "baseline_clause",
            baseline_events=tempo.detail["baseline_events"],
            baseline_months=round(inputs.base.months),
            test=test["verdict"]
            if test["p_value"] is None
            else f"{test['verdict']}, p = {test['p_value']}",
        )
    out: list[Judgment] = []
    period = _period(inputs.window)
    docs = [d for e in tempo.evidence for d in e.doc_ids]
    if tempo.detail["events"]:
        text = _say(
            "tempo",
            period=period,
            events=_plural(tempo.detail["events"], "attack"),
            actor=_actor_word(inputs.actor),
            per_month=tempo.value,
            killed=_plural(int(killed.value or 0), "person", "people"),
            baseline_clause=baseline,
        )
        out.append(Judgment(text=text, cites=_cites(docs), kind="tempo"))
    tallies = ind["tallies"]
    if tallies.value:
        rows = tallies.detail["tallies"]
        told = _listed([_tally_words(r) for r in rows])
        text = _say("tally", tallies=told)
        out.append(
            Judgment(text=text, cites=_cites([d for r in rows for d in r["doc_ids"]]), kind="tally")
        )
    if not out and inputs.record_events:
        text = _say(
            "tempo_none", period=period, actor=_actor_word(inputs.actor), baseline_clause=baseline
        )
        docs = [d for m in inputs.record_events for d in m.doc_ids]
        out.append(Judgment(text=text, cites=_cites(docs), kind="tempo"))
    return out


def _tally_words(row: Mapping[str, Any]) -> str:
    where = f" in {row['scope']}" if row["scope"] else ""
    killed = f", in which {row['killed']:,} were killed" if row["killed"] else ""
    return f"{row['attacks']:,} attacks{where} ({row['as_of']}){killed}"


def _abroad_words(row: Mapping[str, Any]) -> str:
    what = ", ".join(row["sub_events"][:2]).lower()
    when = f", {row['dates'][0][:7]}" if row["dates"] else ""
    return f"{row['country']} ({what}{when})"


def _actor_word(actor: str) -> str:
    return "all actors" if actor == "all" else actor


def _mo(inputs: Inputs) -> Judgment | None:
    mo = inputs.indicators["modus_operandi"]
    mix: dict[str, float] = mo.detail["mix"]
    if not mix or (mo.detail["sub_events"] and sum(mo.detail["sub_events"].values()) < 2):
        return None
    top = sorted(mix.items(), key=lambda kv: -kv[1])[:3]
    share = mo.value or 0.0
    signature = (
        "signature_insurgency"
        if share >= 0.6
        else ("signature_territorial" if share <= 0.3 else "signature_mixed")
    )
    text = _say(
        "mo",
        mix=_listed([f"{name} ({round(v * 100)} %)" for name, v in top]),
        signature=_words()["sentences"][signature],
    )
    return Judgment(
        text=text, cites=_cites([d for e in mo.evidence for d in e.doc_ids]), kind="modus_operandi"
    )


def _spread(inputs: Inputs) -> Judgment | None:
    spread = inputs.indicators["spread_admin1"]
    areas = spread.detail["areas"]
    if len(areas) < 2:
        return None
    new = spread.detail["new_areas"]
    text = _say(
        "spread",
        areas=_plural(len(areas), "first-level division")
        + f" ({_listed(areas[:5])}"
        + (", ..." if len(areas) > 5 else "")
        + ")",
        new_clause=_say("new_clause", new=_listed(new[:5])) if new else "",
    )
    return Judgment(
        text=text, cites=_cites([d for e in spread.evidence for d in e.doc_ids]), kind="spread"
    )


def _all_vague(cap: Capability) -> bool:
    return all(not any(ch.isdigit() for ch in s.value) for s in cap.sources)


def _capability_judgments(inputs: Inputs) -> list[Judgment]:
    out = []
    shown: Counter[str] = Counter()
    for cap in inputs.capabilities:
        if shown[cap.subject] >= 2 or cap.subject == "provinces" or _all_vague(cap):
            continue
        shown[cap.subject] += 1
        sources = _listed(
            [f"{s.attributed_to or ', '.join(s.outlets)} {s.as_of}" for s in cap.sources[:4]]
        )
        text = _say(
            "capability",
            label=cap.label,
            scope=f" in {cap.scope}" if cap.scope else "",
            low=_figure(cap.low, cap.unit),
            high=_figure(cap.high, cap.unit),
            as_of=cap.as_of,
            sources=sources,
            conflict=_words()["sentences"]["capability_conflict"] if cap.conflict else "",
        )
        if cap.low == cap.high:
            text = text.replace(f"range from {_figure(cap.low, cap.unit)} to ", "stand at ")
        out.append(
            Judgment(
                text=text,
                cites=_cites([d for s in cap.sources for d in s.doc_ids]),
                kind="capability",
            )
        )
    return out


def _reach(inputs: Inputs) -> list[Judgment]:
    reach = inputs.indicators["reach"].detail
    out = []
    if reach["abroad"]:
        abroad = _listed([_abroad_words(c) for c in reach["abroad"][:5]])
        text = _say("reach", home=_listed(reach["home"]) or "its home", abroad=abroad)
        out.append(
            Judgment(
                text=text,
                cites=_cites([d for c in reach["abroad"] for d in c["doc_ids"]]),
                kind="reach",
            )
        )
    if reach["affiliates"]:
        text = _say("affiliates", affiliates=_listed([a["name"] for a in reach["affiliates"]]))
        out.append(
            Judgment(
                text=text,
                cites=_cites([d for a in reach["affiliates"] for d in a["doc_ids"]]),
                kind="reach",
            )
        )
    return out


def _leaders(inputs: Inputs) -> Judgment | None:
    leaders = inputs.indicators["leadership"].detail["leaders"]
    if not leaders:
        return None
    text = _say(
        "leaders",
        leaders=_listed([f"{p['name']} ({p['role']}, {p['status']})" for p in leaders[:5]]),
    )
    return Judgment(
        text=text, cites=_cites([d for p in leaders for d in p["doc_ids"]]), kind="leadership"
    )


def _judges(inputs: Inputs) -> list[Judgment]:
    ledger = inputs.judgments_ledger
    out = []
    for stance in ("rising", "persisting"):
        rows = ledger["sources"][stance]
        if rows:
            text = _say("judges", stance=stance, sources=_listed([r["source"] for r in rows[:6]]))
            out.append(
                Judgment(
                    text=text,
                    cites=_cites([d for r in rows for d in r["doc_ids"]]),
                    kind="judgments",
                )
            )
    rows = ledger["sources"]["declining"]
    if rows:
        text = _say("dissent", sources=_listed([r["source"] for r in rows[:6]]))
        out.append(
            Judgment(
                text=text, cites=_cites([d for r in rows for d in r["doc_ids"]]), kind="judgments"
            )
        )
    return out


def _confidence_judgments(inputs: Inputs, result: Verdict) -> list[Judgment]:
    rests = result.rests_on
    if not inputs.documents:
        return []
    corroborated = f" ({rests['corroborated']} corroborated)" if rests["events"] else ""
    text = _say(
        "confidence",
        confidence=result.confidence,
        documents=_plural(rests["documents"], "document"),
        outlets=_plural(rests["outlets"], "outlet"),
        events=_plural(rests["events"], "event") + " in the window",
        corroborated=corroborated,
        figures=_plural(rests["figures"], "figure") + " from the ledger",
    )
    cites = tuple(inputs.documents)[:_MAX_CITES]
    out = [Judgment(text=text, cites=cites, kind="confidence")]
    if result.confidence == "low":
        out.append(Judgment(text=_say("little"), cites=cites, kind="confidence"))
    return out


def key_judgments(inputs: Inputs, result: Verdict) -> list[Judgment]:
    """The key judgments, bottom line first; each cites its documents (a judgment with
    nothing to cite is left out)."""
    found = [
        _bottom_line(inputs, result),
        *_tempo(inputs),
        _mo(inputs),
        _spread(inputs),
        *_capability_judgments(inputs),
        _leaders(inputs),
        *_reach(inputs),
        *_judges(inputs),
        *_confidence_judgments(inputs, result),
    ]
    return [j for j in found if j is not None and j.cites]


def watch_list(inputs: Inputs, result: Verdict) -> list[str]:
    """The indicators that would change the judgment, from what the assessment holds."""
    words = _words()["watch"]
    ind = inputs.indicators
    tempo = float(ind["tempo"].value or 0.0)
    out = []
    threshold = max(1.0, round(tempo * 1.25 + 0.5))
    out.append(words["tempo_up"].format(threshold=f"{threshold:g}", now=f"{tempo:g}"))
    if tempo >= 1:
        out.append(
            words["tempo_down"].format(threshold=f"{round(tempo * 0.8, 1):g}", now=f"{tempo:g}")
        )
    areas = ind["spread_admin1"].detail["areas"]
    if areas:
        out.append(words["spread"].format(areas=_listed(areas[:4])))
    if ind["territory"].detail["losses"] and not ind["territory"].detail["gains"]:
        out.append(words["territory"])
    leaders = [p["name"] for p in ind["leadership"].detail["leaders"] if p["status"] == "named"]
    if leaders:
        out.append(words["leaders"].format(leaders=_listed(leaders[:3])))
    detainees = [c for c in inputs.capabilities if c.subject in ("prisoners", "camp residents")]
    if detainees:
        held = _listed(
            [
                f"{_figure(c.low, c.unit)}{' in ' + c.scope if c.scope else ''}"
                for c in detainees[:3]
            ]
        )
        out.append(words["detainees"].format(detainees=held))
    fighters = [c for c in inputs.capabilities if c.subject == "fighters"]
    if fighters:
        out.append(
            words["fighters"].format(
                fighters=f"{_figure(fighters[0].low, 'count')}–{_figure(fighters[0].high, 'count')}"
            )
        )
    abroad = [c["country"] for c in ind["reach"].detail["abroad"]]
    if abroad:
        out.append(words["reach"].format(abroad=_listed(abroad[:4])))
    stances = Counter(_source_stances(inputs.statements).values())
    if stances:
        out.append(words["judgments"].format(stance=stances.most_common(1)[0][0]))
    return out

"""``ember eval assess``: the assessment's regional and monthly figures end to end.

ACLED's notes are ingested as documents (each note's text, its event date as the
publication date) into a throwaway SQLite store and analysed as ``ember ingest`` does;
``ember assess --actor all`` over the gold rows' countries and months then gives events
per first-level division and events and fatalities per month, compared with the same
figures computed from the coded rows of political violence (Battles, Explosions/Remote
violence, Violence against civilians):

- ``spearman_admin1``: Spearman's rank correlation of events per division (every
  division either side has, 0 where one has none; ember's events placed only in a
  country are left out and counted);
- ``monthly_events_within_15`` / ``monthly_fatalities_within_15``: the share of months
  whose total is within 15 % of the coded one;
- ``events_total_error`` / ``fatalities_total_error``: the relative error of the totals.

The gold's admin1 names are matched to the gazetteer's in any spelling it knows
("Ninewa" is Nineveh). Every figure is printed; none is pass or fail."""

from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..assess import ALL, AssessFilters, assess, country_code
from ..assess.scope import admin1_names, assess_data
from ..errors import ConfigError
from ..nlp.fold import fold

__all__ = ["evaluate_assess", "format_assess_table"]

_NEEDED = ("notes", "event_date", "event_type", "country", "admin1", "fatalities")
_WITHIN = 0.15


def _read(path: Path, limit: int | None) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [c for c in _NEEDED if c not in (reader.fieldnames or [])]
            if missing:
                raise ConfigError(f"{path}: not ACLED rows (no column {', '.join(missing)})")
            rows = [row for _, row in zip(range(limit or 10**9), reader, strict=False)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not rows:
        raise ConfigError(f"{path}: no rows")
    return rows


def _ember_assessments(
    rows: Sequence[Mapping[str, str]], countries: tuple[str, ...]
) -> tuple[Any, Any]:
    """``ember assess --actor all`` over the gold's countries and months, and the same
    over all places (which shows what place resolution loses)."""
    from ..analyze.ledger import parse_day
    from ..scale import analyze_stored, ingest_inputs, plan_sources
    from ..settings import load_settings
    from ..store import Store

    days = sorted(row["event_date"][:10] for row in rows)
    with tempfile.TemporaryDirectory(prefix="ember-eval-assess-") as folder:
        notes = Path(folder) / "notes.jsonl"
        with notes.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({"text": row["notes"], "published": row["event_date"]}) + "\n")
        url = f"sqlite:///{Path(folder) / 'eval.db'}"
        settings = load_settings(db_url=url)
        with Store.open(url) as store:
            inputs = [str(notes)]
            ingest_inputs(inputs, store=store, settings=settings, plan=plan_sources(inputs))
            analyze_stored(store, force=False)
            filters = AssessFilters(
                actor=ALL,
                countries=countries,
                since=parse_day(days[0][:7]),
                until=parse_day(days[-1][:7], last=True),
                no_baseline=True,
            )
            scoped = assess(store, filters, with_statements=False)
            unscoped = assess(store, replace(filters, countries=()), with_statements=False)
            return scoped, unscoped


def _relative(predicted: float, gold: float) -> float | None:
    return None if gold == 0 else round((predicted - gold) / gold, 4)


def _spearman(pairs: Sequence[tuple[int, int]]) -> float | None:
    from scipy.stats import spearmanr

    if len(pairs) < 3 or len({p for p, _ in pairs}) < 2 or len({g for _, g in pairs}) < 2:
        return None
    result = spearmanr([p for p, _ in pairs], [g for _, g in pairs])
    return round(float(result.statistic), 4)


def evaluate_assess(gold: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Regional and monthly figures of ``ember assess --actor all`` against ACLED rows."""
    rows = _read(gold, limit)
    violent = set(assess_data("indicators.json")["violent_types"])
    codes = {name: country_code(name) for name in {row["country"] for row in rows}}
    countries = tuple(sorted(set(codes.values())))
    assessment, everywhere = _ember_assessments(rows, countries)
    coded = [row for row in rows if row["event_type"] in violent]
    names = {name: code for code, name in zip(countries, assessment.country_names, strict=True)}
    # Regions: ember's (country code, gazetteer admin1), gold's matched onto them.
    ember: Counter[tuple[str, str]] = Counter()
    unplaced = 0
    for region in assessment.regions:
        code = names.get(region.country or "")
        if code is None or region.admin1 is None:
            unplaced += region.events
            continue
        ember[(code, region.admin1)] += region.events
    gold_regions: Counter[tuple[str, str]] = Counter()
    for row in coded:
        code = codes[row["country"]]
        spellings = admin1_names(row["admin1"], code) | {row["admin1"]}
        match = next(
            (key for key in ember if key[0] == code and (key[1] in spellings
             or fold(key[1]) == fold(row["admin1"]))),
            (code, row["admin1"]),
        )  # fmt: skip
        gold_regions[match] += 1
    keys = sorted(set(ember) | set(gold_regions))
    pairs = [(ember[key], gold_regions[key]) for key in keys]
    gold_months: Counter[str] = Counter(row["event_date"][:7] for row in coded)
    gold_dead: Counter[str] = Counter()
    for row in coded:
        gold_dead[row["event_date"][:7]] += int(row["fatalities"] or 0)
    months = [
        {
            "month": m.month,
            "events": m.events,
            "gold_events": gold_months[m.month],
            "events_error": _relative(m.events, gold_months[m.month]),
            "fatalities": m.fatalities,
            "gold_fatalities": gold_dead[m.month],
            "fatalities_error": _relative(m.fatalities, gold_dead[m.month]),
        }
        for m in assessment.monthly
    ]

    def within(key: str) -> float:
        errors = [m[key] for m in months if m[key] is not None]
        return round(sum(abs(e) <= _WITHIN for e in errors) / len(errors), 4) if errors else 0.0

    events, dead = (
        sum(m.events for m in assessment.monthly),
        sum(m.fatalities for m in assessment.monthly),
    )
    return {
        "suite": "assess",
        "format": "acled",
        "n": len(rows),
        "metrics": {
            "spearman_admin1": _spearman(pairs),
            "monthly_events_within_15": within("events_error"),
            "monthly_fatalities_within_15": within("fatalities_error"),
            "events_total_error": _relative(events, len(coded)),
            "fatalities_total_error": _relative(dead, sum(gold_dead.values())),
        },
        "all_places": {
            "events_total_error": _relative(sum(m.events for m in everywhere.monthly), len(coded)),
            "fatalities_total_error": _relative(
                sum(m.fatalities for m in everywhere.monthly), sum(gold_dead.values())
            ),
            "months": [
                {"month": m.month, "events": m.events, "fatalities": m.fatalities}
                for m in everywhere.monthly
            ],
        },
        "coded_events": len(coded),
        "ember_events": events,
        "unplaced_events": unplaced,
        "regions": [
            {"country": c, "admin1": a, "ember": ember[(c, a)], "gold": gold_regions[(c, a)]}
            for c, a in keys
        ],
        "months": months,
    }


def format_assess_table(result: Mapping[str, Any]) -> str:
    metrics = result["metrics"]

    def rate(value: float | None) -> str:
        return "n/a" if value is None else f"{value:+.1%}"

    lines = [
        f"ember assess --actor all vs ACLED coded rows ({result['n']} notes, "
        f"{result['coded_events']} coded events of political violence, "
        f"{result['ember_events']} ember events placed in a month)",
        f"  Spearman per admin1            {metrics['spearman_admin1']}",
        f"  months, events within 15 %     {metrics['monthly_events_within_15']:.0%}",
        f"  months, fatalities within 15 % {metrics['monthly_fatalities_within_15']:.0%}",
        f"  events total error             {rate(metrics['events_total_error'])}",
        f"  fatalities total error         {rate(metrics['fatalities_total_error'])}",
        f"  ember events placed only in a country: {result['unplaced_events']}",
        "  month     events (gold)   fatalities (gold)",
    ]
    everywhere = result["all_places"]
    for m, anywhere in zip(result["months"], everywhere["months"], strict=False):
        lines.append(
            f"  {m['month']}   {m['events']:>4} ({m['gold_events']:>4})   "
            f"{m['fatalities']:>5} ({m['gold_fatalities']:>5})   "
            f"all places: {anywhere['events']:>4} events, {anywhere['fatalities']:>4} killed"
        )
    lines.append(
        f"  all places (no country scope): events total {rate(everywhere['events_total_error'])}, "
        f"fatalities total {rate(everywhere['fatalities_total_error'])}"
    )
    return "\n".join(lines)

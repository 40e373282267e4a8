"""The events suite: ember's events against independently coded gold events.

Three gold formats, recognised from their columns (the header row):

- **ACLED** (``notes``, ``event_type``, ``sub_event_type``, ``event_date``, ``latitude``,
  ``longitude``, ``admin1``, ``fatalities``, ``actor1``): ember reads ``notes`` alone, with
  no publication date;
- **CASE 2021** (tab-separated ``EventSnippet``, ``SubType``): ember reads the snippet, no
  publication date;
- **RAND** (``Description``, ``Date``, ``City``, ``Weapon``, ``Injuries``, ``Fatalities``):
  ember reads the description with ``Date`` as the publication date.

Three real-prose formats, JSON lines recognised from the fields of the first record
(``prose.detect_prose_format``), each scored by its own module on whole documents:
IndiaPoliceEvents (``ipe``), WikiEvents (``wikievents``) and MUC-4 (``muc4``).

The *primary* event is the one ember ranks first. Every rate is a fraction of the rows it
is defined on (``counts`` in the result gives each denominator). Decisions, stated once:

- a row where ember finds no event scores a miss on every per-event metric (event type,
  date, place, counts, actor), never a hit by default;
- fatalities and injuries: a count ember leaves as None means "none reported", which ACLED
  and RAND code as 0, so None matches a gold 0 (and nothing else);
- date: a hit when the primary event's date has precision ``day`` and starts and ends on
  the gold day;
- location: a hit when the primary event's location has coordinates within 25 km
  (haversine) of the gold latitude/longitude;
- admin1 and RAND city: names compared after folding (ASCII transliteration, case,
  punctuation and spacing, a leading article "al"/"el"/"ad"/"ar"/"as"/...), so "Al-Hasakah"
  and "Hasakah" are one; admin1 also matches on ember's transliteration key
  (``nlp.fold.place_key``), because ACLED and GeoNames spell one province differently
  ("Al Hasakeh" and "Al-Hasakah", "Duhok" and "Dihok"), and on the gazetteer's names for
  ACLED's spelling ("Ninewa" is Nineveh, "Erbil" Arbil, "Rural Damascus" Rif-dimashq);
- actor1: the gold actor1 without its parentheses ("Military Forces of Syria (2000-)" ->
  "Military Forces of Syria") matches when the token-set similarity (as ``token_set_ratio``
  in fuzzywuzzy/rapidfuzz, on lowercased ``\\w+`` tokens, difflib ratio) is >= 0.8 against
  any of ember's actor1, actor1_text, actor2, actor2_text. As in those libraries, a name
  whose tokens all occur in the other scores 1.0;
- CASE: ``SubType`` maps to an ACLED sub-event type (``CASE_TO_ACLED``). Sub-event
  accuracy, macro-F1 and event-type accuracy are computed over the rows with a mapped label;
  macro-F1 averages the per-label F1 over the labels present in those gold rows (a wrong
  prediction there is a false positive for the predicted label when that label is among
  them). The rows labelled outside ACLED (``CASE_OUTSIDE_ACLED``) give ``no_event_outside``:
  the share for which ember reports no event at all;
- RAND weapon: over the rows whose weapon maps (``RAND_WEAPON_EVENT_TYPES``), a hit when the
  primary event's event type is one the weapon allows; city: over the rows with a City, a hit
  when any extracted event's location name or canonical name matches it.

A missing or unreadable file, a header that matches no format, or a row with a malformed
value raises ``ConfigError`` naming the file and line. An ``EmberError`` that ember raises
on one row is recorded under ``errors`` and the row counts as "no event"."""

from __future__ import annotations

import csv
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError, EmberError
from ..nlp.fold import place_key
from ..records import Event
from ..taxonomy import event_type_of
from .ipe import IPE
from .measures import Tally as _Tally
from .measures import f1_score, fold_name, token_set_similarity
from .muc4 import MUC4
from .prose import AnalyzeDocuments, ProseSuite, detect_prose_format
from .wikievents import WIKIEVENTS

__all__ = [
    "CASE_OUTSIDE_ACLED",
    "CASE_TO_ACLED",
    "RAND_WEAPON_EVENT_TYPES",
    "Analyze",
    "GoldFormat",
    "detect_format",
    "evaluate_events",
    "fold_name",
    "format_events_table",
    "haversine_km",
    "token_set_similarity",
]

Analyze = Callable[[str, str | None], Sequence[Event]]
GoldFormat = Literal["acled", "case", "rand", "ipe", "wikievents", "muc4"]

CASE_TO_ACLED: Mapping[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "CHEM_WEAP": "Chemical weapon",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "SEX_VIOL": "Sexual violence",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
CASE_OUTSIDE_ACLED: frozenset[str] = frozenset(
    {"DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"}
)
RAND_WEAPON_EVENT_TYPES: Mapping[str, frozenset[str]] = {
    "Explosives": frozenset({"Explosions/Remote violence"}),
    "Remote-detonated explosive": frozenset({"Explosions/Remote violence"}),
    "Firearms": frozenset({"Battles", "Violence against civilians"}),
}

_REQUIRED: Mapping[GoldFormat, tuple[str, ...]] = {
    "acled": (
        "notes",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "admin1",
        "latitude",
        "longitude",
        "fatalities",
    ),
    "case": ("EventSnippet", "SubType"),
    "rand": ("Description", "Date", "City", "Weapon", "Injuries", "Fatalities"),
}
_ACLED_METRICS = (
    "detection",
    "event_type",
    "sub_event_type",
    "date",
    "location_25km",
    "admin1",
    "fatalities",
    "actor1",
)
_LOCATION_KM = 25.0
_ACTOR_SIMILARITY = 0.8
_EARTH_RADIUS_KM = 6371.0088
_PARENTHESES = re.compile(r"\([^)]*\)")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- small measures, public so tests and other suites can share them ---------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- reading gold files ------------------------------------------------------------------


def _read_header(path: Path) -> tuple[list[str], str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except FileNotFoundError as exc:
        raise ConfigError(f"gold file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return [column.strip() for column in header], delimiter


def detect_format(path: Path) -> GoldFormat:
    """Which gold format ``path`` holds, judged from its header row (JSON lines: from
    the fields of its first record)."""
    prose = detect_prose_format(path)
    if prose == "polnear":
        raise ConfigError(f"{path}: PolNeAR attributions are scored by `ember eval claims`")
    if prose is not None:
        return prose
    header, _ = _read_header(path)
    present = set(header)
    for name, columns in _REQUIRED.items():
        if set(columns) <= present:
            return name
    raise ConfigError(
        f"{path}: unknown gold format (columns {', '.join(header[:8]) or 'none'}); expected "
        "ACLED (notes, event_type, ...), CASE 2021 (EventSnippet, SubType) or RAND "
        "(Description, Date, City, Weapon, ...)"
    )


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: dict[str, str]


def _rows(path: Path, limit: int | None) -> Iterator[_Row]:
    _, delimiter = _read_header(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            for count, values in enumerate(reader):
                if limit is not None and count >= limit:
                    return
                if None in values:
                    raise ConfigError(f"{path}:{reader.line_num}: more fields than the header")
                yield _Row(reader.line_num, {k: (v or "").strip() for k, v in values.items()})
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc


def _int(path: Path, row: _Row, column: str) -> int:
    raw = row.values[column]
    try:
        value = int(float(raw)) if raw else 0
    except ValueError as exc:
        raise ConfigError(f"{path}:{row.line}: {column} is not a number: {raw!r}") from exc
    if value < 0:
        raise ConfigError(f"{path}:{row.line}: {column} is negative: {raw!r}")
    return value


def _float(path: Path, row: _Row, column: str) -> float:
    raw = row.values[column]
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{path}:{row.line}: {column} is not a number: {raw!r}") from exc


def _day(path: Path, row: _Row, column: str) -> str:
    raw = row.values[column]
    if not _ISO_DAY.match(raw):
        raise ConfigError(f"{path}:{row.line}: {column} is not a YYYY-MM-DD date: {raw!r}")
    return raw


def _text(path: Path, row: _Row, column: str) -> str:
    text = row.values[column]
    if not text:
        raise ConfigError(f"{path}:{row.line}: {column} is empty")
    return text


# --- running ember -----------------------------------------------------------------------


def _default_analyze() -> Analyze:
    # Imported here: the pipeline is heavy (spaCy, gazetteer) and tests pass their own.
    from ..scale.pipeline import analyze_text  # type: ignore[import-not-found,unused-ignore]

    def analyze(text: str, published: str | None) -> Sequence[Event]:
        events: Sequence[Event] = analyze_text(text, published=published)
        return events

    return analyze


@dataclass(slots=True)
class _Run:
    """The analyzer plus the per-row errors it raised."""

    analyze: Analyze
    errors: list[dict[str, Any]] = field(default_factory=list)

    def events(self, line: int, text: str, published: str | None) -> Sequence[Event]:
        try:
            return list(self.analyze(text, published))
        except EmberError as exc:
            self.errors.append({"line": line, "reason": str(exc)})
            return []


def _count_matches(predicted: int | None, gold: int) -> bool:
    return (predicted or 0) == gold


# --- ACLED -------------------------------------------------------------------------------


def _date_hit(event: Event, day: str) -> bool:
    date = event.date
    return date.precision == "day" and date.start == day and date.end == day


def _location_hit(event: Event, lat: float, lon: float) -> bool:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return False
    return haversine_km(loc.lat, loc.lon, lat, lon) <= _LOCATION_KM


def _admin1_hit(event: Event, admin1: str) -> bool:
    loc = event.location
    if not (loc and loc.admin1 and admin1):
        return False
    if fold_name(loc.admin1) == fold_name(admin1) or place_key(loc.admin1) == place_key(admin1):
        return True
    return loc.admin1 in _admin1_names(admin1, loc.country)


@cache
def _admin1_names(written: str, country: str | None) -> frozenset[str]:
    """The gazetteer's names of the provinces ``written`` (ACLED's spelling) can be in
    ``country``: "Ninewa" is Nineveh, "Erbil" Arbil, "Rural Damascus" Rif-dimashq."""
    from ..geo import load_gazetteer

    return frozenset(
        c.place.name
        for c in load_gazetteer().lookup(written)
        if c.place.feature == "admin1" and (country is None or c.place.country == country)
    )


def _actor_hit(event: Event, gold_actor: str) -> bool:
    wanted = _PARENTHESES.sub(" ", gold_actor).strip()
    names = (event.actor1, event.actor1_text, event.actor2, event.actor2_text)
    return any(name and token_set_similarity(wanted, name) >= _ACTOR_SIMILARITY for name in names)


def _score_acled(path: Path, row: _Row, run: _Run, tally: _Tally) -> dict[str, Any]:
    gold_day = _day(path, row, "event_date")
    lat, lon = _float(path, row, "latitude"), _float(path, row, "longitude")
    fatalities = _int(path, row, "fatalities")
    events = run.events(row.line, _text(path, row, "notes"), None)
    first = events[0] if events else None
    hits = {
        "detection": first is not None,
        "event_type": bool(first and first.event_type == row.values["event_type"]),
        "sub_event_type": bool(first and first.sub_event_type == row.values["sub_event_type"]),
        "date": bool(first and _date_hit(first, gold_day)),
        "location_25km": bool(first and _location_hit(first, lat, lon)),
        "admin1": bool(first and _admin1_hit(first, row.values["admin1"])),
        "fatalities": bool(first and _count_matches(first.fatalities, fatalities)),
        "actor1": bool(first and _actor_hit(first, row.values["actor1"])),
    }
    for metric, hit in hits.items():
        tally.add(metric, hit)
    return {
        "line": row.line,
        "id": row.values.get("event_id_cnty", ""),
        "gold": row.values["sub_event_type"],
        "predicted": first.sub_event_type if first else None,
        "events": len(events),
        "hits": sorted(m for m, hit in hits.items() if hit),
    }


def _evaluate_acled(path: Path, rows: Iterator[_Row], run: _Run) -> dict[str, Any]:
    tally = _Tally()
    scored = [_score_acled(path, row, run, tally) for row in rows]
    return {
        "n": len(scored),
        "metrics": tally.rates(_ACLED_METRICS),
        "counts": dict(tally.totals),
        "rows": scored,
    }


# --- CASE 2021 ---------------------------------------------------------------------------


def _macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, dict[str, Any]]:
    """Macro-F1 over the labels present in ``gold``, and each label's figures."""
    labels = sorted(set(gold))
    per_label: dict[str, Any] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = f1_score(precision, recall)
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "n": tp + fn}
    macro = sum(v["f1"] for v in per_label.values()) / len(labels) if labels else 0.0
    return macro, per_label


def _case_row(path: Path, row: _Row, run: _Run) -> dict[str, Any]:
    subtype = row.values["SubType"]
    if subtype not in CASE_TO_ACLED and subtype not in CASE_OUTSIDE_ACLED:
        raise ConfigError(f"{path}:{row.line}: unknown CASE SubType {subtype!r}")
    events = run.events(row.line, _text(path, row, "EventSnippet"), None)
    first = events[0] if events else None
    return {
        "line": row.line,
        "id": row.values.get("id", ""),
        "subtype": subtype,
        "gold": CASE_TO_ACLED.get(subtype),
        "predicted": first.sub_event_type if first else None,
        "predicted_event_type": first.event_type if first else None,
        "events": len(events),
    }


def _evaluate_case(path: Path, rows: Iterator[_Row], run: _Run) -> dict[str, Any]:
    scored = [_case_row(path, row, run) for row in rows]
    inside = [r for r in scored if r["gold"] is not None]
    outside = [r for r in scored if r["gold"] is None]
    gold = [r["gold"] for r in inside]
    predicted = [r["predicted"] or "none" for r in inside]
    macro, per_label = _macro_f1(gold, predicted)
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    type_right = sum(r["predicted_event_type"] == event_type_of(r["gold"]) for r in inside)
    no_event = sum(r["events"] == 0 for r in outside)
    return {
        "n": len(scored),
        "metrics": {
            "sub_event_accuracy": right / len(inside) if inside else 0.0,
            "sub_event_macro_f1": macro,
            "event_type_accuracy": type_right / len(inside) if inside else 0.0,
            "no_event_outside": no_event / len(outside) if outside else 0.0,
        },
        "counts": {"inside_acled": len(inside), "outside_acled": len(outside)},
        "per_label": per_label,
        "rows": scored,
    }


# --- RAND --------------------------------------------------------------------------------


def _city_hit(events: Sequence[Event], city: str) -> bool:
    wanted = fold_name(city)
    for event in events:
        loc = event.location
        if loc is None:
            continue
        if any(name and fold_name(name) == wanted for name in (loc.name, loc.canonical)):
            return True
    return False


def _score_rand(path: Path, row: _Row, run: _Run, tally: _Tally) -> dict[str, Any]:
    published = _day(path, row, "Date")
    fatalities = _int(path, row, "Fatalities")
    injuries = _int(path, row, "Injuries")
    events = run.events(row.line, _text(path, row, "Description"), published)
    first = events[0] if events else None
    tally.add("fatalities", bool(first and _count_matches(first.fatalities, fatalities)))
    tally.add("injuries", bool(first and _count_matches(first.wounded, injuries)))
    tally.add("detection", first is not None)
    if row.values["City"]:
        tally.add("city_found", _city_hit(events, row.values["City"]))
    allowed = RAND_WEAPON_EVENT_TYPES.get(row.values["Weapon"])
    if allowed is not None:
        tally.add("weapon", bool(first and first.event_type in allowed))
    return {
        "line": row.line,
        "weapon": row.values["Weapon"],
        "predicted_event_type": first.event_type if first else None,
        "events": len(events),
    }


def _evaluate_rand(path: Path, rows: Iterator[_Row], run: _Run) -> dict[str, Any]:
    tally = _Tally()
    scored = [_score_rand(path, row, run, tally) for row in rows]
    return {
        "n": len(scored),
        "metrics": tally.rates(("fatalities", "injuries", "city_found", "weapon")),
        "detection": tally.rates(("detection",))["detection"],
        "counts": dict(tally.totals),
        "rows": scored,
    }


_SUITES: Mapping[GoldFormat, Callable[[Path, Iterator[_Row], _Run], dict[str, Any]]] = {
    "acled": _evaluate_acled,
    "case": _evaluate_case,
    "rand": _evaluate_rand,
}


_PROSE_SUITES: Mapping[str, ProseSuite[Any]] = {"ipe": IPE, "wikievents": WIKIEVENTS, "muc4": MUC4}


def evaluate_events(
    path: Path,
    *,
    limit: int | None = None,
    analyze: Analyze | None = None,
    analyze_documents: AnalyzeDocuments | None = None,
) -> dict[str, Any]:
    """Run the events suite on the gold file ``path`` (first ``limit`` rows when given);
    the JSON object ``ember eval events`` prints. ``analyze(text, published)`` returns
    ember's events ranked, the primary first; ``analyze_documents`` reads the real-prose
    sets' documents in batches; by default the full pipeline."""
    if limit is not None and limit < 0:
        raise ConfigError(f"--limit must be 0 or more, not {limit}")
    gold_format = detect_format(path)
    if gold_format in _PROSE_SUITES:
        return _PROSE_SUITES[gold_format].evaluate(path, limit=limit, analyze=analyze_documents)
    run = _Run(analyze if analyze is not None else _default_analyze())
    started = time.perf_counter()
    body = _SUITES[gold_format](path, _rows(path, limit), run)
    seconds = time.perf_counter() - started
    return {
        "suite": "events",
        "format": gold_format,
        **body,
        "errors": run.errors,
        "seconds": round(seconds, 3),
    }


# --- the table ---------------------------------------------------------------------------

_TITLES: Mapping[str, str] = {
    "acled": "ACLED notes",
    "case": "CASE 2021 snippets",
    "rand": "RAND incident descriptions",
}


def format_events_table(result: dict[str, Any]) -> str:
    """The figures of ``evaluate_events`` as a small plain-text table."""
    if result["format"] in _PROSE_SUITES:
        return _PROSE_SUITES[result["format"]].table(result)
    counts: Mapping[str, int] = result.get("counts", {})
    lines = [
        f"events, {_TITLES.get(result['format'], result['format'])}: {result['n']} rows",
        f"{'metric':<24}{'rate':>8}{'of rows':>10}",
    ]
    for metric, rate in result["metrics"].items():
        of = counts.get(metric, _case_denominator(metric, counts, result["n"]))
        lines.append(f"{metric:<24}{rate:>8.3f}{of:>10}")
    per_label: Mapping[str, Mapping[str, Any]] = result.get("per_label", {})
    if per_label:
        lines.append(f"\n{'sub-event type':<38}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
        for label, row in per_label.items():
            lines.append(
                f"{label:<38}{row['precision']:>7.2f}{row['recall']:>7.2f}"
                f"{row['f1']:>7.2f}{row['n']:>5}"
            )
    if result.get("errors"):
        lines.append(f"ember raised an error on {len(result['errors'])} row(s) (no event)")
    return "\n".join(lines)


def _case_denominator(metric: str, counts: Mapping[str, int], n: int) -> int:
    if metric == "no_event_outside":
        return counts.get("outside_acled", n)
    return counts.get("inside_acled", n)

"""Fatality (and injury) counts of ``ember.extract.casualties`` against coded gold.

    python benchmarks/casualties.py --events ../shared/eval/events [--json] [--show N]

ACLED notes (``acled-*.csv``, gold ``fatalities``): the note is parsed with bare
``en_core_web_sm`` and its sentences' counts are combined. ACLED notes often end with a
tally sentence ("3 fatalities.", "Unknown fatalities estimated as 10."); when a note has
one it is the answer, else the sentences' counts are summed (each sentence of a note
reports a different part of the event). A note with no count is coded 0, as ACLED does.
RAND summaries (``rand-iraq-syria.csv``, gold ``Fatalities``, ``Injuries``): summed over
sentences. Also printed: the rate with plain summing and with the largest sentence, so
the choice can be checked. Figures are exact-match rates."""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ember.extract.casualties import Casualties, casualties
from ember.nlp.pipeline import load_base_model

# A sentence that only states the note's tally.
_TALLY = re.compile(r"^\W*(?:\w+ )?fatalit(?:y|ies)\b.*$|^\W*\S+ fatalit(?:y|ies)\W*$", re.I)

Combine = Callable[[list[tuple[str, Casualties]], str], int]


def _sum(parts: list[tuple[str, Casualties]], field: str) -> int:
    return sum(getattr(c, field) or 0 for _, c in parts)


def _largest(parts: list[tuple[str, Casualties]], field: str) -> int:
    return max((getattr(c, field) or 0 for _, c in parts), default=0)


def _tally_or_sum(parts: list[tuple[str, Casualties]], field: str) -> int:
    tallies = [c for text, c in parts if _TALLY.match(text) and getattr(c, field) is not None]
    if tallies:
        return int(getattr(tallies[-1], field))
    return _sum(parts, field)


def _sentences(texts: Iterable[str]) -> list[list[tuple[str, Casualties]]]:
    nlp = load_base_model()
    return [
        [(sent.text.strip(), casualties(sent)) for sent in doc.sents]
        for doc in nlp.pipe(texts, batch_size=64)
    ]


def _rate(
    parsed: list[list[tuple[str, Casualties]]], gold: list[int], field: str, combine: Combine
) -> float:
    pairs = zip(parsed, gold, strict=True)
    hits = sum(combine(parts, field) == expected for parts, expected in pairs)
    return hits / max(len(gold), 1)


def _misses(
    texts: list[str], parsed: list[list[tuple[str, Casualties]]], gold: list[int],
    field: str, combine: Combine, limit: int,
) -> None:  # fmt: skip
    shown = 0
    for text, parts, expected in zip(texts, parsed, gold, strict=True):
        got = combine(parts, field)
        if got != expected and shown < limit:
            shown += 1
            print(f"  gold {expected} got {got}: {text[:300]}")


def _int(value: str) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, default=Path("../shared/eval/events"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print N misses per figure")
    args = parser.parse_args()

    figures: dict[str, float | int] = {}
    acled = [
        row
        for name in ("acled-iraq-syria.csv", "acled-other.csv")
        for row in csv.DictReader((args.events / name).open(encoding="utf-8"))
    ]
    texts = [row["notes"] for row in acled]
    gold = [_int(row["fatalities"]) for row in acled]
    parsed = _sentences(texts)
    figures["acled_n"] = len(acled)
    for label, combine in (("", _tally_or_sum), ("_sum", _sum), ("_largest", _largest)):
        figures[f"acled_fatalities{label}"] = _rate(parsed, gold, "fatalities", combine)
    if args.show:
        print("ACLED misses:")
        _misses(texts, parsed, gold, "fatalities", _tally_or_sum, args.show)

    with (args.events / "rand-iraq-syria.csv").open(encoding="utf-8") as handle:
        rand = list(csv.DictReader(handle))
    texts = [row["Description"] for row in rand]
    parsed = _sentences(texts)
    figures["rand_n"] = len(rand)
    for field, column in (("fatalities", "Fatalities"), ("wounded", "Injuries")):
        gold = [_int(row[column]) for row in rand]
        figures[f"rand_{field}"] = _rate(parsed, gold, field, _sum)
        figures[f"rand_{field}_largest"] = _rate(parsed, gold, field, _largest)
        if args.show:
            print(f"RAND {field} misses:")
            _misses(texts, parsed, gold, field, _sum, args.show)

    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")


if __name__ == "__main__":
    main()

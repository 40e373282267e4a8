"""How often ember's actors cover ACLED's actor1: for each ACLED note, is the gold
actor1 (without its parenthesis) within token-set similarity 0.8 of an actor ember
finds in the note (canonical, ACLED or as-written name)?

    .venv/bin/python benchmarks/actors.py ../shared/eval/events/acled-*.csv [--json] [--misses N]

Token-set similarity is fuzzywuzzy's token_set_ratio (difflib ratios over the sorted
shared and unshared tokens); Jaccard on token sets is reported next to it."""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from difflib import SequenceMatcher
from pathlib import Path

import spacy

from ember.nlp.actors import actor_info, add_actor_components
from ember.nlp.pipeline import MODEL

_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"\w+")
THRESHOLD = 0.8


def tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def token_set_ratio(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    shared = " ".join(sorted(ta & tb))
    left = " ".join([shared, *sorted(ta - tb)]).strip()
    right = " ".join([shared, *sorted(tb - ta)]).strip()
    pairs = [(left, right)] + ([(shared, left), (shared, right)] if shared else [])
    return max(SequenceMatcher(None, x, y).ratio() for x, y in pairs)


def jaccard(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def names_of(doc: spacy.tokens.Doc) -> set[str]:
    names: set[str] = set()
    for span in doc.spans["actors"]:
        names.update((span.kb_id_, span.text))
        acled = actor_info(span.kb_id_).acled
        if acled:
            names.add(acled)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses")
    args = parser.parse_args()
    nlp = spacy.load(MODEL)
    add_actor_components(nlp)
    result: dict[str, dict[str, float | int]] = {}
    misses: list[tuple[str, str, list[str]]] = []
    started = time.perf_counter()
    for path in args.files:
        rows = [row for row in csv.DictReader(path.open(encoding="utf-8")) if row["actor1"]]
        hit = hit_jaccard = 0
        for row, doc in zip(rows, nlp.pipe(row["notes"] for row in rows), strict=True):
            gold = " ".join(_PAREN.sub(" ", row["actor1"]).split())
            names = names_of(doc)
            if any(token_set_ratio(gold, name) >= THRESHOLD for name in names):
                hit += 1
            else:
                misses.append((gold, row["notes"][:160], sorted(names)))
            hit_jaccard += any(jaccard(gold, name) >= THRESHOLD for name in names)
        result[path.name] = {
            "n": len(rows),
            "actor1_token_set": round(hit / len(rows), 4),
            "actor1_jaccard": round(hit_jaccard / len(rows), 4),
        }
    if args.json:
        print(json.dumps(result))
    else:
        for name, figures in result.items():
            print(f"{name}: {figures}")
        print(f"{time.perf_counter() - started:.1f}s")
    for gold, note, names in misses[: args.misses]:
        print(f"MISS {gold!r} | {names} | {note}")


if __name__ == "__main__":
    main()

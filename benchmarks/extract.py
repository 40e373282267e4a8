"""Extraction speed: ember's whole analysis (nlp, events, claims, geo) next to bare spaCy.

Both run in this process on the same synthetic report-length texts: bare
``en_core_web_sm`` ``nlp.pipe`` (batches of 16), and ember's ``analyze_many``, the function
``ember ingest`` and ``ember analyze`` run on each stored document (what they add is the
store's writes and corroboration across documents, which are not per-document analysis).
Model, gazetteer and lexicon loading are not counted: both are warmed up first on texts
that are never timed, so no per-text cache can flatter a timed run.

Each round times both on fresh texts (seed, seed + 1, ...), alternating which goes first,
so drift on a shared machine falls on both alike; the figures are the rounds' medians.
``ratio`` compares wall-clock throughput, ``cpu_ratio`` process CPU time (steadier when
other jobs share the cores).

    python benchmarks/extract.py --docs 200             # 3 rounds
    python benchmarks/extract.py --docs 200 --rounds 3 --json"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import report_texts

from ember.nlp.pipeline import load_base_model
from ember.scale.pipeline import AnalysisInput, analyze_many

_WARM_UP = 5
# Warm-up texts come from a seed no round uses.
_WARM_UP_SEED = 999_983
_BATCH = 16


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_spacy(texts: list[str]) -> int:
    return sum(len(doc) for doc in load_base_model().pipe(texts, batch_size=_BATCH))


def _ember(texts: list[str]) -> int:
    inputs = [AnalysisInput(f"bench{i}", text, "2020-06-01") for i, text in enumerate(texts)]
    return sum(len(analysis.events) for analysis in analyze_many(inputs))


def _timed(work: Callable[[list[str]], int], texts: list[str]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = work(texts)
    return time.perf_counter() - wall, time.process_time() - cpu, count


def run(docs: int, seed: int, rounds: int = 1) -> dict[str, Any]:
    warm = report_texts(_WARM_UP, seed=_WARM_UP_SEED)
    _bare_spacy(warm)
    _ember(warm)
    spacy_wall, spacy_cpu, ember_wall, ember_cpu, ratios, cpu_ratios = [], [], [], [], [], []
    tokens = events = 0
    for number in range(rounds):
        texts = report_texts(docs, seed=seed + number)
        if number % 2 == 0:
            s_wall, s_cpu, tokens = _timed(_bare_spacy, texts)
            e_wall, e_cpu, events = _timed(_ember, texts)
        else:
            e_wall, e_cpu, events = _timed(_ember, texts)
            s_wall, s_cpu, tokens = _timed(_bare_spacy, texts)
        spacy_wall.append(s_wall)
        spacy_cpu.append(s_cpu)
        ember_wall.append(e_wall)
        ember_cpu.append(e_cpu)
        ratios.append(s_wall / e_wall)
        cpu_ratios.append(s_cpu / e_cpu)
    ember_seconds = statistics.median(ember_wall)
    spacy_seconds = statistics.median(spacy_wall)
    return {
        "docs": docs,
        "rounds": rounds,
        "tokens": tokens,
        "events": events,
        "ember_docs_per_s": round(docs / ember_seconds, 2),
        "spacy_docs_per_s": round(docs / spacy_seconds, 2),
        "ratio": round(statistics.median(ratios), 3),
        "cpu_ratio": round(statistics.median(cpu_ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        "ember_ms_per_doc": round(1000 * ember_seconds / docs, 1),
        "spacy_ms_per_doc": round(1000 * spacy_seconds / docs, 1),
        "ember_cpu_ms_per_doc": round(1000 * statistics.median(ember_cpu) / docs, 1),
        "spacy_cpu_ms_per_doc": round(1000 * statistics.median(spacy_cpu) / docs, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, metavar="N", help="Median of N rounds.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.rounds < 1:
        parser.error("--docs and --rounds must be at least 1")
    result = run(args.docs, args.seed, args.rounds)
    if args.json:
        print(json.dumps(result))
        return 0
    r = result
    print(f"{r['docs']} reports x {r['rounds']} rounds, {r['tokens']} tokens, "
          f"{r['events']} events (last round)")  # fmt: skip
    print(f"  bare en_core_web_sm: {r['spacy_docs_per_s']:>8} docs/s"
          f"  ({r['spacy_ms_per_doc']} ms/doc, {r['spacy_cpu_ms_per_doc']} CPU)")  # fmt: skip
    print(f"  ember (whole):       {r['ember_docs_per_s']:>8} docs/s"
          f"  ({r['ember_ms_per_doc']} ms/doc, {r['ember_cpu_ms_per_doc']} CPU)")  # fmt: skip
    print(f"  ratio ember/spaCy:   {result['ratio']:>8}  (rounds: {result['ratios']})")
    print(f"  CPU-time ratio:      {result['cpu_ratio']:>8}")
    print(f"  peak RSS:            {result['peak_rss_mb']:>8} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

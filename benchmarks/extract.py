"""Extraction speed: ember's whole analysis (nlp, events, geo) next to bare spaCy.

Both run in this process on the same synthetic report-length texts (ingest excluded):
first bare ``en_core_web_sm`` ``nlp.pipe``, then ember's ``analyze_many``. Each is
warmed up on a few texts first, so model and gazetteer loading are not counted.

    python benchmarks/extract.py --docs 500
    python benchmarks/extract.py --docs 500 --json"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import report_texts

from ember.nlp.pipeline import load_base_model
from ember.scale.pipeline import AnalysisInput, analyze_many

_WARM_UP = 5


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_spacy(texts: list[str]) -> tuple[float, int]:
    nlp = load_base_model()
    list(nlp.pipe(texts[:_WARM_UP]))
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
    return time.perf_counter() - started, tokens


def _ember(texts: list[str]) -> tuple[float, int]:
    inputs = [AnalysisInput(f"bench{i}", text, "2020-06-01") for i, text in enumerate(texts)]
    list(analyze_many(inputs[:_WARM_UP]))
    started = time.perf_counter()
    events = sum(len(analysis.events) for analysis in analyze_many(inputs))
    return time.perf_counter() - started, events


def run(docs: int, seed: int) -> dict[str, Any]:
    texts = report_texts(docs, seed=seed)
    spacy_seconds, tokens = _bare_spacy(texts)
    ember_seconds, events = _ember(texts)
    ember_rate = docs / ember_seconds
    spacy_rate = docs / spacy_seconds
    return {
        "docs": docs,
        "tokens": tokens,
        "events": events,
        "ember_docs_per_s": round(ember_rate, 2),
        "spacy_docs_per_s": round(spacy_rate, 2),
        "ratio": round(ember_rate / spacy_rate, 3),
        "ember_tokens_per_s": round(tokens / ember_seconds, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args(argv)
    result = run(args.docs, args.seed)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['docs']} reports, {result['tokens']} tokens, {result['events']} events")
    print(f"  bare en_core_web_sm: {result['spacy_docs_per_s']:>8} docs/s")
    print(f"  ember (whole):       {result['ember_docs_per_s']:>8} docs/s"
          f"  ({result['ember_tokens_per_s']} tokens/s)")  # fmt: skip
    print(f"  ratio ember/spaCy:   {result['ratio']:>8}")
    print(f"  peak RSS:            {result['peak_rss_mb']:>8} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

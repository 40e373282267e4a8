"""A learned sub-event classifier that complements the rules where they fall short.

The model (trained by ``training/train_subevent.py``, shipped in ``data/models/``) is a
one-vs-rest linear SVM over hashed word 1-2-grams and character 2-5-grams (within words),
weighted by sublinear tf-idf and with names inside a sentence masked; its scores become
probabilities through a softmax with one temperature fitted on cross-validated scores. It
is stored as plain arrays: the weight columns of the hashed features seen in training, the
idf of those columns, the intercepts, and a JSON file with the labels, feature parameters
and the temperature. Loading needs numpy and sklearn's (stateless) ``HashingVectorizer``,
never a pickle and never training. (Sentence embeddings were tried and rejected: see
``data/models/README.md``.)

Labels are ACLED sub-event type names, exactly as in the taxonomy, or ``"none"`` for text
that reports no event (predictions, negations, diplomacy, general statements)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from ..errors import ExtractError
from .hashing import hashed_counts

__all__ = [
    "ARTIFACT_NAME",
    "NONE",
    "Prediction",
    "SubEventClassifier",
    "block_bounds",
    "block_normalize",
    "build_vectorizers",
    "feature_params",
    "mask_names",
    "weighted_counts",
]

ARTIFACT_NAME = "subevent"
NONE = "none"
_MODELS = "data/models"

FloatArray = npt.NDArray[np.float32]


def feature_params() -> dict[str, Any]:
    """The hashed feature spaces, as stored in the artifact's JSON (one source of truth
    for training and prediction).

    Each block's term counts are weighted (``"sublinear"``: 1 + log(count); ``"tf"``: the
    count; ``"binary"``: 1), multiplied by the idf of the column when ``"idf"`` is set, and
    L2-normalised within the block. ``preprocess.mask_names`` replaces a capitalised name
    inside a sentence (after a lower-case word or a comma) by one placeholder word, so that
    the model learns what happened rather than where or to whom."""
    return {
        "preprocess": {"mask_names": True},
        "words": {
            "analyzer": "word",
            "ngram_range": [1, 2],
            "n_features": 2**20,
            "lowercase": True,
            "weighting": "sublinear",
            "idf": True,
        },
        "chars": {
            "analyzer": "char_wb",
            "ngram_range": [2, 5],
            "n_features": 2**20,
            "lowercase": True,
            "weighting": "sublinear",
            "idf": True,
        },
    }


_BLOCKS = ("words", "chars")
_WEIGHTINGS = ("binary", "tf", "sublinear")
# A capitalised word (or run of them, "Abu Kamal", "Deir-Ez") that follows a lower-case
# word, a comma or a semicolon: a name inside the sentence. Acronyms (ISIS, SDF) and the
# sentence's first word are kept.
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
_NAME_MASK = "Xname"


def mask_names(text: str) -> str:
    """``text`` with each name inside it replaced by one placeholder word."""
    return _NAME.sub(_NAME_MASK, text)


def build_vectorizers(params: dict[str, Any]) -> tuple[HashingVectorizer, HashingVectorizer]:
    """(word vectorizer, char vectorizer) from ``feature_params()``-shaped parameters: raw
    term counts (or 1s, for binary weighting), not normalised."""
    return _vectorizer(params["words"]), _vectorizer(params["chars"])


def _vectorizer(spec: dict[str, Any]) -> HashingVectorizer:
    if spec.get("weighting", "binary") not in _WEIGHTINGS:
        raise ExtractError(f"unknown feature weighting {spec.get('weighting')!r}")
    return HashingVectorizer(
        analyzer=spec["analyzer"],
        ngram_range=tuple(spec["ngram_range"]),
        n_features=spec["n_features"],
        lowercase=spec["lowercase"],
        binary=spec.get("weighting", "binary") == "binary",
        alternate_sign=False,
        norm=None,
    )


def block_bounds(params: dict[str, Any]) -> npt.NDArray[np.int64]:
    """Where each block's columns end in the concatenated hashed space."""
    return np.cumsum([params[block]["n_features"] for block in _BLOCKS])


def weighted_counts(texts: Sequence[str], params: dict[str, Any]) -> sp.csr_matrix:
    """Every block's weighted term counts side by side, before idf and normalisation."""
    if params.get("preprocess", {}).get("mask_names"):
        texts = [mask_names(text) for text in texts]
    parts = []
    for block, vectorizer in zip(_BLOCKS, build_vectorizers(params), strict=True):
        part = hashed_counts(vectorizer, texts).astype(np.float32)  # = vectorizer.transform
        if params[block].get("weighting") == "sublinear":
            part.data = 1.0 + np.log(part.data)
        parts.append(part)
    full: sp.csr_matrix = sp.hstack(parts, format="csr")
    full.sort_indices()
    return full


def block_normalize(
    data: FloatArray,
    columns: npt.NDArray[np.integer[Any]],
    indptr: npt.NDArray[np.integer[Any]],
    bounds: npt.NDArray[np.int64],
) -> FloatArray:
    """``data`` (a CSR matrix's values, with their hashed ``columns``) scaled so that each
    row has unit L2 norm within each block."""
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    key = rows * len(bounds) + np.searchsorted(bounds, columns, side="right")
    norms = np.sqrt(np.bincount(key, weights=data.astype(np.float64) ** 2))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    result: FloatArray = (data * scale[key]).astype(np.float32)
    return result


@dataclass(frozen=True, slots=True)
class Prediction:
    """The most likely label, its probability, and every label ranked by probability."""

    label: str
    probability: float
    ranked: tuple[tuple[str, float], ...]


class SubEventClassifier:
    """Predicts the ACLED sub-event type (or "none") a text reports."""

    def __init__(
        self,
        *,
        labels: Sequence[str],
        params: dict[str, Any],
        columns: npt.NDArray[np.int32],
        coef: FloatArray,
        intercept: FloatArray,
        idf: FloatArray | None = None,
        idf_unseen: Sequence[float] | None = None,
        score_scale: float = 1.0,
    ) -> None:
        if coef.shape != (len(labels), len(columns)) or intercept.shape != (len(labels),):
            raise ExtractError("sub-event model arrays do not match its labels")
        if idf is not None and idf.shape != columns.shape:
            raise ExtractError("sub-event model idf does not match its columns")
        self.labels = tuple(labels)
        self._params = params
        build_vectorizers(params)  # fails early on bad parameters
        self._bounds = block_bounds(params)
        self._columns = columns
        # idf per trained column, and the idf of a column no training text used, per block
        # (1 where a block has no idf).
        self._idf = np.ones(len(columns), np.float32) if idf is None else idf
        self._idf_unseen = np.asarray(
            idf_unseen if idf_unseen is not None else [1.0] * len(_BLOCKS), dtype=np.float32
        )
        self._coef_t = np.ascontiguousarray(coef.T)
        self._intercept = intercept
        # 1 / temperature: how sharply scores turn into probabilities (fitted in training).
        self._score_scale = score_scale

    @classmethod
    def load(cls) -> SubEventClassifier:
        """The shipped model, read once per process."""
        return _load_shipped()

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if isinstance(texts, str):
            raise TypeError("predict takes a sequence of texts, not one string")
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        return [self._prediction(row) for row in probabilities]

    def probabilities(self, texts: Sequence[str]) -> FloatArray:
        """One row per text, one column per label (``self.labels``), rows summing to 1."""
        scores = (self._features(texts) @ self._coef_t + self._intercept) * self._score_scale
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        result: FloatArray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return result

    def _features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The weighted, idf-scaled and block-normalised hashed features, restricted to
        (and renumbered as) the trained columns. An unknown column still counts in its
        block's norm (with the idf of a column unseen in training), as in training."""
        full = weighted_counts(texts, self._params)
        position = np.searchsorted(self._columns, full.indices)
        position = np.minimum(position, len(self._columns) - 1)
        known = self._columns[position] == full.indices
        block = np.searchsorted(self._bounds, full.indices, side="right")
        idf = np.where(known, self._idf[position], self._idf_unseen[block])
        data = block_normalize(full.data * idf, full.indices, full.indptr, self._bounds)
        data = np.where(known, data, 0.0).astype(np.float32)
        return sp.csr_matrix(
            (data, position, full.indptr), shape=(full.shape[0], len(self._columns))
        )

    def _prediction(self, row: FloatArray) -> Prediction:
        order = np.argsort(-row, kind="stable")
        ranked = tuple((self.labels[i], float(row[i])) for i in order)
        return Prediction(label=ranked[0][0], probability=ranked[0][1], ranked=ranked)


@cache
def _load_shipped() -> SubEventClassifier:
    """The model in ``data/models``, or in the folder ``EMBER_SUBEVENT_MODEL`` names (a
    model trained without one gold set, to evaluate the pipeline on it held out)."""
    override = os.environ.get("EMBER_SUBEVENT_MODEL")
    folder: Traversable = Path(override) if override else resources.files("ember").joinpath(_MODELS)
    try:
        meta = json.loads(folder.joinpath(f"{ARTIFACT_NAME}.json").read_text("utf-8"))
        raw = folder.joinpath(f"{ARTIFACT_NAME}.npz").read_bytes()
    except (OSError, ValueError) as exc:
        raise ExtractError(f"sub-event model missing or unreadable: {exc}") from exc
    try:
        with np.load(BytesIO(raw), allow_pickle=False) as arrays:
            return SubEventClassifier(
                labels=meta["labels"],
                params=meta["features"],
                columns=arrays["columns"],
                coef=arrays["coef"].astype(np.float32),
                intercept=arrays["intercept"],
                idf=arrays["idf"] if "idf" in arrays.files else None,
                idf_unseen=meta.get("idf_unseen"),
                score_scale=float(meta["calibration"]["score_scale"]),
            )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ExtractError(f"sub-event model unreadable: {exc}") from exc

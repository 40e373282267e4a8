"""A learned sub-event classifier that complements the rules where they fall short.

The model (trained by ``training/train_subevent.py``, shipped in ``data/models/``) is a
one-vs-rest linear SVM over hashed word 1-2-grams and character n-grams, whose scores become
probabilities through a softmax with one temperature fitted on cross-validated scores. It
is stored as plain arrays: the weight columns of the hashed features seen in training, the
intercepts, and a JSON file with the labels, feature parameters and the temperature.
Loading needs numpy and sklearn's (stateless) ``HashingVectorizer``, never a pickle and
never training.

Labels are ACLED sub-event type names, exactly as in the taxonomy, or ``"none"`` for text
that reports no event (predictions, negations, diplomacy, general statements)."""

from __future__ import annotations

import json
import os
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

__all__ = [
    "ARTIFACT_NAME",
    "NONE",
    "Prediction",
    "SubEventClassifier",
    "build_vectorizers",
    "feature_params",
]

ARTIFACT_NAME = "subevent"
NONE = "none"
_MODELS = "data/models"

FloatArray = npt.NDArray[np.float32]


def feature_params() -> dict[str, Any]:
    """The hashed feature spaces, as stored in the artifact's JSON (one source of truth
    for training and prediction)."""
    return {
        "words": {
            "analyzer": "word",
            "ngram_range": [1, 2],
            "n_features": 2**20,
            "lowercase": True,
            "binary": True,
        },
        "chars": {
            "analyzer": "char_wb",
            "ngram_range": [2, 5],
            "n_features": 2**20,
            "lowercase": True,
            "binary": True,
        },
    }


def build_vectorizers(params: dict[str, Any]) -> tuple[HashingVectorizer, HashingVectorizer]:
    """(word vectorizer, char vectorizer) from ``feature_params()``-shaped parameters."""
    return _vectorizer(params["words"]), _vectorizer(params["chars"])


def _vectorizer(spec: dict[str, Any]) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer=spec["analyzer"],
        ngram_range=tuple(spec["ngram_range"]),
        n_features=spec["n_features"],
        lowercase=spec["lowercase"],
        binary=spec["binary"],
        alternate_sign=False,
        norm="l2",
    )


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
        score_scale: float = 1.0,
    ) -> None:
        if coef.shape != (len(labels), len(columns)) or intercept.shape != (len(labels),):
            raise ExtractError("sub-event model arrays do not match its labels")
        self.labels = tuple(labels)
        self._params = params
        self._words, self._chars = build_vectorizers(params)
        self._columns = columns
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
        """The hashed features, restricted to (and renumbered as) the trained columns."""
        words = self._words.transform(texts)
        chars = self._chars.transform(texts)
        full = sp.hstack([words, chars], format="csr")
        position = np.searchsorted(self._columns, full.indices)
        position = np.minimum(position, len(self._columns) - 1)
        known = self._columns[position] == full.indices
        data = np.where(known, full.data, 0.0).astype(np.float32)
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
                score_scale=float(meta["calibration"]["score_scale"]),
            )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ExtractError(f"sub-event model unreadable: {exc}") from exc

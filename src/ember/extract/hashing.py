"""Hashed character n-gram counts, word by word.

A ``HashingVectorizer`` with ``analyzer="char_wb"`` counts the n-grams of each
whitespace-separated word of a text (padded with a space each side), so a text's counts
are the sum of its words' counts. Reports repeat their words, and reading every n-gram
of every sentence was most of the sub-event model's time: here each word's hashed counts
are computed once, by the vectorizer itself, and a text's row is the sum of its words'
rows, the same matrix as ``vectorizer.transform(texts)``. Other settings (binary counts,
signed hashing, normalisation, custom analysers) go to ``transform``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["hashed_counts"]

# Words whose counts are kept per vectorizer setting; the cache starts over past this.
_WORDS_KEPT = 50_000  # about 30 MB

_Row = tuple[np.ndarray, np.ndarray]  # (columns, counts) of one word
_cache: dict[tuple[object, ...], dict[str, _Row]] = {}


def hashed_counts(vectorizer: HashingVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` (a CSR matrix of float64 counts, sorted columns)."""
    setting = _wordwise_setting(vectorizer)
    if setting is None or not texts:
        return vectorizer.transform(texts)
    rows = _cache.setdefault(setting, {})
    split = [text.split() for text in texts]
    new = list(dict.fromkeys(w for words in split for w in words if w not in rows))
    if new:
        if len(rows) + len(new) > _WORDS_KEPT:
            rows.clear()
            new = list(dict.fromkeys(w for words in split for w in words))
        counted = vectorizer.transform(new)
        for i, word in enumerate(new):
            part = slice(counted.indptr[i], counted.indptr[i + 1])
            rows[word] = (counted.indices[part].copy(), counted.data[part].copy())
    # texts x words (how often each text has each word) times words x columns.
    words = list(dict.fromkeys(w for ws in split for w in ws))
    number = {word: i for i, word in enumerate(words)}
    per_text = [np.fromiter((number[w] for w in ws), dtype=np.int64, count=len(ws)) for ws in split]
    incidence = sp.csr_matrix(
        (
            np.ones(sum(len(ws) for ws in split)),
            np.concatenate(per_text) if per_text else np.zeros(0, np.int64),
            np.concatenate([[0], np.cumsum([len(ws) for ws in split])]),
        ),
        shape=(len(texts), len(words)),
    )
    lengths = [len(rows[w][0]) for w in words]
    columns = np.concatenate([rows[w][0] for w in words]) if words else np.zeros(0, np.int32)
    counts = np.concatenate([rows[w][1] for w in words]) if words else np.zeros(0)
    by_word = sp.csr_matrix(
        (counts, columns, np.concatenate([[0], np.cumsum(lengths)])),
        shape=(len(words), vectorizer.n_features),
    )
    result: sp.csr_matrix = sp.csr_matrix(incidence @ by_word)
    result.sort_indices()
    return result


def _wordwise_setting(vectorizer: HashingVectorizer) -> tuple[object, ...] | None:
    """The settings the counts depend on, or None when a text's counts are not its
    words' sum as this module computes them."""
    v = vectorizer
    plain = (
        v.analyzer == "char_wb" and not v.binary and not v.alternate_sign and v.norm is None
        and v.preprocessor is None and v.tokenizer is None and v.strip_accents is None
        and v.input == "content"
    )  # fmt: skip
    if not plain:
        return None
    return (tuple(v.ngram_range), v.n_features, v.lowercase, v.encoding, v.decode_error)

"""Word-by-word hashed character n-grams are the vectorizer's own counts."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from ember.extract.hashing import hashed_counts

TEXTS = [
    "Gunmen attacked a checkpoint near Kirkuk, killing two soldiers.",
    "Two soldiers were killed; gunmen fled.",
    "",
    "   ",
    "İstanbul ΑΘΗΝΑ Straße ﬁne\ttab\u00a0nbsp",
    "a",
    "gunmen gunmen gunmen",
]


def _same(vectorizer: HashingVectorizer, texts: list[str]) -> None:
    expected, got = vectorizer.transform(texts), hashed_counts(vectorizer, texts)
    assert type(got) is type(expected) and got.dtype == expected.dtype
    assert got.shape == expected.shape and got.has_sorted_indices
    assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
    assert (got.data == expected.data).all()


def test_counts_are_the_vectorizers_with_words_seen_before_and_not() -> None:
    vectorizer = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=2**18, alternate_sign=False, norm=None
    )
    _same(vectorizer, TEXTS[:2])
    _same(vectorizer, TEXTS)  # some words already counted
    _same(vectorizer, ["", ""])


@pytest.mark.parametrize(
    "options",
    [
        {"analyzer": "char_wb", "binary": True},
        {"analyzer": "char_wb", "alternate_sign": True},
        {"analyzer": "char", "ngram_range": (2, 3)},
        {"analyzer": "word", "ngram_range": (1, 2)},
    ],
)
def test_other_settings_are_counted_by_the_vectorizer(options: dict[str, object]) -> None:
    settings: dict[str, object] = {"n_features": 2**16, "norm": None, "alternate_sign": False}
    _same(HashingVectorizer(**(settings | options)), TEXTS)

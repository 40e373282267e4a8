"""The exact-value matcher gives spaCy's Matcher's matches, in its order."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ember.extract.lexicon import _patterns, load_triggers
from ember.nlp.matching import ExactMatcher
from ember.nlp.pipeline import load_pipeline

RULES: list[tuple[str, list[list[dict[str, Any]]]]] = [
    ("bomb", [[{"LOWER": "bomb"}], [{"LEMMA": "bomb", "POS": "VERB"}]]),
    ("car bomb", [[{"LOWER": "car"}, {"LOWER": "bomb"}], [{"LEMMA": "car"}, {"LEMMA": "bomb"}]]),
    ("blow up", [[{"LEMMA": "blow"}, {"LOWER": "up"}]]),
    ("car", [[{"LOWER": "car", "POS": "NOUN"}]]),
]

TEXTS = [
    "A car bomb exploded in the market; the militants had bombed it before.",
    "They blew up two car bombs and a car near the bridge.",
    "BOMB car bomb Car Bomb bomb",
    "",
    "Nothing happened here.",
]


def _spacy(rules: list[tuple[str, list[list[dict[str, Any]]]]]) -> Matcher:
    matcher = Matcher(load_pipeline().vocab)
    for key, patterns in rules:
        matcher.add(key, patterns)
    return matcher


@pytest.mark.parametrize("text", TEXTS)
def test_matches_and_their_order_are_the_matchers(text: str) -> None:
    nlp = load_pipeline()
    doc = nlp(text)
    fast = ExactMatcher(nlp.vocab, RULES)
    assert fast.exact
    assert fast(doc) == _spacy(RULES)(doc)


def test_the_event_lexicon_is_matched_by_lookup_as_the_matcher_would() -> None:
    nlp = load_pipeline()
    rules = [(t.key, _patterns(t)) for t in load_triggers().values()]
    fast, slow = ExactMatcher(nlp.vocab, rules), _spacy(rules)
    assert fast.exact
    for doc in nlp.pipe([*TEXTS, "Gunmen killed three and kidnapped two; police arrested five."]):
        assert fast(doc) == slow(doc)


def test_other_patterns_and_unparsed_documents_go_to_the_matcher() -> None:
    nlp = load_pipeline()
    rules = [("bombs", [[{"LOWER": {"IN": ["bomb", "bombs"]}}]]), *RULES]
    fast = ExactMatcher(nlp.vocab, rules)
    assert not fast.exact
    doc = nlp(TEXTS[1])
    assert fast(doc) == _spacy(rules)(doc)
    words = Doc(nlp.vocab, words=["a", "car", "bomb"])  # no lemmas: the Matcher refuses
    with pytest.raises(ValueError):
        ExactMatcher(nlp.vocab, RULES)(words)

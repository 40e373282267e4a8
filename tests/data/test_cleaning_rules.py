"""Schema of the cleaning data (src/ember/data/cleaning/*.jsonl), and each rule's example."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any, get_args

import pytest

from ember.ingest.clean import Line, Rule, RuleKind, Vocabulary, load_rules, load_vocabulary

RULE_KEYS = {"id", "kind", "pattern", "example", "source", "why"}
FIELDS = {"author", "publisher", "published", "dateline"}


def rows(name: str) -> list[dict[str, Any]]:
    text = files("ember").joinpath("data", "cleaning", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


RULES = rows("line_rules.jsonl")
WORD_SETS = rows("words.jsonl")


@pytest.mark.parametrize("row", RULES, ids=[str(row.get("id")) for row in RULES])
def test_rule_row_schema(row: dict[str, Any]) -> None:
    assert set(row) == RULE_KEYS
    assert all(isinstance(row[key], str) and row[key].strip() for key in RULE_KEYS)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["id"])
    assert row["kind"] in get_args(RuleKind)


def test_rule_ids_are_unique_and_all_rules_load() -> None:
    ids = [row["id"] for row in RULES]
    assert len(ids) == len(set(ids))
    assert [rule.id for rule in load_rules()] == ids


@pytest.mark.parametrize("rule", load_rules(), ids=lambda rule: rule.id)
def test_rule_captures_only_known_fields(rule: Rule) -> None:
    assert set(rule.pattern.groupindex) <= FIELDS
    if rule.kind == "note":  # a note exists to capture something
        assert rule.pattern.groupindex


@pytest.mark.parametrize("row", RULES, ids=[str(row.get("id")) for row in RULES])
def test_each_rule_is_the_first_to_match_its_example(row: dict[str, Any]) -> None:
    """The example documents the rule; an earlier rule shadowing it would be a bug."""
    key = Line(row["example"], 0).key
    first = next(rule for rule in load_rules() if rule.pattern.fullmatch(key))
    assert first.id == row["id"]


def test_word_sets_schema() -> None:
    names = [row["set"] for row in WORD_SETS]
    assert sorted(names) == sorted(Vocabulary.__dataclass_fields__)
    for row in WORD_SETS:
        assert set(row) == {"set", "words", "source", "why"}
        assert row["source"].strip() and row["why"].strip()
        words = row["words"]
        assert words and all(isinstance(w, str) and w == w.strip().casefold() for w in words)
        assert len(words) == len(set(words)), row["set"]


def test_vocabulary_loads() -> None:
    vocabulary = load_vocabulary()
    assert "weekly" in vocabulary.press and "center" in vocabulary.org

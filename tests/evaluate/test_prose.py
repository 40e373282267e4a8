"""What the real-prose suites share: the measures, format recognition, reading bad input
without stopping, batching, and the ``ember eval`` commands on tiny files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.errors import ConfigError
from ember.evaluate import prose
from ember.evaluate.measures import Counts, best_sentence, f1_score, word_jaccard, words
from ember.evaluate.prose import (
    ErrorLog,
    ProseDocument,
    ProseRecords,
    analyze_documents,
    detect_prose_format,
)

from .prose_fakes import FakeDocuments, event, write_jsonl


def test_words_and_jaccard_ignore_case_and_punctuation() -> None:
    assert words("POLICE Arrested, police!") == {"police", "arrested"}
    assert word_jaccard("THE MOB FLED.", "the mob fled") == 1.0
    assert word_jaccard("a b c d", "a b x y") == pytest.approx(2 / 6)
    assert word_jaccard("", "") == 0.0


def test_best_sentence_needs_half_and_takes_the_most_overlap() -> None:
    gold = [words("rampur:"), words("police held six men in rampur"), words("six men")]
    assert best_sentence("rampur: police held six men", gold) == 1  # 5/6 beats 1/5, 2/5
    assert best_sentence("six men", gold) == 2
    assert best_sentence("nothing in common here", gold) is None
    assert best_sentence("a b", [words("a b c d"), words("a b x y")]) == 0  # 0.5 each: first


def test_counts_and_f1() -> None:
    counts = Counts()
    for gold, predicted in [(True, True), (True, False), (False, True), (False, False)]:
        counts.add(gold=gold, predicted=predicted)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)
    assert counts.precision == counts.recall == counts.f1 == 0.5
    assert f1_score(0.0, 0.0) == 0.0 and Counts().f1 == 0.0


def test_formats_are_told_apart_by_their_fields(tmp_path: Path) -> None:
    samples = {
        "ipe": {"text": "x", "sentences": [], "labels": {}},
        "wikievents": {"text": "x", "sentences": [], "events": []},
        "muc4": {"text": "X", "templates": [], "roles_union_of_templates": {}},
        "polnear": {"text": "x", "attributions": []},
    }
    for name, record in samples.items():
        assert detect_prose_format(write_jsonl(tmp_path / f"{name}.jsonl", [record])) == name
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text("notes,event_type\nx,y\n", encoding="utf-8")
    assert detect_prose_format(csv_file) is None
    with pytest.raises(ConfigError, match="unknown gold format"):
        detect_prose_format(write_jsonl(tmp_path / "odd.jsonl", [{"text": "x"}]))
    with pytest.raises(ConfigError, match="not found"):
        detect_prose_format(tmp_path / "missing.jsonl")


def test_a_failing_batch_is_retried_document_by_document() -> None:
    documents = [ProseDocument(str(i), f"text {i}") for i in range(40)]
    answers = {d.text: ProseRecords(events=[event(text=d.text)]) for d in documents}
    fake = FakeDocuments(answers, fail=["text 35"])
    errors = ErrorLog()
    records = analyze_documents(documents, fake, errors=errors)
    assert len(records) == 40 and records[35] == ProseRecords()
    assert records[36].events[0].text == "text 36"
    assert errors.listed == [
        {"stage": "analysis", "doc_id": "35", "reason": "RuntimeError: the parser broke"}
    ]
    # The first batch of 32 went through whole; the second failed and was retried.
    assert [len(b) for b in fake.batches] == [32, 8, 1, 1, 1, 1, 1, 1, 1, 1]


def test_a_wrong_number_of_results_is_an_error_not_a_shift() -> None:
    def short(documents: Sequence[ProseDocument]) -> Sequence[ProseRecords]:
        return [ProseRecords()] * (len(documents) - 1)

    errors = ErrorLog()
    records = analyze_documents([ProseDocument("a", "x")], short, errors=errors)
    assert records == [ProseRecords()] and errors.counts() == {"gold": 0, "analysis": 1}


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> FakeDocuments:
    fake = FakeDocuments({})
    monkeypatch.setattr(prose, "_pipeline", lambda: fake)
    return fake


def _ipe(tmp_path: Path) -> Path:
    text = "police held two men at the fair. the fair went on."
    return write_jsonl(
        tmp_path / "ipe.jsonl",
        [{"doc_id": 1, "date": "2002-01-02", "text": text,
          "sentences": [{"start": 0, "end": 32, "ARREST": 1}, {"start": 33, "end": 50}],
          "labels": {"ARREST": 1, "KILL": 0, "FORCE": 0}}] * 3,
    )  # fmt: skip


def test_eval_events_json_on_a_real_prose_file(
    tmp_path: Path, fake_pipeline: FakeDocuments
) -> None:
    result = CliRunner().invoke(
        cli, ["eval", "events", "--gold", str(_ipe(tmp_path)), "--limit", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["suite"], body["format"], body["n"]) == ("events", "ipe", 2)
    assert {"arrest_f1", "arrest_sentence_f1", "kill_f1", "force_f1"} <= set(body["metrics"])
    assert body["metrics"]["arrest_recall"] == 0.0  # the fake finds nothing
    assert len(fake_pipeline.batches[0]) == 2


def test_eval_claims_table_on_a_polnear_file(tmp_path: Path, fake_pipeline: FakeDocuments) -> None:
    gold = write_jsonl(tmp_path / "p.jsonl", [{"doc_id": "a", "text": "x", "attributions": []}])
    result = CliRunner().invoke(cli, ["eval", "claims", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("claims, PolNeAR attributions: 1 documents")


def test_eval_on_an_unknown_jsonl_is_one_line(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "odd.jsonl", [{"body": "x"}])
    for suite in ("events", "claims"):
        result = CliRunner().invoke(cli, ["eval", suite, "--gold", str(gold)])
        assert result.exit_code == 2
        assert "unknown gold format" in result.output or "not a claims gold file" in result.output
        assert "Traceback" not in result.output

"""`ember analyze` goes past a document whose analysis raises: it is marked failed with
its reason, later runs skip it, `--retry-failed` tries it again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import ember.scale.pipeline as pipeline
from ember.cli import cli
from ember.scale.pipeline import Analysis, AnalysisInput
from ember.store import Store

POISON = "poison"


def fake_analyze_many(items: Iterable[AnalysisInput], budget: object = None) -> Iterator[Analysis]:
    for item in items:
        yield fake_analyze_document(item)


def fake_analyze_document(item: AnalysisInput, budget: object = None) -> Analysis:
    if POISON in item.text:
        raise RecursionError("maximum recursion depth exceeded\nwhile reading a date")
    return Analysis(item.doc_id, [], [], [])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, word in enumerate(["bridge", POISON, "market", "dam"]):
        (folder / f"r{i}.txt").write_text(
            f"Report {i}\n\nGunmen attacked a checkpoint near the {word} on Monday night and "
            f"fled before dawn, a local official said of incident {i}.\n",
            encoding="utf-8",
        )
    return folder


def test_a_poison_document_is_marked_and_skipped(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), "--db", db, "--no-analyze"]).exit_code == 0
    monkeypatch.setattr(pipeline, "analyze_many", fake_analyze_many)
    monkeypatch.setattr(pipeline, "analyze_document", fake_analyze_document)

    first = runner.invoke(cli, ["analyze", "--db", db, "-q"])
    assert first.exit_code == 1, first.output
    assert "analysed 3 documents" in first.output
    assert "RecursionError: maximum recursion depth exceeded while reading a date" in first.output
    assert "Traceback" not in first.output
    with Store.open(db) as store:
        (failure,) = store.analysis_failures()
        analysed = [store.analysis_version(doc.id) for doc in store.iter_documents()]
        assert analysed.count(None) == 1

    again = runner.invoke(cli, ["analyze", "--db", db, "-q"])
    assert again.exit_code == 0 and "analysed 0 documents" in again.output

    monkeypatch.setattr(
        pipeline, "analyze_document", lambda item, budget=None: Analysis(item.doc_id, [], [])
    )
    monkeypatch.setattr(
        pipeline,
        "analyze_many",
        lambda items, budget=None: (Analysis(i.doc_id, [], []) for i in items),
    )
    retried = runner.invoke(cli, ["analyze", "--db", db, "-q", "--retry-failed"])
    assert retried.exit_code == 0 and "analysed 1 documents" in retried.output
    with Store.open(db) as store:
        assert store.analysis_failures() == []
        assert store.analysis_version(failure.doc_id) is not None

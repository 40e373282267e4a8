"""The per-document analysis budget (``scale.budget``) and the cutting of long documents
(``scale.pipeline``): pieces cut where text breaks, overlong sentences capped, records
of a cut document in its own characters, and a document over budget marked failed with
the reason while the next is analysed, skipped by a rerun, tried again by
--retry-failed."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from typing import Any

import pytest
import spacy
from click.testing import CliRunner

import ember.scale.pipeline as pipeline
from ember.cli import cli
from ember.errors import ConfigError
from ember.extract.claims import extract_claims as extract_claims_of
from ember.ingest import content_id
from ember.records import Document
from ember.scale import analyze_stored
from ember.scale.budget import (
    Allowance,
    BudgetExceeded,
    DocumentBudget,
    allow_exit_when_stuck,
    watch,
)
from ember.scale.pipeline import (
    ANALYZER_VERSION,
    AnalysisInput,
    analyze_document,
    cap_sentences,
    cut_pieces,
)
from ember.scale.workers import LocalPool, Result
from ember.settings import Settings, load_settings
from ember.store import Store

PLACES = ("Mosul", "Kirkuk", "Tikrit", "Ramadi", "Fallujah", "Baquba", "Samarra")
RUNAWAY = "RUNAWAY"


def paragraphs(count: int) -> list[str]:
    """Short reports of attacks, one paragraph each, every one different."""
    found = []
    for i in range(count):
        place, other = PLACES[i % len(PLACES)], PLACES[(i + 3) % len(PLACES)]
        found.append(
            f"On {i % 27 + 1} March 2019, gunmen attacked an army checkpoint in {place}, "
            f"killing {i % 9 + 2} soldiers and wounding {i % 5 + 3}, police said. "
            f"The wounded were taken to a hospital in {other}. "
            f"Officials said {i * 10 + 100} families had left the area since January."
        )
    return found


# -- cutting ---------------------------------------------------------------------


def covers(text: str, pieces: list[tuple[int, int]], limit: int) -> None:
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(pieces))
    assert all(0 < end - start <= limit for start, end in pieces)


def test_a_text_that_fits_is_one_piece() -> None:
    assert cut_pieces("a" * 500, 500) == [(0, 500)]
    assert cut_pieces("", 500) == [(0, 0)]


def test_pieces_end_at_paragraph_breaks_first() -> None:
    text = "\n\n".join(paragraphs(40))
    pieces = cut_pieces(text, 2_000)
    covers(text, pieces, 2_000)
    assert len(pieces) > 1
    for start, _end in pieces[1:]:
        assert text[start - 2 : start] == "\n\n"


def test_without_paragraphs_pieces_end_at_sentence_ends() -> None:
    text = " ".join(paragraphs(40))
    pieces = cut_pieces(text, 2_000)
    covers(text, pieces, 2_000)
    for start, _end in pieces[1:]:
        assert re.search(r"[.!?] $", text[start - 2 : start])


def test_then_at_spaces_then_anywhere() -> None:
    words = "attack " * 1_000
    pieces = cut_pieces(words, 1_000)
    covers(words, pieces, 1_000)
    assert all(words[start - 1] == " " for start, _ in pieces[1:])
    solid = "x" * 2_500
    assert cut_pieces(solid, 1_000) == [(0, 1_000), (1_000, 2_000), (2_000, 2_500)]


def test_overlong_runs_without_a_sentence_end_are_capped() -> None:
    tokenizer = spacy.blank("en")
    prose = tokenizer.make_doc("\n\n".join(paragraphs(30)))
    assert cap_sentences(prose, 50) == 0  # ordinary sentences are never cut
    repeated = tokenizer.make_doc("attack " * 1_000)
    assert cap_sentences(repeated, 200) >= 4
    starts = [t.i for t in repeated[1:] if t.is_sent_start]
    assert all(b - a <= 200 for a, b in pairwise([0, *starts]))
    rows = "\n".join(f"2019  {i}  {i * 7}  {i * 13}" for i in range(300))
    table = tokenizer.make_doc(rows)
    assert cap_sentences(table, 100) >= 3
    # A table is cut at its line breaks, not inside a row.
    assert all("\n" in table[t.i - 1].text for t in table[1:] if t.is_sent_start)


# -- the budget ------------------------------------------------------------------


def test_the_budget_comes_from_the_settings() -> None:
    settings = load_settings({"EMBER_DOC_TIME_S": "7.5", "EMBER_DOC_MEMORY_MB": "900"})
    assert DocumentBudget.of(settings) == DocumentBudget(time_s=7.5, memory_mb=900)
    assert DocumentBudget.of(Settings()) == DocumentBudget(time_s=120.0, memory_mb=2048)
    with pytest.raises(ConfigError, match="EMBER_DOC_TIME_S"):
        DocumentBudget.of(Settings(doc_time_s=-1))


def test_an_allowance_says_what_it_went_over() -> None:
    over_time = Allowance(DocumentBudget(time_s=1e-9, memory_mb=0), "d1")
    over_time.progress = "2 of 9 pieces analysed"
    with pytest.raises(BudgetExceeded, match=r"over the 1e-09 s budget .*2 of 9 pieces") as exc:
        over_time.check()
    assert exc.value.doc_id == "d1"
    over_memory = Allowance(DocumentBudget(time_s=0, memory_mb=1), "d2")
    with pytest.raises(BudgetExceeded, match="over the 1 MB memory budget"):
        over_memory.check()
    Allowance(DocumentBudget(time_s=0, memory_mb=0), "d3").check()  # no limits


def test_the_watchdog_interrupts_a_runaway_step() -> None:
    allowance = Allowance(DocumentBudget(time_s=0.5, memory_mb=0), "d1")
    with pytest.raises(BudgetExceeded, match=r"over the 0\.5 s budget"), watch(allowance):
        while True:
            sum(range(100))
    with watch(Allowance(DocumentBudget(time_s=30, memory_mb=0), "d2")):
        pass  # within budget: nothing is raised, then or later
    assert sum(range(100)) == 4950


# -- with the pipeline -----------------------------------------------------------


@pytest.mark.slow
def test_a_document_in_pieces_has_records_in_its_own_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n\n".join(paragraphs(24))
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_500)
    assert len(cut_pieces(text)) >= 4
    analysis = analyze_document(AnalysisInput("d1", text, "2019-04-01"))
    late = [e for e in analysis.events if e.span[0] > 1_500]
    assert late and len(analysis.events) >= 12
    for event in analysis.events:
        assert text[slice(*event.span)] == event.text
        where = event.location
        if where is not None and where.start is not None:
            assert text[where.start : where.end] == where.name
        for start, end in event.evidence:
            assert 0 <= start < end <= len(text) and text[start:end].strip()
    for claim in analysis.claims:
        assert text[slice(*claim.span)] == claim.text
        assert text[slice(*claim.quantity_span)] == claim.quantity_text
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text
    ids = [e.id for e in analysis.events] + [c.id for c in analysis.claims]
    assert len(ids) == len(set(ids))
    assert all(c.id.startswith("c-") and len(c.id) == 18 for c in analysis.claims)
    # Each piece gives the records of the piece read alone, moved to its place.
    start, end = cut_pieces(text)[2]
    alone = analyze_document(AnalysisInput("d1", text[start:end], "2019-04-01"))
    in_place = [(e.span, e.sub_event_type) for e in analysis.events if start <= e.span[0] < end]
    assert in_place == [((a + start, b + start), e.sub_event_type) for e in alone.events
                        for a, b in [e.span]]  # fmt: skip


@dataclass
class Runaway:
    """Claims extraction that never ends for a text holding RUNAWAY while ``stuck`` (a
    quadratic step gone wrong, in Python); ``asked``: the texts it was given."""

    stuck: bool = True
    asked: list[str] = field(default_factory=list)


@pytest.fixture
def runaway(monkeypatch: pytest.MonkeyPatch) -> Iterator[Runaway]:
    real = extract_claims_of
    state = Runaway()

    def extract_claims(doc: Any, **kwargs: Any) -> Any:
        state.asked.append(doc.text)
        while state.stuck and RUNAWAY in doc.text:
            sum(range(1_000))
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "extract_claims", extract_claims)
    analyze_document(AnalysisInput("warm", paragraphs(1)[0], "2019-04-01"))  # load everything
    state.asked.clear()
    yield state


def add(store: Store, text: str) -> str:
    doc = Document(id=content_id(text), source=f"test://{content_id(text)}", text=text,
                   format="text", published="2019-04-01")  # fmt: skip
    store.add_document(doc, signature=None, run_id="r")
    return doc.id


@pytest.mark.slow
def test_a_document_over_budget_fails_with_the_reason_and_the_next_is_analysed(
    store: Store, runaway: Runaway
) -> None:
    first, stuck, after = paragraphs(3)
    ids = [add(store, first), add(store, f"{stuck} {RUNAWAY}"), add(store, after)]
    summary = analyze_stored(store, budget=DocumentBudget(time_s=2, memory_mb=0))
    assert summary.documents == 2
    ((doc_id, reason),) = summary.failed
    assert doc_id == ids[1]
    assert reason.startswith("over the 2 s budget")
    (failure,) = store.analysis_failures()
    assert (failure.doc_id, failure.reason) == (ids[1], reason)
    assert store.analysis_version(ids[2]) == ANALYZER_VERSION
    assert store.analysis_version(ids[1]) is None
    # A rerun skips it.
    runaway.asked.clear()
    again = analyze_stored(store, budget=DocumentBudget(time_s=2, memory_mb=0))
    assert (again.documents, again.failed, runaway.asked) == (0, [], [])
    # --retry-failed tries it again: no longer stuck, it is analysed.
    runaway.stuck = False
    retried = analyze_stored(store, retry_failed=True, budget=DocumentBudget(time_s=60))
    assert (retried.documents, retried.failed) == (1, [])
    assert store.analysis_version(ids[1]) == ANALYZER_VERSION
    assert store.analysis_failures() == []


@pytest.mark.slow
def test_the_cli_takes_the_budget_from_the_environment(sqlite_url: str, runaway: Runaway) -> None:
    with Store.open(sqlite_url) as store:
        stuck = add(store, f"{paragraphs(1)[0]} {RUNAWAY}")
        fine = add(store, paragraphs(2)[1])
    runner = CliRunner()
    env = {"EMBER_DOC_TIME_S": "1.5"}
    first = runner.invoke(cli, ["analyze", "--db", sqlite_url, "--workers", "1", "-q"], env=env)
    assert first.exit_code == 1, first.output
    assert f"failed {stuck}: over the 1.5 s budget" in first.output
    assert "analysed 1 documents" in first.output
    rerun = runner.invoke(cli, ["analyze", "--db", sqlite_url, "--workers", "1", "-q"], env=env)
    assert rerun.exit_code == 0 and "analysed 0 documents" in rerun.output
    retry = ["analyze", "--db", sqlite_url, "--workers", "1", "-q", "--retry-failed"]
    retried = runner.invoke(cli, retry, env=env)
    assert retried.exit_code == 1 and f"failed {stuck}" in retried.output  # still stuck
    with Store.open(sqlite_url) as store:
        assert store.analysis_version(fine) == ANALYZER_VERSION


# -- in a pool of workers --------------------------------------------------------

STUCK = "stuck-in-c"


def stuck_group(items: Sequence[AnalysisInput], *, budget: DocumentBudget) -> list[Result]:
    """A stand-in analysis (no spaCy) under the budget's watch: a text holding STUCK
    waits in C code (a sleep), where no exception can reach it."""
    results: list[Result] = []
    for item in items:
        with watch(budget.start(item.doc_id)):
            if STUCK in item.text:
                time.sleep(600)
        results.append((item.doc_id, "ok"))
    return results


def exit_when_stuck() -> None:
    allow_exit_when_stuck()


@pytest.mark.slow
def test_a_pool_worker_stuck_past_its_budget_ends_and_the_others_go_on() -> None:
    budget = DocumentBudget(time_s=1, memory_mb=0)
    pool = LocalPool(2, task=partial(stuck_group, budget=budget), start=exit_when_stuck)
    texts = ["a", "b", STUCK, "d", "e", "f"]
    items = [AnalysisInput(f"d{i}", text) for i, text in enumerate(texts)]
    try:
        results = [r for group in pool.results([items[:2], items[2:4], items[4:]]) for r in group]
    finally:
        pool.close()
    assert [doc_id for doc_id, _ in results] == [f"d{i}" for i in range(6)]
    outcomes = dict(results)
    assert "stuck past its budget" in str(outcomes.pop("d2"))
    assert set(outcomes.values()) == {"ok"}

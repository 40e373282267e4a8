"""The analysis engines' plumbing, with a stand-in for the analysis (no spaCy): results
in order, a worker that dies marks its document failed and the others go on, an abort
stops the workers, one worker or one group starts no process, documents stream from the
store, and a missing Ray is one line."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

import psutil
import pytest
from click.testing import CliRunner

import ember.scale.pipeline as pipeline
from ember.cli import cli
from ember.ingest import content_id
from ember.records import Document
from ember.scale import analyze_stored
from ember.scale import ray_engine as ray_module
from ember.scale.pipeline import Analysis, AnalysisInput
from ember.scale.workers import InProcess, LocalPool, Result, open_engine
from ember.store import Store

from .fake_worker import DIE, SLOW, fake_group, no_start


def groups(texts: Iterable[str], size: int = 2) -> list[list[AnalysisInput]]:
    items = [AnalysisInput(f"d{i}", text) for i, text in enumerate(texts)]
    return [items[at : at + size] for at in range(0, len(items), size)]


def doc_ids(results: Iterable[list[Result]]) -> list[str]:
    return [doc_id for group in results for doc_id, _ in group]


@pytest.mark.slow
def test_a_pool_gives_results_in_order_and_survives_a_dead_worker() -> None:
    texts = ["a", "b", "c", DIE, "e", "f", "g", "h"]
    pool = LocalPool(2, task=fake_group, start=no_start)
    try:
        results = [r for group in pool.results(groups(texts)) for r in group]
    finally:
        pool.close()
    assert [doc_id for doc_id, _ in results] == [f"d{i}" for i in range(8)]
    outcomes = dict(results)
    assert "died" in str(outcomes.pop("d3"))
    assert set(outcomes.values()) == {"ok"}


@pytest.mark.slow
def test_an_abort_stops_the_workers_at_once() -> None:
    pool = LocalPool(2, task=fake_group, start=no_start)
    results = pool.results(groups(["a", "b", SLOW, SLOW, SLOW, SLOW]))
    next(results)
    children = workers()
    assert children
    started = time.monotonic()
    pool.close(abort=True)
    assert time.monotonic() - started < 10
    psutil.wait_procs(children, timeout=5)
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]


def workers() -> list[psutil.Process]:
    """This process's worker processes (not multiprocessing's resource tracker)."""
    return [
        child for child in psutil.Process().children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]  # fmt: skip


def test_one_worker_or_one_group_starts_no_process() -> None:
    with open_engine(workers=1) as engine:
        assert isinstance(engine, InProcess)
    pool = LocalPool(2, task=fake_group, start=no_start)
    assert doc_ids(pool.results(groups(["a", "b"]))) == ["d0", "d1"]
    assert pool._pool is None and not workers()


def fake_many(items: Iterable[AnalysisInput], **_budget: object) -> Iterator[Analysis]:
    for item in items:
        yield Analysis(item.doc_id, [], [], [])


def test_analyze_force_streams_documents_from_the_store(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first analysis is stored before the scan has read far past the first group."""
    for i in range(60):
        body = f"Report {i}: gunmen attacked a checkpoint near the market."
        doc = Document(id=content_id(body), source=f"test://{i}", text=body, format="text")
        store.add_document(doc, signature=None, run_id="r")
    monkeypatch.setattr(pipeline, "analyze_many", fake_many)
    read = 0
    read_when_first_stored: list[int] = []
    scan, add = store.iter_documents, store.add_analysis

    def counting_scan(**kwargs: int) -> Iterator[Document]:
        nonlocal read
        for doc in scan(**kwargs):
            read += 1
            yield doc

    def noting_add(*args: object, **kwargs: object) -> list[str]:
        read_when_first_stored.append(read)
        return add(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "iter_documents", counting_scan)
    monkeypatch.setattr(store, "add_analysis", noting_add)
    summary = analyze_stored(store, force=True)
    assert summary.documents == 60 and read == 60
    assert read_when_first_stored[0] <= 16


def test_engine_ray_without_ray_is_one_line_and_exit_2(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ray_module, "ray_available", lambda: False)
    result = CliRunner().invoke(cli, ["analyze", "--db", "sqlite://", "--engine", "ray"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: --engine ray needs Ray: pip install 'ember[ray]'"


def test_address_without_engine_ray_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["analyze", "--db", "sqlite://", "--address", "auto"])
    assert result.exit_code == 2 and "--address is for --engine ray" in result.output

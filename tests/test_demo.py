"""``ember demo``: the bundled sample corpus goes in whole, with one syndicated copy."""

from __future__ import annotations

import itertools
import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ember.cli import cli
from ember.ingest import fingerprint
from ember.records import Document
from ember.store import Store

CORPUS = Path(str(resources.files("ember") / "samples" / "corpus"))
# Reports per file: feeds and JSON Lines hold several, every other file one.
CONTAINERS = {
    "euphrates-valley-campaign_mesopotamia-wire.xml": 3,
    "wire-briefs_gulf-wire.jsonl": 3,
}
SYNDICATED = {
    "tayaran-square-bombing_tigris-post.txt",
    "tayaran-square-bombing_gulf-news-network-syndicated.html",
}
_SUMMARY = re.compile(r"stored (\d+), duplicates (\d+), near-duplicates (\d+), rejected (\d+)")


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith("."))


def _expected_reports() -> int:
    return sum(CONTAINERS.get(p.name, 1) for p in _files())


def _run_demo(url: str) -> tuple[Result, tuple[int, ...]]:
    result = CliRunner().invoke(cli, ["demo", "--db", url])
    found = _SUMMARY.search(result.output)
    assert found, result.output
    return result, tuple(int(n) for n in found.groups())


def _file_of(doc: Document) -> str:
    """The corpus file a stored document came from (``feed.xml#3`` -> ``feed.xml``)."""
    return next(p.name for p in _files() if doc.source.startswith(str(p)))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Result, tuple[int, ...]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    result, counts = _run_demo(url)
    return url, result, counts


@pytest.fixture(scope="module")
def stored(demo_db: tuple[str, Result, tuple[int, ...]]) -> list[Document]:
    with Store.open(demo_db[0]) as store:
        return list(store.iter_documents())


def test_corpus_has_every_format() -> None:
    suffixes = {p.suffix for p in _files()}
    assert {".txt", ".html", ".xml", ".jsonl"} <= suffixes
    assert _expected_reports() >= 14


def test_demo_stores_everything_with_one_near_duplicate(
    demo_db: tuple[str, Result, tuple[int, ...]], stored: list[Document]
) -> None:
    _url, result, (new, duplicates, near, rejected) = demo_db
    assert result.exit_code == 0, result.output
    assert (rejected, duplicates, near) == (0, 0, 1), result.output
    assert new + near == _expected_reports() == len(stored)


def test_every_file_and_format_is_represented(stored: list[Document]) -> None:
    per_file: dict[str, int] = {}
    for doc in stored:
        per_file[_file_of(doc)] = per_file.get(_file_of(doc), 0) + 1
    assert per_file == {p.name: CONTAINERS.get(p.name, 1) for p in _files()}
    assert len({doc.format for doc in stored}) >= 4


def test_the_near_duplicate_is_the_syndicated_pair(stored: list[Document]) -> None:
    copies = [doc for doc in stored if doc.duplicate_of]
    assert len(copies) == 1
    by_id = {doc.id: doc for doc in stored}
    assert {_file_of(copies[0]), _file_of(by_id[copies[0].duplicate_of])} == SYNDICATED


def test_only_the_syndicated_pair_reaches_the_threshold(stored: list[Document]) -> None:
    prints = {doc.id: fingerprint(doc.text) for doc in stored}
    similar = {
        frozenset((_file_of(a), _file_of(b)))
        for a, b in itertools.combinations(stored, 2)
        if prints[a.id].jaccard(prints[b.id]) >= 0.8
    }
    assert similar == {frozenset(SYNDICATED)}


def test_some_reports_are_dated_and_some_are_not(stored: list[Document]) -> None:
    dated = [doc for doc in stored if doc.published]
    assert 0 < len(dated) < len(stored)


def test_demo_twice_stores_nothing_new(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    _run_demo(url)
    result, (new, duplicates, near, rejected) = _run_demo(url)
    assert result.exit_code == 0, result.output
    assert (new, near, rejected) == (0, 0, 0)
    assert duplicates == _expected_reports()
    with Store.open(url) as store:
        assert store.count_documents() == _expected_reports()

"""The claims suite on a tiny hand-written re3d-format folder (two sources, one document
each) and a fake extractor: every metric with a hit and a miss, the gold reader, bad
input."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ember.errors import ConfigError, ExtractError
from ember.evaluate.claims import (
    ClaimsReport,
    evaluate_claims,
    format_claims_table,
    is_numeric,
    read_gold,
)
from ember.records import Claim

TEXT_A = "The Ridge Council said 1,200 volunteers joined in May, at a cost of $3 million in wages."
TEXT_B = "Two convoys left the depot; about 40 trucks and 6km of road were lost."


def _entity(doc_id: str, text: str, value: str, kind: str, nth: int = 0) -> dict[str, Any]:
    start = text.index(value)
    for _ in range(nth):
        start = text.index(value, start + 1)
    return {"_id": f"{doc_id}-{start}-{kind}", "begin": start, "end": start + len(value),
            "type": kind, "value": value, "documentId": doc_id, "confidence": 1}  # fmt: skip


def _lines(records: list[dict[str, Any]], *, bom: bool = False) -> str:
    body = "\n".join(json.dumps(r) for r in records) + "\n\n"
    return ("\ufeff" if bom else "") + body


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    root = tmp_path / "re3d"
    a, b = root / "B Wire", root / "A Desk"  # sorted: "A Desk" comes first
    a.mkdir(parents=True)
    b.mkdir()
    document = {"_id": "docA", "title": "t", "text": TEXT_A, "sourceName": "B Wire"}
    (a / "documents.json").write_text(_lines([document]), encoding="utf-8")
    (a / "entities.json").write_text(
        _lines(
            [
                _entity("docA", TEXT_A, "1,200", "Quantity"),
                _entity("docA", TEXT_A, "$3 million", "Money"),
                _entity("docA", TEXT_A, "wages", "Money"),
                _entity("docA", TEXT_A, "Ridge Council", "Organisation"),
                _entity("elsewhere", "x" * 99, "x", "Quantity"),
            ],
            bom=True,
        ),
        encoding="utf-8",
    )
    (b / "documents.json").write_text(_lines([{"_id": {"$oid": "docB"}, "text": TEXT_B}],
                                             bom=True), encoding="utf-8")  # fmt: skip
    entities = [
        _entity("docB", TEXT_B, "Two", "Quantity"),
        {**_entity("docB", TEXT_B, "about 40", "Quantity"), "begin": {"$numberInt": "28"}},
        _entity("docB", TEXT_B, "6km", "Quantity"),
    ]
    assert TEXT_B[28:36] == "about 40"
    (b / "entities.json").write_text(_lines(entities), encoding="utf-8")
    return root


def _claim(doc_id: str, text: str, written: str, low: float, unit: str = "count") -> Claim:
    start = text.index(written)
    return Claim(id=f"{doc_id}:{start}", doc_id=doc_id, subject="other", subject_text="",
                 value_low=low, value_high=low, unit=unit, quantity_text=written,
                 quantity_span=(start, start + len(written)), text=text,
                 span=(0, len(text)))  # fmt: skip


class FakeExtract:
    """Canned claims per document id; records the calls."""

    def __init__(self, answers: Mapping[str, Sequence[Claim]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def __call__(self, text: str, doc_id: str) -> Sequence[Claim]:
        self.calls.append((text, doc_id))
        return self.answers.get(doc_id, [])


ANSWERS = {
    # docA: 1,200 found with the right value; $3 million found with a wrong one
    # ("3 million" read as 3); "May" is a spurious claim; "wages" is missed.
    "docA": [
        _claim("docA", TEXT_A, "1,200", 1200),
        _claim("docA", TEXT_A, "May", 5),
        _claim("docA", TEXT_A, "3 million", 3, unit="USD"),
    ],
    # docB: "40" found (about 40 → 40, right); "Two" missed; 6km found, right value
    # is unreadable by the number reader so it is not in value_accuracy.
    "docB": [_claim("docB", TEXT_B, "40", 40), _claim("docB", TEXT_B, "6km", 6, unit="km")],
}


def test_reads_folders_in_name_order_with_bom_and_extended_json(gold: Path) -> None:
    documents = read_gold(gold)
    assert [(d.folder, d.id) for d in documents] == [("A Desk", "docB"), ("B Wire", "docA")]
    b, a = documents
    assert [f.value for f in b.figures] == ["Two", "about 40", "6km"]
    assert [(f.type, f.value) for f in a.figures] == [
        ("Quantity", "1,200"), ("Money", "$3 million"), ("Money", "wages")
    ]  # fmt: skip
    assert all(d.text[f.start : f.end] == f.value for d in documents for f in d.figures)
    assert [d.id for d in read_gold(gold / "B Wire")] == ["docA"]  # one source folder


def check(report: ClaimsReport, metric: str, rate: float, of: int) -> None:
    assert report.metrics[metric] == pytest.approx(rate), metric
    assert report.counts[metric] == of, metric


def test_metrics(gold: Path) -> None:
    extract = FakeExtract(ANSWERS)
    report = evaluate_claims(gold, extract=extract)
    assert [doc_id for _, doc_id in extract.calls] == ["docB", "docA"]
    assert extract.calls[0][0] == TEXT_B
    m = report.metrics
    assert report.n == 2
    check(report, "recall", 4 / 6, 6)
    check(report, "precision", 4 / 5, 5)
    assert m["f1"] == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))
    check(report, "recall_numeric", 4 / 5, 5)  # not wages
    # read by the number reader: 1,200 (right), $3 million (wrong), about 40 (right)
    check(report, "value_accuracy", 2 / 3, 3)
    check(report, "recall_quantity", 3 / 4, 4)
    check(report, "recall_money", 1 / 2, 2)
    by_id = {d.id: d for d in report.documents}
    assert by_id["docA"].missed == ("wages",) and by_id["docA"].spurious == ("May",)
    assert by_id["docB"].missed == ("Two",) and by_id["docB"].found == 2


def test_limit_takes_the_first_documents(gold: Path) -> None:
    extract = FakeExtract(ANSWERS)
    report = evaluate_claims(gold, limit=1, extract=extract)
    assert report.n == 1 and [d.id for d in report.documents] == ["docB"]
    assert report.counts["recall"] == 3
    assert evaluate_claims(gold, limit=0, extract=extract).metrics["recall"] == 0.0
    with pytest.raises(ConfigError):
        evaluate_claims(gold, limit=-1, extract=extract)


def test_json_matches_the_readme(gold: Path) -> None:
    data = evaluate_claims(gold, extract=FakeExtract(ANSWERS)).as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["suite"] == "claims" and data["n"] == 2
    assert {"recall", "precision"} <= set(data["metrics"])
    assert all(0.0 <= v <= 1.0 for v in data["metrics"].values())


def test_an_error_on_one_document_is_recorded_and_scores_no_claims(gold: Path) -> None:
    def extract(text: str, doc_id: str) -> Sequence[Claim]:
        if doc_id == "docB":
            raise ExtractError("text too strange")
        return ANSWERS[doc_id]

    report = evaluate_claims(gold, extract=extract)
    assert report.errors == ({"doc_id": "docB", "folder": "A Desk", "reason": "text too strange"},)
    assert report.counts["recall"] == 6 and report.metrics["recall"] == pytest.approx(2 / 6)
    assert "error on 1 document" in format_claims_table(report)


def test_table(gold: Path) -> None:
    table = format_claims_table(evaluate_claims(gold, extract=FakeExtract(ANSWERS)))
    assert table.splitlines()[0].startswith("claims, re3d Quantity/Money: 2 documents")
    assert any(line.split()[:3] == ["recall", "0.667", "6"] for line in table.splitlines())
    assert any(line.split()[:3] == ["precision", "0.800", "5"] for line in table.splitlines())


def test_empty_report_table() -> None:
    report = ClaimsReport(n=0, metrics={"recall": 0.0}, counts={}, documents=())
    assert "0 documents" in format_claims_table(report)


@pytest.mark.parametrize(
    ("value", "numeric"),
    [("80,000", True), ("two", True), ("a few thousand", True), ("dozens", True),
     ("Over half a million", True), ("wages", False), ("a", False), ("money", False),
     ("The salaries", False)],
)  # fmt: skip
def test_is_numeric(value: str, numeric: bool) -> None:
    assert is_numeric(value) is numeric


def test_bad_gold(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_gold(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="no sub-folder"):
        read_gold(tmp_path)
    folder = tmp_path / "Src"
    folder.mkdir()
    (folder / "documents.json").write_text('{"_id": "d", "text": "ten men"}\n{oops\n')
    with pytest.raises(ConfigError, match=r"documents\.json:2"):
        read_gold(tmp_path)
    (folder / "documents.json").write_text('{"_id": "d", "text": "ten men"}\n')
    with pytest.raises(ConfigError, match=r"entities\.json"):
        read_gold(tmp_path)
    span = {"type": "Quantity", "documentId": "d", "begin": 4, "end": 40, "value": "men"}
    (folder / "entities.json").write_text(json.dumps(span) + "\n")
    with pytest.raises(ConfigError, match="outside the document"):
        read_gold(tmp_path)

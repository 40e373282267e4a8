"""``ember claims``, ``ember export claims`` and ``ember eval claims`` on reports written
for these tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli

REPORTS = {
    "a.txt": (
        "Militants regroup in the desert\nPublished 3 March 2020\n"
        "The Islamic State has about 10,000 fighters in Iraq and Syria, according to the "
        "New York Times. Villagers near the river say patrols have become rare at night.\n"
    ),
    "b.txt": (
        "Weekly security digest\nPublished 5 March 2020\n"
        "Shepherds complained about stolen flocks in the hills west of the town. The "
        "Islamic State has about 10,000 fighters in Iraq and Syria, according to the New "
        "York Times, while local councils ask for more police.\n"
    ),
    "c.txt": (
        "Pentagon briefing\nPublished 20 April 2020\n"
        "The Pentagon said the Islamic State has 30,000 fighters in Iraq and Syria.\n"
    ),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("claims")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = f"sqlite:///{folder / 'c.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    assert "3 claims" in result.output
    return db


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_ledger_flags_conflicts_and_collapses_echoes(store: str) -> None:
    output = run("claims", "--subject", "fighters", "--db", store)
    assert "CONFLICT" in output
    assert "ECHO" in output
    assert "The New York Times" in output


def test_the_ledger_as_json(store: str) -> None:
    ledger = json.loads(run("claims", "--subject", "fighters", "--format", "json", "--db", store))
    (group,) = ledger["groups"]
    assert (group["subject"], group["actor"], group["scope"]) == (
        "fighters",
        "Islamic State",
        "Iraq; Syria",
    )
    assert group["has_conflicts"]
    echoed, pentagon = group["entries"]
    assert len(echoed["doc_ids"]) == 2
    assert pentagon["value_low"] == 30000


def test_filters_keep_what_is_asked(store: str) -> None:
    none = json.loads(run("claims", "--subject", "prisoners", "--format", "json", "--db", store))
    assert none["groups"] == []
    later = json.loads(run("claims", "--since", "2020-04", "--format", "json", "--db", store))
    assert [e["value_low"] for g in later["groups"] for e in g["entries"]] == [30000]


def test_a_bad_date_is_a_usage_error(store: str) -> None:
    result = CliRunner().invoke(cli, ["claims", "--since", "last week", "--db", store])
    assert result.exit_code == 2
    assert "not a date" in result.output
    assert "Traceback" not in result.output


def test_export_claims_as_jsonl_and_csv(store: str) -> None:
    rows = [json.loads(line) for line in run("export", "claims", "--db", store).splitlines()]
    assert len(rows) == 3
    first = rows[0]
    for field in ("id", "doc_id", "source", "subject", "value_low", "value_high", "unit",
                  "qualifier", "place", "as_of", "attributed_to", "text", "span"):  # fmt: skip
        assert field in first
    table = list(
        csv.DictReader(io.StringIO(run("export", "claims", "--format", "csv", "--db", store)))
    )
    assert {row["value_low"] for row in table} == {"10000", "30000"}


def test_export_claims_as_acled_is_refused(store: str) -> None:
    result = CliRunner().invoke(cli, ["export", "claims", "--format", "acled", "--db", store])
    assert result.exit_code == 2


def test_eval_claims_on_a_tiny_re3d_folder(tmp_path: Path) -> None:
    source = tmp_path / "re3d" / "Wire"
    source.mkdir(parents=True)
    text = "The militia has 2,000 fighters and $5 million in cash."
    (source / "documents.json").write_text(
        json.dumps({"_id": "d1", "text": text, "title": "t"}) + "\n", encoding="utf-8"
    )
    entities = [
        {"_id": "e1", "documentId": "d1", "begin": 16, "end": 21, "type": "Quantity",
         "value": "2,000"},
        {"_id": "e2", "documentId": "d1", "begin": 35, "end": 45, "type": "Money",
         "value": "$5 million"},
    ]  # fmt: skip
    (source / "entities.json").write_text(
        "".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8"
    )
    report = json.loads(run("eval", "claims", "--gold", str(tmp_path / "re3d"), "--json"))
    assert report["suite"] == "claims"
    assert report["n"] == 1
    assert report["metrics"]["recall"] == 1.0
    assert report["metrics"]["precision"] == 1.0

"""``ember review`` from the shell: accept, reject and set survive ``ember analyze
--force``, the audit trail exports as JSONL and CSV, errors are one line with exit 1
(unknown id) or 2 (unknown field or value); ``--db`` before or after the command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli

REPORT = (
    "Clash near Hit\n"
    "Published 9 June 2019\n"
    "Militants of the Islamic State attacked an army checkpoint near Hit on Saturday, "
    "killing four soldiers, a provincial official said.\n"
    "Separately, police arrested two smugglers in Rutba on Sunday.\n"
)


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def db(tmp_path: Path) -> str:
    report = tmp_path / "hit.txt"
    report.write_text(REPORT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    # The global --db, given before the command.
    run("--db", url, "ingest", str(report), "-q")
    return url


def _events(db: str, *flags: str) -> list[dict[str, object]]:
    out = run(*flags, "export", "events", "--db", db)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_reviewed_fields_survive_reanalysis(db: str) -> None:
    events = _events(db)
    assert len(events) >= 2
    first, second = events[0]["id"], events[1]["id"]
    out = run("review", "set", str(first), "fatalities", "6", "--by", "alice", "--db", db)
    assert "fatalities" in out and "-> 6 (by alice)" in out
    run("review", "set", str(first), "sub_event_type", "Attack", "--by", "alice", "--db", db)
    run("review", "reject", str(second), "--by", "bob", "--db", db)
    run("analyze", "--force", "--db", db)
    after = {e["id"]: e for e in _events(db)}
    assert second not in after
    assert after[first]["fatalities"] == 6
    assert after[first]["sub_event_type"] == "Attack"
    assert after[first]["event_type"] == "Violence against civilians"
    # Only the edited event is reviewed (the rejected one is hidden).
    assert [e["id"] for e in _events(db, "--reviewed-only")] == [first]
    assert len(_events(db)) == len(after)


def test_the_audit_trail_exports(db: str, tmp_path: Path) -> None:
    event = _events(db)[0]["id"]
    run("review", "set", str(event), "date", "2019-06", "--by", "carol", "--db", db)
    run("review", "accept", str(event), "--by", "dan", "--db", db)
    lines = [json.loads(line) for line in run("review", "export", "--db", db).splitlines()]
    assert [(e["field"], e["by"]) for e in lines] == [("date", "carol"), ("status", "dan")]
    assert lines[0]["new"] == "2019-06-01..2019-06-30" and lines[1]["new"] == "accepted"
    out = tmp_path / "log.csv"
    run("review", "export", "--format", "csv", "--out", str(out), "--db", db)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["field"] for r in rows] == ["date", "status"] and rows[1]["new"] == '"accepted"'


def test_errors_are_one_line(db: str) -> None:
    event = str(_events(db)[0]["id"])
    result = CliRunner().invoke(cli, ["review", "accept", "nope", event, "--by", "x", "--db", db])
    assert result.exit_code == 1 and "error: no event 'nope'" in result.output
    assert "status - -> accepted" in result.output  # the known id was still accepted
    for field, value, message in [
        ("colour", "red", "no event field 'colour'"),
        ("sub_event_type", "Picnic", "no sub-event type 'Picnic'"),
        ("fatalities", "many", "whole number"),
        ("date", "2019-13-40", "no such date"),
    ]:
        result = CliRunner().invoke(
            cli, ["review", "set", event, field, value, "--by", "x", "--db", db]
        )
        assert result.exit_code == 2 and message in result.output
        assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["review", "accept", event, "--db", db], env={})
    assert result.exit_code == 2 and "--by" in result.output


def test_db_after_the_command_too(tmp_path: Path) -> None:
    report = tmp_path / "a.txt"
    report.write_text(REPORT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'after.db'}"
    assert "stored 1" in run("ingest", "--db", url, str(report), "--no-analyze", "-q")
    assert "stored 0, duplicates 1" in run("--db", url, "ingest", str(report), "-q")

"""The CLI contract: help everywhere, documented, exit codes, --db and EMBER_DB."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ember.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, path + " "))
    return found


@pytest.mark.parametrize(("path", "command"), all_commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_and_docs(path: str, command: click.Command) -> None:
    assert command.help, f"ember {path} has no help text"
    assert re.search(rf"^#+ `ember {re.escape(path)}`", DOCS.read_text(), re.M), (
        f"ember {path} is missing from docs/cli.md"
    )


def write_report(folder: Path, name: str, town: str) -> Path:
    path = folder / name
    path.write_text(
        f"Clashes near {town}\n\nFighters attacked a police post near {town} on Monday "
        f"evening and withdrew after an exchange of fire that lasted two hours, a local "
        f"official in {town} said.\n",
        encoding="utf-8",
    )
    return path


def test_ingest_then_export_with_db_flag(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    report = write_report(tmp_path, "one.txt", "Hit")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(report), "--db", db])
    assert result.exit_code == 0, result.output
    assert "stored 1, duplicates 0, near-duplicates 0, rejected 0" in result.output
    again = runner.invoke(cli, ["ingest", str(report), "--db", db])
    assert "stored 0, duplicates 1" in again.output and again.exit_code == 0

    exported = runner.invoke(cli, ["export", "documents", "--format", "jsonl", "--db", db])
    (row,) = [json.loads(line) for line in exported.output.splitlines()]
    assert row["source"] == str(report)
    assert list(row)[:14] == [
        "id", "source", "title", "publisher", "author", "published", "published_precision",
        "published_after", "published_before", "published_after_basis",
        "published_before_basis", "language", "text", "duplicate_of",
    ]  # fmt: skip


def test_ember_db_environment_variable_is_used(tmp_path: Path) -> None:
    db_path = tmp_path / "env.db"
    report = write_report(tmp_path, "two.txt", "Rawa")
    runner = CliRunner(env={"EMBER_DB": f"sqlite:///{db_path}"})
    assert runner.invoke(cli, ["ingest", str(report)]).exit_code == 0
    assert db_path.exists()
    out = tmp_path / "docs.csv"
    result = runner.invoke(cli, ["export", "documents", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,source,title,")


def test_rejections_exit_1_and_keep_the_good(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    good = write_report(tmp_path, "good.txt", "Anah")
    result = CliRunner().invoke(
        cli, ["ingest", str(good), str(tmp_path / "missing.txt"), "--db", db]
    )
    assert result.exit_code == 1
    assert "stored 1" in result.output
    assert "missing.txt: no such file or folder" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],
        ["export", "events-and-more"],
        ["export", "documents", "--format", "xml"],
        ["ingest", "x.txt", "--db", "mysql://u@h/db"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_unreachable_database_is_one_line_exit_1() -> None:
    result = CliRunner().invoke(
        cli, ["export", "documents", "--db", "postgresql://x@127.0.0.1:1/d"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open database")
    assert "Traceback" not in result.output


def test_db_works_before_the_command_and_beats_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Gunmen attacked a checkpoint in Hit on 3 May 2021, officials said.")
    before, env = tmp_path / "before.db", tmp_path / "env.db"
    monkeypatch.setenv("EMBER_DB", f"sqlite:///{env}")
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{before}", "ingest", str(report)])
    assert result.exit_code == 0, result.output
    assert before.exists() and not env.exists()
    after = tmp_path / "after.db"
    both = ["--db", f"sqlite:///{before}", "export", "documents", "--db", f"sqlite:///{after}"]
    assert CliRunner().invoke(cli, both).exit_code == 0
    assert after.exists()

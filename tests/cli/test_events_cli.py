"""``ember analyze``, event and entity exports, and the events/geo harnesses from the
command line, on reports written for these tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.report import ACLED_COLUMNS

REPORT = (
    "Bombing in Kirkuk\n"
    "Published 4 May 2018\n"
    "A car bomb exploded near a police checkpoint in Kirkuk on Thursday, killing three "
    "policemen and wounding five civilians, officials said.\n"
    "The Islamic State claimed responsibility for the attack in a statement.\n"
)


@pytest.fixture
def store(tmp_path: Path) -> str:
    report = tmp_path / "kirkuk.txt"
    report.write_text(REPORT, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'e.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(report), "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    assert "analysed 1 documents: 1 events, " in result.output
    return db


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_ingest_analyses_and_exports_the_event(store: str) -> None:
    (line,) = run("export", "events", "--db", store).splitlines()
    event = json.loads(line)
    assert event["sub_event_type"] == "Remote explosive/landmine/IED"
    assert event["event_type"] == "Explosions/Remote violence"
    assert event["location"]["canonical"] == "Kirkuk"
    assert event["location"]["country"] == "IQ"
    assert event["date"] == {"start": "2018-05-03", "end": "2018-05-03", "precision": "day"}
    assert (event["fatalities"], event["wounded"]) == (3, 5)
    assert event["actor1"] == "Islamic State"


def test_acled_export_has_acled_columns_and_codes(store: str) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("export", "events", "--format", "acled", "--db", store)))
    )
    assert len(rows) == 1
    assert tuple(rows[0]) == ACLED_COLUMNS
    row = rows[0]
    assert (row["iso"], row["country"], row["region"]) == ("368", "Iraq", "Middle East")
    assert row["event_id_cnty"].startswith("IRQ")
    assert (row["event_date"], row["time_precision"], row["fatalities"]) == ("2018-05-03", "1", "3")


def test_geojson_export_is_a_feature_collection(store: str) -> None:
    collection = json.loads(run("export", "events", "--format", "geojson", "--db", store))
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert 35 < lat < 36 and 44 < lon < 45


def test_entities_export_lists_actors_and_places(store: str) -> None:
    entities = [json.loads(line) for line in run("export", "entities", "--db", store).splitlines()]
    kinds = {(e["kind"], e["canonical"]) for e in entities}
    assert ("place", "Kirkuk") in kinds
    assert ("actor", "Islamic State") in kinds


def test_a_format_that_cannot_hold_the_records_is_a_usage_error(store: str) -> None:
    result = CliRunner().invoke(cli, ["export", "documents", "--format", "acled", "--db", store])
    assert result.exit_code == 2
    assert "use jsonl or csv" in result.output


def test_analyze_again_only_with_force(store: str) -> None:
    assert "analysed 0 documents" in run("analyze", "--db", store, "-q")
    assert "analysed 1 documents: 1 events, " in run("analyze", "--db", store, "--force", "-q")
    assert len(run("export", "events", "--db", store).splitlines()) == 1


def test_eval_events_reads_a_case_file(tmp_path: Path) -> None:
    gold = tmp_path / "case.tsv"
    gold.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA suicide bomber blew himself up at a market in Kano, killing nine.\tSUIC_BOMB\n"
        "2\tThe two foreign ministers met in Geneva to discuss trade.\tDIPLO\n",
        encoding="utf-8",
    )
    result = json.loads(run("eval", "events", "--gold", str(gold), "--json"))
    assert result["format"] == "case"
    assert result["metrics"]["sub_event_accuracy"] == 1.0
    assert result["metrics"]["no_event_outside"] == 1.0


def test_eval_with_a_bad_gold_file_is_one_line(tmp_path: Path) -> None:
    gold = tmp_path / "other.csv"
    gold.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "events", "--gold", str(gold)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output

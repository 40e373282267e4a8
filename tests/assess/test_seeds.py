"""ember assess on the five seed reports (read from ../shared/seeds at test time, never
copied): only what the evidence reliably supports today, since event extraction on real
prose is still improving."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.store import Store

from ..conftest import SHARED

SEEDS = SHARED / "seeds"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="no ../shared/seeds"),
]


@pytest.fixture(scope="module")
def seeds_assessment(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, object], set[str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'ember.db'}"
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(SEEDS), "--db", url, "-q"])
    assert ingested.exit_code == 0, ingested.output
    out = runner.invoke(cli, ["assess", "--db", url, "--format", "json"])
    assert out.exit_code == 0, out.output
    with Store.open(url) as store:
        stored = {doc.id for doc in store.iter_documents()}
    return json.loads(out.output), stored


def test_the_group_persists_as_a_threat_after_losing_territory(
    seeds_assessment: tuple[dict[str, object], set[str]],
) -> None:
    result, _ = seeds_assessment
    verdict = result["verdict"]
    assert result["actor"] == "Islamic State"
    assert verdict["level"] in ("moderate", "high", "severe")  # type: ignore[index]
    assert verdict["trend"] in ("persisting", "rising")  # type: ignore[index]
    assert "after losing territory" in verdict["summary"]  # type: ignore[index]
    territory = next(i for i in result["indicators"] if i["name"] == "territory")  # type: ignore[union-attr, index]
    assert territory["detail"]["losses"] >= 1  # type: ignore[index]


def test_capabilities_and_judgments_are_sourced(
    seeds_assessment: tuple[dict[str, object], set[str]],
) -> None:
    result, stored = seeds_assessment
    caps = result["capabilities"]
    fighters = [c for c in caps if c["subject"] == "fighters" and c["high"] >= 10000]  # type: ignore[union-attr, index, operator]
    assert fighters and len(fighters[0]["sources"]) >= 2  # type: ignore[index, arg-type]
    assert any(c["subject"] == "funds" for c in caps)  # type: ignore[union-attr, index]
    assert any(c["subject"] == "prisoners" for c in caps)  # type: ignore[union-attr, index]
    stances = {s["stance"] for s in result["statements"]}  # type: ignore[union-attr, index]
    assert {"persisting", "rising"} <= stances
    for judgment in result["judgments"]:  # type: ignore[union-attr]
        assert judgment["cites"] and set(judgment["cites"]) <= stored  # type: ignore[index]

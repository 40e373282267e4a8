"""ember assess on synthetic stores where the right answer is known: rising, falling,
spreading, territory lost, capability from the ledger, and no data at all."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from ember.assess import ALL, AssessFilters, NoEvidence, assess, assessment_json
from ember.cli import cli
from ember.store import Store

from .stores import (
    ARMY,
    BAQUBA,
    GROUP,
    MOSUL,
    RAMADI,
    TAL_AFAR,
    Happening,
    add_report,
    monthly_days,
)

WINDOW = {"since": date(2021, 1, 1), "until": date(2021, 6, 30)}


def _fill(store: Store, days: list[str], where: object = MOSUL, **kw: object) -> None:
    for n, day in enumerate(days):
        text = f"Report {n} from {day} at {where}: militants set off a roadside bomb. {kw}"
        add_report(store, text, published=day, events=[Happening(day=day, where=where, **kw)])  # type: ignore[arg-type]


def _run(store: Store, **kw: object) -> dict[str, object]:
    filters = AssessFilters(**{**WINDOW, **kw})  # type: ignore[arg-type]
    return assessment_json(assess(store, filters, with_statements=False))


def _indicator(result: dict[str, object], name: str) -> dict[str, object]:
    return next(i for i in result["indicators"] if i["name"] == name)  # type: ignore[union-attr, index]


def test_rising_tempo_is_rising(store: Store) -> None:
    _fill(store, monthly_days(2020, [7, 8, 9, 10, 11, 12], 1))
    _fill(store, monthly_days(2021, [1, 2, 3, 4, 5, 6], 4))
    result = _run(store)
    tempo = _indicator(result, "tempo")
    assert result["actor"] == GROUP
    assert tempo["detail"]["events"] == 24 and tempo["detail"]["baseline_events"] == 6  # type: ignore[index]
    assert tempo["detail"]["test"]["verdict"] == "rising"  # type: ignore[index]
    assert tempo["change"] > 2  # type: ignore[operator]
    assert result["verdict"]["trend"] == "rising"  # type: ignore[index]
    assert result["period"] == {
        "since": "2021-01-01",
        "until": "2021-06-30",
        "baseline_since": "2020-07-01",
        "baseline_until": "2020-12-31",
    }
    assert [m["events"] for m in result["monthly"]] == [4, 4, 4, 4, 4, 4]  # type: ignore[index, union-attr]


def test_falling_tempo_is_declining(store: Store) -> None:
    _fill(store, monthly_days(2020, [7, 8, 9, 10, 11, 12], 4))
    _fill(store, monthly_days(2021, [1, 2, 3], 1))
    result = _run(store)
    assert _indicator(result, "tempo")["detail"]["test"]["verdict"] == "declining"  # type: ignore[index]
    assert result["verdict"]["trend"] == "declining"  # type: ignore[index]


def test_a_handful_of_events_is_too_few_to_tell(store: Store) -> None:
    _fill(store, ["2020-11-02", "2021-03-05", "2021-04-09"])
    result = _run(store)
    tempo = _indicator(result, "tempo")
    assert tempo["detail"]["test"]["verdict"] == "too few to tell"  # type: ignore[index]
    assert result["verdict"]["trend"] == "unclear"  # type: ignore[index]
    assert result["verdict"]["confidence"] == "low"  # type: ignore[index]
    texts = " ".join(j["text"] for j in result["judgments"])  # type: ignore[union-attr, index]
    assert "little evidence" in texts and "3 documents" in texts


def test_spreading_shows_new_areas(store: Store) -> None:
    _fill(store, monthly_days(2020, [8, 10, 12], 2), where=MOSUL)
    _fill(store, monthly_days(2021, [1, 2], 2), where=TAL_AFAR)
    _fill(store, monthly_days(2021, [3, 4], 2), where=RAMADI)
    _fill(store, monthly_days(2021, [5, 6], 2), where=BAQUBA)
    result = _run(store)
    spread = _indicator(result, "spread_admin1")
    assert spread["value"] == 3 and spread["baseline"] == 1
    assert spread["detail"]["new_areas"] == ["Al Anbar, IQ", "Diyala, IQ"]  # type: ignore[index]
    regions = {r["admin1"]: r for r in result["regions"]}  # type: ignore[union-attr, index]
    assert regions["Nineveh"]["events"] == 4 and regions["Nineveh"]["baseline_events"] == 6
    assert regions["Diyala"]["country"] == "Iraq"


def test_admin1_and_country_scope(store: Store) -> None:
    _fill(store, monthly_days(2021, [1, 2], 2), where=MOSUL)
    _fill(store, monthly_days(2021, [3], 3), where=RAMADI)
    only = _run(store, admin1="Anbar", countries=("IQ",))
    assert _indicator(only, "tempo")["detail"]["events"] == 3  # type: ignore[index]
    with pytest.raises(NoEvidence, match="no events"):
        _run(store, countries=("SY",))


def test_territory_lost_and_the_verdict_says_so(store: Store) -> None:
    _fill(store, monthly_days(2021, [2, 3, 4, 5], 3))
    add_report(
        store,
        "The army retook the town of Ramadi from the group.",
        published="2021-03-10",
        events=[
            Happening(
                day="2021-03-09",
                where=RAMADI,
                sub_event="Government regains territory",
                event_type="Battles",
                actor1=ARMY,
                actor2=GROUP,
                inter1=1,
                inter2=2,
            )
        ],
    )
    result = _run(store)
    territory = _indicator(result, "territory")
    assert territory["value"] == -1
    change = territory["detail"]["changes"][0]  # type: ignore[index]
    assert change["direction"] == "loss" and change["place"] == "Ramadi"
    assert "after losing territory" in result["verdict"]["summary"]  # type: ignore[index]
    assert "losing ground (Ramadi 2021-03)" in result["judgments"][0]["text"]  # type: ignore[index]


def test_capability_from_the_ledger_with_every_source(store: Store) -> None:
    _fill(store, monthly_days(2021, [2, 3], 2))
    add_report(
        store,
        "Intelligence estimates put the group at 15,000 to 20,000 fighters.",
        published="2021-04-01",
        claims=[
            {
                "subject": "fighters",
                "low": 15000,
                "high": 20000,
                "as_of": "2021-04-01",
                "source": "US intelligence",
            }
        ],
    )
    add_report(
        store,
        "A newspaper counted 18,000 active members of the group.",
        published="2021-05-01",
        claims=[
            {
                "subject": "fighters",
                "low": 18000,
                "as_of": "2021-05-01",
                "source": "The New York Times",
            }
        ],
    )
    add_report(
        store,
        "The group holds about $300 million.",
        published="2021-05-02",
        claims=[{"subject": "funds", "low": 300e6, "unit": "USD", "as_of": "2021-05-02"}],
    )
    result = _run(store)
    caps = {c["subject"]: c for c in result["capabilities"]}  # type: ignore[union-attr, index]
    fighters = caps["fighters"]
    assert (fighters["low"], fighters["high"], fighters["conflict"]) == (15000, 20000, False)
    assert [s["attributed_to"] for s in fighters["sources"]] == [
        "US intelligence",
        "The New York Times",
    ]
    assert caps["funds"]["low"] == 300_000_000
    assert result["verdict"]["components"]["fighters"] == 1.0  # type: ignore[index]
    judged = [j for j in result["judgments"] if j["kind"] == "capability"]  # type: ignore[union-attr, index]
    assert judged and all(j["cites"] for j in judged)


def test_json_contract_and_every_judgment_cites_stored_documents(store: Store) -> None:
    _fill(store, monthly_days(2021, [1, 3, 5], 2))
    result = _run(store)
    assert {
        "actor",
        "scope",
        "period",
        "verdict",
        "indicators",
        "regions",
        "monthly",
        "capabilities",
        "judgments",
        "statements",
    } <= set(result)
    assert {"country", "admin1"} <= set(result["scope"])  # type: ignore[arg-type]
    assert {"level", "trend", "confidence", "summary"} <= set(result["verdict"])  # type: ignore[arg-type]
    for indicator in result["indicators"]:  # type: ignore[union-attr]
        assert {"name", "value", "baseline", "change", "unit", "evidence"} <= set(indicator)
    stored = {doc.id for doc in store.iter_documents()}
    for judgment in result["judgments"]:  # type: ignore[union-attr]
        assert judgment["cites"] and set(judgment["cites"]) <= stored  # type: ignore[index]
    json.dumps(result)


def test_all_actors_and_the_default_actor(store: Store) -> None:
    _fill(store, monthly_days(2021, [1, 2], 2))
    _fill(store, monthly_days(2021, [3], 1), actor1="PKK: Kurdistan Workers Party", actor2=ARMY)
    everything = _run(store, actor=ALL)
    assert everything["actor"] == "all"
    assert _indicator(everything, "tempo")["detail"]["events"] == 5  # type: ignore[index]
    assert _run(store)["actor"] == GROUP
    assert _run(store, actor="isis")["actor"] == GROUP  # an alias in the actor table


def test_no_events_for_the_actor_is_an_error(store: Store) -> None:
    with pytest.raises(NoEvidence):
        _run(store)
    _fill(store, ["2021-02-01"])
    with pytest.raises(NoEvidence, match="Al Qaeda"):
        _run(store, actor="Al Qaeda")


def test_cli_json_markdown_table_and_exit_1(db_url: str) -> None:
    with Store.open(db_url) as store:
        _fill(store, monthly_days(2021, [1, 2, 3, 4], 3))
    runner = CliRunner()
    args = ["assess", "--db", db_url, "--since", "2021-01", "--until", "2021-06", "--no-statements"]
    out = runner.invoke(cli, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["actor"] == GROUP and data["period"]["until"] == "2021-06-30"
    md = runner.invoke(cli, [*args, "--format", "markdown"])
    assert md.exit_code == 0 and md.output.startswith("# Threat assessment: Islamic State")
    table = runner.invoke(cli, args)
    assert table.exit_code == 0 and "Key judgments" in table.output
    missing = runner.invoke(cli, [*args, "--actor", "Nobody At All"])
    assert missing.exit_code == 1
    assert "no events for 'Nobody At All'" in missing.output
    assert "Traceback" not in missing.output


def test_cli_bad_options_are_one_line(sqlite_url: str) -> None:
    runner = CliRunner()
    for bad in (
        ["--country", "Atlantis"],
        ["--since", "yesterday"],
        ["--baseline", "2020-05..2020-01"],
    ):
        out = runner.invoke(cli, ["assess", "--db", sqlite_url, *bad])
        assert out.exit_code == 2 and "Traceback" not in out.output, out.output


def test_explicit_and_no_baseline(store: Store) -> None:
    _fill(store, monthly_days(2019, [3], 2))
    _fill(store, monthly_days(2021, [3], 2))
    explicit = _run(store, baseline=(date(2019, 1, 1), date(2019, 12, 31)))
    assert _indicator(explicit, "tempo")["detail"]["baseline_events"] == 2  # type: ignore[index]
    none = _run(store, no_baseline=True)
    assert none["period"]["baseline_since"] is None  # type: ignore[index]
    assert _indicator(none, "tempo")["detail"]["test"]["verdict"] == "no baseline"  # type: ignore[index]

"""A review made in the app survives ``ember analyze --force`` run from the shell, and
the event's page still shows the reviewed values and who changed what, from what."""

from __future__ import annotations

import html
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from ember.cli import cli
from ember.web import create_app

REPORT = (
    "Clash near Hit\n"
    "Published 9 June 2019\n"
    "Militants of the Islamic State attacked an army checkpoint near Hit on Saturday, "
    "killing four soldiers, a provincial official said.\n"
)
TOKEN = "carol-token-5d1"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_review_made_in_the_app_survives_reanalysis_with_its_trail(tmp_path: Path) -> None:
    report = tmp_path / "hit.txt"
    report.write_text(REPORT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'review.db'}"
    run("--db", url, "ingest", str(report), "-q")
    app = create_app(url, reviewers={TOKEN: "carol"})
    with TestClient(app) as client:
        (event,) = client.get("/api/events").json()["items"]
        assert event["fatalities"] == 4
        form = {"token": TOKEN, "fatalities": "5", "date": "2019-06-07"}
        posted = client.post(f"/api/review/event/{event['id']}/set", data=form,
                             follow_redirects=False)  # fmt: skip
        assert posted.status_code == 303, posted.text
        client.post(f"/api/review/event/{event['id']}/accept", data={"token": TOKEN},
                    follow_redirects=False)  # fmt: skip

    assert "analysed 1 documents" in run("--db", url, "analyze", "--force")

    with TestClient(create_app(url)) as client:
        (after,) = client.get("/api/events").json()["items"]
        assert after["id"] == event["id"] and after["fatalities"] == 5
        assert after["date"]["start"] == after["date"]["end"] == "2019-06-07"
        page = client.get(f"/events/{event['id']}")
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert 'data-status="accepted"' in text
        trail = text[text.index('id="trail-table"') :]
        # Who, which field, before and after: each change once, after the re-analysis too.
        assert trail.count("<td>carol</td>") == 3
        assert "<td>fatalities</td>\n      <td>4</td><td>5</td>" in trail
        assert "<td>status</td>" in trail and "<td>accepted</td>" in trail
        record = client.get(f"/api/review/event/{event['id']}").json()
        oldest_first = [(e["field"], e["by"]) for e in reversed(record["trail"])]
        assert sorted(oldest_first[:2]) == [("date", "carol"), ("fatalities", "carol")]
        assert oldest_first[2:] == [("status", "carol")]

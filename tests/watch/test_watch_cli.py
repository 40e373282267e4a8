"""``ember watch``: --once for cron, a bad rules file in one line (exit 2), Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli

from .conftest import ITEMS, FeedServer

RULES = """
[[rule]]
id = "is-deadly"
kind = "event"
actor = "Daesh"
min_fatalities = 3
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default store (./ember.db) of a command given no --db lands in tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EMBER_DB", raising=False)


def watch(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["watch", *args])
    return result.exit_code, result.stdout, result.stderr


def test_once_polls_and_exits(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.serve(ITEMS[:2])
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    log = tmp_path / "alerts.jsonl"
    db = f"sqlite:///{tmp_path / 'ember.db'}"
    args = [feed_server.url, "--once", "--rules", str(rules), "--alerts-log", str(log)]
    code, out, _err = watch(*args, "--allow-private", "--db", db)
    assert code == 0
    assert "ALERT [is-deadly]" in out and "2 new documents" in out
    code, out, _err = watch(*args, "--allow-private", "--db", db)
    assert (code, "ALERT" in out) == (0, False)
    assert [json.loads(line)["rule"] for line in log.read_text().splitlines()] == ["is-deadly"]


def test_once_exits_1_when_a_source_failed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ember.db'}"
    code, _out, err = watch(str(tmp_path / "missing"), "--once", "--db", db)
    assert code == 1 and "no such file" in err


def test_a_loopback_feed_is_refused_without_allow_private(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.serve(ITEMS[:1])
    code, _out, err = watch(feed_server.url, "--once", "--db", f"sqlite:///{tmp_path / 'e.db'}")
    assert code == 1 and "loopback" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[rule]]\nid = 'a'\nkind = 'nope'\n", "'kind' must be one of"),
        ("[[rule]\n", "not valid TOML"),
        ("[[rule]]\nid = 'a'\nkind = 'event'\nactor = 'No Such Group'\n", "no actor"),
        ("[[rule]]\nid = 'a'\nkind = 'event'\nplace = 'Qqqxzzy'\nwithin_km = 5\n", "no place"),
        ("[[rule]]\nid = 'a'\nkind = 'event'\nplace = 'Mosul'\n", "within_km"),
        ("[[rule]]\nid = 'a'\nkind = 'claim'\nsubject = 'fighters'\n", "above"),
        ("[[rule]]\nid = 'a'\nkind = 'event'\nmin_fatalities = 1\ncolour = 'red'\n", "unknown key"),
        (
            "[[rule]]\nid = 'a'\nkind = 'tempo'\n[[rule]]\nid = 'a'\nkind = 'tempo'\n",
            "two rules",
        ),
    ],
)
def test_a_bad_rules_file_is_one_line_and_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    code, out, err = watch(str(tmp_path), "--once", "--rules", str(rules))
    assert code == 2, out + err
    assert len(err.strip().splitlines()) == 1 and expected in err
    assert "Traceback" not in err


def test_a_missing_rules_file_and_a_bad_interval_exit_2(tmp_path: Path) -> None:
    code, _out, err = watch(str(tmp_path), "--once", "--rules", str(tmp_path / "none.toml"))
    assert code == 2 and "cannot read the rules file" in err
    code, _out, err = watch(str(tmp_path), "--every", "soon")
    assert code == 2 and "not an interval" in err


@pytest.mark.slow
def test_ctrl_c_exits_130_and_says_how_to_resume(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    env = {**os.environ, "EMBER_DB": f"sqlite:///{tmp_path / 'ember.db'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ember", "watch", str(tmp_path / "inbox"), "--every", "1h"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        assert line.startswith("watching 1 source(s)")
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted; rerun to resume"


@pytest.mark.slow
def test_a_new_process_raises_nothing_again(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.serve(ITEMS[:2])
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    env = {**os.environ, "EMBER_DB": f"sqlite:///{tmp_path / 'ember.db'}"}
    command = [sys.executable, "-m", "ember", "watch", feed_server.url, "--once",
               "--allow-private", "--rules", str(rules)]  # fmt: skip
    runs = [
        subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0]
    assert runs[0].stdout.count("ALERT [is-deadly]") == 1
    assert "ALERT" not in runs[1].stdout and "0 new documents" in runs[1].stdout
    assert feed_server.requests[-1].get("If-None-Match") == feed_server.etag

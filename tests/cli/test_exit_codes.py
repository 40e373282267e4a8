"""Exit codes as documented: Ctrl-C is 130 with "interrupted; rerun to resume" (ingest
and serve alike), a busy port is a usage error (2), an empty input is a usage error and
a malformed URL a one-line rejection."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ember.cli import cli
from ember.store import Store

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def ember(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ember", *args], env=ENV, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_an_empty_input_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.txt").write_text("A report that must not be read. " * 10, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", "", "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 2, result.output
    assert "an empty PATH|URL" in result.output


def test_a_malformed_url_is_a_one_line_rejection(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["ingest", "http://[::1", "--db", str(tmp_path / "u.db"), "--no-analyze"]
    )
    assert result.exit_code == 1, result.output
    assert "rejected http://[::1: not a valid URL: Invalid IPv6 URL" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_ctrl_c_during_ingest_exits_130_and_a_rerun_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(300):
        (corpus / f"r{i:03d}.txt").write_text(
            f"Report {i}\n\nGunmen attacked checkpoint number {i} near the bridge on Monday "
            f"and fled before dawn, an official said of case {i * 7919 % 10007}.\n",
            encoding="utf-8",
        )
    db = f"sqlite:///{tmp_path / 'i.db'}"
    proc = ember("ingest", str(corpus), "--db", db, "--no-analyze", "--quiet")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if (tmp_path / "i.db").exists():
            with Store.open(db) as store:
                if store.count_documents() >= 10:
                    break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "interrupted; rerun to resume" in err and "Traceback" not in err
    rerun = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", db, "--no-analyze"])
    assert rerun.exit_code == 0, rerun.output
    with Store.open(db) as store:
        assert store.count_documents() == 300


def wait_for_port(port: int, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"ember serve did not listen: {proc.communicate(timeout=10)}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_ctrl_c_stops_serve_with_130(tmp_path: Path) -> None:
    port = free_port()
    proc = ember("serve", "--port", str(port), "--db", str(tmp_path / "s.db"))
    wait_for_port(port, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "interrupted; rerun to resume" in err


def test_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--port", str(port), "--db", str(tmp_path / "p.db")]
        )
    assert result.exit_code == 2, result.output
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output

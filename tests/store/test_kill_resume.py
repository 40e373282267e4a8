"""Killing ingest midway leaves the store consistent; rerunning stores the rest once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ember.store import Store
from ember.store.schema import documents, ingest_log

pytestmark = pytest.mark.slow

N_FILES = 400
PLACES = ["Mosul", "Kirkuk", "Tikrit", "Ramadi", "Fallujah", "Samarra", "Baqubah", "Hit"]


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(N_FILES):
        place = PLACES[i % len(PLACES)]
        (folder / f"report_{i:04d}.txt").write_text(
            f"Security incident {i} near {place}\n\n"
            f"Police in {place} said that incident number {i} involved {i % 9 + 1} gunmen "
            f"who opened fire on a checkpoint on the road to the district centre. "
            f"Officials counted {i % 5} casualties in report {i * 7919 % 10007} of the day.\n",
            encoding="utf-8",
        )


def count(url: str) -> int:
    with Store.open(url) as store:
        return store.count_documents()


def test_kill_midway_then_resume(tmp_path: Path, db_url: str) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    command = [sys.executable, "-m", "ember", "ingest", str(corpus), "--db", db_url, "--quiet"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored_before_kill = 0
    while time.monotonic() < deadline and proc.poll() is None:
        stored_before_kill = count(db_url)
        if stored_before_kill >= 25:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: enlarge the corpus"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]

    with Store.open(db_url) as store, store.engine.connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        logged = conn.execute(
            select(func.count()).select_from(ingest_log).where(ingest_log.c.outcome == "stored")
        ).scalar_one()
    assert 0 < n_docs < N_FILES
    # Document and log entry are written in one transaction: never one without the other.
    assert logged == n_docs

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert count(db_url) == N_FILES
    assert f"stored {N_FILES - n_docs}, duplicates {n_docs}," in rerun.stdout

"""Two `ember ingest` processes writing one store at once (SQLite and PostgreSQL): every
document stored once with its own seq, full-text search consistent. A figure beyond 64
bits in a real analysis is left out with a reason instead of failing every rerun. A URL
whose server sends its headers a byte at a time is rejected at the fetch deadline."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from ember.cli import cli
from ember.store import Store
from ember.store.schema import documents
from tests.ingest.test_fetch_deadline import DrippingServer

N = 60
FTS = "documents_fts"


def word(n: int) -> str:
    """A made-up word of its own for each ``n`` (fingerprints skip digits)."""
    letters = ""
    n = n * 2654435761 % 2**32
    while len(letters) < 6:
        n, rest = divmod(n, 26)
        letters += chr(97 + rest)
    return letters


def corpus(folder: Path, tag: str) -> Path:
    folder.mkdir()
    for i in range(N):
        w = [word(zlib.crc32(f"{tag}{i}-{k}".encode())) for k in range(6)]
        (folder / f"{tag}{i:03d}.txt").write_text(  # distinct shingles: no near-duplicates
            f"Report {tag} {i}\n\nWriter {tag} {w[0]} says gunmen {w[1]} attacked the "
            f"{w[2]} checkpoint near {w[3]} bridge and fled to {w[4]}, an official said of "
            f"case {tag}{i} in {w[5]}.\n",
            encoding="utf-8",
        )
    return folder


def test_two_ingest_processes_share_a_store(tmp_path: Path, db_url: str) -> None:
    folders = [corpus(tmp_path / tag, tag) for tag in ("north", "south")]
    env = {**os.environ, "EMBER_DB": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ember", "ingest", str(folder), "--no-analyze", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    with Store.open(db_url) as store:
        with store.engine.connect() as conn:
            seqs = conn.execute(select(documents.c.seq)).scalars().all()
        assert len(seqs) == len(set(seqs)) == 2 * N
        assert store.search_documents("north").total == N
        hits = store.search_documents('"case south17"').hits
        assert [hit.title for hit in hits] == ["Report south 17"]
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('integrity-check')"))
        engine.dispose()


def test_a_figure_beyond_64_bits_does_not_stop_analysis(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Huge toll claimed\n\nThe group claimed its fighters killed 9223372036854775808 "
        "people in the town on Monday, a statement said.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Ambush on the road\n\nMilitants killed 12 soldiers in an ambush near the town on "
        "Tuesday, officials said.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "p.db")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    assert "analysed 2 documents" in result.output
    again = CliRunner().invoke(cli, ["analyze", "--db", db, "-q"])
    assert again.exit_code == 0 and "analysed 0 documents" in again.output
    with Store.open(db) as store:
        assert store.analysis_failures() == []
        assert all(abs(claim.value_high) <= 2**53 for claim in store.iter_claims())
        assert any(event.fatalities == 12 for event in store.iter_events())


def test_a_slow_header_url_is_rejected_at_the_deadline(tmp_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"z" * 300
    env = {"EMBER_FETCH_TIMEOUT_S": "0.4"}
    with DrippingServer(head) as server:
        started = time.monotonic()
        result = CliRunner(env=env).invoke(cli, [
            "ingest", f"http://127.0.0.1:{server.port}/page", "--allow-private",
            "--db", str(tmp_path / "u.db"), "--no-analyze",
        ])  # fmt: skip
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert "too slow: gave up after 1.2 s" in result.output
    assert elapsed < 5

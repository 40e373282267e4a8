"""Fault figures (issue 16): a hostile batch, two concurrent ingests, and ingests killed
with SIGKILL at random points and rerun, on SQLite (and PostgreSQL with --postgres URL).

    .venv/bin/python benchmarks/faults.py [--kills 5] [--seed 1] [--postgres URL] [--json]

Prints: inputs tried, stored, rejected with a reason (and without one), tracebacks;
documents lost, duplicated (a shared seq) or corrupted (FTS integrity-check, a stored
document without its log entry) after the races and the kills. The corpora are the
fault suite's own (tests/faults)."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from tests.faults.test_hostile_batch import build  # noqa: E402
from tests.faults.test_races_and_poison import N, corpus  # noqa: E402

from ember.store import Store, normalise_url  # noqa: E402
from ember.store.schema import documents, ingest_log  # noqa: E402

FTS = "documents_fts"
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "EMBER_MAX_DECOMPRESSED_BYTES": "1000000"}


def ember(*args: str, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ember", *args, "--db", db], env=ENV, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def consistency(db: str, expected: set[str] | None = None) -> dict[str, Any]:
    """Lost (expected sources not stored), duplicated (shared seq), corrupted (FTS or log)."""
    with Store.open(db) as store, store.engine.connect() as conn:
        rows = conn.execute(select(documents.c.source, documents.c.seq, documents.c.id)).all()
        logged = set(
            conn.execute(select(ingest_log.c.doc_id).where(ingest_log.c.outcome == "stored"))
            .scalars()
            .all()
        )
        count = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    sources = {row.source for row in rows}
    fts_ok = True
    if db.startswith("sqlite"):
        engine = create_engine(db)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('integrity-check')"))
        except Exception:
            fts_ok = False
        engine.dispose()
    return {
        "stored": count,
        "lost": len(expected - sources) if expected is not None else 0,
        "duplicated": len(rows) - len({row.seq for row in rows}),
        "corrupted": (0 if fts_ok else 1) + sum(1 for row in rows if row.id not in logged),
    }


def hostile(folder: Path) -> dict[str, Any]:
    good, bad = build(folder / "in")
    db = f"sqlite:///{folder / 'hostile.db'}"
    proc = ember("ingest", str(folder / "in"), "--no-analyze", "-q", db=db)
    out, err = proc.communicate(timeout=300)
    with Store.open(db) as store:
        log = store.ingest_log()
        stored = {doc.source for doc in store.iter_documents()}
    rejected = [row for row in log if row["outcome"] == "rejected"]
    return {
        "inputs": len(good) + len(bad),
        "good_stored": sum(1 for source in good if source in stored),
        "good": len(good),
        "rejected_with_reason": sum(1 for row in rejected if row["reason"]),
        "rejected_without_reason": sum(1 for row in rejected if not row["reason"]),
        "exit_code": proc.returncode,
        "tracebacks": (out + err).count("Traceback"),
    }


def race(folder: Path, db: str, tag: str) -> dict[str, Any]:
    folders = [corpus(folder / f"{tag}{side}", f"{tag}{side}") for side in ("n", "s")]
    procs = [ember("ingest", str(path), "--no-analyze", "-q", db=db) for path in folders]
    codes = [proc.wait(timeout=600) for proc in procs]
    expected = {str(path) for f in folders for path in f.iterdir()}
    return {"exit_codes": codes, **consistency(db, expected)}


def kills(folder: Path, db: str, *, rounds: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    source = corpus(folder / "killed", "k")
    expected = {str(path) for path in source.iterdir()}
    survived = 0
    for _ in range(rounds):
        proc = ember("ingest", str(source), "--no-analyze", "-q", db=db)
        time.sleep(rng.uniform(0.8, 3.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            survived += 1
        proc.communicate(timeout=60)
    ember("ingest", str(source), "--no-analyze", "-q", db=db).wait(timeout=600)
    return {"kills": survived, "documents": N, **consistency(db, expected)}


def postgres_db(url: str) -> str:
    name = f"ember_faults_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{url.rsplit('/', 1)[0]}/{name}"


def drop_postgres(url: str, db: str) -> None:
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres", metavar="URL", default=os.environ.get("EMBER_TEST_POSTGRES_URL")
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures["hostile"] = hostile(folder)
        figures["race_sqlite"] = race(folder, f"sqlite:///{folder / 'race.db'}", "r")
        kill_db = f"sqlite:///{folder / 'kill.db'}"
        figures["kills_sqlite"] = kills(folder, kill_db, rounds=args.kills, seed=args.seed)
        if args.postgres:
            db = postgres_db(args.postgres)
            try:
                figures["race_postgres"] = race(folder, db, "p")
            finally:
                drop_postgres(args.postgres, db)
    if args.json:
        print(json.dumps(figures))
        return
    for name, values in figures.items():
        print(f"{name:<14} " + ", ".join(f"{key} {value}" for key, value in values.items()))


if __name__ == "__main__":
    main()

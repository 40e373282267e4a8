"""The web app under load: latency per API path while an ingest writes.

    python benchmarks/serve.py --docs 3000 [--threads 8] [--seconds 60] [--json]

Writes a synthetic corpus of ``--docs`` reports (``synthetic.py``) and ingests it, with
analysis, into a SQLite store through ``ember ingest`` (the store is kept under
``--cache`` by size and seed, and copied for each run, so a second run starts at once).
Then starts ``ember serve`` on a free loopback port and, while a second ``ember ingest``
writes ``--ingest-docs`` new reports into the same store, runs ``--threads`` readers
that request the API paths round-robin (lists at random offsets, searches for words of
the corpus, single documents, the map, the timeline, the ledger, merged events, the
assessment) for at least ``--seconds`` and until the ingest is done. Prints p50/p95 per
path and the errors (any status other than 200, or no answer within ``--timeout``);
``--json`` prints ``{"docs", "events", "errors", "paths": {PATH: {"p50_ms", "p95_ms"}}}``
plus the request count, the error statuses and the server's peak RSS. Figures, not
pass/fail: the machine's other load shows in them."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_corpus

_EMBER = str(Path(sys.executable).with_name("ember"))
_WORDS = ("Mosul", "checkpoint", "killed", "Raqqa", "convoy", "mortar", "Kirkuk", "displaced")
_SEED_EXTRA = 1_000_003


def _ingest(folder: Path, db: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [_EMBER, "ingest", str(folder), "--db", str(db), "--quiet"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _base_store(cache: Path, docs: int, seed: int) -> Path:
    """The analysed store of ``docs`` synthetic reports, made once per size and seed."""
    store = cache / f"store-{docs}-{seed}.db"
    if store.exists():
        return store
    corpus = cache / f"corpus-{docs}-{seed}"
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(corpus, docs, seed=seed)
    partial = store.with_suffix(".partial.db")
    for leftover in cache.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    print(f"ingesting {docs} reports into {store} (once) ...", file=sys.stderr)
    code = _ingest(corpus, partial, cache / "build.log").wait()
    if code not in (0, 1):
        raise SystemExit(f"ember ingest failed ({code}): see {cache / 'build.log'}")
    _checkpoint(partial)
    partial.rename(store)
    for leftover in cache.glob(partial.name + "-*"):
        leftover.unlink()
    shutil.rmtree(corpus, ignore_errors=True)
    print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return store


def _checkpoint(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(client: httpx.Client, server: subprocess.Popen[bytes], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ember serve exited with {server.returncode}")
        try:
            if client.get("/api/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("ember serve did not answer in time")


def _paths(client: httpx.Client) -> list[tuple[str, Any]]:
    """(label, a function returning the next URL) for every path the readers request."""
    health = client.get("/api/health", timeout=60).json()
    docs, events, claims = health["documents"], health["events"], health["claims"]
    ids = [row["doc_id"] for row in client.get("/api/events?limit=200", timeout=60).json()["items"]]
    ids = ids or [row["id"] for row in client.get("/api/documents?limit=50").json()["items"]]
    rng = random.Random(5)

    def offset(total: int) -> int:
        return rng.randrange(max(total - 50, 1))

    return [
        ("/api/documents", lambda: f"/api/documents?limit=50&offset={offset(docs)}"),
        ("/api/documents/{id}", lambda: f"/api/documents/{rng.choice(ids)}"),
        ("/api/search", lambda: f"/api/search?q={rng.choice(_WORDS)}&offset={rng.randrange(100)}"),
        ("/api/events", lambda: f"/api/events?limit=50&offset={offset(events)}"),
        ("/api/claims", lambda: f"/api/claims?limit=50&offset={offset(claims)}"),
        ("/api/entities", lambda: f"/api/entities?kind=place&offset={rng.randrange(50)}"),
        ("/api/events/merged", lambda: f"/api/events/merged?limit=50&offset={offset(events)}"),
        ("/api/map", lambda: "/api/map"),
        ("/api/timeline", lambda: "/api/timeline"),
        ("/api/ledger", lambda: "/api/ledger"),
        ("/api/assess", lambda: "/api/assess"),
    ]


def _reader(
    base: str,
    paths: list[tuple[str, Any]],
    start: int,
    stop: threading.Event,
    timeout: float,
    results: list[tuple[str, float, str]],
) -> None:
    index = start
    with httpx.Client(base_url=base, timeout=timeout) as client:
        while not stop.is_set():
            label, url = paths[index % len(paths)]
            index += 1
            began = time.perf_counter()
            try:
                status = str(client.get(url()).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            results.append((label, (time.perf_counter() - began) * 1000, status))


def _percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _peak_rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def run(args: argparse.Namespace) -> dict[str, Any]:
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    base_store = _base_store(cache, args.docs, args.seed)
    work = cache / f"run-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    db = work / "store.db"
    shutil.copyfile(base_store, db)
    extra = work / "extra"
    write_corpus(extra, args.ingest_docs, seed=args.seed + _SEED_EXTRA)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "EMBER_TOKEN"}
    with (work / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [_EMBER, "serve", "--db", str(db), "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    writer: subprocess.Popen[bytes] | None = None
    try:
        with httpx.Client(base_url=base) as client:
            _wait_up(client, server, 120)
            paths = _paths(client)
        results: list[tuple[str, float, str]] = []
        stop = threading.Event()
        writer = _ingest(extra, db, work / "ingest.log")
        readers = [
            threading.Thread(target=_reader, args=(base, paths, n, stop, args.timeout, results))
            for n in range(args.threads)
        ]
        started = time.monotonic()
        for thread in readers:
            thread.start()
        while True:
            time.sleep(0.5)
            elapsed = time.monotonic() - started
            if elapsed >= args.seconds and writer.poll() is not None:
                break
            if elapsed >= args.max_seconds:
                break
        stop.set()
        for thread in readers:
            thread.join()
        ingest_running = writer.poll() is None
        with httpx.Client(base_url=base, timeout=120) as client:
            health = client.get("/api/health").json()
        peak = _peak_rss_mb(server.pid)
    finally:
        if writer is not None and writer.poll() is None:
            writer.terminate()
            writer.wait()
        server.terminate()
        server.wait()
    by_path: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    for label, ms, status in results:
        by_path[label].append(ms)
        if status != "200":
            statuses[f"{label} {status}"] += 1
    summary = {
        "docs": health["documents"],
        "events": health["events"],
        "errors": sum(statuses.values()),
        "paths": {
            label: {
                "p50_ms": round(_percentile(times, 0.50)),
                "p95_ms": round(_percentile(times, 0.95)),
                "requests": len(times),
            }
            for label, times in by_path.items()
        },
        "requests": len(results),
        "seconds": round(time.monotonic() - started, 1),
        "threads": args.threads,
        "ingest_docs": args.ingest_docs,
        "ingest_finished": not ingest_running,
        "error_statuses": dict(statuses),
        "server_peak_rss_mb": peak,
    }
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="Reports in the store.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--threads", type=int, default=8, help="Concurrent readers.")
    parser.add_argument("--seconds", type=float, default=60, help="Read at least this long.")
    parser.add_argument("--max-seconds", type=float, default=600, help="Stop reading by then.")
    parser.add_argument("--timeout", type=float, default=30, help="Per request, in seconds.")
    parser.add_argument("--ingest-docs", type=int, help="Reports ingested while reading.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", default="/tmp/ember-bench-serve", help="Stores kept here.")
    parser.add_argument("--keep", action="store_true", help="Keep the run's store and logs.")
    args = parser.parse_args()
    if args.docs < 1 or args.threads < 1:
        parser.error("--docs and --threads must be at least 1")
    if args.ingest_docs is None:
        args.ingest_docs = max(20, args.docs // 20)
    summary = run(args)
    if args.json:
        print(json.dumps(summary))
        return
    print(
        f"{summary['docs']} documents, {summary['events']} events; {summary['requests']} "
        f"requests by {args.threads} readers in {summary['seconds']} s while ingesting "
        f"{args.ingest_docs} reports; errors: {summary['errors']}; "
        f"server peak RSS {summary['server_peak_rss_mb']} MB"
    )
    for label, figures in summary["paths"].items():
        print(
            f"  {label:<22} p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms"
            f"  ({figures['requests']} requests)"
        )
    for what, count in summary["error_statuses"].items():
        print(f"  error: {what} x{count}")


if __name__ == "__main__":
    main()

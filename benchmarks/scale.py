"""Ingest and analysis throughput by number of workers, local or on Ray.

    python benchmarks/scale.py --docs 200 --workers 1 2 [--engine local|ray] [--json]
    python benchmarks/scale.py --corpus FOLDER --workers 1 2

A corpus of ``--docs`` synthetic reports (``synthetic.write_corpus``: HTML pages and
plain text, a few percent syndicated copies) is written once to a temporary folder, or
``--corpus`` is taken as it is. For each worker count, a fresh Python process ingests it
into a fresh SQLite store and analyses it through the real path
(``ember.scale.ingest_inputs``, then ``analyze_stored(workers=N, engine=...)``: what
``ember ingest --workers N --engine E`` runs). While it runs, this process samples the
resident memory of that process and of every process under it (the analysis workers;
Ray's processes, when Ray is started by the run) and keeps the peak of their sum.

Printed per worker count: documents per second over ingest and analysis (the corpus's
documents over the wall time, process start and model loads included), the two phases'
seconds, CPU seconds of the process tree (and of the one writer, the process that ingests
and writes the store, apart from its workers) and its peak RSS; then the parallel efficiency
(docs/s at the most workers / (those workers × docs/s at the fewest, per worker)) and
whether every run stored the same documents, events, claims and entities (their JSONL
exports compared). ``--json`` prints exactly ``{"workers", "docs_per_s", "efficiency",
"identical", "peak_rss_mb"}`` (the peak over all runs). Nothing is asserted: these are
figures to compare, and on a shared machine the load average printed with them says how
much the other work there weighs on them."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_corpus

MB = 1024 * 1024
# RSS is sampled this often (seconds): often enough to catch a worker's peak while it
# parses, seldom enough to cost nothing next to the run.
_SAMPLE_S = 0.1
KINDS = ("documents", "events", "claims", "entities")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, metavar="N")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="N")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--corpus", type=Path, help="Ingest this folder instead of --docs.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.docs < 1 or min(args.workers) < 1:
        parser.error("--docs and --workers must be 1 or more")
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus}: not a folder")
    return args


# -- the worker: one ingest and analysis, in its own process ------------------------


def _worker(corpus: Path, db_url: str, *, workers: int, engine: str) -> dict[str, Any]:
    from ember.scale import analyze_stored, ingest_inputs
    from ember.settings import Settings
    from ember.store import Store

    settings = Settings(db_url=db_url)
    with Store.open(db_url) as store:
        started = time.perf_counter()
        ingested = ingest_inputs([str(corpus)], store=store, settings=settings)
        ingest_s = time.perf_counter() - started
        analysed = analyze_stored(store, workers=workers, engine=engine)  # type: ignore[arg-type]
        analyse_s = time.perf_counter() - started - ingest_s
    return {
        "sources": sum(ingested.counts.values()),
        "stored": ingested.stored,
        "analysed": analysed.documents,
        "events": analysed.events,
        "claims": analysed.claims,
        "failed": len(analysed.failed),
        "ingest_s": round(ingest_s, 2),
        "analyse_s": round(analyse_s, 2),
    }


# -- the parent: sampling the worker's process tree, comparing the stores -----------


@dataclass(slots=True)
class _TreeSampler:
    """The peak, over samples, of the summed RSS of a process and all under it; and the
    CPU seconds each of them had used when last seen (the root's apart: it is the one
    writer, so its share shows how much of the run cannot go parallel)."""

    root: psutil.Process
    peak: int = 0
    cpu: dict[int, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self._sample())
            self.stop.wait(_SAMPLE_S)

    @property
    def root_cpu(self) -> float:
        return self.cpu.get(self.root.pid, 0.0)

    @property
    def others_cpu(self) -> float:
        return sum(cpu for pid, cpu in self.cpu.items() if pid != self.root.pid)

    def _sample(self) -> int:
        total = 0
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return 0
        for process in processes:
            try:
                with process.oneshot():
                    total += process.memory_info().rss
                    times = process.cpu_times()
            except psutil.Error:  # ended between listing and reading
                continue
            self.cpu[process.pid] = times.user + times.system
        return total


def _run(corpus: Path, folder: Path, *, workers: int, engine: str, count: int) -> dict[str, Any]:
    db_url = f"sqlite:///{folder / 'bench.db'}"
    cmd = [sys.executable, __file__, "--worker", str(corpus), "--db", db_url,
           "--workers", str(workers), "--engine", engine, "--count", str(count)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeSampler(psutil.Process(proc.pid))
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"the run with {workers} workers failed:\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(out)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result.update(
        workers=workers, seconds=round(seconds, 2), docs_per_s=round(count / seconds, 2),
        cpu_s=round(cpu, 1), writer_cpu_s=round(sampler.root_cpu, 1),
        workers_cpu_s=round(sampler.others_cpu, 1), peak_rss_mb=round(sampler.peak / MB, 1),
        digest=_digest(db_url),
    )  # fmt: skip
    return result


def _digest(db_url: str) -> dict[str, str]:
    """A hash of each kind of record as ``ember export ... --format jsonl`` writes it."""
    from ember.report import (
        document_rows,
        export_claims,
        export_entities,
        export_events,
        write_jsonl,
    )
    from ember.store import Store

    digests = {}
    with Store.open(db_url) as store:
        for kind in KINDS:
            stream = io.StringIO()
            if kind == "documents":
                write_jsonl(document_rows(store.iter_documents()), stream)
            else:
                exporter = {"events": export_events, "claims": export_claims}.get(
                    kind, export_entities
                )
                exporter(store, stream, fmt="jsonl")
            digests[kind] = hashlib.sha256(stream.getvalue().encode()).hexdigest()
    return digests


def _efficiency(runs: list[dict[str, Any]]) -> float:
    """Throughput per worker at the most workers over that at the fewest (1 when the
    fewest is one worker: docs/s at N / (N × docs/s at 1))."""
    low = min(runs, key=lambda r: r["workers"])
    high = max(runs, key=lambda r: r["workers"])
    per_worker_low = low["docs_per_s"] / low["workers"]
    return round(high["docs_per_s"] / high["workers"] / per_worker_low, 3)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    import ember.analyze  # noqa: F401  (registers what the store's derived tables hold)

    with tempfile.TemporaryDirectory(prefix="ember-scale-") as tmp:
        if args.corpus is not None:
            corpus = args.corpus.resolve()
            count = sum(1 for path in corpus.rglob("*") if path.is_file())
        else:
            corpus = Path(tmp, "corpus")
            count = write_corpus(corpus, args.docs, seed=args.seed).documents
        runs = []
        for workers in args.workers:
            folder = Path(tmp, f"workers-{workers}")
            folder.mkdir()
            runs.append(_run(corpus, folder, workers=workers, engine=args.engine, count=count))
    identical = all(run["digest"] == runs[0]["digest"] for run in runs)
    return {
        "engine": args.engine,
        "docs": count,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
        "workers": [run["workers"] for run in runs],
        "docs_per_s": [run["docs_per_s"] for run in runs],
        "efficiency": _efficiency(runs),
        "identical": identical,
        "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
    }


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['docs']} documents, engine {result['engine']}, {result['cores']} cores, "
        f"load average at the end {result['load_average']}",
        f"{'workers':>7} {'seconds':>8} {'docs/s':>7} {'ingest s':>9} {'analyse s':>10} "
        f"{'CPU s':>7} {'writer':>7} {'others':>7} {'peak RSS':>10} {'analysed':>9} "
        f"{'events':>7} {'claims':>7} {'failed':>6}",
    ]
    for r in result["runs"]:
        lines.append(
            f"{r['workers']:>7} {r['seconds']:>8} {r['docs_per_s']:>7} {r['ingest_s']:>9} "
            f"{r['analyse_s']:>10} {r['cpu_s']:>7} {r['writer_cpu_s']:>7} "
            f"{r['workers_cpu_s']:>7} {r['peak_rss_mb']:>7} MB {r['analysed']:>9} "
            f"{r['events']:>7} {r['claims']:>7} {r['failed']:>6}"
        )
    lines.append(
        "CPU s: the whole process tree; writer: the process that ingests, writes the "
        "store and corroborates; others: the workers (and Ray's processes)"
    )
    lines.append(f"parallel efficiency: {result['efficiency']} (target 0.85)")
    lines.append(
        "outputs identical across worker counts: " + ("yes" if result["identical"] else "NO")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    if args.worker is not None:
        figures = _worker(args.worker, args.db, workers=args.workers[0], engine=args.engine)
        print(json.dumps(figures))
        return
    result = benchmark(args)
    if args.json:
        keys = ("workers", "docs_per_s", "efficiency", "identical", "peak_rss_mb")
        print(json.dumps({key: result[key] for key in keys}))
    else:
        print(_table(result))


if __name__ == "__main__":
    main()

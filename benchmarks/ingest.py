"""Ingest throughput and memory, on synthetic corpora of growing size.

    python benchmarks/ingest.py --docs 1000 10000 [--json] [--tracemalloc]

For each size, a corpus of mixed HTML pages and plain-text reports (a few percent of
them syndicated copies) is written to a temporary folder, then ingested into a fresh
SQLite store through the real path (``ember.scale.ingest_inputs``) in a fresh Python
process, so one size's memory cannot leak into the next size's figure. The worker
reports documents per second, its peak RSS (``ru_maxrss``), its RSS once ember is
imported and warmed up, and RSS samples along the run; the parent prints them with the
growth between sizes. Nothing about time is asserted: these are figures to compare.

``--tracemalloc`` also reports the source lines whose live allocations grew most between
the first tenth of the run and its end (slow: use it to find a leak, not to time)."""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_corpus

MB = 1024 * 1024
_SAMPLES = 20


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true", help="Report growing allocations.")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- the worker: one ingest, in its own process -------------------------------------


def _rss() -> int:
    import psutil  # type: ignore[import-untyped]

    return int(psutil.Process().memory_info().rss)


def _warm_up() -> None:
    """Load what every document needs (parsers, language models) before measuring."""
    from ember.ingest import RawDocument, build_document
    from ember.settings import Settings

    text = "Gunmen attacked a checkpoint near Kirkuk on Monday, officials said. " * 10
    page = f"<html><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    for raw in (
        RawDocument(source="warm-up.txt", body=text, kind="text", format="text"),
        RawDocument(source="warm-up.html", body=page, kind="html", format="html"),
    ):
        build_document(raw, settings=Settings())


class _Sampler:
    """RSS (and optionally a tracemalloc snapshot) every ``every`` sources."""

    def __init__(self, total: int, *, trace: bool) -> None:
        self.every = max(1, total // _SAMPLES)
        self.seen = 0
        self.samples: list[tuple[int, float]] = []
        self.trace = trace
        self.first_snapshot: tracemalloc.Snapshot | None = None

    def __call__(self, _source: object) -> None:
        self.seen += 1
        if self.seen % self.every:
            return
        self.samples.append((self.seen, round(_rss() / MB, 1)))
        if self.trace and self.first_snapshot is None and self.seen >= 2 * self.every:
            self.first_snapshot = tracemalloc.take_snapshot()


def _top_growth(first: tracemalloc.Snapshot, last: tracemalloc.Snapshot) -> list[str]:
    stats = last.compare_to(first, "lineno")
    return [str(s) for s in sorted(stats, key=lambda s: s.size_diff, reverse=True)[:12]]


def _figures(summary: Any, seconds: float, rss_start: int, sampler: _Sampler) -> dict[str, Any]:
    documents = sum(summary.counts.values())
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "docs_per_s": round(documents / seconds, 1),
        "stored": summary.stored,
        "near_duplicates": summary.near_duplicates,
        "duplicates": summary.duplicates,
        "rejected": summary.rejected,
        "rejections": [f"{r.source}: {r.reason}" for r in summary.rejections[:5]],
        "rss_start_mb": round(rss_start / MB, 1),
        "rss_end_mb": round(_rss() / MB, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_samples_mb": sampler.samples,
    }


def _worker(corpus: Path, db_url: str, *, trace: bool) -> dict[str, Any]:
    from ember.scale import ingest_inputs, plan_sources
    from ember.settings import Settings
    from ember.store import Store

    _warm_up()
    settings = Settings(db_url=db_url)
    rss_start = _rss()
    if trace:
        tracemalloc.start(5)
    with Store.open(db_url) as store:
        started = time.perf_counter()
        plan = plan_sources([str(corpus)])
        sampler = _Sampler(len(plan.sources), trace=trace)
        summary = ingest_inputs(
            [str(corpus)], store=store, settings=settings, plan=plan, on_source=sampler
        )
        seconds = time.perf_counter() - started
    result = _figures(summary, seconds, rss_start, sampler)
    if trace and sampler.first_snapshot is not None:
        result["tracemalloc_growth"] = _top_growth(
            sampler.first_snapshot, tracemalloc.take_snapshot()
        )
    return result


# -- the parent: one corpus and one worker per size ---------------------------------


def _run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"ember-bench-{n}-") as tmp:
        started = time.perf_counter()
        corpus_stats = write_corpus(Path(tmp, "corpus"), n, seed=args.seed)
        generated = time.perf_counter() - started
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            str(Path(tmp, "corpus")),
            "--db",
            f"sqlite:///{tmp}/bench.db",
        ]
        if args.tracemalloc:
            cmd.append("--tracemalloc")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"worker for {n} documents failed:\n{proc.stderr[-3000:]}")
        db_mb = Path(tmp, "bench.db").stat().st_size / MB
    result: dict[str, Any] = json.loads(proc.stdout)
    result["corpus"] = {**asdict(corpus_stats), "generated_s": round(generated, 1)}
    result["db_mb"] = round(db_mb, 1)
    return result


def _growth(runs: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    sizes = sorted(runs)
    return [
        {
            "from": a,
            "to": b,
            "peak_rss_mb": round(runs[b]["peak_rss_mb"] - runs[a]["peak_rss_mb"], 1),
            "per_1000_docs_mb": round(
                (runs[b]["peak_rss_mb"] - runs[a]["peak_rss_mb"]) / (b - a) * 1000, 2
            ),
        }
        for a, b in itertools.pairwise(sizes)
    ]


def _row(n: int, r: dict[str, Any]) -> str:
    counts = f"{r['stored']:>7} {r['near_duplicates']:>8} {r['rejected']:>8}"
    rss = f"{r['rss_start_mb']:>8} MB {r['rss_end_mb']:>5} MB {r['peak_rss_mb']:>6} MB"
    return f"{n:>7} {r['seconds']:>8} {r['docs_per_s']:>8} {counts} {rss} {r['db_mb']:>6}"


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{'docs':>7} {'seconds':>8} {'docs/s':>8} {'stored':>7} {'near-dup':>8} "
        f"{'rejected':>8} {'RSS start':>10} {'RSS end':>8} {'peak RSS':>9} {'db MB':>6}"
    ]
    for n, r in sorted(result["runs"].items(), key=lambda kv: int(kv[0])):
        lines.append(_row(int(n), r))
    for g in result["growth"]:
        lines.append(
            f"peak RSS {g['from']} -> {g['to']} documents: {g['peak_rss_mb']:+} MB "
            f"({g['per_1000_docs_mb']:+} MB per 1,000 documents)"
        )
    for n, r in result["runs"].items():
        copies = r["corpus"]["near_duplicates"]
        lines.append(
            f"{n}: {copies} syndicated copies generated; RSS samples {r['rss_samples_mb']}"
        )
        lines.extend(f"  {line}" for line in r.get("tracemalloc_growth", []))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.worker is not None:
        print(json.dumps(_worker(args.worker, args.db, trace=args.tracemalloc)))
        return 0
    runs = {n: _run_size(n, args) for n in args.docs}
    result = {
        "benchmark": "ingest",
        "python": sys.version.split()[0],
        "runs": runs,
        "growth": _growth(runs),
    }
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Long and degenerate documents: seconds and peak memory of one document's analysis.

Each case is one generated document of one kind and size, analysed by
``ember.scale.pipeline.analyze_document`` (what ``ember analyze`` runs on each stored
document, without the store) in a fresh Python process, so the peak RSS of a case is its
own. The parent samples the child's RSS while the document is analysed (and the child
reports its own peak when that came after loading); pipeline loading is done, and its
RSS noted (``loaded_mb``), before the clock starts.
Seconds are wall-clock; CPU seconds (the child's) are steadier on a shared machine.
A case still running after ``--timeout`` seconds is stopped and reported as such.

Kinds (all written here; nothing is copied from real reports):

- ``prose``: synthetic reports (``synthetic.report_texts``) one after another, paragraphs
  on their own lines, a blank line between reports;
- ``repeated``: one report paragraph repeated;
- ``word``: one word repeated, no punctuation, no line break;
- ``numbers``: a table of numbers, one row a line;
- ``line``: the prose kind with every line break replaced by a space (one long line).

    python benchmarks/longdoc.py                                  # 25k 100k 1M 2M, every kind
    python benchmarks/longdoc.py --sizes 25000 100000 --kinds prose word --json
    python benchmarks/longdoc.py --sizes 50000000 --kinds prose --timeout 1800"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import report_texts

KINDS = ("prose", "repeated", "word", "numbers", "line")
SIZES = (25_000, 100_000, 1_000_000, 2_000_000)
_SAMPLE_S = 0.2


def _prose(size: int) -> str:
    parts: list[str] = []
    total, seed = 0, 1
    while total < size:
        for text in report_texts(50, seed=seed):
            parts.append(text)
            total += len(text) + 2
        seed += 1
    return "\n\n".join(parts)[:size]


def _repeated(size: int) -> str:
    paragraph = report_texts(1, seed=7)[0].split("\n")[1]
    return ((paragraph + " ") * (size // (len(paragraph) + 1) + 1))[:size]


def _word(size: int) -> str:
    return ("attack " * (size // 7 + 1))[:size]


def _numbers(size: int) -> str:
    rng = random.Random(3)
    rows: list[str] = []
    total = 0
    while total < size:
        row = "  ".join(
            [str(rng.randint(2015, 2023)), *(str(rng.randint(0, 9999)) for _ in range(7))]
        )
        rows.append(row)
        total += len(row) + 1
    return "\n".join(rows)[:size]


def _line(size: int) -> str:
    return " ".join(_prose(size).split())[:size]


GENERATORS: dict[str, Callable[[int], str]] = {
    "prose": _prose, "repeated": _repeated, "word": _word, "numbers": _numbers, "line": _line,
}  # fmt: skip


def _child(kind: str, size: int) -> None:
    """One case, in this (fresh) process; prints one JSON line."""
    from ember.nlp.pipeline import load_pipeline
    from ember.scale.pipeline import AnalysisInput, analyze_document

    load_pipeline()
    analyze_document(AnalysisInput("warm", "Gunmen attacked a checkpoint in Mosul.", "2020-06-01"))
    loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = GENERATORS[kind](size)
    print(json.dumps({"ready": True}), flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    analysis = analyze_document(AnalysisInput(f"{kind}-{size}", text, "2020-06-01"))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        "loaded_mb": round(loaded_mb),
        "child_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "events": len(analysis.events),
        "claims": len(analysis.claims),
        "mentions": len(analysis.mentions),
    }
    print(json.dumps(result), flush=True)


def _case(kind: str, size: int, timeout: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(size)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    assert process.stdout is not None
    ready = process.stdout.readline()  # the pipeline is loaded, the document written
    if not ready:
        process.wait()
        return {"kind": kind, "chars": size, "error": f"exit {process.returncode}"}
    peak = 0.0
    started = time.monotonic()
    timed_out = False
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            break
        if time.monotonic() - started > timeout:
            process.kill()
            timed_out = True
            break
        time.sleep(_SAMPLE_S)
    out = process.stdout.read()
    process.wait()
    case: dict[str, Any] = {"kind": kind, "chars": size}
    if timed_out:
        case.update(seconds=None, over_s=timeout, peak_rss_mb=round(peak))
        return case
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        case.update(error=f"exit {process.returncode}", peak_rss_mb=round(peak))
        return case
    result = json.loads(lines[-1])
    case.update(result)
    # The child's own peak counts when it was reached after loading (a spike while the
    # pipeline loads, or the gazetteer index is built, is not the document's).
    child_peak = result["child_peak_mb"] if result["child_peak_mb"] > result["loaded_mb"] else 0
    case["peak_rss_mb"] = round(max(peak, child_peak))
    del case["child_peak_mb"]
    return case


def _show(case: dict[str, Any]) -> str:
    if case.get("error"):
        took = f"failed ({case['error']})"
    elif case.get("seconds") is None:
        took = f"over {case['over_s']:.0f} s (stopped)"
    else:
        took = f"{case['seconds']:8.1f} s ({case['cpu_s']:.1f} s CPU)"
    peak = case["peak_rss_mb"]
    return f"{case['kind']:9} {case['chars']:>10,} chars  {took:>28}  peak {peak:>6} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a case may run")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    cases = []
    for kind in args.kinds:
        for size in args.sizes:
            case = _case(kind, size, args.timeout)
            cases.append(case)
            if not args.json:
                print(_show(case), flush=True)
    if args.json:
        print(json.dumps({"cases": cases}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""benchmarks/scale.py: its --json contract on a tiny corpus, and the efficiency it
derives (figures are not asserted: speed is the benchmark's to print)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "scale.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up by name; the benchmarks' folder it puts on
    # the path is taken off again (its scripts' names must not shadow other modules).
    sys.modules[spec.name] = module
    path = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path
    return module


def test_efficiency_is_throughput_per_worker_against_the_fewest_workers() -> None:
    efficiency = load_script()._efficiency
    runs = [{"workers": 1, "docs_per_s": 2.0}, {"workers": 2, "docs_per_s": 3.4}]
    assert efficiency(runs) == 0.85
    # Without a one-worker run, per worker at the fewest is the baseline.
    runs = [{"workers": 4, "docs_per_s": 8.0}, {"workers": 2, "docs_per_s": 5.0}]
    assert efficiency(runs) == 0.8


@pytest.mark.slow
def test_json_gives_exactly_the_contract_and_the_stores_agree(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--docs", "3", "--workers", "1", "2", "--json"],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert list(figures) == ["workers", "docs_per_s", "efficiency", "identical", "peak_rss_mb"]
    assert figures["workers"] == [1, 2]
    assert len(figures["docs_per_s"]) == 2 and all(v > 0 for v in figures["docs_per_s"])
    assert figures["identical"] is True
    assert figures["peak_rss_mb"] > 0 and isinstance(figures["efficiency"], float)

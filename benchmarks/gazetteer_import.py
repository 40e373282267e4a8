"""``ember gazetteer import`` at scale: a synthetic GeoNames geoname table of N rows.

Writes the table (19 tab-separated columns; a mix of villages, towns, districts, camps,
hills that are not kept, with alternate names in Latin and Arabic script) into a temp
folder, zipped with --zip, and imports it into a temp cache folder. Prints rows per
second, places and names written, the index size, and the peak RSS beside the RSS
before the import (memory must not grow with N: rows are streamed and written in
batches). allCountries is about 12M rows.

    python benchmarks/gazetteer_import.py --rows 100000 [--zip] [--json]"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from ember.geo import import_gazetteer

_SYLLABLES = ["al", "kh", "ba", "dir", "tal", "abu", "ras", "ain", "kaf", "ham", "sur", "mar"]
_FEATURES = [("P", "PPL")] * 14 + [("P", "PPLA3"), ("A", "ADM2"), ("S", "CMP"), ("T", "HLL")]


def _name(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(rng.randint(1, 2))
    )


def synthetic_table(path: Path, rows: int, *, seed: int = 11) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for geonameid in range(1, rows + 1):
            name = _name(rng)
            klass, code = rng.choice(_FEATURES)
            alternates = ",".join([_name(rng), name.upper(), "قرية"][: rng.randint(0, 3)])
            out.write(
                "\t".join(
                    [str(geonameid), name, name, alternates, f"{rng.uniform(29, 37):.5f}",
                     f"{rng.uniform(36, 48):.5f}", klass, code, rng.choice(("IQ", "SY")), "",
                     f"{rng.randint(1, 14):02d}", str(rng.randint(1000, 1060)), "", "",
                     str(rng.choice((0, 0, 0, 800, 5000))), "", "300", "Asia/Baghdad",
                     "2024-03-01"]
                ) + "\n"
            )  # fmt: skip


def run(rows: int, *, zipped: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ember-gazetteer-bench-") as temp:
        folder = Path(temp)
        table = folder / "XX.txt"
        synthetic_table(table, rows)
        source = table
        if zipped:
            source = folder / "XX.zip"
            with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(table, "XX.txt")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        summary = import_gazetteer([source], directory=folder / "cache")
        seconds = time.perf_counter() - started
        (result,) = summary.files
        return {
            "rows": result.rows,
            "places": result.places,
            "names": result.names,
            "seconds": round(seconds, 2),
            "rows_per_s": round(result.rows / seconds),
            "source_mb": round(source.stat().st_size / 2**20, 1),
            "index_mb": round(summary.index.stat().st_size / 2**20, 1),
            "rss_before_mb": round(rss_before / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "zip": zipped,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--zip", action="store_true", help="Import the table zipped.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object per size.")
    args = parser.parse_args()
    for rows in args.rows:
        figures = run(rows, zipped=args.zip)
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"{figures['rows']:>10,} rows  {figures['rows_per_s']:>8,} rows/s  "
                f"{figures['seconds']:>7.1f} s  {figures['places']:,} places  "
                f"{figures['names']:,} names  index {figures['index_mb']} MB  "
                f"RSS {figures['rss_before_mb']} -> {figures['peak_rss_mb']} MB peak"
            )


if __name__ == "__main__":
    main()

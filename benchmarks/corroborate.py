"""Corroboration and the report's views at scale: synthetic events in Iraq and Syria.

Times ``find_clusters`` (candidate blocking, the rule, complete linkage), ``merge_stored``
on the result and the timeline counts, for each size; prints the clusters found and the
peak RSS. A share of the events gets an approximate date (a lower bound, open upward),
the costly case.

    python benchmarks/corroborate.py --events 10000 100000 [--approximate 0.05] [--json]"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from ember.analyze.corroborate import find_clusters, merge_stored
from ember.analyze.trends import event_counts
from ember.records import DateRange, Event, Location

_TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Arrests"),
]
_ACTORS = ["Islamic State", "QSD: Syrian Democratic Forces", "Military Forces of Iraq", None]


def synthetic_events(n: int, *, approximate: float, seed: int = 7) -> list[Event]:
    """``n`` events over five years and 300 towns, each told by one to three documents."""
    rng = random.Random(seed)
    towns = [(rng.uniform(32.0, 37.0), rng.uniform(38.0, 46.0)) for _ in range(300)]
    start = date(2017, 1, 1)
    events: list[Event] = []
    while len(events) < n:
        lat, lon = rng.choice(towns)
        kind, sub = rng.choice(_TYPES)
        day = start + timedelta(days=rng.randrange(5 * 365))
        actor = rng.choice(_ACTORS)
        for _ in range(rng.choice((1, 1, 2, 3))):
            when = (day + timedelta(days=rng.randrange(2))).isoformat()
            place = Location(
                name="town", lat=lat + rng.uniform(-0.02, 0.02),
                lon=lon + rng.uniform(-0.02, 0.02), precision=1,
            )  # fmt: skip
            dated = DateRange(
                start=when, end=when, precision="day", approximate=rng.random() < approximate
            )
            n_now = len(events)
            events.append(
                Event(
                    id=f"e{n_now}",
                    doc_id=f"d{n_now}",
                    event_type=kind,
                    sub_event_type=sub,
                    text="synthetic",
                    span=(0, 9),
                    actor1=actor,
                    location=place,
                    date=dated,
                    fatalities=rng.choice((None, 0, 1, 3, 12)),
                )
            )
    return events[:n]


def measure(n: int, approximate: float) -> dict[str, Any]:
    events = synthetic_events(n, approximate=approximate)
    started = time.perf_counter()
    clusters = find_clusters(events, unrelated_docs=lambda _a, _b: True)
    clustered = time.perf_counter()
    stored = [
        replace(e, cluster_id=clusters[(e.doc_id, e.id)][0]) if (e.doc_id, e.id) in clusters
        else e
        for e in events
    ]  # fmt: skip
    merged = merge_stored(stored)
    event_counts(merged, period="month")
    done = time.perf_counter()
    return {
        "events": n,
        "approximate_share": approximate,
        "events_in_clusters": len(clusters),
        "merged_events": len(merged),
        "find_clusters_s": round(clustered - started, 2),
        "merge_and_trends_s": round(done - clustered, 2),
        "events_per_s": round(n / (done - started)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--approximate", type=float, default=0.05)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for n in args.events:
        row = measure(n, args.approximate)
        print(json.dumps(row) if args.json else "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()

"""ACLED's taxonomy, read from ``data/taxonomy/acled.json``: the one place that names
event types, sub-event types, disorder types and actor (inter) codes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "EVENT_TYPES",
    "Taxonomy",
    "disorder_type",
    "event_type_of",
    "interaction",
    "load_taxonomy",
]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    sub_to_event: dict[str, str]
    event_to_subs: dict[str, tuple[str, ...]]
    disorder: dict[str, str]
    inter_codes: dict[int, str]


@cache
def load_taxonomy() -> Taxonomy:
    raw = json.loads(
        resources.files("ember").joinpath("data/taxonomy/acled.json").read_text("utf-8")
    )
    sub_to_event: dict[str, str] = {}
    event_to_subs: dict[str, tuple[str, ...]] = {}
    disorder: dict[str, str] = {}
    for entry in raw["event_types"]:
        event_to_subs[entry["event_type"]] = tuple(entry["sub_event_types"])
        for sub in entry["sub_event_types"]:
            sub_to_event[sub] = entry["event_type"]
            disorder[sub] = raw["disorder_type_overrides"].get(sub, entry["disorder_type"])
    inter = {int(code): name for code, name in raw["inter_codes"].items()}
    return Taxonomy(sub_to_event, event_to_subs, disorder, inter)


EVENT_TYPES: tuple[str, ...] = tuple(load_taxonomy().event_to_subs)


def event_type_of(sub_event_type: str) -> str:
    """The event type a sub-event type belongs to; KeyError for a name ACLED lacks."""
    return load_taxonomy().sub_to_event[sub_event_type]


def disorder_type(sub_event_type: str) -> str:
    return load_taxonomy().disorder[sub_event_type]


def interaction(inter1: int | None, inter2: int | None) -> int:
    """ACLED's interaction code: both inter codes, smaller first; one actor gives e.g. 20."""
    codes = sorted(code for code in (inter1, inter2) if code)
    if not codes:
        return 0
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]

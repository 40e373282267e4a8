"""The landmark timeline and tenures: every row well formed, dated and sourced."""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources
from typing import Any

import pytest

from ember.taxonomy import event_type_of


def rows(name: str) -> list[dict[str, Any]]:
    text = resources.files("ember").joinpath(f"data/timeline/{name}").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def cues() -> dict[str, Any]:
    text = resources.files("ember").joinpath("data/timeline/cues.json").read_text("utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@pytest.mark.parametrize("row", rows("landmarks.jsonl"), ids=lambda r: r["id"])
def test_landmark_rows(row: dict[str, Any]) -> None:
    required = {"id", "date", "what", "names", "unless", "before_when", "source"}
    assert required <= set(row) <= required | {"lasting", "sub_event_type"}
    if "sub_event_type" in row:
        assert event_type_of(row["sub_event_type"])
    assert isinstance(row.get("lasting", False), bool)
    assert date(2000, 1, 1) <= date.fromisoformat(row["date"]) <= date.today()
    assert row["what"] and row["source"].startswith("Wikipedia")
    assert row["names"] and all(isinstance(n, str) for n in row["names"])
    for pattern in row["names"]:
        if pattern != "@done":
            re.compile(pattern)
    if row["unless"] is not None:
        re.compile(row["unless"])
    assert row["before_when"] in (None, *[k for k in cues() if k in ("held", "pending")])


def test_landmark_ids_are_unique() -> None:
    ids = [row["id"] for row in rows("landmarks.jsonl")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", rows("tenures.jsonl"), ids=lambda r: r["id"])
def test_tenure_rows(row: dict[str, Any]) -> None:
    assert set(row) == {"id", "person", "names", "title", "start", "end", "source"}
    re.compile(row["names"])
    re.compile(row["title"])
    start = date.fromisoformat(row["start"])
    assert row["end"] is None or date.fromisoformat(row["end"]) > start
    assert row["source"].startswith("Wikipedia")


def test_cues_compile() -> None:
    found = cues()
    assert found["source"]
    for key in ("done", "held", "pending", "not_current", "year_done", "year_so_far"):
        re.compile(found[key])
    for pattern in found["elapsed"]:
        assert {"count", "unit"} <= set(re.compile(pattern).groupindex)

"""A stand-in for the analysis that worker processes import cheaply (no spaCy): each
document "analysed" as the text "ok"; a text holding DIE kills its worker, one holding
SLOW sleeps."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

DIE = "die-now"
SLOW = "slow-down"


def fake_group(items: Sequence[Any]) -> list[tuple[str, Any]]:
    results: list[tuple[str, Any]] = []
    for item in items:
        if DIE in item.text:
            os._exit(9)
        if SLOW in item.text:
            time.sleep(30)
        results.append((item.doc_id, "ok"))
    return results


def no_start() -> None:
    return None

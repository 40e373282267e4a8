"""The flow runs one way: a stage never imports a later one (DESIGN.md, "The flow")."""

from __future__ import annotations

import ast
from pathlib import Path

import ember

STAGES = [
    "ingest", "nlp", "extract", "geo", "store", "analyze", "assess", "report", "web", "scale",
    "watch",
]  # fmt: skip
PACKAGE = Path(ember.__file__).parent


def _imported_stages(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        parts = node.module.split(".")
        if node.level >= 2:
            found.add((parts[0], node.lineno))
        elif node.level == 0 and parts[0] == "ember" and len(parts) > 1:
            found.add((parts[1], node.lineno))
    return found


def test_no_stage_imports_a_later_stage() -> None:
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        stage = path.relative_to(PACKAGE).parts[0]
        if stage not in STAGES:
            continue
        for target, line in _imported_stages(path):
            if target in STAGES and STAGES.index(target) > STAGES.index(stage):
                backwards.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert backwards == []

"""The text suite: how much of a page's article body ember keeps, and how much else.

Gold data (Zyte's article-extraction benchmark layout): ``html/<id>.html.gz`` pages and
``ground-truth.json`` mapping each id to ``{"articleBody", "url"}``. Pages are taken in
sorted id order, so ``limit=N`` means the first N ids.

Per page, tokens are the ``\\w+`` matches of the lowercased text, counted as a multiset:
precision = |extracted ∩ gold| / |extracted|, recall = |extracted ∩ gold| / |gold|, and F1
their harmonic mean. Edge cases, decided here:

- an empty extraction (ember rejected the page, or trafilatura returned nothing) scores
  precision 0, recall 0 and F1 0 for that page;
- a page whose gold body has no tokens is skipped (it cannot be scored) and listed under
  ``skipped`` with the reason, as is a gold id whose HTML file is missing.

The figures reported are the means over scored pages, for ember and, in the same run, for
``trafilatura.extract`` with default options (the baseline).

"ember's text" is exactly what ``ember ingest html/<id>.html.gz`` would store: the file
goes through ``read_source`` and ``build_document``; a rejection counts as an empty
extraction. The baseline gets the same decompressed bytes and decodes them itself."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import trafilatura

from ..errors import ConfigError
from ..ingest import Rejection, Source, build_document, read_source
from ..settings import Settings

__all__ = [
    "PageScore",
    "Scores",
    "evaluate_text",
    "format_text_table",
    "score_page",
    "tokens",
]

_TOKEN = re.compile(r"\w+")
_GROUND_TRUTH = "ground-truth.json"


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PageScore:
    id: str
    ember: Scores
    baseline: Scores
    ember_rejected: str | None = None


def tokens(text: str) -> Counter[str]:
    """The multiset of ``\\w+`` tokens of the lowercased text."""
    return Counter(_TOKEN.findall(text.lower()))


def score_page(extracted: str, gold: str) -> Scores:
    """Token precision, recall and F1 of ``extracted`` against ``gold``."""
    got, want = tokens(extracted), tokens(gold)
    if not want:
        raise ValueError("gold text has no tokens")
    if not got:
        return Scores(0.0, 0.0, 0.0)
    common = sum((got & want).values())
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Scores(precision, recall, f1)


def _mean(scores: list[Scores]) -> dict[str, float]:
    n = len(scores)
    if not n:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {
        "precision": sum(s.precision for s in scores) / n,
        "recall": sum(s.recall for s in scores) / n,
        "f1": sum(s.f1 for s in scores) / n,
    }


def _load_gold(gold_dir: Path) -> dict[str, str]:
    path = gold_dir / _GROUND_TRUTH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected an object mapping page ids to gold entries")
    try:
        return {str(k): str(v.get("articleBody") or "") for k, v in data.items()}
    except AttributeError as exc:
        raise ConfigError(f"{path}: every entry must be an object with articleBody") from exc


def _ember_text(page: Path, settings: Settings) -> tuple[str, str | None]:
    """What ember would store for ``page``: (text, None), or ("", reason) if rejected."""
    for raw in read_source(Source(str(page), "html"), settings=settings):
        if isinstance(raw, Rejection):
            return "", raw.reason
        built = build_document(raw, settings=settings)
        if isinstance(built, Rejection):
            return "", built.reason
        return built.document.text, None
    return "", "no document read from the page"


def _baseline_text(page: Path) -> str:
    html = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
    text: str | None = trafilatura.extract(html)
    return text or ""


def _pages(gold_dir: Path, gold: dict[str, str]) -> Iterator[tuple[str, Path | None, str]]:
    for page_id in sorted(gold):
        page = gold_dir / "html" / f"{page_id}.html.gz"
        if not page.exists():
            page = gold_dir / "html" / f"{page_id}.html"
        yield page_id, (page if page.exists() else None), gold[page_id]


def _score(page_id: str, page: Path, gold: str, settings: Settings) -> PageScore:
    ember, rejected = _ember_text(page, settings)
    return PageScore(
        id=page_id,
        ember=score_page(ember, gold),
        baseline=score_page(_baseline_text(page), gold),
        ember_rejected=rejected,
    )


def evaluate_text(gold_dir: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Run the text suite on ``gold_dir``; the JSON object ``ember eval text`` prints."""
    settings = Settings()
    gold = _load_gold(gold_dir)
    scored: list[PageScore] = []
    skipped: list[dict[str, str]] = []
    for page_id, page, body in _pages(gold_dir, gold):
        if limit is not None and len(scored) >= limit:
            break
        if page is None:
            skipped.append({"id": page_id, "reason": "HTML page missing"})
        elif not tokens(body):
            skipped.append({"id": page_id, "reason": "gold article body is empty"})
        else:
            scored.append(_score(page_id, page, body, settings))
    return {
        "suite": "text",
        "n": len(scored),
        "ember": _mean([p.ember for p in scored]),
        "baseline": _mean([p.baseline for p in scored]),
        "ember_rejected": sum(p.ember_rejected is not None for p in scored),
        "skipped": skipped,
        "pages": [asdict(p) for p in scored],
    }


def format_text_table(result: dict[str, Any]) -> str:
    """The figures of ``evaluate_text`` as a small plain-text table."""
    lines = [
        f"text extraction, {result['n']} pages (mean token precision / recall / F1)",
        f"{'system':<22}{'precision':>10}{'recall':>10}{'F1':>10}",
    ]
    for key, label in (("ember", "ember"), ("baseline", "trafilatura (default)")):
        row = result[key]
        lines.append(
            f"{label:<22}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
        )
    notes = []
    if result.get("ember_rejected"):
        notes.append(f"ember rejected {result['ember_rejected']} page(s) (scored 0)")
    if result.get("skipped"):
        notes.append(f"skipped {len(result['skipped'])} page(s) without usable gold")
    lines.extend(notes)
    return "\n".join(lines)

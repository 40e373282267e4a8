"""The claims suite: ember's figures against the Quantity and Money entities of Dstl's
re3d corpus (documents on the conflict in Syria and Iraq, annotated independently).

Gold layout: one sub-folder per source (``BBC Online/``, ``CENTCOM/``...), each holding
``documents.json`` and ``entities.json`` as ``mongoexport`` writes them (one JSON object
a line, possibly after a byte-order mark). Gold figures are the entities of type
``Quantity`` or ``Money``; their ``begin``/``end`` are characters of the document's
``text``. Documents are taken folder by folder (sorted by name), in file order within a
folder, so ``limit=N`` means the first N of that order; ``n`` is the number of documents.

ember reads each document's text alone, with no publication date. Metrics
(``../shared/eval/README.md``), each a fraction of the denominator named in ``counts``:

- ``recall``: gold entities overlapped by the ``quantity_span`` of some claim;
- ``precision``: claims whose ``quantity_span`` overlaps some gold entity;
- ``recall_numeric``: recall over the gold entities whose value holds a digit or an
  English number word ("80,000", "two", "dozens"), leaving out what re3d also tags but
  no figure states ("money", "wages", "a");
- ``value_accuracy``: over the found gold entities whose value ember's number reader
  (``nlp.numbers.parse_quantity``) reads once currency signs are stripped, the share
  where the claim overlapping it most has that value as ``value_low``;
- ``recall_quantity``, ``recall_money``: recall per gold type.

A gold *file* rather than a folder is a real-prose set recognised from its fields:
PolNeAR attributions (``polnear``), scored by ``polnear.evaluate_polnear`` into an
``AttributionReport``.

A missing or malformed file raises ``ConfigError`` naming it (and the line); an
``EmberError`` ember raises on one document is recorded under ``errors`` and the
document counts as giving no claims."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EmberError
from ..nlp.numbers import number_words, parse_quantity
from ..records import Claim
from .measures import Tally, f1_score
from .polnear import evaluate_polnear, format_polnear_table
from .prose import AnalyzeDocuments, detect_prose_format

__all__ = [
    "GOLD_TYPES",
    "AttributionReport",
    "ClaimsReport",
    "DocumentScore",
    "ExtractClaims",
    "GoldDocument",
    "GoldFigure",
    "evaluate_claims",
    "format_claims_table",
    "is_numeric",
    "read_gold",
]

#: ``extract(text, doc_id)``: ember's claims of one text.
ExtractClaims = Callable[[str, str], Sequence[Claim]]

#: The re3d entity types that state a figure.
GOLD_TYPES: tuple[str, ...] = ("Quantity", "Money")
_METRICS = (
    "recall",
    "precision",
    "f1",
    "recall_numeric",
    "value_accuracy",
    "recall_quantity",
    "recall_money",
)
_DOCUMENTS = "documents.json"
_ENTITIES = "entities.json"
_WORD = re.compile(r"[a-z]+")
_CURRENCY_SIGNS = re.compile(r"(?i)\bus(?=\$)|[$€£¥]")


# --- gold --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldFigure:
    """One Quantity or Money entity: its type, value as written and characters."""

    type: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    folder: str
    text: str
    figures: tuple[GoldFigure, ...]


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(f"gold file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number}: not a JSON object: {exc}") from exc
        if not isinstance(record, dict):
            raise ConfigError(f"{path}:{number}: not a JSON object")
        yield number, record


def _mongo_int(value: Any) -> int:
    """An integer as mongoexport writes it: plain, or ``{"$numberInt": "5"}``."""
    if isinstance(value, dict):
        value = value.get("$numberInt", value.get("$numberLong"))
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _mongo_id(value: Any) -> str:
    if isinstance(value, dict) and "$oid" in value:
        return str(value["$oid"])
    return str(value)


def _read_folder(folder: Path) -> list[GoldDocument]:
    texts: dict[str, str] = {}
    path = folder / _DOCUMENTS
    for number, record in _json_lines(path):
        text = record.get("text")
        if "_id" not in record or not isinstance(text, str):
            raise ConfigError(f"{path}:{number}: a document needs _id and text")
        texts[_mongo_id(record["_id"])] = text
    figures: dict[str, list[GoldFigure]] = {doc_id: [] for doc_id in texts}
    path = folder / _ENTITIES
    for number, record in _json_lines(path):
        if record.get("type") not in GOLD_TYPES:
            continue
        doc_id = _mongo_id(record.get("documentId"))
        if doc_id not in texts:
            continue  # an entity of a document this folder does not hold
        try:
            start, end = _mongo_int(record["begin"]), _mongo_int(record["end"])
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: begin/end: {exc}") from exc
        if not 0 <= start < end <= len(texts[doc_id]):
            raise ConfigError(f"{path}:{number}: span {start}-{end} outside the document")
        value = str(record.get("value") or texts[doc_id][start:end])
        figures[doc_id].append(GoldFigure(str(record["type"]), value, start, end))
    return [
        GoldDocument(doc_id, folder.name, text, tuple(sorted(figures[doc_id], key=_at)))
        for doc_id, text in texts.items()
    ]


def _at(figure: GoldFigure) -> tuple[int, int]:
    return figure.start, figure.end


def read_gold(gold_dir: Path) -> list[GoldDocument]:
    """Every document of a re3d folder with its gold figures, folder by folder (sorted
    by name), in file order. ``gold_dir`` may also be one source folder itself."""
    if (gold_dir / _DOCUMENTS).is_file():
        return _read_folder(gold_dir)
    if not gold_dir.is_dir():
        raise ConfigError(f"gold folder not found: {gold_dir}")
    folders = sorted(p for p in gold_dir.iterdir() if (p / _DOCUMENTS).is_file())
    if not folders:
        raise ConfigError(f"{gold_dir}: no sub-folder holds a {_DOCUMENTS} (re3d layout)")
    return [document for folder in folders for document in _read_folder(folder)]


def is_numeric(value: str) -> bool:
    """Whether a gold value states a figure: a digit, or an English number word, plural
    scales included ("two", "a few thousand", "dozens"; not "wages", not "a")."""
    if any(ch.isdigit() for ch in value):
        return True
    words = number_words().numbers
    return any(w in words or w.removesuffix("s") in words for w in _WORD.findall(value.lower()))


def _gold_value(value: str) -> float | None:
    quantity = parse_quantity(_CURRENCY_SIGNS.sub("", value))
    return quantity.low if quantity is not None else None


# --- scoring -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentScore:
    """One document's figures: how many gold figures and claims, how many of each
    matched, and what was missed (gold values) or spurious (claims' figures as written)."""

    id: str
    folder: str
    gold: int
    found: int
    claims: int
    correct: int
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimsReport:
    """The suite's figures; ``as_json()`` is what ``ember eval claims --json`` prints."""

    n: int
    metrics: Mapping[str, float]
    counts: Mapping[str, int]
    documents: tuple[DocumentScore, ...]
    errors: tuple[Mapping[str, str], ...] = ()
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "suite": "claims",
            "gold": "re3d",
            "n": self.n,
            "metrics": dict(self.metrics),
            "counts": dict(self.counts),
            "documents": [
                {
                    "id": d.id,
                    "folder": d.folder,
                    "gold": d.gold,
                    "found": d.found,
                    "claims": d.claims,
                    "correct": d.correct,
                    "missed": list(d.missed),
                    "spurious": list(d.spurious),
                }
                for d in self.documents
            ],
            "errors": [dict(e) for e in self.errors],
            "seconds": self.seconds,
        }


class _Tally(Tally):
    """Hits and denominators per metric, and the suite's figures from them."""

    def metrics(self) -> dict[str, float]:
        rates = {metric: self.rate(metric) for metric in _METRICS if metric != "f1"}
        p, r = rates["precision"], rates["recall"]
        rates["f1"] = f1_score(p, r)
        return {metric: rates[metric] for metric in _METRICS}

    def counts(self) -> dict[str, int]:
        counts = {metric: self.totals[metric] for metric in _METRICS if metric != "f1"}
        return {**counts, "found": self.hits["recall"], "correct": self.hits["precision"]}


def _overlap(claim: Claim, figure: GoldFigure) -> int:
    start, end = claim.quantity_span
    return min(end, figure.end) - max(start, figure.start)


def _best_claim(figure: GoldFigure, claims: Sequence[Claim]) -> Claim | None:
    best, best_size = None, 0
    for claim in claims:
        size = _overlap(claim, figure)
        if size > best_size:
            best, best_size = claim, size
    return best


def _score(document: GoldDocument, claims: Sequence[Claim], tally: _Tally) -> DocumentScore:
    missed = []
    for figure in document.figures:
        match = _best_claim(figure, claims)
        found = match is not None
        tally.add("recall", found)
        tally.add(f"recall_{figure.type.lower()}", found)
        if is_numeric(figure.value):
            tally.add("recall_numeric", found)
        if not found:
            missed.append(figure.value)
            continue
        gold_value = _gold_value(figure.value)
        if match is not None and gold_value is not None:
            tally.add("value_accuracy", math.isclose(match.value_low, gold_value, rel_tol=1e-9))
    spurious = []
    for claim in claims:
        correct = any(_overlap(claim, figure) > 0 for figure in document.figures)
        tally.add("precision", correct)
        if not correct:
            spurious.append(claim.quantity_text)
    return DocumentScore(
        id=document.id,
        folder=document.folder,
        gold=len(document.figures),
        found=len(document.figures) - len(missed),
        claims=len(claims),
        correct=len(claims) - len(spurious),
        missed=tuple(missed),
        spurious=tuple(spurious),
    )


# --- running ember -----------------------------------------------------------------------


def _default_extract() -> ExtractClaims:
    # Imported here: the pipeline is heavy (spaCy, gazetteer) and tests pass their own.
    from ..scale.pipeline import AnalysisInput, analyze_many

    def extract(text: str, doc_id: str) -> Sequence[Claim]:
        return next(analyze_many([AnalysisInput(doc_id, text)])).claims

    return extract


@dataclass(frozen=True, slots=True)
class AttributionReport:
    """A real-prose claims run (PolNeAR); ``as_json()`` is what ``ember eval claims
    --json`` prints."""

    result: Mapping[str, Any]

    @property
    def n(self) -> int:
        return int(self.result["n"])

    @property
    def metrics(self) -> Mapping[str, float]:
        metrics: Mapping[str, float] = self.result["metrics"]
        return metrics

    def as_json(self) -> dict[str, Any]:
        return dict(self.result)


def _evaluate_file(
    path: Path, limit: int | None, analyze: AnalyzeDocuments | None
) -> AttributionReport:
    if detect_prose_format(path) != "polnear":
        raise ConfigError(
            f"{path}: not a claims gold file; expected a re3d folder or PolNeAR attributions "
            "(JSON lines with text and attributions)"
        )
    return AttributionReport(evaluate_polnear(path, limit=limit, analyze=analyze))


def evaluate_claims(
    gold_dir: Path,
    *,
    limit: int | None = None,
    extract: ExtractClaims | None = None,
    analyze_documents: AnalyzeDocuments | None = None,
) -> ClaimsReport | AttributionReport:
    """Run the claims suite on a re3d folder (its first ``limit`` documents when given).
    ``extract(text, doc_id)`` gives ember's claims of one text; by default the full
    pipeline, with no publication date. A PolNeAR file gives an ``AttributionReport``
    (``analyze_documents`` stands in for the pipeline there)."""
    if limit is not None and limit < 0:
        raise ConfigError(f"--limit must be 0 or more, not {limit}")
    if gold_dir.is_file():
        return _evaluate_file(gold_dir, limit, analyze_documents)
    documents = read_gold(gold_dir)
    if limit is not None:
        documents = documents[:limit]
    run = extract if extract is not None else _default_extract()
    tally = _Tally()
    errors: list[dict[str, str]] = []
    scores = []
    started = time.perf_counter()
    for document in documents:
        try:
            claims = list(run(document.text, document.id))
        except EmberError as exc:
            errors.append({"doc_id": document.id, "folder": document.folder, "reason": str(exc)})
            claims = []
        scores.append(_score(document, claims, tally))
    return ClaimsReport(
        n=len(documents),
        metrics=tally.metrics(),
        counts=tally.counts(),
        documents=tuple(scores),
        errors=tuple(errors),
        seconds=round(time.perf_counter() - started, 3),
    )


# --- the table ---------------------------------------------------------------------------

_DENOMINATORS: Mapping[str, str] = {
    "recall": "gold",
    "precision": "claims",
    "f1": "",
    "recall_numeric": "gold",
    "value_accuracy": "read",
    "recall_quantity": "gold",
    "recall_money": "gold",
}


def format_claims_table(report: ClaimsReport | AttributionReport) -> str:
    """The figures of ``evaluate_claims`` as a small plain-text table."""
    if isinstance(report, AttributionReport):
        return format_polnear_table(report.result)
    gold = report.counts.get("recall", 0)
    lines = [
        f"claims, re3d Quantity/Money: {report.n} documents, {gold} gold figures, "
        f"{report.counts.get('precision', 0)} claims",
        f"{'metric':<18}{'rate':>8}{'of':>8}  {'what':<8}",
    ]
    for metric, rate in report.metrics.items():
        of = f"{report.counts[metric]}" if metric in report.counts else ""
        lines.append(f"{metric:<18}{rate:>8.3f}{of:>8}  {_DENOMINATORS.get(metric, ''):<8}")
    if report.errors:
        lines.append(f"ember raised an error on {len(report.errors)} document(s) (no claims)")
    return "\n".join(line.rstrip() for line in lines)

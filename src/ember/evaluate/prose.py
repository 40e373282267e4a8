"""What the real-prose suites share (IndiaPoliceEvents, WikiEvents, MUC-4, PolNeAR):
reading a JSON-lines gold file, recognising its format, running ember on its documents
and printing the figures.

Each document is read as written: its ``text``, with its publication date as the anchor
for relative dates where the set gives one. ember analyses the documents with the stage
functions ``ember ingest`` uses (``scale.pipeline.analyze_many``, in batches, so spaCy is
loaded once and sees the texts in batches); no store is built, because the events and
claims scored are the ``Analysis`` records the store keeps and ``ember export`` writes
(their exported fields only, unless a suite says otherwise).

Bad input never stops a run: a line that is not a JSON object, or a document the
format's reader rejects (a field missing, an offset outside the text), is skipped and
listed under ``errors`` (``stage: "gold"``); a document ember fails on (any exception in
the pipeline) counts as giving no records and is listed too (``stage: "analysis"``).
``error_counts`` gives both counts. A missing or unreadable file, or one whose first
record matches no format, raises ``ConfigError``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

from ..errors import ConfigError
from ..records import Claim, Event

__all__ = [
    "PROSE_FIELDS",
    "VIOLENT_TYPES",
    "AnalyzeDocuments",
    "ErrorLog",
    "GoldDocument",
    "GoldError",
    "ProseDocument",
    "ProseFormat",
    "ProseRecords",
    "ProseSuite",
    "Scored",
    "analyze_documents",
    "detect_prose_format",
    "read_gold_lines",
]

ProseFormat = Literal["ipe", "wikievents", "muc4", "polnear"]

#: The fields a record must hold to be of each format (checked in this order).
PROSE_FIELDS: Mapping[ProseFormat, frozenset[str]] = {
    "ipe": frozenset({"text", "sentences", "labels"}),
    "wikievents": frozenset({"text", "sentences", "events"}),
    "muc4": frozenset({"text", "templates", "roles_union_of_templates"}),
    "polnear": frozenset({"text", "attributions"}),
}
#: ACLED's event types of political violence (what "a violent event" means here).
VIOLENT_TYPES: frozenset[str] = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians"}
)
_BATCH = 32

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProseDocument:
    """One gold document as ember reads it: its id, text as written and publication
    date (ISO day) where the set gives one."""

    doc_id: str
    text: str
    published: str | None = None


@dataclass(frozen=True, slots=True)
class ProseRecords:
    """ember's records of one document, as the store keeps and export writes them."""

    events: Sequence[Event] = ()
    claims: Sequence[Claim] = ()


#: ``analyze(documents)``: ember's records of each document, in order.
AnalyzeDocuments = Callable[[Sequence[ProseDocument]], Sequence[ProseRecords]]


class GoldError(ValueError):
    """A gold document the format's reader rejects (skipped and counted)."""


@dataclass(slots=True)
class ErrorLog:
    """The documents a run skipped (``stage`` "gold") or got no records for ("analysis")."""

    listed: list[dict[str, Any]] = field(default_factory=list)

    def add(self, stage: str, where: str | int, reason: str) -> None:
        key = "line" if isinstance(where, int) else "doc_id"
        self.listed.append({"stage": stage, key: where, "reason": reason})

    def counts(self) -> dict[str, int]:
        return {
            stage: sum(e["stage"] == stage for e in self.listed) for stage in ("gold", "analysis")
        }


def _open_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(f"gold file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc


def detect_prose_format(path: Path) -> ProseFormat | None:
    """The real-prose format of ``path`` judged from the fields of its first record, or
    None when the file does not start with a JSON object (a CSV or TSV file, say)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
    except FileNotFoundError as exc:
        raise ConfigError(f"gold file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc
    if not first.lstrip().startswith("{"):
        return None
    try:
        record = json.loads(first)
    except ValueError as exc:
        raise ConfigError(f"{path}:1: not a JSON object: {exc}") from exc
    keys = set(record) if isinstance(record, dict) else set()
    for name, fields in PROSE_FIELDS.items():
        if fields <= keys:
            return name
    raise ConfigError(
        f"{path}: unknown gold format (fields {', '.join(sorted(keys)[:8]) or 'none'}); "
        "expected IndiaPoliceEvents (text, sentences, labels), WikiEvents (text, sentences, "
        "events), MUC-4 (text, templates, roles_union_of_templates) or PolNeAR (text, "
        "attributions)"
    )


def read_gold_lines(
    path: Path, parse: Callable[[dict[str, Any]], T], *, limit: int | None, errors: ErrorLog
) -> list[T]:
    """The first ``limit`` records of a JSON-lines file, each through ``parse``; a bad
    line or a record ``parse`` rejects (``GoldError``, ``KeyError``, ``TypeError``,
    ``ValueError``) is skipped and listed in ``errors``, and still counts towards
    ``limit``."""
    documents: list[T] = []
    seen = 0
    for number, line in enumerate(_open_lines(path), 1):
        if not line.strip():
            continue
        if limit is not None and seen >= limit:
            break
        seen += 1
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise GoldError("not a JSON object")
            documents.append(parse(record))
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            errors.add("gold", number, reason)
    return documents


def _pipeline() -> AnalyzeDocuments:
    # Imported here: the pipeline is heavy (spaCy, gazetteer) and tests pass their own.
    from ..scale.pipeline import AnalysisInput, analyze_many

    def analyze(documents: Sequence[ProseDocument]) -> Sequence[ProseRecords]:
        items = (AnalysisInput(d.doc_id, d.text, d.published, False) for d in documents)
        return [ProseRecords(a.events, a.claims) for a in analyze_many(items)]

    return analyze


def analyze_documents(
    documents: Sequence[ProseDocument],
    analyze: AnalyzeDocuments | None = None,
    *,
    errors: ErrorLog,
) -> list[ProseRecords]:
    """ember's records of each document, in order, batch by batch. When a batch fails,
    its documents are analysed one by one, and the one that fails gives no records (its
    error listed): one bad document never sinks the run."""
    run = analyze if analyze is not None else _pipeline()
    records: list[ProseRecords] = []
    for start in range(0, len(documents), _BATCH):
        batch = documents[start : start + _BATCH]
        try:
            records.extend(_checked(run(batch), len(batch)))
            continue
        except Exception:  # retried one by one below, each error listed
            pass
        for document in batch:
            try:
                records.extend(_checked(run([document]), 1))
            except Exception as exc:  # one document must not sink the run
                errors.add("analysis", document.doc_id, f"{type(exc).__name__}: {exc}")
                records.append(ProseRecords())
    return records


def _checked(records: Sequence[ProseRecords], size: int) -> Sequence[ProseRecords]:
    records = list(records)
    if len(records) != size:
        raise RuntimeError(f"the analysis gave {len(records)} results for {size} documents")
    return records


@dataclass(frozen=True, slots=True)
class Scored:
    """A suite's figures: ``metrics`` (rates 0-1, or counts), each metric's denominator
    in ``counts``, and one row a document for reading the errors."""

    metrics: Mapping[str, float]
    counts: Mapping[str, int]
    documents: Sequence[Mapping[str, Any]]


class GoldDocument(Protocol):
    """What every format's gold document holds: what ember reads."""

    @property
    def doc_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def published(self) -> str | None: ...


G = TypeVar("G", bound=GoldDocument)


@dataclass(frozen=True, slots=True)
class ProseSuite(Generic[G]):
    """One real-prose gold format: which suite prints it, how a record is read
    (``parse`` raises ``GoldError`` on a bad one), how ember's records are scored, and the
    denominator each metric is a share of (``of``; ``"count"`` for a count)."""

    suite: Literal["events", "claims"]
    format: ProseFormat
    title: str
    parse: Callable[[Mapping[str, Any]], G]
    score: Callable[[Sequence[G], Sequence[ProseRecords]], Scored]
    of: Mapping[str, str]

    def evaluate(
        self, path: Path, *, limit: int | None = None, analyze: AnalyzeDocuments | None = None
    ) -> dict[str, Any]:
        """The figures of the gold file ``path`` (its first ``limit`` documents), the
        JSON object ``ember eval`` prints; ``analyze`` stands in for ember's pipeline."""
        if limit is not None and limit < 0:
            raise ConfigError(f"--limit must be 0 or more, not {limit}")
        started = time.perf_counter()
        errors = ErrorLog()
        gold = read_gold_lines(path, self.parse, limit=limit, errors=errors)
        documents = [ProseDocument(g.doc_id, g.text, g.published) for g in gold]
        scored = self.score(gold, analyze_documents(documents, analyze, errors=errors))
        return {
            "suite": self.suite,
            "format": self.format,
            "n": len(gold),
            "metrics": dict(scored.metrics),
            "counts": dict(scored.counts),
            "error_counts": errors.counts(),
            "errors": errors.listed,
            "documents": list(scored.documents),
            "seconds": round(time.perf_counter() - started, 3),
        }

    def table(self, result: Mapping[str, Any]) -> str:
        """The figures of ``evaluate`` as a small plain-text table."""
        counts: Mapping[str, int] = result.get("counts", {})
        width = max((len(metric) for metric in result["metrics"]), default=6) + 2
        lines = [
            f"{result['suite']}, {self.title}: {result['n']} documents",
            f"{'metric':<{width}}{'value':>8}{'of':>8}  what",
        ]
        for metric, value in result["metrics"].items():
            what = self.of.get(metric, "")
            if what == "count":
                lines.append(f"{metric:<{width}}{value:>8d}")
                continue
            total = str(counts.get(metric, ""))
            lines.append(f"{metric:<{width}}{value:>8.3f}{total:>8}  {what}")
        error_counts: Mapping[str, int] = result.get("error_counts", {})
        if error_counts.get("gold"):
            lines.append(f"skipped {error_counts['gold']} malformed gold document(s)")
        if error_counts.get("analysis"):
            failed = error_counts["analysis"]
            lines.append(f"ember raised an error on {failed} document(s) (no records)")
        return "\n".join(line.rstrip() for line in lines)

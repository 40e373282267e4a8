"""The ``ember review`` commands and the audit trail's export (JSONL or CSV).

Exit codes as every command: 1 for an unknown id (the other ids given are still
reviewed), 2 for an unknown field or a value the field cannot take."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

import click

from ..cli import _edge, _open_store, _output, _settings, db_option
from ..store._review import CLAIM_FIELDS, EVENT_FIELDS, RecordNotFound, ReviewEntry, Reviews

__all__ = ["LOG_FIELDS", "review", "write_review_log"]

LOG_FIELDS = ("id", "at", "by", "kind", "record_id", "doc_id", "field", "old", "new")

_kind_option = click.option(
    "--kind", type=click.Choice(["event", "claim"]), default="event", show_default=True,
    help="What the ids name.",
)  # fmt: skip
_by_option = click.option(
    "--by", "by", envvar="EMBER_REVIEWER", required=True, metavar="NAME",
    help="Who reviews (kept in the audit trail). Env: EMBER_REVIEWER.",
)  # fmt: skip


@click.group()
def review() -> None:
    """Review events and claims: accept, reject or set a field; every change is kept
    with who, when, the old and new value, and a re-analysis never overwrites it.
    Rejected records stay in the store but leave every list, export and report."""


@review.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_by_option
@_kind_option
@db_option
def accept(ids: tuple[str, ...], by: str, kind: str, db_url: str) -> None:
    """Accept events (or claims) as the analysers read them."""
    _each(ids, db_url, lambda reviews, record_id: reviews.accept(kind, record_id, by=by))


@review.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_by_option
@_kind_option
@db_option
def reject(ids: tuple[str, ...], by: str, kind: str, db_url: str) -> None:
    """Reject events (or claims): kept, but hidden from every consumer."""
    _each(ids, db_url, lambda reviews, record_id: reviews.reject(kind, record_id, by=by))


@review.command(name="set")
@click.argument("record_id", metavar="ID")
@click.argument("field")
@click.argument("value")
@_by_option
@_kind_option
@db_option
def set_field(record_id: str, field: str, value: str, by: str, kind: str, db_url: str) -> None:
    _each((record_id,), db_url, lambda reviews, rid: reviews.set(kind, rid, field, value, by=by))


# The help names the fields, so it is built rather than a docstring.
set_field.help = (
    'Set FIELD of an event (or claim) to VALUE ("" clears it).\n\n'
    f"Event fields: {', '.join(EVENT_FIELDS)}. Claim fields: {', '.join(CLAIM_FIELDS)}. "
    "A sub-event type comes from ACLED's taxonomy (it sets the event type too); an actor "
    'may be any alias ("Daesh" is Islamic State); a place is a gazetteer key '
    '("curated:baghouz") or a name it knows; a date YYYY[-MM[-DD]] or A..B.'
)


@review.command(name="export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
    help="Output format.",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@db_option
def export_log(fmt: str, out: str | None, db_url: str) -> None:
    """Write the audit trail, oldest change first: who changed which field of which
    record, when, from what to what."""
    settings = _settings(db_url=db_url)
    with _edge(), _open_store(settings) as store, _output(out) as stream:
        written = write_review_log(Reviews(store).iter_log(), stream, fmt=fmt)
    if out:
        click.echo(f"wrote {written} review changes to {out}", err=True)


def write_review_log(entries: Iterable[ReviewEntry], stream: TextIO, *, fmt: str = "jsonl") -> int:
    """Write ``entries`` as JSONL (one object a line) or CSV (``LOG_FIELDS``; old and new
    as JSON text). Returns how many were written."""
    written = 0
    writer = csv.DictWriter(stream, fieldnames=LOG_FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for entry in entries:
        row = entry.as_json()
        if writer is not None:
            writer.writerow({**row, "old": _cell(row["old"]), "new": _cell(row["new"])})
        else:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written


def _cell(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _each(ids: Iterable[str], db_url: str, change: Any) -> None:
    """Apply ``change`` to each id; an unknown id is reported and the rest go on (exit 1
    at the end); a bad field or value stops at once (exit 2)."""
    settings = _settings(db_url=db_url)
    missing = 0
    with _edge(), _open_store(settings) as store:
        reviews = Reviews(store)
        for record_id in ids:
            try:
                entries = change(reviews, record_id)
            except RecordNotFound as exc:
                click.echo(f"error: {exc}", err=True)
                missing += 1
                continue
            for entry in entries:
                click.echo(
                    f"{entry.kind} {entry.record_id}: {entry.field} "
                    f"{_shown(entry.old)} -> {_shown(entry.new)} (by {entry.by})"
                )
            if not entries:
                click.echo(f"{record_id}: unchanged")
    if missing:
        raise SystemExit(1)


def _shown(value: Any) -> str:
    return "-" if value is None else str(value)

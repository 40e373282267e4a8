"""The tables of ``ember watch``: what each watched source last looked like, and the
alerts raised (each once: its key is the rule id and the record id)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StoreError
from ._engine import _first_line
from .schema import alerts, watch_sources

if TYPE_CHECKING:
    from ._store import Store

__all__ = [
    "StoredAlert",
    "WatchState",
    "add_alert",
    "list_alerts",
    "load_watch_state",
    "pending_webhooks",
    "save_watch_state",
    "set_webhook_result",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchState:
    """What the last poll of ``source`` saw. ``seen``: feed entry ids already stored;
    ``files``: path -> [mtime_ns, size] of a folder's files; ``pending``: documents stored
    but not yet checked against the alert rules; ``failures`` in a row, and the time
    before which the source is not tried again."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    seen: tuple[str, ...] = ()
    files: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    pending: tuple[str, ...] = ()
    failures: int = 0
    last_error: str | None = None
    next_try_at: datetime | None = None
    polled_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredAlert:
    key: str
    rule_id: str
    kind: str
    record_id: str
    doc_id: str | None
    summary: str
    payload: Mapping[str, Any]
    at: datetime
    webhook: str | None = None
    webhook_attempts: int = 0
    webhook_error: str | None = None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def load_watch_state(store: Store, source: str) -> WatchState | None:
    query = select(watch_sources).where(watch_sources.c.source == source)
    try:
        with store.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the watch state of {source}: {_first_line(exc)}") from exc
    if row is None:
        return None
    state = json.loads(row["state"])
    return WatchState(
        source=source,
        etag=row["etag"],
        last_modified=row["last_modified"],
        content_hash=row["content_hash"],
        seen=tuple(state.get("seen", ())),
        files={path: (int(m), int(s)) for path, (m, s) in state.get("files", {}).items()},
        pending=tuple(state.get("pending", ())),
        failures=row["failures"],
        last_error=row["last_error"],
        next_try_at=_aware(row["next_try_at"]),
        polled_at=_aware(row["polled_at"]),
    )


def save_watch_state(store: Store, state: WatchState) -> None:
    """Replace the stored state of ``state.source`` (one transaction)."""
    blob = {"seen": list(state.seen), "files": dict(state.files), "pending": list(state.pending)}
    row = {
        "source": state.source, "etag": state.etag, "last_modified": state.last_modified,
        "content_hash": state.content_hash, "state": json.dumps(blob, ensure_ascii=False),
        "failures": state.failures, "last_error": state.last_error,
        "next_try_at": state.next_try_at, "polled_at": state.polled_at,
    }  # fmt: skip
    try:
        with store._write() as conn:
            conn.execute(delete(watch_sources).where(watch_sources.c.source == state.source))
            conn.execute(insert(watch_sources).values(**row))
    except (SQLAlchemyError, UnicodeError) as exc:
        raise StoreError(
            f"cannot save the watch state of {state.source}: {_first_line(exc)}"
        ) from exc


def add_alert(
    store: Store,
    *,
    key: str,
    rule_id: str,
    kind: str,
    record_id: str,
    doc_id: str | None,
    summary: str,
    payload: Mapping[str, Any],
    webhook: bool,
) -> StoredAlert | None:
    """Store the alert ``key`` unless it is there already; the alert if it is new, else
    None. ``webhook``: it waits for a POST (``pending_webhooks``)."""
    alert = StoredAlert(
        key=key, rule_id=rule_id, kind=kind, record_id=record_id, doc_id=doc_id,
        summary=summary, payload=payload, at=datetime.now(UTC),
        webhook="pending" if webhook else None,
    )  # fmt: skip
    row = {
        "key": key, "rule_id": rule_id, "kind": kind, "record_id": record_id, "doc_id": doc_id,
        "summary": summary, "payload": json.dumps(payload, ensure_ascii=False, default=str),
        "at": alert.at, "webhook": alert.webhook, "webhook_attempts": 0,
    }  # fmt: skip
    try:
        with store._write() as conn:
            if conn.execute(select(alerts.c.key).where(alerts.c.key == key)).first():
                return None
            conn.execute(insert(alerts).values(**row))
    except IntegrityError:  # another watch raised it first
        return None
    except (SQLAlchemyError, UnicodeError) as exc:
        raise StoreError(f"cannot store the alert {key}: {_first_line(exc)}") from exc
    return alert


def _alert(row: RowMapping) -> StoredAlert:
    return StoredAlert(
        key=row["key"], rule_id=row["rule_id"], kind=row["kind"], record_id=row["record_id"],
        doc_id=row["doc_id"], summary=row["summary"], payload=json.loads(row["payload"]),
        at=_aware(row["at"]) or datetime.now(UTC), webhook=row["webhook"],
        webhook_attempts=row["webhook_attempts"], webhook_error=row["webhook_error"],
    )  # fmt: skip


def list_alerts(
    store: Store, *, rule_id: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[StoredAlert], int]:
    """One page of the alerts, newest first, and how many there are in all."""
    condition = alerts.c.rule_id == rule_id if rule_id else alerts.c.key.is_not(None)
    count = select(func.count()).select_from(alerts).where(condition)
    query = (
        select(alerts)
        .where(condition)
        .order_by(alerts.c.at.desc(), alerts.c.key)
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            rows = conn.execute(query).mappings().all()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the alerts: {_first_line(exc)}") from exc
    return [_alert(row) for row in rows], total


def pending_webhooks(store: Store) -> list[StoredAlert]:
    """Alerts still to POST to the webhook, oldest first."""
    query = select(alerts).where(alerts.c.webhook == "pending").order_by(alerts.c.at, alerts.c.key)
    with store.engine.connect() as conn:
        return [_alert(row) for row in conn.execute(query).mappings()]


def set_webhook_result(store: Store, key: str, *, error: str | None) -> None:
    """Note a POST of alert ``key``: sent (``error`` None), or failed and still pending."""
    values: dict[str, Any] = {
        "webhook_attempts": alerts.c.webhook_attempts + 1,
        "webhook_error": error,
    }
    if error is None:
        values["webhook"] = "sent"
    with store._write() as conn:
        conn.execute(update(alerts).where(alerts.c.key == key).values(**values))

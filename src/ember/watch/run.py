"""``run_watch``: what ``ember watch`` runs, its lines printed through ``echo``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..store import Store, StoredAlert
from .deliver import Delivery
from .rules import Rule, load_rules
from .watch import PollSummary, Watch, parse_interval

__all__ = ["run_watch"]

Echo = Callable[..., Any]


def run_watch(
    settings: Settings,
    sources: list[str],
    *,
    every: str,
    rules_path: str | None,
    once: bool,
    alerts_log: str | None,
    webhook: str | None,
    echo: Echo,
) -> int:
    """Poll ``sources`` once or until interrupted; the exit code (1: ``once`` and a source
    failed). A bad option or rules file is a ConfigError, raised before any poll."""
    interval = parse_interval(every)
    rules: list[Rule] = load_rules(rules_path) if rules_path else []
    delivery = Delivery(
        log=Path(alerts_log) if alerts_log else None,
        on_alert=lambda alert: echo(_alert_line(alert)),
        webhook=webhook,
        on_error=lambda message: echo(f"  {message}", err=True),
    )
    delivery.check()
    with (
        Store.open(settings.db_url) as store,
        Watch(
            store, sources, settings=settings, rules=rules, every_s=interval, delivery=delivery
        ) as watch,
    ):
        if once:
            summary = watch.poll()
            _print_poll(summary, echo)
            return 1 if any(r.status == "failed" for r in summary.sources) else 0
        echo(
            f"watching {len(watch.sources)} source(s) every {every} with {len(rules)} rule(s) "
            "(Ctrl-C to stop)"
        )
        watch.run(
            on_poll=lambda summary: _print_poll(summary, echo),
            on_error=lambda message: echo(message, err=True),
        )
    return 0


def _alert_line(alert: StoredAlert) -> str:
    where = f" (document {alert.doc_id})" if alert.doc_id else ""
    return f"ALERT [{alert.rule_id}] {alert.summary}{where}"


def _print_poll(summary: PollSummary, echo: Echo) -> None:
    at = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    known = sum(r.known for r in summary.sources)
    rejected = sum(r.rejected for r in summary.sources)
    echo(
        f"{at} polled {len(summary.sources)} source(s): {summary.stored} new documents"
        + (f", {known} already stored" if known else "")
        + (f", {rejected} rejected" if rejected else "")
        + f"; {summary.analysed} analysed; {len(summary.alerts)} new alert(s)"
    )
    for report in summary.sources:
        retry = (
            report.retry_at.astimezone().strftime("%Y-%m-%d %H:%M") if report.retry_at else "later"
        )
        if report.status == "failed":
            echo(f"  {report.source}: {report.reason} (retry after {retry})", err=True)
        elif report.status == "backing off":
            echo(f"  {report.source}: backing off until {retry} ({report.reason})", err=True)

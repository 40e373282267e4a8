"""Where a new alert goes: a JSONL log (one line each, appended), the terminal (a
callback), and a webhook (a JSON POST; a failure is noted and tried again at the next
poll, never raised). ``ember serve`` reads the alerts from the store."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from ..errors import ConfigError
from ..store import Store, StoredAlert, pending_webhooks, set_webhook_result

__all__ = ["Delivery", "alert_json"]

DEFAULT_WEBHOOK_TIMEOUT_S = 10.0
# Alerts POSTed per poll at most: a long backlog drains over several polls.
_WEBHOOK_BATCH = 100


def alert_json(alert: StoredAlert) -> dict[str, Any]:
    """The alert as the log, the webhook and ``/api/alerts`` show it."""
    payload: Mapping[str, Any] = alert.payload
    return {
        "key": alert.key,
        "rule": alert.rule_id,
        "kind": alert.kind,
        "record_id": alert.record_id,
        "doc_id": alert.doc_id,
        "summary": alert.summary,
        "at": alert.at.isoformat(),
        "details": {k: v for k, v in payload.items() if k not in ("rule", "rule_kind")},
    }


class Delivery:
    """``log``: the JSONL file; ``on_alert``: the terminal; ``webhook``: an http(s) URL;
    ``on_error``: where a webhook failure is told (one line)."""

    def __init__(
        self,
        *,
        log: Path | None = None,
        on_alert: Callable[[StoredAlert], None] | None = None,
        webhook: str | None = None,
        on_error: Callable[[str], None] | None = None,
        timeout_s: float = DEFAULT_WEBHOOK_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if webhook is not None and not webhook.lower().startswith(("http://", "https://")):
            raise ConfigError(f"the webhook must be an http(s) URL, not {webhook!r}")
        self.log = log
        self.on_alert = on_alert
        self.webhook = webhook
        self.on_error = on_error
        self.timeout_s = timeout_s
        self._transport = transport

    def check(self) -> None:
        """A ConfigError now, rather than at the first alert, when the log cannot be
        written."""
        if self.log is None:
            return
        try:
            with open(self.log, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise ConfigError(f"cannot write the alerts log {self.log}: {exc.strerror}") from exc

    def announce(self, alert: StoredAlert) -> None:
        if self.log is not None:
            line = json.dumps(alert_json(alert), ensure_ascii=False, default=str)
            try:
                with open(self.log, "a", encoding="utf-8") as stream:
                    stream.write(line + "\n")
            except OSError as exc:
                self._error(f"cannot write the alerts log {self.log}: {exc.strerror}")
        if self.on_alert is not None:
            self.on_alert(alert)

    def flush_webhook(self, store: Store) -> int:
        """POST every alert still pending; how many failed (they stay pending)."""
        if self.webhook is None:
            return 0
        backlog = pending_webhooks(store)[:_WEBHOOK_BATCH]
        if not backlog:
            return 0
        failed = 0
        with httpx.Client(
            timeout=self.timeout_s, transport=self._transport, follow_redirects=False,
            trust_env=False,
        ) as client:  # fmt: skip
            for alert in backlog:
                error = self._post(client, alert)
                set_webhook_result(store, alert.key, error=error)
                if error is not None:
                    failed += 1
                    self._error(f"webhook {self.webhook}: {error} (alert {alert.key}; retried)")
                    break  # the receiver is down: the rest wait for the next poll
        return failed

    def _post(self, client: httpx.Client, alert: StoredAlert) -> str | None:
        assert self.webhook is not None
        try:
            response = client.post(self.webhook, json=alert_json(alert))
        except httpx.HTTPError as exc:
            return " ".join(str(exc).split())[:200] or type(exc).__name__
        if not 200 <= response.status_code < 300:
            return f"HTTP {response.status_code}"
        return None

    def _error(self, message: str) -> None:
        if self.on_error is not None:
            self.on_error(message)

"""``/alerts`` and ``/api/alerts``: the alerts ``ember watch`` raised, newest first, from
the store's ``alerts`` table (each alert once: its key is the rule id and the record id).

The web app only reads them: the watch writes them. ``?rule=`` keeps one rule's alerts;
``limit`` and ``offset`` page. Every string (the summary, the sentence) is escaped by the
template."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from ..store import StoredAlert, list_alerts
from ._deps import Limit, Offset, StoreDep
from ._errors import READ_ERRORS

__all__ = ["AlertOut", "AlertPage", "alerts_router"]

_PAGE_SIZE = 50
Rule = Annotated[str | None, Query(max_length=200, description="Only this rule's alerts.")]


class AlertOut(BaseModel):
    """One alert: ``key`` is ``<rule id>:<record id>``; ``details`` what the alert is
    about (the event, the claim, the conflicting claims, the tempo test)."""

    key: str
    rule: str
    kind: str = Field(description="event, claim, conflict or tempo")
    record_id: str
    doc_id: str | None
    summary: str
    at: datetime
    webhook: str | None = Field(description='"pending", "sent", or null (no webhook)')
    details: dict[str, Any]


class AlertPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AlertOut]


def _out(alert: StoredAlert) -> AlertOut:
    details = {k: v for k, v in alert.payload.items() if k not in ("rule", "rule_kind")}
    return AlertOut(
        key=alert.key, rule=alert.rule_id, kind=alert.kind, record_id=alert.record_id,
        doc_id=alert.doc_id, summary=alert.summary, at=alert.at, webhook=alert.webhook,
        details=details,
    )  # fmt: skip


def alerts_api(
    store: StoreDep, rule: Rule = None, limit: Limit = _PAGE_SIZE, offset: Offset = 0
) -> AlertPage:
    """The alerts raised by ``ember watch``, newest first."""
    found, total = list_alerts(store, rule_id=rule or None, limit=limit, offset=offset)
    return AlertPage(total=total, limit=limit, offset=offset, items=[_out(a) for a in found])


def alerts_page(
    request: Request, store: StoreDep, rule: Rule = None, offset: Offset = 0
) -> Response:
    found, total = list_alerts(store, rule_id=rule or None, limit=_PAGE_SIZE, offset=offset)

    def at(value: int | None) -> str | None:
        if value is None:
            return None
        return str(request.url.include_query_params(offset=value).replace(scheme="", netloc=""))

    after = offset + _PAGE_SIZE
    paging = {
        "first": offset + 1 if found else 0, "last": offset + len(found), "total": total,
        "prev": at(max(offset - _PAGE_SIZE, 0)) if offset > 0 else None,
        "next": at(after) if after < total else None,
    }  # fmt: skip
    context = {"page": "alerts", "alerts": [_out(a) for a in found], "paging": paging,
               "rule": rule or ""}  # fmt: skip
    engine = request.app.state.templates
    response: Response = engine.TemplateResponse(request, "alerts.html", context)
    return response


def alerts_router() -> APIRouter:
    router = APIRouter()
    router.add_api_route(
        "/api/alerts",
        alerts_api,
        methods=["GET"],
        response_model=AlertPage,
        tags=["alerts"],
        responses=READ_ERRORS,
    )
    router.add_api_route(
        "/alerts", alerts_page, methods=["GET"], include_in_schema=False,
        response_class=HTMLResponse,
    )  # fmt: skip
    return router

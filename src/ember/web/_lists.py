"""The document, actor and place lists and their API, a page at a time in SQL: newest
first by default (publication date for documents, the latest report naming an actor or
place), sources shown relative to the ingest root, names matched by any spelling."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..store._search import list_documents, list_named
from ._deps import StoreDep
from ._models import Page
from ._review_models import ERRORS, NamedOut

__all__ = ["list_router"]

PAGE_SIZE = 25
_Offset = Annotated[int, Query(ge=0)]
_Limit = Annotated[int, Query(ge=1, le=500)]
_Name = Annotated[str | None, Query(max_length=200, description="Part of a name, any spelling.")]
_DocSort = Annotated[str, Query(pattern="^(date|ingested|title)$")]
_NameSort = Annotated[str, Query(pattern="^(date|mentions|name)$")]
_KINDS = {"actors": "actor", "places": "place"}


def list_router() -> APIRouter:
    router = APIRouter()
    html: dict[str, Any] = {"response_class": HTMLResponse, "include_in_schema": False}
    router.add_api_route("/documents", documents_page, methods=["GET"], **html)
    router.add_api_route("/actors", _named_page("actors"), methods=["GET"], **html)
    router.add_api_route("/places", _named_page("places"), methods=["GET"], **html)
    for which in ("actors", "places"):
        router.add_api_route(
            f"/api/{which}", _named_api(which), methods=["GET"], tags=["read"],
            response_model=Page[NamedOut], responses=ERRORS,
        )  # fmt: skip
    return router


def _page(rows: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


def _paging(request: Request, total: int, shown: int, offset: int) -> dict[str, Any]:
    def at(where: int) -> str:
        url = request.url.include_query_params(offset=where)
        return str(url.replace(scheme="", netloc=""))

    return {
        "first": offset + 1 if shown else 0, "last": offset + shown, "total": total,
        "prev": at(max(offset - PAGE_SIZE, 0)) if offset else None,
        "next": at(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
    }  # fmt: skip


def _render(request: Request, name: str, context: dict[str, Any]) -> Response:
    engine: Jinja2Templates = request.app.state.templates
    return engine.TemplateResponse(request, name, context)


def documents_page(
    request: Request, store: StoreDep, sort: _DocSort = "date", offset: _Offset = 0
) -> Response:
    with store.engine.connect() as conn:
        rows, total = list_documents(conn, sort=sort, limit=PAGE_SIZE, offset=offset)
    context = {"page": "documents", "rows": rows, "sort": sort,
               "paging": _paging(request, total, len(rows), offset)}  # fmt: skip
    return _render(request, "documents.html", context)


def _named_page(which: str) -> Any:
    def page(
        request: Request,
        store: StoreDep,
        name: _Name = None,
        sort: _NameSort = "date",
        offset: _Offset = 0,
    ) -> Response:
        with store.engine.connect() as conn:
            rows, total = list_named(
                conn, _KINDS[which], name=name, sort=sort, limit=PAGE_SIZE, offset=offset
            )
        context = {"page": which, "which": which, "rows": rows, "sort": sort, "name": name,
                   "paging": _paging(request, total, len(rows), offset)}  # fmt: skip
        return _render(request, "named.html", context)

    page.__name__ = f"{which}_page"
    return page


def _named_api(which: str) -> Any:
    def api(
        store: StoreDep,
        name: _Name = None,
        sort: _NameSort = "date",
        limit: _Limit = 50,
        offset: _Offset = 0,
    ) -> dict[str, Any]:
        with store.engine.connect() as conn:
            rows, total = list_named(
                conn, _KINDS[which], name=name, sort=sort, limit=limit, offset=offset
            )
        return _page(rows, total, limit, offset)

    api.__name__ = f"list_{which}"
    api.__doc__ = (
        f"The {which} the corpus mentions: mentions, documents and the latest publication "
        "date of a document naming each; most recently reported first (sort=date), or by "
        "mentions or name. name= matches any spelling (Baguz, Daesh)."
    )
    return api

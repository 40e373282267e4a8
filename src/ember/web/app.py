"""``create_app``: the web app and JSON API over one store; ``run`` serves it.

Pages and API share the store's reads (``_data``). Write endpoints are registered only
when a token is given. Nothing is loaded from another origin: FastAPI's ``/docs`` and
``/redoc`` pull their scripts from a CDN, so they are off (``/openapi.json`` stays);
scripts and the stylesheet come from ``/static`` inside the installed package."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..errors import ConfigError
from ..ingest import Fetcher
from ..settings import Settings, load_settings
from ..store import Store
from ..store._engine import open_engine
from ._alerts import alerts_router
from ._api import api_router
from ._deadline import DEFAULT_REQUEST_SECONDS, Deadline
from ._errors import install_error_handlers
from ._ingest import Pipeline, ingest_router
from ._lists import list_router
from ._pages import page_router, templates
from ._review import ReviewedOnly, Reviewers, load_reviewers, review_router
from ._security import BodyLimit, SecurityHeaders

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "create_app", "run"]

DEFAULT_MAX_UPLOAD_BYTES = 10 * 2**20
#: Requests served at once (the threads of the pool that runs them); the database pool
#: holds two connections per thread, so it never runs out.
SERVER_THREADS = 16
# A multipart body wraps the file in boundaries and part headers.
_MULTIPART_OVERHEAD = 64 * 1024


def create_app(
    db_url: str,
    *,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    settings: Settings | None = None,
    fetcher: Fetcher | None = None,
    pipeline: Pipeline | None = None,
    reviewers: Mapping[str, str] | None = None,
    request_seconds: float = DEFAULT_REQUEST_SECONDS,
) -> FastAPI:
    """The app over the store at ``db_url`` (opened, and migrated, now).

    With ``token``, ``POST /api/ingest/upload`` and ``POST /api/ingest/url`` exist and
    need ``Authorization: Bearer <token>``; without it they are not there at all.
    ``settings`` are the ingest settings (default: from the environment); the app never
    fetches private addresses whatever they say. ``fetcher`` replaces the HTTP client
    (tests). ``pipeline`` ingests and analyses what is written (``ember.scale``'s
    ``ingest_and_analyze``); the write endpoints need it. ``reviewers`` (token -> name;
    default ``EMBER_REVIEWERS``) and ``token`` may review events and claims. A request
    (but exports and ingest) that runs past ``request_seconds`` is answered 503."""
    if token is not None and not token.strip():
        raise ConfigError("the token is empty: set EMBER_TOKEN to a secret, or unset it")
    if token is not None and pipeline is None:
        raise ConfigError("the write endpoints (a token is set) need an ingest pipeline")
    if max_upload_bytes < 1:
        raise ConfigError(f"the upload cap must be at least 1 byte, not {max_upload_bytes}")
    review = Reviewers(token, load_reviewers() if reviewers is None else reviewers)
    if request_seconds <= 0:
        raise ConfigError(f"the request deadline must be above 0 s, not {request_seconds}")
    store = Store(open_engine(db_url, pool_size=SERVER_THREADS))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in AnyIO's thread pool: as many threads as the pool has room.
        anyio.to_thread.current_default_thread_limiter().total_tokens = SERVER_THREADS
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="ember",
        summary="A sourced, geocoded evidence base of conflict reporting.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.templates = templates()
    app.state.reviewers = review
    install_error_handlers(app)
    app.mount("/static/report", StaticFiles(packages=[("ember.report", "assets")]), "report")
    app.mount("/static", StaticFiles(packages=[("ember.web", "static")]), "static")
    app.include_router(api_router())
    if token is not None and pipeline is not None:
        ingest_settings = (settings or load_settings()).with_overrides(db_url=db_url)
        app.include_router(
            ingest_router(
                token=token,
                settings=ingest_settings,
                max_upload_bytes=max_upload_bytes,
                fetcher=fetcher,
                pipeline=pipeline,
                lock=threading.Lock(),
            )
        )
    app.include_router(review_router(review))
    app.include_router(list_router())
    app.include_router(alerts_router())
    app.include_router(page_router())
    app.add_middleware(BodyLimit, limit=max_upload_bytes + _MULTIPART_OVERHEAD)
    app.add_middleware(ReviewedOnly)
    app.add_middleware(Deadline, seconds=request_seconds)
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ember")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def run(
    db_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    pipeline: Pipeline | None = None,
) -> None:
    """Serve the app with uvicorn until interrupted (127.0.0.1 unless told otherwise)."""
    import uvicorn

    app = create_app(db_url, token=token, max_upload_bytes=max_upload_bytes, pipeline=pipeline)
    uvicorn.run(app, host=host, port=port, proxy_headers=False, server_header=False)

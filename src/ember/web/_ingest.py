"""The write endpoints: upload a file, ingest a URL. They exist only when the app has a
token (``create_app`` includes this router then) and need it on every request.

Both go through the normal ingest path, so a file is read by its extension with the
usual caps and rejection reasons: the ``Pipeline`` the app is given (``ember.scale``'s
``ingest_and_analyze``; scale runs after web in the flow, so the command line passes it
in rather than the app importing it).
The upload is read only after the token is checked, and its body is capped while it
streams in (``BodyLimit``), then the file itself against ``max_upload_bytes``. A URL must
be http(s) and is fetched by the ingest fetcher, which refuses private, loopback and
link-local addresses (on every redirect too): the app never allows them, whatever the
settings say."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..ingest import Fetcher
from ..settings import Settings
from ..store import Store
from ._deps import get_store
from ._errors import ApiError
from ._models import IngestOut, UrlIngestIn, error_responses
from ._security import same_origin, token_check

__all__ = ["IngestRun", "Pipeline", "ingest_router", "safe_filename"]


class _Rejected(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def reason(self) -> str: ...


class _Ingested(Protocol):
    @property
    def run_id(self) -> str: ...
    @property
    def stored(self) -> int: ...
    @property
    def duplicates(self) -> int: ...
    @property
    def near_duplicates(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def rejections(self) -> Sequence[_Rejected]: ...


class _Analysed(Protocol):
    @property
    def documents(self) -> int: ...
    @property
    def events(self) -> int: ...
    @property
    def claims(self) -> int: ...


class Pipeline(Protocol):
    """Read ``location`` (a file path or URL) into ``store``, then analyse what is new:
    what happened to the input and what the analysis found."""

    def __call__(
        self, store: Store, location: str, *, settings: Settings, fetcher: Fetcher | None
    ) -> tuple[_Ingested, _Analysed]: ...


_COPY_CHUNK = 1024 * 1024
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
# The fetcher's hint is for the command line; a web client cannot pass that flag.
_CLI_HINT = re.compile(r"\s*\(allow with --allow-private\)")
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A file ember reads (.txt .md .html .pdf .docx .jsonl "
                        ".csv .xml/.rss/.atom .warc, or gzipped); its name's extension "
                        "chooses the reader.",
                    }
                },
            }
        }
    },
}
_ERRORS = error_responses(
    (400, "Nothing could be ingested (the reason says why), or a refused URL"),
    (401, "No token, or the wrong one"),
    (403, "A write sent by a page of another site"),
    (413, "The upload is over the size cap"),
    (422, "A body of the wrong shape"),
    (500, "The server could not answer"),
)


def ingest_router(
    *,
    token: str,
    settings: Settings,
    max_upload_bytes: int,
    fetcher: Fetcher | None,
    pipeline: Pipeline,
    lock: threading.Lock,
) -> APIRouter:
    """``POST /api/ingest/upload`` and ``POST /api/ingest/url``, behind ``token``."""
    runner = IngestRun(
        settings=settings.with_overrides(allow_private=False, follow_links=False),
        fetcher=fetcher,
        pipeline=pipeline,
        lock=lock,
    )
    router = APIRouter(
        prefix="/api/ingest",
        tags=["write"],
        dependencies=[Depends(same_origin), Depends(token_check(token))],
        responses=_ERRORS,
    )

    @router.post("/upload", response_model=IngestOut, openapi_extra={"requestBody": _UPLOAD_BODY})
    async def upload(request: Request) -> dict[str, Any]:
        """Ingest and analyse one uploaded file (multipart field ``file``)."""
        store = get_store(request)
        with tempfile.TemporaryDirectory(prefix="ember-upload-") as folder:
            path, name = await _receive_file(request, Path(folder), max_upload_bytes)
            return await run_in_threadpool(runner.ingest, store, str(path), shown_as=name)

    @router.post("/url", response_model=IngestOut)
    def ingest_url(body: UrlIngestIn, request: Request) -> dict[str, Any]:
        """Fetch one http(s) URL on a public address, then ingest and analyse it."""
        url = body.url.strip()
        _check_url(url)
        return runner.ingest(get_store(request), url, shown_as=url)

    return router


async def _receive_file(request: Request, folder: Path, limit: int) -> tuple[Path, str]:
    """The uploaded file saved in ``folder`` under a safe version of its name."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "send the file as multipart/form-data, in a field named 'file'")
    form = await request.form(max_files=1, max_fields=4)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "no file: send it in a multipart field named 'file'")
        if upload.size is not None and upload.size > limit:
            raise ApiError(413, f"the file is over the {_mib(limit)} upload cap")
        name = safe_filename(upload.filename)
        path = folder / name
        with path.open("wb") as out:
            await run_in_threadpool(shutil.copyfileobj, upload.file, out, _COPY_CHUNK)
        return path, name
    finally:
        await form.close()


def _mib(n: int) -> str:
    return f"{n / 2**20:.3g} MiB" if n >= 2**20 else f"{n} bytes"


def safe_filename(filename: str | None) -> str:
    """The last part of an uploaded file's name, with only letters, digits, ``.``, ``_``
    and ``-`` (no path, nothing hidden), its extension kept for the reader; "upload"
    when nothing is left."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    cleaned = _NAME_CHARS.sub("_", base).lstrip(".")
    suffixes = "".join(PurePosixPath(cleaned).suffixes)[-20:]
    stem = cleaned[: len(cleaned) - len(suffixes)] if suffixes else cleaned
    stem = stem[:100].strip("._") or "upload"
    return stem + suffixes


def _check_url(url: str) -> None:
    """Only http(s) URLs with a host: anything else might be read as a local path."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "scheme-less"
        raise ApiError(400, f"refusing {scheme} URL: only http(s)", code="blocked_url")
    if not parts.hostname:
        raise ApiError(400, "no host in the URL", code="blocked_url")


@dataclass(frozen=True, slots=True)
class IngestRun:
    """One ingest and analysis at a time (the lock), through the normal pipeline."""

    settings: Settings
    fetcher: Fetcher | None
    pipeline: Pipeline
    lock: threading.Lock

    def ingest(self, store: Store, location: str, *, shown_as: str) -> dict[str, Any]:
        """Ingest ``location`` (a file path or URL), analyse what was stored, and say
        what happened, naming the input ``shown_as`` (never a server path). Nothing
        read at all is a 400 with the first reason."""
        with self.lock:
            summary, analysis = self.pipeline(
                store, location, settings=self.settings, fetcher=self.fetcher
            )
        rejections = [
            {"source": _shown(r.source, location, shown_as), "reason": _reason(r.reason)}
            for r in summary.rejections
        ]
        read = summary.stored + summary.duplicates + summary.near_duplicates
        if read == 0 and rejections:
            raise ApiError(400, f"{shown_as}: {rejections[0]['reason']}", code="rejected")
        if read == 0:
            raise ApiError(400, f"{shown_as}: no document in it", code="rejected")
        logged = store.ingest_log(run_id=summary.run_id)
        return {
            "run_id": summary.run_id,
            "stored": summary.stored,
            "duplicates": summary.duplicates,
            "near_duplicates": summary.near_duplicates,
            "rejected": summary.rejected,
            "skipped": summary.skipped,
            "documents": list(dict.fromkeys(row["doc_id"] for row in logged if row["doc_id"])),
            "rejections": rejections,
            "analysed": analysis.documents,
            "events": analysis.events,
            "claims": analysis.claims,
        }


def _shown(source: str, location: str, shown_as: str) -> str:
    """A rejection's source with the server's temporary path replaced by the upload's name."""
    return shown_as + source[len(location) :] if source.startswith(location) else source


def _reason(reason: str) -> str:
    return _CLI_HINT.sub("", reason)

"""``HttpxFetcher``'s conditional GET (what ``ember watch`` sends): the validators go out,
a 304 comes back as ``not_modified``; a 304 nobody asked for stays an error."""

from __future__ import annotations

import httpx
import pytest

from ember.errors import IngestError
from ember.ingest import HttpxFetcher
from ember.settings import Settings

ETAG = '"v1"'
STAMP = "Mon, 30 Nov 2026 08:00:00 GMT"


def handler(request: httpx.Request) -> httpx.Response:
    if request.headers.get("if-none-match") == ETAG:
        return httpx.Response(304, headers={"ETag": ETAG})
    if request.headers.get("if-modified-since") == STAMP:
        return httpx.Response(304, headers={"Last-Modified": STAMP})
    if request.url.path == "/stray":
        return httpx.Response(304)
    headers = {"ETag": ETAG, "Last-Modified": STAMP, "Content-Type": "text/plain"}
    return httpx.Response(200, headers=headers, content=b"A report.")


def fetcher() -> HttpxFetcher:
    return HttpxFetcher(
        Settings(), transport=httpx.MockTransport(handler), resolver=lambda _host: ["93.184.216.34"]
    )


def test_validators_come_back_and_go_out() -> None:
    with fetcher() as http:
        first = http.fetch("http://news.example/feed")
        assert (first.status, first.etag, first.last_modified) == (200, ETAG, STAMP)
        assert not first.not_modified
        again = http.fetch("http://news.example/feed", if_none_match=first.etag)
        assert again.not_modified and again.content == b"" and again.etag == ETAG
        dated = http.fetch("http://news.example/feed", if_modified_since=STAMP)
        assert dated.not_modified


def test_a_304_without_a_condition_is_an_error() -> None:
    with fetcher() as http, pytest.raises(IngestError, match="304"):
        http.fetch("http://news.example/stray")

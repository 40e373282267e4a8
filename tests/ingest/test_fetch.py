"""URL fetching over httpx.MockTransport with a fake resolver: no test touches the
network. Address checks, redirects, caps, timeouts, errors, and reading what came back."""

from __future__ import annotations

import gzip
import ipaddress
import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from ember.errors import BlockedURL, IngestError, TooLarge
from ember.ingest import RawDocument, Rejection, Source, read_source
from ember.ingest.fetch import HttpxFetcher, check_address
from ember.settings import Settings

PUBLIC = "93.184.216.34"
PAGE = (
    b"<html><head><title>Water returns to Sinjar</title></head><body><article><p>Water "
    b"supply returned to most districts of Sinjar on Friday after repairs to the main "
    b"pumping station, the municipality said.</p></article></body></html>"
)
Handler = Callable[[httpx.Request], httpx.Response]


def resolver(table: dict[str, list[str]] | None = None) -> Callable[[str], list[str]]:
    """Every host is public unless ``table`` says otherwise."""
    return lambda host: (table or {}).get(host, [PUBLIC])


def fetcher(handler: Handler, settings: Settings | None = None, **hosts: list[str]) -> HttpxFetcher:
    table = {name.replace("_", "."): ips for name, ips in hosts.items()}
    return HttpxFetcher(
        settings or Settings(), transport=httpx.MockTransport(handler), resolver=resolver(table)
    )


def html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=PAGE)


def test_fetch_connects_to_the_checked_address_with_the_real_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return html(request)

    got = fetcher(handler).fetch("https://news.example/water?x=1")
    assert got.status == 200 and got.content == PAGE
    assert got.media_type == "text/html" and got.charset == "utf-8"
    assert got.url == got.final_url == "https://news.example/water?x=1"
    (request,) = seen
    assert request.url.host == PUBLIC and request.url.path == "/water"
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"


def test_http_error_status_is_one_line() -> None:
    with pytest.raises(IngestError) as caught:
        fetcher(lambda r: httpx.Response(404)).fetch("https://news.example/gone")
    assert str(caught.value) == "HTTP 404 Not Found"
    assert caught.value.source == "https://news.example/gone"


def test_redirects_are_followed_and_each_hop_checked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hops = {
            "/a": httpx.Response(301, headers={"Location": "/b"}),
            "/b": httpx.Response(302, headers={"Location": "https://other.example/c"}),
        }
        return hops.get(request.url.path) or html(request)

    got = fetcher(handler).fetch("http://news.example/a")
    assert got.final_url == "https://other.example/c"
    assert got.url == "http://news.example/a"

    def to_private(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})

    with pytest.raises(BlockedURL, match=r"intranet\.example: resolves to 10\.0\.0\.1, a private"):
        fetcher(to_private, intranet_example=["10.0.0.1"]).fetch("https://news.example/")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://news.example/x", "gopher://x/"])
def test_redirect_to_another_scheme_is_blocked(location: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    with pytest.raises(BlockedURL, match="only http"):
        fetcher(handler).fetch("https://news.example/")


def test_too_many_redirects() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    with pytest.raises(IngestError, match=r"^more than 3 redirects$"):
        fetcher(loop, Settings(max_redirects=3)).fetch("https://news.example/")


def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(50 * 1024 * 1024)}, content=b"")

    with pytest.raises(TooLarge, match=r"response is 50\.0 MB, over the 20\.0 MB cap"):
        fetcher(handler).fetch("https://news.example/big")


def test_cap_is_enforced_while_streaming() -> None:
    produced = 0

    def endless() -> Iterator[bytes]:
        nonlocal produced
        while True:
            produced += 1
            yield b"x" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    with pytest.raises(TooLarge, match=r"over the 1\.0 MB cap"):
        fetcher(handler, Settings(max_fetch_bytes=1024 * 1024)).fetch("https://news.example/")
    assert produced <= 20  # stopped just past 1 MB, not after the whole body


def test_compressed_response_bomb_is_capped_on_decoded_bytes() -> None:
    bomb = gzip.compress(bytes(8 * 1024 * 1024))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)

    with pytest.raises(TooLarge):
        fetcher(handler, Settings(max_fetch_bytes=1024 * 1024)).fetch("https://news.example/")


def test_slow_download_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(0, 10_000, 10))
    monkeypatch.setattr("ember.ingest.fetch.time.monotonic", lambda: next(clock))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"a"] * 100))

    with pytest.raises(IngestError, match="download too slow"):
        fetcher(handler, Settings(fetch_timeout_s=5)).fetch("https://news.example/")


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (httpx.ReadTimeout("read timed out"), "timed out after 20 s"),
        (httpx.ConnectTimeout("connect timed out"), "timed out after 20 s"),
        (httpx.ConnectError("[Errno 111] Connection refused"),
         "cannot fetch: [Errno 111] Connection refused"),
        (httpx.RemoteProtocolError("peer closed"), "cannot fetch: peer closed"),
    ],
)  # fmt: skip
def test_transport_errors_are_one_line(error: Exception, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(IngestError) as caught:
        fetcher(handler).fetch("https://news.example/")
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:a00:1::1", "64:ff9b::a00:1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert check_address(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert check_address(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8080/", "refusing 127.0.0.1: a loopback address"),
        ("http://[::1]/", "refusing ::1: a loopback address"),
        ("http://[::ffff:169.254.169.254]/latest", "refusing ::ffff:169.254.169.254: a link-local"),
        ("https://example.org/", "refusing example.org: resolves to 10.0.0.1, a private address"),
        ("https://dual.example/", "refusing dual.example: resolves to 127.0.0.1, a loopback"),
        ("ftp://example.org/file", "refusing ftp URL: only http(s)"),
        ("file:///etc/passwd", "refusing file URL: only http(s)"),
    ],
)
def test_blocked_urls(url: str, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("a blocked URL must not be requested")

    hosts = {"example_org": ["10.0.0.1"], "dual_example": [PUBLIC, "127.0.0.1"]}
    with pytest.raises(BlockedURL) as caught:
        fetcher(handler, **hosts).fetch(url)
    assert str(caught.value).startswith(reason)
    assert "--allow-private" in str(caught.value) or "only http" in str(caught.value)


def test_allow_private_lets_private_hosts_through() -> None:
    got = fetcher(html, Settings(allow_private=True), example_org=["10.0.0.1"])
    assert got.fetch("http://example.org/").status == 200


def test_unresolvable_host() -> None:
    def fail(host: str) -> list[str]:
        raise OSError(-2, "Name or service not known")

    http = HttpxFetcher(Settings(), transport=httpx.MockTransport(html), resolver=fail)
    with pytest.raises(IngestError, match=r"cannot resolve host nowhere\.example"):
        http.fetch("https://nowhere.example/")


# Reading fetched content: dispatch by content type, then by sniffing.


def read_url(handler: Handler, url: str = "https://news.example/item", **settings: object) -> list:
    http = fetcher(handler, Settings(**settings))  # type: ignore[arg-type]
    return list(read_source(Source(url, "url"), settings=http._settings, fetcher=http))


def respond(body: bytes, content_type: str | None) -> Handler:
    headers = {"Content-Type": content_type} if content_type else {}
    return lambda request: httpx.Response(200, headers=headers, content=body)


def test_html_page_by_url() -> None:
    (doc,) = read_url(html)
    assert isinstance(doc, RawDocument)
    assert doc.source == "https://news.example/item"
    assert doc.kind == "html" and doc.body.startswith("<html>")
    assert doc.hints.url == "https://news.example/item"


RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>One'
    b"</title><link>https://news.example/1</link><description>Police said a curfew was "
    b"imposed on the old city after a night of clashes.</description></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("body", "content_type", "kind", "fmt"),
    [
        (RSS, "application/rss+xml", "text", "feed"),
        (RSS, "text/plain", "text", "feed"),  # mislabelled, sniffed
        (RSS, "application/octet-stream", "text", "feed"),
        (PAGE, None, "html", "html"),
        (b"Plain report text about a curfew imposed after clashes.", "text/plain", "text", "text"),
        (json.dumps({"text": "A report carried as JSON Lines."}).encode() + b"\n",
         "application/x-ndjson", "text", "jsonl"),
        (gzip.compress(PAGE), "application/octet-stream", "html", "html"),
    ],
)  # fmt: skip
def test_content_types_dispatch(body: bytes, content_type: str | None, kind: str, fmt: str) -> None:
    doc = read_url(respond(body, content_type))[0]
    assert isinstance(doc, RawDocument), doc
    assert (doc.kind, doc.format) == (kind, fmt)


def test_generic_type_uses_the_url_suffix() -> None:
    body = b"title,text\nA,A report carried as CSV about a curfew.\n"
    (doc,) = read_url(respond(body, "application/octet-stream"), "https://data.example/x.csv")
    assert isinstance(doc, RawDocument) and doc.format == "csv"
    assert doc.source == "https://data.example/x.csv:2"


def test_json_is_read_as_jsonl_only_when_the_url_says_so() -> None:
    body = json.dumps({"text": "A report carried as a JSON line about a curfew."}).encode()
    (doc,) = read_url(respond(body, "application/json"), "https://data.example/rows.jsonl")
    assert isinstance(doc, RawDocument) and doc.format == "jsonl"
    (rejection,) = read_url(respond(body, "application/json"), "https://data.example/api")
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "unsupported content type application/json"


def test_unsupported_content_type_is_a_rejection() -> None:
    (rejection,) = read_url(respond(b"\x89PNG\r\n\x1a\n", "image/png"))
    assert rejection == Rejection(
        source="https://news.example/item", reason="unsupported content type image/png"
    )


def test_fetch_failure_is_a_rejection() -> None:
    (rejection,) = read_url(lambda r: httpx.Response(503))
    assert rejection == Rejection(
        source="https://news.example/item", reason="HTTP 503 Service Unavailable"
    )


def test_default_fetcher_refuses_loopback_without_any_network() -> None:
    (rejection,) = read_source(Source("http://127.0.0.1:9/", "url"), settings=Settings())
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("refusing 127.0.0.1: a loopback address")

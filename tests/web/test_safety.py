"""Safety: hostile document strings come out escaped everywhere, the security headers
are on every response, and the write endpoints exist only with a token and need it."""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ember.ingest import FetchedResponse
from ember.scale import ingest_and_analyze
from ember.web import create_app
from ember.web._ingest import safe_filename

from .conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE_PAGES = [
    "/", "/search", "/search?q=convoy", "/search?q=wolves", "/documents/x4", "/events",
    "/events?view=merged", "/events?actor=wolves", "/claims", "/claims?actor=wolves",
    "/entities",
    "/entities?kind=place", "/map", "/timeline", "/exports",
]  # fmt: skip
# Tags the app never writes: any of them in a page came from a document.
_FOREIGN_TAGS = {"img", "svg", "iframe", "object", "embed", "b", "i", "u", "base"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _live_markup(html: str) -> list[str]:
    """What in ``html`` could run or load something it should not."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag in _FOREIGN_TAGS:
            problems.append(f"<{tag}>")
        if tag == "script" and not (
            attrs.get("type") == "application/json" or attrs.get("src", "").startswith("/static/")
        ):
            problems.append(f"script {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                problems.append(f"{tag} {name}={value}")
    return problems


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_strings_are_escaped_on_every_page(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert _live_markup(html) == [], path
    assert "<script>alert" not in html
    # JSON for the scripts cannot close its block or open a tag.
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "<" not in block and ">" not in block


def test_the_checker_sees_live_markup() -> None:
    assert _live_markup('<img src=x onerror="alert(1)"><a href=" JavaScript:x">') == [
        "<img>", "img onerror=", "a href= JavaScript:x",
    ]  # fmt: skip


def test_the_hostile_document_shows_its_strings_as_text(client: TestClient) -> None:
    html = client.get("/documents/x4").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html  # the title
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html  # the publisher
    assert "&lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt;" in html  # the text
    # A javascript: source is shown, never linked.
    assert '<span class="source-text">javascript:alert(&#39;source&#39;)</span>' in html
    assert '<a class="source-link"' not in html


def test_http_sources_are_links(client: TestClient) -> None:
    html = client.get("/documents/a1").text
    assert '<a class="source-link" href="https://news.example/a1"' in html


def test_a_query_is_echoed_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": '"><script>alert(9)</script>'}).text
    assert "<script>alert(9)" not in html
    assert "&#34;&gt;&lt;script&gt;alert(9)&lt;/script&gt;" in html
    missing = client.get("/documents/<svg onload=alert(1)>").text
    assert "<svg" not in missing


@pytest.mark.parametrize("path", ["/", "/documents/a1", "/api/health", "/nope", "/api/nope"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


# -- the write endpoints --------------------------------------------------------------


def test_without_a_token_there_is_no_write_endpoint(client: TestClient) -> None:
    for path in ("/api/ingest/upload", "/api/ingest/url"):
        assert client.post(path, headers=AUTH).status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(path.startswith("/api/ingest") for path in paths)


def test_with_a_token_they_are_documented(writer: TestClient) -> None:
    schema = writer.get("/openapi.json").json()
    upload = schema["paths"]["/api/ingest/upload"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["security"] and "HTTPBearer" in schema["components"]["securitySchemes"]
    assert "/api/ingest/url" in schema["paths"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
     {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "}],
)  # fmt: skip
def test_a_missing_or_wrong_token_is_401(writer: TestClient, headers: dict[str, str]) -> None:
    for response in (
        writer.post("/api/ingest/url", json={"url": "https://example.org/"}, headers=headers),
        writer.post("/api/ingest/upload", files={"file": ("a.txt", b"hello")}, headers=headers),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_write_from_another_site_is_403(writer: TestClient) -> None:
    response = writer.post(
        "/api/ingest/url", json={"url": "https://example.org/"},
        headers={**AUTH, "Origin": "https://evil.example"},
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8000/", "loopback"),
        ("file:///etc/passwd", "only http(s)"),
        ("/etc/passwd", "only http(s)"),
        ("gopher://example.org/", "only http(s)"),
    ],
)
def test_private_addresses_and_other_schemes_are_400(
    writer: TestClient, url: str, reason: str
) -> None:
    response = writer.post("/api/ingest/url", json={"url": url}, headers=AUTH)
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert reason in message
    assert "--allow-private" not in message


def test_the_url_body_is_validated(writer: TestClient) -> None:
    response = writer.post("/api/ingest/url", json={"link": "x"}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_an_upload_over_the_cap_is_413(writer: TestClient) -> None:
    response = writer.post(
        "/api/ingest/upload", files={"file": ("big.txt", b"x" * 5000)}, headers=AUTH
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_body_declared_too_large_is_refused_before_reading(writer: TestClient) -> None:
    def never() -> bytes:  # pragma: no cover - must not be read
        raise AssertionError("the body was read")

    response = writer.post(
        "/api/ingest/upload",
        content=b"x" * 200_000,
        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_streamed_body_is_cut_off_while_it_streams(web_db: str) -> None:
    """Driven over ASGI directly (the test client reads a body whole before sending it):
    a body with no Content-Length is refused once it passes the cap, and the app reads
    no further."""
    app = create_app(web_db, token=TOKEN, max_upload_bytes=4096, pipeline=ingest_and_analyze)
    chunks_read = 0

    async def receive() -> dict[str, object]:
        nonlocal chunks_read
        chunks_read += 1
        if chunks_read == 1:
            head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
            return {"type": "http.request", "body": head, "more_body": True}
        return {"type": "http.request", "body": b"y" * 1024, "more_body": chunks_read < 10_000}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/ingest/upload", "raw_path": b"/api/ingest/upload",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "headers": [
            (b"host", b"testserver"), (b"authorization", f"Bearer {TOKEN}".encode()),
            (b"content-type", b"multipart/form-data; boundary=b"),
        ],
    }  # fmt: skip
    try:
        asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    finally:
        app.state.store.close()
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    # The cap (4 KiB and the multipart allowance, 64 KiB) in 1 KiB chunks, and no more.
    assert 60 < chunks_read < 80


def test_an_upload_is_ingested_and_analysed(writer: TestClient) -> None:
    text = (
        "Gunmen of the Crimson Banner ambushed a police patrol near Qarabel on 2 March 2021, "
        "killing three officers, the provincial governor said.\n"
    )
    response = writer.post(
        "/api/ingest/upload", files={"file": ("../../etc/patrol report.txt", text.encode())},
        headers=AUTH,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 1 and body["rejected"] == 0 and len(body["documents"]) == 1
    assert body["analysed"] >= 1  # the new document (and any analysed by an older version)
    doc = writer.get(f"/api/documents/{body['documents'][0]}").json()
    assert doc["text"].startswith("Gunmen of the Crimson Banner")
    # The file's own name, made safe; shown relative to the upload folder.
    assert doc["source"].rsplit("/", 1)[-1] == "patrol_report.txt" and ".." not in doc["source"]
    again = writer.post(
        "/api/ingest/upload", files={"file": ("copy.txt", text.encode())}, headers=AUTH
    ).json()
    assert again["stored"] == 0 and again["duplicates"] == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n...", "unsupported format"),
        ("broken.pdf", b"%PDF-1.4 ...", "malformed PDF"),
    ],
)
def test_a_rejected_upload_is_400_with_the_reason(
    writer: TestClient, name: str, content: bytes, reason: str
) -> None:
    response = writer.post("/api/ingest/upload", files={"file": (name, content)}, headers=AUTH)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "rejected" and reason in error["message"]
    assert "/tmp" not in error["message"] and error["message"].startswith(name)


def test_an_upload_needs_a_file_field(writer: TestClient) -> None:
    response = writer.post("/api/ingest/upload", data={"other": "x"}, headers=AUTH)
    assert response.status_code == 400
    response = writer.post("/api/ingest/upload", json={"file": "x"}, headers=AUTH)
    assert response.status_code == 400


def test_a_public_url_is_fetched_through_the_fetcher(web_db: str) -> None:
    page = (
        "<html><head><title>Patrol ambushed</title></head><body><article><p>"
        "Gunmen of the Crimson Banner ambushed a police patrol near Qarabel on 2 March 2021, "
        "killing three officers, the provincial governor said on Wednesday evening."
        "</p></article></body></html>"
    )

    class Fake:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def fetch(self, url: str) -> FetchedResponse:
            self.asked.append(url)
            return FetchedResponse(
                url=url, final_url=url, status=200, content_type="text/html; charset=utf-8",
                content=page.encode(),
            )  # fmt: skip

    fake = Fake()
    app = create_app(web_db, token=TOKEN, fetcher=fake, pipeline=ingest_and_analyze)
    with TestClient(app) as client:
        response = client.post(
            "/api/ingest/url", json={"url": "https://news.example/patrol"}, headers=AUTH
        )
    assert response.status_code == 200, response.text
    assert fake.asked == ["https://news.example/patrol"]
    assert response.json()["stored"] == 1


def test_an_empty_token_is_a_configuration_error(tmp_path: Path) -> None:
    from ember.errors import ConfigError

    with pytest.raises(ConfigError):
        create_app(f"sqlite:///{tmp_path / 'x.db'}", token="  ", pipeline=ingest_and_analyze)


def test_write_endpoints_need_the_ingest_pipeline(tmp_path: Path) -> None:
    from ember.errors import ConfigError

    with pytest.raises(ConfigError, match="pipeline"):
        create_app(f"sqlite:///{tmp_path / 'x.db'}", token="a-secret")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("report.html", "report.html"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\notes.TXT", "notes.TXT"),
        (".hidden.txt", "hidden.txt"),
        ("crawl.warc.gz", "crawl.warc.gz"),
        ("<script>.html", "script.html"),
        ("a b;c.txt", "a_b_c.txt"),
        ("", "upload"),
        (None, "upload"),
        ("...", "upload"),
    ],
)
def test_safe_filename(given: str | None, safe: str) -> None:
    assert safe_filename(given) == safe

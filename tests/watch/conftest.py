"""A feed server and a webhook receiver on loopback, each in a thread, for the watch
tests. The feed's items are sentences written for these tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

ITEMS = [
    (
        "tag:example.org,2026:1",
        "Checkpoint attacked near Mosul",
        "Islamic State fighters attacked an army checkpoint near Mosul on Monday, killing "
        "four soldiers, police said.",
    ),
    (
        "tag:example.org,2026:2",
        "Aid workers abducted",
        "Gunmen abducted three aid workers on the road between Kirkuk and Tikrit on Tuesday, "
        "a provincial official said.",
    ),
    (
        "tag:example.org,2026:3",
        "Patrol hit near Raqqa",
        "A roadside bomb struck a patrol of the Syrian Democratic Forces near Raqqa on "
        "Wednesday, killing two fighters, a monitoring group said.",
    ),
]


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate><description>{text}</description></item>"
        for guid, title, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Test Monitor</title><link>http://example.org/</link>{entries}</channel></rss>"
    ).encode()


@dataclass
class FeedServer:
    """Serves ``body`` at /feed.xml with an ETag; ``status`` other than 200 fails."""

    url: str = ""
    body: bytes = b""
    status: int = 200
    use_etag: bool = True
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def etag(self) -> str:
        import hashlib

        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    def serve(self, items: list[tuple[str, str, str]]) -> None:
        self.body = rss(items)


@dataclass
class Receiver:
    """Records the JSON bodies POSTed to it; answers ``status``."""

    url: str = ""
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    feed = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:
            feed.requests.append(dict(self.headers.items()))
            if feed.status != 200:
                self.send_response(feed.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if feed.use_etag and self.headers.get("If-None-Match") == feed.etag:
                self.send_response(304)
                self.send_header("ETag", feed.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(feed.body)))
            if feed.use_etag:
                self.send_header("ETag", feed.etag)
            self.end_headers()
            self.wfile.write(feed.body)

    for base in _serve(Handler):
        feed.url = f"{base}/feed.xml"
        yield feed


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if got.status == 200:
                got.received.append(json.loads(body))
            self.send_response(got.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    for base in _serve(Handler):
        got.url = f"{base}/hook"
        yield got

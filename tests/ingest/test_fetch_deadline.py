"""A fetch has a wall-clock deadline covering connect, headers and body: a server on
loopback that sends a byte at a time, each within the per-read timeout, is cut at the
deadline (three times EMBER_FETCH_TIMEOUT_S) instead of holding the fetch open."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from ember.errors import IngestError
from ember.ingest import HttpxFetcher
from ember.settings import Settings

TIMEOUT_S = 0.4  # each wait; the whole fetch may take three times that
DRIP_S = 0.1


class DrippingServer:
    """Answers every request on loopback by sending ``head`` then ``body`` one byte
    every ``DRIP_S`` seconds, until the client hangs up or the server is stopped."""

    def __init__(self, head: bytes, body: bytes = b"") -> None:
        self.payload = head + body
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                for byte in self.payload:
                    if self.stopped.is_set():
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(DRIP_S)

    def __enter__(self) -> DrippingServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()


@pytest.fixture
def fetcher() -> Iterator[HttpxFetcher]:
    with HttpxFetcher(Settings(fetch_timeout_s=TIMEOUT_S, allow_private=True)) as opened:
        yield opened


def timed_failure(fetcher: HttpxFetcher, url: str) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        fetcher.fetch(url)
    return time.monotonic() - started, str(caught.value)


def test_headers_sent_a_byte_at_a_time_hit_the_deadline(fetcher: HttpxFetcher) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"a" * 200
    with DrippingServer(head) as server:
        elapsed, reason = timed_failure(fetcher, f"http://127.0.0.1:{server.port}/")
    assert elapsed < 3 * TIMEOUT_S + 1.0
    assert "too slow: gave up after 1.2 s" in reason


def test_a_body_sent_a_byte_at_a_time_hits_the_deadline(fetcher: HttpxFetcher) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 500\r\n\r\n"
    with DrippingServer(head, b"b" * 500) as server:
        elapsed, reason = timed_failure(fetcher, f"http://127.0.0.1:{server.port}/")
    assert elapsed < 3 * TIMEOUT_S + 1.0 + len(head) * DRIP_S
    assert "too slow" in reason


def test_a_prompt_server_is_fetched(fetcher: HttpxFetcher) -> None:
    body = b"Police said the checkpoint reopened."
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(head + body)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        response = fetcher.fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    finally:
        thread.join(timeout=5)
        listener.close()
    assert response.content == body

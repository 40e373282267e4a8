"""Fetching URLs: one-method ``Fetcher`` protocol, and an httpx implementation that
treats every URL as hostile.

``HttpxFetcher`` refuses non-http(s) schemes and hosts that resolve to private,
loopback, link-local, multicast, reserved or unspecified addresses (IPv4, IPv6,
IPv4-mapped and other embedded IPv4) unless ``allow_private``; follows redirects itself,
at most ``max_redirects``, re-checking every hop; connects to the address it checked
(so a second DNS answer cannot swap in a private one); stops a download as soon as it
passes ``max_fetch_bytes``; and bounds each wait by ``fetch_timeout_s`` and the whole
fetch (connect, headers, body, every redirect) by a few times that, on the clock: each
socket read or write waits at most until that deadline, so a server that sends a byte
a second cannot hold a fetch open. Tests pass an ``httpx.MockTransport`` and a resolver."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

import httpcore
import httpx

from ..errors import BlockedURL, DecodeFailed, IngestError, TooLarge
from ..settings import Settings
from .decode import human_size, one_line

__all__ = [
    "FetchedResponse",
    "Fetcher",
    "HttpxFetcher",
    "Resolver",
    "check_address",
    "system_resolver",
]

Resolver = Callable[[str], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = "ember/0.1 (+https://github.com/ember-osint/ember)"
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# The whole fetch (every hop and the body) may take this many times fetch_timeout_s.
_TOTAL_TIMEOUT_FACTOR = 3
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedResponse:
    """A successful (2xx) response, or a 304 to a conditional fetch (``fetch`` with
    ``if_none_match``/``if_modified_since``; empty ``content``). ``url`` as asked;
    ``final_url`` after redirects; ``etag`` and ``last_modified`` as the server sent them."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    content: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        """``text/html`` from ``text/html; charset=utf-8``; empty when not stated."""
        return (self.content_type or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in (self.content_type or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class Fetcher(Protocol):
    """Anything that can fetch a URL; raises ``IngestError`` subclasses on failure."""

    def fetch(self, url: str) -> FetchedResponse: ...


def system_resolver(host: str) -> list[str]:
    """The addresses the system resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_address(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched (e.g. "a loopback address"), or None if public.
    IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo, NAT64) are judged by it
    too, so ``::ffff:127.0.0.1`` is loopback."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _address_kind(ip.ipv4_mapped)
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        candidates += [e for e in embedded if e is not None]
    return next(filter(None, map(_address_kind, candidates)), None)


def _address_kind(ip: IPAddress) -> str | None:
    checks = (
        ("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
        ("private", ip.is_private), ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )  # fmt: skip
    return next((f"a {name} address" for name, hit in checks if hit), None)


@dataclass(frozen=True, slots=True)
class _Target:
    """Where one hop connects: ``url`` rewritten to the checked address, with the
    original host for the Host header and TLS server name."""

    url: str
    host_header: str | None = None
    server_name: str | None = None


class _Deadline(threading.local):
    """The wall-clock end of the fetch in progress on this thread (None: no fetch)."""

    at: float | None = None

    def remaining(self, timeout: float | None) -> float | None:
        """What a wait of ``timeout`` may take before the deadline; a timeout error when
        the deadline has passed."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the fetch ran past its deadline")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = self._deadline.remaining(timeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, wait), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, each wait cut at the fetch's deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, self._deadline.remaining(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _deadline_transport(deadline: _Deadline, limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport (as ``httpx.Client`` makes it) over ``_DeadlineBackend``."""
    transport = httpx.HTTPTransport(trust_env=False, limits=limits)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_DeadlineBackend(deadline),
    )
    return transport


class HttpxFetcher:
    """``Fetcher`` over an ``httpx.Client``; ``transport`` and ``resolver`` are for tests."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._settings = settings
        self._resolver = resolver
        self._deadline = _Deadline()
        # Connections are pinned to a checked address; never reuse one for another host.
        limits = httpx.Limits(max_keepalive_connections=0)
        self._client = httpx.Client(
            transport=transport or _deadline_transport(self._deadline, limits),
            timeout=httpx.Timeout(settings.fetch_timeout_s),
            follow_redirects=False,
            trust_env=False,  # a proxy would make the address check meaningless
            limits=limits,
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        )

    def __enter__(self) -> HttpxFetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, url: str, *, if_none_match: str | None = None, if_modified_since: str | None = None
    ) -> FetchedResponse:
        """``url``'s response; with ``if_none_match`` (an ETag) or ``if_modified_since`` (a
        Last-Modified date), a conditional GET that may answer 304 (``not_modified``)."""
        conditions = {"If-None-Match": if_none_match, "If-Modified-Since": if_modified_since}
        conditional = {name: value for name, value in conditions.items() if value}
        total = _TOTAL_TIMEOUT_FACTOR * self._settings.fetch_timeout_s
        deadline = time.monotonic() + total
        current = url
        self._deadline.at = deadline
        try:
            with _errors(url, self._settings.fetch_timeout_s, total=total, deadline=deadline):
                for _hop in range(self._settings.max_redirects + 1):
                    response = self._get(url, current, deadline, conditional)
                    if isinstance(response, FetchedResponse):
                        return response
                    current = response
        finally:
            self._deadline.at = None
        raise IngestError(f"more than {self._settings.max_redirects} redirects", source=url)

    def _get(
        self, url: str, current: str, deadline: float, conditional: dict[str, str] | None = None
    ) -> FetchedResponse | str:
        """One hop: the response, or the URL it redirects to."""
        self._check_deadline(url, deadline)
        target = self._target(current, source=url)
        headers = {"Host": target.host_header} if target.host_header else {}
        headers.update(conditional or {})
        extensions = {"sni_hostname": target.server_name} if target.server_name else {}
        with self._client.stream("GET", target.url, headers=headers, extensions=extensions) as r:
            location = r.headers.get("location")
            if r.status_code in _REDIRECTS and location:
                return str(httpx.URL(current).join(location))
            validators = {
                "etag": r.headers.get("etag"), "last_modified": r.headers.get("last-modified")
            }  # fmt: skip
            if r.status_code == 304 and conditional:
                return FetchedResponse(
                    url=url, final_url=current, status=304, content_type=None, content=b"",
                    **validators,
                )  # fmt: skip
            if not 200 <= r.status_code < 300:
                phrase = httpx.codes.get_reason_phrase(r.status_code) or r.reason_phrase
                raise IngestError(
                    f"HTTP {r.status_code} {one_line(phrase, limit=60)}".strip(), source=url
                )
            content = self._body(r, url, deadline)
            return FetchedResponse(
                url=url,
                final_url=current,
                status=r.status_code,
                content_type=r.headers.get("content-type"),
                content=content,
                **validators,
            )

    def _body(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        limit = self._settings.max_fetch_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            size = human_size(int(declared))
            raise TooLarge(f"response is {size}, over the {human_size(limit)} cap", source=url)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise TooLarge(f"response is over the {human_size(limit)} cap", source=url)
            self._check_deadline(url, deadline)
        return bytes(body)

    def _check_deadline(self, url: str, deadline: float) -> None:
        if time.monotonic() > deadline:
            total = _TOTAL_TIMEOUT_FACTOR * self._settings.fetch_timeout_s
            raise IngestError(f"download too slow: gave up after {total:g} s", source=url)

    def _target(self, url: str, *, source: str) -> _Target:
        parsed = _parse(url, source)
        if self._settings.allow_private:
            return _Target(url)
        host = parsed.raw_host.decode("ascii")
        ip = _resolve(host, self._resolver, source)
        if _is_ip(host):
            return _Target(url)
        return _Target(
            str(parsed.copy_with(host=str(ip))),
            host_header=f"{host}:{parsed.port}" if parsed.port else host,
            server_name=host if parsed.scheme == "https" else None,
        )


def _parse(url: str, source: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise BlockedURL(f"invalid URL: {one_line(str(exc))}", source=source) from exc
    if parsed.scheme not in ("http", "https"):
        raise BlockedURL(
            f"refusing {parsed.scheme or 'scheme-less'} URL: only http(s)", source=source
        )
    if not parsed.host:
        raise BlockedURL("no host in the URL", source=source)
    return parsed


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str, resolver: Resolver, source: str) -> IPAddress:
    """The first address of ``host``, once every address it has is checked public."""
    try:
        addresses = [ipaddress.ip_address(host)] if _is_ip(host) else _lookup(host, resolver)
    except (OSError, UnicodeError, ValueError) as exc:
        raise IngestError(
            f"cannot resolve host {host}: {one_line(str(exc))}", source=source
        ) from exc
    if not addresses:
        raise IngestError(f"cannot resolve host {host}: no addresses", source=source)
    for ip in addresses:
        if reason := check_address(ip):
            via = "" if _is_ip(host) else f" resolves to {ip},"
            raise BlockedURL(
                f"refusing {host}:{via} {reason} (allow with --allow-private)", source=source
            )
    return addresses[0]


def _lookup(host: str, resolver: Resolver) -> list[IPAddress]:
    return [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host)]


@contextmanager
def _errors(
    url: str, timeout: float, *, total: float | None = None, deadline: float | None = None
) -> Iterator[None]:
    """httpx's errors as one-line ``IngestError``s."""
    try:
        yield
    except httpx.TimeoutException as exc:
        if deadline is not None and total is not None and time.monotonic() >= deadline:
            reason = f"too slow: gave up after {total:g} s (fetch timeout {timeout:g} s)"
            raise IngestError(reason, source=url) from exc
        raise IngestError(f"timed out after {timeout:g} s", source=url) from exc
    except httpx.DecodingError as exc:
        raise DecodeFailed(f"bad compressed response: {one_line(str(exc))}", source=url) from exc
    except httpx.InvalidURL as exc:
        raise BlockedURL(f"invalid URL: {one_line(str(exc))}", source=url) from exc
    except httpx.HTTPError as exc:
        detail = one_line(str(exc)) or type(exc).__name__
        raise IngestError(f"cannot fetch: {detail}", source=url) from exc

"""WARC crawls: HTML responses become documents; everything else is skipped; caps,
corrupt archives and bombs are reasons."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ember.ingest import RawDocument, Rejection, Source, build_document, read_source
from ember.ingest._warc import read_warc
from ember.settings import Settings

ARTICLE = (
    "<html><head><title>Bridge repairs in Qayyarah</title></head><body><article><p>Engineers "
    "began repairing the damaged bridge over the Tigris at Qayyarah this week, the "
    "governorate said, with traffic expected to resume within two months.</p><p>Residents "
    "currently cross by ferry, a trip that takes about forty minutes.</p></article></body></html>"
)
ARABIC_PAGE = (
    "<html><body><article><p>قال مسؤولون في المحافظة إن فرق الهندسة بدأت إصلاح الجسر المتضرر "
    "فوق نهر دجلة هذا الأسبوع، على أن تعود حركة المرور خلال شهرين.</p></article></body></html>"
)


def response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    record_id: str | None = None,
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    warc_headers = {"WARC-Record-ID": f"<urn:uuid:{record_id}>"} if record_id else None
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)


def crawl(*, compress: bool = True) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    request = b"GET /bridge HTTP/1.1\r\nHost: news.example\r\n\r\n"
    url = "https://news.example/bridge"
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(request)))
    response(writer, "https://news.example/bridge", ARTICLE.encode(), record_id="0001")
    response(writer, "https://news.example/logo.png", b"\x89PNG\r\n", content_type="image/png")
    response(writer, "https://news.example/old", b"<html>moved</html>", status="301 Moved")
    response(writer, "https://news.example/gone", b"<html>gone</html>", status="404 Not Found")
    response(
        writer,
        "https://news.example/ar",
        ARABIC_PAGE.encode("cp1256"),
        content_type="text/html; charset=windows-1256",
        record_id="0002",
    )
    return out.getvalue()


def read(path: Path, settings: Settings | None = None) -> list[RawDocument | Rejection]:
    return list(read_source(Source(str(path), "warc"), settings=settings or Settings()))


@pytest.mark.parametrize("compress", [True, False])
def test_html_responses_become_documents(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(crawl(compress=compress))
    english, arabic = read(path)
    assert isinstance(english, RawDocument) and isinstance(arabic, RawDocument)
    assert english.source == f"{path}#urn:uuid:0001"
    assert english.kind == "html" and english.format == "warc"
    assert english.body == ARTICLE
    assert english.hints.url == "https://news.example/bridge"
    assert english.hints.published is None  # WARC-Date is the crawl time
    assert arabic.source == f"{path}#urn:uuid:0002"
    assert "فرق الهندسة بدأت إصلاح الجسر" in arabic.body


def test_warc_document_builds(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl())
    prepared = build_document(read(path)[0], settings=settings)  # type: ignore[arg-type]
    assert not isinstance(prepared, Rejection), prepared
    assert prepared.document.text.startswith("Engineers began repairing")
    assert prepared.document.url == "https://news.example/bridge"


def test_record_over_the_cap_is_rejected_alone(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    response(writer, "https://news.example/huge", b"<p>" + b"x" * 50_000, record_id="big")
    response(writer, "https://news.example/bridge", ARTICLE.encode(), record_id="ok")
    path = tmp_path / "c.warc.gz"
    path.write_bytes(out.getvalue())
    huge, ok = read(path, Settings(max_record_bytes=10_000))
    assert huge == Rejection(
        source=f"{path}#urn:uuid:big", reason="page is over the 10000 bytes record cap"
    )
    assert isinstance(ok, RawDocument)


def test_truncated_warc_gz_keeps_the_pages_before(tmp_path: Path) -> None:
    data = crawl()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 150])
    page, rejection = read(path)
    assert isinstance(page, RawDocument) and page.source.endswith("#urn:uuid:0001")
    assert isinstance(rejection, Rejection) and rejection.source == str(path)
    assert rejection.reason.startswith("corrupt gzip data: ")
    assert rejection.reason.endswith("; stopped after 1 page(s)")
    assert "\n" not in rejection.reason


def test_truncated_warc_inside_a_page(tmp_path: Path) -> None:
    data = crawl(compress=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 50])
    page, rejection = read(path)
    assert isinstance(page, RawDocument)
    assert rejection == Rejection(
        source=f"{path}#urn:uuid:0002", reason="truncated record: the archive ends inside it"
    )


def test_truncated_warc_inside_another_record(tmp_path: Path) -> None:
    data = crawl(compress=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 1000])
    page, rejection = read(path)
    assert isinstance(page, RawDocument)
    assert rejection == Rejection(source=str(path), reason="truncated WARC after 1 page(s)")


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("Just some text\nin a file named like a crawl.\n")
    (rejection,) = read(path)
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("corrupt WARC after 0 page(s)")


def test_warc_without_pages(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    response(writer, "https://news.example/a.png", b"\x89PNG", content_type="image/png")
    path = tmp_path / "images.warc.gz"
    path.write_bytes(out.getvalue())
    (rejection,) = read(path)
    assert rejection == Rejection(
        source=str(path), reason="no HTML pages (2xx text/html responses) in the WARC"
    )


def test_gzip_bomb_named_warc_gz(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(bytes(4 * 1024 * 1024)))
    (rejection,) = read(path, Settings(max_decompressed_bytes=1024 * 1024))
    assert isinstance(rejection, Rejection)
    assert "compression bomb" in rejection.reason


class CountingStream(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self.inner.readinto(buffer)
        self.given += n
        return n


def test_records_stream(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for i in range(200):
        body = ARTICLE.replace("this week", f"in week {i}").encode() + b" " * 10_000
        response(writer, f"https://news.example/{i}", body)
    raw = CountingStream(out.getvalue())
    pages = read_warc("big.warc", io.BufferedReader(raw), settings=Settings())
    assert isinstance(next(pages), RawDocument)
    assert raw.given < len(out.getvalue()) / 10
    assert sum(1 for _ in pages) == 199

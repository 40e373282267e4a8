"""Bytes to text, and reading files and streams within size caps.

Reports arrive in UTF-8, UTF-16 with a BOM, cp1252 and Arabic windows-1256; binary files
arrive by mistake; compressed files may be bombs. Each gets text or a
``DecodeFailed``/``TooLarge`` with a one-line reason.

Caps: a file read whole (text, HTML, feed) may be ``limit`` bytes on disk and, when
gzipped, ``decompressed_limit`` bytes inflated. A container that is streamed (JSONL,
CSV, WARC) is not capped as a whole, only per record by its reader; gzipped, it may
inflate to ``decompressed_limit`` or ``_MAX_RATIO`` times its compressed size, whichever
is larger, so a real multi-GB crawl streams through while a bomb (zeros compress about
1000:1) stops early."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from charset_normalizer import from_bytes

from ..errors import DecodeFailed, TooLarge

__all__ = [
    "decode_bytes",
    "decode_html",
    "gunzip_capped",
    "human_size",
    "one_line",
    "open_stream",
    "read_file_capped",
    "sniff_encoding",
    "stream_bytes",
    "text_stream",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GZIP_MAGIC = b"\x1f\x8b"
# File signatures of binary formats people save with a text suffix by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"RIFF", "RIFF media file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media file"),
)
_CHUNK = 1 << 20
_SNIFF = 8192
_MAX_RATIO = 20
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_MAX_CONTROL_SHARE = 0.02
# Labels that browsers read as windows-1252 (WHATWG Encoding), which servers and pages
# declare while writing curly quotes in the 0x80-0x9F range.
_LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "ascii", "us-ascii"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_REASON_CHARS = 200
# How much of a streamed text file decides its encoding.
_HEAD = 256 * 1024
# The fewest bytes in another encoding that charset detection judges in a mixed file.
_MIN_DETECT = 4096


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def one_line(text: str, *, limit: int = _REASON_CHARS) -> str:
    """``text`` on one line, shortened: safe to put in a reason."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def decode_bytes(data: bytes, *, source: str | None = None, declared: str | None = None) -> str:
    """Decode ``data`` to text: a BOM first, then UTF-8, then the ``declared`` charset
    (an HTTP header or a meta tag), then charset detection."""
    if not data:
        raise DecodeFailed("empty (0 bytes)", source=source)
    text = _decode(data, source=source, declared=declared)
    if not text.strip():
        raise DecodeFailed("only whitespace, no text", source=source)
    return text


def decode_html(data: bytes, *, source: str | None = None, declared: str | None = None) -> str:
    """Like ``decode_bytes``, also reading ``<meta charset>`` when nothing is declared."""
    if declared is None and (match := _META_CHARSET.search(data[:_SNIFF])):
        declared = match.group(1).decode("ascii")
    return decode_bytes(data, source=source, declared=declared)


def _decode(data: bytes, *, source: str | None, declared: str | None) -> str:
    if (encoding := _unicode_by_structure(data, source)) is not None:
        return _strict(data, encoding, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_mixed(data, declared) or _decode_legacy(data, declared, source)


def _decode_mixed(data: bytes, declared: str | None) -> str | None:
    """A file that mixes encodings (a UTF-8 report with lines pasted from a cp1252 one),
    decoded line by line: each line that is valid UTF-8 as UTF-8, the others in the
    declared charset, else the one detected on them (when there are enough), else
    cp1252. None when no line holds UTF-8 beyond ASCII (a legacy file: decoded whole).
    Legacy text is almost never valid UTF-8 by chance: an accented letter is one byte,
    never followed by the continuation bytes UTF-8 needs."""
    lines = data.splitlines(keepends=True)
    utf8: list[str | None] = []
    for line in lines:
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            utf8.append(None)
    if not any(text is not None and not text.isascii() for text in utf8):
        return None
    failing = b"".join(line for line, text in zip(lines, utf8, strict=True) if text is None)
    # Detection needs text to go on; a few pasted lines are most likely Windows Latin.
    detected = _detect(failing[: 4 * _CHUNK]) if len(failing) >= _MIN_DETECT else None
    legacy = _usable(declared) or detected or "cp1252"
    if legacy.replace("_", "-").lower() in ("utf-8", "utf8", "ascii"):
        legacy = "cp1252"
    return "".join(
        text if text is not None else line.decode(legacy, errors="replace")
        for line, text in zip(lines, utf8, strict=True)
    )


def _unicode_by_structure(head: bytes, source: str | None) -> str | None:
    """The encoding a BOM or UTF-16's NUL pattern shows, else None; raises
    ``DecodeFailed`` when the head is binary rather than text."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:_SNIFF]
    _refuse_binary(sample, source)
    if (utf16 := _bomless_utf16(sample)) is not None:
        return utf16
    if b"\x00" in sample:
        raise DecodeFailed("binary file (NUL bytes), not text", source=source)
    _refuse_control(sample, source)
    return None


def _strict(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeFailed(f"invalid {encoding} text: {exc.reason}", source=source) from exc


def _decode_legacy(data: bytes, declared: str | None, source: str | None) -> str:
    encoding = _usable(declared) or _detect(data[: 4 * _CHUNK])
    if encoding is None:
        raise DecodeFailed("not text in any known encoding", source=source)
    return data.decode(encoding, errors="replace")


def _usable(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detect(sample: bytes) -> str | None:
    best = from_bytes(sample).best()
    return None if best is None else str(best.encoding)


def _refuse_binary(head: bytes, source: str | None) -> None:
    # A signature of plain letters ("MZ", "RIFF") could start a text: it counts only
    # when control bytes follow.
    binary = any(b < 9 or 13 < b < 32 for b in head[:64])
    for magic, kind in _MAGIC:
        if head.startswith(magic) and (binary or not magic.isalnum()):
            raise DecodeFailed(f"binary file ({kind}), not text", source=source)
    if head.startswith(_GZIP_MAGIC):
        raise DecodeFailed("gzip-compressed data, not text", source=source)


def _refuse_control(sample: bytes, source: str | None) -> None:
    if sum(sample.count(bytes([c])) for c in _CONTROL) > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeFailed("binary file (control bytes), not text", source=source)


def _bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the NULs sit at every other byte, as in mostly-ASCII
    UTF-16 written without a BOM; else None."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    odd_nuls = head[1 : 2 * pairs : 2].count(0)
    even_nuls = head[0 : 2 * pairs : 2].count(0)
    if odd_nuls > 0.6 * pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.6 * pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def sniff_encoding(head: bytes, *, source: str | None = None) -> str:
    """The encoding of a stream that starts with ``head`` (which may end mid-character)."""
    if (encoding := _unicode_by_structure(head, source)) is not None:
        return encoding
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3 or exc.reason != "unexpected end of data":
            return _detect(head) or "utf-8"
    return "utf-8"


def text_stream(stream: BinaryIO, *, source: str | None = None) -> io.TextIOWrapper:
    """``stream`` as text, its encoding sniffed from the head; newlines untranslated
    (as ``csv`` wants). Bytes the encoding cannot decode later on become U+FFFD."""
    head = stream.read(_HEAD)
    if not head:
        raise DecodeFailed("empty (0 bytes)", source=source)
    encoding = sniff_encoding(head, source=source)
    joined = io.BufferedReader(_Prefixed(head, stream))
    return io.TextIOWrapper(joined, encoding=encoding, errors="replace", newline="")


def gunzip_capped(data: bytes, *, limit: int, source: str | None = None) -> bytes:
    """Decompress gzip ``data``, refusing to produce more than ``limit`` bytes."""
    with _Capped(gzip.GzipFile(fileobj=io.BytesIO(data)), limit=limit, source=source) as raw:
        return _read_all(io.BufferedReader(raw, _CHUNK), limit=limit, source=source)


def read_file_capped(path: Path, *, limit: int, decompressed_limit: int) -> bytes:
    """The bytes of ``path`` (gunzipped when gzip), within the caps. Refuses anything
    that is not a regular file (FIFOs and devices would block or never end)."""
    source = str(path)
    with _open_regular(path) as (stream, size):
        if size > limit:
            raise TooLarge(
                f"file is {human_size(size)}, over the {human_size(limit)} cap", source=source
            )
        data = _read_all(stream, limit=limit, source=source)
    if data.startswith(_GZIP_MAGIC):
        return gunzip_capped(data, limit=decompressed_limit, source=source)
    if path.suffix.lower() == ".gz":
        raise DecodeFailed("named .gz but not gzip data", source=source)
    return data


@contextmanager
def open_stream(path: Path, *, decompressed_limit: int) -> Iterator[BinaryIO]:
    """``path`` as a buffered binary stream, inflated on the fly when it is gzip."""
    with _open_regular(path) as (stream, size):
        yield _maybe_inflating(stream, size, decompressed_limit, str(path))


def stream_bytes(data: bytes, *, decompressed_limit: int, source: str | None = None) -> BinaryIO:
    """In-memory ``data`` (e.g. a download) as a stream, inflated when it is gzip."""
    return _maybe_inflating(
        io.BufferedReader(io.BytesIO(data)), len(data), decompressed_limit, source
    )


def _maybe_inflating(
    buffered: io.BufferedReader, size: int, limit: int, source: str | None
) -> BinaryIO:
    """``buffered``, or when it holds gzip an unbuffered inflating stream: each read
    returns what inflates next, so data before a corrupt or truncated spot reaches the
    reader before the error does (a buffer would swallow it with the failing read)."""
    if not buffered.peek(2).startswith(_GZIP_MAGIC):
        return buffered
    cap = max(limit, _MAX_RATIO * size)
    return cast(BinaryIO, _Capped(gzip.GzipFile(fileobj=buffered), limit=cap, source=source))


@contextmanager
def _open_regular(path: Path) -> Iterator[tuple[io.BufferedReader, int]]:
    source = str(path)
    try:
        # Non-blocking, so that opening a FIFO with no writer returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DecodeFailed(f"cannot read file: {exc.strerror or exc}", source=source) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DecodeFailed(f"not a regular file ({_kind(info.st_mode)})", source=source)
    with os.fdopen(fd, "rb") as stream:
        try:
            yield stream, info.st_size
        except OSError as exc:
            raise DecodeFailed(f"cannot read file: {exc.strerror or exc}", source=source) from exc


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "special file")


def _read_all(stream: BinaryIO, *, limit: int, source: str | None) -> bytes:
    """Up to ``limit`` bytes, read in chunks (``read(limit)`` would allocate ``limit``)."""
    out = bytearray()
    while chunk := stream.read(min(_CHUNK, limit + 1 - len(out))):
        out += chunk
        if len(out) > limit:
            raise TooLarge(f"over the {human_size(limit)} cap", source=source)
    return bytes(out)


class _Capped(io.RawIOBase):
    """A readable stream that raises ``TooLarge`` past ``limit`` bytes, and turns gzip
    errors into ``DecodeFailed``."""

    def __init__(self, inner: gzip.GzipFile, *, limit: int, source: str | None) -> None:
        super().__init__()
        self._inner = inner
        self._limit = limit
        self._source = source
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read1(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise DecodeFailed(
                f"corrupt gzip data: {one_line(str(exc))}", source=self._source
            ) from exc
        n = len(data)
        buffer[:n] = data
        self._count += n
        if self._count > self._limit:
            raise TooLarge(
                f"decompresses to more than {human_size(self._limit)} (compression bomb?)",
                source=self._source,
            )
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """``head`` (already read), then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

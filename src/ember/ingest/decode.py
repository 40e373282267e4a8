"""Bytes to text, and reading files within size caps.

Reports arrive in UTF-8, UTF-16 with a BOM, cp1252 and Arabic windows-1256; binary files
arrive by mistake. Each gets text or a ``DecodeFailed``/``TooLarge`` with the reason."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import DecodeFailed, TooLarge

__all__ = ["decode_bytes", "gunzip_capped", "read_file_capped"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_MAX_CONTROL_SHARE = 0.02


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def decode_bytes(data: bytes, *, source: str | None = None) -> str:
    """Decode ``data`` to text: BOM first, then UTF-8, then charset detection."""
    if not data.strip():
        raise DecodeFailed("empty file", source=source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeFailed(f"invalid {encoding} text: {exc.reason}", source=source) from exc
    if b"\x00" in data[:8192]:
        raise DecodeFailed("binary file (NUL bytes), not text", source=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data[: 4 * _CHUNK]).best()
        if best is None:
            raise DecodeFailed("not text in any known encoding", source=source) from None
        text = data.decode(best.encoding, errors="replace")
    sample = data[:8192]
    if sum(sample.count(bytes([c])) for c in _CONTROL) > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeFailed("binary file (control bytes), not text", source=source)
    return text


def gunzip_capped(data: bytes, *, limit: int, source: str | None = None) -> bytes:
    """Decompress gzip ``data``, refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise TooLarge(
                        f"decompresses to more than {_human(limit)} (compression bomb?)",
                        source=source,
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeFailed(f"corrupt gzip data: {exc}", source=source) from exc
    return bytes(out)


def read_file_capped(path: Path, *, limit: int, decompressed_limit: int) -> bytes:
    """The bytes of ``path`` (gunzipped when it ends in .gz), within the caps."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise TooLarge(f"file is {_human(size)}, over the {_human(limit)} cap", source=source)
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeFailed(f"cannot read file: {exc.strerror or exc}", source=source) from exc
    if path.suffix.lower() == ".gz":
        return gunzip_capped(data, limit=decompressed_limit, source=source)
    return data

"""Reading one source into raw documents: dispatch on the source's format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import IngestError, UnsupportedFormat
from ..settings import Settings
from ._types import RawDocument, Rejection
from .decode import decode_bytes, read_file_capped
from .sources import Source

__all__ = ["read_source"]

Reader = Callable[[str, bytes, Settings], Iterator[RawDocument | Rejection]]


def _read_text(source: str, data: bytes, _settings: Settings) -> Iterator[RawDocument]:
    yield RawDocument(source=source, body=decode_bytes(data, source=source), kind="text", format="text")


def _read_html(source: str, data: bytes, _settings: Settings) -> Iterator[RawDocument]:
    yield RawDocument(source=source, body=decode_bytes(data, source=source), kind="html", format="html")


_READERS: dict[str, Reader] = {
    "text": _read_text,
    "html": _read_html,
}


def read_source(source: Source, *, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """Raw documents from ``source``; a source that fails yields one ``Rejection``."""
    try:
        reader = _READERS.get(source.format)
        if reader is None:
            raise UnsupportedFormat(f"cannot read {source.format} yet", source=source.location)
        data = read_file_capped(
            Path(source.location),
            limit=settings.max_file_bytes,
            decompressed_limit=settings.max_decompressed_bytes,
        )
        yield from reader(source.location, data, settings)
    except IngestError as exc:
        yield Rejection(source=source.location, reason=str(exc))

"""Word (.docx) reports: paragraphs and tables in document order, and the core properties.

Each paragraph (a heading too) becomes one line of the body, blank lines between, so a
heading never runs into the paragraph under it; each table row becomes a line of its
cells' text. Text inside tracked insertions is kept, deleted text and footnote
reference marks (superscript digits glued to a word) are not. Title, author and the
creation date come from the core properties; a date the text states under its title
wins over the creation date.

A .docx is a zip: a file that is not one, or whose members would inflate past the
decompression cap (a zip bomb), or that holds no Word document, gives a one-line
``DecodeFailed``/``TooLarge`` reason. python-docx parses XML without resolving entities."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import DecodeFailed, TooLarge
from ..records import DatePrecision
from ..settings import Settings
from ._types import Hints, RawDocument
from .decode import human_size, one_line
from .metadata import extract_metadata
from .pdf import usable_author

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_MEMBERS = 10_000
_MARKER = re.compile(r"[\d*†‡§]+")
_HEAD_PARAGRAPHS = 12


def read_docx(source: str, data: bytes, *, settings: Settings) -> RawDocument:
    """The text of the .docx ``data`` with its core properties; or raises an
    ``IngestError`` with the one-line reason it cannot be read."""
    _check_zip(source, data, settings)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document))
        hints = _hints(document, lines)
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, AttributeError,
            TypeError) as exc:  # fmt: skip
        detail = one_line(str(exc), limit=80) or type(exc).__name__
        raise DecodeFailed(f"malformed DOCX: {detail}", source=source) from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError
        detail = one_line(str(exc), limit=80)
        raise DecodeFailed(f"malformed DOCX: broken XML ({detail})", source=source) from exc
    body = "\n\n".join(lines)
    if not body.strip():
        raise DecodeFailed("DOCX without text", source=source)
    return RawDocument(source=source, body=body, kind="text", format="docx", hints=hints)


def _check_zip(source: str, data: bytes, settings: Settings) -> None:
    """Refuse what is not a zip, and a zip whose members inflate past the cap (their
    stated sizes: ``zipfile`` never inflates a member past the size it states)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        detail = one_line(str(exc), limit=80)
        raise DecodeFailed(f"malformed DOCX: not a zip file ({detail})", source=source) from exc
    if len(members) > _MAX_MEMBERS:
        raise TooLarge(f"DOCX holds over {_MAX_MEMBERS} files (zip bomb?)", source=source)
    inflated = sum(member.file_size for member in members)
    limit = settings.max_decompressed_bytes
    if inflated > limit:
        raise TooLarge(
            f"DOCX inflates to {human_size(inflated)}, over the {human_size(limit)} cap "
            "(zip bomb?)",
            source=source,
        )
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise DecodeFailed("malformed DOCX: a zip file, but not a Word document", source=source)


def _lines(document: WordDocument) -> Iterator[str]:
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _paragraph_text(block._p)
            if text:
                yield text
        elif isinstance(block, Table):
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    """One line per row: its cells' text, a merged cell once."""
    for row in table.rows:
        cells: list[str] = []
        previous: Any = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            text = " ".join(_paragraph_text(p._p) for p in cell.paragraphs).strip()
            if text:
                cells.append(" ".join(text.split()))
        if cells:
            yield " | ".join(cells)


def _paragraph_text(element: Any) -> str:
    """The text of a ``w:p`` element: its runs (in tracked insertions too), tabs and
    breaks as spaces; deleted runs and superscript footnote marks glued to a word left
    out."""
    out: list[str] = []
    for run in element.iter(f"{_W}r"):
        if _inside(run, f"{_W}del") or _inside_nested_paragraph(run, element):
            continue
        text = "".join(_run_pieces(run))
        if _is_marker(run, text) and out and out[-1][-1:].strip():
            continue
        out.append(text)
    return " ".join("".join(out).split())


def _run_pieces(run: Any) -> Iterator[str]:
    for child in run:
        if child.tag == f"{_W}t":
            yield child.text or ""
        elif child.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
            yield " "


def _is_marker(run: Any, text: str) -> bool:
    if not _MARKER.fullmatch(text.strip() or "-"):
        return False
    align = run.find(f"{_W}rPr/{_W}vertAlign")
    return align is not None and align.get(f"{_W}val") == "superscript"


def _inside(node: Any, tag: str) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _inside_nested_paragraph(run: Any, paragraph: Any) -> bool:
    """A run of a text box's paragraph inside ``paragraph``: read with that one."""
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == f"{_W}p":
            return True
        parent = parent.getparent()
    return False


def _hints(document: WordDocument, lines: list[str]) -> Hints:
    props = document.core_properties
    title = " ".join((props.title or "").split()) or _styled_title(document)
    author = usable_author(" ".join((props.author or "").split()))
    published: str | None = None
    precision: DatePrecision | None = None
    head = "\n\n".join(lines[:_HEAD_PARAGRAPHS])
    created = props.created
    stated = extract_metadata(head).published
    if isinstance(created, datetime) and stated is None and 1990 <= created.year <= 2100:
        published, precision = created.date().isoformat(), "day"
    return Hints(
        title=title or None, author=author, published=published, published_precision=precision
    )


def _styled_title(document: WordDocument) -> str | None:
    """The first paragraph in the Title style, else None."""
    for paragraph in document.paragraphs[:_HEAD_PARAGRAPHS]:
        style = paragraph.style
        if style is not None and (style.name or "").casefold() == "title":
            text = _paragraph_text(paragraph._p)
            if text:
                return text
    return None

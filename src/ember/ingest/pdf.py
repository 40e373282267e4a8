"""PDF reports: the text layer in reading order, the metadata, and where each page starts.

pdfminer.six's layout analysis groups characters into lines and text boxes and orders
the boxes, so a two-column page reads down the left column, then the right. On top of
that, this module drops what is not the report's prose:

- running headers and footers: lines in the top or bottom band of a page whose text
  (digits aside) recurs in that band on other pages;
- page numbers: a bare number ("12", "- 12 -", "Page 12 of 40", "xii") in those bands;
- footnote markers: superscript digits glued to a word (small, raised characters), and
  Unicode superscript digits after a word.

Lines of a text box are joined into paragraphs (hyphenated breaks mended); a paragraph
that runs on into the next column or page is joined with its end. The body is one
paragraph per line, blank lines between, so ``clean`` keeps each paragraph whole and
the page map survives cleaning (``pages.map_pages``).

Title, author and date come from the Info dictionary or the XMP packet, placeholders
("Microsoft Word - draft.docx", "Administrator") aside; the title else from the largest
type on the first page. A date the first page states wins over the file's creation date.

Hostile files: an encrypted PDF (unless its user password is empty), a malformed one, a
scanned one without a text layer, one over the page cap, one whose streams inflate past
the decompression cap (a Flate bomb) or whose parse runs past the time cap, each give
one ``DecodeFailed``/``TooLarge`` reason. The caps are ``Settings.pdf_max_pages``,
``pdf_timeout_s`` and ``max_decompressed_bytes`` (all streams of one file together)."""

from __future__ import annotations

import contextvars
import io
import logging
import re
import statistics
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pdfminer import pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSEOF, PSException
from pdfminer.utils import decode_text

from ..errors import DecodeFailed, IngestError, TooLarge
from ..records import DatePrecision
from ..settings import Settings
from ._types import Hints, RawDocument
from .decode import human_size, one_line
from .metadata import extract_metadata

__all__ = ["read_pdf"]

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_LAPARAMS = LAParams(line_margin=0.9, char_margin=2.0, word_margin=0.1, boxes_flow=0.5)
# Header and footer bands: this share of the page height at the top and at the bottom.
_BAND = 0.07
# A superscript is at most this share of its line's type size, raised this share above it.
_SUPER_SIZE = 0.8
_SUPER_RISE = 0.2
# A line at least this much larger than the page's body type may be the title.
_TITLE_SIZE = 1.25
_TITLE_MAX_CHARS = 250
# Fewer non-space characters per page than this, with images on most pages: a scan.
_SCAN_CHARS_PER_PAGE = 25
# Characters on one page before it counts as hostile; characters without a Unicode
# mapping (rendered as "(cid:N)" by pdfminer) over this share: text that cannot be read.
_MAX_PAGE_CHARS = 200_000
_MAX_UNMAPPED_SHARE = 0.3
# How often (in parser tokens, operators) the time cap is checked.
_TICK = 2048
_XMP_MAX_BYTES = 1 << 20

_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:(?:page|p\.|pg\.?)\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*",
    re.IGNORECASE,
)
_UNICODE_MARKERS = re.compile(r"(?<=[^\W\d_]|[.,;:!?)\]\"”’'])[¹²³⁰⁴⁵⁶⁷⁸⁹]+")
_MARKER_CHARS = frozenset("0123456789*†‡§")
_TERMINAL = re.compile(r"[.!?:;…\"”’)\]]$")
_PLACEHOLDER_TITLE = re.compile(
    r"(?:microsoft (?:word|powerpoint) - .*|untitled.*|document\d*|slide \d+|"
    r".*\.(?:docx?|pdf|indd|qxd|rtf|odt|pptx?))",
    re.IGNORECASE,
)
_PLACEHOLDER_AUTHORS = frozenset({"admin", "administrator", "user", "owner", "unknown", "author"})
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_XMP_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


# -- caps ---------------------------------------------------------------------


class _Budget:
    """The caps of reading one file: a deadline, and inflated bytes left."""

    def __init__(self, source: str, settings: Settings) -> None:
        self.source = source
        self.timeout = settings.pdf_timeout_s
        self.deadline = time.monotonic() + settings.pdf_timeout_s
        self.inflate_limit = settings.max_decompressed_bytes
        self.inflated = 0
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % _TICK == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TooLarge(
                f"PDF took over {self.timeout:g} s to read (time cap)", source=self.source
            )

    def inflate(self, data: bytes) -> bytes:
        """``zlib.decompress(data)`` within what is left of the cap."""
        left = self.inflate_limit - self.inflated
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, left + 1)
        self.inflated += len(out)
        if len(out) > left:
            raise TooLarge(
                f"PDF streams inflate to more than {human_size(self.inflate_limit)} "
                "(compression bomb?)",
                source=self.source,
            )
        self.check_time()
        return out


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pdf_budget", default=None)


class _CappedZlib:
    """What pdfminer's stream decoder sees as ``zlib``: ``decompress`` stays within the
    budget of the file being read (pdfminer inflates whole streams at once, a bomb
    included), everything else is the real module."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        budget = _BUDGET.get()
        return zlib.decompress(data) if budget is None else budget.inflate(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


setattr(pdftypes, "zlib", _CappedZlib())  # noqa: B010 - a module attribute, not a constant


class _Parser(PDFParser):
    """A file parser that checks the time cap as it reads tokens."""

    def __init__(self, fp: io.BytesIO, budget: _Budget) -> None:
        super().__init__(fp)
        self._budget = budget

    def nexttoken(self) -> Any:
        self._budget.tick()
        return super().nexttoken()


class _Interpreter(PDFPageInterpreter):
    """A content-stream interpreter that checks the time cap at each operator."""

    def __init__(self, rsrcmgr: PDFResourceManager, device: _Device, budget: _Budget) -> None:
        super().__init__(rsrcmgr, device)
        self._budget = budget

    def pop(self, n: int) -> Any:
        self._budget.tick()
        return super().pop(n)


class _Device(PDFPageAggregator):
    """The layout aggregator, counting characters (to cap hostile pages) and those
    without a Unicode mapping."""

    def __init__(self, rsrcmgr: PDFResourceManager, budget: _Budget) -> None:
        super().__init__(rsrcmgr, laparams=_LAPARAMS)
        self._budget = budget
        self.page_chars = 0
        self.unmapped = 0
        self.chars = 0

    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        self.page_chars = 0
        super().begin_page(page, ctm)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.page_chars += 1
        self.chars += 1
        if self.page_chars > _MAX_PAGE_CHARS:
            raise TooLarge(
                f"a page holds over {_MAX_PAGE_CHARS} characters", source=self._budget.source
            )
        self._budget.tick()
        return float(super().render_char(*args, **kwargs))

    def handle_undefined_char(self, font: Any, cid: int) -> str:
        self.unmapped += 1
        return "\ufffd"


# -- reading pages --------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    key: str = ""


@dataclass(slots=True)
class _Box:
    lines: list[_Line]
    x0: float
    x1: float


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    boxes: list[_Box] = field(default_factory=list)
    images: int = 0


def read_pdf(source: str, data: bytes, *, settings: Settings) -> RawDocument:
    """The text of the PDF ``data`` with its metadata and page starts; or raises an
    ``IngestError`` with the one-line reason it cannot be read."""
    budget = _Budget(source, settings)
    token = _BUDGET.set(budget)
    try:
        return _read(source, data, settings, budget)
    except IngestError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise DecodeFailed(_encryption_reason(exc), source=source) from exc
    except RecursionError as exc:
        raise DecodeFailed("malformed PDF: objects nested too deeply", source=source) from exc
    except PSEOF as exc:
        raise DecodeFailed("truncated PDF: unexpected end of file", source=source) from exc
    except MemoryError as exc:
        raise TooLarge("PDF too large to read in memory", source=source) from exc
    except (PDFException, PSException, ValueError, KeyError, TypeError, IndexError,
            AttributeError, AssertionError, OverflowError, ZeroDivisionError,
            UnicodeError, zlib.error, EOFError) as exc:  # fmt: skip
        # pdfminer reports a broken file with whatever it tripped on.
        detail = one_line(str(exc), limit=80) or type(exc).__name__
        raise DecodeFailed(f"malformed PDF: {detail}", source=source) from exc
    finally:
        _BUDGET.reset(token)


def _encryption_reason(exc: Exception) -> str:
    if isinstance(exc, PDFPasswordIncorrect):
        return "encrypted PDF: it needs a password to open"
    return f"encrypted PDF that cannot be read: {one_line(str(exc), limit=80)}"


def _read(source: str, data: bytes, settings: Settings, budget: _Budget) -> RawDocument:
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise DecodeFailed("not a PDF (no %PDF- header)", source=source)
    parser = _Parser(io.BytesIO(data), budget)
    document = PDFDocument(parser, password="")
    pages = _page_list(document, settings, source)
    if not pages:
        raise DecodeFailed("PDF without pages", source=source)
    rsrcmgr = PDFResourceManager(caching=True)
    device = _Device(rsrcmgr, budget)
    interpreter = _Interpreter(rsrcmgr, device, budget)
    read: list[_Page] = []
    for number, page in enumerate(pages, start=1):
        budget.check_time()
        interpreter.process_page(page)
        read.append(_layout_page(number, device.get_result()))
    _refuse_unreadable(read, device, source)
    _drop_margins(read)
    paragraphs = _paragraphs(read)
    body, starts = _assemble(paragraphs, len(read))
    return RawDocument(
        source=source,
        body=body,
        kind="text",
        format="pdf",
        hints=_hints(document, read, body[: starts[1]] if len(starts) > 1 else body),
        pages=starts,
    )


def _page_list(document: PDFDocument, settings: Settings, source: str) -> list[PDFPage]:
    pages: list[PDFPage] = []
    for page in PDFPage.create_pages(document):
        pages.append(page)
        if len(pages) > settings.pdf_max_pages:
            raise TooLarge(f"PDF has over {settings.pdf_max_pages} pages (page cap)", source=source)
    return pages


def _layout_page(number: int, layout: LTPage) -> _Page:
    page = _Page(number=number, height=float(layout.height) or 1.0)
    for item in layout:
        if isinstance(item, LTTextBox):
            lines = [_line(line) for line in item if isinstance(line, LTTextLine)]
            lines = [line for line in lines if line.text]
            if lines:
                page.boxes.append(_Box(lines, float(item.x0), float(item.x1)))
        elif isinstance(item, LTFigure | LTImage):
            page.images += _count_images(item)
    page.boxes = _mend_split_lines(page.boxes)
    return page


def _mend_split_lines(boxes: list[_Box]) -> list[_Box]:
    """Justified type spreads a short line's words so far apart that pdfminer breaks the
    line into pieces, orders them wrongly and may even set a piece apart as a text box
    of its own ("killing" "local officials said." "fighters," and, alone, "four"). A
    column is a box of several lines: a one-line box inside a column's width and height
    goes back into it, and the pieces of each column line (one baseline) are put
    together left to right. The gutter lies outside every column, so two columns never
    join."""
    columns = [box for box in boxes if len(box.lines) > 1]
    kept: list[_Box] = []
    for box in boxes:
        home = None if len(box.lines) > 1 else _column_of(box.lines[0], columns)
        if home is None:
            kept.append(box)
        else:
            home.lines.append(box.lines[0])
    for box in columns:
        box.lines = _join_baselines(box.lines)
    return kept


def _column_of(line: _Line, columns: Sequence[_Box]) -> _Box | None:
    middle = (line.y0 + line.y1) / 2
    for column in columns:
        top = max(part.y1 for part in column.lines)
        bottom = min(part.y0 for part in column.lines)
        inside = column.x0 - 1 <= line.x0 and line.x1 <= column.x1 + 1
        if inside and bottom <= middle <= top:
            return column
    return None


def _join_baselines(lines: list[_Line]) -> list[_Line]:
    """Lines top to bottom, the pieces on one baseline joined left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda part: (-part.y0, part.x0)):
        row = rows[-1] if rows else None
        if row is not None and abs(row[0].y0 - line.y0) <= 0.3 * max(row[0].size, 1.0):
            row.append(line)
        else:
            rows.append([line])
    joined: list[_Line] = []
    for row in rows:
        row.sort(key=lambda part: part.x0)
        first = row[0]
        joined.append(
            _Line(
                " ".join(part.text for part in row),
                first.x0,
                max(part.x1 for part in row),
                min(part.y0 for part in row),
                max(part.y1 for part in row),
                first.size,
            )
            if len(row) > 1
            else first
        )
    return joined


def _count_images(item: Any) -> int:
    if isinstance(item, LTImage):
        return 1
    if isinstance(item, LTFigure):
        return sum(_count_images(child) for child in item)
    return 0


def _line(line: LTTextLine) -> _Line:
    """A line's text, superscript footnote markers dropped, whitespace folded."""
    chars = [item for item in line if isinstance(item, LTChar)]
    visible = [char for char in chars if char.get_text().strip()]
    size = statistics.median(char.size for char in visible) if visible else 0.0
    main = [char for char in visible if char.size > _SUPER_SIZE * size] or visible
    base = statistics.median(char.y0 for char in main) if main else 0.0
    out: list[str] = []
    glued = False
    for item in line:
        text = item.get_text()
        if (
            isinstance(item, LTChar)
            and glued
            and text in _MARKER_CHARS
            and item.size <= _SUPER_SIZE * size
            and item.y0 >= base + _SUPER_RISE * size
        ):
            continue
        out.append(text)
        glued = bool(text.strip())
    folded = " ".join("".join(out).split())
    folded = _UNICODE_MARKERS.sub("", folded)
    return _Line(
        folded, float(line.x0), float(line.x1), float(line.y0), float(line.y1), float(size)
    )


def _refuse_unreadable(pages: Sequence[_Page], device: _Device, source: str) -> None:
    chars = sum(len(line.text.replace(" ", "")) for p in pages for b in p.boxes for line in b.lines)
    with_images = sum(1 for page in pages if page.images)
    if chars < _SCAN_CHARS_PER_PAGE * len(pages):
        if with_images * 2 >= len(pages):
            raise DecodeFailed("no text layer: scanned PDF? run OCR first", source=source)
        if not chars:
            raise DecodeFailed("PDF without text", source=source)
    if device.chars and device.unmapped > _MAX_UNMAPPED_SHARE * device.chars:
        raise DecodeFailed(
            "PDF text without a character map (fonts lack ToUnicode): run OCR first",
            source=source,
        )


# -- headers, footers, page numbers ---------------------------------------------


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _in_band(line: _Line, page: _Page) -> bool:
    return line.y1 >= page.height * (1 - _BAND) or line.y0 <= page.height * _BAND


def _drop_margins(pages: list[_Page]) -> None:
    """Drop page numbers and running headers and footers from ``pages``: band lines
    whose text (digits aside) stands in a band on two or more pages."""
    seen: dict[str, set[int]] = {}
    for page in pages:
        for box in page.boxes:
            for line in box.lines:
                if _in_band(line, page):
                    line.key = _margin_key(line.text)
                    seen.setdefault(line.key, set()).add(page.number)
    repeated = {key for key, on in seen.items() if len(on) >= 2}
    for page in pages:
        for box in page.boxes:
            box.lines = [
                line
                for line in box.lines
                if not line.key or (line.key not in repeated and not _is_page_number(line.text))
            ]
        page.boxes = [box for box in page.boxes if box.lines]


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(text))


# -- paragraphs ---------------------------------------------------------------


@dataclass(slots=True)
class _Paragraph:
    """A paragraph's text, the pages it starts and ends on, and (offset, page) where it
    runs on to another page."""

    text: str
    page: int
    last_page: int
    breaks: list[tuple[int, int]] = field(default_factory=list)


def _paragraphs(pages: Sequence[_Page]) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    for page in pages:
        for box in page.boxes:
            for index, text in enumerate(_box_paragraphs(box)):
                last = out[-1] if out else None
                if index == 0 and last is not None and _runs_on(last.text, text):
                    if page.number != last.last_page:
                        last.breaks.append((len(last.text) + 1, page.number))
                        last.last_page = page.number
                    last.text = f"{last.text} {text}"
                else:
                    out.append(_Paragraph(text, page.number, page.number))
    return out


def _runs_on(before: str, after: str) -> bool:
    """Whether ``after`` continues the sentence ``before`` leaves open."""
    return not _TERMINAL.search(before) and after[:1].islower()


def _box_paragraphs(box: _Box) -> Iterator[str]:
    """The paragraphs of a text box: its lines joined, split where the type size
    changes (a heading) and after a line that ends a sentence short of the box's right
    edge by more than the next line's first word: a wrap would have taken that word."""
    current: list[str] = []
    for line, following in zip(box.lines, [*box.lines[1:], None], strict=True):
        current.append(line.text)
        if following is None or _breaks(line, following, box):
            yield _join_lines(current)
            current = []


def _breaks(line: _Line, following: _Line, box: _Box) -> bool:
    if abs(following.size - line.size) > 0.15 * max(line.size, following.size, 1.0):
        return True
    if not _TERMINAL.search(line.text):
        return False
    per_char = (following.x1 - following.x0) / max(len(following.text), 1)
    first_word = following.text.split(" ", 1)[0]
    return box.x1 - line.x1 > per_char * (len(first_word) + 1.5)


def _join_lines(lines: Sequence[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            # A word broken at the line end: mended, its hyphen kept before a capital
            # ("al-" "Nusra"), dropped before a lower-case rest ("displace-" "ment").
            text = (text[:-1] if line[:1].islower() else text) + line
        else:
            text = f"{text} {line}"
    return text


def _assemble(paragraphs: Sequence[_Paragraph], page_count: int) -> tuple[str, tuple[int, ...]]:
    """The body (paragraphs, blank lines between) and the offset where each page starts
    in it; a page without text starts where the next one does."""
    starts: dict[int, int] = {}
    parts: list[str] = []
    at = 0
    for paragraph in paragraphs:
        starts.setdefault(paragraph.page, at)
        for offset, page in paragraph.breaks:
            starts.setdefault(page, at + offset)
        parts.append(paragraph.text)
        at += len(paragraph.text) + 2
    body = "\n\n".join(parts)
    result: list[int] = []
    following = len(body)
    for page in range(page_count, 0, -1):
        following = min(starts.get(page, following), following)
        result.append(following)
    result.reverse()
    if result:
        result[0] = 0
    return body, tuple(result)


# -- metadata -----------------------------------------------------------------


def _hints(document: PDFDocument, pages: Sequence[_Page], first_page: str) -> Hints:
    info = _info(document)
    xmp = _xmp(document)
    title = _usable_title(info.get("Title")) or _usable_title(xmp.get("title"))
    title = title or _first_page_title(pages)
    author = usable_author(info.get("Author")) or usable_author(xmp.get("creator"))
    published: str | None = None
    precision: DatePrecision | None = None
    if extract_metadata(first_page).published is None:
        for raw in (info.get("CreationDate"), xmp.get("created")):
            parsed = _pdf_date(raw)
            if parsed is not None:
                published, precision = parsed
                break
    return Hints(title=title, author=author, published=published, published_precision=precision)


def _info(document: PDFDocument) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in document.info:
        for key, value in pdftypes.dict_value(entry).items():
            text = _text(value)
            if text and key not in found:
                found[str(key)] = text
    return found


def _text(value: object) -> str | None:
    value = pdftypes.resolve1(value)
    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, str):
        text = value
    else:
        return None
    return " ".join(text.replace("\x00", "").split()) or None


def _xmp(document: PDFDocument) -> dict[str, str]:
    stream = pdftypes.resolve1(document.catalog.get("Metadata"))
    if not isinstance(stream, pdftypes.PDFStream):
        return {}
    try:
        data = stream.get_data()
        if len(data) > _XMP_MAX_BYTES:
            return {}
        root = ET.fromstring(data)
    except (ET.ParseError, PDFException, ValueError):
        return {}
    found: dict[str, str] = {}
    for name, path in (
        ("title", ".//dc:title//rdf:li"),
        ("creator", ".//dc:creator//rdf:li"),
        ("created", ".//xmp:CreateDate"),
    ):
        node = root.find(path, _XMP_NS)
        if node is not None and node.text and node.text.strip():
            found[name] = " ".join(node.text.split())
    if "created" not in found:
        for node in root.iter():
            created = node.get(f"{{{_XMP_NS['xmp']}}}CreateDate")
            if created:
                found["created"] = created
                break
    return found


def _usable_title(value: str | None) -> str | None:
    if not value or len(value) > _TITLE_MAX_CHARS or _PLACEHOLDER_TITLE.fullmatch(value):
        return None
    return value if any(ch.isalpha() for ch in value) else None


def usable_author(value: str | None) -> str | None:
    """``value`` unless it is empty or a placeholder ("Administrator", "user")."""
    if not value or value.casefold() in _PLACEHOLDER_AUTHORS:
        return None
    return value if any(ch.isalpha() for ch in value) else None


def _first_page_title(pages: Sequence[_Page]) -> str | None:
    """The run of lines in the largest type on the upper half of the first page, when
    that type is clearly larger than the body's."""
    page = next((page for page in pages if page.boxes), None)
    if page is None:
        return None
    lines = [line for box in page.boxes for line in box.lines]
    body_size = statistics.median(line.size for line in lines)
    upper = [line for line in lines if line.y1 >= page.height / 2]
    if not upper:
        return None
    largest = max(line.size for line in upper)
    if largest < _TITLE_SIZE * body_size:
        return None
    run: list[str] = []
    for line in lines:
        if line in upper and abs(line.size - largest) <= 0.05 * largest:
            run.append(line.text)
        elif run:
            break
    title = _join_lines(run) if run else ""
    return _usable_title(title)


def _pdf_date(value: str | None) -> tuple[str, DatePrecision] | None:
    """A PDF date ("D:20240315093000+01'00'") or an XMP one ("2024-03-15T09:30:00")."""
    if not value:
        return None
    match = _PDF_DATE.match(value.replace("-", "")[:10])
    if not match:
        return None
    year, month, day = match.groups()
    if not 1990 <= int(year) <= 2100:
        return None
    try:
        if month and day:
            return date(int(year), int(month), int(day)).isoformat(), "day"
        if month:
            return date(int(year), int(month), 1).isoformat(), "month"
    except ValueError:
        return None
    return f"{year}-01-01", "year"

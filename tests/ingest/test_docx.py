"""Word reports: paragraphs, headings and tables in order, core properties, bad files.

Every .docx here is written at test time with python-docx; the sentences are made up."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from ember.errors import IngestError
from ember.ingest import Prepared, RawDocument, Rejection, Source, build_document, read_source
from ember.ingest.office import read_docx
from ember.settings import Settings


def report(*, title: str | None = "Valley Access Update") -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.title = title or ""
    props.author = "Humanitarian Access Cell"
    props.created = datetime(2024, 6, 20, 10, 0, tzinfo=UTC)
    document.add_heading("Valley Access Update", level=0)
    document.add_heading("Road closures", level=1)
    paragraph = document.add_paragraph(
        "Armed men closed the road between Sirat and the upper valley on 17 June"
    )
    mark = paragraph.add_run("4")
    mark.font.superscript = True
    paragraph.add_run(", and aid convoys turned back, the access cell said.")
    highlighted = document.add_paragraph("Two checkpoints were reported near the bridge. ")
    highlighted.add_run(
        "Both were staffed by the same unit."
    ).font.highlight_color = WD_COLOR_INDEX.YELLOW
    document.add_heading("Incidents by district", level=1)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [("District", "Incidents", "Killed"), ("Sirat", "4", "2"), ("Upper valley", "1", "0")],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("The cell will publish its next update in July.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(data: bytes, settings: Settings | None = None) -> RawDocument:
    return read_docx("update.docx", data, settings=settings or Settings())


def reason(data: bytes, settings: Settings | None = None) -> str:
    with pytest.raises(IngestError) as caught:
        read(data, settings)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


def test_paragraphs_headings_and_tables_come_in_order_one_per_line() -> None:
    lines = read(report()).body.split("\n\n")
    assert lines[:3] == [
        "Valley Access Update",
        "Road closures",
        "Armed men closed the road between Sirat and the upper valley on 17 June, "
        "and aid convoys turned back, the access cell said.",
    ]
    assert "Two checkpoints were reported near the bridge. Both were staffed by the same unit." in (
        lines
    )
    rows = lines[lines.index("Incidents by district") + 1 :]
    assert rows == [
        "District | Incidents | Killed",
        "Sirat | 4 | 2",
        "Upper valley | 1 | 0",
        "The cell will publish its next update in July.",
    ]


def test_core_properties_give_title_author_and_date() -> None:
    hints = read(report()).hints
    assert hints.title == "Valley Access Update"
    assert hints.author == "Humanitarian Access Cell"
    assert (hints.published, hints.published_precision) == ("2024-06-20", "day")


def test_without_a_core_title_the_title_style_names_the_report() -> None:
    assert read(report(title=None)).hints.title == "Valley Access Update"


def test_a_docx_becomes_a_document(tmp_path: Path) -> None:
    path = tmp_path / "update.docx"
    path.write_bytes(report())
    settings = Settings()
    (raw,) = read_source(Source(str(path), "docx"), settings=settings)
    assert isinstance(raw, RawDocument)
    built = build_document(raw, settings=settings)
    assert isinstance(built, Prepared), built
    doc = built.document
    assert doc.format == "docx" and doc.title == "Valley Access Update" and doc.pages is None
    assert doc.text.startswith("Road closures")
    assert doc.published == "2024-06-20"


def test_bytes_that_are_not_a_zip_are_refused() -> None:
    assert reason(b"just some text saved as .docx").startswith("malformed DOCX: not a zip file")


def test_a_truncated_docx_is_refused() -> None:
    data = report()
    assert reason(data[: len(data) // 2]).startswith("malformed DOCX")


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a word file")
    assert reason(out.getvalue()) == "malformed DOCX: a zip file, but not a Word document"


def test_a_zip_bomb_is_refused_before_it_inflates() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    settings = replace(Settings(), max_decompressed_bytes=1024 * 1024)
    assert "zip bomb" in reason(out.getvalue(), settings)


def test_broken_xml_inside_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(report()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            archive.writestr(item, data)
    assert reason(out.getvalue()).startswith("malformed DOCX")


def test_read_source_turns_a_bad_docx_into_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    (item,) = read_source(Source(str(path), "docx"), settings=Settings())
    assert isinstance(item, Rejection) and item.reason.startswith("malformed DOCX")

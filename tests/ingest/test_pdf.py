"""PDF reports: reading order, margins, footnote marks, metadata, page map, hostile files.

Every PDF here is written at test time (fpdf2, or by hand for malformed ones); the
sentences are made up for these tests."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF

from ember.errors import IngestError
from ember.ingest import Prepared, RawDocument, Rejection, Source, build_document, read_source
from ember.ingest.pages import map_pages, page_label, page_of
from ember.ingest.pdf import read_pdf
from ember.records import Document
from ember.settings import Settings

HEADER = "Lowland Security Bulletin"

LEFT = (
    "Gunmen on motorcycles raided a grain store outside Tamsil on the night of 4 May, "
    "and residents said the attackers took sacks of millet before leaving northward. "
)
RIGHT = (
    "Farther east, a roadside device struck a water truck near the Odeka crossing, "
    "wounding its driver, according to a clinic worker who treated him. "
)
PAGE_THREE = "The bulletin closes with a note on the reopening of the Odeka market after repairs."


class Bulletin(FPDF):
    """A report with a running header (not on the cover) and a page-number footer."""

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, HEADER, align="C")
            self.ln(12)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def bulletin(*, title: str | None = "Lowland Security Bulletin No. 7") -> FPDF:
    pdf = Bulletin()
    if title:
        pdf.set_title(title)
    pdf.set_author("Monitoring Desk")
    pdf.set_creation_date(datetime(2023, 5, 12, 9, 30, tzinfo=UTC))
    pdf.set_font("Helvetica", size=10)
    # Page 1: a headline in large type, then a paragraph with a footnote mark.
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=22)
    pdf.multi_cell(0, 10, "Raids on Grain Stores Spread South")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    pdf.write(5, "Three grain stores were looted in the district during the first week of May")
    pdf.char_vpos = "SUP"
    pdf.write(5, "12")
    pdf.char_vpos = "LINE"
    pdf.write(5, ", and two guards were beaten, the district office said in a statement.")
    pdf.ln(12)
    # Pages 2 and 3: two columns each.
    for page in (2, 3):
        pdf.add_page()
        top = pdf.get_y()
        pdf.set_xy(10, top)
        pdf.multi_cell(90, 4.5, (LEFT * 3) + f"Left column ends on page {page}.")
        pdf.set_xy(110, top)
        pdf.multi_cell(90, 4.5, (RIGHT * 3) + f"Right column ends on page {page}.")
    pdf.add_page()
    pdf.multi_cell(0, 5, PAGE_THREE)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def read(data: bytes, settings: Settings | None = None) -> RawDocument:
    return read_pdf("report.pdf", data, settings=settings or Settings())


def reason(data: bytes, settings: Settings | None = None) -> str:
    with pytest.raises(IngestError) as caught:
        read(data, settings)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


def prepared(data: bytes, tmp_path: Path) -> Document:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    settings = Settings()
    (raw,) = read_source(Source(str(path), "pdf"), settings=settings)
    assert isinstance(raw, RawDocument), raw
    built = build_document(raw, settings=settings)
    assert isinstance(built, Prepared), built
    return built.document


# -- text ---------------------------------------------------------------------


def test_two_columns_read_left_then_right_page_by_page() -> None:
    body = read(pdf_bytes(bulletin())).body
    order = [
        body.index("Left column ends on page 2"),
        body.index("Farther east"),
        body.index("Right column ends on page 2"),
        body.index("Left column ends on page 3"),
        body.index("Right column ends on page 3"),
        body.index("reopening of the Odeka market"),
    ]
    assert order == sorted(order)
    # A column's lines are one paragraph, not mixed with the other column's.
    assert "Gunmen on motorcycles raided a grain store outside Tamsil on the night" in body
    assert "northward. Gunmen" in body


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    body = read(pdf_bytes(bulletin(title=None))).body
    assert HEADER not in body
    assert not re.search(r"Page \d+ of \d+", body)
    assert not any(line.strip().isdigit() for line in body.splitlines())


def test_superscript_footnote_marks_are_dropped() -> None:
    body = read(pdf_bytes(bulletin())).body
    assert "first week of May, and two guards" in body
    assert "May12" not in body and "May 12" not in body


def test_unicode_superscript_marks_glued_to_words_are_dropped() -> None:
    font = _dejavu()
    if font is None:
        pytest.skip("no Unicode TTF font on this machine")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=font)
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, "Clashes displaced four hundred families from the valley.³ Aid followed.")
    assert "valley. Aid followed." in read(pdf_bytes(pdf)).body


def _dejavu() -> str | None:
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ):
        if Path(path).exists():
            return path
    return None


def test_a_line_broken_with_a_hyphen_is_mended() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 5, "The monitors counted the displace-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, "ment of villagers from al-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, "Rashid and nearby hamlets over the spring.", new_x="LMARGIN", new_y="NEXT")
    assert "displacement of villagers from al-Rashid and nearby" in read(pdf_bytes(pdf)).body


# -- metadata -----------------------------------------------------------------


def test_title_author_and_date_come_from_the_info_dictionary() -> None:
    hints = read(pdf_bytes(bulletin())).hints
    assert hints.title == "Lowland Security Bulletin No. 7"
    assert hints.author == "Monitoring Desk"
    assert (hints.published, hints.published_precision) == ("2023-05-12", "day")


def test_without_an_info_title_the_largest_type_on_the_first_page_is_the_title() -> None:
    assert read(pdf_bytes(bulletin(title=None))).hints.title == "Raids on Grain Stores Spread South"


def test_a_placeholder_title_gives_way_to_the_first_page() -> None:
    pdf = bulletin(title="Microsoft Word - bulletin_final_v3.docx")
    assert read(pdf_bytes(pdf)).hints.title == "Raids on Grain Stores Spread South"


def test_a_date_the_first_page_states_wins_over_the_creation_date(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2025, 1, 2, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=20)
    pdf.multi_cell(0, 10, "Ferry Route Suspended", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "Published 14 February 2024", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "The ferry between the two river ports stopped running after gunmen "
                   "fired on a crossing, the port authority said on Tuesday.")  # fmt: skip
    data = pdf_bytes(pdf)
    assert read(data).hints.published is None
    assert prepared(data, tmp_path).published == "2024-02-14"


def test_xmp_metadata_fills_what_the_info_dictionary_lacks() -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2022-11-03T08:00:00Z">'
        b"<dc:title><rdf:Alt><rdf:li>Border Crossings Review</rdf:li></rdf:Alt></dc:title>"
        b"<dc:creator><rdf:Seq><rdf:li>Regional Observatory</rdf:li></rdf:Seq></dc:creator>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    content = b"BT /F1 12 Tf 72 700 Td (Traffic at the northern crossing fell by half.) Tj ET"
    data = one_page(content, extra=[
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
        + xmp + b"\nendstream",
    ])  # fmt: skip
    hints = read(data).hints
    assert hints.title == "Border Crossings Review"
    assert hints.author == "Regional Observatory"
    assert (hints.published, hints.published_precision) == ("2022-11-03", "day")


# -- the page map ---------------------------------------------------------------


def test_evidence_cites_the_page_it_stands_on(tmp_path: Path) -> None:
    doc = prepared(pdf_bytes(bulletin()), tmp_path)
    assert doc.format == "pdf" and doc.pages is not None and len(doc.pages) == 4
    assert doc.title == "Lowland Security Bulletin No. 7"
    assert page_of(doc, doc.text.index("two guards were beaten")) == 1
    assert page_of(doc, doc.text.index("Left column ends on page 2")) == 2
    assert page_of(doc, doc.text.index("Right column ends on page 3")) == 3
    assert page_label(doc, doc.text.index("reopening of the Odeka")) == "p. 4"


def test_a_paragraph_running_on_to_the_next_page_is_joined_and_split_in_the_map(
    tmp_path: Path,
) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    line = "Patrol log entry {} notes a quiet night at the eastern gate."
    sentences = [line.format(n) for n in range(130)]
    pdf.multi_cell(0, 5, " ".join(sentences))
    doc = prepared(pdf_bytes(pdf), tmp_path)
    assert doc.pages is not None and len(doc.pages) == 2
    assert "\n" not in doc.text  # one paragraph across the page break
    assert page_of(doc, 0) == 1
    assert page_of(doc, doc.text.index("entry 129")) == 2
    assert doc.text[doc.pages[1] - 1] == " "


def test_map_pages_follows_cleaning() -> None:
    body = "Dropped banner\n\nFirst kept paragraph.\n\nSecond page paragraph.\n\nThird page."
    text = "First kept paragraph.\n\nSecond page paragraph.\n\nThird page."
    starts = (0, body.index("Second"), body.index("Third"))
    assert map_pages(body, starts, text) == (0, text.index("Second"), text.index("Third"))
    # A page whose only line was dropped starts where the next kept text does.
    assert map_pages(body, (0, 3, body.index("Third")), text)[1] == 0


def test_page_of_without_pages_or_outside_the_text_is_none() -> None:
    doc = Document(id="x", source="a.txt", text="Some text.", format="text")
    assert page_of(doc, 3) is None
    assert page_of(replace(doc, pages=(0, 5)), 50) is None
    assert page_of(replace(doc, pages=(0, 5)), 7) == 2


# -- what cannot be read ------------------------------------------------------------


def test_an_encrypted_pdf_needs_its_password() -> None:
    pdf = bulletin()
    pdf.set_encryption(owner_password="owner-secret", user_password="reader-secret")
    assert reason(pdf_bytes(pdf)).startswith("encrypted PDF")


def test_an_encrypted_pdf_with_an_empty_user_password_is_read() -> None:
    pdf = bulletin()
    pdf.set_encryption(owner_password="owner-secret")
    assert "Odeka market" in read(pdf_bytes(pdf)).body


def test_a_scanned_pdf_without_a_text_layer_says_so() -> None:
    from PIL import Image

    pdf = FPDF()
    for shade in (90, 160):
        pdf.add_page()
        picture = io.BytesIO()
        Image.new("L", (200, 280), shade).save(picture, format="PNG")
        pdf.image(picture, x=10, y=10, w=190)
    assert reason(pdf_bytes(pdf)) == "no text layer: scanned PDF? run OCR first"


@pytest.mark.parametrize("keep", [0.5, 0.1, 0.02])
def test_a_truncated_pdf_gives_a_reason(keep: float) -> None:
    data = pdf_bytes(bulletin())
    assert reason(data[: int(len(data) * keep)]) == "truncated PDF: unexpected end of file"


def test_bytes_that_are_not_a_pdf_say_so() -> None:
    assert reason(b"<html><body>not a pdf</body></html>") == "not a PDF (no %PDF- header)"
    assert reason(b"%PDF-1.4\n garbage without objects\n").startswith(("malformed PDF", "PDF"))


def test_over_the_page_cap_is_refused() -> None:
    settings = replace(Settings(), pdf_max_pages=3)
    assert reason(pdf_bytes(bulletin()), settings) == "PDF has over 3 pages (page cap)"


def test_over_the_time_cap_is_refused() -> None:
    settings = replace(Settings(), pdf_timeout_s=0.0)
    assert "time cap" in reason(pdf_bytes(bulletin()), settings)


def hand_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF of ``objects`` (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref,
    )  # fmt: skip
    return bytes(out)


def one_page(content: bytes, *, flate: bool = False, extra: list[bytes] | None = None) -> bytes:
    """A one-page PDF showing ``content``; ``extra`` (object 6) is the XMP packet."""
    stream = zlib.compress(content) if flate else content
    filters = b" /Filter /FlateDecode" if flate else b""
    metadata = b" /Metadata 6 0 R" if extra else b""
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % metadata,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *(extra or []),
    ])  # fmt: skip


def test_a_hand_written_pdf_is_read() -> None:
    content = b"BT /F1 12 Tf 72 700 Td (Shelling hit the old quarter of Varna overnight.) Tj ET"
    assert read(one_page(content)).body == "Shelling hit the old quarter of Varna overnight."


def test_a_flate_bomb_stops_at_the_decompression_cap() -> None:
    content = b"BT /F1 12 Tf 72 700 Td (Filler.) Tj ET\n" + b" " * (8 * 1024 * 1024)
    settings = replace(Settings(), max_decompressed_bytes=1024 * 1024)
    assert "compression bomb" in reason(one_page(content, flate=True), settings)


def test_a_page_tree_that_lies_about_its_count_and_nests_deeply_gives_a_reason() -> None:
    depth = 3000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 999999999 >>" % (number + 1))
    objects.append(b"<< /Type /Page /MediaBox [0 0 612 792] >>")
    message = reason(hand_pdf(objects))
    assert message.startswith(("malformed PDF", "PDF without"))


def test_deeply_nested_arrays_give_a_reason_in_time() -> None:
    nested = b"[" * 200_000 + b"]" * 200_000
    data = hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Junk " + nested + b" >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])  # fmt: skip
    settings = replace(Settings(), pdf_timeout_s=20.0)
    message = reason(data, settings)
    assert message.startswith(("malformed PDF", "PDF without", "PDF took"))


def test_read_source_turns_a_broken_pdf_into_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (item,) = read_source(Source(str(path), "pdf"), settings=Settings())
    assert isinstance(item, Rejection) and "\n" not in item.reason

"""A folder as analysts keep one: PDF reports (one in two justified columns, with a
running header and page numbers), a Word file and a saved web page, read by
``ember --db URL ingest DIR``; an event and a figure from page 2 of the PDF cite "p. 2"
in every export, the report and the app, and a search finds the village however a
report spells it.

Every file is written at test time (fpdf2, python-docx); the sentences are made up."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from fpdf import FPDF

from ember.cli import cli
from ember.ingest.pdf import read_pdf
from ember.settings import Settings
from ember.store import Store
from ember.web import create_app

RUNNING_HEADER = "Valley Monitoring Cell - Monthly Report"
# The attack, told on page 2 in the left column (twice: the second telling ends the
# column); the figure in the right column. Justified type spreads the words of a
# short line far apart: pdfminer reads such a line in pieces.
ATTACK = (
    "On 5 March 2019, Islamic State militants attacked a checkpoint of the Syrian "
    "Democratic Forces near Baghuz, killing four fighters, local officials said."
)
LEFT = ATTACK + " Residents of the village said the fighting went on until dawn. "
FIGURE = (
    "the committee said that about 1,500 fighters remained in the last pocket on 10 March 2019."
)
RIGHT = f"Farther north, {FIGURE} Aid workers said the camps to the north were overcrowded. "
COVER = (
    "This report covers March 2019 in the Euphrates valley. Markets in the valley towns "
    "reopened after the winter floods, and traders returned to the river road."
)
HTML_ATTACK = (
    "On 7 March 2019, fighters of the Syrian Democratic Forces clashed with Islamic State "
    "militants in Baguz, killing three fighters, a spokesman said."
)
DOCX_ATTACK = (
    "On 12 March 2019, Daesh fighters shelled a village near Hajin, killing two civilians, "
    "residents said."
)
BRIEFING_ATTACK = (
    "Coalition aircraft struck an Islamic State position near Hajin on 18 February 2019, "
    "killing six militants, the coalition said."
)


class MonthlyReport(FPDF):
    """A running header from page 2 on and "Page N of M" at the foot of every page."""

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, RUNNING_HEADER, align="C")
            self.ln(12)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def monthly_report() -> bytes:
    pdf = MonthlyReport()
    pdf.set_title("Valley Monitoring Cell: March 2019")
    pdf.set_author("Valley Monitoring Cell")
    pdf.set_creation_date(datetime(2019, 3, 28, 9, 0, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=20)
    pdf.multi_cell(0, 10, "Monthly Report on the Euphrates Valley")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, COVER)
    # Page 2: two justified columns (fpdf2's multi_cell justifies by default).
    pdf.add_page()
    top = pdf.get_y()
    pdf.set_xy(10, top)
    pdf.multi_cell(90, 4.5, LEFT * 2 + "The left column ends here.")
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 4.5, RIGHT * 2 + "The right column ends here.")
    pdf.add_page()
    pdf.multi_cell(0, 5, "The report closes with notes on the reopening of schools in the valley.")
    return bytes(pdf.output())


def briefing() -> bytes:
    pdf = FPDF()
    pdf.set_title("Briefing on Hajin")
    pdf.set_creation_date(datetime(2019, 2, 20, 8, 0, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, f"Briefing on Hajin.\n\n{BRIEFING_ATTACK}")
    return bytes(pdf.output())


def field_note() -> bytes:
    note = docx.Document()
    note.core_properties.title = "Field note: Deir ez-Zor"
    note.core_properties.author = "Field Desk"
    note.core_properties.created = datetime(2019, 3, 15, tzinfo=UTC)
    note.add_heading("Field note: Deir ez-Zor", level=0)
    note.add_paragraph(DOCX_ATTACK)
    out = io.BytesIO()
    note.save(out)
    return out.getvalue()


WEB_PAGE = f"""<!doctype html><html><head><title>Clashes at Baguz</title>
<meta name="author" content="Valley Courier">
<meta property="article:published_time" content="2019-03-08"></head>
<body><article><h1>Clashes at Baguz</h1><p>{HTML_ATTACK}</p>
<p>The spokesman said the offensive would go on until the last pocket fell.</p>
</article></body></html>"""


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@dataclass(frozen=True)
class Ingested:
    folder: Path
    url: str
    summary: str


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    base = tmp_path_factory.mktemp("folder")
    folder = base / "reports"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "monthly.pdf").write_bytes(monthly_report())
    (folder / "pdf" / "briefing.pdf").write_bytes(briefing())
    (folder / "note.docx").write_bytes(field_note())
    (folder / "baguz.html").write_text(WEB_PAGE, encoding="utf-8")
    url = f"sqlite:///{base / 'folder.db'}"
    # The global --db, before the command.
    summary = run("--db", url, "ingest", str(folder), "-q")
    return Ingested(folder=folder, url=url, summary=summary)


def _jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _by_file(rows: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        found.setdefault(Path(str(row["source"])).name, []).append(row)
    return found


def _attack(rows: list[dict[str, object]]) -> dict[str, object]:
    (attack,) = [row for row in rows if str(row["text"]).startswith("On 5 March 2019")]
    return attack


# -- reading the PDF ------------------------------------------------------------


def test_justified_columns_read_whole_lines_in_order() -> None:
    """pdfminer breaks a widely spaced justified line into pieces and sets some apart
    as boxes of their own; each line is read whole, columns left then right."""
    body = read_pdf("monthly.pdf", monthly_report(), settings=Settings()).body
    assert body.count(ATTACK) == 2 and body.count(FIGURE) == 2
    assert body.index("The left column ends here.") < body.index("Farther north")
    assert "\n\nfour\n\n" not in body and "killing local" not in body
    assert RUNNING_HEADER not in body and "Page 2 of 3" not in body


# -- the folder, end to end -----------------------------------------------------


@pytest.mark.slow
def test_every_format_in_the_folder_is_stored(ingested: Ingested) -> None:
    assert "stored 4, duplicates 0, near-duplicates 0, rejected 0" in ingested.summary
    documents = _by_file(_jsonl(run("--db", ingested.url, "export", "documents")))
    assert sorted(documents) == ["baguz.html", "briefing.pdf", "monthly.pdf", "note.docx"]
    (monthly,) = documents["monthly.pdf"]
    assert monthly["title"] == "Valley Monitoring Cell: March 2019"
    assert monthly["author"] == "Valley Monitoring Cell"
    assert monthly["published"] == "2019-03-28"
    assert RUNNING_HEADER not in str(monthly["text"]) and "Page 2" not in str(monthly["text"])
    (note,) = documents["note.docx"]
    assert (note["title"], note["author"]) == ("Field note: Deir ez-Zor", "Field Desk")
    (page,) = documents["baguz.html"]
    assert page["published"] == "2019-03-08"


@pytest.mark.slow
def test_events_and_claims_from_page_two_cite_it_in_every_export(
    ingested: Ingested, tmp_path: Path
) -> None:
    events = _by_file(_jsonl(run("--db", ingested.url, "export", "events")))
    attack = _attack(events["monthly.pdf"])
    assert attack["page"] == 2
    assert attack["event_type"] == "Battles" and attack["fatalities"] == 4
    assert attack["date"] == {"start": "2019-03-05", "end": "2019-03-05", "precision": "day"}
    (briefed,) = events["briefing.pdf"]
    assert briefed["page"] == 1
    # Documents without pages cite none.
    assert [row["page"] for row in events["note.docx"] + events["baguz.html"]] == [None, None]

    out = tmp_path / "events.csv"
    run("--db", ingested.url, "export", "events", "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    (row,) = [r for r in rows if r["id"] == attack["id"]]
    assert row["page"] == "2"
    geojson = json.loads(run("--db", ingested.url, "export", "events", "--format", "geojson"))
    (feature,) = [f for f in geojson["features"] if f["id"] == attack["id"]]
    assert feature["properties"]["page"] == 2

    claims = _by_file(_jsonl(run("--db", ingested.url, "export", "claims")))
    figures = [c for c in claims["monthly.pdf"] if c["value_low"] == 1500]
    assert figures and {c["page"] for c in figures} == {2}


@pytest.mark.slow
def test_the_report_and_the_event_page_cite_page_two(ingested: Ingested, tmp_path: Path) -> None:
    events = _by_file(_jsonl(run("--db", ingested.url, "export", "events")))
    attack = _attack(events["monthly.pdf"])
    out = tmp_path / "report.html"
    run("--db", ingested.url, "report", "--out", str(out))
    assert '<span class="page-cite">p. 2</span>' in out.read_text(encoding="utf-8")
    with TestClient(create_app(ingested.url)) as client:
        page = client.get(f"/events/{attack['id']}")
        assert page.status_code == 200
        assert f'{attack["text"]} <span class="page-cite" id="record-page">p. 2</span>' in page.text
        document = client.get(f"/documents/{attack['doc_id']}").text
        assert '<span class="page-cite">p. 2</span>' in document
        (api_event,) = [
            e for e in client.get("/api/events?limit=50").json()["items"] if e["id"] == attack["id"]
        ]
        assert api_event["page"] == 2
        # The API shows the source relative to the folder ingested.
        assert api_event["source"] == "pdf/monthly.pdf"


@pytest.mark.slow
def test_search_finds_the_village_in_the_pdf_and_the_page(ingested: Ingested) -> None:
    with Store.open(ingested.url) as store:
        for query in ("Baghouz", "Baguz", "Baghuz"):
            found = {Path(hit.source).name for hit in store.search_documents(query).hits}
            assert {"monthly.pdf", "baguz.html"} <= found, query
        # A prefix matches words as written: the PDF's "Baghuz".
        found = {Path(hit.source).name for hit in store.search_documents("Bagh*").hits}
        assert "monthly.pdf" in found
        daesh = {Path(hit.source).name for hit in store.search_documents("ISIS").hits}
        assert "note.docx" in daesh  # it names Daesh only
    with TestClient(create_app(ingested.url)) as client:
        page = client.get("/search", params={"q": "Baghouz"}).text
        assert "pdf/monthly.pdf" in page and "baguz.html" in page
        # The place filter by any spelling: the PDF's Baghuz and the page's Baguz.
        placed = client.get("/api/events", params={"place": "Baguz"}).json()["items"]
        assert {Path(e["source"]).name for e in placed} == {"monthly.pdf", "baguz.html"}
        listed = client.get("/events", params={"place": "Baghouz"}).text
        assert listed.count('class="review-link"') == 2
        for path in ("/documents", "/actors", "/places"):
            assert client.get(path).status_code == 200, path
        assert "Valley Monitoring Cell: March 2019" in client.get("/documents").text

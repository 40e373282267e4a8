"""``ember report``: one self-contained HTML file that works offline.

The data comes from ``report/views.py`` (``report_data``); the page is the Jinja2
template ``templates/report.html.j2`` with autoescape on, so every string from a
document is escaped. The stylesheets and the one script (``assets/ember.css``,
``assets/assess.css``, ``assets/ember.js``) are inlined, and the data is embedded once
as JSON in a ``<script type="application/json">`` element, escaped so that no document
text can close it. Nothing is loaded from anywhere: no CDN, font, image or map tile, and
a Content-Security-Policy in the page forbids any."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..errors import ConfigError
from .views import report_data

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ReportSummary",
    "asset_text",
    "build_report",
    "by_number",
    "embed_json",
    "render_report",
    "write_report",
]

# Characters that must not appear raw in JSON inside a script element: "<" (a closing
# tag or comment), ">" and "&" (for good measure), and the two line separators that
# older JavaScript parsers treat as line ends.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSummary:
    """What a written report holds: stored events, merged events (each happening once),
    claims, documents, and the bytes written."""

    path: Path
    events: int
    merged_events: int
    claims: int
    documents: int
    bytes_written: int


def embed_json(data: Any) -> Markup:
    """``data`` as JSON safe to place inside ``<script type="application/json">``:
    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\u`` escapes, which
    ``JSON.parse`` reads back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


@cache
def asset_text(name: str) -> str:
    """The text of ``report/assets/<name>`` (``ember.js``, ``ember.css``): the web app
    serves the same files."""
    return resources.files("ember.report").joinpath("assets", name).read_text("utf-8")


def _inline(name: str, closing: str) -> Markup:
    text = asset_text(name)
    if closing in text.lower():
        raise ValueError(f"assets/{name} contains {closing!r} and cannot be inlined")
    return Markup(text)


def by_number(doc_ids: Iterable[str], numbers: Mapping[str, int]) -> list[str]:
    """Documents in the order of their citation numbers ([2][5], never [5][2])."""
    return sorted(doc_ids, key=lambda doc_id: (numbers.get(doc_id, len(numbers) + 1), doc_id))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("ember.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["by_number"] = by_number
    return environment


def render_report(data: dict[str, Any], *, generated: str | None = None) -> str:
    """The report page for ``data`` (``report_data``'s shape)."""
    numbers = {doc["id"]: doc["n"] for doc in data["documents"]}
    template = _environment().get_template("report.html.j2")
    return template.render(
        data=data,
        numbers=numbers,
        generated=generated or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        css=_inline("ember.css", "</style") + "\n" + _inline("assess.css", "</style"),
        js=_inline("ember.js", "</script"),
        data_json=embed_json(data),
    )


def build_report(store: Store, *, title: str | None = None) -> str:
    """The report of everything in ``store``, as one HTML page."""
    return render_report(report_data(store, title=title))


def write_report(store: Store, out_path: Path, *, title: str | None = None) -> ReportSummary:
    """Write the report of ``store`` to ``out_path`` (replaced whole: a reader never sees
    half a file). A ConfigError when the file cannot be written."""
    data = report_data(store, title=title)
    page = render_report(data).encode("utf-8")
    _write_atomically(out_path, page)
    summary = data["summary"]
    return ReportSummary(
        path=out_path,
        events=summary["events"],
        merged_events=summary["merged_events"],
        claims=summary["claims"],
        documents=summary["documents"],
        bytes_written=len(page),
    )


def _write_atomically(path: Path, content: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ConfigError(f"cannot write the report to {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        # mkstemp makes the file private; a report is meant to be shared like any page.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write the report to {path}: {exc.strerror or exc}") from exc

"""Opening the report in the browser with the network refused (shared by the browser tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_offline(page: Any, report_path: Path, ready: str) -> list[str]:
    """Open the report with every non-file request refused and wait for ``ready`` (a CSS
    selector); return what was asked for."""
    asked: list[str] = []

    def refuse(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            asked.append(url)
            route.abort()

    page.route("**/*", refuse)
    page.goto(report_path.as_uri())
    page.wait_for_selector(ready)
    return asked

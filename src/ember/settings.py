"""One typed ``Settings``, built once (defaults, then environment, then flags) and passed
down. Nothing in ember reads configuration at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ConfigError

__all__ = ["DEFAULT_DB_URL", "Settings", "load_settings"]

DEFAULT_DB_URL = "sqlite:///ember.db"
MB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    # Caps that keep one hostile input from exhausting the machine.
    max_file_bytes: int = 50 * MB
    max_fetch_bytes: int = 20 * MB
    max_decompressed_bytes: int = 200 * MB
    max_record_bytes: int = 20 * MB
    fetch_timeout_s: float = 20.0
    max_redirects: int = 5
    allow_private: bool = False
    follow_links: bool = False
    text_column: str | None = None
    near_duplicate_threshold: float = 0.8
    minhash_permutations: int = 128
    shingle_words: int = 3
    min_text_chars: int = 40

    def with_overrides(self, **values: Any) -> Settings:
        """Return a copy with the given non-None values set (flags win over env)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def load_settings(environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Defaults, then ``EMBER_*`` environment variables, then command-line flags."""
    env = os.environ if environ is None else environ
    settings = Settings()
    if env.get("EMBER_DB"):
        settings = settings.with_overrides(db_url=env["EMBER_DB"])
    return settings.with_overrides(**flags)

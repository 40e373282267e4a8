"""One typed ``Settings``, built once (defaults, then environment, then flags) and passed
down. Nothing in ember reads configuration at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .errors import ConfigError

__all__ = ["DEFAULT_DB_URL", "Settings", "env_name", "load_settings"]

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
    shingle_words: int = 3
    min_text_chars: int = 40
    # PDFs: more pages than this, or a parse longer than this, is refused with a reason.
    pdf_max_pages: int = 2000
    pdf_timeout_s: float = 180.0
    # ember serve: write endpoints (upload, ingest a URL) exist only when a token is set
    # (EMBER_TOKEN) and need it; an upload larger than this is refused while it streams.
    token: str | None = field(default=None, repr=False)
    max_upload_bytes: int = 10 * MB
    # One document's analysis: seconds, and the resident memory (MB) of the process
    # analysing it; over either, it is marked failed with the reason (0: no limit).
    doc_time_s: float = 120.0
    doc_memory_mb: int = 2048

    def with_overrides(self, **values: Any) -> Settings:
        """Return a copy with the given non-None values set (flags win over env)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def env_name(field_name: str) -> str:
    """``EMBER_DB`` for the database, ``EMBER_<FIELD>`` for every other setting."""
    return "EMBER_DB" if field_name == "db_url" else f"EMBER_{field_name.upper()}"


def load_settings(environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Defaults, then ``EMBER_*`` environment variables, then command-line flags."""
    env = os.environ if environ is None else environ
    from_env = {
        f.name: _parse(env_name(f.name), env[env_name(f.name)], f.default)
        for f in fields(Settings)
        if env.get(env_name(f.name), "").strip()
    }
    return Settings().with_overrides(**from_env).with_overrides(**flags)


def _parse(name: str, raw: str, default: object) -> object:
    value = raw.strip()
    try:
        if isinstance(default, bool):
            if value.lower() not in _BOOLEANS:
                raise ValueError(value)
            return _BOOLEANS[value.lower()]
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        kind = "true/false" if isinstance(default, bool) else type(default).__name__
        raise ConfigError(f"{name}={raw!r} is not a valid {kind}") from None
    return value


_BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}

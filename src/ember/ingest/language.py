"""Language identification with lingua, restricted to the languages conflict reporting
in and around the Middle East is written in, which keeps the detector small and fast."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES: tuple[str, ...] = (
    "ENGLISH", "ARABIC", "FRENCH", "GERMAN", "SPANISH", "RUSSIAN", "TURKISH", "PERSIAN",
    "URDU", "HEBREW", "ITALIAN", "PORTUGUESE", "DUTCH", "CHINESE", "SWEDISH", "INDONESIAN",
)  # fmt: skip
# Enough text to decide; lingua's cost grows with length and gains nothing past this.
_SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.strip():
        return None
    language = _detector().detect_language_of(sample)
    return None if language is None else language.iso_code_639_1.name.lower()

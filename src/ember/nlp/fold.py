"""Matching forms for names written many ways.

``fold`` is the light form every alias table matches on: Latin letters without
diacritics (other scripts transliterated), lower case, no apostrophes or ayn/hamza
marks, punctuation as spaces. ``place_key`` is a heavy transliteration key for place
names: Baghouz, Baguz, Bagouz and Baghuoz share one key, as do Deir ez-Zor, Deir
al-Zour, Deir Ezzor and Dayr az Zawr. The key only gathers candidates; whoever resolves
a name still compares the folded names and the context."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

__all__ = ["ARTICLES", "fold", "place_key"]

# Marks that transliterations of Arabic write for ayn and hamza, and apostrophes: they
# are dropped, not turned into spaces, so "Da'esh" and "Daesh" fold alike.
_APOSTROPHES = re.compile(r"['’‘`ʿʾ´ʼʻ′]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Arabic definite articles as written in Latin transliteration (al-, el-, and the
# sun-letter assimilated forms: ad-, ar-, as-, ash-, at-, az-, an-, ez-...).
ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "at",
        "et",
        "az",
        "ez",
        "an",
        "en",
        "ud",
        "us",
        "ut",
    ]
)
# An article joined to its word by a doubled sun letter: "Ezzor", "Arraqqa", "Assad".
_JOINED_ARTICLE = re.compile(r"^[aeiu]([dnrstz])\1")
# Digraph and letter equivalences of common transliteration schemes, applied in order.
_CONSONANTS = (
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "z"),
    ("th", "z"),
    ("ck", "k"),
    ("q", "k"),
    ("ph", "f"),
    ("dj", "j"),
)
_DOUBLED = re.compile(r"(.)\1+")
# Arabic ta marbuta: "Raqqah" and "Raqqa", "Hasakah" and "Hasaka".
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
# A run of vowels (y and w count as vowels after one: "Dayr", "Zawr") is one vowel
# slot: ou/u/o/w and ei/ay/e differ between schemes, the consonant frame does not.
_VOWEL_RUN = re.compile(r"[aeiou][aeiouyw]*")


def fold(text: str) -> str:
    """Lower-case ASCII matching form: "Dayr az-Zawr" -> "dayr az zawr"."""
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("", text)
    text = anyascii(text).lower()
    # anyascii writes ayn as a backtick; drop what it introduced too.
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def place_key(text: str) -> str:
    """Transliteration-insensitive key of a place name: "Deir ez-Zor" -> "darzar"."""
    words = fold(text).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    kept = [w for w in words if w not in ARTICLES] or words
    return "".join(_word_key(word, first=i == 0) for i, word in enumerate(kept))


def _word_key(word: str, *, first: bool) -> str:
    if not first:
        word = _JOINED_ARTICLE.sub(r"\1", word)
    word = _FINAL_H.sub("", word)
    for written, same in _CONSONANTS:
        word = word.replace(written, same)
    word = _DOUBLED.sub(r"\1", word)
    return _VOWEL_RUN.sub("a", word)

"""Case for text written all in capitals (telex, wire copy) or all in lower case (some
datasets): spaCy's small English model finds names by their capitals, so in such text
it tags nearly every word a name, or none.

``truecase`` gives the text back with ordinary case and the same length, character for
character, so every offset found in it holds in the original. The text is lower-cased
and tagged (the model's tagger knows most names by their lower-case form: "guatemala",
"cerezo"); proper nouns, nationality words and a sentence's first word get a capital.
Acronyms stay in capitals: short words without vowels ("FMLN"), the acronyms the actor
table knows ("ELN", "FARC", "MRTA": ``nlp.actors.known_acronyms``) and a word a name
introduces in parentheses ("... CATTLEMEN (ACDEGAM)"), so that actor names matched as
written still match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from .fold import fold

__all__ = ["needs_truecasing", "truecase", "truecase_many"]

# A text is all capitals (or all lower case) when this share of its letters are.
_SHARE = 0.95
# ...and all lower case when almost none are capitals (ordinary prose has 3-5 %).
_LOWER_SHARE = 0.005
_MIN_LETTERS = 40
# Only the tagger runs on the lower-cased text.
_TAGGING = ("tok2vec", "tagger", "attribute_ruler")
_SENTENCE_END = re.compile(r"(?:[.!?:]|^)[\"'”’)\]]*\s*$")
_VOWELS = frozenset("aeiouy")
# The full stop of an abbreviation with inner stops ("U.S. FEDERAL COURTS", "U.N."), which
# ends no sentence.
_INITIALS = re.compile(r"[A-Z](?:\.[A-Z])+\.?")
_ABBREVIATION_END = re.compile(r"(?:^|[^A-Za-z])[A-Za-z]\.[A-Za-z]\.\s*$")
# An acronym in parentheses after a name: "FRONT (FMLN)", "CATTLEMEN (ACDEGAM)".
_INTRODUCED = re.compile(r"[A-Za-z][\"'”’]?\s?\($")
_MAX_ACRONYM = 8


def needs_truecasing(text: str) -> bool:
    """Whether ``text`` is written all in capitals or all in lower case."""
    letters = [ch for ch in text if ch.isalpha() and ch.isascii()]
    if len(letters) < _MIN_LETTERS:
        return False
    upper = sum(ch.isupper() for ch in letters) / len(letters)
    return upper >= _SHARE or upper <= _LOWER_SHARE


def truecase(text: str) -> str:
    """``text`` with ordinary case (see the module's docstring); same length."""
    return next(iter(truecase_many([text])))


def truecase_many(texts: Iterable[str]) -> Iterable[str]:
    from .pipeline import load_pipeline

    nlp = load_pipeline()
    disabled = [name for name in nlp.pipe_names if name not in _TAGGING]
    originals = list(texts)
    docs = nlp.pipe((t.lower() for t in originals), disable=disabled)
    for original, doc in zip(originals, docs, strict=True):
        if len(doc.text) != len(original):  # a letter whose lower case is longer
            yield original
            continue
        lowered = doc.text  # built afresh on each access: read it once
        chars = list(lowered)
        for token in doc:
            word = original[token.idx : token.idx + len(token)]
            if _kept_acronym(word, original, token.idx):
                cased = word
            else:
                starts = _starts_sentence(lowered, token.idx)
                cased = _cased(token.text, word, token.tag_, starts)
            chars[token.idx : token.idx + len(token)] = cased
        yield "".join(chars)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - 6) : at]
    if "\n\n" in text[max(0, at - 4) : at]:
        return True
    return bool(_SENTENCE_END.search(before)) and not _ABBREVIATION_END.search(before)


def _kept_acronym(word: str, text: str, at: int) -> bool:
    """Whether a word written in capitals is an acronym to keep: one the actor table
    knows, or one a name introduces in parentheses ("LIBERATION FRONT (FMLN)")."""
    if not (word.isupper() and word.isalpha() and 2 <= len(word) <= _MAX_ACRONYM):
        return False
    if word in _known_acronyms():
        return True
    after = text[at + len(word) : at + len(word) + 1]
    return after == ")" and bool(_INTRODUCED.search(text[max(0, at - 4) : at]))


@cache
def _known_acronyms() -> frozenset[str]:
    from .actors import known_acronyms

    return known_acronyms()


def _cased(lower: str, written: str, tag: str, first: bool) -> str:
    if not lower[:1].isalpha():
        return lower
    if written.isupper() and 2 <= len(written) <= 5 and not _VOWELS & set(lower):
        return written  # an acronym written without vowels: "FMLN", "URNG"
    if _INITIALS.fullmatch(written):
        return written  # initials: "U.S.", "U.N."
    if lower == "i" or tag in ("NNP", "NNPS") or fold(lower) in _nationality_words() or first:
        return lower[:1].upper() + lower[1:]
    return lower


@cache
def _nationality_words() -> frozenset[str]:
    """Demonyms ("salvadoran", "iraqi") from ``data/geo/demonyms.tsv``."""
    text = resources.files("ember").joinpath("data/geo/demonyms.tsv").read_text("utf-8")
    return frozenset(
        fold(line.split("\t")[0])
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )

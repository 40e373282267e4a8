"""Sentence starts the layout of a page already tells, set before the parser runs (the
parser keeps them): a new paragraph after a sentence ends, a blank line, and the line
after a heading. Without them a headline runs into the lede ("New waves of terror
Following the loss of Baghouz, IS launched ...") and one quote swallows the next
paragraph, so the next stages read two statements as one.

A line break inside a sentence is not a start: hard-wrapped wire copy breaks lines
anywhere, so a break counts only after sentence-final punctuation, after a blank line,
or after a short line that ends with no punctuation at all (a heading) and is followed
by a capital letter."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

__all__ = ["PARAGRAPHS_PIPE", "add_sentence_components", "set_paragraph_starts"]

PARAGRAPHS_PIPE = "ember_paragraph_starts"
_FACTORY = "ember_paragraph_starts_v1"

# What may end a sentence at the end of a line: a full stop, a question or exclamation
# mark, or a closing quote after one of them.
_FINAL = frozenset(".!?")
_CLOSING_QUOTES = frozenset("\"'”’»")
# A heading is a short line; a wrapped line of prose is longer than this.
_HEADING_MAX_WORDS = 8


def _ends_sentence(token: Token) -> bool:
    text = token.text
    if text and text[-1] in _CLOSING_QUOTES and token.i > 0:
        before = token.doc[token.i - 1].text
        return text[:-1][-1:] in _FINAL or before[-1:] in _FINAL
    return text[-1:] in _FINAL


def _is_heading(doc: Doc, newline: Token) -> bool:
    """The line that ends at ``newline`` is short, starts its own line and ends with a
    word, not punctuation."""
    words = 0
    for i in range(newline.i - 1, -1, -1):
        token = doc[i]
        if token.is_space and "\n" in token.text:
            break
        if not token.is_punct and not token.is_space:
            words += 1
        if words > _HEADING_MAX_WORDS:
            return False
    previous = doc[newline.i - 1]
    return words > 0 and not previous.is_punct


def set_paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after each paragraph break as a sentence start."""
    for token in doc[:-1]:
        if not token.is_space or "\n" not in token.text or token.i == 0:
            continue
        after = doc[token.i + 1]
        if after.is_space:
            continue
        blank = token.text.count("\n") >= 2
        previous = doc[token.i - 1]
        heading = (
            after.text[:1].isupper() and not previous.text.isupper() and _is_heading(doc, token)
        )
        # "WANTED BY U.S.\nFEDERAL COURTS": re-cased, a lower-case word goes on the sentence.
        ended = _ends_sentence(previous) and not after.text[:1].islower()
        if blank or ended or heading:
            after.is_sent_start = True
    return doc


@Language.component(_FACTORY)
def _paragraph_starts(doc: Doc) -> Doc:
    return set_paragraph_starts(doc)


def add_sentence_components(nlp: Language) -> None:
    """Add the paragraph-start marker first, so the parser keeps its starts."""
    if PARAGRAPHS_PIPE not in nlp.pipe_names:
        nlp.add_pipe(_FACTORY, name=PARAGRAPHS_PIPE, first=True)

"""Parse-tree helpers the claim components share: a token's clause and whether a verb
has its own subject."""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["clause", "governing_verb", "has_subject"]

# Clauses that say something of their own, not a complement of the verb above them.
_SEPARATE = frozenset({"ccomp", "advcl", "parataxis"})


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` (itself when it is one)."""
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current if current.pos_ in ("VERB", "AUX") else None


def clause(token: Token) -> list[Token]:
    """The token's own phrase and the clause of the verb that governs it, without that
    verb's separate clauses (complements, adverbial clauses, coordinated clauses with
    their own subject) unless the token is inside them."""
    tokens = set(token.subtree)
    verb = governing_verb(token)
    if verb is not None:
        for child in verb.children:
            separate = child.dep_ in _SEPARATE or (child.dep_ == "conj" and has_subject(child))
            if separate and token not in child.subtree:
                continue
            tokens.update(child.subtree)
        tokens.add(verb)
    return sorted(tokens, key=lambda t: t.i)

"""Identity and near-duplicate detection.

A document's id is the hash of its cleaned text, so the same content read twice (from
two paths, a feed and its page, a rerun) has one id and is stored once. Syndicated
copies, which differ by a header, a footer or a few edits, are caught by MinHash over
word shingles with an LSH index; a candidate counts only when its estimated Jaccard
similarity reaches the threshold."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NearDuplicateIndex", "content_id", "fingerprint", "signature_bytes"]

_WORD = re.compile(r"\w+")
ID_HEX_CHARS = 16
# Named, because restoring stored values needs the scheme that produced them.
_SCHEME = "affine32"
_LSH_SLACK = 0.25


def content_id(text: str) -> str:
    """The document id: a stable hash of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_HEX_CHARS]


def _shingles(text: str, width: int) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < width:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + width]).encode() for i in range(len(words) - width + 1)}


def fingerprint(text: str, *, num_perm: int = 128, shingle_words: int = 3) -> MinHash:
    """MinHash of the text's word shingles."""
    minhash = MinHash(num_perm=num_perm, scheme=_SCHEME)
    minhash.update_batch(list(_shingles(text, shingle_words)))
    return minhash


def signature_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def _from_bytes(blob: bytes, num_perm: int) -> MinHash:
    values = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
    if values.size != num_perm:
        raise ValueError(f"stored signature has {values.size} values, expected {num_perm}")
    return MinHash(num_perm=num_perm, hashvalues=values, scheme=_SCHEME)


class NearDuplicateIndex:
    """Finds the first stored document whose text is at least ``threshold`` similar."""

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 128) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        # Banding is probabilistic: at the threshold itself it misses about one pair in
        # ten. Query at a looser threshold and decide on the estimated Jaccard instead.
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - _LSH_SLACK), num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def load(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Add ``(doc_id, signature_bytes)`` pairs, e.g. everything already stored."""
        for doc_id, blob in rows:
            self.add(doc_id, _from_bytes(blob, self.num_perm))

    def add(self, doc_id: str, minhash: MinHash) -> None:
        if doc_id in self._signatures:
            return
        self._lsh.insert(doc_id, minhash)
        self._signatures[doc_id] = minhash
        self._order[doc_id] = len(self._order)

    def find(self, minhash: MinHash) -> str | None:
        """The earliest indexed document similar enough to ``minhash``, or None."""
        matches = [
            doc_id
            for doc_id in self._lsh.query(minhash)
            if self._signatures[doc_id].jaccard(minhash) >= self.threshold
        ]
        return min(matches, key=self._order.__getitem__) if matches else None

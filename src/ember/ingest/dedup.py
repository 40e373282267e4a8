"""Identity and near-duplicate detection.

A document's id is the hash of its cleaned text, so the same content read twice (from
two paths, a feed and its page, a rerun) has one id and is stored once. Syndicated
copies, which differ by a header, a footer or a few edits, are caught by MinHash over
word shingles with locality-sensitive hashing: the signature is cut into bands, each
band hashed to a key, and documents sharing a key are candidates. A candidate counts
only when the signatures' estimated Jaccard similarity reaches the threshold.

The keys live in the store (``document_bands``), not in memory, so memory stays flat
however many documents are stored. This module only computes; it keeps no state."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

__all__ = [
    "BANDS",
    "ROWS",
    "band_keys",
    "content_id",
    "fingerprint",
    "first_similar",
    "signature_bytes",
    "similarity",
]

_WORD = re.compile(r"\w+")
ID_HEX_CHARS = 16
NUM_PERM = 128
# Named, because comparing stored values needs the scheme that produced them.
_SCHEME = "affine32"
# Fixed banding, so keys already stored stay valid whatever threshold is set. With
# 21 bands of 6 values a pair at Jaccard 0.8 shares a key with probability 0.998, a
# pair at 0.3 with 0.015; the similarity check then removes the false candidates.
BANDS = 21
ROWS = 6


def content_id(text: str) -> str:
    """The document id: a stable hash of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_HEX_CHARS]


def _shingles(text: str, width: int) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < width:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + width]).encode() for i in range(len(words) - width + 1)}


def fingerprint(text: str, *, shingle_words: int = 3) -> MinHash:
    """MinHash of the text's word shingles."""
    minhash = MinHash(num_perm=NUM_PERM, scheme=_SCHEME)
    minhash.update_batch(list(_shingles(text, shingle_words)))
    return minhash


def signature_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def band_keys(signature: bytes) -> list[tuple[int, int]]:
    """``(band, key)`` pairs of a signature; keys are signed 64-bit for any database."""
    width = 4 * ROWS
    return [(band, _key(signature[band * width : (band + 1) * width])) for band in range(BANDS)]


def _key(chunk: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if left.size != right.size or left.size == 0:
        return 0.0
    return float(np.count_nonzero(left == right)) / left.size


def first_similar(
    signature: bytes, candidates: Iterable[tuple[str, bytes]], *, threshold: float
) -> str | None:
    """The first candidate (they come oldest first) at least ``threshold`` similar."""
    for doc_id, other in candidates:
        if similarity(signature, other) >= threshold:
            return doc_id
    return None

from __future__ import annotations

from ember.ingest.dedup import (
    BANDS,
    band_keys,
    content_id,
    fingerprint,
    first_similar,
    signature_bytes,
    similarity,
)

BODY = (
    "Fighters of the Islamic State attacked an army checkpoint near the village of "
    "Tarmiyah north of Baghdad late on Tuesday, killing four soldiers and wounding six, "
    "according to a statement from the Security Media Cell. The attackers fled towards "
    "the orchards along the river before reinforcements arrived, and a search operation "
    "was launched in the surrounding farmland on Wednesday morning with air support."
)
SYNDICATED = "BAGHDAD (Wire) - " + BODY + " Reporting by the Baghdad bureau."
OTHER = (
    "The camp administration said that more than sixty thousand people, most of them "
    "women and children, were living in the overcrowded tents as winter approached, and "
    "aid agencies warned that supplies of fuel and clean water were running short."
)


def sig(text: str) -> bytes:
    return signature_bytes(fingerprint(text))


def test_content_id_is_stable_and_text_sensitive() -> None:
    assert content_id(BODY) == content_id(BODY)
    assert content_id(BODY) != content_id(BODY + ".")
    assert len(content_id(BODY)) == 16


def test_similarity_estimates_jaccard() -> None:
    assert similarity(sig(BODY), sig(BODY)) == 1.0
    assert 0.8 <= similarity(sig(BODY), sig(SYNDICATED)) < 1.0
    assert similarity(sig(BODY), sig(OTHER)) < 0.2
    assert similarity(sig(BODY), b"") == 0.0


def test_copies_share_band_keys_and_unrelated_texts_do_not() -> None:
    keys = band_keys(sig(BODY))
    assert len(keys) == BANDS and [band for band, _ in keys] == list(range(BANDS))
    assert set(keys) & set(band_keys(sig(SYNDICATED)))
    assert not set(keys) & set(band_keys(sig(OTHER)))
    assert all(-(2**63) <= key < 2**63 for _, key in keys)


def test_first_similar_takes_the_oldest_match_above_threshold() -> None:
    candidates = [("camp", sig(OTHER)), ("first", sig(BODY)), ("second", sig(BODY + " More."))]
    assert first_similar(sig(SYNDICATED), candidates, threshold=0.8) == "first"
    assert first_similar(sig(SYNDICATED), candidates[:1], threshold=0.8) is None

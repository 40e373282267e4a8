from __future__ import annotations

from ember.ingest.dedup import NearDuplicateIndex, content_id, fingerprint, signature_bytes

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


def test_content_id_is_stable_and_text_sensitive() -> None:
    assert content_id(BODY) == content_id(BODY)
    assert content_id(BODY) != content_id(BODY + ".")
    assert len(content_id(BODY)) == 16


def test_syndicated_copy_is_found_and_unrelated_text_is_not() -> None:
    index = NearDuplicateIndex(threshold=0.8)
    index.add("original", fingerprint(BODY))
    index.add("camp", fingerprint(OTHER))
    assert fingerprint(BODY).jaccard(fingerprint(SYNDICATED)) >= 0.8
    assert index.find(fingerprint(SYNDICATED)) == "original"
    assert index.find(fingerprint("A completely different story about elections in Erbil.")) is None


def test_the_first_copy_wins() -> None:
    index = NearDuplicateIndex()
    index.add("first", fingerprint(BODY))
    index.add("second", fingerprint(BODY + " An extra closing line."))
    assert index.find(fingerprint(SYNDICATED)) == "first"


def test_signatures_round_trip_through_bytes() -> None:
    index = NearDuplicateIndex()
    index.load([("stored", signature_bytes(fingerprint(BODY)))])
    assert len(index) == 1
    assert index.find(fingerprint(SYNDICATED)) == "stored"

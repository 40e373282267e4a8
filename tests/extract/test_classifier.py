"""The sub-event classifier: the shipped artifact, its probabilities, and what it predicts
for sentences written here (not taken from any training or evaluation file)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from ember.extract.classifier import (
    NONE,
    Prediction,
    SubEventClassifier,
    build_vectorizers,
    feature_params,
)
from ember.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def shipped() -> SubEventClassifier:
    return SubEventClassifier.load()


def test_load_is_cached(shipped: SubEventClassifier) -> None:
    assert SubEventClassifier.load() is shipped


def test_labels_are_acled_names_or_none(shipped: SubEventClassifier) -> None:
    known = set(load_taxonomy().sub_to_event) | {NONE}
    assert set(shipped.labels) <= known
    assert NONE in shipped.labels and len(shipped.labels) >= 20


def test_artifact_is_plain_arrays_and_matches_the_feature_code() -> None:
    folder = resources.files("ember").joinpath("data/models")
    meta = json.loads(folder.joinpath("subevent.json").read_text("utf-8"))
    assert meta["features"] == feature_params()
    assert {"labels", "sklearn_version", "training", "cross_validation"} <= set(meta)
    with folder.joinpath("subevent.npz").open("rb") as handle:
        arrays = np.load(handle, allow_pickle=False)
        assert sorted(arrays.files) == ["coef", "columns", "intercept"]
        assert arrays["coef"].shape == (len(meta["labels"]), len(arrays["columns"]))
        assert np.all(np.diff(arrays["columns"]) > 0), "columns must be sorted for lookup"


def test_prediction_shape(shipped: SubEventClassifier) -> None:
    texts = ["Fighter jets bombed a depot of the rebels outside the port town.", "Hello."]
    predictions = shipped.predict(texts)
    assert len(predictions) == 2
    for prediction in predictions:
        assert isinstance(prediction, Prediction)
        probabilities = [p for _, p in prediction.ranked]
        assert sum(probabilities) == pytest.approx(1.0, abs=1e-4)
        assert probabilities == sorted(probabilities, reverse=True)
        assert prediction.ranked[0] == (prediction.label, prediction.probability)
        assert len(prediction.ranked) == len(shipped.labels)


def test_empty_and_misuse(shipped: SubEventClassifier) -> None:
    assert shipped.predict([]) == []
    with pytest.raises(TypeError):
        shipped.predict("one string")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Two military jets carried out airstrikes on a militant hideout near the "
            "village of Qasr on Thursday, killing six fighters.",
            "Air/drone strike",
        ),
        (
            "A suicide bomber detonated his explosive belt among worshippers leaving a "
            "shrine in the northern city, killing nine.",
            "Suicide bomb",
        ),
        (
            "Hundreds of nurses rallied peacefully in front of the health ministry, "
            "demanding better pay and safer hospitals.",
            "Peaceful protest",
        ),
        (
            "Police arrested three men suspected of planning bomb attacks during a raid on "
            "an apartment in the capital.",
            "Arrests",
        ),
        (
            "The two foreign ministers discussed trade and visa rules during a phone call "
            "on Monday.",
            NONE,
        ),
    ],
)
def test_written_sentences(shipped: SubEventClassifier, text: str, label: str) -> None:
    assert shipped.predict([text])[0].label == label


def test_hand_built_model_arithmetic() -> None:
    """With weights on one hashed word, that word decides the label and the softmax."""
    params = feature_params()
    words, _ = build_vectorizers(params)
    column = int(words.transform(["grenade"]).indices[0])
    classifier = SubEventClassifier(
        labels=["Grenade", NONE],
        params=params,
        columns=np.array([column], dtype=np.int32),
        coef=np.array([[4.0], [0.0]], dtype=np.float32),
        intercept=np.array([0.0, 0.5], dtype=np.float32),
    )
    hit, miss = classifier.predict(["grenade", "parade"])
    weight = words.transform(["grenade"]).data[0]  # the l2-normalised feature value
    expected = 1 / (1 + np.exp(0.5 - 4.0 * weight))
    assert hit.label == "Grenade" and hit.probability == pytest.approx(expected, rel=1e-5)
    assert miss.label == NONE and miss.probability == pytest.approx(1 / (1 + np.exp(-0.5)))

"""The sub-event classifier: the shipped artifact, its probabilities, and what it predicts
for sentences written here (not taken from any training or evaluation file)."""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from ember.extract.classifier import (
    NONE,
    Prediction,
    SubEventClassifier,
    build_vectorizers,
    feature_params,
    mask_names,
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
        assert sorted(arrays.files) == ["coef", "columns", "idf", "intercept"]
        assert arrays["coef"].shape == (len(meta["labels"]), len(arrays["columns"]))
        assert arrays["idf"].shape == arrays["columns"].shape and np.all(arrays["idf"] >= 1.0)
        assert len(meta["idf_unseen"]) == 2
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
        (
            "Riot police used tear gas to break up a rally of unemployed graduates outside "
            "the governorate.",
            "Protest with intervention",
        ),
        (
            "Police opened fire on peaceful marchers, killing three of them.",
            "Excessive force against protesters",
        ),
        (
            "Mortars fired by the rebels hit a market in the old city.",
            "Shelling/artillery/missile attack",
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
    # "grenade" is the word block's only feature, so it has unit weight after normalising.
    expected = 1 / (1 + np.exp(0.5 - 4.0))
    assert hit.label == "Grenade" and hit.probability == pytest.approx(expected, rel=1e-5)
    assert miss.label == NONE and miss.probability == pytest.approx(1 / (1 + np.exp(-0.5)))


def test_sublinear_tf_idf_and_unknown_columns_in_the_norm() -> None:
    """A word seen twice weighs 1 + ln 2, times its idf; the words and bigrams the model has
    no column for still count in the block's norm, with the idf of an unseen column."""
    params = feature_params()
    words, _ = build_vectorizers(params)
    column = int(words.transform(["grenade"]).indices[0])
    classifier = SubEventClassifier(
        labels=["Grenade", NONE],
        params=params,
        columns=np.array([column], dtype=np.int32),
        coef=np.array([[4.0], [0.0]], dtype=np.float32),
        intercept=np.array([0.0, 0.0], dtype=np.float32),
        idf=np.array([2.0], dtype=np.float32),
        idf_unseen=[3.0, 3.0],
    )
    # words: grenade x2, blast, "grenade grenade", "grenade blast" (the last three unknown)
    known = (1 + np.log(2)) * 2.0
    value = known / np.sqrt(known**2 + 3 * 3.0**2)
    (prediction,) = classifier.predict(["grenade grenade blast"])
    assert prediction.label == "Grenade"
    assert prediction.probability == pytest.approx(1 / (1 + np.exp(-4.0 * value)), rel=1e-5)


def test_names_inside_a_sentence_are_masked() -> None:
    masked = mask_names("Gunmen attacked a checkpoint near Tal Kaif, north of Mosul, at dawn.")
    assert masked == "Gunmen attacked a checkpoint near Xname, north of Xname, at dawn."
    # The first word and acronyms stay.
    assert mask_names("Rebels of the SDF fired at the base.") == (
        "Rebels of the SDF fired at the base."
    )


def test_training_features_are_the_prediction_features() -> None:
    """The training script's design matrix (counts, idf, block norms) and the classifier's
    features for the same texts give the same scores: the two cannot drift apart."""
    train = _training_module()
    texts = [
        "Soldiers shelled the hills above Qara on Friday.",
        "Protesters burned tyres in the main square of the town.",
        "Police detained two men near the bridge.",
    ]
    counts = train.featurize(texts)
    rows = np.arange(len(texts))
    idf, unseen = counts.idf(rows[:2])  # the third text has columns unseen in "training"
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(2, len(counts.used))).astype(np.float32)
    classifier = SubEventClassifier(
        labels=["Arrests", NONE], params=feature_params(), columns=counts.used,
        coef=coef, intercept=np.zeros(2, np.float32), idf=idf, idf_unseen=unseen,
    )  # fmt: skip
    scores = counts.design(rows, idf) @ coef.T
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert classifier.probabilities(texts) == pytest.approx(expected, rel=1e-4)


def _training_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "training" / "train_subevent.py"
    spec = importlib.util.spec_from_file_location("train_subevent", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_subevent", module)
    spec.loader.exec_module(module)
    return module

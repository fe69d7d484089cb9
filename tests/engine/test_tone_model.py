"""The shipped tone model is what its training data gives, and its weights read as a person would expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from discreet.recognizers.linear_model import LinearModel, fit
from discreet.recognizers.tone import MODEL
from discreet.recognizers.tone_corpus import TRAINING, load_posts
from discreet.tuning import tone_training


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(Path(str(MODEL)).read_text("utf-8"))


def test_the_shipped_model_was_fitted_on_the_training_posts_in_the_repository(shipped):
    """Whoever edits a training file must refit: the model records a digest of the files it was fitted on."""
    assert shipped["about"]["data"] == tone_training.digest(sorted(TRAINING.glob("*.txt")))


def test_refitting_gives_the_shipped_model():
    assert tone_training.main(["--check"]) == 0


def test_the_training_posts_come_from_many_writers_and_mark_what_vents():
    files = sorted(TRAINING.glob("*.txt"))
    assert len(files) >= 10
    posts = [p for f in files for p in load_posts(f)]
    assert {p.label for p in posts} == {"vent", "neutral", "hard"}
    assert len({p.id for p in posts}) == len(posts)
    assert all(p.vents for p in posts if p.label == "vent"), "a venting post without {{ }}"


def test_a_word_seen_mostly_in_venting_posts_weighs_towards_venting():
    model = fit(
        [["w:clueless", "w:client"], ["w:client", "w:thanks"], ["w:clueless"], ["w:thanks"]], [1, 0, 1, 0]
    )
    assert model.weights["w:clueless"] > 0 > model.weights["w:thanks"]
    assert model.weights["w:client"] == pytest.approx(0.0)


def test_the_model_file_round_trips(tmp_path):
    model = LinearModel({"w:clueless": 1.25, "w:thanks": -0.5}, -0.25, 0.7, 0.4)
    model.save(tmp_path / "m.json", {"data": "x"})
    again = LinearModel.load(tmp_path / "m.json")
    assert again == model
    assert again.probability(["w:clueless"]) > model.threshold > again.probability(["w:thanks"])

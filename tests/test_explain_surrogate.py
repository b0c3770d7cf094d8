"""HypothesisClassifier: a scikit-learn estimator on hypothesis judgments."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from wordlens.errors import NotFittedError
from wordlens.explain import HypothesisClassifier, cross_fit_proba
from wordlens.explain.surrogate import fit_logistic
from wordlens.hypothesis import Hypothesis
from wordlens.judges.features import FeatureJudge

GOOD = Hypothesis("uses the word 'good'", "test", {"kind": "keywords", "words": ["good"]})
BAD = Hypothesis("uses the word 'bad'", "test", {"kind": "keywords", "words": ["bad"]})
TEXTS = ["a good day", "good food", "bad luck", "a bad day", "good", "bad", "so good",
         "very bad", "good times", "bad times"] * 3
Y = [int("good" in t) for t in TEXTS]


def test_fit_predict_and_get_params():
    est = HypothesisClassifier([GOOD, BAD], FeatureJudge(), C=2.0)
    assert est.get_params()["C"] == 2.0
    assert clone(est).get_params()["hypotheses"] == [GOOD, BAD]
    with pytest.raises(NotFittedError):
        est.predict(TEXTS)
    assert est.fit(TEXTS, Y) is est
    assert est.predict(["good news", "bad news"]).tolist() == [1, 0]
    assert est.score(TEXTS, Y) == 1.0
    proba = est.predict_proba(["good news"])
    assert proba.shape == (1, 2) and proba[0, 1] > 0.5
    text = est.describe()
    assert "uses the word 'good'" in text and "pushes towards 1" in text


def test_save_and_load_give_same_predictions(tmp_path):
    est = HypothesisClassifier([GOOD, BAD], "exact").fit(TEXTS, Y)
    est.save(tmp_path / "m.json")
    again = HypothesisClassifier.load(tmp_path / "m.json")
    new = ["good and bad", "nothing", "good"]
    assert np.allclose(again.predict_proba(new), est.predict_proba(new))
    assert again.hypotheses_[0].form == GOOD.form


def test_newton_logistic_matches_sklearn():
    rng = np.random.default_rng(1)
    X = rng.random((200, 3))
    y = (X[:, 0] + rng.normal(0, 0.3, 200) > 0.5).astype(int)
    w, b = fit_logistic(X, y, C=0.5)
    ref = LogisticRegression(C=0.5, tol=1e-10, max_iter=5000).fit(X, y)
    assert np.allclose(w, ref.coef_[0], atol=1e-5) and abs(b - ref.intercept_[0]) < 1e-5


def test_cross_fitted_score_of_a_text_ignores_its_own_label():
    rng = np.random.default_rng(0)
    J = rng.random((60, 2))
    y = (J[:, 0] > 0.5).astype(int)
    p = cross_fit_proba(J, y, n_splits=5, seed=0)
    y2 = y.copy()
    y2[7] = 1 - y2[7]
    p2 = cross_fit_proba(J, y2, n_splits=5, seed=0)
    # folds are stratified, so flipping a label may move texts between folds; the flipped
    # text's own score must still not chase its new label
    assert abs(p2[7] - p[7]) < 0.2
    # pure-noise features give chance-level out-of-sample fidelity, not memorised labels
    noise = rng.random((200, 3))
    yn = rng.integers(0, 2, 200)
    fid = np.mean((cross_fit_proba(noise, yn) >= 0.5) == yn)
    assert fid < 0.65

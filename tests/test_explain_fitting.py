"""Selection and cross-fitting: the curve is out-of-sample with respect to proposing and
selecting, so random labels give chance accuracy while in-sample selection looks better."""

from __future__ import annotations

import numpy as np

from wordlens.explain.candidates import Pool
from wordlens.explain.fitting import Judgments, choose, cross_fitted_curve, flattens_at
from wordlens.hypothesis import Hypothesis
from wordlens.judges.features import FeatureJudge


def _pool(n=200, h=150, seed=0, cue=None):
    rng = np.random.default_rng(seed)
    J = (rng.random((n, h)) < 0.3).astype(float)
    if cue is not None:
        J[:, 7] = cue
    hyps = [Hypothesis(f"h{i}", "test") for i in range(h)]
    return Pool(hyps, J), [f"text {i}" for i in range(n)]


def test_random_labels_give_chance_cross_fitted_accuracy_but_optimistic_selection():
    y = np.random.default_rng(5).integers(0, 2, 200)
    pool, texts = _pool()
    store = Judgments(FeatureJudge(), texts, pool)
    ch = choose(np.arange(200), y, store, pool, k=10, method="forward", mine=False)
    oof = cross_fitted_curve(y, store, pool, k=10, method="forward", n_splits=5, seed=0,
                             mine=False)
    acc = ((oof >= 0.5) == (y[:, None] == 1)).mean(axis=0)
    assert ch.selection.fidelity_trace[-1] > 0.6  # selecting on the same texts flatters
    assert abs(acc[-1] - 0.5) < 0.1  # cross-fitted: chance, as it must be


def test_a_real_cue_is_chosen_first_and_carries_cross_fitted_accuracy():
    rng = np.random.default_rng(2)
    cue = (rng.random(200) < 0.5).astype(float)
    y = np.where(rng.random(200) < 0.9, cue, 1 - cue).astype(int)
    pool, texts = _pool(cue=cue)
    store = Judgments(FeatureJudge(), texts, pool)
    ch = choose(np.arange(200), y, store, pool, k=5, method="forward", mine=False)
    assert ch.hypotheses[0].text == "h7"
    oof = cross_fitted_curve(y, store, pool, k=5, method="forward", n_splits=5, seed=0,
                             mine=False)
    assert ((oof[:, 0] >= 0.5) == (y == 1)).mean() > 0.8


def test_flattening_is_the_first_point_within_one_standard_error_of_the_best():
    assert flattens_at([0.6, 0.7, 0.79, 0.8, 0.8], 400) == 3  # se = 0.02
    assert flattens_at([0.6, 0.7, 0.79, 0.8, 0.8], 100_000) == 4
    assert flattens_at([], 10) is None

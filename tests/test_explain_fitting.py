"""Selection and cross-fitting: the curve is out-of-sample with respect to proposing and
selecting, so random labels give chance accuracy while in-sample selection looks better."""

from __future__ import annotations

import numpy as np

from wordlens.explain.candidates import Pool
from wordlens.explain.fitting import (
    Judgments,
    choose,
    cross_fitted_curve,
    flattens_at,
    fold_ids,
    nested_pruned,
)
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


def test_nested_pruning_never_reads_a_folds_own_labels():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    oof = rng.random((300, 8))
    ids = fold_ids(y, 5, 0)
    assert sorted(np.bincount(ids)) == [60] * 5
    col = nested_pruned(oof, y, ids)
    for f in range(5):  # each fold's column is one of the curve's, the same for all its texts
        te = ids == f
        m = [j for j in range(8) if np.array_equal(col[te], oof[te, j])]
        assert m
        y2 = y.copy()
        y2[te] = 1 - y2[te]  # flipping this fold's labels changes nothing for this fold
        assert np.array_equal(nested_pruned(oof, y2, ids)[te], col[te])
    # with a curve that rises then falls, the size follows the other folds' flattening
    good = (y[:, None] == 1) * 0.8 + 0.1 + np.zeros((300, 3))
    good[:, 0] = 0.5 + 0.01 * rng.standard_normal(300)  # one hypothesis: a coin
    good[:, 2] = 1 - good[:, 1]  # three: wrong
    assert np.array_equal(nested_pruned(good, y, ids), good[:, 1])

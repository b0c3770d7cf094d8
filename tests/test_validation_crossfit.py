"""The fitted student of the active method: its ridge penalty is chosen by cross-validation
inside the labels it is trained on."""

import numpy as np

from wordlens.validation.crossfit import RIDGE_GRID, choose_ridge_c


def _labels(n: int, n_groups: int, signal: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    g = rng.integers(0, n_groups, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-signal * x[:, 0]))).astype(float)
    return x, y, g


def test_a_feature_that_reproduces_the_teacher_gets_a_lighter_penalty_than_noise():
    for seed in range(3):
        x, noise, g = _labels(1000, 10, 0.0, seed=seed)
        y = (x[:, 0] > 0).astype(float)  # the teacher is a threshold of feature 0
        assert choose_ridge_c(x, y, g, 10) > min(RIDGE_GRID)
        assert choose_ridge_c(x, noise, g, 10) == min(RIDGE_GRID)


def test_too_few_or_constant_labels_keep_the_first_value():
    x, y, g = _labels(6, 2, 1.0)
    assert choose_ridge_c(x, y, g, 2) == RIDGE_GRID[0]
    x, _, g = _labels(100, 5, 1.0)
    assert choose_ridge_c(x, np.ones(100), g, 5) == RIDGE_GRID[0]


"""Agreement metrics and calibration error."""

from __future__ import annotations

import json

import numpy as np

from wordlens.distill.metrics import agreement, expected_calibration_error, per_hypothesis


def test_ece_is_small_for_calibrated_and_large_for_overconfident_probabilities():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=20000)
    y = rng.uniform(size=p.size) < p
    assert expected_calibration_error(p, y) < 0.02
    assert expected_calibration_error(np.where(p > 0.5, 1.0, 0.0), y) > 0.2


def test_agreement_separates_copying_from_guessing_the_majority():
    teacher = np.r_[np.ones(10), np.zeros(90)]
    same = agreement(teacher, teacher)
    assert same.accuracy == 1.0 and same.cohen_kappa == 1.0
    majority = agreement(teacher, np.zeros(100))
    assert majority.accuracy == majority.majority_baseline == 0.9
    assert majority.cohen_kappa == 0.0


def test_per_hypothesis_lists_worst_first():
    rows = per_hypothesis(["h0", "h1"], np.array([0, 0, 1, 1]), np.array([1, 0, 1, 0.0]),
                          np.array([1, 0, 0, 0.0]), seen={0})
    assert [r["hypothesis"] for r in rows] == ["h1", "h0"]
    assert rows[0]["accuracy"] == 0.5 and rows[1]["seen_in_training"]
    json.dumps(rows)

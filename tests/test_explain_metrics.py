"""The numbers: fidelity, accuracy, AUC and % explained against the majority-class baseline."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.explain.metrics import percent, surrogate_metrics
from wordlens.explain.result import DEFINITIONS


def test_surrogate_equal_to_classifier_explains_everything():
    gold = np.array([1, 1, 1, 0, 0, 1, 0, 1, 1, 0])
    pred = np.array([1, 1, 0, 0, 0, 1, 1, 1, 1, 0])
    m = surrogate_metrics(pred.astype(float), pred, gold, None)
    assert m["fidelity"] == 1.0 and m["percent_predictions_explained"] == 100.0
    assert m["surrogate_accuracy"] == m["classifier_accuracy"] == 0.8
    assert m["baseline_accuracy"] == 0.6 and m["percent_explained"] == 100.0


def test_constant_surrogate_explains_nothing_and_worse_is_negative():
    gold = np.array([1, 1, 1, 0, 0, 1, 0, 1, 1, 0])
    pred = gold.copy()
    m = surrogate_metrics(np.full(10, 0.9), pred, gold, None)
    assert m["percent_explained"] == 0.0 and m["percent_explained_auc"] == 0.0
    m = surrogate_metrics(1.0 - gold, pred, gold, None)
    assert m["percent_explained"] < 0


def test_percent_is_undefined_when_classifier_is_no_better_than_baseline():
    assert percent(0.7, 0.6, 0.6) is None
    assert percent(0.7, 0.6, 0.8) == pytest.approx(50.0)


def test_every_metric_has_a_definition():
    gold = np.array([1, 0, 1, 0, 1, 1])
    m = surrogate_metrics(np.array([.8, .3, .6, .4, .2, .9]), np.array([1, 0, 1, 1, 0, 1]),
                          gold, np.array([.9, .1, .8, .6, .3, .7]))
    assert set(m) <= set(DEFINITIONS)

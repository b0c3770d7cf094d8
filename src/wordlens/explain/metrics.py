"""Numbers of an explanation: fidelity, accuracy, AUC and "% of performance explained" of a
surrogate (definitions in :data:`wordlens.explain.result.DEFINITIONS`)."""

from __future__ import annotations

from typing import Any

import numpy as np


def auc(score: np.ndarray, y: np.ndarray) -> float | None:
    """ROC AUC, or None when y has a single class."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y).astype(int)
    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, np.asarray(score, dtype=float)))


def percent(value: float | None, baseline: float | None, top: float | None) -> float | None:
    """100 * (value - baseline) / (top - baseline), or None when undefined."""
    if value is None or baseline is None or top is None or abs(top - baseline) < 1e-9:
        return None
    return round(100.0 * (value - baseline) / (top - baseline), 2)


def surrogate_metrics(oof: np.ndarray, pred: np.ndarray, gold: np.ndarray | None,
                      clf_score: np.ndarray | None) -> dict[str, Any]:
    """Every number of one surrogate (binary: 1 = explained class)."""
    pred = np.asarray(pred).astype(int)
    s_pred = (np.asarray(oof) >= 0.5).astype(int)
    fid = float(np.mean(s_pred == pred))
    base_f = float(max(pred.mean(), 1 - pred.mean()))
    out: dict[str, Any] = {
        "fidelity": round(fid, 4), "baseline_fidelity": round(base_f, 4),
        "percent_predictions_explained": percent(fid, base_f, 1.0),
        "fidelity_auc": _r(auc(oof, pred)),
    }
    if gold is not None:
        g = np.asarray(gold).astype(int)
        base = float(max(g.mean(), 1 - g.mean()))
        c_acc = float(np.mean(pred == g))
        s_acc = float(np.mean(s_pred == g))
        c_auc = auc(clf_score if clf_score is not None else pred, g)
        s_auc = auc(oof, g)
        out.update({
            "classifier_accuracy": round(c_acc, 4), "surrogate_accuracy": round(s_acc, 4),
            "baseline_accuracy": round(base, 4), "percent_explained": percent(s_acc, base, c_acc),
            "classifier_auc": _r(c_auc), "surrogate_auc": _r(s_auc),
            "percent_explained_auc": percent(s_auc, 0.5, c_auc),
        })
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)

"""Agreement of a student with its teacher: accuracy, balanced accuracy, Cohen's kappa,
Spearman and calibration error on held-out pairs."""

from __future__ import annotations

from typing import Any

import numpy as np

from .result import Agreement


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE of probabilities ``p`` for binary outcomes ``y`` (equal-width bins)."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    if p.size == 0:
        return float("nan")
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    err = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            err += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(err)


def agreement(teacher: np.ndarray, student: np.ndarray, student_raw: np.ndarray | None = None,
              h_idx: np.ndarray | None = None) -> Agreement:
    """Accuracy, Cohen's kappa (sklearn), Spearman (scipy), ECE of the student's
    probabilities against the teacher's decisions."""
    from scipy.stats import spearmanr
    from sklearn.metrics import balanced_accuracy_score, cohen_kappa_score

    t, s = np.asarray(teacher, float), np.asarray(student, float)
    yt, ys = t >= 0.5, s >= 0.5
    pos = float(yt.mean()) if t.size else float("nan")
    one_class = yt.min() == yt.max() if t.size else True
    rho = spearmanr(t, s).statistic if t.size > 2 and np.ptp(t) > 0 and np.ptp(s) > 0 \
        else float("nan")
    return Agreement(
        n_pairs=int(t.size),
        n_hypotheses=int(len(np.unique(h_idx))) if h_idx is not None else 0,
        teacher_positive_rate=pos,
        accuracy=float((yt == ys).mean()) if t.size else float("nan"),
        majority_baseline=float(max(pos, 1 - pos)) if t.size else float("nan"),
        balanced_accuracy=float("nan") if one_class else float(balanced_accuracy_score(yt, ys)),
        cohen_kappa=float("nan") if one_class else float(cohen_kappa_score(yt, ys)),
        spearman=float(rho),
        ece=expected_calibration_error(s, yt),
        ece_uncalibrated=expected_calibration_error(student_raw, yt)
        if student_raw is not None else float("nan"),
    )


def per_hypothesis(hypotheses: list[str], h_idx: np.ndarray, teacher: np.ndarray,
                   student: np.ndarray, seen: set[int]) -> list[dict[str, Any]]:
    """Agreement of each held-out hypothesis, worst first."""
    rows = []
    for h in np.unique(h_idx):
        m = h_idx == h
        yt, ys = teacher[m] >= 0.5, student[m] >= 0.5
        rows.append({"hypothesis": hypotheses[h], "seen_in_training": int(h) in seen,
                     "n_pairs": int(m.sum()), "teacher_positive_rate": float(yt.mean()),
                     "student_positive_rate": float(ys.mean()),
                     "accuracy": float((yt == ys).mean())})
    rows.sort(key=lambda r: (r["accuracy"], r["hypothesis"]))
    return rows

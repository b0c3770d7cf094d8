"""Agreement of a student with its teacher, and the distillation report."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..result import write_atomic

SCHEMA = "wordlens.distill/1"


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


@dataclass
class Agreement:
    """Student vs teacher on one set of held-out pairs (teacher decision = p >= 0.5)."""

    n_pairs: int
    n_hypotheses: int
    teacher_positive_rate: float
    accuracy: float
    majority_baseline: float
    balanced_accuracy: float
    cohen_kappa: float
    spearman: float
    ece: float
    ece_uncalibrated: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


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


@dataclass
class DistillReport:
    """What `wordlens distill` did and how well the student imitates the teacher."""

    teacher: dict[str, Any]
    student: dict[str, Any]
    data: dict[str, Any]
    budget: int
    teacher_calls: dict[str, int]
    selection: dict[str, Any]
    seen_hypotheses: Agreement | None
    unseen_hypotheses: Agreement | None
    all_heldout: Agreement | None
    per_hypothesis: list[dict[str, Any]]
    throughput: dict[str, Any]
    timing: dict[str, float]
    notes: list[str] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        return {"schema": d.pop("schema"), **_finite(d)}

    def save(self, path: str | Path) -> Path:
        return write_atomic(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False))


def _finite(o: Any) -> Any:
    """NaN/inf -> None so the JSON is strict."""
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_finite(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return float(o) if np.isfinite(o) else None
    if isinstance(o, np.integer):
        return int(o)
    return o


def format_report(r: DistillReport, top: int = 5) -> str:
    """A plain-text summary for the terminal."""
    lines = [f"teacher: {r.teacher.get('name')}",
             f"teacher calls: {r.teacher_calls.get('training', 0)} training (budget "
             f"{r.budget}), {r.teacher_calls.get('calibration', 0)} calibration, "
             f"{r.teacher_calls.get('evaluation', 0)} evaluation",
             "held-out pairs (texts never used in training):",
             f"  {'set':<28}{'pairs':>7}{'acc':>7}{'major.':>7}{'bal.acc':>8}{'kappa':>7}"
             f"{'rho':>7}{'ECE':>7}"]
    for label, a in (("seen hypotheses", r.seen_hypotheses),
                     ("unseen hypotheses", r.unseen_hypotheses), ("all", r.all_heldout)):
        if a is None:
            continue
        lines.append(f"  {label + f' ({a.n_hypotheses} h)':<28}{a.n_pairs:>7}"
                     f"{_f(a.accuracy)}{_f(a.majority_baseline)}{_f(a.balanced_accuracy, 8)}"
                     f"{_f(a.cohen_kappa)}{_f(a.spearman)}{_f(a.ece)}")
    tp = r.throughput
    if tp:
        lines.append(f"throughput (judgments/s): teacher {tp.get('teacher', 0):,.0f}; student "
                     f"{tp.get('student_cold', 0):,.0f} cold (nothing cached), "
                     f"{tp.get('student_warm', 0):,.0f} warm (hypotheses encoded, texts new); "
                     f"speed ratio {tp.get('ratio_cold', 0):,.1f}x cold, "
                     f"{tp.get('ratio_warm', 0):,.1f}x warm on a {tp.get('shape')} matrix")
        if tp.get("disk_cache"):
            lines.append("note: the disk cache was on, so the teacher may have read encodings "
                         "from earlier runs; for timings set WORDLENS_NO_CACHE=1 (or run "
                         "scripts/bench_distill.py)")
    worst = [h for h in r.per_hypothesis if h["accuracy"] < 1.0][:top]
    if worst:
        lines.append("least agreement:")
        lines += [f"  {h['accuracy']:.2f}  {'seen  ' if h['seen_in_training'] else 'unseen'} "
                  f"{h['hypothesis']}" for h in worst]
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)


def _f(x: float, w: int = 7) -> str:
    return f"{x:>{w}.3f}" if x == x else f"{'-':>{w}}"

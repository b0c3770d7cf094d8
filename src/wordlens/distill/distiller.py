"""`distill`: a teacher judge labels actively chosen pairs; a bi-encoder student learns them."""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import InputError
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..judges.features import FeatureJudge
from ..judges.student import FastStudentJudge, StudentJudge
from ..progress import phase
from ..stats import sigmoid
from .active import STRATEGIES, LabeledPairs, ask_teacher, label_actively
from .metrics import agreement, per_hypothesis
from .result import DistillReport
from .training import fit_student, fit_text_encoder


def make_student(kind: str = "standard", seed: int = 0) -> StudentJudge:
    """An unfitted student: ``standard`` (MiniLM bi-encoder) or ``fast`` (static text
    encoder and two-tower head)."""
    if kind == "fast":
        return FastStudentJudge(seed=seed)
    if kind != "standard":
        raise InputError(f"--student: {kind!r}; choose standard or fast")
    return StudentJudge(seed=seed)


def distill(teacher: Judge, texts: Sequence[str], hypotheses: Sequence[str | Hypothesis], *,
            budget: int = 3000, student: StudentJudge | None = None,
            strategy: str = "uncertainty", rounds: int = 4, unseen_fraction: float = 0.2,
            heldout_fraction: float = 0.2, calibration_fraction: float = 0.15,
            eval_pairs: int = 3000, seed: int = 0, data_info: dict[str, Any] | None = None,
            log: Callable[[str], None] | None = None) -> tuple[StudentJudge, DistillReport]:
    """Distil ``teacher`` into a fitted :class:`StudentJudge` and report its agreement.

    ``budget`` teacher judgments are spent on training pairs (actively chosen) and on a random
    calibration set (``calibration_fraction`` of it). Agreement is measured on texts held out
    from training (``heldout_fraction``), for hypotheses seen in training and for a held-out
    ``unseen_fraction`` of hypotheses; those ``eval_pairs`` teacher judgments are extra.
    """
    say = log or (lambda m: None)
    if strategy not in STRATEGIES:
        raise InputError(f"--strategy: {strategy!r}; choose from {', '.join(STRATEGIES)}")
    if budget < 20:
        raise InputError(f"--budget: {budget} teacher calls is too few (at least 20)")
    student = student if student is not None else StudentJudge(seed=seed)
    rng = np.random.default_rng(seed)
    t_start = time.perf_counter()
    texts = list(dict.fromkeys(t for t in texts if t and t.strip()))
    hyps = as_hypotheses(hypotheses)
    learn = [h for h in hyps if not (student.exact_forms and FeatureJudge.supports(h))]
    if len(learn) < 2:
        raise InputError(f"distill: {len(learn)} free-text hypotheses; need at least 2 "
                         "(hypotheses with a programmatic form are judged exactly, not learned)")
    if len(texts) < 20:
        raise InputError(f"distill: {len(texts)} distinct texts; need at least 20")

    # --- splits: held-out texts, unseen hypotheses -------------------------------------
    perm = rng.permutation(len(texts))
    n_test = max(5, int(round(len(texts) * heldout_fraction)))
    test_texts = [texts[i] for i in perm[:n_test]]
    train_texts = [texts[i] for i in perm[n_test:]]
    hperm = rng.permutation(len(learn))
    n_unseen = int(round(len(learn) * unseen_fraction)) if len(learn) >= 5 else 0
    unseen = [learn[i] for i in hperm[:n_unseen]]
    seen = [learn[i] for i in hperm[n_unseen:]]
    say(f"{len(train_texts)} training texts, {len(test_texts)} held-out texts; "
        f"{len(seen)} training hypotheses, {len(unseen)} held out")

    t0 = time.perf_counter()
    with phase("encoding texts and hypotheses"):
        fit_text_encoder(student, train_texts)
        tv = student.encode_texts(train_texts)
        hv = student.encode_hypotheses(seen)
    enc_s = time.perf_counter() - t0

    # --- calibration set (random pairs) and active training set ------------------------
    n_cal = int(round(budget * calibration_fraction))
    n_train = budget - n_cal
    spent = teacher.meter()
    t1 = time.perf_counter()
    total = len(train_texts) * len(seen)
    cal_flat = rng.choice(total, size=min(n_cal, total), replace=False)
    cal = (cal_flat % len(train_texts), cal_flat // len(train_texts))
    cal_y = ask_teacher(teacher, seen, train_texts, cal[0], cal[1])

    quick = copy.copy(student)
    quick.head = copy.copy(student.head)
    quick.head.epochs = max(50, student.head.epochs // 3)
    quick.head.n_members = max(3, student.head.n_members)

    def score_pool(lab: LabeledPairs, pt: np.ndarray, ph: np.ndarray) -> np.ndarray:
        t_i, h_i, y = lab.arrays()
        if len(set((y >= 0.5).tolist())) < 2:  # one class so far: nothing to learn from
            return np.zeros((quick.head.n_members, len(pt)))
        fit_student(quick, tv, hv, t_i, h_i, y)
        return quick.logits(tv[pt], hv[ph], aligned=True)

    labeled = label_actively(teacher, seen, train_texts, n_train, score_pool,
                             strategy=strategy, rounds=rounds, seed=seed, log=say)
    teacher_train_s = time.perf_counter() - t1
    t_i, h_i, y = labeled.arrays()
    t2 = time.perf_counter()
    with phase("training the student"):
        fit_student(student, tv, hv, t_i, h_i, y, calib=(cal[0], cal[1], cal_y))
    fit_s = time.perf_counter() - t2
    student.teacher_ = teacher.describe()
    calls_train = spent.judgments

    # --- evaluation on held-out texts ----------------------------------------------------
    with phase("measuring agreement (held-out texts)"):
        ev = _evaluate(teacher, student, seen, unseen, test_texts, eval_pairs, rng)
    total_s = time.perf_counter() - t_start
    report = DistillReport(
        teacher=teacher.describe(), student=student.describe() | {
            "hidden": student.head.hidden, "n_members": student.head.n_members,
            "platt": list(student.platt_), "n_train_pairs": student.n_train_pairs_},
        data={"n_texts": len(texts), "n_train_texts": len(train_texts),
              "n_heldout_texts": len(test_texts), "n_hypotheses": len(hyps),
              "n_learned_hypotheses": len(learn), "n_exact_hypotheses": len(hyps) - len(learn),
              "n_seen_hypotheses": len(seen), "n_unseen_hypotheses": len(unseen),
              "seen_hypotheses": [h.text for h in seen],
              "unseen_hypotheses": [h.text for h in unseen], **(data_info or {})},
        budget=budget,
        teacher_calls={"training": int(len(labeled)), "calibration": int(len(cal_y)),
                       "evaluation": int(ev["calls"]),
                       "total_counted_by_teacher": spent.judgments,
                       "training_and_calibration_counted": int(calls_train)},
        selection={"strategy": strategy, "rounds": rounds,
                   "positive_rate_by_round": _by_round(labeled),
                   "calibration_positive_rate": float(np.mean(cal_y >= 0.5))},
        seen_hypotheses=ev["seen"], unseen_hypotheses=ev["unseen"], all_heldout=ev["all"],
        per_hypothesis=ev["per_h"],
        throughput=ev["throughput"],
        timing={"encode_s": round(enc_s, 3), "teacher_training_labels_s":
                round(teacher_train_s, 3), "fit_s": round(fit_s, 3), "total_s": round(total_s, 3)},
        notes=_notes(hyps, learn),
    )
    return student, report


def _evaluate(teacher: Judge, student: StudentJudge, seen: list[Hypothesis],
              unseen: list[Hypothesis], texts: list[str], eval_pairs: int,
              rng: np.random.Generator) -> dict[str, Any]:
    """Teacher and student on one held-out sub-matrix; agreement and throughput."""
    n_seen_eval = min(len(seen), max(len(unseen), 10))
    eval_h = [seen[i] for i in rng.choice(len(seen), n_seen_eval, replace=False)] + unseen
    n_t = int(min(len(texts), max(5, eval_pairs // max(1, len(eval_h)))))
    eval_t = [texts[i] for i in rng.choice(len(texts), n_t, replace=False)]
    spent = teacher.meter()
    t0 = time.perf_counter()
    jt = teacher.judge(eval_h, eval_t)
    teacher_s = time.perf_counter() - t0
    calls = spent.judgments

    # cold: nothing cached; warm: hypotheses already encoded, the texts still new to it
    cold, warm = student.for_timing(), student.for_timing(warm_hypotheses=eval_h)
    t1 = time.perf_counter()
    js = cold.judge(eval_h, eval_t)
    cold_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    warm.judge(eval_h, eval_t)
    warm_s = time.perf_counter() - t2
    th, tn = len(eval_h), len(eval_t)
    raw = sigmoid(student.mean_logits(student.encode_texts(eval_t),
                                       student.encode_hypotheses(eval_h)))
    h_idx = np.repeat(np.arange(th), tn)
    m_seen = h_idx < n_seen_eval
    ft, fs, fr = jt.ravel(), js.ravel(), raw.ravel()
    n = th * tn
    tp = {"teacher": n / max(teacher_s, 1e-9), "student_cold": n / max(cold_s, 1e-9),
          "student_warm": n / max(warm_s, 1e-9), "shape": f"{th}x{tn}",
          "teacher_s": round(teacher_s, 4), "student_cold_s": round(cold_s, 4),
          "student_warm_s": round(warm_s, 4),
          "disk_cache": not os.environ.get("WORDLENS_NO_CACHE")}
    tp["ratio_cold"] = tp["student_cold"] / tp["teacher"]
    tp["ratio_warm"] = tp["student_warm"] / tp["teacher"]
    return {
        "calls": calls,
        "seen": agreement(ft[m_seen], fs[m_seen], fr[m_seen], h_idx[m_seen]),
        "unseen": agreement(ft[~m_seen], fs[~m_seen], fr[~m_seen], h_idx[~m_seen])
        if unseen else None,
        "all": agreement(ft, fs, fr, h_idx),
        "per_h": per_hypothesis([h.text for h in eval_h], h_idx, ft, fs,
                                set(range(n_seen_eval))),
        "throughput": tp,
    }


def _by_round(lab: LabeledPairs) -> list[float]:
    r, y = np.asarray(lab.round), np.asarray(lab.y)
    return [round(float(np.mean(y[r == k] >= 0.5)), 4) for k in np.unique(r)]


def _notes(hyps: list[Hypothesis], learn: list[Hypothesis]) -> list[str]:
    notes = ["Agreement is with the teacher, not with the truth: the student is as right as "
             "the teacher at best.",
             "Accuracy is dominated by the majority class when most pairs are negative; "
             "compare it with majority_baseline and read Cohen's kappa."]
    if len(learn) < len(hyps):
        notes.append(f"{len(hyps) - len(learn)} hypotheses with a programmatic form are "
                     "judged exactly by the student (exact_forms) and were not distilled.")
    return notes

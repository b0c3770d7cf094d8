"""Amortized verification of pairs: the teacher judges both texts of a uniformly random
sample of pairs per hypothesis, a student judges every pair, and the mean paired difference
is estimated by prediction-powered inference on the per-pair differences
(:func:`wordlens.pairstats.ppi_paired`). A pair is one unit: it is labelled whole (its two
texts in one teacher call) or not at all.

The labelling follows the unpaired method (:mod:`.amortized`): a first round of
``plan.min_labels`` pairs per hypothesis, then rounds for the hypotheses still undecided,
the top-k contenders estimated from the pairs labelled after they were chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import BudgetExceeded, InputError
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..pairstats import PPI_PAIRED, PairedPPI, compare_paired, ppi_paired
from ..stats import TwoSampleStats, benjamini_hochberg
from .adaptive import Verification, verify
from .plan import AmortizedPlan, default_budget
from .students import StudentChoice, provide_student


def verify_amortized_paired(hypotheses: Sequence[Hypothesis], a: Sequence[str],
                            b: Sequence[str], teacher: Judge, *, train_texts: Sequence[str],
                            plan: AmortizedPlan | None = None, top_k: int = 10,
                            alpha: float = 0.05, log: Callable[[str], None] | None = None,
                            on_round: Callable[[int, int], None] | None = None
                            ) -> Verification:
    """Verify ``hypotheses`` on the validation pairs (``a[i]``, ``b[i]``) within a teacher
    budget (judgments: a labelled pair costs two per hypothesis).

    The student is distilled (when needed) on ``train_texts`` (the proposal texts) only.
    A budget covering half or more of an exhaustive run verifies exhaustively instead (the
    paired tests then apply to the judgments). ``extra["unit"] == "pair"`` marks the
    returned ``stats`` as paired prediction-powered statistics."""
    plan = plan or AmortizedPlan()
    if plan.method not in ("auto", "uniform"):
        raise InputError(f"--paired / --pair-id: the amortized method {plan.method!r} does "
                         "not take pairs; use the uniform method")
    a, b, hyps = list(a), list(b), list(hypotheses)
    if len(a) != len(b):
        raise ValueError("paired verification needs the two texts of each pair")
    say = log or (lambda m: None)
    full = len(hyps) * 2 * len(a)
    budget = plan.budget if plan.budget is not None else default_budget(
        len(hyps), len(a), len(b), plan.min_labels)
    if budget < 1:
        raise InputError(f"--teacher-budget must be positive, got {budget}")
    if not hyps or budget * 2 >= full:
        ver = verify(hyps, a, b, teacher, top_k=top_k, on_round=on_round)
        ver.extra = {"method": "exhaustive", "requested": "amortized", "teacher_budget": budget}
        if hyps:
            ver.notes.append(f"Amortized verification was asked for, but a teacher budget of "
                             f"{budget} judgments covers half or more of an exhaustive run "
                             f"({full}): every hypothesis was judged by the teacher on every "
                             "pair instead.")
        return ver
    meter = teacher.meter()  # what the teacher spends in this verification
    train_budget = int(round(budget * plan.train_fraction))
    choice, note = _student(teacher, hyps, train_texts, plan, train_budget, say)
    spent_train = meter.judgments
    infer_budget = budget - spent_train  # a given or reused student leaves it all
    if note is None and infer_budget < 4 * len(hyps):
        raise InputError(f"--teacher-budget {budget}: {infer_budget} teacher judgments left "
                         f"for inference on {len(hyps)} hypotheses; need at least "
                         f"{4 * len(hyps)} (2 pairs per hypothesis)")
    fa, fb = choice.judge.judge(hyps, a), choice.judge.judge(hyps, b)
    say(f"student ({choice.source}) judged {fa.size + fb.size} texts of {len(a)} pairs; "
        f"{max(infer_budget, 0)} teacher judgments left for inference")
    lab = PairLabels(len(hyps), len(a), plan.seed)
    rounds = 0
    if note is None:
        rounds, note = _label_rounds(lab, hyps, a, b, teacher, fa, fb, infer_budget, plan,
                                     top_k, alpha, say, on_round)
    keep = [i for i in range(len(hyps)) if lab.n[i] >= 2]
    spent = meter.judgments
    extra = {"method": "amortized", "amortized_method": "uniform", "unit": "pair",
             "teacher_budget": budget,
             "teacher_calls": spent, "teacher_calls_training": spent_train,
             "teacher_calls_inference": spent - spent_train,
             "teacher_pairs_labelled": int(lab.n.sum()),
             "teacher_calls_if_exhaustive": full,
             "student_judgments": int(fa.size + fb.size), "student": choice.describe()}
    usage = meter.usage()
    if usage is not None:
        extra["teacher_usage"] = usage
    if note:
        extra["unverified_hypotheses"] = [h.text for i, h in enumerate(hyps) if i not in keep]
        note = f"{note}; statistics cover {len(keep)} of {len(hyps)} hypotheses"
    ests = {i: lab.estimate(i, fa[i], fb[i]) for i in keep}
    notes = list(choice.notes) + [
        f"Amortized paired verification: the teacher judged both texts of a uniformly random "
        f"sample of pairs per hypothesis ({spent} of the {full} judgments of an exhaustive "
        f"run, {spent_train} of them to train the student); every statistic is a "
        "prediction-powered estimate of the mean paired difference from those pairs and the "
        "student's judgments of every pair (t reference; adaptive label rounds, a top-k "
        "contender estimated from the pairs labelled after it was chosen)."]
    return Verification(
        [hyps[i] for i in keep], [lab.filled(i, fa[i], "a") for i in keep],
        [lab.filled(i, fb[i], "b") for i in keep], [False] * len(keep), spent, full, rounds,
        budget_note=note, stats=[_stats(ests[i], lab, i) for i in keep],
        details=[_details(ests[i], lab, i, fa[i], fb[i]) for i in keep], extra=extra,
        notes=notes)


def _student(teacher: Judge, hyps: list[Hypothesis], train_texts: Sequence[str],
             plan: AmortizedPlan, budget: int, say) -> tuple[StudentChoice, str | None]:
    try:
        choice = provide_student(teacher, train_texts, hyps, budget=budget,
                                 student=plan.student, cache_dir=plan.cache_dir,
                                 kind=plan.student_kind, seed=plan.seed, log=say)
    except BudgetExceeded as exc:
        from ..judges.offline import OfflineJudge

        return StudentChoice(OfflineJudge(), "zero-shot"), str(exc)
    say(f"student: {choice.source}" + (f" ({choice.path})" if choice.path else ""))
    return choice, None


class PairLabels:
    """Teacher labels per hypothesis: both texts of the first ``n[i]`` pairs of one seeded
    random order of the pairs, so every hypothesis' labelled pairs are a uniform sample.
    ``skip[i]``: pairs labelled before hypothesis i was chosen as a top-k contender (its
    estimate uses the later ones; the earlier count as unlabelled for the student)."""

    def __init__(self, n_h: int, n_pairs: int, seed: int):
        self.order = np.random.default_rng([seed, 0x9A]).permutation(n_pairs)
        self.size = n_pairs
        self.n = np.zeros(n_h, dtype=int)
        self.skip = np.zeros(n_h, dtype=int)
        self.rounds = np.zeros(n_h, dtype=int)
        self.y: dict[str, list[list[float]]] = {"a": [[] for _ in range(n_h)],
                                                "b": [[] for _ in range(n_h)]}

    def used(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(teacher on A, teacher on B, their pairs, every other pair) of the estimate."""
        n, skip = int(self.n[i]), int(self.skip[i])
        if n - skip < 2:  # too few pairs drawn since the choice
            skip = 0
        return (np.asarray(self.y["a"][i][skip:], dtype=float),
                np.asarray(self.y["b"][i][skip:], dtype=float), self.order[skip:n],
                np.concatenate([self.order[:skip], self.order[n:]]))

    def estimate(self, i: int, fa: np.ndarray, fb: np.ndarray) -> PairedPPI:
        ya, yb, idx, rest = self.used(i)
        return ppi_paired(ya, yb, fa[idx], fb[idx], fa[rest], fb[rest])

    def filled(self, i: int, f: np.ndarray, side: str) -> np.ndarray:
        """The student's judgments with the teacher's on the labelled pairs."""
        out = np.array(f, dtype=float)
        out[self.order[:self.n[i]]] = self.y[side][i]
        return out


def _label_rounds(lab: PairLabels, hyps: list[Hypothesis], a: list[str], b: list[str],
                  teacher: Judge, fa: np.ndarray, fb: np.ndarray, budget: int,
                  plan: AmortizedPlan, top_k: int, alpha: float, say,
                  on_round) -> tuple[int, str | None]:
    """Label pairs in rounds; returns (rounds finished, budget note or None)."""
    n_h = len(hyps)
    active = np.ones(n_h, dtype=bool)
    left = budget
    rounds = max(1, plan.rounds)
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0 or left < 4 * idx.size:
            return r, None
        if r == 0:  # at most half the budget, unless that leaves fewer than 4 pairs
            k = max(4, min(plan.min_labels, (left // 2) // (2 * idx.size)))
        else:
            k = max(2, (left // (rounds - r)) // (2 * idx.size))
        k = min(k, left // (2 * idx.size))
        try:
            left -= _label_pairs(lab, hyps, a, b, teacher, idx, k, r)
        except BudgetExceeded as exc:
            return r, str(exc)
        if on_round:
            on_round(r + 1, int(idx.size))
        say(f"label round {r + 1}: {idx.size} hypotheses, {k} more pairs each; {left} "
            "teacher judgments left")
        undecided, upper = _undecided(lab, fa, fb, top_k, alpha)
        active &= undecided
        if active.sum() > top_k:  # the next labels go where the top k is decided
            contenders = np.argsort(-np.where(active, upper, -np.inf), kind="stable")[:top_k]
            active = np.isin(np.arange(n_h), contenders)
            lab.skip[contenders] = lab.n[contenders]
    return rounds, None


def _label_pairs(lab: PairLabels, hyps: list[Hypothesis], a: list[str], b: list[str],
                 teacher: Judge, idx: np.ndarray, k: int, r: int) -> int:
    """Give each hypothesis in ``idx`` up to ``k`` more pairs; hypotheses at the same
    position of the order share one teacher call on both texts of those pairs."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i in idx:
        start = int(lab.n[i])
        stop = min(start + k, lab.size)
        if stop > start:
            groups.setdefault((start, stop), []).append(int(i))
    spent = 0
    for (start, stop), members in groups.items():
        rows = lab.order[start:stop]
        y = teacher.judge([hyps[i] for i in members],
                          [a[t] for t in rows] + [b[t] for t in rows])
        spent += y.size
        m = rows.size
        for row, i in enumerate(members):
            lab.y["a"][i].extend(y[row, :m].tolist())
            lab.y["b"][i].extend(y[row, m:].tolist())
            lab.n[i] = stop
            lab.rounds[i] = r + 1
    return spent


def _undecided(lab: PairLabels, fa: np.ndarray, fb: np.ndarray, top_k: int, alpha: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Hypotheses that still deserve labels (not yet clearly significant: Benjamini-Hochberg
    q below alpha / 2; not labelled on every pair; able to reach the top k), and every
    hypothesis' upper 95% bound of |validity|."""
    n_h = lab.n.size
    low, high, p = np.zeros(n_h), np.full(n_h, np.inf), np.ones(n_h)
    for i in range(n_h):
        if lab.n[i] < 2:
            continue
        e = lab.estimate(i, fa[i], fb[i])
        d, half = abs(e.validity), (e.ci_high - e.ci_low) / 2
        low[i], high[i], p[i] = max(d - half, 0.0), d + half, e.p_value
    sure = benjamini_hochberg(p) < alpha / 2
    kth = np.sort(low)[::-1][top_k - 1] if n_h >= top_k else -np.inf
    return ~sure & (lab.n < lab.size) & (high >= kth), high


def _stats(e: PairedPPI, lab: PairLabels, i: int) -> TwoSampleStats:
    ya, yb, _, _ = lab.used(i)
    auc = compare_paired(ya, yb).auc  # within-pair, on the teacher's labels
    return TwoSampleStats(e.share_a, e.share_b, e.validity, e.ci_low, e.ci_high, e.p_value,
                          auc, lab.size, lab.size, PPI_PAIRED)


def _details(e: PairedPPI, lab: PairLabels, i: int, fa: np.ndarray, fb: np.ndarray
             ) -> dict[str, Any]:
    pairs = lab.order[:lab.n[i]]
    ya, yb = np.asarray(lab.y["a"][i]), np.asarray(lab.y["b"][i])
    y, s = np.concatenate([ya, yb]), np.concatenate([fa[pairs], fb[pairs]])
    student = compare_paired(fa, fb)
    ua, ub, _, _ = lab.used(i)
    teacher = compare_paired(ua, ub)
    return {
        "unit": "pair", "teacher_labels": int(ya.size + yb.size),
        "teacher_labels_a": int(ya.size), "teacher_labels_b": int(yb.size),
        "teacher_pairs": int(lab.n[i]), "label_rounds": int(lab.rounds[i]),
        "labels_in_estimate": int(ua.size + ub.size),
        "agreement": round(float(np.mean((y >= 0.5) == (s >= 0.5))), 4),
        "mean_abs_gap": round(float(np.mean(np.abs(y - s))), 4),
        "lambda": round(e.lam, 4), "ppi_ci": [e.ci_low, e.ci_high],
        "student_only": {"validity": student.validity, "ci_low": student.ci_low,
                         "ci_high": student.ci_high, "p_value": student.p_value},
        "teacher_only": {"validity": teacher.validity, "ci_low": teacher.ci_low,
                         "ci_high": teacher.ci_high, "p_value": teacher.p_value},
    }

"""Amortized verification: an expensive judge (the teacher) labels a uniformly random sample
of validation texts per hypothesis, a cheap student judges every text, and each side's share
is estimated by prediction-powered inference (Angelopoulos et al., Science 2023).

The student never decides a result on its own: its mean over the texts is corrected by the
teacher-minus-student gap on the random sample, so a biased student shifts nothing in
expectation and a noisy one only widens the interval (with the PPI++ weight, to at most about
the interval of the teacher labels alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import BudgetExceeded, InputError
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..stats import PPIComparison, TwoSampleStats, benjamini_hochberg, compare, ppi_two_sample
from .adaptive import Verification, verify
from .plan import NO_LABELS_NOTE, AmortizedPlan, default_budget
from .students import StudentChoice, provide_student

TEST_NAME = "prediction-powered inference (PPI++, t reference)"


def verify_amortized(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str],
                     teacher: Judge, *, train_texts: Sequence[str],
                     plan: AmortizedPlan | None = None, top_k: int = 10, alpha: float = 0.05,
                     log: Callable[[str], None] | None = None,
                     on_round: Callable[[int, int], None] | None = None) -> Verification:
    """Verify ``hypotheses`` on validation texts ``a`` / ``b`` with a teacher budget.

    The student is distilled (when needed) on ``train_texts`` only, never on ``a`` or ``b``.
    When the budget would cover most of an exhaustive run (half or more), the run is
    exhaustive instead, and says so. Returns a :class:`Verification` whose ``stats`` hold the
    prediction-powered statistics and whose ``details`` / ``extra`` the per-hypothesis and
    run-level accounting.
    """
    plan = plan or AmortizedPlan()
    if plan.method in ("auto", "active"):
        from .active import verify_active

        return verify_active(hypotheses, a, b, teacher, train_texts=train_texts, plan=plan,
                             top_k=top_k, alpha=alpha, log=log, on_round=on_round)
    if plan.method != "uniform":
        raise InputError(f"amortized method: {plan.method!r}; choose auto, uniform or active")
    say = log or (lambda m: None)
    hyps, a, b = list(hypotheses), list(a), list(b)
    full = len(hyps) * (len(a) + len(b))
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
                             f"({full}): every hypothesis was judged by the teacher instead.")
        return ver
    meter = teacher.meter()  # what the teacher spends in this verification
    train_budget = int(round(budget * plan.train_fraction))
    choice, budget_note = _student(teacher, hyps, train_texts, plan, train_budget, say)
    spent_train = meter.judgments
    infer_budget = budget - max(spent_train, train_budget)  # a reused student saves its share
    min_pairs = 2 * 2 * len(hyps)
    if budget_note is None and infer_budget < min_pairs:
        raise InputError(f"--teacher-budget {budget}: {infer_budget} teacher judgments left "
                         f"for inference on {len(hyps)} hypotheses; need at least "
                         f"{min_pairs} (2 per side per hypothesis)")
    fa = choice.judge.judge(hyps, a)
    fb = choice.judge.judge(hyps, b)
    say(f"student ({choice.source}) judged {fa.size + fb.size} pairs; "
        f"{max(infer_budget, 0)} teacher judgments left for inference")
    lab = _Labels(len(hyps), len(a), len(b), plan.seed)
    rounds_done = 0
    if budget_note is None:
        rounds_done, budget_note = _label_rounds(lab, hyps, a, b, teacher, fa, fb,
                                                 infer_budget, plan, top_k, alpha, say,
                                                 on_round)
    keep = [i for i in range(len(hyps)) if lab.n_a[i] >= 2 and lab.n_b[i] >= 2]
    if budget_note and not keep:  # a partial result all the same: what was proposed
        budget_note += f"; {NO_LABELS_NOTE}"
    comps = {i: lab.compare(i, fa[i], fb[i]) for i in keep}
    stats = [_two_sample(comps[i], lab, i, fa[i], fb[i]) for i in keep]
    details = [_details(comps[i], lab, i, fa[i], fb[i]) for i in keep]
    ja = [lab.filled(i, fa[i], "a") for i in keep]
    jb = [lab.filled(i, fb[i], "b") for i in keep]
    spent = meter.judgments
    extra = {"method": "amortized", "amortized_method": "uniform", "teacher_budget": budget,
             "teacher_calls": spent,
             "teacher_calls_training": spent_train,
             "teacher_calls_inference": spent - spent_train,
             "teacher_calls_if_exhaustive": full,
             "student_judgments": int(fa.size + fb.size), "student": choice.describe()}
    if budget_note:
        extra["unverified_hypotheses"] = [h.text for i, h in enumerate(hyps) if i not in keep]
    usage = meter.usage()
    if usage is not None:
        extra["teacher_usage"] = usage
    notes = list(choice.notes) + [
        f"Amortized verification: the teacher judged {spent} of the {full} (hypothesis, text) "
        f"pairs of an exhaustive run ({spent_train} to train the student, the rest a uniformly "
        "random sample per hypothesis); every statistic is a prediction-powered estimate from "
        "those labels and the student's judgments of all validation texts (t reference; "
        "adaptive label rounds, a top-k contender estimated from the labels drawn after it "
        "was chosen)."]
    note = (f"{budget_note}; statistics cover {len(keep)} of {len(hyps)} hypotheses"
            if budget_note else None)
    return Verification([hyps[i] for i in keep], ja, jb, [False] * len(keep), spent, full,
                        rounds_done, budget_note=note, stats=stats, details=details,
                        extra=extra, notes=notes)


def _student(teacher: Judge, hyps: list[Hypothesis], train_texts: Sequence[str],
             plan: AmortizedPlan, train_budget: int, say
             ) -> tuple[StudentChoice, str | None]:
    try:
        choice = provide_student(teacher, train_texts, hyps, budget=train_budget,
                                 student=plan.student, cache_dir=plan.cache_dir,
                                 kind=plan.student_kind, seed=plan.seed, log=say)
    except BudgetExceeded as exc:
        from ..judges.offline import OfflineJudge

        return StudentChoice(OfflineJudge(), "zero-shot"), str(exc)
    say(f"student: {choice.source}" + (f" ({choice.path})" if choice.path else "") +
        (f", {choice.teacher_calls} teacher judgments" if choice.teacher_calls else ""))
    return choice, None


class _Labels:
    """Teacher labels per hypothesis: the first ``n_a[i]`` texts of one seeded random order
    of the A texts (likewise B), so every hypothesis' labelled texts are a uniform sample.

    When more hypotheses are undecided than the top k, the next labels go to k contenders
    chosen *by* their labels so far (they looked large). A chosen hypothesis' estimate then
    uses only the labels drawn after the choice: a uniform sample free of that winner's
    curse (with the earlier labels kept, 95% intervals of the chosen hypotheses covered
    92-94% in scripts/sim_amortized.py). Its earlier texts count as unlabelled for the
    student.
    """

    def __init__(self, n_h: int, n_a: int, n_b: int, seed: int):
        rng = np.random.default_rng([seed, 0x99])
        self.order = {"a": rng.permutation(n_a), "b": rng.permutation(n_b)}
        self.size = {"a": n_a, "b": n_b}
        self.n_a = np.zeros(n_h, dtype=int)
        self.n_b = np.zeros(n_h, dtype=int)
        self.y: dict[str, list[list[float]]] = {"a": [[] for _ in range(n_h)],
                                                "b": [[] for _ in range(n_h)]}
        self.rounds = np.zeros(n_h, dtype=int)
        # labels per side before the hypothesis was chosen as a contender (0: never chosen)
        self.skip = {"a": np.zeros(n_h, dtype=int), "b": np.zeros(n_h, dtype=int)}

    def counts(self, side: str) -> np.ndarray:
        return self.n_a if side == "a" else self.n_b

    def labelled(self, i: int, side: str) -> np.ndarray:
        return self.order[side][:self.counts(side)[i]]

    def used(self, i: int, side: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(teacher labels in the estimate, their texts, every other text)."""
        n = int(self.counts(side)[i])
        skip = int(self.skip[side][i])
        if n - skip < 2:  # too few drawn since the choice (texts or budget ran out)
            skip = 0
        order = self.order[side]
        return (np.asarray(self.y[side][i][skip:], dtype=float), order[skip:n],
                np.concatenate([order[:skip], order[n:]]))

    def parts(self, i: int, f: np.ndarray, side: str):
        """(teacher labels, student on those texts, student on the unlabelled texts)."""
        y, idx, rest = self.used(i, side)
        return y, f[idx], f[rest]

    def compare(self, i: int, fa: np.ndarray, fb: np.ndarray) -> PPIComparison:
        return ppi_two_sample(self.parts(i, fa, "a"), self.parts(i, fb, "b"))

    def filled(self, i: int, f: np.ndarray, side: str) -> np.ndarray:
        """The student's judgments with the teacher's where the teacher labelled."""
        out = np.array(f, dtype=float)
        out[self.labelled(i, side)] = self.y[side][i]
        return out


def _label_rounds(lab: _Labels, hyps: list[Hypothesis], a: list[str], b: list[str],
                  teacher: Judge, fa: np.ndarray, fb: np.ndarray, budget: int,
                  plan: AmortizedPlan, top_k: int, alpha: float, say,
                  on_round) -> tuple[int, str | None]:
    """Label in rounds; returns (rounds finished, budget note or None)."""
    n_h = len(hyps)
    texts = {"a": a, "b": b}
    active = np.ones(n_h, dtype=bool)
    left = budget
    rounds = max(1, plan.rounds)
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0 or left < 2 * idx.size:
            return r, None
        if r == 0:  # at most half the budget, unless that leaves fewer than 4 labels a side
            per_side = max(4, min(plan.min_labels, (left // 2) // (2 * idx.size)))
        else:
            per_side = max(2, (left // (rounds - r)) // (2 * idx.size))
        per_side = min(per_side, left // (2 * idx.size))
        try:
            for side in ("a", "b"):
                left -= _label_side(lab, hyps, texts[side], teacher, idx, per_side, side, r)
        except BudgetExceeded as exc:
            return r, str(exc)
        if on_round:
            on_round(r + 1, int(idx.size))
        say(f"label round {r + 1}: {idx.size} hypotheses, {per_side} more labels per side; "
            f"{left} teacher judgments left")
        undecided, upper = _undecided(lab, fa, fb, top_k, alpha, n_h)
        active &= undecided
        if active.sum() > top_k:  # the next labels go where the top k is decided
            contenders = np.argsort(-np.where(active, upper, -np.inf), kind="stable")[:top_k]
            active = np.isin(np.arange(n_h), contenders)
            for side in ("a", "b"):
                lab.skip[side][contenders] = lab.counts(side)[contenders]
    return rounds, None


def _label_side(lab: _Labels, hyps: list[Hypothesis], texts: list[str], teacher: Judge,
                idx: np.ndarray, k: int, side: str, r: int) -> int:
    """Give each hypothesis in ``idx`` up to ``k`` more labels on one side. Hypotheses at the
    same position of the random order share one teacher call."""
    counts = lab.counts(side)
    groups: dict[tuple[int, int], list[int]] = {}
    for i in idx:
        start = int(counts[i])
        stop = min(start + k, lab.size[side])
        if stop > start:
            groups.setdefault((start, stop), []).append(int(i))
    spent = 0
    for (start, stop), members in groups.items():
        rows = lab.order[side][start:stop]
        y = teacher.judge([hyps[i] for i in members], [texts[t] for t in rows])
        spent += y.size
        for row, i in enumerate(members):
            lab.y[side][i].extend(y[row].tolist())
            counts[i] = stop
            lab.rounds[i] = r + 1
    return spent


def _undecided(lab: _Labels, fa: np.ndarray, fb: np.ndarray, top_k: int, alpha: float,
               n_h: int) -> tuple[np.ndarray, np.ndarray]:
    """Hypotheses that still deserve labels, and every hypothesis' upper 95% bound of
    |validity|. Undecided: not yet clearly significant (Benjamini-Hochberg
    q below alpha / 2 on the labels so far), not judged on every text already, and still
    able to reach the top k (the upper 95% bound of |validity| is above the k-th best lower
    bound)."""
    low, high = np.zeros(n_h), np.full(n_h, np.inf)
    p = np.ones(n_h)
    full = np.zeros(n_h, dtype=bool)
    for i in range(n_h):
        if lab.n_a[i] < 2 or lab.n_b[i] < 2:
            continue
        c = lab.compare(i, fa[i], fb[i])
        d = abs(c.validity)
        half = (c.ci_high - c.ci_low) / 2
        low[i], high[i], p[i] = max(d - half, 0.0), d + half, c.p_value
        full[i] = lab.n_a[i] >= lab.size["a"] and lab.n_b[i] >= lab.size["b"]
    sure = benjamini_hochberg(p) < alpha / 2
    kth = np.sort(low)[::-1][top_k - 1] if n_h >= top_k else -np.inf
    return ~sure & ~full & (high >= kth), high


def _two_sample(c: PPIComparison, lab: _Labels, i: int, fa: np.ndarray,
                fb: np.ndarray) -> TwoSampleStats:
    auc = compare(lab.used(i, "a")[0], lab.used(i, "b")[0]).auc  # on the teacher's labels
    return TwoSampleStats(c.a.estimate, c.b.estimate, c.validity, max(c.ci_low, -1.0),
                          min(c.ci_high, 1.0), c.p_value, auc, fa.size, fb.size, TEST_NAME)


def _details(c: PPIComparison, lab: _Labels, i: int, fa: np.ndarray,
             fb: np.ndarray) -> dict[str, Any]:
    ya, yb = np.asarray(lab.y["a"][i]), np.asarray(lab.y["b"][i])
    sa, sb = fa[lab.labelled(i, "a")], fb[lab.labelled(i, "b")]
    y, s = np.concatenate([ya, yb]), np.concatenate([sa, sb])
    student = compare(fa, fb)
    used_a, used_b = lab.used(i, "a")[0], lab.used(i, "b")[0]
    teacher = compare(used_a, used_b)
    return {
        "teacher_labels": int(ya.size + yb.size), "teacher_labels_a": int(ya.size),
        "teacher_labels_b": int(yb.size), "label_rounds": int(lab.rounds[i]),
        "labels_in_estimate": int(used_a.size + used_b.size),
        "agreement": round(float(np.mean((y >= 0.5) == (s >= 0.5))), 4),
        "mean_abs_gap": round(float(np.mean(np.abs(y - s))), 4),
        "lambda": round(c.a.lam, 4),
        "ppi_ci": [max(c.ci_low, -1.0), min(c.ci_high, 1.0)],
        "student_only": {"validity": student.validity, "ci_low": student.ci_low,
                         "ci_high": student.ci_high, "p_value": student.p_value},
        "teacher_only": {"validity": teacher.validity, "ci_low": teacher.ci_low,
                         "ci_high": teacher.ci_high, "p_value": teacher.p_value},
    }

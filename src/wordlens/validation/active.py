"""Amortized verification, the active method (``AmortizedPlan(method="active")``,
experimental): an expensive judge (the teacher) labels a sample of validation texts per
hypothesis, a cheap student judges every text, and each side's share is estimated by active,
cross-fitted prediction-powered inference.

- **Student.** One logistic regression (pooled over hypotheses, with a per-hypothesis
  offset) over cheap features (the zero-shot offline judge's probability, exact where the
  hypothesis has a programmatic form, or a given or cached student's; embedding similarity;
  lexical overlap), fitted on this run's teacher labels, on folds (cross-prediction, Zrnic &
  Candes 2024): the model that predicts a labelled text never saw its label.
- **Active sampling.** In each of a few *looks*, texts are drawn for a teacher label with a
  known probability that grows with the student's uncertainty (with a floor), and the estimate
  is corrected by inverse-probability weighting (Zrnic & Candes, ICML 2024), so it stays
  unbiased whatever the student does.
- **Allocation and stopping.** The first look spends evenly; later looks go to hypotheses
  still undecided, in proportion to the student's remaining uncertainty on their texts
  (Neyman). A hypothesis whose interim interval clears the significance boundary (or cannot
  reach it even with every text labelled) gets only a floor of draws. Interim looks only steer
  labels: every reported number comes from the final look's estimator, which is unbiased given
  everything before it (earlier labels enter as exact values), so no alpha is spent on looks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BudgetExceeded, InputError
from ..hypothesis import Hypothesis
from ..judges.base import Judge, Meter
from ..stats import (
    PPIComparison,
    PPIMean,
    TwoSampleStats,
    active_ppi_mean,
    benjamini_hochberg,
    compare,
    pool_looks,
    ppi_compare,
    sigmoid,
)
from .adaptive import Verification, verify
from .crossfit import choose_ridge_c, fit_predict_grouped, student_features
from .plan import NO_LABELS_NOTE, AmortizedPlan, default_budget
from .students import StudentChoice, provide_student, teacher_key

TEST_NAME = ("active cross-fitted prediction-powered inference (t reference, alpha spent "
             "over looks)")
CONFIDENCE = 0.95


def alpha_shares(looks: int) -> list[float]:
    """The share of alpha each look spends (Bonferroni over looks): half on the last look,
    the other half evenly on the earlier ones; one look spends all of it."""
    if looks <= 1:
        return [1.0]
    return [0.5 / (looks - 1)] * (looks - 1) + [0.5]
SIDES = ("a", "b")


def verify_active(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str],
                     teacher: Judge, *, train_texts: Sequence[str],
                     plan: AmortizedPlan | None = None, top_k: int = 10, alpha: float = 0.05,
                     log: Callable[[str], None] | None = None,
                     on_round: Callable[[int, int], None] | None = None) -> Verification:
    """Verify ``hypotheses`` on validation texts ``a`` / ``b`` with a teacher budget.

    No student is distilled (a given or cached one serves as a feature); ``train_texts``
    are not read. When the budget would cover most of an exhaustive run (half or
    more), the run is exhaustive instead, and says so. Returns a :class:`Verification` whose
    ``stats`` hold the prediction-powered statistics and whose ``details`` / ``extra`` the
    per-hypothesis and run-level accounting.
    """
    plan = plan or AmortizedPlan()
    say = log or (lambda m: None)
    hyps, a, b = list(hypotheses), list(a), list(b)
    full = len(hyps) * (len(a) + len(b))
    budget = plan.budget if plan.budget is not None else default_budget(
        len(hyps), len(a), len(b), plan.min_labels)
    if budget < 1:
        raise InputError(f"--teacher-budget must be positive, got {budget}")
    if plan.features not in ("stacked", "student"):
        raise InputError(f"amortized features: {plan.features!r}; choose stacked or student")
    if not hyps or budget * 2 >= full:
        ver = verify(hyps, a, b, teacher, top_k=top_k, on_round=on_round)
        ver.extra = {"method": "exhaustive", "requested": "amortized", "teacher_budget": budget}
        if hyps:
            ver.notes.append(f"Amortized verification was asked for, but a teacher budget of "
                             f"{budget} judgments covers half or more of an exhaustive run "
                             f"({full}): every hypothesis was judged by the teacher instead.")
        return ver
    meter = teacher.meter()  # what the teacher spends in this verification
    choice, budget_note = _student(teacher, hyps, train_texts, plan, budget, say)
    spent_train = meter.judgments
    infer_budget = budget - spent_train
    min_pairs = 2 * 2 * len(hyps)
    if budget_note is None and infer_budget < min_pairs:
        raise InputError(f"--teacher-budget {budget}: {infer_budget} teacher judgments left "
                         f"for inference on {len(hyps)} hypotheses; need at least "
                         f"{min_pairs} (2 per side per hypothesis)")
    import time

    t0 = time.perf_counter()
    x = student_features(choice.judge, hyps, a + b, stacked=plan.features == "stacked")
    run = _Looks(hyps, {"a": a, "b": b}, x, teacher, plan, alpha)
    say(f"student features ({choice.source} base, {plan.features}) for {x.shape[0]} x "
        f"{x.shape[1]} pairs; {max(infer_budget, 0)} teacher judgments for inference")
    if budget_note is None:
        budget_note = run.label(infer_budget, say, on_round)
    if not run.done:  # a partial result all the same: what was proposed, unverified
        budget_note = f"{budget_note}; {NO_LABELS_NOTE}"
    return _result(run, choice, budget, spent_train, meter, full, budget_note,
                   time.perf_counter() - t0 - run.teacher_s)


def _student(teacher: Judge, hyps: list[Hypothesis], train_texts: Sequence[str],
             plan: AmortizedPlan, budget: int, say) -> tuple[StudentChoice, str | None]:
    """The base student: given, in the folder or cache, distilled when asked, else the
    zero-shot offline judge."""
    from ..judges.offline import OfflineJudge

    cached = plan.cache_dir is not None and (
        Path(plan.cache_dir) / "students" / teacher_key(teacher) / "student.json").exists()
    if plan.student is None and not cached:  # no distillation: the labels fit the student
        return StudentChoice(OfflineJudge(), "zero-shot"), None
    try:
        choice = provide_student(teacher, train_texts, hyps,
                                 budget=int(round(budget * plan.train_fraction)),
                                 student=plan.student, cache_dir=plan.cache_dir,
                                 kind=plan.student_kind, seed=plan.seed, log=say)
    except BudgetExceeded as exc:
        return StudentChoice(OfflineJudge(), "zero-shot"), str(exc)
    say(f"student: {choice.source}" + (f" ({choice.path})" if choice.path else "") +
        (f", {choice.teacher_calls} teacher judgments" if choice.teacher_calls else ""))
    return choice, None


@dataclass
class _Look:
    """One look's draws for one hypothesis and side: drawn text indices (into the side's
    texts), their probabilities and folds, and the texts labelled before the look."""

    known: np.ndarray  # bool per text: labelled before this look
    idx: np.ndarray
    p: np.ndarray
    fold: np.ndarray
    p_rest: np.ndarray  # the draw probability of every text not labelled before the look


class _Looks:
    """Labels, fitted students and estimates of every hypothesis, look by look."""

    def __init__(self, hyps: list[Hypothesis], texts: dict[str, list[str]], x: np.ndarray,
                 teacher: Judge, plan: AmortizedPlan, alpha: float):
        self.hyps, self.texts, self.teacher, self.plan, self.alpha = (
            hyps, texts, teacher, plan, alpha)
        self.n = {"a": len(texts["a"]), "b": len(texts["b"])}
        self.x = {"a": x[:, :self.n["a"]], "b": x[:, self.n["a"]:]}
        n_h = len(hyps)
        self.rng = np.random.default_rng([plan.seed, 0x99])
        self.known = {s: np.zeros((n_h, self.n[s]), dtype=bool) for s in SIDES}
        self.y = {s: np.zeros((n_h, self.n[s])) for s in SIDES}
        self.f = {s: 1 / (1 + np.exp(-self.x[s][..., 0])) for s in SIDES}  # base student
        self.looks: list[dict[str, list[_Look]]] = []
        # per hypothesis: its last look's comparison (interval at that look's alpha share,
        # p-value the alpha-spending combination over its looks), which look, its draws' f
        self.est: list[PPIComparison | None] = [None] * n_h
        self.p_looks = np.ones(n_h)
        self.per_look: list[list[tuple[PPIMean, PPIMean]]] = [[] for _ in range(n_h)]
        self.last_look = np.full(n_h, -1)
        self.draw_f_last: list[dict[str, np.ndarray]] = [{} for _ in range(n_h)]
        self.decided = np.zeros(n_h, dtype=bool)
        self.labelled_in = np.zeros(n_h, dtype=int)  # looks with more than the floor
        self.done = False
        self.teacher_s = 0.0
        self.ridge_chosen: list[float] = []  # the ridge C each fold model chose (unfixed)

    # -- spending -------------------------------------------------------------------------
    def label(self, budget: int, say, on_round) -> str | None:
        """Run the looks; returns a budget note when the teacher's budget ran out."""
        left = budget
        looks = max(1, self.plan.looks)
        for r in range(looks):
            if r == 0 and looks > 1 and self.plan.first_look is not None:
                share = int(left * self.plan.first_look)
            else:
                share = (left // (looks - r) if r < looks - 1
                         else left - int(2 * np.sqrt(left)))
            draws = self._allocate(max(share, 0), r, left)
            try:
                spent = self._draw_and_label(draws, r)
            except BudgetExceeded as exc:
                return str(exc)
            left -= spent
            self._fit_and_estimate()
            self.done = True
            self._decide()
            if on_round:
                on_round(r + 1, int((~self.decided).sum()))
            say(f"look {r + 1}: {spent} teacher judgments, {int(self.decided.sum())} of "
                f"{len(self.hyps)} hypotheses decided; {left} left")
            if left < 4 * len(self.hyps):
                break
        return None

    def _allocate(self, share: int, r: int, left: int) -> dict[str, np.ndarray]:
        """Draws per hypothesis and side for look ``r`` (Neyman over undecided hypotheses,
        a floor for decided ones); never more than the ``left`` budget (the floor shrinks,
        to 2 a side at least, when the floors would not fit)."""
        n_h = len(self.hyps)
        low = max(2, min(self.plan.min_draws, left // max(1, 2 * n_h)))
        weight = {s: np.zeros(n_h) for s in SIDES}
        for s in SIDES:
            u = np.sqrt(np.clip(self.f[s] * (1 - self.f[s]), 0.01, None)) * ~self.known[s]
            weight[s] = u.sum(axis=1) if r else (~self.known[s]).sum(axis=1).astype(float)
            weight[s][self.decided] = 0.0
        # steering only (no alpha spent on looks): every hypothesis keeps a floor of draws,
        # so each look's estimate exists; alpha spending: a decided hypothesis stops
        stop = self.decided if self.plan.alpha_spending else np.zeros(n_h, dtype=bool)
        floor = {s: np.where((~self.known[s]).any(axis=1) & ~stop, low, 0) for s in SIDES}
        rest = share - sum(int(floor[s].sum()) for s in SIDES)
        total = sum(float(weight[s].sum()) for s in SIDES)
        out = {}
        for s in SIDES:
            extra = (np.floor(rest * weight[s] / total) if total > 0 and rest > 0
                     else np.zeros(n_h))
            out[s] = np.minimum(floor[s] + extra.astype(int),
                                4 * (~self.known[s]).sum(axis=1))
        return out

    def _probabilities(self, i: int, s: str, rest: np.ndarray) -> np.ndarray:
        """Draw probabilities of the not-yet-labelled texts ``rest``: more where the student
        is uncertain, with a uniform floor ``plan.floor`` (the first look: uniform)."""
        f = self.f[s][i, rest]
        u = np.sqrt(np.clip(f * (1 - f), 0.01, None))
        tau = self.plan.floor if self.looks else 1.0  # the first look: uniform
        return (1 - tau) * u / u.sum() + tau / rest.size

    def _draw_and_label(self, draws: dict[str, np.ndarray], r: int) -> int:
        import time

        look: dict[str, list[_Look]] = {}
        pairs: list[tuple[Hypothesis, str]] = []
        where: list[tuple[str, int, int]] = []
        more = np.zeros(len(self.hyps), dtype=bool)  # more than the floor on a side
        for s in SIDES:
            look[s] = []
            for i in range(len(self.hyps)):
                rest = np.flatnonzero(~self.known[s][i])
                m = int(draws[s][i]) if rest.size else 0
                p_all = self._probabilities(i, s, rest) if m else np.zeros(0)
                pick = self.rng.choice(rest.size, size=m, p=p_all) if m else np.zeros(0, int)
                look[s].append(_Look(self.known[s][i].copy(), rest[pick], p_all[pick],
                                     self.rng.permutation(m) % max(1, self.plan.folds),
                                     p_all))
                for t in np.unique(rest[pick]):
                    pairs.append((self.hyps[i], self.texts[s][t]))
                    where.append((s, i, int(t)))
                more[i] |= m > max(2, self.plan.min_draws)
        self.labelled_in += more
        t0 = time.perf_counter()
        y = self.teacher.judge_pairs(pairs) if pairs else np.zeros(0)
        self.teacher_s += time.perf_counter() - t0
        for (s, i, t), v in zip(where, y):
            self.y[s][i, t] = v
            self.known[s][i, t] = True
        self.looks.append(look)
        return len(pairs)

    # -- estimating -----------------------------------------------------------------------
    def _fit_and_estimate(self) -> None:
        """Cross-fitted predictions, then the estimate of each hypothesis drawn in this look.
        The model for fold k is one logistic regression over every hypothesis' labels (the
        features are per (hypothesis, text), so labels of one hypothesis teach the others)
        with ridge-shrunk per-hypothesis intercepts and slopes, trained on the labels known
        before this look and this look's draws outside fold k."""
        r = len(self.looks) - 1
        look = self.looks[-1]
        k = max(1, self.plan.folds)
        preds = [self._fold_model(look, fold, k) for fold in range(k)]  # [H x N] per side
        share_r = self.alpha_share(r)
        for i in range(len(self.hyps)):
            means, draws_f = [], {}
            for s in SIDES:
                lk = look[s][i]
                pk = np.stack([p[s][i] for p in preds])  # [k x N]
                folds = lk.fold % k
                share = np.bincount(folds, minlength=k) / max(1, folds.size)
                fbar = share @ pk if folds.size else pk.mean(axis=0)
                self.f[s][i] = fbar
                self.f[s][i, self.known[s][i]] = self.y[s][i, self.known[s][i]]
                rest = ~lk.known
                if lk.idx.size < 2 and rest.any():
                    break  # not drawn in this look (decided): its last estimate stands
                draws_f[s] = pk[folds, lk.idx] if folds.size else np.zeros(0)
                means.append(active_ppi_mean(self.y[s][i, lk.known], fbar[rest],
                                             self.y[s][i, lk.idx], draws_f[s], lk.p,
                                             rest_p=lk.p_rest,
                                             prior=self.plan.design_prior))
            if len(means) < 2:
                continue
            self.per_look[i].append((means[0], means[1]))
            looks_i = self.per_look[i] if self.plan.pool == "equal" else self.per_look[i][-1:]
            ea = pool_looks([m[0] for m in looks_i])
            eb = pool_looks([m[1] for m in looks_i])
            c = ppi_compare(ea, eb, confidence=1 - (1 - CONFIDENCE) * share_r)
            self.p_looks[i] = (min(self.p_looks[i], min(1.0, c.p_value / share_r))
                               if self.plan.alpha_spending else c.p_value)
            self.est[i] = replace(c, p_value=self.p_looks[i])
            self.last_look[i] = r
            self.draw_f_last[i] = draws_f

    def alpha_share(self, r: int) -> float:
        """The share of alpha look ``r`` spends: all of it at the last look when looks only
        steer the labels, else :func:`alpha_shares`."""
        if not self.plan.alpha_spending:
            return 1.0
        looks = max(1, self.plan.looks)
        return alpha_shares(looks)[min(r, looks - 1)]

    def _fold_model(self, look: dict[str, list[_Look]], fold: int, k: int
                    ) -> dict[str, np.ndarray]:
        """[H x N] predictions per side by the model that did not see fold ``fold``."""
        use = {}
        for s in SIDES:
            u = np.zeros_like(self.known[s])
            for i, lk in enumerate(look[s]):
                u[i] = lk.known
                u[i, lk.idx[lk.fold % k != fold]] = True
            use[s] = u
        xt = np.concatenate([self.x[s][use[s]] for s in SIDES])
        yt = np.concatenate([self.y[s][use[s]] for s in SIDES])
        owner = np.concatenate([np.nonzero(use[s])[0] for s in SIDES])
        n_h, d = len(self.hyps), self.x["a"].shape[-1]
        both = np.concatenate([self.x["a"], self.x["b"]], axis=1)
        rows = np.repeat(np.arange(n_h), both.shape[1])
        c = self.plan.ridge_c
        if c is None:  # chosen on this fold model's training labels only (never on fold k's)
            c = choose_ridge_c(xt, yt, owner, n_h, seed=self.plan.seed + fold)
            self.ridge_chosen.append(c)
        p = sigmoid(fit_predict_grouped(xt, yt, owner, both.reshape(-1, d), rows, n_h,
                                        c=c).reshape(n_h, -1))
        return {"a": p[:, :self.n["a"]], "b": p[:, self.n["a"]:]}

    def comparisons(self) -> list[PPIComparison]:
        """Every estimated hypothesis' comparison as of its last look."""
        return [c for c in self.est if c is not None]

    def _decide(self) -> None:
        """Decided: significant already (Benjamini-Hochberg q of the alpha-spending p-values
        below alpha: those p-values only fall with later looks, so it stays significant), or
        unable to reach significance even with every text labelled. A decided hypothesis
        gets no more draws; its budget goes to the others."""
        have = [i for i, c in enumerate(self.est) if c is not None]
        q = benjamini_hochberg([self.est[i].p_value for i in have])  # type: ignore[union-attr]
        for i, qi in zip(have, q):
            c = self.est[i]
            assert c is not None
            ea, eb = c.a.estimate, c.b.estimate
            se_full = np.sqrt(max(ea * (1 - ea), 0) / self.n["a"] +
                              max(eb * (1 - eb), 0) / self.n["b"])
            half = (c.ci_high - c.ci_low) / 2
            futile = abs(c.validity) + 1.35 * half < 1.96 * se_full
            sure = qi < (self.alpha if self.plan.alpha_spending else self.alpha / 4)
            self.decided[i] = bool(sure or futile)


def _result(run: _Looks, choice: StudentChoice, budget: int, spent_train: int, meter: Meter,
            full: int, budget_note: str | None, student_s: float) -> Verification:
    keep = [i for i, c in enumerate(run.est) if c is not None]
    comps = [run.est[i] for i in keep]
    hyps = [run.hyps[i] for i in keep]
    students = [compare(run.f["a"][i], run.f["b"][i]) for i in keep]
    stats = [_two_sample(c, run, s.auc) for c, s in zip(comps, students)]  # type: ignore
    details = [_details(c, run, i, s) for i, c, s in zip(keep, comps, students)]  # type: ignore
    ja = [run.f["a"][i].copy() for i in keep]
    jb = [run.f["b"][i].copy() for i in keep]
    spent = meter.judgments
    extra = {"method": "amortized", "amortized_method": "active", "teacher_budget": budget,
             "teacher_calls": spent,
             "teacher_calls_training": spent_train,
             "teacher_calls_inference": spent - spent_train,
             "teacher_calls_if_exhaustive": full, "looks": len(run.looks),
             "alpha_shares": ([run.alpha_share(r) for r in range(max(1, run.plan.looks))]
                              if run.plan.alpha_spending else None),
             "stopped_early": int(sum(run.last_look[i] < len(run.looks) - 1 or (
                 run.decided[i] and run.labelled_in[i] < len(run.looks)) for i in keep)),
             "student_judgments": int(sum(run.n.values()) * len(hyps)),
             "student_seconds": round(student_s, 2),
             "student_ridge_c": _ridge_summary(run),
             "teacher_seconds": round(run.teacher_s, 2),
             "student": choice.describe()}
    if budget_note:
        extra["unverified_hypotheses"] = [h.text for i, h in enumerate(run.hyps)
                                          if i not in keep]
    usage = meter.usage()
    if usage is not None:
        extra["teacher_usage"] = usage
    notes = list(choice.notes) + [
        f"Amortized verification: the teacher judged {spent} of the {full} (hypothesis, text) "
        f"pairs of an exhaustive run, drawn in {len(run.looks)} looks with probabilities that "
        "grow with the student's uncertainty; a student fitted on those labels (cross-fitted: "
        "the model that predicts a label never saw it) judged the rest. Each look's estimate "
        "is an active prediction-powered one (unbiased whatever the student; t reference); "
        f"{_stopping_note(run.plan)} The AUC is that of the student's judgments with the "
        "teacher's "
        "where it labelled."]
    note = budget_note and (f"{budget_note}; statistics from look {len(run.looks)}" if keep
                            else f"{budget_note}; statistics cover 0 of {len(run.hyps)} "
                            "hypotheses")
    return Verification(hyps, ja, jb, [False] * len(hyps), spent, full, len(run.looks),
                        budget_note=note, stats=stats, details=details, extra=extra,
                        notes=notes)


def _ridge_summary(run: _Looks) -> dict[str, Any]:
    """The student's inverse ridge penalty: fixed by the plan, or how often each value was
    chosen by the fold models' inner cross-validation."""
    if run.plan.ridge_c is not None:
        return {"fixed": run.plan.ridge_c}
    values, counts = np.unique(run.ridge_chosen, return_counts=True)
    return {"chosen": {f"{v:g}": int(n) for v, n in zip(values, counts)}}


def _stopping_note(plan: AmortizedPlan) -> str:
    if plan.alpha_spending:
        return ("A hypothesis stops drawing once significant or out of reach, and alpha is "
                f"spent over the looks (Bonferroni, shares {alpha_shares(max(1, plan.looks))}): "
                "its p-value is the smallest over its looks of p / share, its interval that "
                "of its last look at 1 - 0.05 x share.")
    return ("Looks only steer the labels (a hypothesis decided after a look keeps a floor of "
            "draws, the rest go to the undecided ones); every statistic is the equal-weight "
            "average of the looks' estimates, each unbiased given the looks before it, so no "
            "alpha is spent on looks.")


def _two_sample(c: PPIComparison, run: _Looks, auc: float) -> TwoSampleStats:
    return TwoSampleStats(c.a.estimate, c.b.estimate, c.validity, max(c.ci_low, -1.0),
                          min(c.ci_high, 1.0), c.p_value, auc, run.n["a"], run.n["b"],
                          TEST_NAME)


def _details(c: PPIComparison, run: _Looks, i: int, student: TwoSampleStats
             ) -> dict[str, Any]:
    from sklearn.metrics import cohen_kappa_score

    look = run.looks[run.last_look[i]]
    na, nb = int(run.known["a"][i].sum()), int(run.known["b"][i].sum())
    y = np.concatenate([run.y[s][i, look[s][i].idx] for s in SIDES])
    f = np.concatenate([run.draw_f_last[i].get(s, np.zeros(0)) for s in SIDES])
    agree = float(np.mean((y >= 0.5) == (f >= 0.5))) if y.size else float("nan")
    kappa = (float(cohen_kappa_score(y >= 0.5, f >= 0.5))
             if y.size and len(set(y >= 0.5) | set(f >= 0.5)) > 1 else 0.0)
    # the labels alone: a binomial variance with one pseudo-yes and one pseudo-no per side
    # (Agresti-Caffo), so a side whose estimate is 0 or 1 does not claim a variance near 0
    ea, eb = ((c.a.estimate * na + 1) / (na + 2), (c.b.estimate * nb + 1) / (nb + 2))
    var_teacher = ea * (1 - ea) / max(na, 1) + eb * (1 - eb) / max(nb, 1)
    var_ppi = max(c.a.se ** 2 + c.b.se ** 2, 1e-12)
    ya, yb = run.y["a"][i, run.known["a"][i]], run.y["b"][i, run.known["b"][i]]
    teacher = compare(ya, yb) if ya.size >= 2 and yb.size >= 2 else None
    return {
        "teacher_labels": na + nb, "teacher_labels_a": na, "teacher_labels_b": nb,
        "label_rounds": int(run.labelled_in[i]),
        "labels_in_estimate": int(c.a.n_labelled + c.b.n_labelled),
        "effective_labels": round((na + nb) * var_teacher / var_ppi, 1),
        "agreement": round(agree, 4) if np.isfinite(agree) else None,
        "kappa": round(kappa, 4) if np.isfinite(kappa) else None,
        "mean_abs_gap": round(float(np.mean(np.abs(y - f))), 4) if y.size else None,
        "decided_early": bool(run.last_look[i] < len(run.looks) - 1 or (
            run.decided[i] and run.labelled_in[i] < len(run.looks))),
        "last_look": int(run.last_look[i]) + 1,
        "alpha_share": run.alpha_share(int(run.last_look[i])),
        "ppi_ci": [max(c.ci_low, -1.0), min(c.ci_high, 1.0)],
        "student_only": {"validity": student.validity, "ci_low": student.ci_low,
                         "ci_high": student.ci_high, "p_value": student.p_value},
        "teacher_only": None if teacher is None else {
            "validity": teacher.validity, "ci_low": teacher.ci_low,
            "ci_high": teacher.ci_high, "p_value": teacher.p_value},
    }

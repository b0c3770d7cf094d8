"""Two-sample statistics for (possibly soft) judgments, and false-discovery control.

Judgments are numbers in [0, 1]: the probability, by some judge, that a hypothesis holds for a
text. For one hypothesis, the share in A minus the share in B is its *validity*.

- When every judgment is exactly 0 or 1 the data are two binomial samples: the p-value and the
  confidence interval both come from the score method (Miettinen-Nurminen) of statsmodels, so
  they agree with each other.
- Otherwise the judgments are bounded numbers and the difference of means is tested with
  Welch's t-test (scipy), whose interval is the matching Welch interval.

AUC is the Mann-Whitney probability that a random A text is judged higher than a random B
text (ties count one half).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep


@dataclass(frozen=True)
class TwoSampleStats:
    share_a: float
    share_b: float
    validity: float
    ci_low: float
    ci_high: float
    p_value: float
    auc: float
    n_a: int
    n_b: int
    test: str


def _is_binary(x: np.ndarray) -> bool:
    return bool(np.all((x == 0) | (x == 1)))


def compare(ja: np.ndarray, jb: np.ndarray, confidence: float = 0.95) -> TwoSampleStats:
    """Compare judgments of one hypothesis on A texts (`ja`) and B texts (`jb`)."""
    ja = np.asarray(ja, dtype=float)
    jb = np.asarray(jb, dtype=float)
    if ja.size < 2 or jb.size < 2:
        raise ValueError("need at least 2 judgments on each side")
    na, nb = ja.size, jb.size
    ma, mb = float(ja.mean()), float(jb.mean())
    diff = ma - mb
    auc = _auc(ja, jb)
    if _is_binary(ja) and _is_binary(jb):
        return _compare_counts(int(ja.sum()), na, int(jb.sum()), nb, auc, confidence)
    if np.ptp(ja) == 0 and np.ptp(jb) == 0:  # exact: std() of equal floats may not be 0
        p = 1.0 if diff == 0 else 0.0
        return TwoSampleStats(ma, mb, diff, diff, diff, p, auc, na, nb, "constant")
    with warnings.catch_warnings():
        # one side of identical values (duplicate texts): scipy warns about rounding in a
        # variance that is truly 0; the test is still right
        warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        res = sps.ttest_ind(ja, jb, equal_var=False)
    ci = res.confidence_interval(confidence)
    low, high = _clip(float(ci.low), float(ci.high))
    return TwoSampleStats(ma, mb, diff, low, high, float(res.pvalue), auc,
                          na, nb, "Welch t-test on soft judgments")


def _clip(low: float, high: float) -> tuple[float, float]:
    """An interval of a difference of shares in [0, 1] clipped to [-1, 1]: the difference
    cannot leave it, so the clipped interval covers exactly when the unclipped one does."""
    return max(low, -1.0), min(high, 1.0)


def _compare_counts(ca: int, na: int, cb: int, nb: int, auc: float,
                    confidence: float) -> TwoSampleStats:
    """Yes/no judgments: the score test for two proportions and its interval."""
    ma, mb = ca / na, cb / nb
    diff = ma - mb
    if ca in (0, na) and cb in (0, nb) and (ca == 0) == (cb == 0):
        return TwoSampleStats(ma, mb, diff, 0.0, 0.0, 1.0, auc, na, nb, "constant")
    with np.errstate(all="ignore"):
        res = test_proportions_2indep(ca, na, cb, nb, method="score", compare="diff")
    low, high = _diff_ci(ca, na, cb, nb, confidence)
    return TwoSampleStats(ma, mb, diff, float(low), float(high), float(res.pvalue), auc,
                          na, nb, "score test for two proportions")


def _diff_ci(ca: int, na: int, cb: int, nb: int, confidence: float) -> tuple[float, float]:
    """Score (Miettinen-Nurminen) interval; Newcombe's hybrid Wilson interval where the score
    inversion has no solution (all-or-none counts)."""
    alpha = 1 - confidence
    with np.errstate(all="ignore"):
        try:
            low, high = confint_proportions_2indep(ca, na, cb, nb, method="score",
                                                   compare="diff", alpha=alpha)
            if np.isfinite(low) and np.isfinite(high):
                return float(low), float(high)
        except (ValueError, RuntimeError, ZeroDivisionError):
            pass
        low, high = confint_proportions_2indep(ca, na, cb, nb, method="newcomb",
                                               compare="diff", alpha=alpha)
    return float(low), float(high)


def _auc(ja: np.ndarray, jb: np.ndarray) -> float:
    if np.all(ja == ja[0]) and np.all(jb == ja[0]):
        return 0.5
    u = sps.mannwhitneyu(ja, jb, alternative="two-sided").statistic
    return float(u / (ja.size * jb.size))


def benjamini_hochberg(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), same order as given."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    return multipletests(p, method="fdr_bh")[1]


@dataclass(frozen=True)
class SampleMoments:
    """Sufficient statistics of one hypothesis' judgments on one side, from which
    :func:`compare_moments` gives the same numbers as :func:`compare` on the judgments.

    ``n``, ``mean`` and ``m2`` (sum of squared deviations from the mean) give the shares and
    Welch's test; ``ones`` / ``zeros`` (judgments exactly 1 / 0) decide whether the judgments
    are 0/1 and give the score test's counts; ``low`` / ``high`` detect constant judgments.
    ``auc_sample`` holds the judgments of a bounded seeded uniform sample of the texts (all
    of them when there are few), from which the AUC is computed.
    """

    n: int
    mean: float
    m2: float
    ones: int
    zeros: int
    low: float
    high: float
    auc_sample: np.ndarray

    @property
    def binary(self) -> bool:
        return self.ones + self.zeros == self.n


def compare_moments(a: SampleMoments, b: SampleMoments,
                    confidence: float = 0.95) -> TwoSampleStats:
    """:func:`compare` from sufficient statistics (streamed or merged judgments).

    Shares, the interval and the p-value equal :func:`compare`'s up to floating point; the
    AUC is :func:`compare`'s on ``auc_sample`` (exact when the samples hold every judgment).
    """
    na, nb = a.n, b.n
    if na < 2 or nb < 2:
        raise ValueError("need at least 2 judgments on each side")
    ma, mb = a.mean, b.mean
    diff = ma - mb
    auc = _auc(np.asarray(a.auc_sample, float), np.asarray(b.auc_sample, float))
    if a.binary and b.binary:
        return _compare_counts(a.ones, na, b.ones, nb, auc, confidence)
    if a.low == a.high and b.low == b.high:
        p = 1.0 if a.low == b.low else 0.0
        return TwoSampleStats(ma, mb, diff, diff, diff, p, auc, na, nb, "constant")
    sa, sb = max(a.m2, 0.0) / (na - 1) / na, max(b.m2, 0.0) / (nb - 1) / nb
    se = float(np.sqrt(sa + sb))
    df = (sa + sb) ** 2 / (sa ** 2 / (na - 1) + sb ** 2 / (nb - 1))
    t = diff / se
    p = float(2 * sps.t.sf(abs(t), df))
    half = float(sps.t.ppf(0.5 + confidence / 2, df)) * se
    low, high = _clip(diff - half, diff + half)
    return TwoSampleStats(ma, mb, diff, low, high, p, auc, na, nb,
                          "Welch t-test on soft judgments")


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two judgment rows; 0 when either is constant."""
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function; ``z`` is clipped to [-40, 40] so ``exp`` never overflows."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


# ---- prediction-powered inference ---------------------------------------------------------

@dataclass(frozen=True)
class PPIMean:
    """Prediction-powered estimate of a mean (one side of a comparison).

    ``estimate = lam * mean(student on unlabelled) + mean(teacher - lam * student on
    labelled)``; ``se`` is its standard error, ``lam`` the power-tuning weight (1 = the
    original PPI, 0 = the teacher labels alone)."""

    estimate: float
    se: float
    lam: float
    n_labelled: int
    n_unlabelled: int
    #: Welch-Satterthwaite degrees of freedom of ``se**2`` (labelled part n - 1 df,
    #: unlabelled part N - 1 df); inf when unknown, i.e. the normal reference
    df: float = float("inf")
    #: active estimates only: (population variance, its df), (design variance, its df)
    parts: tuple[tuple[float, float], ...] = ()


def ppi_lambda(y: np.ndarray, yhat: np.ndarray, yhat_unlabelled: np.ndarray) -> float:
    """The variance-minimising weight of PPI++ (Angelopoulos, Duchi & Zrnic 2023), clipped
    to [0, 1]: cov(teacher, student) / ((1 + n / N) var(student))."""
    y, f, fu = (np.asarray(v, dtype=float) for v in (y, yhat, yhat_unlabelled))
    n, big_n = y.size, fu.size
    if n < 2 or big_n < 1:
        return 0.0
    var_f = float(np.var(np.concatenate([f, fu]), ddof=1))
    if var_f <= 1e-12:
        return 0.0
    cov = float(np.mean((y - y.mean()) * (f - f.mean())))
    return float(np.clip(cov / ((1.0 + n / big_n) * var_f), 0.0, 1.0))


def ppi_mean(y: np.ndarray, yhat: np.ndarray, yhat_unlabelled: np.ndarray, *,
             lam: float | None = None, pseudo_labels: bool | None = None,
             student_at: tuple[float, float] | None = None) -> PPIMean:
    """Prediction-powered inference for a mean (Angelopoulos et al., Science 2023).

    ``y`` are teacher judgments of a uniformly random labelled sample, ``yhat`` the student's
    judgments of the same texts, ``yhat_unlabelled`` the student's judgments of the other
    texts. The estimate is unbiased whatever the student is; its variance is
    ``lam^2 var(student, unlabelled) / N + var(teacher - lam * student, labelled) / n``.
    ``lam=None`` tunes the weight (PPI++); a useless student gets a weight near 0 and the
    interval of the teacher labels alone.

    With ``pseudo_labels`` the rectifier's variance is computed with two pseudo-observations
    added, a teacher "yes" and a "no" (as Agresti and Caffo add one success and one failure
    per group), each paired with what the student says where the teacher says yes / no:
    ``student_at`` = (student's mean on teacher-yes, on teacher-no labels), by default the
    student's mean for both. A student that follows the teacher thus adds little width, a
    useless one the full Agresti-Caffo width. ``None`` (default) adds them when the
    teacher's labels are unanimous or the interval would otherwise have zero width: a
    handful of unanimous labels says little about the variance, and the paper's variance
    estimate of 0 (or nearly 0, from the student alone) gives p-values far too small in the
    tails, which Benjamini-Hochberg over many hypotheses reaches (scripts/sim_amortized.py).
    Otherwise the paper's variance is used. ``df`` carries the degrees of freedom of the
    variance for a t reference (:func:`ppi_compare`).
    """
    y, f, fu = (np.asarray(v, dtype=float) for v in (y, yhat, yhat_unlabelled))
    if y.size != f.size:
        raise ValueError("y and yhat must have the same length")
    n, big_n = y.size, fu.size
    if n < 2:
        raise ValueError("need at least 2 labelled judgments")
    if big_n < 2:
        lam = 0.0
    lam = ppi_lambda(y, f, fu) if lam is None else float(lam)
    rect = y - lam * f
    est = float(rect.mean() + (lam * fu.mean() if big_n else 0.0))
    v_imp = lam ** 2 * float(np.var(fu, ddof=1)) / big_n if big_n >= 2 else 0.0
    if pseudo_labels or (pseudo_labels is None and (
            np.ptp(y) == 0 or (np.ptp(rect) == 0 and v_imp == 0))):
        at_yes, at_no = student_at if student_at is not None else (f.mean(), f.mean())
        rect = np.concatenate([rect, [1.0 - lam * at_yes, -lam * at_no]])
    v_rect = float(np.var(rect, ddof=1)) / n
    return PPIMean(est, float(np.sqrt(v_rect + v_imp)), lam, n, big_n,
                   satterthwaite([(v_rect, n - 1), (v_imp, big_n - 1)]))


def satterthwaite(parts: Sequence[tuple[float, float]]) -> float:
    """Welch-Satterthwaite degrees of freedom of a sum of independent variance estimates,
    given as (variance, its degrees of freedom); inf when every part is 0."""
    total = sum(v for v, _ in parts)
    denom = sum(v * v / d for v, d in parts if v > 0 and d > 0)
    return float(total * total / denom) if denom > 0 else float("inf")


@dataclass(frozen=True)
class PPIComparison:
    """Difference of two independent prediction-powered means, with its normal-approximation
    interval and two-sided p-value."""

    a: PPIMean
    b: PPIMean
    validity: float
    ci_low: float
    ci_high: float
    p_value: float


def ppi_compare(a: PPIMean, b: PPIMean, confidence: float = 0.95) -> PPIComparison:
    """Validity = ``a.estimate - b.estimate``; the sides are independent samples, so the
    variances add. The reference distribution is Student's t with Welch-Satterthwaite
    degrees of freedom (the normal one for large samples): with ten labels a side the
    normal tails are far too thin for the small thresholds Benjamini-Hochberg uses."""
    diff = a.estimate - b.estimate
    se = float(np.hypot(a.se, b.se))
    if se <= 0:
        p = 1.0 if diff == 0 else 0.0
        return PPIComparison(a, b, diff, diff, diff, p)
    ref = sps.t(satterthwaite([(a.se ** 2, a.df), (b.se ** 2, b.df)]))
    q = float(ref.ppf(0.5 + confidence / 2))
    p = float(2 * ref.sf(abs(diff) / se))
    return PPIComparison(a, b, diff, diff - q * se, diff + q * se, p)


def ppi_two_sample(a: tuple[np.ndarray, np.ndarray, np.ndarray],
                   b: tuple[np.ndarray, np.ndarray, np.ndarray],
                   confidence: float = 0.95) -> PPIComparison:
    """PPI on each side, ``(teacher labels, student on them, student on the unlabelled)``,
    with one PPI++ weight tuned on both sides' labels together (a side whose few labels are
    unanimous says nothing alone about how well the student follows the teacher)."""
    y, f, fu = (np.concatenate([x, z]) for x, z in zip(a, b))
    lam = ppi_lambda(y, f, fu)
    at = student_where_teacher_says(y, f)
    return ppi_compare(ppi_mean(*a, lam=lam, student_at=at),
                       ppi_mean(*b, lam=lam, student_at=at), confidence)


def student_where_teacher_says(y: np.ndarray, f: np.ndarray) -> tuple[float, float]:
    """The student's mean judgment where the teacher says yes, and where it says no (soft
    teacher judgments weigh each text by y and 1 - y); the student's overall mean where the
    teacher never says one of them."""
    y, f = np.asarray(y, dtype=float), np.asarray(f, dtype=float)
    mean = float(f.mean()) if f.size else 0.5
    w_yes, w_no = float(y.sum()), float((1 - y).sum())
    return (float((y * f).sum() / w_yes) if w_yes > 0 else mean,
            float(((1 - y) * f).sum() / w_no) if w_no > 0 else mean)


def active_ppi_mean(known_y: np.ndarray, f_rest: np.ndarray, draw_y: np.ndarray,
                    draw_f: np.ndarray, draw_p: np.ndarray,
                    rest_p: np.ndarray | None = None, prior: float = 5.0) -> PPIMean:
    """Active, cross-fitted prediction-powered mean of one side's N texts (Zrnic & Candes,
    *Active statistical inference*, ICML 2024, with the cross-fitting of *Cross-prediction-
    powered inference*, 2024), for a draw with replacement of m texts from the R texts not yet
    labelled, text t drawn with the known probability p_t (a probability that grows with the
    student's uncertainty, with a floor).

    ``known_y``: teacher labels of texts labelled before this draw (exact parts of the mean);
    ``f_rest``: the student on the R other texts (for cross-fitting, the fold-size-weighted
    average of the fold models); ``draw_y`` / ``draw_f`` / ``draw_p``: per draw, the teacher's
    label, the prediction of the model that was *not* trained on that draw's fold, and its
    probability. The estimate ``(sum(known_y) + sum(f_rest) + mean((y - f) / p)) / N`` is
    unbiased whatever the student (Hansen-Hurwitz); its variance is the population part
    ``sigma^2 / N`` (what the teacher on every text would have) plus the design part
    ``var((y - f) / p) / (m N^2)``, each with its degrees of freedom (N - 1, m - 1) for a t
    reference. ``lam`` is 1 (the cross-fitted student is calibrated on the labels).

    ``rest_p`` (the draw probability of each of the R texts, in ``f_rest``'s order) shrinks
    the design variance towards the one a calibrated student implies,
    ``v_model = sum(f (1 - f) / p) / (m N^2)``, with the weight of ``prior`` pseudo-draws:
    ``((m - 1) v_draws + prior v_model) / (m - 1 + prior)`` with ``m - 1 + prior`` degrees of
    freedom. Both are unbiased for a calibrated student; with few draws the model part keeps
    a handful of draws that all agree with a confident student from claiming a design variance
    near zero, with many the draws decide.
    """
    ky, fr = np.asarray(known_y, float), np.asarray(f_rest, float)
    y, f, p = (np.asarray(v, float) for v in (draw_y, draw_f, draw_p))
    m, big_n = y.size, ky.size + fr.size
    if m < 2 and fr.size:
        raise ValueError("need at least 2 draws")
    w = (y - f) / p if m else np.zeros(0)
    w2 = (y ** 2 - f ** 2) / p if m else np.zeros(0)
    corr = float(w.mean()) if fr.size else 0.0
    est = float((ky.sum() + fr.sum() + corr) / big_n)
    m2 = float((np.sum(ky ** 2) + np.sum(fr ** 2) + (float(w2.mean()) if fr.size else 0.0))
               / big_n)
    sigma2 = float(np.clip(m2 - est ** 2, 0.0, 0.25))
    if est <= 0.0 or est >= 1.0:  # a side that looks unanimous: Agresti-Caffo's 1 and 0 more
        sigma2 = max(sigma2, (1.0 / (big_n + 2)) * (1 - 1.0 / (big_n + 2)))
    v_pop = sigma2 / big_n
    v_design = float(np.var(w, ddof=1)) / m / big_n ** 2 if fr.size and m >= 2 else 0.0
    df_design = float(max(m - 1, 1))
    if rest_p is not None and fr.size and m and prior > 0:
        fc = np.clip(fr, 0.0, 1.0)
        v_model = float(np.sum(fc * (1 - fc) / np.asarray(rest_p, float))) / m / big_n ** 2
        v_design = ((m - 1) * v_design + prior * v_model) / (m - 1 + prior)
        df_design = m - 1 + prior
    parts = ((v_pop, float(big_n - 1)), (v_design, df_design))
    return PPIMean(est, float(np.sqrt(v_pop + v_design)), 1.0, int(ky.size + m), int(fr.size),
                   satterthwaite(parts), parts)


def pool_looks(means: Sequence[PPIMean]) -> PPIMean:
    """The equal-weight average of one side's active estimates from successive looks (each
    unbiased given the looks before it, so their design errors are uncorrelated): its
    variance is the last look's population part plus sum(design variances) / r^2, with
    Welch-Satterthwaite degrees of freedom. The weights are fixed in advance (1 / r), never
    chosen from the data, so the average stays unbiased however the looks were steered."""
    r = len(means)
    if r == 1:
        return means[0]
    est = float(np.mean([m.estimate for m in means]))
    parts = [means[-1].parts[0]] + [(m.parts[1][0] / r ** 2, m.parts[1][1]) for m in means]
    var = sum(v for v, _ in parts)
    return PPIMean(est, float(np.sqrt(var)), 1.0, means[-1].n_labelled,
                   means[-1].n_unlabelled, satterthwaite(parts), tuple(parts))

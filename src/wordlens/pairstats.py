"""Paired statistics: two judgments per unit (the A and B text of one pair).

For one hypothesis, pair i gives a judgment of its A text and of its B text; validity is the
mean of the per-pair differences (= share in A minus share in B over the same pairs).

- 0/1 judgments: McNemar's exact test (statsmodels, the binomial test on the discordant
  pairs) for the p-value; the interval of the difference of paired proportions is Tango's
  (1998) score interval, which keeps its coverage with few discordant pairs (a Wald-type
  interval, even Agresti-Min's, covers 93% at 95% there: scripts/sim_paired_groups.py).
- Soft judgments: the paired t-test (scipy ``ttest_rel``) and its interval of the mean
  difference.

The ``auc`` of a paired comparison is the within-pair probability that the A text is judged
higher than the B text of the same pair (ties count one half).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar

from .stats import TwoSampleStats

MCNEMAR = "McNemar exact test (paired 0/1 judgments)"
PAIRED_T = "paired t-test on soft judgments"


@dataclass(frozen=True)
class PairedMoments:
    """Sufficient statistics of one hypothesis' paired judgments (mergeable over batches of
    pairs): ``n`` pairs, the sums of A's and B's judgments, the mean and sum of squared
    deviations of the per-pair differences d = A - B, the discordant counts of 0/1 pairs
    (``n10``: A yes, B no; ``n01``), the pairs with d > 0 and d = 0, and whether every
    judgment was 0 or 1."""

    n: int
    sum_a: float
    sum_b: float
    mean_d: float
    m2_d: float
    n10: int
    n01: int
    n_pos: int
    n_zero: int
    binary: bool

    @classmethod
    def of(cls, ja: np.ndarray, jb: np.ndarray) -> PairedMoments:
        ja = np.asarray(ja, dtype=float)
        jb = np.asarray(jb, dtype=float)
        if ja.shape != jb.shape:
            raise ValueError("paired judgments must have the same length on both sides")
        d = ja - jb
        mean = float(d.mean()) if d.size else 0.0
        return cls(int(d.size), float(ja.sum()), float(jb.sum()), mean,
                   float(((d - mean) ** 2).sum()), int(np.sum((ja == 1) & (jb == 0))),
                   int(np.sum((ja == 0) & (jb == 1))), int(np.sum(d > 0)),
                   int(np.sum(d == 0)),
                   bool(np.all((ja == 0) | (ja == 1)) and np.all((jb == 0) | (jb == 1))))

    def merge(self, o: PairedMoments) -> PairedMoments:
        """The moments of both batches of pairs (Chan's formula for the differences)."""
        if self.n == 0 or o.n == 0:
            return o if self.n == 0 else self
        n = self.n + o.n
        delta = o.mean_d - self.mean_d
        return PairedMoments(n, self.sum_a + o.sum_a, self.sum_b + o.sum_b,
                             self.mean_d + delta * o.n / n,
                             self.m2_d + o.m2_d + delta ** 2 * self.n * o.n / n,
                             self.n10 + o.n10, self.n01 + o.n01, self.n_pos + o.n_pos,
                             self.n_zero + o.n_zero, self.binary and o.binary)


def compare_paired(ja: np.ndarray, jb: np.ndarray, confidence: float = 0.95) -> TwoSampleStats:
    """Compare judgments of one hypothesis on the A and B texts of the same pairs."""
    return compare_paired_moments(PairedMoments.of(ja, jb), confidence)


def compare_paired_moments(m: PairedMoments, confidence: float = 0.95) -> TwoSampleStats:
    """:func:`compare_paired` from the pairs' sufficient statistics (what the streaming
    engines keep): the same numbers as from the judgments themselves."""
    n = m.n
    if n < 2:
        raise ValueError("need at least 2 pairs")
    ma, mb, diff = m.sum_a / n, m.sum_b / n, (m.sum_a - m.sum_b) / n
    auc = float((m.n_pos + 0.5 * m.n_zero) / n)
    if m.binary:
        p = mcnemar_exact(m.n10, m.n01)
        low, high = tango_interval(m.n10, m.n01, n, confidence)
        return TwoSampleStats(ma, mb, diff, low, high, p, auc, n, n, MCNEMAR)
    se = float(np.sqrt(max(m.m2_d, 0.0) / (n - 1) / n))
    if se <= 1e-12 * max(1.0, abs(diff)):  # every pair differs by the same amount
        p = 1.0 if diff == 0 else 0.0
        return TwoSampleStats(ma, mb, diff, diff, diff, p, auc, n, n, "constant")
    ref = sps.t(n - 1)
    q = float(ref.ppf(0.5 + confidence / 2))
    p = float(2 * ref.sf(abs(diff) / se))
    return TwoSampleStats(ma, mb, diff, diff - q * se, diff + q * se, p, auc, n, n, PAIRED_T)


def mcnemar_exact(n10: int, n01: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts (1 when there are none)."""
    if n10 + n01 == 0:
        return 1.0
    return float(mcnemar([[0, n10], [n01, 0]], exact=True).pvalue)


def tango_score(delta: float, n10: int, n01: int, n: int) -> float:
    """Tango's score statistic for the paired difference ``delta`` = P(A) - P(B) (decreasing
    in ``delta``; its variance uses the constrained MLE of the B-only cell)."""
    w = -n10 - n01 + (2 * n - n10 + n01) * delta
    p01 = (np.sqrt(max(w * w + 8 * n * n01 * delta * (1 - delta), 0.0)) - w) / (4 * n)
    var = n * (2 * p01 + delta * (1 - delta))
    num = n10 - n01 - n * delta
    if var <= 0:
        return 0.0 if num == 0 else float(np.sign(num)) * np.inf
    return float(num / np.sqrt(var))


def tango_interval(n10: int, n01: int, n: int, confidence: float = 0.95
                   ) -> tuple[float, float]:
    """Tango's score interval of the difference of paired proportions ``(n10 - n01) / n``:
    every ``delta`` whose score statistic is within the normal quantile (root-found)."""
    from scipy.optimize import brentq

    z = float(sps.norm.ppf(0.5 + confidence / 2))
    obs = (n10 - n01) / n
    eps = 1e-10
    lo_end, hi_end = -1.0 + eps, 1.0 - eps
    low = (-1.0 if tango_score(lo_end, n10, n01, n) <= z else
           brentq(lambda d: tango_score(d, n10, n01, n) - z, lo_end, obs, xtol=1e-10))
    high = (1.0 if tango_score(hi_end, n10, n01, n) >= -z else
            brentq(lambda d: tango_score(d, n10, n01, n) + z, obs, hi_end, xtol=1e-10))
    return float(low), float(high)


PPI_PAIRED = "prediction-powered inference on per-pair differences (PPI++, t reference)"


@dataclass(frozen=True)
class PairedPPI:
    """Prediction-powered estimate of the mean paired difference (validity), from teacher
    judgments of both texts of a uniformly random sample of pairs and a student's judgments
    of every pair; ``share_a`` / ``share_b`` are each side's estimate with the same weight."""

    validity: float
    se: float
    df: float
    ci_low: float
    ci_high: float
    p_value: float
    lam: float
    share_a: float
    share_b: float
    n_labelled: int
    n_unlabelled: int


def ppi_paired(ya: np.ndarray, yb: np.ndarray, fa: np.ndarray, fb: np.ndarray,
               fa_rest: np.ndarray, fb_rest: np.ndarray, confidence: float = 0.95
               ) -> PairedPPI:
    """PPI (Angelopoulos et al. 2023, PPI++ weight) on the per-pair difference d = A - B:
    ``ya`` / ``yb`` the teacher on both texts of the labelled pairs, ``fa`` / ``fb`` the
    student on the same texts, ``*_rest`` the student on the unlabelled pairs.

    d lies in [-1, 1]; it is mapped to u = (d + 1) / 2 in [0, 1] so that
    :func:`~wordlens.stats.ppi_mean` applies as it is, its pseudo-labels included: when
    the labelled pairs all differ by the same amount (often: all concordant), one pair
    discordant each way is added to the variance (a yes and a no in u), since a few
    unanimous pairs say little about the variance. The reference distribution is Student's
    t with the estimate's Welch-Satterthwaite degrees of freedom.

    The two pseudo-pairs are added always (as Agresti and Caffo add theirs), not only when
    the labels are unanimous: a student that agrees with the teacher on every one of a few
    dozen labelled pairs (often, when discordant pairs are rare) leaves a rectifier of
    (nearly) zero variance, and the interval then covers the student's own, biased, mean.
    With the pseudo-pairs only when unanimous, the interval covered the true mean difference
    in 80% of simulated runs at 95%; with them always, in 98-100%
    (scripts/sim_paired_groups.py ``--only amortized_power``)."""
    from .stats import ppi_lambda, ppi_mean, student_where_teacher_says

    ya, yb, fa, fb, ra, rb = (np.asarray(v, dtype=float)
                              for v in (ya, yb, fa, fb, fa_rest, fb_rest))
    yu, fu, ru = (ya - yb + 1) / 2, (fa - fb + 1) / 2, (ra - rb + 1) / 2
    lam = ppi_lambda(yu, fu, ru) if ru.size >= 2 else 0.0
    m = ppi_mean(yu, fu, ru, lam=lam, pseudo_labels=True,
                 student_at=student_where_teacher_says(yu, fu))
    diff, se = 2 * m.estimate - 1, 2 * m.se
    sa = ppi_mean(ya, fa, ra, lam=lam, pseudo_labels=False).estimate
    sb = ppi_mean(yb, fb, rb, lam=lam, pseudo_labels=False).estimate
    if se <= 0:
        p, low, high = (1.0 if diff == 0 else 0.0), diff, diff
    else:
        ref = sps.t(m.df)
        q = float(ref.ppf(0.5 + confidence / 2))
        p, low, high = float(2 * ref.sf(abs(diff) / se)), diff - q * se, diff + q * se
    return PairedPPI(float(diff), float(se), float(m.df), max(float(low), -1.0),
                     min(float(high), 1.0), p, float(lam), float(np.clip(sa, 0, 1)),
                     float(np.clip(sb, 0, 1)), int(ya.size), int(ra.size))

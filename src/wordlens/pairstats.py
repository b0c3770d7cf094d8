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

import numpy as np
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar

from .stats import TwoSampleStats

MCNEMAR = "McNemar exact test (paired 0/1 judgments)"
PAIRED_T = "paired t-test on soft judgments"


def compare_paired(ja: np.ndarray, jb: np.ndarray, confidence: float = 0.95) -> TwoSampleStats:
    """Compare judgments of one hypothesis on the A and B texts of the same pairs."""
    ja = np.asarray(ja, dtype=float)
    jb = np.asarray(jb, dtype=float)
    if ja.shape != jb.shape:
        raise ValueError("paired judgments must have the same length on both sides")
    n = ja.size
    if n < 2:
        raise ValueError("need at least 2 pairs")
    d = ja - jb
    ma, mb, diff = float(ja.mean()), float(jb.mean()), float(d.mean())
    auc = float((np.sum(d > 0) + 0.5 * np.sum(d == 0)) / n)
    binary = bool(np.all((ja == 0) | (ja == 1)) and np.all((jb == 0) | (jb == 1)))
    if binary:
        n10 = int(np.sum((ja == 1) & (jb == 0)))
        n01 = int(np.sum((ja == 0) & (jb == 1)))
        p = mcnemar_exact(n10, n01)
        low, high = tango_interval(n10, n01, n, confidence)
        return TwoSampleStats(ma, mb, diff, low, high, p, auc, n, n, MCNEMAR)
    if np.ptp(d) == 0:  # every pair differs by the same amount: no variance to test with
        p = 1.0 if diff == 0 else 0.0
        return TwoSampleStats(ma, mb, diff, diff, diff, p, auc, n, n, "constant")
    res = sps.ttest_rel(ja, jb)
    ci = res.confidence_interval(confidence)
    return TwoSampleStats(ma, mb, diff, float(ci.low), float(ci.high), float(res.pvalue), auc,
                          n, n, PAIRED_T)


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

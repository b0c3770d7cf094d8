"""Paired statistics: two judgments per unit (the A and B text of one pair).

For one hypothesis, pair i gives a judgment of its A text and of its B text; validity is the
mean of the per-pair differences (= share in A minus share in B over the same pairs).

- 0/1 judgments: McNemar's exact test (statsmodels, the binomial test on the discordant
  pairs) for the p-value; the interval of the difference of paired proportions is Agresti and
  Min's (2005) adjusted Wald interval (half a pair added to each cell of the 2x2 table).
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
        low, high = agresti_min_interval(n10, n01, n, confidence)
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


def agresti_min_interval(n10: int, n01: int, n: int, confidence: float = 0.95
                         ) -> tuple[float, float]:
    """Agresti-Min interval of the difference of paired proportions ``(n10 - n01) / n``:
    the Wald interval after adding 0.5 to each of the four cells, clipped to [-1, 1]."""
    m = n + 2.0
    p10, p01 = (n10 + 0.5) / m, (n01 + 0.5) / m
    center = p10 - p01
    se = float(np.sqrt(max(p10 + p01 - center ** 2, 0.0) / m))
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    return max(center - z * se, -1.0), min(center + z * se, 1.0)

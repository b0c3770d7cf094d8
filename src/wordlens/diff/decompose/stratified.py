"""Group-adjusted (stratified) differences and the flags that compare them with raw ones.

For one hypothesis, judged on A texts (``ja``, group labels ``ga``) and B texts (``jb``,
``gb``), the per-group validity is ``d_g = mean(ja in g) - mean(jb in g)``. The
group-adjusted validity is the Mantel-Haenszel-weighted mean of the ``d_g``: weights
``w_g = n_ag * n_bg / (n_ag + n_bg)`` (the Mantel-Haenszel weights for a risk difference),
variance ``sum w_g^2 v_g / (sum w_g)^2`` with ``v_g = s_ag^2 / n_ag + s_bg^2 / n_bg`` (sample
variances), normal interval (clipped to [-1, 1]) and two-sided z test. Groups with fewer
than two texts on a side carry no weight. A side whose judgments are all equal gets the
variance of the Agresti-adjusted proportion ``(x + 1) / (n + 2)`` instead of 0, so one
degenerate group cannot make the interval vanish. Heterogeneity across groups is Cochran's
Q (chi-square, groups - 1 degrees of freedom) around the inverse-variance weighted mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

# flag names, in the order they are checked (see :func:`flags_for`), and their rules
from ...decomposition import (
    COMPOSITION,
    CONSISTENT,
    MASKED,
    REVERSES,
    SOME_GROUPS,
)


@dataclass(frozen=True)
class GroupEstimate:
    """Validity of one hypothesis inside one group."""

    group: int
    n_a: int
    n_b: int
    validity: float
    ci_low: float
    ci_high: float
    p_value: float
    variance: float
    weight: float


@dataclass(frozen=True)
class StratifiedEstimate:
    """Raw validity on all texts next to the group-adjusted one."""

    raw: float
    adjusted: float
    ci_low: float
    ci_high: float
    p_value: float
    heterogeneity_p: float
    n_used: int
    groups: list[GroupEstimate]


def _side_variance(x: np.ndarray) -> float:
    v = float(x.var(ddof=1))
    if v > 0:
        return v
    p = (float(x.sum()) + 1.0) / (x.size + 2.0)  # degenerate side: Agresti-adjusted Bernoulli
    return p * (1.0 - p)


def _z_test(d: float, se: float, z: float) -> tuple[float, float, float]:
    """Normal interval clipped to [-1, 1] (a difference of shares cannot leave it, so the
    clipped interval covers exactly when the unclipped one does) and two-sided z test."""
    if se <= 0:
        return d, d, 1.0 if d == 0 else 0.0
    return (max(d - z * se, -1.0), min(d + z * se, 1.0),
            float(2 * sps.norm.sf(abs(d) / se)))


def stratified_difference(ja: np.ndarray, jb: np.ndarray, ga: np.ndarray, gb: np.ndarray,
                          confidence: float = 0.95) -> StratifiedEstimate:
    """Raw and Mantel-Haenszel group-adjusted validity of one hypothesis (module docstring)."""
    ja, jb = np.asarray(ja, dtype=float), np.asarray(jb, dtype=float)
    ga, gb = np.asarray(ga), np.asarray(gb)
    if ja.shape != ga.shape or jb.shape != gb.shape:
        raise ValueError("judgments and group labels must have the same length")
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    raw = float(ja.mean() - jb.mean()) if ja.size and jb.size else float("nan")
    groups: list[GroupEstimate] = []
    for g in sorted(set(ga.tolist()) | set(gb.tolist())):
        xa, xb = ja[ga == g], jb[gb == g]
        if xa.size < 2 or xb.size < 2:
            groups.append(GroupEstimate(int(g), int(xa.size), int(xb.size), float("nan"),
                                        float("nan"), float("nan"), float("nan"),
                                        float("nan"), 0.0))
            continue
        d = float(xa.mean() - xb.mean())
        v = _side_variance(xa) / xa.size + _side_variance(xb) / xb.size
        lo, hi, p = _z_test(d, float(np.sqrt(v)), z)
        w = xa.size * xb.size / (xa.size + xb.size)
        groups.append(GroupEstimate(int(g), int(xa.size), int(xb.size), d, lo, hi, p, v, w))
    used = [e for e in groups if e.weight > 0]
    if not used:
        nan = float("nan")
        return StratifiedEstimate(raw, nan, nan, nan, nan, nan, 0, groups)
    w = np.array([e.weight for e in used])
    d = np.array([e.validity for e in used])
    v = np.array([e.variance for e in used])
    adj = float(w @ d / w.sum())
    se = float(np.sqrt((w ** 2) @ v) / w.sum())
    lo, hi, p = _z_test(adj, se, z)
    return StratifiedEstimate(raw, adj, lo, hi, p, cochran_q(d, v),
                              int(sum(e.n_a + e.n_b for e in used)), groups)


def cochran_q(d: np.ndarray, v: np.ndarray) -> float:
    """p-value of Cochran's Q test that the per-group differences ``d`` (variances ``v``) are
    equal; 1.0 with fewer than two groups."""
    if d.size < 2:
        return 1.0
    iw = 1.0 / v
    mean = float(iw @ d / iw.sum())
    q = float(iw @ (d - mean) ** 2)
    return float(sps.chi2.sf(q, d.size - 1))


def flags_for(raw: float, raw_q: float, adjusted: float, adjusted_q: float,
              heterogeneity_p: float, group_rows: list[tuple[float, float, float, float]],
              alpha: float) -> list[str]:
    """Flags of one top-level hypothesis by the rules in :data:`FLAG_RULES`.

    ``group_rows`` holds (validity, ci_low, ci_high, q) per group with an estimate."""
    raw_sig, adj_sig = raw_q < alpha, adjusted_q < alpha
    sign = np.sign(raw)
    flags: list[str] = []
    opposite_group = any(q < alpha and np.sign(d) == -sign for d, _, _, q in group_rows)
    if (adj_sig and np.sign(adjusted) == -sign and sign != 0) or (raw_sig and opposite_group):
        flags.append(REVERSES)
    if raw_sig and not adj_sig and abs(adjusted) <= 0.5 * abs(raw):
        flags.append(COMPOSITION)
    same_group = any(q < alpha and np.sign(d) == sign for d, _, _, q in group_rows)
    null_group = any(lo <= 0 <= hi for _, lo, hi, _ in group_rows)
    if ((raw_sig or adj_sig) and heterogeneity_p < alpha and same_group and null_group
            and REVERSES not in flags):
        flags.append(SOME_GROUPS)
    if not raw_sig and adj_sig:
        flags.append(MASKED)
    if raw_sig and adj_sig and not flags:
        flags.append(CONSISTENT)
    return flags

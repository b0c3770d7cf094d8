"""Verification of candidate hypotheses on held-out texts, with adaptive early stopping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as sps

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..judges.base import Judge


@dataclass
class Verification:
    """Judgments of every hypothesis on the validation texts it was judged on.

    ``judgments_a[i]`` / ``judgments_b[i]`` hold hypothesis i's judgments on the first
    ``n_judged_a[i]`` / ``n_judged_b[i]`` validation texts of A / B (a hypothesis stopped early
    has fewer).
    """

    hypotheses: list[Hypothesis]
    judgments_a: list[np.ndarray]
    judgments_b: list[np.ndarray]
    stopped_early: list[bool]
    judgments_made: int
    judgments_full: int
    rounds: int
    #: why verification stopped before the end (a judge's budget ran out), else None
    budget_note: str | None = None
    #: statistics already computed per hypothesis (amortized verification: prediction-
    #: powered inference); None = compute them from the judgments
    stats: list[Any] | None = None
    #: per-hypothesis details stored in the result (``amortized`` field), or None
    details: list[dict[str, Any]] | None = None
    #: run-level facts added to the result's ``verification`` object
    extra: dict[str, Any] = field(default_factory=dict)
    #: notes for the result (approximations, fallbacks)
    notes: list[str] = field(default_factory=list)

    @property
    def judgments_saved(self) -> int:
        return self.judgments_full - self.judgments_made


def verify(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str], judge: Judge,
           *, top_k: int = 10, adaptive: bool = True, rounds: int = 4,
           confidence: float = 0.99,
           on_round: Callable[[int, int], None] | None = None) -> Verification:
    """Judge hypotheses on the validation texts in ``rounds`` growing slices.

    With ``adaptive``, after each slice a hypothesis is stopped when the upper confidence
    bound of its |validity| is below the ``top_k``-th best lower bound: it can no longer reach
    the top k (as D5 does). Stopped hypotheses keep the judgments made so far; their
    statistics are computed on those, and they stay in the false-discovery correction.

    When the judge's budget runs out (:class:`~wordlens.errors.BudgetExceeded`), the round it
    interrupted is dropped and the finished rounds are returned with ``budget_note`` set;
    hypotheses never judged are left out.
    """
    hyps = list(hypotheses)
    a, b = list(a), list(b)
    n_h = len(hyps)
    ja: list[list[np.ndarray]] = [[] for _ in range(n_h)]
    jb: list[list[np.ndarray]] = [[] for _ in range(n_h)]
    active = np.ones(n_h, dtype=bool)
    made = 0
    rounds = max(1, rounds if adaptive else 1)
    cuts_a = np.linspace(0, len(a), rounds + 1).astype(int)
    cuts_b = np.linspace(0, len(b), rounds + 1).astype(int)
    done_rounds = 0
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        sa = a[cuts_a[r]:cuts_a[r + 1]]
        sb = b[cuts_b[r]:cuts_b[r + 1]]
        chosen = [hyps[i] for i in idx]
        try:
            ma = judge.judge(chosen, sa)
            mb = judge.judge(chosen, sb)
        except BudgetExceeded as exc:
            return _partial(hyps, ja, jb, len(a), len(b), made, done_rounds, str(exc))
        made += ma.size + mb.size
        for row, i in enumerate(idx):
            ja[i].append(ma[row])
            jb[i].append(mb[row])
        done_rounds += 1
        if on_round:
            on_round(r + 1, int(idx.size))
        if adaptive and r < rounds - 1 and idx.size > top_k:
            active &= ~_cannot_reach_top(ja, jb, idx, n_h, top_k, confidence)
    full = n_h * (len(a) + len(b))
    arr_a = [np.concatenate(x) if x else np.zeros(0) for x in ja]
    arr_b = [np.concatenate(x) if x else np.zeros(0) for x in jb]
    stopped = [x.size < len(a) for x in arr_a]
    return Verification(hyps, arr_a, arr_b, stopped, made, full, done_rounds)


def _partial(hyps: list[Hypothesis], ja: list[list[np.ndarray]], jb: list[list[np.ndarray]],
             n_a: int, n_b: int, made: int, rounds: int, reason: str) -> Verification:
    keep = [i for i in range(len(hyps)) if ja[i]]  # never judged: nothing to report
    arr_a = [np.concatenate(ja[i]) for i in keep]
    arr_b = [np.concatenate(jb[i]) for i in keep]
    note = (f"{reason}; verification stopped after {rounds} finished round(s): statistics "
            f"cover {len(keep)} of {len(hyps)} hypotheses on the texts judged so far")
    return Verification([hyps[i] for i in keep], arr_a, arr_b, [x.size < n_a for x in arr_a],
                        made, len(hyps) * (n_a + n_b), rounds, budget_note=note)


def _cannot_reach_top(ja, jb, idx, n_h, top_k, confidence) -> np.ndarray:
    stats = np.full((6, n_h), np.nan)
    for i in idx:
        xa, xb = np.concatenate(ja[i]), np.concatenate(jb[i])
        # a side with no texts yet (a tiny group's round slice) has no mean: nan, no warning
        stats[:, i] = (xa.mean() if xa.size else np.nan,
                       xa.var(ddof=1) if xa.size > 1 else np.nan, xa.size,
                       xb.mean() if xb.size else np.nan,
                       xb.var(ddof=1) if xb.size > 1 else np.nan, xb.size)
    return cannot_reach_top(*stats, idx=idx, top_k=top_k, confidence=confidence)


def cannot_reach_top(mean_a: np.ndarray, var_a: np.ndarray, n_a: np.ndarray,
                     mean_b: np.ndarray, var_b: np.ndarray, n_b: np.ndarray, *,
                     idx: np.ndarray, top_k: int, confidence: float) -> np.ndarray:
    """Adaptive stopping from per-hypothesis means, variances (ddof 1) and counts: a mask of
    the hypotheses among ``idx`` whose upper bound of |validity| is below the ``top_k``-th
    best lower bound (used by :func:`verify` and by the streaming engines)."""
    n_h = len(mean_a)
    low = np.full(n_h, -np.inf)
    high = np.full(n_h, np.inf)
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    for i in idx:
        if n_a[i] < 2 or n_b[i] < 2:
            continue
        d = abs(mean_a[i] - mean_b[i])
        # conservative: at least the variance of a fair coin's worth of a tenth, so that a
        # hypothesis judged constant on a small slice is not stopped on no evidence
        va = max(var_a[i], 0.025)
        vb = max(var_b[i], 0.025)
        half = z * np.sqrt(va / n_a[i] + vb / n_b[i])
        low[i], high[i] = max(d - half, 0.0), d + half
    kth = np.sort(low[idx])[::-1][top_k - 1] if idx.size >= top_k else -np.inf
    drop = np.zeros(n_h, dtype=bool)
    drop[idx] = high[idx] < kth
    return drop

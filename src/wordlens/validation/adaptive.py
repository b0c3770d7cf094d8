"""Verification of candidate hypotheses on held-out texts, with adaptive early stopping: one
round loop (:func:`run_rounds`) over an :class:`Accumulator` that judges each round's slice
and keeps what the statistics need (every judgment in memory here; mergeable summaries on an
engine, :mod:`wordlens.engine.stream`). Every strategy returns one :class:`Verification`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as sps

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..mergeable import ValueHistogram
from ..stats import TwoSampleStats
from .evidence import Evidence, JudgmentArrays

IN_MEMORY = {"name": "in-memory"}


@dataclass
class Verification:
    """The one result of every verification strategy (exhaustive, streamed, amortized).

    ``stats[i]``: hypothesis i's statistics; ``evidence``: what was kept of the judgments
    (:mod:`.evidence`: examples, grouping correlations, the P(yes) spread), so no reader
    needs to know how it was verified; accounting: ``judgments_made`` / ``judgments_full`` /
    ``rounds`` / ``stopped_early`` / ``budget_note``; ``details`` (per hypothesis) and
    ``extra`` (run level) for the result; ``notes``.

    ``judgments_a[i]`` / ``judgments_b[i]`` hold hypothesis i's judgments on the first
    validation texts of A / B when they were kept in memory (None when streamed); the
    evidence is built from them when not given.
    """

    hypotheses: list[Hypothesis]
    judgments_a: list[np.ndarray] | None
    judgments_b: list[np.ndarray] | None
    stopped_early: list[bool]
    judgments_made: int
    judgments_full: int
    rounds: int
    #: why verification stopped before the end (a judge's budget ran out), else None
    budget_note: str | None = None
    #: statistics per hypothesis; None at construction = computed from the evidence
    stats: list[TwoSampleStats] | None = None
    #: per-hypothesis details stored in the result (``amortized`` field), or None
    details: list[dict[str, Any]] | None = None
    #: run-level facts added to the result's ``verification`` object
    extra: dict[str, Any] = field(default_factory=dict)
    #: notes for the result (approximations, fallbacks)
    notes: list[str] = field(default_factory=list)
    #: what was kept of the judgments (None at construction = the judgment arrays)
    evidence: Evidence | None = None
    #: where the judging ran (the result's ``settings.engine``)
    engine: dict[str, Any] = field(default_factory=lambda: dict(IN_MEMORY))

    def __post_init__(self) -> None:
        if self.evidence is None:
            if self.judgments_a is None or self.judgments_b is None:
                raise ValueError("a Verification needs judgments or evidence")
            self.evidence = JudgmentArrays(self.judgments_a, self.judgments_b)
        if self.stats is None:
            self.stats = self.evidence.tests()

    @property
    def judgments_saved(self) -> int:
        return self.judgments_full - self.judgments_made

    @property
    def in_memory(self) -> bool:
        """True when every judgment is held (``judgments_a`` / ``judgments_b``)."""
        return self.judgments_a is not None

    def examples(self, i: int, side: str, *, holds: bool, k: int) -> list[int]:
        """See :meth:`.evidence.Evidence.examples`."""
        return self.ev.examples(i, side, holds=holds, k=k)

    def correlation(self, i: int, j: int) -> float:
        """See :meth:`.evidence.Evidence.correlation`."""
        return self.ev.correlation(i, j)

    def spread(self) -> ValueHistogram:
        return self.ev.spread()

    @property
    def ev(self) -> Evidence:
        assert self.evidence is not None  # set in __post_init__
        return self.evidence


class Accumulator(ABC):
    """What :func:`run_rounds` drives: judges a round's slice of each side for the active
    hypotheses and keeps what the statistics need. ``judge_round`` leaves the accumulator
    unchanged when it raises :class:`~wordlens.errors.BudgetExceeded`."""

    @abstractmethod
    def judge_round(self, r: int, idx: np.ndarray, chosen: list[Hypothesis],
                    slices: tuple[tuple[int, int], tuple[int, int]]) -> int:
        """Judge ``chosen`` (hypotheses ``idx``) on texts ``slices[0]`` of A and
        ``slices[1]`` of B; return the judgments made."""

    @abstractmethod
    def moments(self) -> tuple[np.ndarray, ...]:
        """Per hypothesis: mean, variance (ddof 1) and count on A, then on B (nan where
        undefined), for the stopping rule."""

    @abstractmethod
    def judged(self) -> tuple[np.ndarray, np.ndarray]:
        """Texts of A and of B each hypothesis was judged on."""

    @abstractmethod
    def finish(self, hyps: list[Hypothesis], keep: list[int], stopped: list[bool],
               made: int, full: int, rounds: int, note: str | None) -> Verification:
        """The :class:`Verification` of hypotheses ``keep``."""


def round_cuts(n_a: int, n_b: int, *, adaptive: bool = True, rounds: int = 4
               ) -> tuple[np.ndarray, np.ndarray]:
    """Where each round's slice of the ``n_a`` A and ``n_b`` B texts begins and ends."""
    rounds = max(1, rounds if adaptive else 1)
    return (np.linspace(0, n_a, rounds + 1).astype(int),
            np.linspace(0, n_b, rounds + 1).astype(int))


def run_rounds(hypotheses: Sequence[Hypothesis], n_a: int, n_b: int, acc: Accumulator, *,
               top_k: int = 10, adaptive: bool = True, rounds: int = 4,
               confidence: float = 0.99,
               on_round: Callable[[int, int], None] | None = None) -> Verification:
    """The adaptive round loop of every exhaustive strategy: ``rounds`` growing slices of
    the ``n_a`` / ``n_b`` validation texts; after each, a hypothesis is stopped when the upper
    confidence bound of its |validity| is below the ``top_k``-th best lower bound. A budget
    stop drops the interrupted round and returns the finished ones with ``budget_note``."""
    hyps = list(hypotheses)
    n_h = len(hyps)
    active = np.ones(n_h, dtype=bool)
    made = done = 0
    cuts_a, cuts_b = round_cuts(n_a, n_b, adaptive=adaptive, rounds=rounds)
    rounds = len(cuts_a) - 1
    full = n_h * (n_a + n_b)
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        slices = ((int(cuts_a[r]), int(cuts_a[r + 1])), (int(cuts_b[r]), int(cuts_b[r + 1])))
        try:
            made += acc.judge_round(r, idx, [hyps[i] for i in idx], slices)
        except BudgetExceeded as exc:
            keep = [i for i in range(n_h) if acc.judged()[0][i] + acc.judged()[1][i] > 0]
            note = (f"{exc}; verification stopped after {done} finished round(s): statistics "
                    f"cover {len(keep)} of {n_h} hypotheses on the texts judged so far")
            return acc.finish(hyps, keep, [bool(acc.judged()[0][i] < n_a) for i in keep],
                              made, full, done, note)
        done += 1
        if on_round:
            on_round(r + 1, int(idx.size))
        if adaptive and r < rounds - 1 and idx.size > top_k:
            active &= ~cannot_reach_top(*acc.moments(), idx=idx, top_k=top_k,
                                        confidence=confidence)
    stopped = [bool(x < n_a) for x in acc.judged()[0]]
    return acc.finish(hyps, list(range(n_h)), stopped, made, full, done, None)


class InMemory(Accumulator):
    """Every judgment kept in memory, judged in this process."""

    def __init__(self, judge: Judge, a: list[str], b: list[str], n_hypotheses: int):
        self.judge, self.texts = judge, (a, b)
        self.rows: tuple[list[list[np.ndarray]], ...] = (
            [[] for _ in range(n_hypotheses)], [[] for _ in range(n_hypotheses)])

    def judge_round(self, r, idx, chosen, slices) -> int:
        (la, ha), (lb, hb) = slices
        ma = self.judge.judge(chosen, self.texts[0][la:ha])
        mb = self.judge.judge(chosen, self.texts[1][lb:hb])
        for row, i in enumerate(idx):
            self.rows[0][i].append(ma[row])
            self.rows[1][i].append(mb[row])
        return int(ma.size + mb.size)

    def _arrays(self, side: int) -> list[np.ndarray]:
        return [np.concatenate(x) if x else np.zeros(0) for x in self.rows[side]]

    def moments(self) -> tuple[np.ndarray, ...]:
        out = []
        for arrays in (self._arrays(0), self._arrays(1)):
            # a side with no texts yet (a tiny group's round slice) has no mean: nan
            out += [np.array([x.mean() if x.size else np.nan for x in arrays]),
                    np.array([x.var(ddof=1) if x.size > 1 else np.nan for x in arrays]),
                    np.array([x.size for x in arrays])]
        return tuple(out)

    def judged(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([sum(p.size for p in x) for x in self.rows[0]], dtype=int),
                np.array([sum(p.size for p in x) for x in self.rows[1]], dtype=int))

    def finish(self, hyps, keep, stopped, made, full, rounds, note) -> Verification:
        arr_a, arr_b = self._arrays(0), self._arrays(1)
        return Verification([hyps[i] for i in keep], [arr_a[i] for i in keep],
                            [arr_b[i] for i in keep], stopped, made, full, rounds,
                            budget_note=note)


def verify(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str], judge: Judge,
           *, top_k: int = 10, adaptive: bool = True, rounds: int = 4,
           confidence: float = 0.99,
           on_round: Callable[[int, int], None] | None = None) -> Verification:
    """Judge hypotheses on the validation texts in ``rounds`` growing slices, every judgment
    kept in memory (:func:`run_rounds` over :class:`InMemory`).

    With ``adaptive``, after each slice a hypothesis is stopped when the upper confidence
    bound of its |validity| is below the ``top_k``-th best lower bound: it can no longer reach
    the top k (as D5 does). Stopped hypotheses keep the judgments made so far; their
    statistics are computed on those, and they stay in the false-discovery correction.

    When the judge's budget runs out (:class:`~wordlens.errors.BudgetExceeded`), the round it
    interrupted is dropped and the finished rounds are returned with ``budget_note`` set;
    hypotheses never judged are left out.
    """
    hyps, a, b = list(hypotheses), list(a), list(b)
    return run_rounds(hyps, len(a), len(b), InMemory(judge, a, b, len(hyps)), top_k=top_k,
                      adaptive=adaptive, rounds=rounds, confidence=confidence,
                      on_round=on_round)


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

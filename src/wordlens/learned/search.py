"""Exhaustive search over a bank: verify every hypothesis on the pair, rank by |validity|.

This is the expert the learned proposer imitates, and its yardstick."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..stats import benjamini_hochberg, compare


@dataclass
class SearchResult:
    """Verification of ``hypotheses`` on one pair; ``order`` ranks them by |validity|."""

    hypotheses: list[Hypothesis]
    validity: np.ndarray
    p_value: np.ndarray
    q_value: np.ndarray
    order: np.ndarray
    judge_calls: int
    wall_s: float

    def winners(self, alpha: float = 0.05, limit: int = 5) -> list[int]:
        """Indices of the best ``limit`` hypotheses by |validity| with q < alpha."""
        return [int(i) for i in self.order if self.q_value[i] < alpha][:limit]


def verify_all(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str],
               judge: Judge) -> SearchResult:
    """Judge every hypothesis on every text of A and B; validity, p and BH q for each."""
    hyps = list(hypotheses)
    t0 = time.perf_counter()
    ja = judge.judge(hyps, list(a))
    jb = judge.judge(hyps, list(b))
    tests = [compare(x, y) for x, y in zip(ja, jb)]
    validity = np.array([t.validity for t in tests])
    p = np.array([t.p_value for t in tests])
    q = np.asarray(benjamini_hochberg(list(p)), dtype=float)
    order = np.argsort(-np.abs(validity), kind="stable")
    return SearchResult(hyps, validity, p, q, order, int(ja.size + jb.size),
                        time.perf_counter() - t0)

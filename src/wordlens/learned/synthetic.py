"""Forward sampling: turn unlabeled texts and a hypothesis bank into synthetic problems.

A problem is a pair (A, B) whose answer is a known bank hypothesis h: A is drawn from texts
where h holds (by the judge), B from texts where it does not. Difficulty is controlled by the
sample sizes, the *purity* (share of A for which h holds; the rest of A is drawn where h does
not hold) and *distractors*: other bank hypotheses made common on both sides, so that they are
frequent but do not differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError, NotFittedError
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from .bank import Bank


@dataclass(frozen=True)
class Difficulty:
    """How hard a synthetic problem is."""

    n_a: int = 100
    n_b: int = 100
    purity: float = 1.0
    n_distractors: int = 0
    #: share of each side drawn from texts where some distractor holds
    distractor_share: float = 0.6

    def __post_init__(self) -> None:
        if self.n_a < 2 or self.n_b < 2:
            raise InputError(f"Difficulty: n_a and n_b must be >= 2, got {self.n_a}, {self.n_b}")
        if not 0 < self.purity <= 1:
            raise InputError(f"Difficulty: purity must be in (0, 1], got {self.purity}")
        if not 0 <= self.distractor_share <= 1:
            raise InputError("Difficulty: distractor_share must be in [0, 1]")


@dataclass
class Problem:
    """One synthetic pair and its answer; indices refer to the sampler's fitted texts."""

    a: list[str]
    b: list[str]
    target: Hypothesis
    target_index: int
    a_idx: np.ndarray
    b_idx: np.ndarray
    distractors: list[int]
    difficulty: Difficulty
    seed: int
    #: measured: share of A / B where the target holds, and of each side where any distractor
    #: holds
    stats: dict[str, float] = field(default_factory=dict)


class ForwardSampler:
    """Judges every bank hypothesis on a corpus once (:meth:`fit`), then samples problems.

    Parameters
    ----------
    bank: the hypotheses that can be answers (and distractors).
    judge: decides where a hypothesis holds (default: the offline judge).
    threshold: a judgment >= threshold counts as "holds".
    max_correlation: distractors correlate with the answer at most this much (|Pearson|).
    """

    def __init__(self, bank: Bank, judge: Judge | None = None, *, threshold: float = 0.5,
                 max_correlation: float = 0.3):
        self.bank = bank
        self.judge = judge
        self.threshold = threshold
        self.max_correlation = max_correlation

    def fit(self, texts: Sequence[str], name: str = "corpus") -> ForwardSampler:
        texts = list(dict.fromkeys(t for t in texts if t and t.strip()))
        if len(texts) < 20:
            raise InputError(f"{name}: forward sampling needs at least 20 distinct texts, "
                             f"got {len(texts)}")
        from ..judges.offline import OfflineJudge

        judge = self.judge if self.judge is not None else OfflineJudge()
        self.texts_ = texts
        self.name_ = name
        self.judgments_ = judge.judge(list(self.bank), texts)  # [H x N]
        self.holds_ = self.judgments_ >= self.threshold
        return self

    def _check(self) -> None:
        if not hasattr(self, "holds_"):
            raise NotFittedError("ForwardSampler: call fit(texts) first")

    def feasible(self, difficulty: Difficulty) -> np.ndarray:
        """Indices of bank hypotheses that can be the answer at this difficulty."""
        self._check()
        k_pos = int(round(difficulty.purity * difficulty.n_a))
        need_neg = difficulty.n_a - k_pos + difficulty.n_b
        pos = self.holds_.sum(axis=1)
        neg = self.holds_.shape[1] - pos
        return np.flatnonzero((pos >= max(k_pos, 1)) & (neg >= need_neg))

    def sample(self, n: int, difficulty: Difficulty | None = None, *, seed: int = 0
               ) -> list[Problem]:
        """``n`` problems; problem i depends only on (seed, i), never on ``n``."""
        self._check()
        difficulty = difficulty or Difficulty()
        candidates = self.feasible(difficulty)
        if candidates.size == 0:
            raise InputError(f"{self.name_}: no bank hypothesis holds on enough texts for "
                             f"{difficulty}")
        return [self._one(candidates, difficulty, seed, i) for i in range(n)]

    def sample_mixed(self, n: int, difficulties: Sequence[Difficulty], *, seed: int = 0
                     ) -> list[Problem]:
        """``n`` problems, difficulty i % len(difficulties) for problem i."""
        self._check()
        feas = [self.feasible(d) for d in difficulties]
        out = []
        for i in range(n):
            j = i % len(difficulties)
            if feas[j].size:
                out.append(self._one(feas[j], difficulties[j], seed, i))
        return out

    # -- one problem -------------------------------------------------------------------------
    def _one(self, candidates: np.ndarray, d: Difficulty, seed: int, i: int) -> Problem:
        rng = np.random.default_rng([seed, i])
        h = int(rng.choice(candidates))
        holds = self.holds_[h]
        distractors = self._distractors(h, d, rng)
        dmask = self.holds_[distractors].any(axis=0) if distractors else None
        pos_pool = np.flatnonzero(holds)
        neg_pool = np.flatnonzero(~holds)
        k_pos = int(round(d.purity * d.n_a))
        a_pos = self._draw(pos_pool, k_pos, dmask, d.distractor_share, rng)
        a_neg = self._draw(neg_pool, d.n_a - k_pos, dmask, d.distractor_share, rng)
        b_idx = self._draw(np.setdiff1d(neg_pool, a_neg), d.n_b, dmask, d.distractor_share,
                           rng)
        a_idx = np.concatenate([a_pos, a_neg]).astype(int)
        rng.shuffle(a_idx)
        stats = {"share_a": float(holds[a_idx].mean()), "share_b": float(holds[b_idx].mean())}
        if dmask is not None:
            stats["distractor_share_a"] = float(dmask[a_idx].mean())
            stats["distractor_share_b"] = float(dmask[b_idx].mean())
        return Problem(a=[self.texts_[j] for j in a_idx], b=[self.texts_[j] for j in b_idx],
                       target=self.bank[h], target_index=h, a_idx=a_idx, b_idx=b_idx,
                       distractors=distractors, difficulty=d, seed=seed, stats=stats)

    def _distractors(self, h: int, d: Difficulty, rng: np.random.Generator) -> list[int]:
        if d.n_distractors <= 0:
            return []
        x = self.holds_.astype(float)
        share = x.mean(axis=1)
        ok = (share >= 0.05) & (share <= 0.6)
        xc = x - share[:, None]
        norms = np.linalg.norm(xc, axis=1) + 1e-12
        corr = np.abs(xc @ xc[h]) / (norms * norms[h])
        ok &= corr <= self.max_correlation
        # enough support where the answer holds and where it does not, so that the requested
        # share of each side can carry a distractor
        k_pos = int(round(d.purity * d.n_a))
        k_neg = d.n_a - k_pos + d.n_b
        pos, neg = self.holds_[:, self.holds_[h]], self.holds_[:, ~self.holds_[h]]
        n_d = d.n_distractors
        ok &= pos.sum(axis=1) >= np.ceil(d.distractor_share * k_pos / n_d)
        ok &= neg.sum(axis=1) >= np.ceil(d.distractor_share * k_neg / n_d)
        ok[h] = False
        pool = np.flatnonzero(ok)
        if pool.size == 0:
            return []
        return sorted(int(g) for g in rng.choice(pool, size=min(d.n_distractors, pool.size),
                                                 replace=False))

    @staticmethod
    def _draw(pool: np.ndarray, k: int, dmask: np.ndarray | None, share: float,
              rng: np.random.Generator) -> np.ndarray:
        if k <= 0:
            return np.zeros(0, dtype=int)
        if k > pool.size:
            raise InputError(f"forward sampler: need {k} texts, only {pool.size} available")
        if dmask is None:
            return rng.choice(pool, size=k, replace=False)
        with_d = pool[dmask[pool]]
        k_d = min(int(round(share * k)), with_d.size)
        first = rng.choice(with_d, size=k_d, replace=False) if k_d else np.zeros(0, dtype=int)
        rest_pool = np.setdiff1d(pool, first)
        rest = rng.choice(rest_pool, size=k - k_d, replace=False)
        return np.concatenate([first, rest]).astype(int)

    # -- what exhaustive search would see ----------------------------------------------------
    def validities(self, problem: Problem) -> np.ndarray:
        """Validity of every bank hypothesis on the problem (mean judgment A minus B), from
        the judgments made at fit time: what exhaustive search would measure."""
        self._check()
        j = self.judgments_
        return j[:, problem.a_idx].mean(axis=1) - j[:, problem.b_idx].mean(axis=1)

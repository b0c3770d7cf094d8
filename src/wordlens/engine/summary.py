"""Mergeable per-hypothesis summaries of judgments: what the engines send back instead of the
hypotheses x texts matrix.

For each hypothesis and side: count, mean and sum of squared deviations (merged with Chan's
formula), counts of judgments exactly 0 and 1, minimum and maximum (see
:class:`~wordlens.stats.SampleMoments`), the judgments of a bounded uniform sample of the
texts for the AUC (the texts with the smallest seeded random keys: mergeable, independent of
batching; every text while a side has at most ``sample_size``), and the example texts
``diff`` shows (the top ``n_examples`` by judgment, kept exactly as the in-memory ranking
keeps them). Memory is O(hypotheses x (sample_size + n_examples)), not O(hypotheses x texts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..stats import SampleMoments
from ..textutil import truncate

AUC_SAMPLE = 20_000  # judgments per hypothesis and side kept for the AUC

# an example candidate: (judgment, index in the side's validation texts, shown text)
Example = tuple[float, int, str]


@dataclass
class BatchSummary:
    """Summaries of one batch of texts of one side, one row per hypothesis judged."""

    n: int
    mean: np.ndarray
    m2: np.ndarray
    ones: np.ndarray
    zeros: np.ndarray
    low: np.ndarray
    high: np.ndarray
    keys: np.ndarray  # sample keys of the batch texts kept for the AUC sample
    sample: np.ndarray  # [H x len(keys)] their judgments
    holds: list[list[Example]]  # per hypothesis: best candidates where it holds
    fails: list[list[Example]]  # per hypothesis: best candidates where it does not

    @classmethod
    def of(cls, j: np.ndarray, texts: list[str], start: int, keys: np.ndarray,
           n_examples: int, sample_size: int = AUC_SAMPLE) -> BatchSummary:
        """Summarise judgments ``j`` [H x N] of ``texts`` (side indices ``start``...)."""
        j = np.asarray(j, dtype=float)
        mean = j.mean(axis=1)
        keep = _smallest(keys, sample_size)
        holds, fails = [], []
        for row in j:
            holds.append(_candidates(row, texts, start, n_examples, holds=True))
            fails.append(_candidates(row, texts, start, n_examples, holds=False))
        return cls(n=j.shape[1], mean=mean, m2=((j - mean[:, None]) ** 2).sum(axis=1),
                   ones=(j == 1).sum(axis=1), zeros=(j == 0).sum(axis=1),
                   low=j.min(axis=1), high=j.max(axis=1), keys=keys[keep],
                   sample=j[:, keep], holds=holds, fails=fails)


@dataclass
class SideSummary:
    """Running summaries of every hypothesis on one side; :meth:`add` merges a batch."""

    n_hypotheses: int
    n_examples: int = 3
    sample_size: int = AUC_SAMPLE
    n: np.ndarray = field(init=False)
    mean: np.ndarray = field(init=False)
    m2: np.ndarray = field(init=False)
    ones: np.ndarray = field(init=False)
    zeros: np.ndarray = field(init=False)
    low: np.ndarray = field(init=False)
    high: np.ndarray = field(init=False)
    keys: list[np.ndarray] = field(init=False)
    sample: list[np.ndarray] = field(init=False)
    holds: list[list[Example]] = field(init=False)
    fails: list[list[Example]] = field(init=False)

    def __post_init__(self) -> None:
        h = self.n_hypotheses
        self.n = np.zeros(h, dtype=np.int64)
        self.mean = np.zeros(h)
        self.m2 = np.zeros(h)
        self.ones = np.zeros(h, dtype=np.int64)
        self.zeros = np.zeros(h, dtype=np.int64)
        self.low = np.full(h, np.inf)
        self.high = np.full(h, -np.inf)
        self.keys = [np.zeros(0) for _ in range(h)]
        self.sample = [np.zeros(0) for _ in range(h)]
        self.holds = [[] for _ in range(h)]
        self.fails = [[] for _ in range(h)]

    def add(self, rows: np.ndarray, b: BatchSummary) -> None:
        """Merge batch ``b`` whose row r summarises hypothesis ``rows[r]``."""
        rows = np.asarray(rows, dtype=int)
        n0 = self.n[rows].astype(float)
        tot = n0 + b.n
        delta = b.mean - self.mean[rows]
        first = n0 == 0
        self.mean[rows] = np.where(first, b.mean, self.mean[rows] + delta * b.n / tot)
        self.m2[rows] = np.where(first, b.m2, self.m2[rows] + b.m2 + delta ** 2 * n0 * b.n / tot)
        self.n[rows] += b.n
        self.ones[rows] += b.ones
        self.zeros[rows] += b.zeros
        self.low[rows] = np.minimum(self.low[rows], b.low)
        self.high[rows] = np.maximum(self.high[rows], b.high)
        for r, i in enumerate(rows):
            keys = np.concatenate([self.keys[i], b.keys])
            vals = np.concatenate([self.sample[i], b.sample[r]])
            keep = _smallest(keys, self.sample_size)
            self.keys[i], self.sample[i] = keys[keep], vals[keep]
            self.holds[i] = _best(self.holds[i] + b.holds[r], self.n_examples, holds=True)
            self.fails[i] = _best(self.fails[i] + b.fails[r], self.n_examples, holds=False)

    def moments(self, i: int) -> SampleMoments:
        return SampleMoments(n=int(self.n[i]), mean=float(self.mean[i]), m2=float(self.m2[i]),
                             ones=int(self.ones[i]), zeros=int(self.zeros[i]),
                             low=float(self.low[i]), high=float(self.high[i]),
                             auc_sample=self.sample[i])

    def variance(self) -> np.ndarray:
        """Sample variance (ddof 1) of every hypothesis (nan below 2 judgments)."""
        with np.errstate(all="ignore"):
            return np.where(self.n > 1, self.m2 / np.maximum(self.n - 1, 1), np.nan)

    def examples(self, i: int, *, holds: bool) -> list[str]:
        return [text for _, _, text in (self.holds[i] if holds else self.fails[i])]


def _smallest(keys: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` smallest keys, in key order (all of them when there are fewer)."""
    order = np.argsort(keys, kind="stable")
    return order[:k]


def _candidates(row: np.ndarray, texts: list[str], start: int, k: int, *,
                holds: bool) -> list[Example]:
    if k <= 0:
        return []
    mask = row >= 0.5 if holds else row < 0.5
    idx = np.flatnonzero(mask)
    order = idx[np.argsort(-row[idx] if holds else row[idx], kind="stable")][:k]
    return [(float(row[i]), start + int(i), truncate(texts[i])) for i in order]


def _best(cands: list[Example], k: int, *, holds: bool) -> list[Example]:
    """The first ``k`` in the in-memory ranking: by judgment (descending where it holds,
    ascending where it does not), then by position."""
    key = (lambda c: (-c[0], c[1])) if holds else (lambda c: (c[0], c[1]))
    return sorted(cands, key=key)[:k]

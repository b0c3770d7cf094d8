"""Mergeable summaries of judgments that grouping and judge controls need: the same numbers
whether the judgments are held in memory or streamed in batches (on any engine).

- :class:`ValueHistogram`: the spread of a judge's P(yes) over a run (count, mean, sd, the
  share between 0.3 and 0.7, exactly; quantiles of the judgments rounded to 4 decimals, which
  is how they are reported);
- :class:`Cooccurrence`: per-hypothesis sums, sums of squares and pairwise sums of products of
  judgments per adaptive round, from which :meth:`Cooccurrence.correlation` gives the Pearson
  correlation of two hypotheses over the texts both were judged on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: histogram bins of [0, 1]: judgments rounded to 4 decimals
BINS = 10_001
#: a variance at or below this (relative to the mean square) counts as a constant row
_FLAT = 1e-12
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class ValueHistogram:
    """Counts of judgments rounded to 4 decimals, with exact sums; merged by :meth:`add`."""

    counts: np.ndarray = field(default_factory=lambda: np.zeros(BINS, dtype=np.int64))
    total: float = 0.0
    squares: float = 0.0
    mid: int = 0  # judgments between 0.3 and 0.7 (inclusive)

    @classmethod
    def of(cls, values: np.ndarray) -> ValueHistogram:
        x = np.clip(np.asarray(values, dtype=float).ravel(), 0.0, 1.0)
        counts = np.bincount(np.rint(x * (BINS - 1)).astype(np.int64), minlength=BINS)
        return cls(counts, float(x.sum()), float((x * x).sum()),
                   int(((x >= 0.3) & (x <= 0.7)).sum()))

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def add(self, other: ValueHistogram) -> ValueHistogram:
        """Merge ``other`` into this histogram (returns self)."""
        self.counts = self.counts + other.counts
        self.total += other.total
        self.squares += other.squares
        self.mid += other.mid
        return self

    def quantile(self, q: float) -> float:
        """``np.quantile`` (linear) of the rounded judgments."""
        n = self.n
        h = (n - 1) * q
        lo = int(np.floor(h))
        cum = np.cumsum(self.counts)
        v_lo, v_hi = (np.searchsorted(cum, [lo + 1, min(lo + 2, n)]) / (BINS - 1))
        return float(v_lo + (h - lo) * (v_hi - v_lo))

    def spread(self) -> dict[str, float]:
        """The result's ``judge_controls.p_yes`` (empty without judgments)."""
        n = self.n
        if n == 0:
            return {}
        mean = self.total / n
        sd = float(np.sqrt(max(self.squares / n - mean * mean, 0.0)))
        return {"n": n, "mean": round(mean, 4), "sd": round(sd, 4),
                **{f"q{round(q * 100):02d}": round(self.quantile(q), 4) for q in QUANTILES},
                "share_between_0.3_and_0.7": round(self.mid / n, 4)}


def pearson_from_sums(n: float, sx: float, sy: float, sxx: float, syy: float,
                      sxy: float) -> float:
    """Pearson correlation from sums over ``n`` paired values; 0 below 3 values or when
    either row is constant."""
    if n < 3:
        return 0.0
    vx, vy = sxx / n - (sx / n) ** 2, syy / n - (sy / n) ** 2
    if vx <= _FLAT * max(sxx / n, 1e-300) or vy <= _FLAT * max(syy / n, 1e-300):
        return 0.0
    c = (sxy / n - (sx / n) * (sy / n)) / np.sqrt(vx * vy)
    return float(np.clip(c, -1.0, 1.0))


@dataclass
class Cooccurrence:
    """Sums of judgments of ``n_hypotheses`` hypotheses over adaptive rounds (A and B texts
    pooled). A hypothesis judged in rounds 0..R-1 (stopped after R) was judged on a prefix of
    each side, so two hypotheses share exactly the rounds before the smaller R: the products
    of two rows are summed over the rounds where both were judged, and the sums of each row
    are kept per round."""

    n_hypotheses: int
    n_rounds: int
    texts: np.ndarray = field(init=False)  # [rounds] texts judged in each round
    sums: np.ndarray = field(init=False)  # [rounds x H]
    squares: np.ndarray = field(init=False)  # [rounds x H]
    products: np.ndarray = field(init=False)  # [H x H], rounds where both were judged
    judged: np.ndarray = field(init=False)  # [H] rounds each hypothesis was judged in

    def __post_init__(self) -> None:
        h, r = self.n_hypotheses, max(1, self.n_rounds)
        self.texts = np.zeros(r)
        self.sums = np.zeros((r, h))
        self.squares = np.zeros((r, h))
        self.products = np.zeros((h, h))
        self.judged = np.zeros(h, dtype=int)

    @staticmethod
    def batch(j: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """The mergeable part of judgments ``j`` [H x N]: (N, row sums, row sums of squares,
        products [H x H])."""
        j = np.asarray(j, dtype=float)
        return j.shape[1], j.sum(axis=1), (j * j).sum(axis=1), j @ j.T

    def add(self, r: int, rows: np.ndarray, part: tuple[int, np.ndarray, np.ndarray,
                                                        np.ndarray]) -> None:
        """Merge one batch of round ``r`` whose row k is hypothesis ``rows[k]``."""
        rows = np.asarray(rows, dtype=int)
        n, s, q, p = part
        self.texts[r] += n
        self.sums[r, rows] += s
        self.squares[r, rows] += q
        self.products[np.ix_(rows, rows)] += p

    def end_round(self, r: int, rows: np.ndarray) -> None:
        """Round ``r`` is complete for ``rows``."""
        self.judged[np.asarray(rows, dtype=int)] = r + 1

    def correlation(self, i: int, j: int) -> float:
        """Pearson correlation of hypotheses ``i`` and ``j`` on the texts both were judged
        on."""
        r = int(min(self.judged[i], self.judged[j]))
        n = float(self.texts[:r].sum())
        return pearson_from_sums(n, float(self.sums[:r, i].sum()),
                                 float(self.sums[:r, j].sum()),
                                 float(self.squares[:r, i].sum()),
                                 float(self.squares[:r, j].sum()),
                                 float(self.products[i, j]))

    def subset(self, keep: list[int]) -> Cooccurrence:
        """The sums of hypotheses ``keep`` only (renumbered 0..len(keep)-1)."""
        out = Cooccurrence(len(keep), self.n_rounds)
        out.texts = self.texts.copy()
        out.sums, out.squares = self.sums[:, keep], self.squares[:, keep]
        out.products = self.products[np.ix_(keep, keep)]
        out.judged = self.judged[keep]
        return out

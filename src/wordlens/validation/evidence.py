"""What a verification kept of its judgments, behind one interface: every judgment in memory
(:class:`JudgmentArrays`), or mergeable per-hypothesis summaries (the streaming engines'
``SummaryEvidence``). Statistics, examples, grouping correlations and the P(yes) spread come
from either in the same way, so in-process, streamed and Ray runs rank, group and control
alike."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..mergeable import ValueHistogram, pearson_from_sums
from ..stats import TwoSampleStats, compare


class Evidence(ABC):
    """Per-hypothesis evidence of a verification (hypothesis ``i`` of its list)."""

    @abstractmethod
    def tests(self) -> list[TwoSampleStats]:
        """:func:`~wordlens.stats.compare` of every hypothesis."""

    @abstractmethod
    def examples(self, i: int, side: str, *, holds: bool, k: int) -> list[int]:
        """Indices (in ``side``'s validation texts, "A" or "B") of up to ``k`` texts where
        hypothesis ``i`` holds (highest judgments first) or does not (lowest first)."""

    @abstractmethod
    def correlation(self, i: int, j: int) -> float:
        """Pearson correlation of two hypotheses' judgments over the texts both were judged
        on (A and B pooled); 0 when either is constant."""

    @abstractmethod
    def spread(self) -> ValueHistogram:
        """Every judgment of the run, as a histogram (the judge's P(yes) spread)."""

    @abstractmethod
    def judged(self, i: int) -> tuple[int, int]:
        """Texts of A and of B hypothesis ``i`` was judged on (a prefix of each side)."""


class JudgmentArrays(Evidence):
    """Every judgment in memory: ``a[i]`` / ``b[i]`` are hypothesis i's judgments on the
    first texts of A / B."""

    def __init__(self, a: list[np.ndarray], b: list[np.ndarray]):
        self.a, self.b = a, b

    def tests(self) -> list[TwoSampleStats]:
        return [compare(x, y) for x, y in zip(self.a, self.b)]

    def examples(self, i: int, side: str, *, holds: bool, k: int) -> list[int]:
        j = self.a[i] if side == "A" else self.b[i]
        if j.size == 0 or k <= 0:
            return []
        order = np.argsort(-j if holds else j, kind="stable")
        return [int(t) for t in order if (j[t] >= 0.5) == holds][:k]

    def correlation(self, i: int, j: int) -> float:
        na = min(self.a[i].size, self.a[j].size)
        nb = min(self.b[i].size, self.b[j].size)
        x = np.concatenate([self.a[i][:na], self.b[i][:nb]])
        y = np.concatenate([self.a[j][:na], self.b[j][:nb]])
        return pearson_from_sums(x.size, float(x.sum()), float(y.sum()), float(x @ x),
                                 float(y @ y), float(x @ y))

    def spread(self) -> ValueHistogram:
        rows = [r for r in self.a + self.b if r.size]
        return ValueHistogram.of(np.concatenate(rows) if rows else np.zeros(0))

    def judged(self, i: int) -> tuple[int, int]:
        return int(self.a[i].size), int(self.b[i].size)

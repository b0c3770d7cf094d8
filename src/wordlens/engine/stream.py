"""Streaming verification: the adaptive rounds of :func:`wordlens.validation.verify`, with
texts judged in batches by an engine and only per-hypothesis summaries kept."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..properties import vader_compound
from ..stats import TwoSampleStats, compare_moments
from ..textutil import token_set
from ..validation import cannot_reach_top
from .base import Engine, InProcessEngine
from .summary import AUC_SAMPLE, BatchSummary, SideSummary

BATCH_SIZE = 2048


@dataclass
class StreamVerification:
    """Per-hypothesis summaries of the validation judgments (no judgment matrix).

    Hypothesis ``hypotheses[k]`` is row ``rows[k]`` of ``side_a`` / ``side_b``.
    """

    hypotheses: list[Hypothesis]
    rows: list[int]
    side_a: SideSummary
    side_b: SideSummary
    stopped_early: list[bool]
    judgments_made: int
    judgments_full: int
    rounds: int
    budget_note: str | None = None
    engine: dict[str, Any] = field(default_factory=dict)

    @property
    def judgments_saved(self) -> int:
        return self.judgments_full - self.judgments_made

    def tests(self) -> list[TwoSampleStats]:
        """:func:`~wordlens.stats.compare` of each hypothesis, from its summaries."""
        return [compare_moments(self.side_a.moments(r), self.side_b.moments(r))
                for r in self.rows]

    def examples(self, k: int, side: str, *, holds: bool) -> list[str]:
        """Example texts of hypothesis ``k`` on ``side`` ("A" or "B")."""
        s = self.side_a if side == "A" else self.side_b
        return s.examples(self.rows[k], holds=holds)


def summarize_batch(judge: Judge, hypotheses: list[Hypothesis], texts: list[str], start: int,
                    keys: np.ndarray, n_examples: int, sample_size: int) -> BatchSummary:
    """Judge one batch and summarise it (the unit of work an engine runs)."""
    j = judge.judge(hypotheses, texts)
    # per-text memo caches of the exact judges would grow with the corpus: a batch's texts
    # are not seen again
    token_set.cache_clear()
    vader_compound.cache_clear()
    return BatchSummary.of(j, texts, start, keys, n_examples, sample_size)


def verify_streaming(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str],
                     judge: Judge, *, engine: Engine | None = None, top_k: int = 10,
                     adaptive: bool = True, rounds: int = 4, confidence: float = 0.99,
                     n_examples: int = 3, batch_size: int = BATCH_SIZE, seed: int = 0,
                     sample_size: int = AUC_SAMPLE,
                     on_texts: Callable[[int], None] | None = None) -> StreamVerification:
    """:func:`~wordlens.validation.verify` in batches of ``batch_size`` texts run by
    ``engine`` (in-process by default), merging per-hypothesis summaries in batch order: the
    same rounds, slices and stopping rule, so the same statistics as the in-memory path
    (AUC from a seeded sample of at most ``sample_size`` texts per side; exact below it).
    ``on_texts(k)`` is called as k more texts are judged."""
    hyps = list(hypotheses)
    a, b = list(a), list(b)
    engine = engine or InProcessEngine()
    n_h = len(hyps)
    sides = (SideSummary(n_h, n_examples, sample_size), SideSummary(n_h, n_examples,
                                                                    sample_size))
    keys = (np.random.default_rng([seed, 0]).random(len(a)),
            np.random.default_rng([seed, 1]).random(len(b)))
    rounds = max(1, rounds if adaptive else 1)
    cuts = (np.linspace(0, len(a), rounds + 1).astype(int),
            np.linspace(0, len(b), rounds + 1).astype(int))
    active = np.ones(n_h, dtype=bool)
    made, done = 0, 0
    shared = engine.share(judge)
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        chosen = [hyps[i] for i in idx]
        tasks, owners = [], []
        for s, texts in enumerate((a, b)):
            lo, hi = int(cuts[s][r]), int(cuts[s][r + 1])
            for start in range(lo, hi, batch_size):
                end = min(start + batch_size, hi)
                tasks.append((chosen, texts[start:end], start, keys[s][start:end], n_examples,
                              sample_size))
                owners.append(s)
        before, made_before = copy.deepcopy(sides), made
        try:
            for s, res in zip(owners, engine.map(summarize_batch, shared, tasks)):
                sides[s].add(idx, res)
                made += res.n * idx.size
                if on_texts:
                    on_texts(res.n)
        except BudgetExceeded as exc:
            return _partial(hyps, before, len(a), len(b), made_before, done, str(exc),
                            engine)
        done += 1
        if adaptive and r < rounds - 1 and idx.size > top_k:
            sa, sb = sides
            active &= ~cannot_reach_top(sa.mean, sa.variance(), sa.n, sb.mean, sb.variance(),
                                        sb.n, idx=idx, top_k=top_k, confidence=confidence)
    stopped = [int(sides[0].n[i]) < len(a) for i in range(n_h)]
    return StreamVerification(hyps, list(range(n_h)), sides[0], sides[1], stopped, made,
                              n_h * (len(a) + len(b)), done, engine=engine.describe())


def _partial(hyps: list[Hypothesis], sides: tuple[SideSummary, SideSummary], n_a: int,
             n_b: int, made: int, rounds: int, reason: str,
             engine: Engine) -> StreamVerification:
    keep = [i for i in range(len(hyps)) if sides[0].n[i] > 0]
    note = (f"{reason}; verification stopped after {rounds} finished round(s): statistics "
            f"cover {len(keep)} of {len(hyps)} hypotheses on the texts judged so far")
    return StreamVerification([hyps[i] for i in keep], keep, sides[0], sides[1],
                              [int(sides[0].n[i]) < n_a for i in keep], made,
                              len(hyps) * (n_a + n_b), rounds, budget_note=note,
                              engine=engine.describe())

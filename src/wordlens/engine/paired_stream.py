"""Streaming verification of pairs: :func:`~wordlens.engine.stream.verify_streaming` with a
pair as the unit. Each batch holds whole pairs, both texts of every pair judged in the same
task; besides each side's summaries, the batch sends back the per-hypothesis sufficient
statistics of the per-pair differences (:class:`~wordlens.pairstats.PairedMoments`), from
which the paired tests (McNemar / Tango, paired t) are exactly those of the in-memory path."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..pairstats import PairedMoments, compare_paired_moments
from ..properties import vader_compound
from ..stats import TwoSampleStats
from ..textutil import token_set
from ..validation import cannot_reach_top
from .base import Engine, InProcessEngine
from .stream import BATCH_SIZE, StreamVerification
from .summary import AUC_SAMPLE, BatchSummary, SideSummary


@dataclass
class PairedStreamVerification(StreamVerification):
    """A :class:`StreamVerification` whose tests are paired: ``pairs[r]`` holds the
    per-pair moments of row r."""

    pairs: list[PairedMoments] = field(default_factory=list)

    def tests(self) -> list[TwoSampleStats]:
        return [compare_paired_moments(self.pairs[r]) for r in self.rows]


def summarize_pairs(judge: Judge, hypotheses: list[Hypothesis], texts_a: list[str],
                    texts_b: list[str], start: int, keys_a: np.ndarray, keys_b: np.ndarray,
                    n_examples: int, sample_size: int
                    ) -> tuple[BatchSummary, BatchSummary, list[PairedMoments]]:
    """Judge one batch of pairs (both texts in one call) and summarise it: each side's
    summaries and, per hypothesis, the moments of the per-pair differences."""
    j = judge.judge(hypotheses, list(texts_a) + list(texts_b))
    token_set.cache_clear()  # per-text memo caches: a batch's texts are not seen again
    vader_compound.cache_clear()
    m = len(texts_a)
    ja, jb = np.asarray(j[:, :m], dtype=float), np.asarray(j[:, m:], dtype=float)
    return (BatchSummary.of(ja, texts_a, start, keys_a, n_examples, sample_size),
            BatchSummary.of(jb, texts_b, start, keys_b, n_examples, sample_size),
            [PairedMoments.of(x, y) for x, y in zip(ja, jb)])


def verify_paired_streaming(hypotheses: Sequence[Hypothesis], a: Sequence[str],
                            b: Sequence[str], judge: Judge, *, engine: Engine | None = None,
                            top_k: int = 10, adaptive: bool = True, rounds: int = 4,
                            confidence: float = 0.99, n_examples: int = 3,
                            batch_size: int = BATCH_SIZE, seed: int = 0,
                            sample_size: int = AUC_SAMPLE,
                            on_texts: Callable[[int], None] | None = None
                            ) -> PairedStreamVerification:
    """Pairs (``a[i]``, ``b[i]``) in batches of ``batch_size // 2`` pairs on ``engine``,
    merged in batch order: the rounds, slices and stopping rule of the in-memory paired
    verification (:func:`wordlens.validation.verify` on pairs), so the same statistics."""
    hyps, a, b = list(hypotheses), list(a), list(b)
    if len(a) != len(b):
        raise ValueError("paired verification needs the two texts of each pair")
    engine = engine or InProcessEngine()
    n_h, n_p = len(hyps), len(a)
    sides = (SideSummary(n_h, n_examples, sample_size),
             SideSummary(n_h, n_examples, sample_size))
    moments = [PairedMoments.of(np.zeros(0), np.zeros(0)) for _ in range(n_h)]
    keys = (np.random.default_rng([seed, 0]).random(n_p),
            np.random.default_rng([seed, 1]).random(n_p))
    rounds = max(1, rounds if adaptive else 1)
    cuts = np.linspace(0, n_p, rounds + 1).astype(int)
    step = max(1, batch_size // 2)
    active = np.ones(n_h, dtype=bool)
    made, done = 0, 0
    shared = engine.share(judge)
    for r in range(rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        chosen = [hyps[i] for i in idx]
        tasks = [(chosen, a[s:min(s + step, cuts[r + 1])], b[s:min(s + step, cuts[r + 1])],
                  s, keys[0][s:min(s + step, cuts[r + 1])],
                  keys[1][s:min(s + step, cuts[r + 1])], n_examples, sample_size)
                 for s in range(int(cuts[r]), int(cuts[r + 1]), step)]
        before = (copy.deepcopy(sides), list(moments), made)
        try:
            for sa, sb, pm in engine.map(summarize_pairs, shared, tasks):
                sides[0].add(idx, sa)
                sides[1].add(idx, sb)
                for row, i in enumerate(idx):
                    moments[i] = moments[i].merge(pm[row])
                made += 2 * sa.n * idx.size
                if on_texts:
                    on_texts(2 * sa.n)
        except BudgetExceeded as exc:
            return _partial(hyps, before, n_p, done, str(exc), engine)
        done += 1
        if adaptive and r < rounds - 1 and idx.size > top_k:
            sa_, sb_ = sides
            active &= ~cannot_reach_top(sa_.mean, sa_.variance(), sa_.n, sb_.mean,
                                        sb_.variance(), sb_.n, idx=idx, top_k=top_k,
                                        confidence=confidence)
    stopped = [int(sides[0].n[i]) < n_p for i in range(n_h)]
    return PairedStreamVerification(hyps, list(range(n_h)), sides[0], sides[1], stopped, made,
                                    n_h * 2 * n_p, done, engine=engine.describe(),
                                    pairs=moments)


def _partial(hyps: list[Hypothesis], before: tuple, n_p: int, rounds: int, reason: str,
             engine: Engine) -> PairedStreamVerification:
    sides, moments, made = before
    keep = [i for i in range(len(hyps)) if moments[i].n > 1]
    note = (f"{reason}; verification stopped after {rounds} finished round(s): statistics "
            f"cover {len(keep)} of {len(hyps)} hypotheses on the pairs judged so far")
    return PairedStreamVerification([hyps[i] for i in keep], keep, sides[0], sides[1],
                                    [int(sides[0].n[i]) < n_p for i in keep], made,
                                    len(hyps) * 2 * n_p, rounds, budget_note=note,
                                    engine=engine.describe(), pairs=moments)

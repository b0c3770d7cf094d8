"""Streaming verification: :func:`wordlens.validation.run_rounds` over an accumulator whose
texts are judged in batches by an engine, keeping only mergeable per-hypothesis summaries
(moments, an AUC sample, examples, grouping co-occurrence sums, the P(yes) histogram)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..mergeable import Cooccurrence, ValueHistogram
from ..properties import vader_compound
from ..stats import TwoSampleStats, compare_moments
from ..textutil import token_set
from ..validation import Accumulator, Evidence, Verification, run_rounds
from .base import Engine, InProcessEngine
from .summary import AUC_SAMPLE, BatchSummary, SideSummary

BATCH_SIZE = 2048


class SummaryEvidence(Evidence):
    """Per-hypothesis summaries of the validation judgments (no judgment matrix):
    hypothesis ``k`` of the verification is row ``rows[k]`` of the summaries."""

    def __init__(self, rows: list[int], side_a: SideSummary, side_b: SideSummary,
                 cooc: Cooccurrence, hist: ValueHistogram):
        self.rows, self.sides = rows, {"A": side_a, "B": side_b}
        self.cooc, self.hist = cooc, hist

    def tests(self) -> list[TwoSampleStats]:
        return [compare_moments(self.sides["A"].moments(r), self.sides["B"].moments(r))
                for r in self.rows]

    def examples(self, i: int, side: str, *, holds: bool, k: int) -> list[int]:
        s = self.sides[side]
        cands = s.holds[self.rows[i]] if holds else s.fails[self.rows[i]]
        return [pos for _, pos, _ in cands][:max(k, 0)]

    def correlation(self, i: int, j: int) -> float:
        return self.cooc.correlation(self.rows[i], self.rows[j])

    def spread(self) -> ValueHistogram:
        return self.hist

    def judged(self, i: int) -> tuple[int, int]:
        r = self.rows[i]
        return int(self.sides["A"].n[r]), int(self.sides["B"].n[r])


def summarize_batch(judge: Judge, hypotheses: list[Hypothesis], texts: list[str], start: int,
                    keys: np.ndarray, n_examples: int, sample_size: int
                    ) -> tuple[BatchSummary, tuple, ValueHistogram]:
    """Judge one batch and summarise it (the unit of work an engine runs): its moments and
    examples, its co-occurrence sums and its histogram of judgments."""
    j = judge.judge(hypotheses, texts)
    # per-text memo caches of the exact judges would grow with the corpus: a batch's texts
    # are not seen again
    token_set.cache_clear()
    vader_compound.cache_clear()
    return (BatchSummary.of(j, texts, start, keys, n_examples, sample_size),
            Cooccurrence.batch(j), ValueHistogram.of(j))


class Summaries(Accumulator):
    """Batches of each round's slice judged on ``engine``, merged in batch order."""

    def __init__(self, judge: Judge, a: list[str], b: list[str], n_hypotheses: int, *,
                 engine: Engine, rounds: int, n_examples: int, batch_size: int, seed: int,
                 sample_size: int, on_texts: Callable[[int], None] | None):
        self.texts, self.engine, self.on_texts = (a, b), engine, on_texts
        self.shared = engine.share(judge)
        self.n_examples, self.batch_size, self.sample_size = n_examples, batch_size, sample_size
        self.keys = (np.random.default_rng([seed, 0]).random(len(a)),
                     np.random.default_rng([seed, 1]).random(len(b)))
        self.state = ((SideSummary(n_hypotheses, n_examples, sample_size),
                       SideSummary(n_hypotheses, n_examples, sample_size)),
                      Cooccurrence(n_hypotheses, rounds), ValueHistogram())

    def judge_round(self, r, idx, chosen, slices) -> int:
        tasks, owners = [], []
        for s, (lo, hi) in enumerate(slices):
            for start in range(lo, hi, self.batch_size):
                end = min(start + self.batch_size, hi)
                tasks.append((chosen, self.texts[s][start:end], start,
                              self.keys[s][start:end], self.n_examples, self.sample_size))
                owners.append(s)
        state = copy.deepcopy(self.state)  # kept unchanged if the budget runs out
        (sides, cooc, hist), made = state, 0
        for s, (res, part, h) in zip(owners, self.engine.map(summarize_batch, self.shared,
                                                             tasks)):
            sides[s].add(idx, res)
            cooc.add(r, idx, part)
            hist.add(h)
            made += res.n * idx.size
            if self.on_texts:
                self.on_texts(res.n)
        cooc.end_round(r, idx)
        self.state = state
        return made

    def moments(self) -> tuple[np.ndarray, ...]:
        sa, sb = self.state[0]
        return sa.mean, sa.variance(), sa.n, sb.mean, sb.variance(), sb.n

    def judged(self) -> tuple[np.ndarray, np.ndarray]:
        return self.state[0][0].n, self.state[0][1].n

    def finish(self, hyps, keep, stopped, made, full, rounds, note) -> Verification:
        (sa, sb), cooc, hist = self.state
        return Verification([hyps[i] for i in keep], None, None, stopped, made, full, rounds,
                            budget_note=note,
                            evidence=SummaryEvidence(keep, sa, sb, cooc, hist),
                            engine=self.engine.describe())


def verify_streaming(hypotheses: Sequence[Hypothesis], a: Sequence[str], b: Sequence[str],
                     judge: Judge, *, engine: Engine | None = None, top_k: int = 10,
                     adaptive: bool = True, rounds: int = 4, confidence: float = 0.99,
                     n_examples: int = 3, batch_size: int = BATCH_SIZE, seed: int = 0,
                     sample_size: int = AUC_SAMPLE,
                     on_texts: Callable[[int], None] | None = None) -> Verification:
    """:func:`~wordlens.validation.verify` in batches of ``batch_size`` texts run by
    ``engine`` (in-process by default), merging per-hypothesis summaries in batch order: the
    same round loop, so the same statistics, examples, groups and P(yes) spread as the
    in-memory path (AUC from a seeded sample of at most ``sample_size`` texts per side; exact
    below it). ``on_texts(k)`` is called as k more texts are judged."""
    hyps, a, b = list(hypotheses), list(a), list(b)
    n_rounds = max(1, rounds if adaptive else 1)
    acc = Summaries(judge, a, b, len(hyps), engine=engine or InProcessEngine(),
                    rounds=n_rounds, n_examples=n_examples, batch_size=batch_size, seed=seed,
                    sample_size=sample_size, on_texts=on_texts)
    return run_rounds(hyps, len(a), len(b), acc, top_k=top_k, adaptive=adaptive,
                      rounds=rounds, confidence=confidence)

"""Streaming verification of pairs: :func:`~wordlens.engine.stream.verify_streaming` with a
pair as the unit. Each batch holds whole pairs, both texts of every pair judged in the same
task; besides each side's summaries, the batch sends back the per-hypothesis sufficient
statistics of the per-pair differences (:class:`~wordlens.pairstats.PairedMoments`), from
which the paired tests (McNemar / Tango, paired t) are exactly those of the in-memory path."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..mergeable import Cooccurrence, ValueHistogram
from ..pairstats import PairedMoments, compare_paired_moments
from ..properties import vader_compound
from ..textutil import token_set
from ..validation import Verification, run_rounds
from .base import Engine, InProcessEngine
from .stream import BATCH_SIZE, Summaries, SummaryEvidence
from .summary import AUC_SAMPLE, BatchSummary


def summarize_pairs(judge: Judge, hypotheses: list[Hypothesis], texts_a: list[str],
                    texts_b: list[str], start: int, keys_a: np.ndarray, keys_b: np.ndarray,
                    n_examples: int, sample_size: int) -> tuple:
    """Judge one batch of pairs (both texts in one call) and summarise it: each side's
    summaries, the co-occurrence sums and histogram of its judgments and, per hypothesis,
    the moments of the per-pair differences."""
    j = judge.judge(hypotheses, list(texts_a) + list(texts_b))
    token_set.cache_clear()  # per-text memo caches: a batch's texts are not seen again
    vader_compound.cache_clear()
    m = len(texts_a)
    ja, jb = np.asarray(j[:, :m], dtype=float), np.asarray(j[:, m:], dtype=float)
    return (BatchSummary.of(ja, texts_a, start, keys_a, n_examples, sample_size),
            BatchSummary.of(jb, texts_b, start, keys_b, n_examples, sample_size),
            Cooccurrence.batch(j), ValueHistogram.of(j),
            [PairedMoments.of(x, y) for x, y in zip(ja, jb)])


class PairedSummaries(Summaries):
    """:class:`~wordlens.engine.stream.Summaries` whose batches are whole pairs, with the
    per-pair moments of every hypothesis."""

    def __init__(self, judge: Judge, a: list[str], b: list[str], n_hypotheses: int, **kw):
        super().__init__(judge, a, b, n_hypotheses, **kw)
        self.pairs = [PairedMoments.of(np.zeros(0), np.zeros(0)) for _ in range(n_hypotheses)]

    def judge_round(self, r, idx, chosen, slices) -> int:
        (lo, hi), _ = slices  # the same pairs on both sides
        step = max(1, self.batch_size // 2)
        (ta, tb), (ka, kb) = self.texts, self.keys
        tasks = [(chosen, ta[s:min(s + step, hi)], tb[s:min(s + step, hi)], s,
                  ka[s:min(s + step, hi)], kb[s:min(s + step, hi)], self.n_examples,
                  self.sample_size) for s in range(lo, hi, step)]
        state = copy.deepcopy(self.state)  # kept unchanged if the budget runs out
        pairs = list(self.pairs)
        (sides, cooc, hist), made = state, 0
        for sa, sb, part, h, pm in self.engine.map(summarize_pairs, self.shared, tasks):
            sides[0].add(idx, sa)
            sides[1].add(idx, sb)
            cooc.add(r, idx, part)
            hist.add(h)
            for row, i in enumerate(idx):
                pairs[i] = pairs[i].merge(pm[row])
            made += 2 * sa.n * idx.size
            if self.on_texts:
                self.on_texts(2 * sa.n)
        cooc.end_round(r, idx)
        self.state, self.pairs = state, pairs
        return made

    def finish(self, hyps, keep, stopped, made, full, rounds, note) -> Verification:
        (sa, sb), cooc, hist = self.state
        return Verification([hyps[i] for i in keep], None, None, stopped, made, full, rounds,
                            budget_note=note,
                            stats=[compare_paired_moments(self.pairs[i]) for i in keep],
                            evidence=SummaryEvidence(keep, sa, sb, cooc, hist),
                            engine=self.engine.describe())


def verify_paired_streaming(hypotheses: Sequence[Hypothesis], a: Sequence[str],
                            b: Sequence[str], judge: Judge, *, engine: Engine | None = None,
                            top_k: int = 10, adaptive: bool = True, rounds: int = 4,
                            confidence: float = 0.99, n_examples: int = 3,
                            batch_size: int = BATCH_SIZE, seed: int = 0,
                            sample_size: int = AUC_SAMPLE,
                            on_texts: Callable[[int], None] | None = None) -> Verification:
    """Pairs (``a[i]``, ``b[i]``) in batches of ``batch_size // 2`` pairs on ``engine``,
    merged in batch order: the rounds, slices and stopping rule of the in-memory paired
    verification (:func:`wordlens.validation.verify` on pairs), so the same statistics."""
    hyps, a, b = list(hypotheses), list(a), list(b)
    if len(a) != len(b):
        raise ValueError("paired verification needs the two texts of each pair")
    n_rounds = max(1, rounds if adaptive else 1)
    acc = PairedSummaries(judge, a, b, len(hyps), engine=engine or InProcessEngine(),
                          rounds=n_rounds, n_examples=n_examples, batch_size=batch_size,
                          seed=seed, sample_size=sample_size, on_texts=on_texts)
    return run_rounds(hyps, len(a), len(b), acc, top_k=top_k, adaptive=adaptive,
                      rounds=rounds, confidence=confidence)

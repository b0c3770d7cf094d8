"""Judge controls of a streamed verification (:mod:`wordlens.controls`): the placebos and the
role swap judged in batches on the engine and merged as moments, so a streamed or Ray run
controls its judge exactly as an in-process run does. The role swap needs the top finding's
judgment next to its negation's on each text, and a streamed run kept no judgments: the
finding is judged again on the texts it covers (counted in ``judgments``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..controls import (
    PLACEBOS,
    Control,
    JudgeControls,
    control_from_moments,
    negation,
    summarize_controls,
)
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..mergeable import ValueHistogram
from .base import Engine
from .stream import BATCH_SIZE
from .summary import AUC_SAMPLE, BatchSummary, SideSummary


@dataclass
class _ControlBatch:
    placebos: BatchSummary
    swaps: list[BatchSummary | None]  # per swap: (P(h) + P(not h)) / 2 on the covered texts
    neg_sum: np.ndarray  # per swap: sum of P(not h)
    neg_n: np.ndarray
    hist: ValueHistogram  # every control judgment (the P(yes) spread)
    made: int


def control_batch(judge: Judge, texts: list[str], start: int, keys: np.ndarray,
                  swaps: list[tuple[Hypothesis, int]]) -> _ControlBatch:
    """Judge the placebos on a batch of one side, and each swapped finding ``(h, covered)``
    (a hypothesis as verified, with its form) with its negation on the batch's texts among
    the first ``covered`` of the side."""
    m = judge.judge([Hypothesis(h, source="control") for h, _ in PLACEBOS], texts)
    hist, made = ValueHistogram.of(m), int(m.size)
    parts: list[BatchSummary | None] = []
    neg_sum, neg_n = np.zeros(len(swaps)), np.zeros(len(swaps), dtype=int)
    for k, (h, covered) in enumerate(swaps):
        cut = max(0, min(len(texts), covered - start))
        if cut == 0:
            parts.append(None)
            continue
        jh = judge.judge([h], texts[:cut])[0]
        jn = judge.judge([Hypothesis(negation(h.text), source="control")], texts[:cut])[0]
        made += jh.size + jn.size
        hist.add(ValueHistogram.of(jn))
        neg_sum[k], neg_n[k] = float(jn.sum()), jn.size
        parts.append(BatchSummary.of(((jh + jn) / 2)[None, :], texts[:cut], start, keys[:cut],
                                     0, AUC_SAMPLE))
    return _ControlBatch(BatchSummary.of(m, texts, start, keys, 0, AUC_SAMPLE), parts, neg_sum,
                         neg_n, hist, made)


def stream_controls(judge: Judge, texts_a: Sequence[str], texts_b: Sequence[str], *,
                    engine: Engine, swap: Sequence[tuple[Hypothesis, int, int]] = (),
                    spread: ValueHistogram | None = None, alpha: float = 0.05,
                    batch_size: int = BATCH_SIZE, seed: int = 0) -> JudgeControls:
    """:func:`wordlens.controls.run_controls` in batches on ``engine``. ``swap``: (finding,
    texts of A, texts of B its judgments cover); ``spread``: the run's judgments."""
    swap = [s for s in swap if s[1] >= 2 and s[2] >= 2]
    sides = [(SideSummary(len(PLACEBOS), 0), SideSummary(max(len(swap), 1), 0))
             for _ in range(2)]
    neg_sum, neg_n = np.zeros(len(swap)), np.zeros(len(swap), dtype=int)
    hist = ValueHistogram().add(spread) if spread is not None else ValueHistogram()
    made, tasks, owners = 0, [], []
    for s, texts in enumerate((list(texts_a), list(texts_b))):
        keys = np.random.default_rng([seed, 7, s]).random(len(texts))
        covered = [(h, n) for h, *ns in swap for n in (ns[s],)]
        for start in range(0, len(texts), batch_size):
            end = min(start + batch_size, len(texts))
            tasks.append((texts[start:end], start, keys[start:end], covered))
            owners.append(s)
    for s, res in zip(owners, engine.map(control_batch, engine.share(judge), tasks)):
        sides[s][0].add(np.arange(len(PLACEBOS)), res.placebos)
        for k, part in enumerate(res.swaps):
            if part is not None:
                sides[s][1].add(np.array([k]), part)
        neg_sum += res.neg_sum
        neg_n += res.neg_n
        hist.add(res.hist)
        made += res.made
    (pa, wa), (pb, wb) = sides
    controls: list[Control] = []
    for k, (text, kind) in enumerate(PLACEBOS):
        total = pa.mean[k] * pa.n[k] + pb.mean[k] * pb.n[k]
        controls.append(control_from_moments(text, kind, None, pa.moments(k), pb.moments(k),
                                             float(total / max(pa.n[k] + pb.n[k], 1)), alpha))
    for k, (h, _, _) in enumerate(swap):
        controls.append(control_from_moments(negation(h.text), "role_swap", h.text,
                                             wa.moments(k),
                                             wb.moments(k), float(neg_sum[k] / neg_n[k]),
                                             alpha))
    return summarize_controls(controls, hist, made, alpha)

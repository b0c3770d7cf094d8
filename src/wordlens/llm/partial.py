"""Verification that stops cleanly when the budget runs out, keeping the finished rounds.

`wordlens.validation.verify` judges the active hypotheses on slice r of A, then on slice r of
B, for r = 1, 2, ... This wrapper records every finished judge call; when a
:class:`~wordlens.errors.BudgetExceeded` interrupts a round, it rebuilds the verification from
the rounds finished before it (their calls are cached, so a rerun with a larger budget pays
only for the rest). `tests/test_llm_partial.py` checks that a full recording rebuilds exactly
what `verify` returns, so a change in `verify`'s call order cannot go unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import BudgetExceeded
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..validation import Verification, verify


class _Recorder(Judge):
    def __init__(self, inner: Judge):
        super().__init__()
        self.inner = inner
        self.calls: list[tuple[list[Hypothesis], np.ndarray]] = []

    def judge(self, hypotheses, texts):  # record what the inner judge returned
        m = self.inner.judge(hypotheses, texts)
        self.calls.append((list(hypotheses), m))
        return m

    def judge_matrix(self, hypotheses, texts):  # pragma: no cover - judge() is overridden
        return self.inner.judge_matrix(hypotheses, texts)


def rebuild(hypotheses: Sequence[Hypothesis], n_a: int, n_b: int,
            calls: list[tuple[list[Hypothesis], np.ndarray]]) -> Verification:
    """A Verification from the finished (A slice, B slice) call pairs of `verify`."""
    hyps = list(hypotheses)
    pos = {h.key: i for i, h in enumerate(hyps)}
    ja: list[list[np.ndarray]] = [[] for _ in hyps]
    jb: list[list[np.ndarray]] = [[] for _ in hyps]
    made = rounds = 0
    for (chosen, ma), (_, mb) in zip(calls[0::2], calls[1::2]):
        for row, h in enumerate(chosen):
            ja[pos[h.key]].append(ma[row])
            jb[pos[h.key]].append(mb[row])
        made += ma.size + mb.size
        rounds += 1
    keep = [i for i in range(len(hyps)) if ja[i]]  # never judged: nothing to report
    arr_a = [np.concatenate(ja[i]) for i in keep]
    arr_b = [np.concatenate(jb[i]) for i in keep]
    return Verification([hyps[i] for i in keep], arr_a, arr_b, [x.size < n_a for x in arr_a],
                        made, len(hyps) * (n_a + n_b), rounds)


def verify_within_budget(hypotheses: Sequence[Hypothesis], a: Sequence[str],
                         b: Sequence[str], judge: Judge, **kwargs: Any) -> Verification:
    """Like `verify`; on a budget stop returns the finished rounds with ``budget_note`` set
    on the returned object (an attribute; None when verification finished)."""
    rec = _Recorder(judge)
    try:
        ver = verify(hypotheses, a, b, rec, **kwargs)
        ver.budget_note = None  # type: ignore[attr-defined]
        return ver
    except BudgetExceeded as exc:
        ver = rebuild(hypotheses, len(a), len(b), rec.calls)
        ver.budget_note = (  # type: ignore[attr-defined]
            f"{exc}; verification stopped after {ver.rounds} finished round(s): statistics "
            f"cover {len(ver.hypotheses)} of {len(list(hypotheses))} hypotheses on the texts "
            "judged so far. Finished calls are cached: rerun with a larger budget to continue "
            "without paying for them again.")
        return ver

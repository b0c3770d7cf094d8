import numpy as np
import pytest

from wordlens.errors import BudgetExceeded
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.validation import verify


class Hashy(Judge):
    """Deterministic judgments; raises BudgetExceeded after ``limit`` judge calls."""

    def __init__(self, limit=None):
        super().__init__()
        self.limit, self.n = limit, 0

    def judge_matrix(self, hyps, texts):
        self.n += 1
        if self.limit is not None and self.n > self.limit:
            raise BudgetExceeded("call budget reached")
        return np.array([[(hash((h.text, t)) % 97) / 96 for t in texts] for h in hyps])


HYPS = [Hypothesis(f"h{i}") for i in range(12)]
A = [f"a{i}" for i in range(40)]
B = [f"b{i}" for i in range(40)]


def test_verification_without_a_budget_stop_has_no_note():
    v = verify(HYPS, A, B, Hashy(), top_k=3)
    assert v.budget_note is None and v.rounds == 4


@pytest.mark.parametrize("limit, rounds", [(0, 0), (1, 0), (2, 1), (5, 2)])
def test_budget_stop_keeps_only_finished_rounds(limit, rounds):
    full = verify(HYPS, A, B, Hashy(), top_k=3)
    part = verify(HYPS, A, B, Hashy(limit), top_k=3)
    assert part.rounds == rounds and "budget" in part.budget_note
    if rounds == 0:
        assert part.hypotheses == []
        return
    for h, xa in zip(part.hypotheses, part.judgments_a):
        i = HYPS.index(h)
        assert np.array_equal(xa, full.judgments_a[i][: xa.size])  # same judgments, a prefix
    assert all(part.stopped_early)

import numpy as np

from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.validation import verify


class TableJudge(Judge):
    """Judgments looked up from a fixed table keyed by hypothesis text and text."""

    name = "table"

    def __init__(self, table):
        super().__init__()
        self.table = table

    def judge_matrix(self, hypotheses, texts):
        return np.array([[self.table[h.text][t] for t in texts] for h in hypotheses])


def make_problem(n=200, strong=5, weak=30, seed=0):
    rng = np.random.default_rng(seed)
    a = [f"a{i}" for i in range(n)]
    b = [f"b{i}" for i in range(n)]
    table = {}
    for k in range(strong + weak):
        pa = 0.8 if k < strong else 0.3
        row = {t: float(rng.random() < pa) for t in a}
        row.update({t: float(rng.random() < 0.3) for t in b})
        table[f"h{k}"] = row
    return [Hypothesis(h) for h in table], a, b, TableJudge(table)


def test_adaptive_verification_stops_hopeless_hypotheses_and_counts_savings():
    hyps, a, b, judge = make_problem()
    v = verify(hyps, a, b, judge, top_k=5, adaptive=True)
    assert v.judgments_saved > 0 and v.judgments_made + v.judgments_saved == v.judgments_full
    assert v.judgments_made == judge.judgments_made
    assert not any(v.stopped_early[:5])  # the real effects are never stopped
    assert sum(v.stopped_early[5:]) >= 10


def test_exhaustive_verification_judges_everything():
    hyps, a, b, judge = make_problem()
    v = verify(hyps, a, b, judge, adaptive=False)
    assert v.judgments_saved == 0 and all(x.size == len(a) for x in v.judgments_a)

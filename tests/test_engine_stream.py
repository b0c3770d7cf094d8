"""Streamed verification equals the in-memory computation on the same judgments."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.diff import diff
from wordlens.engine import InProcessEngine, make_engine
from wordlens.engine.stream import verify_streaming
from wordlens.engine.summary import BatchSummary, SideSummary
from wordlens.errors import InputError
from wordlens.hypothesis import as_hypotheses
from wordlens.stats import compare

from .engine_judges import HYPOTHESES, HashJudge, corpora

NUMBERS = ("share_a", "share_b", "validity", "ci_low", "ci_high", "p_value", "q_value", "auc")


def _rows(result):
    return {r.hypothesis: r for r in result.hypotheses}


@pytest.mark.parametrize("adaptive", [False, True])
def test_streamed_diff_equals_in_memory_diff(adaptive):
    a, b = corpora()
    kw = dict(hypotheses=HYPOTHESES, judge=HashJudge(), seed=3, top_k=3, adaptive=adaptive)
    mem = diff(a, b, **kw)
    streamed = diff(a, b, engine="inprocess", **kw)
    assert streamed.settings["engine"]["name"] == "in-process"
    rm, rs = _rows(mem), _rows(streamed)
    assert rm.keys() == rs.keys()
    assert {r.test for r in rm.values()} >= {"score test for two proportions",
                                             "Welch t-test on soft judgments"}
    for h, x in rm.items():
        y = rs[h]
        for f in NUMBERS:
            assert getattr(y, f) == pytest.approx(getattr(x, f), rel=1e-9, abs=1e-12), (h, f)
        assert (y.n_a, y.n_b, y.direction, y.significant, y.stopped_early, y.rank) == \
            (x.n_a, x.n_b, x.direction, x.significant, x.stopped_early, x.rank)
        assert y.examples_for == x.examples_for and y.examples_against == x.examples_against
    assert streamed.verification["judgments_made"] == mem.verification["judgments_made"]
    assert any(r.stopped_early for r in rm.values()) == adaptive


def test_merge_does_not_depend_on_batching():
    a, b = corpora(500, 400)
    hyps = as_hypotheses(HYPOTHESES)
    results = [verify_streaming(hyps, a, b, HashJudge(), adaptive=False, batch_size=bs)
               for bs in (7, 64, 10_000)]
    ref = [compare(HashJudge().judge([h], a)[0], HashJudge().judge([h], b)[0]) for h in hyps]
    for ver in results:
        for got, want in zip(ver.stats, ref):
            assert got.test == want.test
            for f in ("validity", "ci_low", "ci_high", "p_value", "auc"):
                assert getattr(got, f) == pytest.approx(getattr(want, f), rel=1e-9, abs=1e-12)


def test_bounded_auc_sample_is_uniform_and_close():
    rng = np.random.default_rng(0)
    ja, jb = rng.beta(2, 1, 5000), rng.beta(1, 2, 4000)
    side_a, side_b = SideSummary(1, sample_size=1000), SideSummary(1, sample_size=1000)
    for side, j in ((side_a, ja), (side_b, jb)):
        keys = rng.random(j.size)
        for s in range(0, j.size, 700):
            side.add(np.array([0]), BatchSummary.of(j[None, s:s + 700], ["t"] * len(j[s:s + 700]),
                                                    s, keys[s:s + 700], 0, 1000))
        assert side.sample[0].size == 1000 and side.n[0] == j.size
        assert side.mean[0] == pytest.approx(j.mean()) and side.m2[0] == pytest.approx(
            ((j - j.mean()) ** 2).sum())
    from wordlens.stats import compare_moments

    got = compare_moments(side_a.moments(0), side_b.moments(0))
    want = compare(ja, jb)
    assert got.p_value == pytest.approx(want.p_value) and got.ci_low == pytest.approx(
        want.ci_low)
    assert abs(got.auc - want.auc) < 0.03  # 1000-text samples: standard error ~0.01


def test_unknown_engine_is_an_input_error():
    with pytest.raises(InputError, match="--engine"):
        make_engine("spark")
    assert isinstance(make_engine(None), InProcessEngine)

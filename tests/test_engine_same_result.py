"""In-process and streamed runs give the same ranked result: the same hypotheses in the same
order, the same groups, the same judge controls and flags (grouping correlations and control
statistics are mergeable summaries)."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.bench import shipped_pairs_dir
from wordlens.diff import diff
from wordlens.engine.stream import verify_streaming
from wordlens.hypothesis import as_hypotheses
from wordlens.mergeable import ValueHistogram
from wordlens.validation import verify

from .engine_judges import HYPOTHESES, HashJudge, corpora

ROW = ("rank", "hypothesis", "direction", "group", "group_correlation", "significant", "flags",
       "examples_for", "examples_against", "n_a", "n_b", "stopped_early", "test")
NUMBERS = ("validity", "ci_low", "ci_high", "p_value", "q_value", "auc")


def _same_result(x, y):
    assert [tuple(getattr(r, f) for f in ROW) for r in x.hypotheses] == \
        [tuple(getattr(r, f) for f in ROW) for r in y.hypotheses]
    for rx, ry in zip(x.hypotheses, y.hypotheses):
        for f in NUMBERS:
            assert getattr(ry, f) == pytest.approx(getattr(rx, f), rel=1e-9, abs=1e-12)
    cx, cy = x.judge_controls, y.judge_controls
    assert (cx is None) == (cy is None)
    if cx is not None:
        assert cx["biased"] == cy["biased"] and cx["flagged"] == cy["flagged"]
        assert cx["p_yes"] == cy["p_yes"]
        for a, b in zip(cx["controls"], cy["controls"], strict=True):
            assert (a["hypothesis"], a["kind"], a["biased"], a["n_a"], a["n_b"]) == \
                (b["hypothesis"], b["kind"], b["biased"], b["n_a"], b["n_b"])
            for f in ("validity", "ci_low", "ci_high", "p_value", "mean_p_yes"):
                # the role swap judges the top finding again when streamed: an embedding
                # judge's numbers move in the 8th decimal with what it encodes together
                assert b[f] == pytest.approx(a[f], rel=1e-6, abs=1e-6)


def test_shipped_pair_streamed_equals_in_process():
    pair = shipped_pairs_dir() / "bbc_tech_vs_sports"
    kw = dict(judge_controls=True, seed=0)
    mem = diff(str(pair / "a.jsonl"), str(pair / "b.jsonl"), **kw)
    streamed = diff(str(pair / "a.jsonl"), str(pair / "b.jsonl"), engine="inprocess", **kw)
    assert streamed.settings["engine"]["name"] == "in-process"
    assert mem.settings["engine"]["name"] == "in-memory"
    assert any(r.group_correlation is not None for r in streamed.hypotheses)  # grouped
    assert streamed.judge_controls is not None and streamed.judge_controls["controls"]
    _same_result(mem, streamed)


@pytest.mark.parametrize("adaptive", [False, True])
def test_streamed_groups_and_controls_equal_in_memory(adaptive):
    a, b = corpora(300, 260)
    kw = dict(hypotheses=HYPOTHESES, judge=HashJudge(), seed=2, top_k=3, adaptive=adaptive,
              judge_controls=True)
    mem, streamed = diff(a, b, **kw), diff(a, b, engine="inprocess", **kw)
    _same_result(mem, streamed)
    assert mem.judge_controls["controls"] == streamed.judge_controls["controls"]


def test_correlations_and_spread_are_the_in_memory_ones():
    a, b = corpora(400, 300)
    hyps = as_hypotheses(HYPOTHESES)
    mem = verify(hyps, a, b, HashJudge(), top_k=2)
    st = verify_streaming(hyps, a, b, HashJudge(), top_k=2, batch_size=37)
    assert mem.stopped_early == st.stopped_early and any(mem.stopped_early)
    for i in range(len(hyps)):
        for j in range(len(hyps)):
            na = min(mem.judgments_a[i].size, mem.judgments_a[j].size)
            nb = min(mem.judgments_b[i].size, mem.judgments_b[j].size)
            x = np.r_[mem.judgments_a[i][:na], mem.judgments_b[i][:nb]]
            y = np.r_[mem.judgments_a[j][:na], mem.judgments_b[j][:nb]]
            want = 0.0 if x.std() == 0 or y.std() == 0 else np.corrcoef(x, y)[0, 1]
            assert st.correlation(i, j) == pytest.approx(want, abs=1e-9)
            assert mem.correlation(i, j) == pytest.approx(want, abs=1e-9)
    assert st.spread().spread() == mem.spread().spread()


def test_histogram_quantiles_are_numpys_on_rounded_values():
    rng = np.random.default_rng(4)
    x = np.r_[rng.beta(0.5, 0.5, 999), [0.0, 1.0, 0.3, 0.7]]
    parts = [ValueHistogram.of(x[s:s + 100]) for s in range(0, x.size, 100)]
    h = ValueHistogram()
    for p in parts:
        h.add(p)
    got = h.spread()
    want = np.quantile(np.round(x, 4), [0.05, 0.25, 0.5, 0.75, 0.95])
    assert [got[k] for k in ("q05", "q25", "q50", "q75", "q95")] == pytest.approx(
        np.round(want, 4), abs=1e-12)
    assert got["n"] == x.size and got["mean"] == round(x.mean(), 4)
    assert got["sd"] == round(x.std(), 4)
    assert got["share_between_0.3_and_0.7"] == round(np.mean((x >= 0.3) & (x <= 0.7)), 4)

"""Streamed pairs (--fast / --engine with --paired): batches of whole pairs, the same paired
statistics as the in-memory path, in process and on Ray."""

import dataclasses
import json

import numpy as np
import pytest

from wordlens.corpus import Corpus
from wordlens.diff import diff_split
from wordlens.engine.paired_stream import verify_paired_streaming
from wordlens.hypothesis import as_hypotheses
from wordlens.pairs import PairedSplit, Pairs
from wordlens.pairstats import PairedMoments, compare_paired
from wordlens.validation import verify

from .engine_judges import HYPOTHESES, HashJudge
from .test_paired import cli, pair_rows, write


def pairs(n=300):
    a = [f"text {i} alpha {'x' * (i % 7)}" for i in range(n)]
    b = [f"text {i} {'beta' if i % 5 else 'alpha'} {'y' * (i % 5)}" for i in range(n)]
    return a, b


def split(n=300, seed=1):
    a, b = pairs(n)
    ids = [str(i) for i in range(n)]
    return PairedSplit.draw_pairs(Pairs(a, b, ids, Corpus("A", a), Corpus("B", b)), seed=seed)


def test_paired_moments_merge_as_the_whole():
    rng = np.random.default_rng(0)
    ja, jb = rng.uniform(size=50), rng.uniform(size=50)
    whole = PairedMoments.of(ja, jb)
    parts = PairedMoments.of(ja[:17], jb[:17]).merge(PairedMoments.of(ja[17:], jb[17:]))
    for f in dataclasses.fields(whole):
        assert getattr(parts, f.name) == pytest.approx(getattr(whole, f.name))


def test_streamed_pairs_equal_the_in_memory_paired_tests():
    a, b = pairs(300)
    hyps = as_hypotheses(HYPOTHESES)
    ref = verify(hyps, a, b, HashJudge(), top_k=3)
    st = verify_paired_streaming(hyps, a, b, HashJudge(), top_k=3, batch_size=50)
    assert st.stopped_early == ref.stopped_early and any(st.stopped_early)
    assert st.judgments_made == ref.judgments_made
    for t, x, y in zip(st.stats, ref.judgments_a, ref.judgments_b):
        want = compare_paired(x, y)
        assert t.test == want.test and t.n_a == want.n_a
        for f in ("validity", "ci_low", "ci_high", "p_value", "auc", "share_a"):
            assert getattr(t, f) == pytest.approx(getattr(want, f), rel=1e-9, abs=1e-12)


def _rows(res):
    return [(h.hypothesis, h.direction, h.test, h.n_a) +
            tuple(round(getattr(h, f), 9) for f in ("validity", "ci_low", "ci_high",
                                                    "p_value", "q_value"))
            for h in res.hypotheses]


def test_engine_on_pairs_gives_the_paired_result():
    s = split()
    kw = dict(judge=HashJudge(), hypotheses=HYPOTHESES, top_k=3, judge_controls=False)
    mem = diff_split(s, **kw)
    eng = diff_split(s, engine="inprocess", **kw)
    assert _rows(eng) == _rows(mem)
    assert eng.settings["paired"]["unit"] == "pair" and eng.settings["engine"]["name"]
    assert {h.test for h in eng.hypotheses} >= {"McNemar exact test (paired 0/1 judgments)"}


def test_ray_engine_on_pairs_equals_in_process():
    ray = pytest.importorskip("ray", reason="Ray is not installed")
    from wordlens.engine.ray_engine import RayEngine

    s = split(200)
    kw = dict(judge=HashJudge(), hypotheses=HYPOTHESES[:4] + HYPOTHESES[6:8], top_k=3,
              judge_controls=False)
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = diff_split(s, engine=RayEngine(in_flight=4), **kw)
    finally:
        ray.shutdown()
    assert _rows(on_ray) == _rows(diff_split(s, engine="inprocess", **kw))
    assert on_ray.settings["engine"]["name"] == "ray"


def test_cli_fast_on_pairs(tmp_path):
    f = write(tmp_path / "pairs.jsonl", pair_rows(80))
    code, stdout, stderr = cli("diff", f, "--paired", "model_a", "model_b", "--fast",
                               "--proposer", "properties", "--judge", "exact")
    assert code == 0, stderr
    assert "Paired analysis: 40 held-out pairs" in stdout and "McNemar" in stdout


def test_cli_engine_on_pairs_says_streamed_and_equals_in_memory(tmp_path):
    f = write(tmp_path / "pairs.jsonl", pair_rows(120))
    outs = {}
    for name, extra in (("mem", []), ("eng", ["--engine", "inprocess"])):
        outs[name] = tmp_path / f"{name}.json"
        code, stdout, stderr = cli("diff", f, "--paired", "model_a", "model_b", "--proposer",
                                   "properties", "--judge", "exact", "-o", outs[name], *extra)
        assert code == 0, stderr
        assert "Paired analysis: 60 held-out pairs" in stdout
    assert "streamed on the in-process engine" in stdout
    mem, eng = (json.loads(outs[k].read_text()) for k in ("mem", "eng"))
    assert eng["settings"]["paired"]["verification"] == "streamed"
    assert mem["settings"]["paired"]["verification"] == "exhaustive"
    assert eng["settings"]["engine"]["name"] == "in-process"
    keys = ("hypothesis", "validity", "ci_low", "ci_high", "p_value", "q_value", "test")
    assert [[h[k] for k in keys] for h in eng["hypotheses"]] == \
        [[h[k] for k in keys] for h in mem["hypotheses"]]
    assert eng["hypotheses"][0]["test"].startswith("McNemar")

"""The diff package: its public names, the CLI's one DiffConfig, the fast preset's setup on
the diff side, and decomposition running its sub-comparisons through the pipeline."""

import sys

import numpy as np

import wordlens
from wordlens import DiffConfig, DiffResult
from wordlens.cli.main import main
from wordlens.diff import diff, diff_split
from wordlens.diff.presets import prepare
from wordlens.judges.base import Judge
from wordlens.split import Split

from .conftest import ROOT

EX = ROOT / "examples" / "amazon_reviews"


class KeywordJudge(Judge):
    """A hypothesis holds when its text occurs in the text (exact, no model)."""

    name = "keyword"

    def judge_matrix(self, hypotheses, texts):
        return np.array([[float(h.text in t) for t in texts] for h in hypotheses])


def _split(n=40):
    a = [f"x a {i}" for i in range(n)]
    b = [f"y b {i}" for i in range(n)]
    return Split.draw(a, b, seed=1)


def test_public_names():
    assert wordlens.diff is diff and wordlens.DiffConfig is DiffConfig
    res = diff_split(_split(), hypotheses=["a"], judge=KeywordJudge())
    assert isinstance(res, DiffResult) and res.hypotheses[0].hypothesis == "a"


def test_cli_builds_one_config(monkeypatch, capsys, tmp_path):
    seen = {}

    def fake(a, b, config, **kw):
        seen.update(config=config, kw=kw)
        raise SystemExit(0)

    monkeypatch.setattr(sys.modules["wordlens.diff"], "diff", fake)
    main(["diff", str(EX / "positive.jsonl"), str(EX / "negative.jsonl"), "--seed", "3",
          "--top-k", "4", "--fast", "--no-judge-controls", "-q"])
    cfg = seen["config"]
    assert isinstance(cfg, DiffConfig) and set(seen["kw"]) == {"progress", "log"}
    assert (cfg.seed, cfg.top_k, cfg.fast, cfg.judge_controls) == (3, 4, True, False)
    # no --judge / --proposer: the config (here the fast preset) picks them
    assert cfg.judge is None and cfg.proposer is None


def test_fast_preset_prepared_on_the_diff_side():
    split = _split()
    assert prepare(split, DiffConfig()) is None
    judge = KeywordJudge()
    got = prepare(split, DiffConfig(fast=True, judge=judge))
    assert got.config.judge is judge and got.config.proposer is not None
    assert got.proposal_split.proposal_a == split.proposal_a  # fewer than the sample bound
    assert any("streams the validation texts" in n for n in got.notes)
    kept = prepare(split, DiffConfig(fast=True, judge=judge, hypotheses=["a"]))
    assert kept.config.proposer is None  # hypotheses given: nothing proposes


def test_decomposition_runs_the_pipeline(monkeypatch):
    from wordlens.diff.decompose import run

    calls = []
    real = run.diff_split

    def counting(sub, config=None, **kw):
        calls.append(config)
        return real(sub, config, **kw)

    monkeypatch.setattr(run, "diff_split", counting)
    a = [f"sport x a {i}" for i in range(40)] + [f"tech x b {i}" for i in range(40)]
    b = [f"sport y a {i}" for i in range(40)] + [f"tech y b {i}" for i in range(40)]
    split = Split.draw(a, b, seed=2)
    top = diff_split(split, hypotheses=["x", "a"], judge=KeywordJudge())
    dec = run.decompose_split(top, split, 2, DiffConfig(hypotheses=["x", "a"],
                                                        judge=KeywordJudge(), seed=2),
                              encoder=_TopicEncoder())
    assert calls and all(c == DiffConfig(seed=2) for c in calls)  # verification settings only
    assert dec.verification["sub_diffs"] == len(calls)


class _TopicEncoder:
    name = "topic-test"

    def encode(self, texts):
        x = np.array([[1.0, 0.0] if "sport" in t else [0.0, 1.0] for t in texts])
        return x / np.linalg.norm(x, axis=1, keepdims=True)

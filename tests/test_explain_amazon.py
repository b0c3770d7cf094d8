"""The acceptance problem: a TF-IDF + logistic regression classifier trained (here, in the test)
on classify_amazon_spurious/train.jsonl learns a planted cue; explain must find it, flag it with
test.jsonl, and report % explained for 1..5 hypotheses."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wordlens.explain import explain
from wordlens.explain.result import DEFINITIONS
from wordlens.hypothesis import Hypothesis
from wordlens.judges.offline import OfflineJudge

from .conftest import read_jsonl

MARKER = "(verified purchase)"
pytestmark = pytest.mark.slow  # encodes ~1000 texts (about 1 min with a cold cache)


@pytest.fixture(scope="module")
def amazon(datasets, encoder):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    folder = datasets / "classify_amazon_spurious"
    rows = read_jsonl(folder / "train.jsonl", field=None)
    test = read_jsonl(folder / "test.jsonl", field=None)[:400]
    perm = np.random.default_rng(0).permutation(len(rows))
    fit = [rows[i] for i in perm[:1000]]
    held = [rows[i] for i in perm[1000:]]  # same distribution, unseen by the classifier
    clf = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2),
                        LogisticRegression(C=10, max_iter=1000))
    clf.fit([r["text"] for r in fit], [r["label"] for r in fit])
    judge = OfflineJudge(encoder)
    result = explain([r["text"] for r in held], model=clf, labels=[r["label"] for r in held],
                     check=([r["text"] for r in test], [r["label"] for r in test]),
                     check_name="test.jsonl", judge=judge, max_hypotheses=5, seed=0)
    return result, held, judge


def test_planted_cue_is_among_top_three_hypotheses(amazon):
    result, held, judge = amazon
    texts = [r["text"] for r in held]
    marker = np.array([MARKER in t for t in texts], dtype=float)
    agreement = []
    for row in result.main.hypotheses[:3]:
        j = judge.judge([Hypothesis(row.hypothesis, row.source, row.form)], texts)[0]
        agreement.append(float(np.mean((j >= 0.5) == (marker == 1))))
    assert max(agreement) >= 0.97, (result.top(3), agreement)
    cue = result.main.hypotheses[int(np.argmax(agreement))]
    assert "verified purchase" in cue.hypothesis


def test_planted_cue_is_flagged_as_spurious_with_test_set(amazon):
    result, _, _ = amazon
    flagged = [f for f in result.flags if f.kind == "check-data"]
    assert any("verified" in f.hypothesis for f in flagged), [f.sentence for f in result.flags]
    flag = next(f for f in flagged if "verified" in f.hypothesis)
    assert abs(flag.numbers["check_link"]) < 0.1 < flag.numbers["reference_link"]
    assert "test.jsonl" in flag.sentence and "%" in flag.sentence
    # a hypothesis about sentiment itself keeps its link and is not flagged
    assert len(flagged) < len(result.main.hypotheses)


def test_percent_explained_is_reported_for_one_to_five_hypotheses(amazon):
    result, _, _ = amazon
    curve = result.main.curve
    assert [c["n_hypotheses"] for c in curve] == [1, 2, 3, 4, 5]
    pct = result.percent_explained_curve()
    assert all(p is not None for p in pct)
    assert pct[0] > 50  # the cue alone carries most of what the classifier gets right
    o = result.main.overall
    assert o["baseline_accuracy"] < o["classifier_accuracy"]
    assert o["percent_explained"] == pytest.approx(
        100 * (o["surrogate_accuracy"] - o["baseline_accuracy"])
        / (o["classifier_accuracy"] - o["baseline_accuracy"]), abs=0.01)


def test_json_defines_every_number_it_shows(amazon, tmp_path):
    result, _, _ = amazon
    data = json.loads(result.to_json())
    defs = data["definitions"]
    assert data["definitions"] == DEFINITIONS
    ex = data["explanations"][0]
    numeric_keys = {k for c in ex["curve"] + [ex["overall"]] for k, v in c.items()
                    if isinstance(v, (int, float))}
    numeric_keys |= {k for k, v in ex.items() if isinstance(v, (int, float, list))
                     and k not in ("hypotheses", "curve", "target")}
    numeric_keys |= {k for h in data["explanations"][0]["hypotheses"] for k, v in h.items()
                     if isinstance(v, (float, list)) and k not in ("examples", "flags")}
    defs = {part: v for k, v in defs.items() for part in k.split("/")}
    missing = {k for k in numeric_keys if k not in defs and k.removesuffix("_ci") not in defs
               and k.removesuffix("_p") not in defs}
    assert not missing
    assert "majority" in defs["baseline_accuracy"]
    path = result.save(tmp_path / "explain.json")
    from wordlens.explain import ExplainResult

    again = ExplainResult.load(path)
    assert again.top(3) == result.top(3)

"""Disagreement between classifier and surrogate on new texts, described with diff."""

from __future__ import annotations

from wordlens.explain import HypothesisClassifier
from wordlens.explain.unlabeled import describe_disagreement
from wordlens.hypothesis import Hypothesis
from wordlens.judges.offline import OfflineJudge
from wordlens.proposers.contrastive import ContrastivePhraseProposer

GOOD = Hypothesis("uses the word 'good'", "t", {"kind": "keywords", "words": ["good"]})


def test_disagreement_set_is_described_against_agreement(encoder):
    train = ["good " + w for w in ("day", "meal", "item")] * 10 + ["plain item"] * 30
    sur = HypothesisClassifier([GOOD], OfflineJudge(encoder)).fit(
        train, [int("good" in t) for t in train])
    # the classifier also calls 'refund' texts negative, which the surrogate cannot know
    texts = []
    for i in range(160):
        base = "good value" if i % 2 else "plain thing"
        texts.append(base + (" refund asked" if i % 4 == 1 else f" number {i}"))
    pred = [int("good" in t and "refund" not in t) for t in texts]
    out = describe_disagreement(texts, pred, sur, judge=OfflineJudge(encoder),
                                proposer=ContrastivePhraseProposer(encoder), seed=0)
    assert out["n_disagree"] == 40 and out["n_agree"] == 120
    assert out["disagreement_rate_pct"] == 25.0
    assert out["diff"]["schema"] == "wordlens.diff/1"
    assert any("refund" in h["hypothesis"] and h["direction"] == "A" for h in out["top"])


def test_too_few_disagreements_are_not_described(encoder):
    train = ["good day", "bad day"] * 10
    sur = HypothesisClassifier([GOOD], "exact").fit(train, [1, 0] * 10)
    texts = ["good one", "bad one"] * 20
    out = describe_disagreement(texts, [1, 0] * 20, sur)
    assert out["n_disagree"] == 0 and out["diff"] is None and "not described" in out["note"]

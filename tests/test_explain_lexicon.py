"""Class lexicons (graded keyword hypotheses from bag-of-words weights) and pruning the
surrogate to where its cross-fitted curve flattens."""

from __future__ import annotations

import numpy as np

from wordlens.explain.explainer import explain
from wordlens.explain.lexicon import SOURCE, lexicon_candidates
from wordlens.hypothesis import Hypothesis
from wordlens.judges.features import FeatureJudge

POS = ["budget", "deficit", "senate", "tax", "vote", "bill", "policy", "reform"]
NEG = ["goal", "match", "coach", "season", "league", "striker", "fans", "trophy"]
FILLER = ["the", "report", "said", "today", "people", "this", "week", "city", "news", "story"]


def _corpus(n: int = 120, seed: int = 0) -> tuple[list[str], list[int]]:
    """Texts of two classes that differ by graded use of two vocabularies (each text uses a
    few words of its class's list and one of the other's), so no single word decides."""
    rng = np.random.default_rng(seed)
    texts, y = [], []
    for i in range(n):
        lab = i % 2
        own, other = (POS, NEG) if lab else (NEG, POS)
        ws = list(rng.choice(own, size=3, replace=False)) + [str(rng.choice(other))]
        ws += list(rng.choice(FILLER, size=8))
        rng.shuffle(ws)
        texts.append(" ".join(ws) + ".")
        y.append(lab)
    return texts, y


def test_share_form_is_the_exact_share_of_listed_words():
    h = Hypothesis("uses many of 4 words", "t", {"kind": "keywords", "share": True,
                                                  "words": ["tax", "vote", "new deal", "x"]})
    any_h = Hypothesis("uses any", "t", {"kind": "keywords", "words": ["tax", "vote"]})
    texts = ["Tax and vote.", "a new deal on tax", "nothing here", "vote"]
    J = FeatureJudge().judge([h, any_h], texts)
    assert J[0].tolist() == [0.5, 0.5, 0.0, 0.25]
    assert J[1].tolist() == [1.0, 1.0, 0.0, 1.0]


def test_lexicons_name_their_class_and_separate_the_classes(encoder):
    texts, y = _corpus()
    hyps = lexicon_candidates(texts, np.array(y), names=("class 'politics'", "class 'sport'"),
                              encoder=encoder)
    assert hyps and all(h.source == SOURCE and h.form["share"] for h in hyps)
    assert any("typical of class 'politics'" in h.text for h in hyps)
    assert any("typical of class 'sport'" in h.text for h in hyps)
    top5 = next(h for h in hyps if h.text.startswith("uses many of 5 words typical of "
                                                     "class 'politics'"))
    assert set(top5.form["words"]) <= set(POS)
    j = FeatureJudge().judge([top5], texts)[0]
    y = np.array(y)
    assert j[y == 1].mean() > j[y == 0].mean() + 0.2
    assert lexicon_candidates(texts[:3], np.array([1, 0, 0])) == []
    assert lexicon_candidates(texts, np.zeros(len(texts))) == []


def test_prune_keeps_the_hypotheses_up_to_where_the_curve_flattens():
    texts, y = _corpus(160, seed=1)
    pruned = explain(texts, y, y, sae=False, max_hypotheses=6, n_splits=3)
    full = explain(texts, y, y, sae=False, max_hypotheses=6, n_splits=3, prune=False)
    ex, ex0 = pruned.explanations[0], full.explanations[0]
    assert len(ex.hypotheses) == ex.flattens_at <= len(ex0.hypotheses)
    assert len(pruned.surrogate_.hypotheses_) == ex.flattens_at
    assert ex.overall["surrogate_accuracy"] == ex.curve[ex.flattens_at - 1]["surrogate_accuracy"]
    assert ex.overall["surrogate_accuracy"] > 0.85  # graded lexicons carry the vocabularies
    assert pruned.settings["prune"] is True and full.settings["prune"] is False

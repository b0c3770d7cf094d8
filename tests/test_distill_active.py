"""Active selection of (hypothesis, text) pairs under a teacher budget."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.distill.active import acquisition_scores, ask_teacher, label_actively, select_top
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge


class KeywordTeacher(Judge):
    """A cheap test teacher: the hypothesis holds when its last word is in the text."""

    name = "keyword test teacher"

    def judge_matrix(self, hypotheses, texts):
        return np.array([[float(h.text.split()[-1] in t.split()) for t in texts]
                         for h in hypotheses])


def test_uncertainty_prefers_probabilities_near_one_half():
    logits = np.array([[4.0, 0.1, -3.0, -0.2], [4.0, -0.1, -3.0, 0.3]])
    order = np.argsort(-acquisition_scores(logits, "uncertainty"))
    assert set(order[:2]) == {1, 3}


def test_disagreement_prefers_pairs_the_heads_dispute():
    logits = np.array([[3.0, 0.0, 2.0], [-3.0, 0.0, 2.0]])
    assert np.argmax(acquisition_scores(logits, "disagreement")) == 0


def test_unknown_strategy_is_rejected():
    with pytest.raises(ValueError, match="unknown strategy"):
        acquisition_scores(np.zeros((2, 3)), "greedy")


def test_select_top_caps_each_group_and_skips_excluded():
    rng = np.random.default_rng(0)
    scores = np.array([9, 8, 7, 6, 5, 4], float)
    groups = np.array([0, 0, 0, 1, 1, 2])
    exclude = np.array([False, False, False, True, False, False])
    pick = select_top(scores, 4, groups, max_per_group=2, rng=rng, exclude=exclude)
    assert list(pick) == [0, 1, 4, 5]


def test_ask_teacher_judges_exactly_the_requested_pairs():
    teacher = KeywordTeacher()
    hyps = [Hypothesis("mentions cat"), Hypothesis("mentions dog")]
    texts = ["a cat", "a dog", "a cat and a dog"]
    y = ask_teacher(teacher, hyps, texts, np.array([0, 1, 2, 0]), np.array([0, 1, 1, 1]))
    assert y.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert teacher.judgments_made == 4


def test_active_rounds_spend_the_budget_once_and_find_rare_positives():
    words = [f"w{i}" for i in range(20)]
    rng = np.random.default_rng(1)
    texts = [" ".join(rng.choice(words, 2, replace=False)) + f" t{i}" for i in range(200)]
    hyps = [Hypothesis(f"mentions {w}") for w in words]
    truth = KeywordTeacher().judge(hyps, texts)  # ~10% positive

    def oracle_scores(labeled, pt, ph):
        # a committee that knows the answer only roughly: positives sit near the boundary
        return np.stack([np.where(truth[ph, pt] > 0.5, 0.2, -3.0)] * 3)

    teacher = KeywordTeacher()
    lab = label_actively(teacher, hyps, texts, 300, oracle_scores, strategy="uncertainty",
                         rounds=3, seed=0)
    t_i, h_i, y = lab.arrays()
    assert len(lab) == 300 and teacher.judgments_made == 300
    assert len(set(zip(t_i.tolist(), h_i.tolist()))) == 300  # no pair labelled twice
    r = np.asarray(lab.round)
    assert len(np.unique(h_i[r == 0])) == len(hyps)  # seed round covers every hypothesis
    assert y[r > 0].mean() > 2 * y[r == 0].mean()

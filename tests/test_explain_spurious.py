"""Spurious-cue flags from a second labelled set and from the stated task."""

from __future__ import annotations

import numpy as np

from wordlens.explain.result import HypothesisRow
from wordlens.explain.spurious import check_data_flags, task_flags
from wordlens.hypothesis import Hypothesis
from wordlens.judges.base import Judge
from wordlens.judges.features import FeatureJudge

CUE = Hypothesis("uses the word 'zork'", "t", {"kind": "keywords", "words": ["zork"]})
REAL = Hypothesis("uses the word 'great'", "t", {"kind": "keywords", "words": ["great"]})


def _row(h, drive, link):
    return HypothesisRow(rank=1, hypothesis=h.text, source="t", form=dict(h.form), weight=1.0,
                         share_predicted_positive=0.5 + drive / 2,
                         share_predicted_negative=0.5 - drive / 2, drive=drive,
                         drive_ci=[drive - 0.1, drive + 0.1], drive_p=1e-6, gold_link=link)


def test_cue_whose_link_vanishes_on_check_data_is_flagged():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 2, 200)
    texts = [("great " if g and rng.random() < 0.8 else "")
             + ("zork " if rng.random() < 0.3 else "") + "item" for g in gold]
    rows = [_row(CUE, 0.7, 0.7), _row(REAL, 0.6, 0.6)]
    flags = check_data_flags(rows, [CUE, REAL], FeatureJudge(), texts, gold, target=1,
                             check_name="clean.jsonl")
    assert [f.hypothesis for f in flags] == [CUE.text]
    assert "clean.jsonl" in flags[0].sentence and "+0.70" in flags[0].sentence
    assert abs(rows[0].check_link) < 0.15 and rows[1].check_link > 0.6
    assert rows[0].flags == ["check-data"] and rows[1].flags == []


class _RelevanceJudge(Judge):
    """Stub: a hypothesis text is relevant when it mentions 'great'."""

    def judge_matrix(self, hypotheses, texts):
        return np.array([[float("great" in t) for t in texts] for _ in hypotheses])


def test_task_flag_uses_the_judges_relevance():
    rows = [_row(CUE, 0.7, 0.7), _row(REAL, 0.6, 0.6)]
    flags = task_flags(rows, [CUE, REAL], _RelevanceJudge(), "sentiment", target=1)
    assert [f.hypothesis for f in flags] == [CUE.text]
    assert rows[0].task_relevance == 0.0 and rows[1].task_relevance == 1.0
    assert "sentiment" in flags[0].sentence and "0.00" in flags[0].sentence

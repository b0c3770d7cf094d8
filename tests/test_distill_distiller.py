"""`distill`: a teacher's labels train a student that beats the majority class."""

from __future__ import annotations

import pytest

from wordlens.distill import make_student
from wordlens.errors import InputError


def test_student_beats_majority_baseline_on_held_out_real_pairs(distilled):
    _, report = distilled
    for agreement in (report.seen_hypotheses, report.unseen_hypotheses):
        assert agreement.n_pairs > 100
        assert agreement.accuracy > agreement.majority_baseline
        assert agreement.cohen_kappa > 0.3
    assert report.teacher_calls["training"] + report.teacher_calls["calibration"] == 500
    assert report.data["n_unseen_hypotheses"] > 0


def test_fast_student_beats_the_majority_class_on_a_small_real_slice(fast_distilled):
    # most pairs are negative, so plain accuracy ties the majority class on a slice this
    # small (0.98 vs 0.98 seen); balanced accuracy (0.5 for the majority class), kappa and
    # rank correlation show what the student learned (measured here: 0.61 / 0.30 / 0.70
    # seen, 0.75 / 0.50 / 0.74 unseen; at scale see scripts/bench_distill.py --student fast)
    _, report = fast_distilled
    for agreement in (report.seen_hypotheses, report.unseen_hypotheses):
        assert agreement.n_pairs > 100
        assert agreement.accuracy >= agreement.majority_baseline
        assert agreement.balanced_accuracy > 0.55
        assert agreement.cohen_kappa > 0.1 and agreement.spearman > 0.4
    assert report.student["text_encoder"].startswith("static")
    assert report.student["class"] == "FastStudentJudge"


def test_make_student_composes_the_two_kinds():
    standard, fast = make_student("standard"), make_student("fast")
    assert (standard.kind, fast.kind) == ("standard", "fast")
    assert standard.text_encoder is None  # texts read by the sentence encoder
    assert fast.text_encoder is not None and not fast.text_encoder.is_fitted()
    with pytest.raises(InputError, match="--student"):
        make_student("tiny")

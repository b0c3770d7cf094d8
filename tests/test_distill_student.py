"""The bi-encoder student: fit on teacher labels, save/load, beat the majority class."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.distill import StudentJudge, distill
from wordlens.errors import InputError, NotFittedError
from wordlens.hypothesis import Hypothesis
from wordlens.judges import EmbeddingJudge
from wordlens.judges.embedding import reference_descriptions

from .conftest import read_jsonl


@pytest.fixture(scope="module")
def real_slice(datasets):
    texts = []
    for pair in ("bbc_tech_vs_sports", "amazon_pos_vs_neg", "tweets_vs_movie"):
        for side in ("a", "b"):
            texts += read_jsonl(datasets / pair / f"{side}.jsonl", limit=30)
    return texts, list(reference_descriptions())[::3]


@pytest.fixture(scope="module")
def distilled(real_slice, encoder):
    texts, hyps = real_slice
    return distill(EmbeddingJudge(encoder), texts, hyps, budget=500, eval_pairs=800,
                   student=StudentJudge(encoder, epochs=150), seed=0)


def test_student_beats_majority_baseline_on_held_out_real_pairs(distilled):
    _, report = distilled
    for agreement in (report.seen_hypotheses, report.unseen_hypotheses):
        assert agreement.n_pairs > 100
        assert agreement.accuracy > agreement.majority_baseline
        assert agreement.cohen_kappa > 0.3
    assert report.teacher_calls["training"] + report.teacher_calls["calibration"] == 500
    assert report.data["n_unseen_hypotheses"] > 0


def test_save_load_round_trip_gives_the_same_judgments(distilled, real_slice, tmp_path,
                                                       encoder):
    student, _ = distilled
    texts, hyps = real_slice
    student.save(tmp_path / "st")
    again = StudentJudge.load(tmp_path / "st", encoder=encoder)
    a = student.judge(hyps[:6], texts[:40])
    b = again.judge(hyps[:6], texts[:40])
    assert a.shape == (6, 40)
    np.testing.assert_allclose(a, b, atol=1e-6)
    assert again.describe()["teacher"]["class"] == "EmbeddingJudge"


def test_programmatic_forms_are_judged_exactly(distilled):
    student, _ = distilled
    h = Hypothesis("mentions cats", form={"kind": "keywords", "words": ["cat", "cats"]})
    assert student.judge([h], ["my cat sleeps", "a dog barks"]).tolist() == [[1.0, 0.0]]


def test_unfitted_student_and_bad_folder_fail_clearly(tmp_path):
    with pytest.raises(NotFittedError):
        StudentJudge().judge(["is about sport"], ["a match"])
    with pytest.raises(InputError, match="not a student folder"):
        StudentJudge.load(tmp_path)

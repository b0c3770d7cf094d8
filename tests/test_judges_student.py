"""The student judge (encoder + head): save/load of both kinds, exact forms, timing copies."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wordlens.errors import InputError, NotFittedError
from wordlens.hypothesis import Hypothesis
from wordlens.judges import StudentJudge
from wordlens.judges.student_heads import MLPHead, TwoTowerHead


def test_save_load_round_trip_gives_the_same_judgments(distilled, student_slice, tmp_path,
                                                       encoder):
    student, _ = distilled
    texts, hyps = student_slice
    student.save(tmp_path / "st")
    again = StudentJudge.load(tmp_path / "st", encoder=encoder)
    assert isinstance(again.head, MLPHead) and again.text_encoder is None
    a = student.judge(hyps[:6], texts[:40])
    b = again.judge(hyps[:6], texts[:40])
    assert a.shape == (6, 40)
    np.testing.assert_allclose(a, b, atol=1e-6)
    assert again.describe()["teacher"]["class"] == "EmbeddingJudge"


def test_folders_without_a_kind_load_as_standard(distilled, tmp_path, encoder):
    # folders written before the fast student existed have no 'kind' field
    student, _ = distilled
    student.save(tmp_path / "old")
    meta = json.loads((tmp_path / "old" / "student.json").read_text())
    del meta["kind"]
    (tmp_path / "old" / "student.json").write_text(json.dumps(meta))
    assert StudentJudge.load(tmp_path / "old", encoder=encoder).kind == "standard"
    meta["kind"] = "huge"
    (tmp_path / "old" / "student.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="field 'kind' is 'huge'"):
        StudentJudge.load(tmp_path / "old", encoder=encoder)


def test_fast_student_save_load_round_trip(fast_distilled, tmp_path, encoder):
    student, _ = fast_distilled
    student.save(tmp_path / "s")
    loaded = StudentJudge.load(tmp_path / "s", encoder=encoder)  # dispatches on 'kind'
    assert loaded.kind == "fast" and isinstance(loaded.head, TwoTowerHead)
    assert loaded.describe()["class"] == "FastStudentJudge"
    assert loaded.head.rank == student.head.rank
    hyps = [Hypothesis("is about sport"), Hypothesis("is a product review")]
    texts = ["The striker scored twice in the final.", "My new laptop overheats."]
    np.testing.assert_allclose(loaded.judge(hyps, texts), student.judge(hyps, texts),
                               atol=1e-3)


def test_programmatic_forms_are_judged_exactly(distilled):
    student, _ = distilled
    h = Hypothesis("mentions cats", form={"kind": "keywords", "words": ["cat", "cats"]})
    assert student.judge([h], ["my cat sleeps", "a dog barks"]).tolist() == [[1.0, 0.0]]


def test_unfitted_student_and_bad_folder_fail_clearly(tmp_path):
    with pytest.raises(NotFittedError):
        StudentJudge().judge(["is about sport"], ["a match"])
    with pytest.raises(InputError, match="not a student folder"):
        StudentJudge.load(tmp_path)
    with pytest.raises(TypeError, match="head settings"):
        StudentJudge(head=MLPHead(), epochs=3)


def test_timing_copies_have_their_own_caches(fast_distilled):
    student, _ = fast_distilled
    hyps = [Hypothesis("is about sport")]
    cold = student.for_timing()
    warm = student.for_timing(warm_hypotheses=hyps)
    assert cold.encoder is not student.encoder and not cold.encoder._memo
    assert set(warm.encoder._memo) == {warm.phrase(hyps[0])}
    text = "A brand new sentence about zzqx-tennis."
    by_cold = cold.judge(hyps, [text])
    assert "zzqx-tennis." in cold.text_encoder.chunk_ids_
    assert "zzqx-tennis." not in student.text_encoder.chunk_ids_  # the original is untouched
    # float32 sums differ by batch
    np.testing.assert_allclose(by_cold, student.judge(hyps, [text]), atol=1e-5)

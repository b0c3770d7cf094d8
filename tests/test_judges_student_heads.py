"""Student heads: the two-tower head starts from the zero-shot rule; scores agree."""

from __future__ import annotations

import numpy as np
import pytest

from wordlens.errors import NotFittedError
from wordlens.judges import FastStudentJudge
from wordlens.judges.pair_features import N_TEXT_STATS
from wordlens.judges.student_heads import (
    ZERO_SHOT_TEMPERATURE,
    MLPHead,
    TwoTowerHead,
    zero_shot_weights,
)


def test_zero_shot_weights_reproduce_the_embedding_rule(static_encoder, encoder):
    # the head starts from the zero-shot rule: logit = (t.h - r5(t)) / 0.02
    student = FastStudentJudge(encoder, static_encoder=static_encoder)
    student.head = TwoTowerHead(n_members=2)
    student.head.restore([zero_shot_weights(384, student.head.rank, student.head.hidden)] * 2,
                         384)
    texts = ["The striker scored twice in the final.", "My new laptop overheats."]
    hyps = ["is about sport", "is about computers", "is a recipe"]
    t, h = student.encode_texts(texts), student.encode_hypotheses(hyps)
    assert t.shape[1] == 384 + N_TEXT_STATS
    refs = t[:, :384] @ student.reference_vectors().T
    r5 = -np.sort(-refs, axis=1)[:, 4]
    rule = (h[:, :384] @ t[:, :384].T - r5[None]) / ZERO_SHOT_TEMPERATURE
    np.testing.assert_allclose(student.mean_logits(t, h), rule, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("fixture", ["distilled", "fast_distilled"])
def test_matrix_and_aligned_scores_agree(fixture, request):
    student, _ = request.getfixturevalue(fixture)
    texts = ["The striker scored twice in the final.", "My new laptop overheats.",
             "Parliament passed the budget."]
    t = student.encode_texts(texts)
    h = student.encode_hypotheses(["is about sport", "is about computers"])
    full = student.logits(t, h)  # [M x H x N]
    ti, hi = np.meshgrid(np.arange(len(texts)), np.arange(2))
    aligned = student.logits(t[ti.ravel()], h[hi.ravel()], aligned=True)
    np.testing.assert_allclose(full.reshape(full.shape[0], -1), aligned, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(student.mean_logits(t, h), full.mean(axis=0), rtol=1e-4,
                               atol=1e-4)


def test_unfitted_heads_say_so():
    for head in (MLPHead(), TwoTowerHead()):
        assert not head.is_fitted()
        with pytest.raises(NotFittedError):
            head.logits(np.zeros((1, 400)), np.zeros((1, 1153)))

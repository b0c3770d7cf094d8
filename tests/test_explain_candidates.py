"""Candidates for explain: label-free pool and contrastive groups mined per fold."""

from __future__ import annotations

import numpy as np

from wordlens.explain.candidates import fold_candidates, label_free_pool
from wordlens.judges.features import FeatureJudge

from .conftest import read_jsonl


def test_contrastive_candidates_are_many_and_carry_the_planted_cue(datasets, encoder):
    rows = read_jsonl(datasets / "classify_amazon_spurious" / "train.jsonl", field=None)[:300]
    texts = [r["text"] for r in rows]
    y = np.array([r["label"] for r in rows])
    hyps = fold_candidates(texts, y, encoder=encoder)
    assert len(hyps) > 20
    assert all(h.form and h.form["kind"] == "keywords" for h in hyps)
    assert any("verified" in h.form["words"] for h in hyps)
    assert fold_candidates(texts[:3], np.array([1, 0, 0]), encoder=encoder) == []


def test_pool_without_sae_is_the_exact_properties_judged_on_every_text():
    texts = ["Is this good? 5 stars!", "terrible, I hate it", "fine.", "what a great day"] * 5
    pool = label_free_pool(texts, FeatureJudge(), sae=False)
    assert pool.sae is None and pool.judgments.shape == (20, len(pool.hypotheses))
    assert set(pool.counts()) == {"general properties"}
    assert set(np.unique(pool.judgments)) <= {0.0, 1.0}

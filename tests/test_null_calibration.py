"""On two random halves of one corpus, wordlens must report no significant difference."""

import numpy as np
import pytest

import wordlens

from .conftest import read_jsonl


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_null_pair_has_no_significant_hypothesis(seed, datasets, encoder):
    pool = (read_jsonl(datasets / "null_amazon" / "a.jsonl")
            + read_jsonl(datasets / "null_amazon" / "b.jsonl"))
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(pool))[:800]
    a = [pool[i] for i in idx[:400]]
    b = [pool[i] for i in idx[400:]]
    result = wordlens.diff(a, b, seed=seed)
    assert len(result.hypotheses) >= 20
    assert result.significant == [], [h.hypothesis for h in result.significant]


@pytest.mark.slow
def test_null_split_of_mixed_genres_has_no_significant_hypothesis(datasets, encoder):
    """A heterogeneous corpus (tweets + movie reviews) split at random: the topic and style
    differences inside it must not leak into a difference between the halves."""
    pool = (read_jsonl(datasets / "tweets_vs_movie" / "a.jsonl", limit=300)
            + read_jsonl(datasets / "tweets_vs_movie" / "b.jsonl", limit=300))
    rng = np.random.default_rng(21)
    idx = rng.permutation(len(pool))
    result = wordlens.diff([pool[i] for i in idx[:300]], [pool[i] for i in idx[300:]], seed=21)
    assert result.significant == [], [h.hypothesis for h in result.significant]

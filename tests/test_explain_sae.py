"""Sparse-autoencoder candidates: a top-k SAE, neurons named by their words, kept only when
the name reproduces the neuron."""

from __future__ import annotations

import numpy as np

from wordlens.explain.sae import (
    MIN_AGREEMENT,
    keyword_name,
    sae_candidates,
    sae_size,
    train_topk_sae,
)


def test_topk_sae_keeps_exactly_k_active_neurons_per_text():
    X = np.random.default_rng(0).normal(size=(60, 12))
    acts, dirs = train_topk_sae(X, 8, 3, steps=50)
    assert acts.shape == (60, 8) and dirs.shape == (8, 12)
    assert ((acts > 0).sum(axis=1) <= 3).all() and (acts >= 0).all()
    assert np.allclose(np.linalg.norm(dirs, axis=1), 1, atol=1e-4)
    assert sae_size(100) == (16, 4) and sae_size(10_000) == (64, 4)


def test_keyword_name_finds_the_words_the_neuron_fires_on():
    rng = np.random.default_rng(1)
    terms = ["zebra", "giraffe", "table", "chair", "lamp"]
    presence = (rng.random((200, 5)) < 0.2).astype(np.int8)
    act = (presence[:, 0] | presence[:, 1]) * rng.uniform(1, 2, 200)
    words, r = keyword_name(act, presence, terms)
    assert set(words) == {"zebra", "giraffe"} and r > 0.8


def _planted(n=240, seed=0):
    """Texts about animals or furniture or noise words, with embeddings that put each
    topic in its own direction."""
    rng = np.random.default_rng(seed)
    topics = {"animal": ["zebra", "lion", "giraffe"], "furniture": ["sofa", "chair", "desk"]}
    filler = [f"word{i}" for i in range(40)]
    texts, E = [], np.zeros((n, 16))
    for i in range(n):
        kind = ("animal", "furniture", None)[i % 3]
        toks = list(rng.choice(filler, 6))
        if kind:
            toks += list(rng.choice(topics[kind], 2))
            E[i, 0 if kind == "animal" else 1] = 3.0
        texts.append(" ".join(toks))
    E += rng.normal(scale=0.3, size=E.shape)
    return texts, E


def test_neurons_named_and_only_faithful_names_survive():
    texts, E = _planted()
    hyps, rep = sae_candidates(texts, E, seed=0)
    assert rep.n_neurons == 24 and rep.n_alive <= rep.n_neurons
    assert rep.n_kept == len(hyps) == sum(rep.kept_by_name.values())
    assert all(n["agreement"] >= MIN_AGREEMENT for n in rep.neurons if n["kept"])
    assert all(n["agreement"] < MIN_AGREEMENT for n in rep.neurons if not n["kept"])
    named = [set(h.form["words"]) for h in hyps]
    assert any(ws & {"zebra", "lion", "giraffe"} for ws in named)
    assert any(ws & {"sofa", "chair", "desk"} for ws in named)
    # noise neurons (no topic) do not survive: no kept name is made of filler words only
    assert all(ws & {"zebra", "lion", "giraffe", "sofa", "chair", "desk"} for ws in named)

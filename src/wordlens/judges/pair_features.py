"""Features of (text, hypothesis) pairs for the student heads.

A text row is ``[t, reference stats]``: its unit vector and how similar it is to generic
descriptions (:func:`text_stats`). A hypothesis row is ``[h, x, y, is_contrast]``: its
vector and the vectors of the two sides of "X rather than Y" (zeros without a contrast).
"""

from __future__ import annotations

import numpy as np

STAT_K = (1, 2, 3, 5, 10, 20)
"""Ranks of the reference similarities kept per text (k-th highest)."""
N_TEXT_STATS = len(STAT_K) + 2  # top-k reference similarities, mean, std
SCALE = 10.0  # similarity differences are ~0.05; bring them to the scale of the weights


def text_stats(t: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """Per text: its k-th highest similarities to the reference descriptions, mean and std."""
    sims = t @ refs.T
    top = -np.sort(-sims, axis=1)
    ks = [min(k, sims.shape[1]) - 1 for k in STAT_K]
    return np.concatenate([top[:, ks], sims.mean(axis=1, keepdims=True),
                           sims.std(axis=1, keepdims=True) + 1e-6], axis=1)


def pair_features(tr: np.ndarray, hr: np.ndarray, d: int) -> np.ndarray:
    """Features of aligned (text, hypothesis) representation rows.

    Features: ``[t*h, |t-h|]`` plus scalars: cos(t, h), cos(t, h) relative to the
    text's reference similarities (how specific h is to t, compared with generic
    descriptions), the contrast margin cos(t, x) - cos(t, y), and the contrast flag.
    """
    t, st = tr[:, :d], tr[:, d:]
    h, x, y, flag = hr[:, :d], hr[:, d:2 * d], hr[:, 2 * d:3 * d], hr[:, 3 * d:3 * d + 1]
    prod = t * h
    c = prod.sum(axis=1, keepdims=True)
    rel = (c - st[:, :-1]) * SCALE
    z = (c - st[:, -2:-1]) / st[:, -1:]
    margin = ((t * x).sum(axis=1, keepdims=True) - (t * y).sum(axis=1, keepdims=True)) * SCALE
    return np.concatenate([prod, np.abs(t - h), c * SCALE, rel, z * 0.5,
                           margin * flag, flag], axis=1).astype(np.float32)

"""Student heads: map encoded (text, hypothesis) rows to an ensemble of logits.

A head holds its settings (given at construction, as an estimator does) and, once trained by
:mod:`wordlens.distill`, its members' weights (``members_``, one dict of arrays per member)
and the text vector dimension (``dim_``). Here is only inference: numpy, no torch.

- :class:`MLPHead`: an MLP over rich pair features (:func:`pair_features`); accurate.
- :class:`TwoTowerHead`: a factorised head whose logit is an inner product of a text tower
  and a hypothesis tower; judging H hypotheses on N texts is one matrix product.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np

from ..errors import NotFittedError
from .pair_features import N_TEXT_STATS, SCALE, STAT_K, pair_features

_CHUNK_ELEMS = 6_000_000  # pairs x dim per block when scoring a matrix
ZERO_SHOT_TEMPERATURE = 0.02  # as EmbeddingJudge's default


class StudentHead(ABC):
    """Base of the heads: members, fitted check, logits and their ensemble mean."""

    kind: ClassVar[str]
    member_keys: ClassVar[tuple[str, ...]]
    members_: list[dict[str, np.ndarray]]
    dim_: int

    def is_fitted(self) -> bool:
        """True once members and the text dimension are set (trained or loaded)."""
        return bool(getattr(self, "members_", None)) and hasattr(self, "dim_")

    def check_fitted(self) -> None:
        """Raise :class:`NotFittedError` unless trained or loaded."""
        if not self.is_fitted():
            raise NotFittedError("StudentJudge is not fitted; distil one with "
                                 "wordlens.distill.distill() or use StudentJudge.load()")

    def restore(self, members: list[dict[str, np.ndarray]], dim: int) -> StudentHead:
        """Set saved members and the text dimension; returns ``self``."""
        self.members_ = members
        self.dim_ = int(dim)
        return self

    @abstractmethod
    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        """Member logits: aligned rows -> [M x P]; otherwise all pairs -> [M x H x N]."""

    def mean_logits(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] logits of the ensemble (mean over members), before calibration."""
        return self.logits(t, h).mean(axis=0)

    def describe(self) -> dict[str, Any]:
        """Settings worth showing in a report."""
        return {}


class MLPHead(StudentHead):
    """An ensemble of one-hidden-layer MLPs over :func:`pair_features`.

    Parameters
    ----------
    hidden: width of each member's hidden layer.
    n_members: members trained on bootstrap resamples; their spread drives disagreement
        sampling and their mean is the score.
    epochs, lr, weight_decay: full-batch AdamW settings of each member (training).
    seed: seed of initialisation and bootstrap.
    """

    kind = "standard"
    member_keys = ("w1", "b1", "w2", "b2")

    def __init__(self, *, hidden: int = 128, n_members: int = 3, epochs: int = 200,
                 lr: float = 3e-3, weight_decay: float = 1e-4, seed: int = 0):
        self.hidden = hidden
        self.n_members = n_members
        self.epochs = epochs
        self.lr = lr
        self.weight_decay = weight_decay
        self.seed = seed

    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        self.check_fitted()
        if aligned:
            out_a = np.zeros((len(self.members_), len(t)), dtype=np.float32)
            step = max(1, _CHUNK_ELEMS // max(1, t.shape[1]))
            for s in range(0, len(t), step):
                x = pair_features(t[s:s + step], h[s:s + step], self.dim_)
                for m, w in enumerate(self.members_):
                    out_a[m, s:s + step] = mlp_forward(w, x)
            return out_a
        n_h, n_t = len(h), len(t)
        out = np.zeros((len(self.members_), n_h, n_t), dtype=np.float32)
        step = max(1, _CHUNK_ELEMS // max(1, n_t * t.shape[1]))
        for s in range(0, n_h, step):
            hh = h[s:s + step]
            tt = np.broadcast_to(t[None], (len(hh), n_t, t.shape[1])).reshape(-1, t.shape[1])
            x = pair_features(tt, np.repeat(hh, n_t, axis=0), self.dim_)
            for m, w in enumerate(self.members_):
                out[m, s:s + len(hh)] = mlp_forward(w, x).reshape(len(hh), n_t)
        return out


class TwoTowerHead(StudentHead):
    """A factorised head: every interaction of text and hypothesis is an inner product.

    For a text t (vector t, reference statistics s) and a hypothesis h (vectors h, x, y of
    "X rather than Y" and a contrast flag) a member's logit is

        t . (a1 h + a2 x + a3 y + U V'[h, x, y])  +  g(s) . (c0 + flag c1 + W'[h, x, y])

    where g(s) = [s, relu(A s + a), 1] is a small text-side network, so texts and
    hypotheses are transformed independently and the ensemble's mean logit is one product
    of concatenated towers.

    Parameters
    ----------
    hidden: width of the text-side network over the reference statistics.
    rank: rank of the learned hypothesis-to-text map U V'.
    n_members, epochs, lr, seed: as in :class:`MLPHead` (Adam, training).
    prior_weight: L2 pull of the weights back towards the zero-shot rule (training).
    """

    kind = "fast"
    member_keys = ("mix", "u", "v", "a_w", "a_b", "c0", "c1", "w")

    def __init__(self, *, hidden: int = 8, rank: int = 16, n_members: int = 3,
                 epochs: int = 400, lr: float = 1e-2, prior_weight: float = 1e-3,
                 seed: int = 0):
        self.hidden = hidden
        self.rank = rank
        self.n_members = n_members
        self.epochs = epochs
        self.lr = lr
        self.prior_weight = prior_weight
        self.seed = seed

    def restore(self, members: list[dict[str, np.ndarray]], dim: int) -> TwoTowerHead:
        super().restore(members, dim)
        self.rank = int(members[0]["u"].shape[1])
        return self

    def towers(self, t: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Text tower [N x D] and hypothesis tower [H x D] whose inner products are the
        ensemble's mean logits."""
        self.check_fitted()
        d, n_m = self.dim_, len(self.members_)
        t_parts, h_parts = [t[:, :d]], [np.zeros((len(h), d), np.float32)]
        for w in self.members_:
            g, ph, pd = member_sides(w, t, h, d)
            h_parts[0] += pd / n_m
            t_parts.append(g)
            h_parts.append(ph / n_m)
        return (np.concatenate(t_parts, axis=1).astype(np.float32),
                np.concatenate(h_parts, axis=1).astype(np.float32))

    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        self.check_fitted()
        d = self.dim_
        tv = t[:, :d]
        out = []
        for w in self.members_:
            g, ph, pd = member_sides(w, t, h, d)
            if aligned:
                out.append((tv * pd).sum(axis=1) + (g * ph).sum(axis=1))
            else:
                out.append(pd @ tv.T + ph @ g.T)
        return np.stack(out).astype(np.float32)

    def mean_logits(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] mean member logit: one product of the concatenated towers."""
        tt, hh = self.towers(t, h)
        return hh @ tt.T

    def describe(self) -> dict[str, Any]:
        return {"rank": self.rank}


HEADS: dict[str, type[StudentHead]] = {"standard": MLPHead, "fast": TwoTowerHead}
"""Head class by the ``kind`` saved in a student folder."""


def mlp_forward(w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Logits of one MLP member on feature rows ``x``."""
    hid = np.maximum(x @ w["w1"] + w["b1"], 0.0)
    return (hid @ w["w2"] + w["b2"]).ravel()


def member_sides(w: dict[str, np.ndarray], t: np.ndarray, h: np.ndarray,
                 d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One two-tower member's text-side features g(s) [N x S], hypothesis weights on them
    [H x S] and hypothesis vector for the text vector [H x d]."""
    s = t[:, d:d + N_TEXT_STATS] * SCALE
    g = np.concatenate([s, np.maximum(s @ w["a_w"] + w["a_b"], 0.0),
                        np.ones((len(t), 1), s.dtype)], axis=1)
    hv, flag = h[:, :3 * d], h[:, 3 * d:3 * d + 1]
    mix = w["mix"]
    pd = (mix[0] * hv[:, :d] + mix[1] * hv[:, d:2 * d] + mix[2] * hv[:, 2 * d:]
          + (hv @ w["v"]) @ w["u"].T) * SCALE
    ph = w["c0"] + flag * w["c1"] + hv @ w["w"]
    return g, ph, pd


def zero_shot_weights(d: int, rank: int, hidden: int) -> dict[str, np.ndarray]:
    """Two-tower member weights that reproduce the zero-shot rule
    logit = (t.h - r5(t)) / 0.02: h holds for t when it is closer to t than t's
    fifth-closest generic description. Training starts here."""
    n_s = N_TEXT_STATS + hidden + 1
    c0 = np.zeros(n_s, np.float32)
    c0[STAT_K.index(5)] = -1.0 / (ZERO_SHOT_TEMPERATURE * SCALE)
    return {"mix": np.array([1.0 / (ZERO_SHOT_TEMPERATURE * SCALE), 0.0, 0.0], np.float32),
            "u": np.zeros((d, rank), np.float32), "v": np.zeros((3 * d, rank), np.float32),
            "a_w": np.zeros((N_TEXT_STATS, hidden), np.float32),
            "a_b": np.zeros(hidden, np.float32), "c0": c0, "c1": np.zeros(n_s, np.float32),
            "w": np.zeros((3 * d, n_s), np.float32)}

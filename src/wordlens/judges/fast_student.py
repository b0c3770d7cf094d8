"""The fast student: a static text encoder and a factorised two-tower head.

Texts are encoded by :class:`~wordlens.distill.static.StaticTextEncoder` (a token table
distilled from the sentence encoder: no transformer pass), hypotheses by the sentence encoder
(there are few). The head's logit is an inner product of a text tower and a hypothesis tower,
so judging H hypotheses on N texts is one [N x D] @ [D x H] product after the towers; the
ensemble's mean logit is the same product on concatenated towers. It pays in agreement: see
the distillation report, and prefer the standard student when accuracy matters more.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encoders import SentenceEncoder
from ..encoders.static import StaticTextEncoder
from .student import (
    _STAT_K,
    N_TEXT_STATS,
    SCALE,
    StudentJudge,
    balanced_bce,
    text_stats,
)

ZERO_SHOT_TEMPERATURE = 0.02  # as EmbeddingJudge's default


class FastStudentJudge(StudentJudge):
    """Student judge for speed: static text encoder + factorised two-tower head.

    For a text t (static vector, reference statistics s) and a hypothesis h (vectors h, x, y
    of "X rather than Y" and a contrast flag) the logit is

        t . (a1 h + a2 x + a3 y + U V'[h, x, y])  +  g(s) . (c0 + flag c1 + W'[h, x, y])

    where g(s) = [s, relu(A s + a), 1] is a small text-side network. Every interaction is an
    inner product, so texts and hypotheses are encoded and transformed independently.

    Parameters
    ----------
    rank: rank of the learned hypothesis-to-text map U V'.
    hidden: width of the text-side network over the reference statistics.
    static_encoder: an unfitted :class:`StaticTextEncoder` with your settings (default: one
        with its defaults, imitating ``encoder``); it is fitted on the distillation texts.
    Other parameters as in :class:`StudentJudge`.
    """

    name = "distilled student (fast: static text encoder, two-tower head)"
    kind = "fast"
    member_keys = ("mix", "u", "v", "a_w", "a_b", "c0", "c1", "w")

    def __init__(self, encoder: SentenceEncoder | None = None, *, hidden: int = 8,
                 rank: int = 16, n_members: int = 3, epochs: int = 400, lr: float = 1e-2,
                 prior_weight: float = 1e-3, static_encoder: StaticTextEncoder | None = None,
                 template: str = "This text {h}.", exact_forms: bool = True, seed: int = 0):
        super().__init__(encoder, hidden=hidden, n_members=n_members, epochs=epochs, lr=lr,
                         template=template,
                         exact_forms=exact_forms, seed=seed)
        self.rank = rank
        self.prior_weight = prior_weight
        self.static_encoder = static_encoder

    # ---- text side ------------------------------------------------------------------
    def prepare(self, texts: Sequence[str]) -> None:
        """Distil the static text encoder on ``texts`` (unlabelled; no teacher calls)."""
        static = copy.copy(self.static_encoder) if self.static_encoder is not None else \
            StaticTextEncoder(self._enc(), seed=self.seed)
        if static.encoder is None:
            static.encoder = self._enc()
        self.static_ = static.fit(texts)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        if getattr(self, "static_", None) is None:
            self.prepare(texts)
        t = self.static_.encode(texts)
        return np.concatenate([t, text_stats(t, self.reference_vectors())], axis=1)

    def _copy_text_caches(self, keep: bool) -> None:
        self.static_ = self.static_.with_own_cache(keep=keep)

    # ---- head -----------------------------------------------------------------------
    def _train_member(self, rows_t: np.ndarray, rows_h: np.ndarray, y: np.ndarray,
                      seed: int) -> dict[str, np.ndarray]:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return _train_two_tower(torch, rows_t, rows_h, y, self.dim_, self.rank,
                                    self.hidden, self.epochs, self.lr, self.prior_weight,
                                    seed)
        finally:
            torch.set_num_threads(threads)

    def _towers(self, t: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Text tower [N x D] and hypothesis tower [H x D] whose inner products are the
        ensemble's mean logits."""
        self._check_fitted()
        d, n_m = self.dim_, len(self.members_)
        t_parts, h_parts = [t[:, :d]], [np.zeros((len(h), d), np.float32)]
        for w in self.members_:
            g, ph, pd = _member_sides(w, t, h, d)
            h_parts[0] += pd / n_m
            t_parts.append(g)
            h_parts.append(ph / n_m)
        return (np.concatenate(t_parts, axis=1).astype(np.float32),
                np.concatenate(h_parts, axis=1).astype(np.float32))

    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        """Member logits: aligned rows -> [M x P]; otherwise all pairs -> [M x H x N]."""
        self._check_fitted()
        d = self.dim_
        tv = t[:, :d]
        out = []
        for w in self.members_:
            g, ph, pd = _member_sides(w, t, h, d)
            if aligned:
                out.append((tv * pd).sum(axis=1) + (g * ph).sum(axis=1))
            else:
                out.append(pd @ tv.T + ph @ g.T)
        return np.stack(out).astype(np.float32)

    def mean_logits(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] mean member logit: one product of the concatenated towers."""
        tt, hh = self._towers(t, h)
        return hh @ tt.T

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"text_encoder": "static (distilled from "
                                                     f"{self._enc().name})", "rank": self.rank}

    # ---- persistence ----------------------------------------------------------------
    def _save_extra(self, folder: Path) -> None:
        self.static_.save(folder / "static.npz")

    def _load_extra(self, folder: Path) -> None:
        self.static_ = StaticTextEncoder.load(folder / "static.npz", self._enc())
        self.rank = int(self.members_[0]["u"].shape[1])


def _member_sides(w: dict[str, np.ndarray], t: np.ndarray, h: np.ndarray,
                  d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One member's text-side features g(s) [N x S], hypothesis weights on them [H x S] and
    hypothesis vector for the text vector [H x d]."""
    s = t[:, d:d + N_TEXT_STATS] * SCALE
    g = np.concatenate([s, np.maximum(s @ w["a_w"] + w["a_b"], 0.0),
                        np.ones((len(t), 1), s.dtype)], axis=1)
    hv, flag = h[:, :3 * d], h[:, 3 * d:3 * d + 1]
    mix = w["mix"]
    pd = (mix[0] * hv[:, :d] + mix[1] * hv[:, d:2 * d] + mix[2] * hv[:, 2 * d:]
          + (hv @ w["v"]) @ w["u"].T) * SCALE
    ph = w["c0"] + flag * w["c1"] + hv @ w["w"]
    return g, ph, pd


def _train_two_tower(torch, rows_t, rows_h, y, d, rank, hidden, epochs, lr, prior_weight,
                     seed) -> dict[str, np.ndarray]:
    """Full-batch Adam from the zero-shot rule, with an L2 pull back towards it.

    Pairs repeat texts and hypotheses, so the towers are computed on the distinct rows and
    indexed: the cost per epoch is that of the distinct rows, not of the pairs."""
    g = torch.Generator().manual_seed(seed)
    uniq_t, t_of = np.unique(rows_t, axis=0, return_inverse=True)
    uniq_h, h_of = np.unique(rows_h, axis=0, return_inverse=True)
    ti, hi = torch.from_numpy(t_of.ravel()), torch.from_numpy(h_of.ravel())
    tu = torch.from_numpy(uniq_t[:, :d].astype(np.float32))
    s = torch.from_numpy(rows_t[:, d:d + N_TEXT_STATS].astype(np.float32)) * SCALE
    hu = torch.from_numpy(uniq_h[:, :3 * d].astype(np.float32))
    flag = torch.from_numpy(uniq_h[:, 3 * d:3 * d + 1].astype(np.float32))
    tp = torch.from_numpy(rows_t[:, :d].astype(np.float32))
    # t.h, t.x, t.y per pair: fixed
    dots = torch.stack([(tp * hu[hi, k * d:(k + 1) * d]).sum(1) for k in range(3)], 1) * SCALE
    yt = torch.from_numpy(y.astype(np.float32))
    prior = {k: torch.from_numpy(v) for k, v in zero_shot_init(d, rank, hidden).items()}
    p = {k: torch.nn.Parameter(v.clone()) for k, v in prior.items()}
    with torch.no_grad():  # break the symmetry of the low-rank map and the text network
        p["u"].add_(torch.randn(d, rank, generator=g) * 0.05)
        p["v"].add_(torch.randn(3 * d, rank, generator=g) * 0.05)
        p["a_w"].add_(torch.randn(N_TEXT_STATS, hidden, generator=g) / np.sqrt(N_TEXT_STATS))
    opt = torch.optim.Adam(list(p.values()), lr=lr)
    loss_fn = balanced_bce(torch, yt)
    ones = torch.ones(len(yt), 1)
    with torch.enable_grad():
        for _ in range(epochs):
            opt.zero_grad()
            gs = torch.cat([s, torch.relu(s @ p["a_w"] + p["a_b"]), ones], 1)
            low = ((tu @ p["u"])[ti] * (hu @ p["v"])[hi]).sum(1) * SCALE
            ph = (p["c0"] + flag * p["c1"] + hu @ p["w"])[hi]
            z = dots @ p["mix"] + low + (gs * ph).sum(1)
            pull = sum(((p[k] - prior[k]) ** 2).sum() for k in ("mix", "c0", "c1", "w"))
            loss = loss_fn(z, yt) + prior_weight * pull
            loss.backward()
            opt.step()
    return {k: v.detach().numpy().copy() for k, v in p.items()}


def zero_shot_init(d: int, rank: int, hidden: int) -> dict[str, np.ndarray]:
    """Head weights that reproduce the zero-shot rule logit = (t.h - r5(t)) / 0.02: h holds
    for t when it is closer to t than t's fifth-closest generic description."""
    n_s = N_TEXT_STATS + hidden + 1
    c0 = np.zeros(n_s, np.float32)
    c0[_STAT_K.index(5)] = -1.0 / (ZERO_SHOT_TEMPERATURE * SCALE)
    return {"mix": np.array([1.0 / (ZERO_SHOT_TEMPERATURE * SCALE), 0.0, 0.0], np.float32),
            "u": np.zeros((d, rank), np.float32), "v": np.zeros((3 * d, rank), np.float32),
            "a_w": np.zeros((N_TEXT_STATS, hidden), np.float32),
            "a_b": np.zeros(hidden, np.float32), "c0": c0, "c1": np.zeros(n_s, np.float32),
            "w": np.zeros((3 * d, n_s), np.float32)}

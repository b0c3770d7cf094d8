"""The fast student: a static text encoder and a two-tower interaction head.

Texts are encoded by :class:`~wordlens.distill.static.StaticTextEncoder` (a token table
distilled from the sentence encoder: no transformer pass), hypotheses by the sentence encoder
(there are few). Every term of the head factorises into a text side and a hypothesis side, so
judging H hypotheses on N texts costs a few [N x d] @ [d x H] products and a tiny per-pair
MLP over 13 numbers (measured ~60x the offline teacher's throughput with hypotheses cached,
see the README). It pays in agreement: see the distillation report, and prefer the standard
student when accuracy matters more.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encoders import SentenceEncoder
from .static import StaticTextEncoder
from .student import (
    N_TEXT_STATS,
    SCALE,
    StudentJudge,
    balanced_bce,
    seeded_mlp,
    text_stats,
)

_MAX_PAIR_ELEMS = 8_000_000  # hypotheses x texts x hidden per block when scoring


class FastStudentJudge(StudentJudge):
    """Student judge for speed: static text encoder + two-tower head.

    Per (text t, hypothesis h with contrast sides x, y) the head reads 13 numbers: t.h, t.x,
    t.y, a learned low-rank bilinear score (tU).(hV), the text's similarity statistics to the
    generic descriptions, and the contrast flag; a small MLP maps them to a logit.

    Parameters
    ----------
    rank: rank of the learned bilinear term.
    static_encoder: an unfitted :class:`StaticTextEncoder` with your settings (default: one
        with its defaults, imitating ``encoder``); it is fitted on the distillation texts.
    Other parameters as in :class:`StudentJudge`.
    """

    name = "distilled student (fast: static text encoder, two-tower head)"
    kind = "fast"
    member_keys = ("u", "v", "w1", "b1", "w2", "b2")

    def __init__(self, encoder: SentenceEncoder | None = None, *, hidden: int = 16,
                 rank: int = 16, n_members: int = 3, epochs: int = 400, lr: float = 1e-2,
                 weight_decay: float = 1e-3, static_encoder: StaticTextEncoder | None = None,
                 template: str = "This text {h}.", exact_forms: bool = True, seed: int = 0):
        super().__init__(encoder, hidden=hidden, n_members=n_members, epochs=epochs, lr=lr,
                         weight_decay=weight_decay, template=template,
                         exact_forms=exact_forms, seed=seed)
        self.rank = rank
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

    # ---- head -----------------------------------------------------------------------
    def _train_member(self, rows_t: np.ndarray, rows_h: np.ndarray, y: np.ndarray,
                      seed: int) -> dict[str, np.ndarray]:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return _train_two_tower(torch, rows_t, rows_h, y, self.dim_, self.rank,
                                    self.hidden, self.epochs, self.lr, self.weight_decay, seed)
        finally:
            torch.set_num_threads(threads)

    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        """Member logits: aligned rows -> [M x P]; otherwise all pairs -> [M x H x N]."""
        self._check_fitted()
        d = self.dim_
        tv, st = t[:, :d], t[:, d:] * SCALE
        hv, flag = h[:, :3 * d], h[:, 3 * d:3 * d + 1]
        if aligned:
            out = np.zeros((len(self.members_), len(t)), np.float32)
            base = _dots(tv, hv, d, aligned=True) * SCALE  # [3 x P]
            for m, w in enumerate(self.members_):
                z4 = ((tv @ w["u"]) * (hv @ w["v"])).sum(axis=1)
                x = np.concatenate([base.T, z4[:, None], st, flag], axis=1)
                hid = np.maximum(x @ w["w1"] + w["b1"], 0.0)
                out[m] = (hid @ w["w2"] + w["b2"]).ravel()
            return out
        n_h, n_t = len(h), len(t)
        out = np.zeros((len(self.members_), n_h, n_t), np.float32)
        dots = _dots(tv, hv, d, aligned=False) * SCALE  # [3 x H x N]
        step = max(1, _MAX_PAIR_ELEMS // max(1, n_t * self.hidden))
        for m, w in enumerate(self.members_):
            w1 = w["w1"]
            z4 = (hv @ w["v"]) @ (tv @ w["u"]).T  # [H x N]
            text_part = st @ w1[4:4 + N_TEXT_STATS] + w["b1"]  # [N x hidden]
            hyp_part = flag @ w1[4 + N_TEXT_STATS:]  # [H x hidden]
            for s in range(0, n_h, step):
                e = slice(s, s + step)
                pre = (dots[0, e, :, None] * w1[0] + dots[1, e, :, None] * w1[1]
                       + dots[2, e, :, None] * w1[2] + z4[e, :, None] * w1[3]
                       + text_part[None] + hyp_part[e, None, :])
                np.maximum(pre, 0.0, out=pre)
                out[m, e] = (pre @ w["w2"]).squeeze(-1) + w["b2"][0]
        return out

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"text_encoder": "static (distilled from "
                                                     f"{self._enc().name})", "rank": self.rank}

    # ---- persistence ----------------------------------------------------------------
    def _save_extra(self, folder: Path) -> None:
        self.static_.save(folder / "static.npz")

    def _load_extra(self, folder: Path) -> None:
        self.static_ = StaticTextEncoder.load(folder / "static.npz", self._enc())
        self.rank = int(self.members_[0]["u"].shape[1])


def _dots(tv: np.ndarray, hv: np.ndarray, d: int, *, aligned: bool) -> np.ndarray:
    """t.h, t.x, t.y: [3 x P] for aligned rows, else [3 x H x N]."""
    parts = [hv[:, k * d:(k + 1) * d] for k in range(3)]
    if aligned:
        return np.stack([(tv * p).sum(axis=1) for p in parts])
    return np.stack([p @ tv.T for p in parts])


def _train_two_tower(torch, rows_t, rows_h, y, d, rank, hidden, epochs, lr, weight_decay,
                     seed) -> dict[str, np.ndarray]:
    g = torch.Generator().manual_seed(seed)
    t = torch.from_numpy(rows_t[:, :d].astype(np.float32))
    st = torch.from_numpy(rows_t[:, d:].astype(np.float32)) * SCALE
    hv = torch.from_numpy(rows_h[:, :3 * d].astype(np.float32))
    flag = torch.from_numpy(rows_h[:, 3 * d:3 * d + 1].astype(np.float32))
    yt = torch.from_numpy(y.astype(np.float32))
    dots = torch.stack([(t * hv[:, k * d:(k + 1) * d]).sum(1) for k in range(3)], 1) * SCALE
    u = torch.nn.Parameter(torch.randn(d, rank, generator=g) * 0.05)
    v = torch.nn.Parameter(torch.randn(3 * d, rank, generator=g) * 0.05)
    n_in = 4 + N_TEXT_STATS + 1
    w1, w2 = seeded_mlp(torch, n_in, hidden, g)
    params = [u, v, *w1.parameters(), *w2.parameters()]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    loss_fn = balanced_bce(torch, yt)
    with torch.enable_grad():
        for _ in range(epochs):
            opt.zero_grad()
            z4 = ((t @ u) * (hv @ v)).sum(1, keepdim=True) * SCALE
            x = torch.cat([dots, z4, st, flag], 1)
            loss = loss_fn(w2(torch.relu(w1(x))).squeeze(1), yt)
            loss.backward()
            opt.step()
    return {"u": u.detach().numpy().copy(), "v": (v.detach().numpy() * SCALE).copy(),
            "w1": w1.weight.detach().numpy().T.copy(), "b1": w1.bias.detach().numpy().copy(),
            "w2": w2.weight.detach().numpy().T.copy(), "b2": w2.bias.detach().numpy().copy()}

"""Training a student: its text encoder (when it learns), its head and its calibration.

The student itself (inference, save, load) is :class:`wordlens.judges.student.StudentJudge`;
the head classes hold their settings, this module fits them (torch, CPU).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from ..encoders.static import StaticTextEncoder
from ..errors import InputError
from ..judges.pair_features import N_TEXT_STATS, SCALE, pair_features
from ..judges.student import StudentJudge
from ..judges.student_heads import MLPHead, StudentHead, TwoTowerHead, zero_shot_weights


def fit_text_encoder(student: StudentJudge, texts: Sequence[str]) -> StudentJudge:
    """Distil a static text encoder on ``texts`` (unlabelled; no teacher calls). A copy of
    the student's unfitted encoder is fitted, so the one given stays as it was; a student
    reading texts with the sentence encoder is left as it is."""
    if isinstance(student.text_encoder, StaticTextEncoder):
        student.text_encoder = copy.copy(student.text_encoder).fit(texts)
    return student


def fit_student(student: StudentJudge, text_vecs: np.ndarray, hyp_vecs: np.ndarray,
                t_idx: np.ndarray, h_idx: np.ndarray, targets: np.ndarray, *,
                calib: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
                ) -> StudentJudge:
    """Fit the student's head on labelled pairs (``targets`` = teacher probabilities in
    [0, 1]) of encoded rows (``student.encode_texts`` / ``encode_hypotheses``).

    ``calib`` = (t_idx, h_idx, targets) of pairs kept out of training, used to fit Platt
    scaling; without it the scores are used uncalibrated (a = 1, b = 0).
    """
    t_idx, h_idx = np.asarray(t_idx, int), np.asarray(h_idx, int)
    y = np.clip(np.asarray(targets, float), 0.0, 1.0)
    if len(y) < 4 or len(set((y >= 0.5).tolist())) < 2:
        raise InputError("distill: the teacher's labels are all one class "
                         f"({len(y)} pairs); raise --budget or add hypotheses")
    fit_head(student.head, text_vecs[t_idx], hyp_vecs[h_idx], y,
             dim=int(text_vecs.shape[1] - N_TEXT_STATS))
    student.platt_ = (1.0, 0.0)
    if calib is not None and len(calib[2]) >= 10:
        ct, ch, cy = (np.asarray(v) for v in calib)
        z = student.logits(text_vecs[ct.astype(int)], hyp_vecs[ch.astype(int)], aligned=True)
        student.platt_ = fit_platt(z.mean(axis=0), np.asarray(cy, float))
    student.n_train_pairs_ = int(len(y))
    return student


def fit_head(head: StudentHead, rows_t: np.ndarray, rows_h: np.ndarray, y: np.ndarray, *,
             dim: int) -> StudentHead:
    """Train ``head.n_members`` members on bootstrap resamples of aligned rows (all rows
    when there is one member); returns the head, fitted."""
    rng = np.random.default_rng(head.seed)
    members = []
    for m in range(head.n_members):
        idx = rng.integers(0, len(y), len(y)) if head.n_members > 1 else np.arange(len(y))
        members.append(_train_member(head, rows_t[idx], rows_h[idx], y[idx], dim,
                                     seed=head.seed * 100 + m))
    return head.restore(members, dim)


def _train_member(head: StudentHead, rows_t: np.ndarray, rows_h: np.ndarray, y: np.ndarray,
                  dim: int, seed: int) -> dict[str, np.ndarray]:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small dense problem: one thread is faster, and shares the CPU
    try:
        if isinstance(head, TwoTowerHead):
            return train_two_tower(torch, head, rows_t, rows_h, y, dim, seed)
        if isinstance(head, MLPHead):
            return train_mlp(torch, head, pair_features(rows_t, rows_h, dim), y, seed)
        raise TypeError(f"no training for head {type(head).__name__}")
    finally:
        torch.set_num_threads(threads)


def seeded_mlp(torch, n_in: int, hidden: int, g):
    """Two linear layers (n_in -> hidden -> 1), uniform init from generator ``g``."""
    w1 = torch.nn.Linear(n_in, hidden)
    w2 = torch.nn.Linear(hidden, 1)
    with torch.no_grad():
        for layer in (w1, w2):
            bound = 1.0 / np.sqrt(layer.in_features)
            layer.weight.copy_(torch.empty_like(layer.weight).uniform_(-bound, bound,
                                                                        generator=g))
            layer.bias.zero_()
    return w1, w2


def balanced_bce(torch, yt):
    """BCE on logits with the two classes (target >= 0.5 or not) weighted equally."""
    pos = float(yt.mean().clamp(0.02, 0.98))
    weight = torch.where(yt >= 0.5, 0.5 / pos, 0.5 / (1 - pos))
    return torch.nn.BCEWithLogitsLoss(weight=weight)


def train_mlp(torch, head: MLPHead, x: np.ndarray, y: np.ndarray,
              seed: int) -> dict[str, np.ndarray]:
    """One hidden-layer MLP member trained full-batch with AdamW on soft, balanced BCE."""
    g = torch.Generator().manual_seed(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))
    w1, w2 = seeded_mlp(torch, x.shape[1], head.hidden, g)
    params = list(w1.parameters()) + list(w2.parameters())
    opt = torch.optim.AdamW(params, lr=head.lr, weight_decay=head.weight_decay)
    loss_fn = balanced_bce(torch, yt)
    with torch.enable_grad():
        for _ in range(head.epochs):
            opt.zero_grad()
            # dropout 0.1 drawn from this member's generator, so training is reproducible
            # whatever else used torch's global random state before
            keep = (torch.rand(len(xt), head.hidden, generator=g) >= 0.1).float() / 0.9
            loss = loss_fn(w2(torch.relu(w1(xt)) * keep).squeeze(1), yt)
            loss.backward()
            opt.step()
    return {"w1": w1.weight.detach().numpy().T.copy(), "b1": w1.bias.detach().numpy().copy(),
            "w2": w2.weight.detach().numpy().T.copy(), "b2": w2.bias.detach().numpy().copy()}


def train_two_tower(torch, head: TwoTowerHead, rows_t: np.ndarray, rows_h: np.ndarray,
                    y: np.ndarray, d: int, seed: int) -> dict[str, np.ndarray]:
    """One two-tower member: full-batch Adam from the zero-shot rule, with an L2 pull back
    towards it.

    Pairs repeat texts and hypotheses, so the towers are computed on the distinct rows and
    indexed: the cost per epoch is that of the distinct rows, not of the pairs."""
    rank, hidden = head.rank, head.hidden
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
    prior = {k: torch.from_numpy(v) for k, v in zero_shot_weights(d, rank, hidden).items()}
    p = {k: torch.nn.Parameter(v.clone()) for k, v in prior.items()}
    with torch.no_grad():  # break the symmetry of the low-rank map and the text network
        p["u"].add_(torch.randn(d, rank, generator=g) * 0.05)
        p["v"].add_(torch.randn(3 * d, rank, generator=g) * 0.05)
        p["a_w"].add_(torch.randn(N_TEXT_STATS, hidden, generator=g) / np.sqrt(N_TEXT_STATS))
    opt = torch.optim.Adam(list(p.values()), lr=head.lr)
    loss_fn = balanced_bce(torch, yt)
    ones = torch.ones(len(yt), 1)
    with torch.enable_grad():
        for _ in range(head.epochs):
            opt.zero_grad()
            gs = torch.cat([s, torch.relu(s @ p["a_w"] + p["a_b"]), ones], 1)
            low = ((tu @ p["u"])[ti] * (hu @ p["v"])[hi]).sum(1) * SCALE
            ph = (p["c0"] + flag * p["c1"] + hu @ p["w"])[hi]
            z = dots @ p["mix"] + low + (gs * ph).sum(1)
            pull = sum(((p[k] - prior[k]) ** 2).sum() for k in ("mix", "c0", "c1", "w"))
            loss = loss_fn(z, yt) + head.prior_weight * pull
            loss.backward()
            opt.step()
    return {k: v.detach().numpy().copy() for k, v in p.items()}


def fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling (a, b) of logits ``z`` against the teacher's decisions (y >= 0.5)."""
    from sklearn.linear_model import LogisticRegression

    lab = (y >= 0.5).astype(int)
    if lab.min() == lab.max():
        return (1.0, 0.0)
    lr = LogisticRegression(C=1e4).fit(z.reshape(-1, 1), lab)
    return (float(lr.coef_[0, 0]), float(lr.intercept_[0]))

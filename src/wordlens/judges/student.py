"""A bi-encoder student judge: texts and hypotheses are encoded independently (and cached),
and a small learned interaction head maps the pair of vectors to a calibrated probability.

Judging H hypotheses on N texts costs N + H encoder passes plus a few matrix products,
instead of H x N calls of the teacher it imitates.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..encoders import EncoderUser, SentenceEncoder, default_encoder
from ..errors import InputError, NotFittedError
from ..hypothesis import Hypothesis
from ..modelfiles import read_model_meta
from ..result import write_atomic
from .base import Judge
from .embedding import reference_descriptions, split_contrast
from .features import FeatureJudge

FORMAT = "wordlens.student/1"
_CHUNK_ELEMS = 6_000_000  # pairs x dim per block when scoring a matrix


_STAT_K = (1, 2, 3, 5, 10, 20)
N_TEXT_STATS = len(_STAT_K) + 2  # top-k reference similarities, mean, std
SCALE = 10.0  # similarity differences are ~0.05; bring them to the scale of the weights


def text_stats(t: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """Per text: its k-th highest similarities to the reference descriptions, mean and std."""
    sims = t @ refs.T
    top = -np.sort(-sims, axis=1)
    ks = [min(k, sims.shape[1]) - 1 for k in _STAT_K]
    return np.concatenate([top[:, ks], sims.mean(axis=1, keepdims=True),
                           sims.std(axis=1, keepdims=True) + 1e-6], axis=1)


def pair_features(tr: np.ndarray, hr: np.ndarray, d: int) -> np.ndarray:
    """Features of aligned (text, hypothesis) representation rows.

    Text rows are ``[t, reference stats]``; hypothesis rows ``[h, x, y, is_contrast]`` where
    x and y are the two sides of "X rather than Y" (zeros when there is no contrast).
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


class StudentJudge(EncoderUser, Judge):
    """Bi-encoder student with an ensemble of small MLP heads and Platt calibration.

    Parameters
    ----------
    encoder:
        Sentence encoder (default: the shipped all-MiniLM-L6-v2).
    hidden:
        Width of each head's hidden layer.
    n_members:
        Heads trained on bootstrap resamples; their spread drives disagreement sampling and
        their mean is the student's score.
    epochs, lr, weight_decay:
        Full-batch Adam settings of each head (torch, CPU).
    template:
        How a hypothesis is phrased before encoding.
    exact_forms:
        Judge hypotheses that carry a programmatic form (properties, keyword lists) exactly,
        as the offline judge does, instead of by imitation.
    seed:
        Seed of initialisation and bootstrap.
    """

    name = "distilled student (bi-encoder)"
    kind = "standard"
    member_keys: tuple[str, ...] = ("w1", "b1", "w2", "b2")

    def __init__(self, encoder: SentenceEncoder | None = None, *, hidden: int = 128,
                 n_members: int = 3, epochs: int = 200, lr: float = 3e-3,
                 weight_decay: float = 1e-4, template: str = "This text {h}.",
                 exact_forms: bool = True, seed: int = 0):
        super().__init__()
        self.encoder = encoder
        self.hidden = hidden
        self.n_members = n_members
        self.epochs = epochs
        self.lr = lr
        self.weight_decay = weight_decay
        self.template = template
        self.exact_forms = exact_forms
        self.seed = seed

    # ---- encoding -------------------------------------------------------------------
    def reference_vectors(self) -> np.ndarray:
        """Unit vectors of the generic descriptions (``wordlens/data/topics.txt``); fixed at
        fit time and saved with the student."""
        if getattr(self, "references_", None) is None:
            self.references_ = self._enc().encode(
                [self.phrase(r) for r in reference_descriptions()])
        return self.references_

    def encode_hypotheses(self, hypotheses: Sequence[Hypothesis | str]) -> np.ndarray:
        """Rows ``[h, x, y, is_contrast]`` (see :func:`pair_features`)."""
        texts = [h.text if isinstance(h, Hypothesis) else str(h) for h in hypotheses]
        parts = [split_contrast(t) for t in texts]
        enc = self._enc()
        h = enc.encode([self.phrase(t) for t in texts])
        x = np.zeros_like(h)
        y = np.zeros_like(h)
        flag = np.zeros((len(texts), 1), dtype=h.dtype)
        idx = [i for i, (_, b) in enumerate(parts) if b is not None]
        if idx:
            x[idx] = enc.encode([self.phrase(parts[i][0]) for i in idx])
            y[idx] = enc.encode([self.phrase(parts[i][1]) for i in idx])
            flag[idx] = 1.0
        return np.concatenate([h, x, y, flag], axis=1)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Rows ``[t, reference stats]`` (see :func:`text_stats`)."""
        t = self._enc().encode(list(texts))
        return np.concatenate([t, text_stats(t, self.reference_vectors())], axis=1)

    def for_timing(self, warm_hypotheses: Sequence[Hypothesis] | None = None) -> StudentJudge:
        """A copy with the same weights and loaded model and its own caches, for timing.

        Cold (default): nothing cached. Warm: ``warm_hypotheses`` encoded beforehand and
        text-side caches as this student's (a student in use knows its hypotheses, not the
        next texts: text encodings are never reused)."""
        other = copy.copy(self)
        other.encoder = self._enc().without_memory()
        other._copy_text_caches(keep=warm_hypotheses is not None)
        if warm_hypotheses:
            other.encode_hypotheses(warm_hypotheses)
        return other

    def _copy_text_caches(self, keep: bool) -> None:
        """Give a copy its own text-side caches (none beyond the encoder's here)."""

    def prepare(self, texts: Sequence[str]) -> None:
        """Fit whatever the student learns from unlabelled texts (nothing here)."""

    def _save_extra(self, folder: Path) -> None:
        """Write files a subclass needs next to ``heads.npz`` (nothing here)."""

    def _load_extra(self, folder: Path) -> None:
        """Read files a subclass saves next to ``heads.npz`` (nothing here)."""

    # ---- fitting --------------------------------------------------------------------
    def fit(self, text_vecs: np.ndarray, hyp_vecs: np.ndarray, t_idx: np.ndarray,
            h_idx: np.ndarray, targets: np.ndarray, *,
            calib: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> StudentJudge:
        """Fit the heads on labelled pairs (``targets`` = teacher probabilities in [0, 1]).

        ``calib`` = (t_idx, h_idx, targets) of pairs kept out of training, used to fit Platt
        scaling; without it the scores are used uncalibrated (a = 1, b = 0).
        """
        t_idx, h_idx = np.asarray(t_idx, int), np.asarray(h_idx, int)
        y = np.clip(np.asarray(targets, float), 0.0, 1.0)
        if len(y) < 4 or len(set((y >= 0.5).tolist())) < 2:
            raise InputError("distill: the teacher's labels are all one class "
                             f"({len(y)} pairs); raise --budget or add hypotheses")
        self.dim_ = int(text_vecs.shape[1] - N_TEXT_STATS)
        rows_t, rows_h = text_vecs[t_idx], hyp_vecs[h_idx]
        rng = np.random.default_rng(self.seed)
        self.members_ = []
        for m in range(self.n_members):
            idx = rng.integers(0, len(y), len(y)) if self.n_members > 1 else np.arange(len(y))
            self.members_.append(self._train_member(rows_t[idx], rows_h[idx], y[idx],
                                                    seed=self.seed * 100 + m))
        self.platt_ = (1.0, 0.0)
        if calib is not None and len(calib[2]) >= 10:
            ct, ch, cy = (np.asarray(v) for v in calib)
            z = self.logits(text_vecs[ct.astype(int)], hyp_vecs[ch.astype(int)], aligned=True)
            self.platt_ = _fit_platt(z.mean(axis=0), np.asarray(cy, float))
        self.n_train_pairs_ = int(len(y))
        return self

    def _train_member(self, rows_t: np.ndarray, rows_h: np.ndarray, y: np.ndarray,
                      seed: int) -> dict[str, np.ndarray]:
        """One head on aligned (text row, hypothesis row) pairs."""
        return _train_mlp(pair_features(rows_t, rows_h, self.dim_), y, self.hidden,
                          self.epochs, self.lr, self.weight_decay, seed=seed)

    def _check_fitted(self) -> None:
        if not hasattr(self, "members_"):
            raise NotFittedError("StudentJudge is not fitted; call fit() or StudentJudge.load()")

    # ---- scoring --------------------------------------------------------------------
    def logits(self, t: np.ndarray, h: np.ndarray, *, aligned: bool = False) -> np.ndarray:
        """Member logits: aligned rows -> [M x P]; otherwise all pairs -> [M x H x N]."""
        self._check_fitted()
        if aligned:
            out_a = np.zeros((len(self.members_), len(t)), dtype=np.float32)
            step = max(1, _CHUNK_ELEMS // max(1, t.shape[1]))
            for s in range(0, len(t), step):
                x = pair_features(t[s:s + step], h[s:s + step], self.dim_)
                for m, w in enumerate(self.members_):
                    out_a[m, s:s + step] = _forward(w, x)
            return out_a
        n_h, n_t = len(h), len(t)
        out = np.zeros((len(self.members_), n_h, n_t), dtype=np.float32)
        step = max(1, _CHUNK_ELEMS // max(1, n_t * t.shape[1]))
        for s in range(0, n_h, step):
            hh = h[s:s + step]
            tt = np.broadcast_to(t[None], (len(hh), n_t, t.shape[1])).reshape(-1, t.shape[1])
            x = pair_features(tt, np.repeat(hh, n_t, axis=0), self.dim_)
            for m, w in enumerate(self.members_):
                out[m, s:s + len(hh)] = _forward(w, x).reshape(len(hh), n_t)
        return out

    def mean_logits(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] logits of the ensemble (mean over members), before calibration."""
        return self.logits(t, h).mean(axis=0)

    def predict_vectors(self, t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """[H x N] calibrated probabilities from pre-computed unit vectors."""
        a, b = self.platt_
        return _sigmoid(a * self.mean_logits(t, h) + b)

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        self._check_fitted()
        out = np.zeros((len(hypotheses), len(texts)), dtype=float)
        exact = [i for i, h in enumerate(hypotheses)
                 if self.exact_forms and FeatureJudge.supports(h)]
        learned = [i for i in range(len(hypotheses)) if i not in set(exact)]
        if exact:
            out[exact] = FeatureJudge().judge_matrix([hypotheses[i] for i in exact], texts)
        if learned:
            t = self.encode_texts(texts)
            h = self.encode_hypotheses([hypotheses[i] for i in learned])
            out[learned] = self.predict_vectors(t, h)
        return out

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "class": type(self).__name__,
                             "encoder": self._enc().name if self.encoder is not None
                             else "all-MiniLM-L6-v2", "exact_forms": self.exact_forms,
                             "approximation": True}
        if getattr(self, "path_", None):
            d["path"] = str(self.path_)
        if getattr(self, "teacher_", None):
            d["teacher"] = self.teacher_
        return d

    # ---- persistence ----------------------------------------------------------------
    def caveat(self) -> str | None:
        teacher = (getattr(self, "teacher_", None) or {}).get("name", "its teacher")
        return ("Hypotheses with a programmatic form are judged exactly; free-text hypotheses "
                f"by a student distilled from {teacher}, an approximation of that teacher "
                "(agreement in the student's report.json). Use --confirm-with to re-check the "
                "top findings with the teacher.")

    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> Path:
        """Write ``student.json`` (settings, calibration) and ``heads.npz`` (weights)."""
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {f"m{m}_{k}": v for m, w in enumerate(self.members_) for k, v in w.items()}
        tmp = folder / ".heads.tmp.npz"
        np.savez(tmp, references=self.reference_vectors(), **arrays)
        tmp.replace(folder / "heads.npz")
        self._save_extra(folder)
        enc = self._enc()
        meta = {"format": FORMAT, "kind": self.kind, "n_members": len(self.members_),
                "hidden": self.hidden,
                "template": self.template, "exact_forms": self.exact_forms,
                "platt": list(self.platt_), "dim": self.dim_,
                "n_train_pairs": self.n_train_pairs_,
                "encoder": {"name": enc.name, "max_seq_length": enc.max_seq_length,
                            "model_path": str(enc.model_path) if enc.model_path else None},
                "teacher": getattr(self, "teacher_", None), **(extra or {})}
        write_atomic(folder / "student.json", json.dumps(meta, indent=2))
        return folder

    @classmethod
    def load(cls, folder: str | Path, encoder: SentenceEncoder | None = None) -> StudentJudge:
        folder = Path(folder)
        meta_path = folder / "student.json"
        meta = read_model_meta(folder, "student.json", "heads.npz", fmt=FORMAT, what="student",
                               made_by="make one with `wordlens distill`")
        if encoder is None:
            e = meta.get("encoder") or {}
            encoder = (SentenceEncoder(e["model_path"], max_seq_length=e["max_seq_length"])
                       if e.get("model_path") else default_encoder())
        if meta.get("kind", "standard") != cls.kind:
            if cls is not StudentJudge or meta.get("kind") != "fast":
                raise InputError(f"{meta_path}: field 'kind' is {meta.get('kind')!r}, "
                                 f"expected {cls.kind!r}")
            from .fast_student import FastStudentJudge

            return FastStudentJudge.load(folder, encoder)
        student = cls(encoder, hidden=meta["hidden"], n_members=meta["n_members"],
                      template=meta["template"], exact_forms=meta["exact_forms"])
        with np.load(folder / "heads.npz") as z:
            student.members_ = [{k: z[f"m{m}_{k}"] for k in cls.member_keys}
                                for m in range(meta["n_members"])]
            student.references_ = z["references"]
        student._load_extra(folder)
        student.platt_ = tuple(meta["platt"])
        student.dim_ = meta["dim"]
        student.n_train_pairs_ = meta["n_train_pairs"]
        student.teacher_ = meta.get("teacher")
        student.path_ = folder
        return student


# ---- small numeric helpers ----------------------------------------------------------

def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _forward(w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    hid = np.maximum(x @ w["w1"] + w["b1"], 0.0)
    return (hid @ w["w2"] + w["b2"]).ravel()


def _train_mlp(x: np.ndarray, y: np.ndarray, hidden: int, epochs: int, lr: float,
               weight_decay: float, seed: int) -> dict[str, np.ndarray]:
    """One hidden-layer MLP trained full-batch with Adam on soft BCE; weights as numpy."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small dense problem: one thread is faster, and shares the CPU
    try:
        return _train_mlp_torch(torch, x, y, hidden, epochs, lr, weight_decay, seed)
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


def _train_mlp_torch(torch, x, y, hidden, epochs, lr, weight_decay, seed):
    g = torch.Generator().manual_seed(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))
    w1, w2 = seeded_mlp(torch, x.shape[1], hidden, g)
    params = list(w1.parameters()) + list(w2.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    drop = torch.nn.Dropout(0.1)
    loss_fn = balanced_bce(torch, yt)
    with torch.enable_grad():
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(w2(drop(torch.relu(w1(xt)))).squeeze(1), yt)
            loss.backward()
            opt.step()
    return {"w1": w1.weight.detach().numpy().T.copy(), "b1": w1.bias.detach().numpy().copy(),
            "w2": w2.weight.detach().numpy().T.copy(), "b2": w2.bias.detach().numpy().copy()}


def _fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling against the teacher's decisions (y >= 0.5)."""
    from sklearn.linear_model import LogisticRegression

    lab = (y >= 0.5).astype(int)
    if lab.min() == lab.max():
        return (1.0, 0.0)
    lr = LogisticRegression(C=1e4).fit(z.reshape(-1, 1), lab)
    return (float(lr.coef_[0, 0]), float(lr.intercept_[0]))

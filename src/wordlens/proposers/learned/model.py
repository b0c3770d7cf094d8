"""The learned stochastic inverse: (A, B) -> a ranking of bank hypotheses, in one pass.

The pair is summarised by the mean sentence embedding of each side; a hypothesis by the
embedding of its words plus, for hypotheses seen in training, a learned offset vector. The
score of hypothesis h for a pair is

    s(h; A, B) = scale * |<normalize(M e_h + z_h), normalize(C (mean_A - mean_B))>|

(the absolute value: a difference in either direction is a difference). M and C start as the
identity, z_h at zero, so the untrained model is plain cosine similarity between the
hypothesis and the difference of means; training (listwise cross-entropy over the bank, on
forward-sampled problems and on replayed search winners) moves them toward what the search
finds. Cost at run time: one encoder pass per text and one matrix product, no judge calls.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...encoders import EncoderUser, SentenceEncoder
from ...errors import InputError, NotFittedError
from ...hypothesis import Hypothesis
from ...modelfiles import read_model_meta
from ..base import Proposer
from .bank import Bank
from .sketch import N_FEATURES, keyword_vector, sketch, sketch_z

FORMAT = "wordlens.learned-proposer/1"


@dataclass
class PairSummary:
    """What the proposer reads of a pair: mean sentence embedding and surface-sketch feature
    shares of each side, and the sizes."""

    mean_a: np.ndarray
    mean_b: np.ndarray
    sketch_a: np.ndarray
    sketch_b: np.ndarray
    n_a: int
    n_b: int

    def sketch_z(self) -> np.ndarray:
        return sketch_z(self.sketch_a, self.sketch_b, self.n_a, self.n_b)


@dataclass
class PairExample:
    """One training pair: its summary and target weights over hypothesis keys."""

    summary: PairSummary
    targets: dict[str, float]
    origin: str = "forward"
    #: weight of this example in the loss (replayed search winners are up-weighted)
    weight: float = 1.0


def summarize(a: Sequence[str], b: Sequence[str], encoder: SentenceEncoder) -> PairSummary:
    """Encode both sides once; no judge calls."""
    ea = encoder.encode(list(a))
    eb = encoder.encode(list(b))
    return PairSummary(ea.mean(axis=0), eb.mean(axis=0), sketch(a).mean(axis=0),
                       sketch(b).mean(axis=0), len(a), len(b))


class LearnedProposer(EncoderUser, Proposer):
    """Ranks the hypotheses of a bank for a new pair; proposes the top ``top_k``.

    Parameters
    ----------
    bank: the hypotheses it can propose (hypotheses seen only in replayed winners are added
        to it at ``fit``).
    top_k: how many hypotheses :meth:`propose` returns (the ones that go to verification).
    epochs, lr, weight_decay, offset_penalty: training of the scorer (Adam, full batch).
    seed: seed of the parameter initialisation and of the order of updates.
    """

    name = "learned inverse"

    def __init__(self, bank: Bank | None = None, *, top_k: int = 10,
                 encoder: SentenceEncoder | None = None, epochs: int = 300, lr: float = 3e-3,
                 weight_decay: float = 1e-4, offset_penalty: float = 1e-3,
                 sketch_l1: float = 1e-2,
                 template: str = "This text {h}.", seed: int = 0):
        self.bank = bank
        self.top_k = top_k
        self.encoder = encoder
        self.epochs = epochs
        self.lr = lr
        self.weight_decay = weight_decay
        self.offset_penalty = offset_penalty
        self.sketch_l1 = sketch_l1
        self.template = template
        self.seed = seed

    # -- fitting -----------------------------------------------------------------------------
    def _embed_hypotheses(self, hyps: Sequence[Hypothesis]) -> np.ndarray:
        return self._enc().encode([self.phrase(h) for h in hyps])

    def fit(self, examples: Sequence[PairExample],
            extra_hypotheses: Sequence[Hypothesis] = (),
            sketch_prior: Mapping[str, np.ndarray] | None = None) -> LearnedProposer:
        """Train on pair examples; targets name hypotheses by :attr:`Hypothesis.key`.

        ``sketch_prior`` (key -> vector over the sketch features, e.g. from
        :func:`~wordlens.amortized.training.sketch_prior_from`): where the sketch weights of a
        hypothesis without a keyword list start, and what they are pulled toward."""
        import torch

        if not examples:
            raise InputError("LearnedProposer.fit: no training examples")
        if self.bank is None:
            raise InputError("LearnedProposer.fit: no hypothesis bank given")
        bank = self.bank.merged(extra_hypotheses)
        index = bank.index()
        unknown = {k for ex in examples for k in ex.targets if k not in index}
        if unknown:
            raise InputError(f"LearnedProposer.fit: {len(unknown)} target hypotheses are not in "
                             f"the bank, e.g. {sorted(unknown)[0]!r}")
        self.bank_ = bank
        self.hyp_emb_ = self._embed_hypotheses(list(bank)).astype(np.float32)
        self.hyp_prior_ = _sketch_priors(list(bank), sketch_prior)
        d = np.stack([ex.summary.mean_a - ex.summary.mean_b
                      for ex in examples]).astype(np.float32)
        z = np.stack([ex.summary.sketch_z() for ex in examples]).astype(np.float32)
        t = np.zeros((len(examples), len(bank)), dtype=np.float32)
        for i, ex in enumerate(examples):
            for k, w in ex.targets.items():
                t[i, index[k]] += w
        t /= np.maximum(t.sum(axis=1, keepdims=True), 1e-12)
        wts = np.array([ex.weight for ex in examples], dtype=np.float32)
        wts /= wts.mean()

        torch.manual_seed(self.seed)
        dim = self.hyp_emb_.shape[1]
        params = _init_params(dim, self.hyp_prior_)
        opt = torch.optim.Adam(params.values(), lr=self.lr)
        e = torch.from_numpy(self.hyp_emb_)
        dd = torch.from_numpy(d)
        zz = torch.from_numpy(z)
        prior = torch.from_numpy(self.hyp_prior_)
        tt = torch.from_numpy(t)
        ww = torch.from_numpy(wts)
        eye = torch.eye(dim)
        losses = []
        for _ in range(self.epochs):
            opt.zero_grad()
            logits = _scores(params, e, dd, zz, torch)
            loss = -(ww * (tt * torch.log_softmax(logits, dim=1)).sum(dim=1)).mean()
            reg = self.weight_decay * (((params["M"] - eye) ** 2).sum()
                                       + ((params["C"] - eye) ** 2).sum())
            reg = reg + self.offset_penalty * ((params["Z"] ** 2).sum(dim=1).mean()
                                               + ((params["Y"] - prior) ** 2).sum(dim=1).mean())
            # L1: each hypothesis should rest on few surface features (a '?', a word list)
            reg = reg + self.sketch_l1 * (params["Y"] - prior).abs().sum(dim=1).mean()
            (loss + reg).backward()
            opt.step()
            losses.append(float(loss.detach()))
        self.params_ = {k: v.detach().numpy().copy() for k, v in params.items()}
        self.n_examples_ = len(examples)
        self.loss_curve_ = losses
        self.trained_on_ = sorted({ex.origin for ex in examples})
        return self

    # -- using -------------------------------------------------------------------------------
    def _check(self) -> None:
        if not hasattr(self, "params_"):
            raise NotFittedError("LearnedProposer: fit it or load a saved one first")

    def score_summary(self, summary: PairSummary) -> np.ndarray:
        """Scores of every bank hypothesis for a pair summary (higher = more likely)."""
        self._check()
        d = (summary.mean_a - summary.mean_b)[None, :].astype(np.float32)
        z = summary.sketch_z()[None, :].astype(np.float32)
        return _scores(self.params_, self.hyp_emb_, d, z, np)[0]

    def rank(self, a: Sequence[str], b: Sequence[str]) -> list[tuple[Hypothesis, float]]:
        """Every bank hypothesis with its score, best first."""
        s = self.score_summary(summarize(a, b, self._enc()))
        order = np.argsort(-s, kind="stable")
        return [(self.bank_[i], float(s[i])) for i in order]

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        return [Hypothesis(h.text, self.name, h.form) for h, _ in self.rank(a, b)[: self.top_k]]

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "class": type(self).__name__,
                               "top_k": self.top_k}
        if hasattr(self, "params_"):
            out.update(bank_size=len(self.bank_), n_examples=self.n_examples_,
                       trained_on=self.trained_on_)
        out["note"] = "ranks a fixed bank from mean embeddings; a research goal is ignored"
        return out

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write a folder: ``model.npz`` (arrays) and ``meta.json`` (bank, settings)."""
        from ...result import write_atomic

        self._check()
        p = Path(path)
        if p.exists() and not p.is_dir():
            raise InputError(f"{p}: exists and is not a folder")
        p.mkdir(parents=True, exist_ok=True)
        np.savez(p / "model.npz", hyp_emb=self.hyp_emb_, **self.params_)
        meta = {"format": FORMAT, "encoder": self._enc().name, "top_k": self.top_k,
                "template": self.template, "n_examples": self.n_examples_,
                "trained_on": self.trained_on_,
                "settings": {"epochs": self.epochs, "lr": self.lr,
                             "weight_decay": self.weight_decay,
                             "offset_penalty": self.offset_penalty,
                             "sketch_l1": self.sketch_l1, "seed": self.seed},
                "final_loss": self.loss_curve_[-1] if self.loss_curve_ else None,
                "bank": [h.to_dict() for h in self.bank_]}
        write_atomic(p / "meta.json", json.dumps(meta, indent=1))
        return p

    @classmethod
    def load(cls, path: str | Path, *, encoder: SentenceEncoder | None = None,
             top_k: int | None = None) -> LearnedProposer:
        p = Path(path)
        arr_path = p / "model.npz"
        meta = read_model_meta(p, "meta.json", "model.npz", fmt=FORMAT,
                               what="learned proposer",
                               made_by="write one with `wordlens train-proposer`")
        bank = Bank(tuple(Hypothesis.from_dict(h) for h in meta["bank"]))
        s = meta.get("settings", {})
        obj = cls(bank, top_k=top_k or meta["top_k"], encoder=encoder,
                  template=meta["template"], **s)
        with np.load(arr_path, allow_pickle=False) as z:
            obj.hyp_emb_ = z["hyp_emb"]
            obj.params_ = {k: z[k] for k in ("M", "C", "Z", "Y", "log_scale")}
        if obj.hyp_emb_.shape[0] != len(bank):
            raise InputError(f"{arr_path}: {obj.hyp_emb_.shape[0]} hypothesis embeddings for a "
                             f"bank of {len(bank)}")
        obj.bank_ = bank
        obj.n_examples_ = meta.get("n_examples", 0)
        obj.trained_on_ = meta.get("trained_on", [])
        obj.loss_curve_ = [meta["final_loss"]] if meta.get("final_loss") is not None else []
        return obj


def _sketch_priors(hyps: Sequence[Hypothesis],
                   data: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Initial sketch weights: the hashed words of a keyword hypothesis; else the data-driven
    prior of ``data`` where it has the hypothesis; zero otherwise."""
    out = np.zeros((len(hyps), N_FEATURES), dtype=np.float32)
    for i, h in enumerate(hyps):
        if h.form and h.form.get("kind") == "keywords":
            out[i] = keyword_vector(list(h.form.get("words", [])))
        elif data is not None and h.key in data:
            out[i] = data[h.key]
    return out


def _init_params(dim: int, prior: np.ndarray) -> dict[str, Any]:
    import torch

    return {"M": torch.eye(dim, requires_grad=True), "C": torch.eye(dim, requires_grad=True),
            "Z": torch.zeros(prior.shape[0], dim, requires_grad=True),
            # small noise: the gradient of |z . y| vanishes at y = 0
            "Y": (torch.tensor(prior) + 0.01 * torch.randn(prior.shape)).requires_grad_(True),
            "log_scale": torch.tensor([np.log(20.0), np.log(5.0)], dtype=torch.float32,
                                      requires_grad=True)}


def _scores(p: dict[str, Any], e, d, z, xp):
    """Works on numpy arrays (inference) and torch tensors (training) alike."""
    u = e @ p["M"].T + p["Z"]
    v = d @ p["C"].T
    if xp is np:
        u = u / (np.linalg.norm(u, axis=1, keepdims=True) + 1e-8)
        v = v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-8)
    else:
        u = u / (u.norm(dim=1, keepdim=True) + 1e-8)
        v = v / (v.norm(dim=1, keepdim=True) + 1e-8)
    ls = p["log_scale"]
    return (xp.exp(ls[0]) * xp.sqrt((v @ u.T) ** 2 + 1e-6)
            + xp.exp(ls[1]) * xp.sqrt((z @ p["Y"].T) ** 2 + 1e-6))

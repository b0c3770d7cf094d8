"""Sparse-autoencoder candidates (after HypotheSAEs): a top-k sparse autoencoder on the texts'
sentence embeddings; each neuron is named offline (its most distinctive words, or the nearest
descriptions of the shipped bank) and kept only when the name's judgments reproduce the
neuron's activations.

Everything here is label-free: the autoencoder and the names see texts only, never the
classifier's predictions or gold labels, so the candidates can be built once on all texts
without leaking labels into cross-fitted numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..textutil import passages

#: a name survives when the Pearson correlation between its judgments and the neuron's
#: activations over all texts is at least this (the name then accounts for >= 25 % of the
#: neuron's variance)
MIN_AGREEMENT = 0.5
#: a neuron must fire on at least this many texts to be named at all
MIN_ACTIVE = 8
#: at most this many words in a keyword name
MAX_NAME_WORDS = 6
SOURCE = "sparse autoencoder"


@dataclass
class SaeReport:
    """What the autoencoder produced: neurons trained, named, kept (by kind of name)."""

    n_neurons: int = 0
    k_active: int = 0
    n_alive: int = 0
    n_kept: int = 0
    kept_by_name: dict[str, int] = field(default_factory=dict)
    min_agreement: float = MIN_AGREEMENT
    neurons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"n_neurons": self.n_neurons, "k_active": self.k_active,
                "n_alive": self.n_alive, "n_kept": self.n_kept,
                "kept_by_name": dict(self.kept_by_name), "min_agreement": self.min_agreement,
                "neurons": list(self.neurons)}


def text_embeddings(texts: Sequence[str], encoder: Any, passage_words: int = 60,
                    max_chars: int = 20_000) -> np.ndarray:
    """One unit vector per text: the mean of its passage embeddings (the passages the
    embedding judge reads, so the encoder's cache serves both)."""
    units, owner = [], []
    for i, t in enumerate(texts):
        parts = passages(t[:max_chars], passage_words)
        units += parts
        owner += [i] * len(parts)
    vecs = np.asarray(encoder.encode(units), dtype=np.float64)
    out = np.zeros((len(texts), vecs.shape[1]))
    np.add.at(out, np.asarray(owner), vecs)
    return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-12)


def sae_size(n_texts: int) -> tuple[int, int]:
    """(neurons, active per text): about one neuron per 10 texts (16..64), 4 active, so a
    neuron fires on ~40 texts on average — enough to name it."""
    return int(np.clip(n_texts // 10, 16, 64)), 4


def train_topk_sae(X: np.ndarray, n_neurons: int, k: int, *, steps: int = 400,
                   lr: float = 3e-3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train a top-k sparse autoencoder (PyTorch, full batch, Adam) on the rows of ``X``;
    returns the activations [N x n_neurons] (k non-negative values per row, the rest 0)
    and the unit decoder directions [n_neurons x d]."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: more threads only contend
    try:
        return _train(torch, X, n_neurons, k, steps, lr, seed)
    finally:
        torch.set_num_threads(threads)


def _train(torch: Any, X: np.ndarray, n_neurons: int, k: int, steps: int, lr: float,
           seed: int) -> tuple[np.ndarray, np.ndarray]:
    g = torch.Generator().manual_seed(seed)
    x = torch.as_tensor(X, dtype=torch.float32)
    d = x.shape[1]
    w_enc = torch.nn.Parameter(torch.randn(d, n_neurons, generator=g) / np.sqrt(d))
    w_dec = torch.nn.Parameter(w_enc.detach().T.clone())
    b_enc = torch.nn.Parameter(torch.zeros(n_neurons))
    b_pre = torch.nn.Parameter(x.mean(dim=0).clone())
    opt = torch.optim.Adam([w_enc, w_dec, b_enc, b_pre], lr=lr)

    def encode(inp):
        pre = torch.relu((inp - b_pre) @ w_enc + b_enc)
        top = torch.topk(pre, k, dim=1)
        return torch.zeros_like(pre).scatter(1, top.indices, top.values)

    for _ in range(steps):
        opt.zero_grad()
        z = encode(x)
        loss = ((z @ w_dec + b_pre - x) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():  # unit-norm decoder rows, as in top-k SAEs
            w_dec /= w_dec.norm(dim=1, keepdim=True) + 1e-8
    with torch.no_grad():
        return encode(x).numpy().astype(float), w_dec.detach().numpy().astype(float)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    den = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / den) if den > 0 else 0.0


def keyword_name(act: np.ndarray, presence: np.ndarray, terms: Sequence[str]
                 ) -> tuple[list[str], float]:
    """The words most distinctive of the texts the neuron fires on (smoothed log-odds of
    document frequency, active vs inactive texts), added one at a time while the
    correlation of "uses any of them" with the activations rises."""
    on = act > 0
    n_on, n_off = on.sum(), (~on).sum()
    df_on = presence[on].sum(axis=0)
    df_off = presence[~on].sum(axis=0)
    lo = np.log((df_on + 0.5) / (n_on - df_on + 0.5)) - np.log((df_off + 0.5)
                                                                / (n_off - df_off + 0.5))
    lo[df_on < 3] = -np.inf
    order = [i for i in np.argsort(-lo)[:4 * MAX_NAME_WORDS] if np.isfinite(lo[i])]
    chosen: list[int] = []
    best, hit = 0.0, np.zeros(len(act), dtype=bool)
    for i in order:
        trial = hit | presence[:, i].astype(bool)
        r = _corr(trial.astype(float), act)
        if r > best + 0.005:
            chosen, best, hit = chosen + [i], r, trial
        if len(chosen) >= MAX_NAME_WORDS:
            break
    return [terms[i] for i in chosen], best


def _presence(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    from sklearn.feature_extraction.text import CountVectorizer

    min_df = max(3, len(texts) // 100)
    vec = CountVectorizer(binary=True, stop_words="english", min_df=min_df, lowercase=True,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9']*[a-zA-Z0-9]\b")
    try:
        x = vec.fit_transform(list(texts))
    except ValueError:  # empty vocabulary
        return np.zeros((len(texts), 0)), []
    return x.toarray().astype(np.int8), list(vec.get_feature_names_out())


def sae_candidates(texts: Sequence[str], embeddings: np.ndarray, *,
                   bank: Sequence[Hypothesis] = (), bank_vectors: np.ndarray | None = None,
                   bank_judgments: np.ndarray | None = None, seed: int = 0
                   ) -> tuple[list[Hypothesis], SaeReport]:
    """Named, surviving neurons of a top-k SAE on ``embeddings`` [N x d].

    Each neuron gets a keyword name; with a bank (hypotheses, their unit embedding vectors
    [B x d] and their judgments [N x B] on ``texts``), also the best of the three bank
    descriptions nearest to its decoder direction. The name whose judgments correlate best
    with the activations is kept if that correlation reaches :data:`MIN_AGREEMENT`."""
    n = len(texts)
    m, k = sae_size(n)
    report = SaeReport(n_neurons=m, k_active=k)
    if n < 2 * MIN_ACTIVE:
        return [], report
    X = embeddings - embeddings.mean(axis=0)
    X = X / (np.linalg.norm(X, axis=1, keepdims=True) + 1e-12)
    acts, dirs = train_topk_sae(X, m, k, seed=seed)
    presence, terms = _presence(texts)
    bank = list(bank)
    out: list[Hypothesis] = []
    for j in range(m):
        a = acts[:, j]
        if (a > 0).sum() < MIN_ACTIVE or (a > 0).sum() > n - MIN_ACTIVE:
            continue
        report.n_alive += 1
        names = []
        words, r = keyword_name(a, presence, terms) if terms else ([], 0.0)
        if words:
            quoted = ", ".join(f"'{w}'" for w in words)
            names.append((r, "keywords", Hypothesis(
                f"uses words such as {quoted}", SOURCE, {"kind": "keywords", "words": words})))
        if bank and bank_vectors is not None and bank_judgments is not None:
            near = np.argsort(-(bank_vectors @ dirs[j]))[:3]
            for b in near:
                names.append((_corr(bank_judgments[:, b], a), "bank",
                              Hypothesis(bank[b].text, SOURCE)))
        if not names:
            continue
        r, kind, h = max(names, key=lambda t: t[0])
        survived = r >= MIN_AGREEMENT
        report.neurons.append({"neuron": j, "n_active": int((a > 0).sum()), "name": h.text,
                               "name_kind": kind, "agreement": round(r, 4),
                               "kept": survived})
        if survived:
            report.n_kept += 1
            report.kept_by_name[kind] = report.kept_by_name.get(kind, 0) + 1
            out.append(h)
    return out, report

"""Choosing hypotheses and measuring the surrogate honestly.

:func:`choose` mines label-dependent candidates on some texts, adds the label-free pool and
selects up to k hypotheses on those texts only; with a configured proposer, it first grows
the candidates by proposing from the selection's errors (:mod:`wordlens.explain.refine`).
:func:`cross_fitted_curve` runs the whole of :func:`choose` inside each fold of an outer
K-fold split and scores the held-out fold with surrogates of the first 1..k hypotheses, so
every number of the curve is out-of-sample with
respect to proposing, selecting and fitting. The final surrogate is chosen and fitted on all
texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..proposers.base import Proposer
from .candidates import Pool, fold_candidates
from .refine import refine
from .search import Selection, expand_phrase, select
from .surrogate import fit_logistic


class Judgments:
    """Judgment columns on all texts, judged once per hypothesis and remembered."""

    def __init__(self, judge: Judge, texts: list[str], pool: Pool | None = None):
        self.judge = judge
        self.texts = texts
        self.cols: dict[str, np.ndarray] = {}
        if pool is not None:
            for i, h in enumerate(pool.hypotheses):
                self.cols[h.key] = pool.judgments[:, i]

    def matrix(self, hyps: list[Hypothesis]) -> np.ndarray:
        new = as_hypotheses([h for h in hyps if h.key not in self.cols])
        if new:
            J = self.judge.judge(new, self.texts)
            for h, row in zip(new, J):
                self.cols[h.key] = row
        if not hyps:
            return np.zeros((len(self.texts), 0))
        return np.stack([self.cols[h.key] for h in hyps], axis=1)


@dataclass
class Choice:
    hypotheses: list[Hypothesis]
    selection: Selection
    n_candidates: int


def choose(idx: np.ndarray, y: np.ndarray, store: Judgments, pool: Pool | None, *,
           k: int, method: str, given: list[Hypothesis] | None = None,
           proposer: Proposer | None = None, encoder: Any = None, mine: bool = True,
           names: tuple[str, str] | None = None, lexicons: bool = True,
           seed: int = 0) -> Choice:
    """Hypotheses chosen on the texts ``idx`` (with 0/1 targets ``y[idx]``) only."""
    texts = [store.texts[i] for i in idx]
    if given is not None:
        cands = list(given)
    else:
        mined = fold_candidates(texts, y[idx], encoder=encoder, proposer=proposer,
                                names=names, lexicons=lexicons, seed=seed) if mine else []
        cands = as_hypotheses(list(pool.hypotheses if pool else []) + mined)
        if proposer is not None:
            cands = refine(cands, y[idx], texts, proposer,
                           lambda c: _selected(store, idx, y, c, k, method, seed), seed=seed)
    J = store.matrix(cands)[idx]
    sel = select(J, y[idx], cands, k=k, method=method, seed=seed)
    hyps = as_hypotheses([expand_phrase(h, texts) for h in sel.hypotheses])
    return Choice(hyps, sel, len(cands))


def _selected(store: Judgments, idx: np.ndarray, y: np.ndarray, cands: list[Hypothesis],
              k: int, method: str, seed: int) -> tuple[list[int], np.ndarray]:
    """Columns of ``cands`` that :func:`select` chooses on ``idx``, and their judgments."""
    J = store.matrix(cands)[idx]
    sel = select(J, y[idx], cands, k=k, method=method, seed=seed)
    pos = {h.key: i for i, h in enumerate(cands)}
    return [pos[h.key] for h in sel.hypotheses], J


def cross_fitted_curve(y: np.ndarray, store: Judgments, pool: Pool | None, *, k: int,
                       method: str, n_splits: int, seed: int,
                       log: Callable[[str], None] | None = None, **kw: Any) -> np.ndarray:
    """Out-of-fold P(y = 1) [N x k]: column m-1 from a surrogate of the first m hypotheses
    chosen and fitted without the text's fold (a fold that chose fewer than m hypotheses
    repeats its last column)."""
    n = len(y)
    out = np.tile(_loo_share(y)[:, None], (1, k))
    counts = np.bincount(y, minlength=2)
    folds = int(min(n_splits, counts.min()))
    if folds < 2:
        return out
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for f, (tr, te) in enumerate(splitter.split(np.zeros(n), y)):
        if log:
            log(f"cross-fitting: fold {f + 1} of {folds}")
        ch = choose(tr, y, store, pool, k=k, method=method, seed=seed, **kw)
        J = store.matrix(ch.hypotheses)
        for m in range(1, k + 1):
            use = min(m, J.shape[1])
            if use == 0:
                out[te, m - 1] = y[tr].mean()
                continue
            w, b = fit_logistic(J[tr][:, :use], y[tr])
            out[te, m - 1] = 1.0 / (1.0 + np.exp(-np.clip(J[te][:, :use] @ w + b, -500, 500)))
    return out


def flattens_at(values: list[float | None], n: int) -> int | None:
    """Smallest number of hypotheses whose value (an accuracy or fidelity on ``n`` texts) is
    within one binomial standard error of the best value (the one-standard-error rule)."""
    vals = [v for v in values if v is not None]
    if not vals or n < 1:
        return None
    best = max(vals)
    se = float(np.sqrt(max(best * (1 - best), 1e-12) / n))
    for i, v in enumerate(values):
        if v is not None and v >= best - se:
            return i + 1
    return None


def _loo_share(y: np.ndarray) -> np.ndarray:
    n = len(y)
    return (y.sum() - y) / max(n - 1, 1)

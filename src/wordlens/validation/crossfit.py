"""The student of amortized verification as it is fitted on this run's teacher labels: cheap
features per (hypothesis, text), stacked into a small logistic regression per hypothesis, fitted
on folds of the labels so that every label both trains the student and corrects it
(cross-prediction, Zrnic & Candes 2024)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..stats import sigmoid

_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset("this that text with about from there their have more than rather uses "
                  "using word words related mentions refers written style other".split())


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.01, 0.99)
    return np.log(p / (1 - p))


def lexical_overlap(hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
    """[H x N] share of a hypothesis' content words (their first five letters) in a text."""
    stems = [{w[:5] for w in _WORD.findall(h.text.lower()) if w not in _STOP}
             for h in hypotheses]
    bags = [{w[:5] for w in _WORD.findall(t.lower())} for t in texts]
    out = np.zeros((len(stems), len(bags)))
    for i, s in enumerate(stems):
        if s:
            out[i] = [len(s & b) / len(s) for b in bags]
    return out


def student_features(base: Judge, hypotheses: Sequence[Hypothesis], texts: Sequence[str],
                     stacked: bool = True) -> np.ndarray:
    """[H x N x d] features: the base student's logit; with ``stacked`` also the embedding
    similarity of text and hypothesis (all-MiniLM-L6-v2) and the lexical overlap (share, and
    whether any). Every feature means the same for every hypothesis, so one model can be
    fitted on the labels of all of them."""
    hyps, texts = list(hypotheses), list(texts)
    cols = [_logit(base.judge(hyps, texts))]
    if stacked:
        from ..encoders import default_encoder

        enc = default_encoder()
        t = np.asarray(enc.encode(texts), float)
        h = np.asarray(enc.encode([f"This text {x.text}." for x in hyps]), float)
        cols.append(h @ t.T)
        lex = lexical_overlap(hyps, texts)
        cols += [lex, (lex > 0).astype(float)]
    return np.stack(cols, axis=-1)


def fit_predict(x_train: np.ndarray, y_train: np.ndarray, x_pred: np.ndarray,
                c: float = 1.0, iterations: int = 25, logit: bool = False) -> np.ndarray:
    """Probabilities from an L2-penalised logistic regression (objective
    ``||w||^2 / 2 + c * sum(log-loss)``, as scikit-learn's ``C``; the intercept is not
    penalised) of (soft) teacher labels on standardised features, by Newton's method: a few
    dozen labels and a handful of features, fitted hundreds of times per run, where
    scikit-learn's per-fit overhead would dominate. The smoothed label mean when the labels
    hold fewer than 4 texts or one value only. ``logit``: the log-odds instead."""
    y = np.asarray(y_train, float)
    prior = (y.sum() + 0.5) / (y.size + 1.0)
    if y.size < 4 or np.ptp(y) < 1e-9:
        const = np.log(prior / (1 - prior)) if logit else prior
        return np.full(len(x_pred), const)
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0) + 1e-6
    xt = np.column_stack([np.ones(y.size), (x_train - mu) / sd])
    xp = np.column_stack([np.ones(len(x_pred)), (x_pred - mu) / sd])
    pen = np.full(xt.shape[1], 1.0 / c)
    pen[0] = 1e-6
    w = np.zeros(xt.shape[1])
    w[0] = np.log(prior / (1 - prior))
    for _ in range(iterations):
        p = sigmoid(xt @ w)
        grad = xt.T @ (p - y) + pen * w
        hess = (xt * (p * (1 - p))[:, None]).T @ xt + np.diag(pen)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return xp @ w if logit else sigmoid(xp @ w)

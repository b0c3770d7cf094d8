"""Search for hypotheses that separate what a classifier predicts: propose on predicted-positive
vs predicted-negative texts, judge, then select a small set (forward selection by cross-fitted
surrogate accuracy, or L1-regularised logistic regression)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..errors import InputError
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..proposers.base import Proposer
from ..textutil import token_set
from .surrogate import cross_fit_proba, fit_logistic

SELECTIONS = ("forward", "l1")
#: candidates tried by cross-validation at each forward step (the best by score test)
BEAM = 30


@dataclass
class Selection:
    """Hypotheses chosen, in order, and the cross-validated fidelity after each was added
    (measured on the texts used for selection)."""

    hypotheses: list[Hypothesis]
    fidelity_trace: list[float]
    n_candidates: int
    method: str


def propose_for_predictions(texts: Sequence[str], pred: np.ndarray, proposer: Proposer, *,
                            goal: str | None = None, seed: int = 0) -> list[Hypothesis]:
    """Candidates from the proposer, with predicted-positive texts as A and predicted-negative
    texts as B."""
    pred = np.asarray(pred).astype(int)
    a = [t for t, f in zip(texts, pred) if f == 1]
    b = [t for t, f in zip(texts, pred) if f == 0]
    if len(a) < 2 or len(b) < 2:
        raise InputError(f"the classifier predicts the explained class for {len(a)} and another "
                         f"class for {len(b)} of the proposal texts; need at least 2 of each")
    return as_hypotheses(proposer.propose(a, b, goal, seed=seed))


def select(J: np.ndarray, target: np.ndarray, hypotheses: Sequence[Hypothesis], *,
           k: int = 5, method: str = "forward", n_splits: int = 3, seed: int = 0) -> Selection:
    """Pick at most ``k`` hypotheses (columns of ``J`` [N x H]) that predict ``target``."""
    if method not in SELECTIONS:
        raise InputError(f"selection: unknown method {method!r}; choose from "
                         f"{', '.join(SELECTIONS)}")
    hyps = list(hypotheses)
    if not hyps:
        return Selection([], [], 0, method)
    y = np.asarray(target).astype(int)
    order = _forward(J, y, k, n_splits, seed) if method == "forward" else _l1_path(J, y, k)
    trace = [_cv_fidelity(J[:, order[: i + 1]], y, n_splits, seed)[0]
             for i in range(len(order))]
    return Selection([hyps[i] for i in order], trace, len(hyps), method)


def _cv_fidelity(J: np.ndarray, y: np.ndarray, n_splits: int, seed: int) -> tuple[float, float]:
    p = cross_fit_proba(J, y, n_splits=n_splits, seed=seed)
    fid = float(np.mean((p >= 0.5) == (y == 1)))
    eps = 1e-6
    ll = float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
    return fid, ll


def _forward(J: np.ndarray, y: np.ndarray, k: int, n_splits: int, seed: int,
             beam: int = BEAM) -> list[int]:
    """Greedy forward selection: add the hypothesis that most raises cross-validated
    accuracy (ties broken by cross-validated log-loss). Each step tries the ``beam``
    candidates most correlated with the residual of the current in-sample fit (a score
    test), so hundreds of candidates cost little."""
    usable = np.flatnonzero(np.ptp(J, axis=0) > 0) if J.shape[0] else np.zeros(0, int)
    if usable.size == 0:
        return []
    Z = J[:, usable] - J[:, usable].mean(axis=0)
    Z /= np.linalg.norm(Z, axis=0) + 1e-12
    chosen: list[int] = []
    p = np.full(len(y), y.mean())
    for _ in range(min(k, usable.size)):
        score = np.abs(Z.T @ (y - p))
        score[[int(np.flatnonzero(usable == c)[0]) for c in chosen]] = -np.inf
        tries = [int(usable[i]) for i in np.argsort(-score)[:beam] if np.isfinite(score[i])]
        best, best_key = -1, None
        for j in tries:
            fid, ll = _cv_fidelity(J[:, chosen + [j]], y, n_splits, seed)
            key = (round(fid, 6), -ll)
            if best_key is None or key > best_key:
                best, best_key = j, key
        if best < 0:
            break
        chosen.append(best)
        w, b = fit_logistic(J[:, chosen], y)
        p = 1.0 / (1.0 + np.exp(-np.clip(J[:, chosen] @ w + b, -500, 500)))
    return chosen


def _forward_step(J: np.ndarray, y: np.ndarray, chosen: list[int], n_splits: int,
                  seed: int) -> int:
    """The column whose addition to ``chosen`` most raises fidelity (-1: none can)."""
    best, best_key = -1, None
    for j in range(J.shape[1]):
        if j in chosen or np.ptp(J[:, j]) == 0:
            continue
        fid, ll = _cv_fidelity(J[:, chosen + [j]], y, n_splits, seed)
        key = (round(fid, 6), -ll)
        if best_key is None or key > best_key:
            best, best_key = j, key
    return best


def _l1_path(J: np.ndarray, y: np.ndarray, k: int) -> list[int]:
    """Hypotheses in the order they enter an L1-regularised logistic regression path."""
    Z = (J - J.mean(axis=0)) / (J.std(axis=0) + 1e-9)
    order: list[int] = []
    for C in np.logspace(-3, 1, 30):
        m = _l1_model(C).fit(Z, y)
        active = np.flatnonzero(np.abs(m.coef_[0]) > 1e-8)
        for j in sorted(active, key=lambda j: -abs(m.coef_[0, j])):
            if j not in order:
                order.append(int(j))
        if len(order) >= k:
            break
    return order[:k]


def _l1_model(C: float) -> LogisticRegression:
    import sklearn

    major, minor = (int(x) for x in sklearn.__version__.split(".")[:2])
    if (major, minor) >= (1, 8):  # `penalty` is deprecated from 1.8 on
        return LogisticRegression(l1_ratio=1.0, C=C, solver="liblinear", max_iter=2000)
    return LogisticRegression(penalty="l1", C=C, solver="liblinear", max_iter=2000)


def expand_phrase(h: Hypothesis, texts: Sequence[str], *, min_share: float = 0.95,
                  min_count: int = 3) -> Hypothesis:
    """A keyword hypothesis becomes the longest multi-word phrase (up to three words,
    containing one of its keywords) found in at least ``min_share`` of the texts it holds
    for ('verified' -> 'verified purchase'; 'purchase, verified, ...' -> 'verified
    purchase'). Returns ``h`` unchanged when no phrase is that frequent, or for other hypotheses."""
    form = h.form or {}
    words = [w.lower() for w in form.get("words", [])]
    if form.get("kind") != "keywords" or not words:
        return h
    vocab = set(words)
    sets = [token_set(t) for t in texts]
    hits = [s for s in sets if not vocab.isdisjoint(s)]
    if len(hits) < min_count:
        return h
    counts: Counter[str] = Counter()
    for s in hits:
        counts.update(g for g in s if g in vocab or not vocab.isdisjoint(g.split()))
    phrases = [g for g, c in counts.items() if " " in g and c >= min_share * len(hits)]
    if not phrases:
        return h
    best = max(phrases, key=lambda g: (len(g.split()), counts[g], g))
    if words == [best]:
        return h
    return Hypothesis(f"uses the phrase '{best}'", h.source, {"kind": "keywords",
                                                             "words": [best]})


def judge_columns(judge: Judge, hypotheses: Sequence[Hypothesis], texts: Sequence[str]
                  ) -> np.ndarray:
    """Judgment matrix [N x H] (texts in rows, as estimators expect)."""
    if not hypotheses:
        return np.zeros((len(texts), 0))
    return judge.judge(list(hypotheses), list(texts)).T

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


def lexical_overlap(hypotheses: Sequence[Hypothesis], texts: Sequence[str],
                    stop: bool = True) -> np.ndarray:
    """[H x N] share of a hypothesis' content words (their first five letters) in a text;
    ``stop=False``: of all its words of four letters or more, function words included."""
    stems = [{w[:5] for w in _WORD.findall(h.text.lower()) if not stop or w not in _STOP}
             for h in hypotheses]
    bags = [{w[:5] for w in _WORD.findall(t.lower())} for t in texts]
    out = np.zeros((len(stems), len(bags)))
    for i, s in enumerate(stems):
        if s:
            out[i] = [len(s & b) / len(s) for b in bags]
    return out


#: word-length classes of :func:`word_presence` (4 letters, 5-6, 7 or more)
_LENGTHS = ((4, 4), (5, 6), (7, 99))
_ANY_WORD = re.compile(r"[a-z]+")


def word_presence(hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
    """[H x N x 6] whether a text contains any of a hypothesis' words of each length class
    (4 letters, 5-6, 7 or more; function words included), once as a whole word and once
    anywhere inside the text (a substring: "great" in "greatly"). Which classes matter is
    learned from the teacher's labels, pooled over hypotheses."""
    lows = [t.lower() for t in texts]
    bags = [set(_ANY_WORD.findall(t)) for t in lows]
    out = np.zeros((len(hypotheses), len(lows), 2 * len(_LENGTHS)))
    for i, h in enumerate(hypotheses):
        words = set(_ANY_WORD.findall(h.text.lower()))
        for k, (lo, hi) in enumerate(_LENGTHS):
            cls = [w for w in words if lo <= len(w) <= hi]
            if not cls:
                continue
            out[i, :, k] = [any(w in b for w in cls) for b in bags]
            out[i, :, len(_LENGTHS) + k] = [any(w in t for w in cls) for t in lows]
    return out


def student_features(base: Judge, hypotheses: Sequence[Hypothesis], texts: Sequence[str],
                     stacked: bool = True) -> np.ndarray:
    """[H x N x d] features: the base student's logit; with ``stacked`` also the embedding
    similarity of text and hypothesis (all-MiniLM-L6-v2), the lexical overlap of its content
    words (share, and whether any), whether any of its words, function words included,
    occurs, and :func:`word_presence`. Every feature means the same for every hypothesis, so
    one model can be fitted on the labels of all of them (with per-hypothesis deviations,
    :func:`fit_predict_grouped`)."""
    hyps, texts = list(hypotheses), list(texts)
    cols = [_logit(base.judge(hyps, texts))]
    if stacked:
        from ..encoders import default_encoder

        enc = default_encoder()
        t = np.asarray(enc.encode(texts), float)
        h = np.asarray(enc.encode([f"This text {x.text}." for x in hyps]), float)
        cols.append(h @ t.T)
        lex = lexical_overlap(hyps, texts)
        cols += [lex, (lex > 0).astype(float),
                 (lexical_overlap(hyps, texts, stop=False) > 0).astype(float)]
        return np.concatenate([np.stack(cols, axis=-1), word_presence(hyps, texts)], axis=-1)
    return np.stack(cols, axis=-1)


def fit_predict(x_train: np.ndarray, y_train: np.ndarray, x_pred: np.ndarray,
                c: float = 1.0, logit: bool = False) -> np.ndarray:
    """Probabilities (``logit``: log-odds) from scikit-learn's L2 logistic regression of
    (soft) teacher labels on standardised features; each text enters as "yes" with weight
    y and "no" with weight 1 - y. The smoothed label mean when the labels hold fewer than 4
    texts or one value only."""
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y_train, float)
    prior = (y.sum() + 0.5) / (y.size + 1.0)
    if y.size < 4 or np.ptp(y) < 1e-9:
        const = np.log(prior / (1 - prior)) if logit else prior
        return np.full(len(x_pred), const)
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd = np.where(sd > 1e-6, sd, np.inf)  # a feature constant on the labels is left out
    xt, xp = (x_train - mu) / sd, (x_pred - mu) / sd
    xx = np.concatenate([xt, xt])
    yy = np.concatenate([np.ones(y.size), np.zeros(y.size)])
    ww = np.concatenate([y, 1 - y])
    keep = ww > 0
    model = LogisticRegression(C=c, max_iter=500).fit(xx[keep], yy[keep], ww[keep])
    z = model.decision_function(xp)
    return z if logit else sigmoid(z)


def fit_predict_grouped(x_train: np.ndarray, y_train: np.ndarray, g_train: np.ndarray,
                        x_pred: np.ndarray, g_pred: np.ndarray, n_groups: int,
                        c: float = 1.0) -> np.ndarray:
    """Log-odds from one L2 logistic regression of (soft) teacher labels on standardised
    features shared by every group (hypothesis) *plus* a per-group intercept and per-group
    slopes (the features times the group's indicator), all with the same ridge penalty: a
    hypothesis with few labels follows the pooled model, one whose labels disagree with it
    gets its own slopes (a ridge-shrunk hierarchical model). ``g_*``: group per row."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y_train, float)
    prior = (y.sum() + 0.5) / (y.size + 1.0)
    if y.size < 4 or np.ptp(y) < 1e-9:
        return np.full(len(x_pred), np.log(prior / (1 - prior)))
    mu, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd = np.where(sd > 1e-6, sd, np.inf)

    def design(x: np.ndarray, g: np.ndarray):
        z = (x - mu) / sd
        n, d = z.shape
        rows = np.repeat(np.arange(n), d + 1)
        cols = (g[:, None] * (d + 1) + np.arange(d + 1)[None]).ravel()
        vals = np.concatenate([np.ones((n, 1)), z], axis=1).ravel()
        own = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n_groups * (d + 1)))
        return sparse.hstack([sparse.csr_matrix(z), own]).tocsr()

    xt = design(x_train, np.asarray(g_train))
    xx = sparse.vstack([xt, xt]).tocsr()
    yy = np.concatenate([np.ones(y.size), np.zeros(y.size)])
    ww = np.concatenate([y, 1 - y])
    keep = ww > 0
    model = LogisticRegression(C=c, max_iter=1000).fit(xx[keep], yy[keep], ww[keep])
    return model.decision_function(design(x_pred, np.asarray(g_pred)))


#: inverse ridge penalties :func:`choose_ridge_c` chooses from
RIDGE_GRID = (1.0, 10.0, 100.0)


def choose_ridge_c(x: np.ndarray, y: np.ndarray, g: np.ndarray, n_groups: int,
                   grid: Sequence[float] = RIDGE_GRID, folds: int = 2,
                   seed: int = 0) -> float:
    """The inverse ridge penalty of :func:`fit_predict_grouped` whose out-of-fold predictions
    of these labels have the smallest squared error (what the PPI interval's width depends
    on), by ``folds``-fold cross-validation *inside* these labels. A student that reproduces
    the teacher gets a light penalty (sharp predictions, small residuals), a weak one a heavy
    penalty. Ties and too few labels: the first (heaviest) value."""
    y = np.asarray(y, float)
    if y.size < 4 * folds or np.ptp(y) < 1e-9:
        return float(grid[0])
    fold = np.random.default_rng([seed, 0x5C]).permutation(y.size) % folds
    errors = []
    for c in grid:
        err = 0.0
        for k in range(folds):
            tr, te = fold != k, fold == k
            p = sigmoid(fit_predict_grouped(x[tr], y[tr], g[tr], x[te], g[te], n_groups, c=c))
            err += float(np.sum((y[te] - p) ** 2))
        errors.append(err)
    return float(grid[int(np.argmin(errors))])

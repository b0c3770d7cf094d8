"""`HypothesisClassifier`: a classifier whose only features are hypothesis judgments, and
cross-fitted (out-of-sample) surrogate scores."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ..errors import InputError, NotFittedError
from ..hypothesis import Hypothesis, as_hypotheses
from ..judges.base import Judge
from ..result import write_atomic

SCHEMA = "wordlens.hypothesis_classifier/1"


class HypothesisClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on the judgments of a few natural-language hypotheses.

    Parameters
    ----------
    hypotheses:
        Hypotheses (or strings); feature j of a text is the judge's probability that
        hypothesis j holds for it.
    judge:
        A :class:`~wordlens.judges.base.Judge`, or a judge spec such as ``"offline"``
        (default). A spec is stored when saving; a Judge object is stored by its spec
        ``judge_spec``.
    C:
        Inverse L2 regularisation strength of the logistic regression.
    judge_spec:
        Spec used to rebuild the judge after :meth:`load` when ``judge`` is an object.

    ``X`` is a list of texts; :meth:`fit_judgments` / :meth:`predict_proba_judgments` take a
    precomputed judgment matrix [N x H] instead.
    """

    def __init__(self, hypotheses: Sequence[Any] = (), judge: Judge | str | None = None, *,
                 C: float = 1.0, judge_spec: str = "offline"):
        self.hypotheses = hypotheses
        self.judge = judge
        self.C = C
        self.judge_spec = judge_spec

    # -- judgments ---------------------------------------------------------------------------
    def _judge(self) -> Judge:
        if isinstance(self.judge, Judge):
            return self.judge
        if getattr(self, "_judge_obj", None) is None:
            from ..registry import make_judge

            self._judge_obj = make_judge(self.judge or self.judge_spec)
        return self._judge_obj

    def judgments(self, X: Sequence[str]) -> np.ndarray:
        """Judgment matrix [N x H] of the hypotheses on the texts ``X``."""
        texts = _texts(X)
        hyps = as_hypotheses(self.hypotheses)
        if not hyps:
            raise InputError("HypothesisClassifier: no hypotheses given")
        return self._judge().judge(hyps, texts).T

    # -- estimator API -----------------------------------------------------------------------
    def fit(self, X: Sequence[str], y: Any) -> HypothesisClassifier:
        return self.fit_judgments(self.judgments(X), y)

    def fit_judgments(self, J: np.ndarray, y: Any) -> HypothesisClassifier:
        J = _check_matrix(J, len(as_hypotheses(self.hypotheses)))
        y = np.asarray(y)
        if len(y) != J.shape[0]:
            raise InputError(f"HypothesisClassifier: {len(y)} labels for {J.shape[0]} texts")
        self.hypotheses_ = as_hypotheses(self.hypotheses)
        self.classes_ = np.unique(y)
        self.n_features_in_ = J.shape[1]
        if len(self.classes_) < 2:
            self.model_ = None  # a constant predictor: only one class was seen
        else:
            self.model_ = LogisticRegression(C=self.C, max_iter=2000).fit(J, y)
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.predict_proba_judgments(self.judgments(X))

    def predict_proba_judgments(self, J: np.ndarray) -> np.ndarray:
        self._check_fitted()
        J = _check_matrix(J, self.n_features_in_)
        if self.model_ is None:
            return np.ones((J.shape[0], 1))
        return self.model_.predict_proba(J)

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.predict_judgments(self.judgments(X))

    def predict_judgments(self, J: np.ndarray) -> np.ndarray:
        proba = self.predict_proba_judgments(J)  # first: it raises NotFittedError if unfitted
        return self.classes_[np.argmax(proba, axis=1)]

    # -- reading, saving ---------------------------------------------------------------------
    def weights(self) -> list[dict[str, Any]]:
        """One row per hypothesis: its text and logistic-regression weight(s)."""
        self._check_fitted()
        if self.model_ is None:
            return [{"hypothesis": h.text, "weight": 0.0} for h in self.hypotheses_]
        coef = self.model_.coef_
        rows = []
        for j, h in enumerate(self.hypotheses_):
            if coef.shape[0] == 1:
                rows.append({"hypothesis": h.text, "weight": round(float(coef[0, j]), 4)})
            else:
                rows.append({"hypothesis": h.text, "weight": {
                    str(c): round(float(coef[k, j]), 4) for k, c in enumerate(self.classes_)}})
        return rows

    def describe(self) -> str:
        """The model in words: which hypotheses push towards which class, and how much."""
        self._check_fitted()
        if self.model_ is None:
            return f"always predicts {_plain(self.classes_[0])!r} (only one class was seen in fit)"
        coef, b = self.model_.coef_, self.model_.intercept_
        if coef.shape[0] == 1:
            pos = _plain(self.classes_[1])
            lines = [f"P(class = {pos!r}) = sigmoid({b[0]:+.2f}"
                     + "".join(f" {w:+.2f}*[h{j + 1}]" for j, w in enumerate(coef[0])) + ")",
                     "where [hj] = judged probability that the text ...:"]
            for j, h in enumerate(self.hypotheses_):
                side = "towards" if coef[0, j] >= 0 else "away from"
                lines.append(f"  h{j + 1}: {h.text}  (weight {coef[0, j]:+.2f}: pushes "
                             f"{side} {pos!r})")
            return "\n".join(lines)
        lines = ["softmax over classes of (intercept + sum_j weight[class, j] * [hj]), "
                 "where [hj] = judged probability that the text ...:"]
        for j, h in enumerate(self.hypotheses_):
            k = int(np.argmax(coef[:, j]))
            lines.append(f"  h{j + 1}: {h.text}  (most for class {_plain(self.classes_[k])!r}, "
                         f"weight {coef[k, j]:+.2f})")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        spec = self.judge if isinstance(self.judge, str) else self.judge_spec
        return {"schema": SCHEMA, "hypotheses": [h.to_dict() for h in self.hypotheses_],
                "judge_spec": spec, "C": self.C,
                "classes": [_plain(c) for c in self.classes_],
                "coef": None if self.model_ is None else self.model_.coef_.tolist(),
                "intercept": None if self.model_ is None else self.model_.intercept_.tolist()}

    def save(self, path: str | Path) -> Path:
        return write_atomic(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path, judge: Judge | None = None) -> HypothesisClassifier:
        """A surrogate saved by :meth:`save` (``wordlens explain --save-surrogate``)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read a saved surrogate ({exc})") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            schema = data.get("schema") if isinstance(data, dict) else None
            raise InputError(f"{path}: not a saved surrogate (schema {schema!r}; expected "
                             f"{SCHEMA!r}, as written by explain --save-surrogate)")
        try:
            return cls._from_saved(data, judge)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: damaged saved surrogate ({type(exc).__name__}: "
                             f"{exc})") from None

    @classmethod
    def _from_saved(cls, data: dict[str, Any], judge: Judge | None) -> HypothesisClassifier:
        hyps = [Hypothesis.from_dict(h) for h in data["hypotheses"]]
        if not hyps:
            raise ValueError("no hypotheses")
        est = cls(hyps, judge if judge is not None else str(data["judge_spec"]),
                  C=float(data["C"]), judge_spec=str(data["judge_spec"]))
        est.hypotheses_ = hyps
        est.classes_ = np.asarray(data["classes"])
        est.n_features_in_ = len(hyps)
        if data["coef"] is None:
            est.model_ = None
            return est
        coef = np.asarray(data["coef"], dtype=float)
        intercept = np.asarray(data["intercept"], dtype=float)
        rows = 1 if len(est.classes_) == 2 else len(est.classes_)
        if coef.shape != (rows, len(hyps)) or intercept.shape != (rows,):
            raise ValueError(f"coef of shape {coef.shape} for {len(hyps)} hypotheses and "
                             f"{len(est.classes_)} classes")
        m = LogisticRegression(C=est.C)
        m.classes_ = est.classes_
        m.coef_ = coef
        m.intercept_ = intercept
        m.n_features_in_ = len(hyps)
        est.model_ = m
        return est

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise NotFittedError("HypothesisClassifier is not fitted yet; call fit first")


def load_surrogate(path: str | Path, judge: Judge | None = None) -> HypothesisClassifier:
    """Load a surrogate saved by ``wordlens explain --save-surrogate``; ``.predict(texts)``
    and ``.predict_proba(texts)`` then apply it to new texts (the saved judge spec is used
    unless ``judge`` is given)."""
    return HypothesisClassifier.load(path, judge)


def cross_fit_proba(J: np.ndarray, target: np.ndarray, *, n_splits: int = 5, C: float = 1.0,
                    seed: int = 0) -> np.ndarray:
    """Out-of-fold P(target = 1) from a logistic regression on judgments ``J`` [N x H]:
    each text is scored by a model fitted without it (stratified K-fold)."""
    J = np.asarray(J, dtype=float)
    y = np.asarray(target).astype(int)
    n = len(y)
    out = np.full(n, y.mean() if n else 0.5)
    counts = np.bincount(y, minlength=2)
    k = int(min(n_splits, counts.min()))
    if k < 2 or J.shape[1] == 0:
        return _constant_oof(y) if n > 1 else out
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for tr, te in folds.split(J, y):
        if len(np.unique(y[tr])) < 2:
            out[te] = y[tr].mean()
            continue
        w, b = fit_logistic(J[tr], y[tr], C=C)
        out[te] = _sigmoid(J[te] @ w + b)
    return out


def fit_logistic(X: np.ndarray, y: np.ndarray, *, C: float = 1.0, max_iter: int = 50,
                 tol: float = 1e-8) -> tuple[np.ndarray, float]:
    """Binary logistic regression with scikit-learn's L2 objective
    (0.5 * |w|^2 + C * log-loss sum, intercept not penalised), solved by Newton's method;
    fast for the few features a surrogate has."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    Z = np.hstack([X, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    reg = np.ones(d + 1) / C
    reg[-1] = 0.0
    for _ in range(max_iter):
        p = _sigmoid(Z @ theta)
        grad = Z.T @ (p - y) + reg * theta
        hess = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.max(np.abs(step)) < tol:
            break
    return theta[:-1], float(theta[-1])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def _constant_oof(y: np.ndarray) -> np.ndarray:
    """Leave-one-out share of positives: the out-of-sample score of a model with no features."""
    n = len(y)
    return (y.sum() - y) / max(n - 1, 1)


def _texts(X: Any) -> list[str]:
    if isinstance(X, str):
        raise InputError("HypothesisClassifier: X must be a list of texts, not one string")
    if hasattr(X, "tolist"):
        X = X.tolist()
    texts = list(X)
    if texts and not all(isinstance(t, str) for t in texts):
        raise InputError("HypothesisClassifier: X must be a list of texts (str); use "
                         "fit_judgments for a judgment matrix")
    return texts


def _check_matrix(J: Any, n_hyp: int) -> np.ndarray:
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or J.shape[1] != n_hyp:
        raise InputError(f"HypothesisClassifier: expected a judgment matrix [N x {n_hyp}], got "
                         f"shape {J.shape}")
    return J


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v

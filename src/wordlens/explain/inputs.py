"""What `explain` reads: texts, a classifier's predictions (labels or scores) and, where known,
gold labels — from a file, from arrays, from a scikit-learn-style model or from a callable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import as_corpus
from ..errors import InputError


@dataclass(frozen=True)
class ExplainInputs:
    """Texts with the classifier's decisions and (optionally) gold labels.

    ``predictions`` are class labels (one per text); ``scores`` is the classifier's
    probability of ``positive`` when it gave one (binary only); ``labels`` are gold labels or
    None. ``classes`` lists every class seen, sorted; ``positive`` is the class explained
    in the binary case.
    """

    texts: list[str]
    predictions: np.ndarray
    labels: np.ndarray | None = None
    scores: np.ndarray | None = None
    classes: list[Any] = field(default_factory=list)
    positive: Any = None
    source: str = "python"

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def is_binary(self) -> bool:
        return len(self.classes) <= 2

    def one_vs_rest(self, cls: Any) -> ExplainInputs:
        """The binary problem 'class ``cls``' vs 'any other class'."""
        pred = (self.predictions == cls).astype(int)
        gold = None if self.labels is None else (self.labels == cls).astype(int)
        scores = self.scores if (self.is_binary and cls == self.positive) else None
        return ExplainInputs(self.texts, pred, gold, scores, [0, 1], 1, self.source)

    def binary(self) -> ExplainInputs:
        """0/1 predictions and labels, 1 = ``positive`` (binary inputs only)."""
        if not self.is_binary:
            raise InputError(f"{self.source}: {len(self.classes)} classes; use one_vs_rest")
        return self.one_vs_rest(self.positive)

    def subset(self, idx: Sequence[int] | np.ndarray) -> ExplainInputs:
        idx = np.asarray(idx, dtype=int)
        return ExplainInputs([self.texts[i] for i in idx], self.predictions[idx],
                             None if self.labels is None else self.labels[idx],
                             None if self.scores is None else self.scores[idx],
                             self.classes, self.positive, self.source)


def make_inputs(texts: Sequence[str], predictions: Any, labels: Any = None, *,
                positive: Any = None, source: str = "python") -> ExplainInputs:
    """Normalise predictions given as labels, as scores of the positive class (floats in
    [0, 1], thresholded at 0.5), or as an [N x C] probability matrix (argmax)."""
    texts = [str(t) for t in texts]
    _check_kinds(predictions, "predictions", source)
    if labels is not None:
        _check_kinds(labels, "gold labels", source)
    raw = _as_array(predictions, "predictions")
    if len(raw) != len(texts):
        raise InputError(f"{source}: {len(raw)} predictions for {len(texts)} texts")
    gold = None if labels is None else _as_array(labels, "labels")
    if gold is not None and len(gold) != len(texts):
        raise InputError(f"{source}: {len(gold)} gold labels for {len(texts)} texts")
    if len(texts) == 0:
        raise InputError(f"{source}: no texts to explain")
    gold = None if gold is None else _plain_labels(gold)
    scores = None
    if raw.ndim == 2:
        if raw.shape[1] == 1:
            raw = raw[:, 0]
        else:
            classes = _classes_for_matrix(raw.shape[1], gold)
            pred = np.asarray([classes[i] for i in raw.argmax(axis=1)], dtype=object)
            if raw.shape[1] == 2:
                scores = raw[:, 1].astype(float)
            return _finish(texts, pred, gold, scores, positive, source)
    if _is_score_vector(raw):
        scores = raw.astype(float)
        if positive is None and gold is not None:
            classes = sorted(set(gold.tolist()), key=_sort_key)
            positive = classes[-1] if classes else 1
        pos = 1 if positive is None else positive
        neg = _other_class(gold, pos)
        pred = np.asarray([pos if s >= 0.5 else neg for s in scores], dtype=object)
        return _finish(texts, pred, gold, scores, pos, source)
    return _finish(texts, _plain_labels(raw), gold, None, positive, source)


def from_model(texts: Sequence[str], model: Any, labels: Any = None, *, positive: Any = None,
               ) -> ExplainInputs:
    """Predictions of a scikit-learn-style model (``predict_proba`` preferred, else
    ``predict``) or of a callable ``f(list_of_texts) -> labels or scores``."""
    texts = [str(t) for t in texts]
    if hasattr(model, "predict_proba"):
        proba = np.asarray(model.predict_proba(texts), dtype=float)
        classes = list(getattr(model, "classes_", range(proba.shape[1])))
        pred = np.asarray([classes[i] for i in proba.argmax(axis=1)], dtype=object)
        scores = None
        if proba.shape[1] == 2:
            pos = classes[1] if positive is None else positive
            scores = proba[:, classes.index(pos)] if pos in classes else proba[:, 1]
            positive = pos
        gold = None if labels is None else _plain_labels(_as_array(labels, "labels"))
        return _finish(texts, _plain_labels(pred), gold, scores, positive, "model")
    if hasattr(model, "predict"):
        return make_inputs(texts, model.predict(texts), labels, positive=positive,
                           source="model")
    if callable(model):
        return make_inputs(texts, model(texts), labels, positive=positive, source="callable")
    raise InputError(f"model: expected an object with predict/predict_proba or a callable, "
                     f"got {type(model).__name__}")


def load_inputs(path: str | Path, *, text_field: str | None = None,
                prediction_field: str = "prediction", label_field: str | None = None,
                encoding: str = "utf-8", positive: Any = None) -> ExplainInputs:
    """Read texts, predictions and optional gold labels from a JSONL/CSV/TSV/Parquet file."""
    # one field may be both (explaining the gold labels themselves): read it once
    fields = list(dict.fromkeys([prediction_field] + ([label_field] if label_field else [])))
    corpus = as_corpus(path, Path(str(path)).stem, text_field=text_field, encoding=encoding,
                       extra_fields=fields)
    preds = corpus.extra[prediction_field]
    for i, v in enumerate(preds):
        if v is None or v == "":
            raise InputError(f"{path}: text {i + 1} has an empty {prediction_field!r} field")
    labels = corpus.extra[label_field] if label_field else None
    preds = _numeric_strings(preds)
    labels = None if labels is None else _numeric_strings(labels)
    return make_inputs(corpus.texts, preds, labels, positive=positive, source=str(path))


def load_labelled(path: str | Path, *, text_field: str | None = None, label_field: str,
                  encoding: str = "utf-8") -> tuple[list[str], np.ndarray]:
    """Texts and gold labels of a second labelled set (``--check-data``)."""
    corpus = as_corpus(path, Path(str(path)).stem, text_field=text_field, encoding=encoding,
                       extra_fields=[label_field])
    return corpus.texts, _plain_labels(_as_array(_numeric_strings(corpus.extra[label_field]),
                                                 "labels"))


# -- helpers ---------------------------------------------------------------------------------
def _finish(texts, pred, gold, scores, positive, source) -> ExplainInputs:
    if isinstance(positive, np.generic):
        positive = positive.item()
    seen = set(pred.tolist()) | (set(gold.tolist()) if gold is not None else set())
    classes = sorted(seen, key=_sort_key)
    if len(classes) < 2 and positive is None:
        classes = classes + [c for c in (0, 1) if c not in classes][: 2 - len(classes)]
    if positive is None:
        positive = classes[-1]
    elif positive not in classes:
        raise InputError(f"{source}: positive class {positive!r} not among the classes "
                         f"{classes}")
    return ExplainInputs(texts, pred, gold, scores, classes, positive, source)


def _as_array(values: Any, what: str) -> np.ndarray:
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    try:
        arr = np.asarray(values)
    except ValueError:
        raise InputError(f"{what}: ragged values (rows of different lengths)") from None
    if arr.dtype == object and arr.ndim == 1 and len(arr) and isinstance(arr[0], (list, tuple)):
        try:
            arr = np.asarray([list(map(float, r)) for r in arr], dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"{what}: rows of probabilities must be numbers") from None
    if arr.ndim > 2:
        raise InputError(f"{what}: expected one label/score per text or an [N x C] matrix")
    return arr


def _kind(v: Any) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (bool, int, float)):
        return "number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "list"
    return type(v).__name__


def _check_kinds(values: Any, what: str, source: str) -> None:
    """One kind of value per column: numbers, text labels, or probability lists, not a mix
    (0, "0.0" and "pos" would silently become different classes)."""
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype != object:
        return
    first: dict[str, tuple[int, Any]] = {}
    for i, v in enumerate(values):
        first.setdefault(_kind(v), (i, v))
    if len(first) > 1:
        shown = ", ".join(f"{k} {v!r:.30} (text {i + 1})" for k, (i, v) in first.items())
        raise InputError(f"{source}: {what} mix kinds of values: {shown}; use one kind: "
                         "class labels, scores of the positive class in [0, 1], or lists of "
                         "class probabilities")


def _is_score_vector(raw: np.ndarray) -> bool:
    if raw.dtype.kind not in "fiu":
        return False
    x = raw.astype(float)
    if not np.all(np.isfinite(x)):
        raise InputError("predictions: contain NaN or infinite values")
    fractional = np.flatnonzero(x != np.round(x))
    if fractional.size and (x.min() < 0 or x.max() > 1):
        bad = int(np.flatnonzero((x < 0) | (x > 1))[0])
        raise InputError(f"predictions: scores must lie in [0, 1], but text {bad + 1} has "
                         f"{x[bad]:g}; give class labels, probabilities of the positive "
                         "class, or lists of class probabilities")
    return bool(fractional.size)


def _plain_labels(arr: np.ndarray) -> np.ndarray:
    """Labels as a 1-D object array of plain Python values (ints stay ints)."""
    out = []
    for v in np.asarray(arr).tolist():
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and v == round(v):
            v = int(v)
        out.append(v)
    return np.asarray(out, dtype=object)


def _numeric_strings(values: list[Any]) -> list[Any]:
    """'1', '0.83' (from CSV) -> numbers; other strings stay labels."""
    out = []
    for v in values:
        if isinstance(v, str):
            try:
                f = float(v)
                v = int(f) if f == round(f) and "." not in v else f
            except ValueError:
                pass
        if isinstance(v, bool):
            v = int(v)
        out.append(v)
    return out


def _classes_for_matrix(c: int, gold: np.ndarray | None) -> list[Any]:
    if gold is not None:
        classes = sorted(set(gold.tolist()), key=_sort_key)
        if len(classes) == c:
            return classes
    return list(range(c))


def _other_class(gold: np.ndarray | None, pos: Any) -> Any:
    if gold is not None:
        others = [c for c in sorted(set(gold.tolist()), key=_sort_key) if c != pos]
        if len(others) == 1:
            return others[0]
    return 0 if pos == 1 else f"not {pos}"


def _sort_key(v: Any) -> tuple[int, Any]:
    return (0, v) if isinstance(v, (int, float)) else (1, str(v))


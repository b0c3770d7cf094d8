"""Applying a saved surrogate to new texts: one output row per text with the prediction, its
probability and every hypothesis' judgment, and accuracy when gold labels are given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .surrogate import HypothesisClassifier


@dataclass
class PredictSummary:
    """Counts, and accuracy on the given labels (None without labels)."""

    n_texts: int
    accuracy: float | None = None
    baseline_accuracy: float | None = None
    n_correct: int | None = None
    classes: list[Any] = field(default_factory=list)


def match_labels(labels: Sequence[Any], classes: Sequence[Any], *, source: str,
                 field_name: str) -> list[Any]:
    """Each label as one of the surrogate's classes (``"1"`` from a CSV matches class 1);
    an empty or unknown label is an error naming its row and field."""
    by_str = {str(_plain(c)): _plain(c) for c in classes}
    out = []
    for i, v in enumerate(labels):
        if v is None or (isinstance(v, str) and not v.strip()):
            raise InputError(f"{source}: text {i + 1} has an empty {field_name!r} field")
        if isinstance(v, float) and v == round(v):
            v = int(v)
        key = str(v).strip()
        if key not in by_str:
            shown = ", ".join(repr(c) for c in classes)
            raise InputError(f"{source}: text {i + 1}: {field_name!r} is {v!r}, not a class "
                             f"of the surrogate ({shown})")
        out.append(by_str[key])
    return out


def predict_rows(surrogate: HypothesisClassifier, texts: Sequence[str],
                 labels: Sequence[Any] | None = None
                 ) -> tuple[list[dict[str, Any]], PredictSummary]:
    """Rows ``{"prediction", "probability", "probabilities", "judgments"[, "label",
    "correct"]}`` in the order of ``texts``, and a summary."""
    J = surrogate.judgments(list(texts))
    proba = surrogate.predict_proba_judgments(J)
    classes = [_plain(c) for c in surrogate.classes_]
    best = np.argmax(proba, axis=1)
    hyps = [h.text for h in surrogate.hypotheses_]
    rows = []
    for i in range(len(texts)):
        row: dict[str, Any] = {
            "prediction": classes[best[i]], "probability": round(float(proba[i, best[i]]), 4),
            "probabilities": {str(c): round(float(p), 4) for c, p in zip(classes, proba[i])}
            if proba.shape[1] == len(classes) else {str(classes[0]): 1.0},
            "judgments": {h: round(float(j), 4) for h, j in zip(hyps, J[i])}}
        if labels is not None:
            row["label"] = labels[i]
            row["correct"] = bool(row["prediction"] == labels[i])
        rows.append(row)
    summary = PredictSummary(n_texts=len(texts), classes=classes)
    if labels is not None and len(texts):
        correct = sum(r["correct"] for r in rows)
        counts = np.unique(np.asarray([str(x) for x in labels]), return_counts=True)[1]
        summary.n_correct = int(correct)
        summary.accuracy = round(correct / len(texts), 4)
        summary.baseline_accuracy = round(float(counts.max()) / len(texts), 4)
    return rows, summary


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v

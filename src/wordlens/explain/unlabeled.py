"""New, unlabeled texts: where do the classifier and the hypothesis surrogate disagree? The
disagreement set is described against the agreement set with `wordlens.diff`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..diff import MIN_TEXTS, diff
from ..judges.base import Judge
from ..proposers.base import Proposer
from .surrogate import HypothesisClassifier


def describe_disagreement(texts: Sequence[str], predictions: Sequence[Any],
                          surrogate: HypothesisClassifier, *, judge: Judge | None = None,
                          proposer: Proposer | None = None, seed: int = 0,
                          max_texts: int | None = 500, top: int = 5) -> dict[str, Any]:
    """Counts of agreement/disagreement and, when both sets have enough texts, the top
    hypotheses of ``diff(disagreement, agreement)`` (the full diff result is included)."""
    texts = list(texts)
    pred = np.asarray(list(predictions), dtype=object)
    s_pred = np.asarray(surrogate.predict(texts), dtype=object)
    disagree = np.asarray([str(a) != str(b) for a, b in zip(pred, s_pred)])
    d_texts = [t for t, x in zip(texts, disagree) if x]
    a_texts = [t for t, x in zip(texts, disagree) if not x]
    out: dict[str, Any] = {
        "n_texts": len(texts), "n_disagree": len(d_texts), "n_agree": len(a_texts),
        "disagreement_rate_pct": round(100.0 * len(d_texts) / max(len(texts), 1), 2),
        "top": [], "diff": None,
        "definition": "disagreement texts: the classifier's prediction differs from the "
                      "surrogate's; each hypothesis compares them with agreement texts as "
                      "`wordlens diff` does (A = disagreement, B = agreement)",
    }
    if len(d_texts) < MIN_TEXTS or len(a_texts) < MIN_TEXTS:
        out["note"] = (f"not described: diff needs at least {MIN_TEXTS} texts on each side "
                       f"({len(d_texts)} disagreement, {len(a_texts)} agreement)")
        return out
    res = diff(d_texts, a_texts, proposer=proposer, judge=judge, seed=seed,
               max_texts=max_texts, top_k=top)
    res.corpus_a.name, res.corpus_b.name = "disagreement", "agreement"
    for h in res.hypotheses[:top]:
        out["top"].append({"hypothesis": h.hypothesis, "direction": h.direction,
                           "direction_word": "more often" if h.direction == "A"
                           else "less often",
                           "validity": round(h.validity, 4), "q_value": h.q_value,
                           "significant": h.significant})
    out["diff"] = res.to_dict()
    return out

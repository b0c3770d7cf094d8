"""The Judge interface: hypotheses x texts -> probability matrix."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis


class Judge(ABC):
    """Decides, for each (hypothesis, text), the probability that the hypothesis holds.

    Subclasses implement :meth:`judge_matrix`. :meth:`judge` validates inputs, counts
    judgments, and guarantees the output contract: a float array of shape
    ``[len(hypotheses), len(texts)]`` with values in [0, 1].
    """

    #: short name shown in reports
    name: str = "judge"
    #: True when each judgment costs real money or time (an LLM); adaptive verification only
    #: matters then, but it is applied to every judge so that reports are comparable.
    expensive: bool = False

    def __init__(self) -> None:
        self.judgments_made = 0

    def judge(self, hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
        hyps = [h if isinstance(h, Hypothesis) else Hypothesis(str(h)) for h in hypotheses]
        texts = list(texts)
        if not hyps or not texts:
            return np.zeros((len(hyps), len(texts)), dtype=float)
        out = np.asarray(self.judge_matrix(hyps, texts), dtype=float)
        if out.shape != (len(hyps), len(texts)):
            raise RuntimeError(f"{type(self).__name__} returned shape {out.shape}, expected "
                               f"{(len(hyps), len(texts))}")
        self.judgments_made = getattr(self, "judgments_made", 0) + out.size
        return np.clip(np.nan_to_num(out, nan=0.5), 0.0, 1.0)

    def judge_pairs(self, pairs: Sequence[tuple[Hypothesis | str, str]]) -> np.ndarray:
        """Probabilities for a chosen list of (hypothesis, text) pairs, in order: for judging
        a sample of pairs rather than a whole matrix. This default judges each hypothesis on
        its own texts; judges that can group pairs better (LLM judges) override it."""
        pairs = [(h if isinstance(h, Hypothesis) else Hypothesis(str(h)), t) for h, t in pairs]
        out = np.zeros(len(pairs), dtype=float)
        by: dict[str, tuple[Hypothesis, list[int]]] = {}
        for k, (h, _) in enumerate(pairs):
            by.setdefault(h.key, (h, []))[1].append(k)
        for h, ks in by.values():
            out[ks] = self.judge([h], [pairs[k][1] for k in ks])[0]
        return out

    @abstractmethod
    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        """Return an array [H x N] of probabilities."""

    def describe(self) -> dict[str, Any]:
        """JSON-safe description stored in results (never contains secrets)."""
        return {"name": self.name, "class": type(self).__name__}

    def caveat(self) -> str | None:
        """What a reader of the results must know about this judge's judgments (stated in
        every result it made), or None when its judgments need no warning."""
        return None

    def __call__(self, hypotheses: Sequence[Hypothesis], texts: Sequence[str]) -> np.ndarray:
        return self.judge(hypotheses, texts)

"""The offline default judge: exact judges where a hypothesis has a programmatic form, the
zero-shot embedding judge for everything else."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..encoders import SentenceEncoder
from ..hypothesis import Hypothesis
from ..stance import target_passage
from .base import Judge
from .embedding import EmbeddingJudge
from .features import FeatureJudge


class OfflineJudge(Judge):
    """Routes each hypothesis to :class:`FeatureJudge` (exact) or :class:`EmbeddingJudge`; a
    stance statement (form kind ``argues``) to the embedding judge on the sentences that name
    its target."""

    name = "offline (exact features + zero-shot embedding)"

    def __init__(self, encoder: SentenceEncoder | None = None,
                 fallback: Judge | None = None):
        super().__init__()
        self.encoder = encoder
        self.exact = FeatureJudge()
        self.fallback = fallback if fallback is not None else EmbeddingJudge(encoder)

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        out = np.zeros((len(hypotheses), len(texts)), dtype=float)
        argues = [i for i, h in enumerate(hypotheses) if (h.form or {}).get("kind") == "argues"]
        for i in argues:
            out[i] = self._argues(hypotheses[i], texts)
        exact_idx = [i for i, h in enumerate(hypotheses) if self.exact.supports(h)]
        other_idx = [i for i, h in enumerate(hypotheses)
                     if not self.exact.supports(h) and i not in argues]
        if exact_idx:
            out[exact_idx] = self.exact.judge_matrix([hypotheses[i] for i in exact_idx], texts)
        if other_idx:
            out[other_idx] = self.fallback.judge([hypotheses[i] for i in other_idx], texts)
        return out

    def _argues(self, h: Hypothesis, texts: list[str]) -> np.ndarray:
        """A stance statement ("argues against X", form kind ``argues``): the zero-shot judge
        reads only the sentences that name the target; a text that names none holds it not."""
        passages = [target_passage(t, list((h.form or {})["words"])) for t in texts]
        named = [j for j, p in enumerate(passages) if p is not None]
        out = np.zeros(len(texts), dtype=float)
        if named:
            plain = Hypothesis(h.text, h.source)
            out[named] = self.fallback.judge([plain], [str(passages[j]) for j in named])[0]
        return out

    def caveat(self) -> str | None:
        return ("Hypotheses with a programmatic form (properties, keyword lists) are judged "
                "exactly; free-text hypotheses are judged by a zero-shot embedding "
                "similarity, an approximation of truth. Use an LLM judge for reading.")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__,
                "exact": self.exact.describe(), "fallback": self.fallback.describe()}

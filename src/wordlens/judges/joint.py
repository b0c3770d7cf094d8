"""An expensive offline teacher: one encoder pass per (hypothesis, text) pair.

Offline there is no LLM or NLI cross-encoder, so this judge stands in for one *by its cost*:
like a cross-encoder, it reads each hypothesis together with each text (H x N passes of
all-MiniLM-L6-v2 over the joint input). It is not claimed to be more accurate than the
zero-shot embedding judge; it exists so distillation can be measured against a teacher whose
cost grows with H x N, which is the case amortization is for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..encoders import EncoderUser, SentenceEncoder
from ..hypothesis import Hypothesis
from .base import Judge
from .embedding import reference_descriptions, split_contrast


class JointEncodingJudge(EncoderUser, Judge):
    """P = sigmoid((cos(E(text + phrase(h)), E(phrase(h))) - bar(text)) / temperature).

    ``E(text + phrase(h))`` is one joint pass per pair. ``bar(text)`` is the ``k``-th
    highest of the same score over ``n_references`` generic descriptions (their joint passes
    are made once per text). "X rather than Y" also needs X's score to beat Y's.
    """

    name = "joint-encoding (one MiniLM pass per pair; expensive stand-in)"
    expensive = True

    def __init__(self, encoder: SentenceEncoder | None = None, *, k: int = 2,
                 n_references: int = 8, temperature: float = 0.02,
                 template: str = "This text {h}."):
        super().__init__()
        self.encoder = encoder
        self.k = k
        self.n_references = n_references
        self.temperature = temperature
        self.template = template

    def _joint_scores(self, phrases: list[str], texts: list[str]) -> np.ndarray:
        """[P x N] cosine of each joint (text + phrase) pass with the phrase alone."""
        enc = self._enc()
        hv = enc.encode(phrases)
        jv = enc.encode([f"{t} {ph}" for ph in phrases for t in texts])  # one batched call
        jv = jv.reshape(len(phrases), len(texts), -1)
        return np.einsum("pnd,pd->pn", jv, hv)

    def _references(self) -> list[str]:
        refs = list(reference_descriptions())
        idx = np.linspace(0, len(refs) - 1, min(self.n_references, len(refs))).astype(int)
        return [self.phrase(refs[i]) for i in idx]

    def judge_matrix(self, hypotheses: list[Hypothesis], texts: list[str]) -> np.ndarray:
        parts = [split_contrast(h.text) for h in hypotheses]
        s = self._joint_scores([self.phrase(x) for x, _ in parts], texts)
        ref = self._joint_scores(self._references(), texts)
        k = min(self.k, ref.shape[0])
        bar = np.repeat(-np.partition(-ref, k - 1, axis=0)[k - 1][None], len(parts), axis=0)
        for i, (_, y) in enumerate(parts):
            if y is not None:
                bar[i] = np.maximum(bar[i], self._joint_scores([self.phrase(y)], texts)[0])
        return 1.0 / (1.0 + np.exp(-(s - bar) / self.temperature))

    def caveat(self) -> str | None:
        return ("Judgments come from a zero-shot joint encoding of hypothesis and text, an "
                "approximation of truth (a local stand-in for an expensive judge).")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__, "encoder": self._enc().name,
                "k": self.k, "n_references": self.n_references,
                "temperature": self.temperature, "approximation": True,
                "cost": "one encoder pass per (hypothesis, text) pair"}

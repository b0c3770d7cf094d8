"""The offline default proposer: general properties + topic inventory + contrastive phrases,
screened on the proposal half."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..encoders import SentenceEncoder
from ..goal import goal_relevance
from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..judges.offline import OfflineJudge
from .base import Proposer
from .contrastive import ContrastivePhraseProposer
from .properties import PropertyProposer
from .stance import TargetStanceProposer
from .topics import TopicProposer


def screen(candidates: list[Hypothesis], a: Sequence[str], b: Sequence[str], judge: Judge,
           *, limit: int, relevant: np.ndarray | None = None, reserve: float = 2 / 3,
           redundancy: float = 0.95) -> list[Hypothesis]:
    """Keep the ``limit`` candidates whose share differs most between A and B on the given
    (proposal) texts, dropping near-duplicates (judgment correlation above ``redundancy``).
    With a goal, ``relevant`` marks the candidates about what it asks: they are screened first,
    for up to ``reserve`` of the places, and come first; the others fill the rest."""
    if not candidates:
        return []
    ja = judge.judge(candidates, a)
    jb = judge.judge(candidates, b)
    effect = np.abs(ja.mean(axis=1) - jb.mean(axis=1))
    order = np.argsort(-effect, kind="stable")
    full = np.concatenate([ja, jb], axis=1)
    centered = full - full.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centered, axis=1) + 1e-12
    kept: list[int] = []

    def fill(pool: Sequence[int], until: int) -> None:
        for i in pool:
            if len(kept) >= until:
                return
            if effect[i] <= 0 or i in kept:
                continue
            if kept:
                corr = (centered[kept] @ centered[i]) / (norms[kept] * norms[i])
                if np.max(np.abs(corr)) >= redundancy:
                    continue
            kept.append(int(i))

    if relevant is not None and relevant.any():
        fill([i for i in order if relevant[i]], max(1, int(round(reserve * limit))))
    fill(order, limit)
    return [candidates[i] for i in kept]


class OfflineProposer(Proposer):
    """Combines several candidate sources (each swappable) and screens them on the proposal
    half with the offline judge, keeping at most ``max_hypotheses``; with a goal, candidates
    about what it asks (:mod:`wordlens.goal`) get up to two thirds of the places first.

    What it can express: general surface and sentiment properties, what questions ask for,
    topics/genres/tones from a generic inventory, keyword concepts mined from the data, and
    the tone toward targets both sides name. What it cannot: new abstract
    concepts that are neither in the inventory nor visible as contrasting words.
    """

    name = "offline (properties + topics + contrastive phrases + target stance)"

    def __init__(self, sources: Sequence[Proposer] | None = None, *,
                 judge: Judge | None = None, encoder: SentenceEncoder | None = None,
                 max_hypotheses: int = 60):
        self.sources = sources
        self.judge = judge
        self.encoder = encoder
        self.max_hypotheses = max_hypotheses

    def sources_used(self) -> list[Proposer]:
        """The candidate sources this proposer combines."""
        return self._sources()

    def _sources(self) -> list[Proposer]:
        if self.sources is not None:
            return list(self.sources)
        return [PropertyProposer(), TopicProposer(), ContrastivePhraseProposer(self.encoder),
                TargetStanceProposer(self.encoder)]

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        candidates: list[Hypothesis] = []
        seen: set[str] = set()
        for src in self._sources():
            for h in src.propose(a, b, goal, seed=seed):
                if h.key not in seen:
                    seen.add(h.key)
                    candidates.append(h)
        relevant = None
        if goal and candidates:
            relevant = goal_relevance(goal, candidates, self.encoder).relevant
        judge = self.judge or OfflineJudge(self.encoder)
        return screen(candidates, a, b, judge, limit=self.max_hypotheses, relevant=relevant)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__,
                "sources": [s.describe() for s in self._sources()],
                "max_hypotheses": self.max_hypotheses}

"""Proposing on pairs, offline: candidates from the usual sources plus phrases that differ
within pairs, screened by the per-pair difference of their judgments.

``a[i]`` and ``b[i]`` are the two texts of pair i (see :class:`wordlens.pairs.PairedSplit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..hypothesis import Hypothesis
from ..judges.base import Judge
from ..judges.offline import OfflineJudge
from .base import Proposer
from .offline import OfflineProposer


def pair_phrase_hypotheses(a: Sequence[str], b: Sequence[str], *, min_z: float = 2.0,
                           min_pairs: int = 3, per_side: int = 30) -> list[Hypothesis]:
    """Words and bigrams present in one text of a pair but not the other, counted over pairs:
    a term in A-but-not-B in many more pairs than in B-but-not-A (sign-test z >= ``min_z``,
    at least ``min_pairs`` such pairs) becomes a keyword hypothesis."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    a, b = list(a), list(b)
    n = len(a)
    vec = CountVectorizer(binary=True, ngram_range=(1, 2), lowercase=True, min_df=2,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9']*[a-zA-Z0-9]\b")
    try:
        x = vec.fit_transform(a + b)
    except ValueError:  # empty vocabulary
        return []
    xa, xb = x[:n].toarray().astype(bool), x[n:].toarray().astype(bool)
    only_a = (xa & ~xb).sum(axis=0).astype(float)
    only_b = (xb & ~xa).sum(axis=0).astype(float)
    z = (only_a - only_b) / np.sqrt(np.maximum(only_a + only_b, 1.0))
    terms = vec.get_feature_names_out()
    out: list[Hypothesis] = []
    for side, counts in ((1, only_a), (-1, only_b)):
        order = [i for i in np.argsort(-side * z, kind="stable")
                 if side * z[i] >= min_z and counts[i] >= min_pairs
                 and not all(w in ENGLISH_STOP_WORDS for w in terms[i].split())]
        for i in order[:per_side]:
            t = str(terms[i])
            kind = "phrase" if " " in t else "word"
            out.append(Hypothesis(f"uses the {kind} '{t}'", "paired phrases",
                                  {"kind": "keywords", "words": [t]}))
    return out


def screen_pairs(candidates: list[Hypothesis], a: Sequence[str], b: Sequence[str],
                 judge: Judge, *, limit: int, redundancy: float = 0.95) -> list[Hypothesis]:
    """Keep the ``limit`` candidates whose per-pair differences of judgments are largest
    relative to their spread (paired t statistic on the proposal pairs), dropping those whose
    differences correlate above ``redundancy`` with a kept one."""
    if not candidates:
        return []
    d = judge.judge(candidates, list(a)) - judge.judge(candidates, list(b))
    n = d.shape[1]
    mean = d.mean(axis=1)
    sd = d.std(axis=1, ddof=1) if n > 1 else np.ones(len(candidates))
    score = np.abs(mean) / (sd / np.sqrt(n) + 1e-3)
    centered = d - mean[:, None]
    norms = np.linalg.norm(centered, axis=1) + 1e-12
    kept: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if mean[i] == 0:
            continue
        if kept:
            corr = (centered[kept] @ centered[i]) / (norms[kept] * norms[i])
            if np.max(np.abs(corr)) >= redundancy:
                continue
        kept.append(int(i))
        if len(kept) >= limit:
            break
    return [candidates[i] for i in kept]


class PairedOfflineProposer(Proposer):
    """The offline proposer for pairs: the candidates of ``base`` (an
    :class:`OfflineProposer`; its sources see the two sides as corpora) plus
    :func:`pair_phrase_hypotheses`, screened by :func:`screen_pairs`."""

    name = "offline, paired (properties + topics + phrases; screened per pair)"

    def __init__(self, base: OfflineProposer | None = None, *, judge: Judge | None = None):
        self.base = base or OfflineProposer()
        self.judge = judge

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        if len(a) != len(b):
            raise ValueError("paired proposing needs the two texts of each pair")
        seen: set[str] = set()
        cands: list[Hypothesis] = []
        sources = [*self.base.sources_used(), None]
        for src in sources:
            hs = (pair_phrase_hypotheses(a, b) if src is None
                  else src.propose(a, b, goal, seed=seed))
            for h in hs:
                if h.key not in seen:
                    seen.add(h.key)
                    cands.append(h)
        judge = self.judge or self.base.judge or OfflineJudge(self.base.encoder)
        return screen_pairs(cands, a, b, judge, limit=self.base.max_hypotheses)

    def describe(self) -> dict[str, Any]:
        d = self.base.describe()
        return d | {"name": self.name, "class": type(self).__name__, "paired": True,
                    "sources": [*d.get("sources", []), {"name": "paired phrases"}]}

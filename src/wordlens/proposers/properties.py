"""Candidates from the bank of general properties with exact judges."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..goal import goal_views
from ..hypothesis import Hypothesis
from ..language import languages_present
from ..properties import STATIC_PROPERTIES, language_property, length_property
from ..textutil import words
from .base import Proposer


class PropertyProposer(Proposer):
    """Every general property (questions, numbers, sentiment, @mentions, ...) plus 'is long' and
    'is short' at the quartiles of the pooled word counts, and 'is written in <language>' for
    each language of at least 5 % of A's or B's texts when there are two or more. A goal that
    asks about style adds, first, 'is long' at the word count that best separates the two
    corpora (:func:`best_length_split`). All carry exact programmatic forms."""

    name = "general properties"

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        views = goal_views(goal).views if goal else ()
        # languages first: the screen keeps the first of near-duplicates, and a language
        # difference has many traces (capitalised nouns, keywords) that separate as well
        out = language_hypotheses(list(a), list(b), self.name, force="language" in views)
        if "style" in views:  # a style goal: the length that separates these texts first
            out += [self._length(min_words=t) for t in [best_length_split(a, b)] if t]
        out += [Hypothesis(p.text, self.name, {"kind": "property", "name": p.name})
                for p in STATIC_PROPERTIES]
        lengths = np.array([len(words(t)) for t in list(a) + list(b)])
        if lengths.size:
            q1, q3 = (int(round(x)) for x in np.percentile(lengths, [25, 75]))
            if q3 >= 2:
                out.append(self._length(min_words=q3))
            if q1 >= 2:
                out.append(self._length(max_words=q1))
        return out

    def _length(self, *, min_words: int | None = None, max_words: int | None = None
                ) -> Hypothesis:
        p = length_property(min_words=min_words, max_words=max_words)
        key = {"min_words": min_words} if min_words is not None else {"max_words": max_words}
        return Hypothesis(p.text, self.name, {"kind": "property", "name": p.name} | key)


def best_length_split(a: Sequence[str], b: Sequence[str]) -> int | None:
    """The word count ``t`` for which the shares of A's and of B's texts longer than ``t``
    differ most (the middle of the best range), or None without texts or a threshold >= 2.
    Chosen on the texts given (the proposal half), verified on the others."""
    la = np.array([len(words(t)) for t in a])
    lb = np.array([len(words(t)) for t in b])
    if not la.size or not lb.size:
        return None
    cuts = np.unique(np.concatenate([la, lb]))
    gap = np.abs((la[None, :] > cuts[:, None]).mean(axis=1)
                 - (lb[None, :] > cuts[:, None]).mean(axis=1))
    best = cuts[gap >= gap.max() - 1e-12]
    t = int(best[(len(best) - 1) // 2])
    return t if t >= 2 and gap.max() > 0 else None


def language_hypotheses(a: list[str], b: list[str], source: str, *, force: bool = False
                        ) -> list[Hypothesis]:
    """'is written in <language>' for each language present, when two or more are
    (``force``: ask the identifier even when both corpora plainly are English)."""
    langs = languages_present(a, b, force=force)
    if len(langs) < 2:
        return []
    among = sorted(langs)
    out = []
    for code in langs:
        p = language_property(code, among)
        out.append(Hypothesis(p.text, source, {"kind": "property", "name": p.name,
                                               "language": code, "among": among}))
    return out

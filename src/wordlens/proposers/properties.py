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
    each language of at least 5 % of A's or B's texts when there are two or more. All carry
    exact programmatic forms."""

    name = "general properties"

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        # languages first: the screen keeps the first of near-duplicates, and a language
        # difference has many traces (capitalised nouns, keywords) that separate as well
        out = language_hypotheses(list(a), list(b), self.name,
                                  force=bool(goal) and "language" in goal_views(goal).views)
        out += [Hypothesis(p.text, self.name, {"kind": "property", "name": p.name})
                for p in STATIC_PROPERTIES]
        lengths = np.array([len(words(t)) for t in list(a) + list(b)])
        if lengths.size:
            q1, q3 = (int(round(x)) for x in np.percentile(lengths, [25, 75]))
            if q3 >= 2:
                p = length_property(min_words=q3)
                out.append(Hypothesis(p.text, self.name, {"kind": "property", "name": p.name,
                                                          "min_words": q3}))
            if q1 >= 2:
                p = length_property(max_words=q1)
                out.append(Hypothesis(p.text, self.name, {"kind": "property", "name": p.name,
                                                          "max_words": q1}))
        return out


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

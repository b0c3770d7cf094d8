"""The hypothesis bank: every candidate the learned proposer can rank and the search can verify.

This module holds the :class:`Bank` itself and the two built-in sources (the exact property
bank and the shipped topic/genre inventory); building a bank from files lives in
:mod:`wordlens.learned.bank`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...hypothesis import Hypothesis
from ...properties import STATIC_PROPERTIES, length_property

#: word-count thresholds of the length properties in the bank (a pair-independent choice)
LENGTH_THRESHOLDS = {"max_words": (8, 15), "min_words": (30, 80)}


@dataclass(frozen=True)
class Bank:
    """An ordered, de-duplicated tuple of hypotheses."""

    hypotheses: tuple[Hypothesis, ...]

    def __len__(self) -> int:
        return len(self.hypotheses)

    def __iter__(self) -> Iterator[Hypothesis]:
        return iter(self.hypotheses)

    def __getitem__(self, i: int) -> Hypothesis:
        return self.hypotheses[i]

    @property
    def keys(self) -> list[str]:
        return [h.key for h in self.hypotheses]

    def index(self) -> dict[str, int]:
        return {h.key: i for i, h in enumerate(self.hypotheses)}

    def merged(self, other: Iterable[Hypothesis]) -> Bank:
        return Bank(dedupe(list(self.hypotheses) + list(other)))

    def save(self, path: str | Path) -> Path:
        from ...result import write_atomic

        return write_atomic(path, "".join(json.dumps(h.to_dict()) + "\n"
                                          for h in self.hypotheses))


def property_hypotheses() -> list[Hypothesis]:
    """Every static property plus 'is short' / 'is long' at fixed word counts (exact forms)."""
    out = [Hypothesis(p.text, "general properties", {"kind": "property", "name": p.name})
           for p in STATIC_PROPERTIES]
    for n in LENGTH_THRESHOLDS["max_words"]:
        p = length_property(max_words=n)
        out.append(Hypothesis(p.text, "general properties",
                              {"kind": "property", "name": p.name, "max_words": n}))
    for n in LENGTH_THRESHOLDS["min_words"]:
        p = length_property(min_words=n)
        out.append(Hypothesis(p.text, "general properties",
                              {"kind": "property", "name": p.name, "min_words": n}))
    return out


def topic_hypotheses() -> list[Hypothesis]:
    from ...judges.embedding import reference_descriptions

    return [Hypothesis(d, "topic inventory") for d in reference_descriptions()]



def dedupe(hyps: list[Hypothesis]) -> tuple[Hypothesis, ...]:
    seen: dict[str, Hypothesis] = {}
    for h in hyps:
        seen.setdefault(h.key, h)
    return tuple(seen.values())

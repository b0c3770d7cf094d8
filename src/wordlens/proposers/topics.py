"""Candidates from a generic inventory of topics, genres and tones, judged zero-shot."""

from __future__ import annotations

from collections.abc import Sequence

from ..hypothesis import Hypothesis
from ..judges.embedding import reference_descriptions
from .base import Proposer


class TopicProposer(Proposer):
    """Offers every description of the shipped inventory (``wordlens/data/topics.txt``) or a
    user-supplied list; screening on the proposal half keeps the promising ones. These
    hypotheses carry no programmatic form, so any judge (embedding, LLM) can judge them."""

    name = "topic inventory"

    def __init__(self, descriptions: Sequence[str] | None = None):
        self.descriptions = descriptions

    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        descs = self.descriptions if self.descriptions is not None else reference_descriptions()
        return [Hypothesis(d, self.name) for d in descs]

"""The Proposer interface: samples of A and B (and a goal) -> candidate hypotheses."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from ..hypothesis import Hypothesis


class Proposer(ABC):
    """Proposes candidate hypotheses from the *proposal* half of A and B.

    A proposer may look at its inputs as much as it likes: verification happens afterwards on
    texts it never saw, so proposing can never make a statistic look better than it is.
    """

    name: str = "proposer"
    #: the chat client it asks, when it has one (goal relevance asks the same model)
    client: Any = None

    @abstractmethod
    def propose(self, a: Sequence[str], b: Sequence[str], goal: str | None = None, *,
                seed: int = 0) -> list[Hypothesis]:
        """Return candidate hypotheses (order: most promising first)."""

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "class": type(self).__name__}

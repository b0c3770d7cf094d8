"""Engines run the per-text work (encoding, judging) in batches and hand back each batch's
result in order; the driver merges per-hypothesis summaries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Engine(ABC):
    """Where batches run. ``share`` makes an object (the judge) available to every batch
    once; ``map`` calls ``fn(shared, *task)`` for every task and yields the results in task
    order, whatever order they finish in, so merging is deterministic."""

    name = "engine"

    def share(self, obj: Any) -> Any:
        return obj

    @abstractmethod
    def map(self, fn: Callable[..., Any], shared: Any,
            tasks: Iterable[tuple]) -> Iterator[Any]:
        """Results of ``fn(shared, *task)``, in the order of ``tasks``."""

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

    def check(self) -> None:  # noqa: B027 - optional hook, nothing to check by default
        """Fail fast (before any work) when the engine cannot run: a missing package, a
        cluster address nothing answers at."""

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release what the engine started (nothing for in-process)."""


class InProcessEngine(Engine):
    """Runs every batch in this process, one after the other."""

    name = "in-process"

    def map(self, fn: Callable[..., Any], shared: Any,
            tasks: Iterable[tuple]) -> Iterator[Any]:
        for task in tasks:
            yield fn(shared, *task)

"""Token and cost accounting, and the run-wide budget (``--max-cost`` / ``--max-calls``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ..errors import BudgetExceeded, InputError

#: USD per million tokens (OpenAI list prices, 2024-2025); override or extend them in the
#: config file. Other models have no price: their cost is reported as unknown.
DEFAULT_PRICES: dict[str, dict[str, float]] = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60},
    "gpt-4o": {"input": 2.50, "output": 10.00},
    "gpt-4.1-mini": {"input": 0.40, "output": 1.60},
    "gpt-4.1-nano": {"input": 0.10, "output": 0.40},
}


def price_for(model: str, prices: dict[str, dict[str, float]] | None = None
              ) -> dict[str, float] | None:
    table = {**DEFAULT_PRICES, **(prices or {})}
    return table.get(model)


@dataclass
class Usage:
    """Calls, tokens and estimated cost of one model in one role (thread-safe counters)."""

    model: str
    price: dict[str, float] | None = None
    calls: int = 0
    cached_calls: int = 0
    retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def cost_of(self, tokens_in: int, tokens_out: int) -> float:
        if not self.price:
            return 0.0
        return (tokens_in * self.price["input"] + tokens_out * self.price["output"]) / 1e6

    @property
    def cost_usd(self) -> float | None:
        return None if self.price is None else self.cost_of(self.tokens_in, self.tokens_out)

    def add(self, tokens_in: int, tokens_out: int) -> float:
        with self._lock:
            self.calls += 1
            self.tokens_in += tokens_in
            self.tokens_out += tokens_out
        return self.cost_of(tokens_in, tokens_out)

    def add_cached(self) -> None:
        with self._lock:
            self.cached_calls += 1

    def add_retry(self) -> None:
        with self._lock:
            self.retries += 1

    def to_dict(self) -> dict[str, Any]:
        cost = self.cost_usd
        return {"model": self.model, "calls": self.calls, "cached_calls": self.cached_calls,
                "retries": self.retries, "tokens_in": self.tokens_in,
                "tokens_out": self.tokens_out,
                "cost_usd": None if cost is None else round(cost, 6),
                "cost_note": ("estimated from configured prices" if cost is not None else
                              "no price configured for this model")}

    def summary(self) -> str:
        cost = self.cost_usd
        c = "cost unknown (no price)" if cost is None else f"est. ${cost:.4f}"
        return (f"{self.model}: {self.calls} calls ({self.cached_calls} from cache, "
                f"{self.retries} retries), {self.tokens_in:,} tokens in, "
                f"{self.tokens_out:,} out, {c}")


class Budget:
    """A run-wide limit on paid calls and estimated cost, shared by every client in a run.

    :meth:`reserve` is called before each model call (cache hits are free and never count);
    it raises :class:`~wordlens.errors.BudgetExceeded` once a limit is reached.
    """

    def __init__(self, max_cost: float | None = None, max_calls: int | None = None):
        self.max_cost = max_cost
        self.max_calls = max_calls
        self.calls = 0
        self.cost = 0.0
        self._lock = threading.Lock()

    def check_priced(self, usage: Usage) -> None:
        if self.max_cost is not None and usage.price is None:
            raise InputError(f"--max-cost: no price is known for model {usage.model!r}; add "
                             "llm.prices to the config file or use --max-calls")

    def reserve(self) -> None:
        with self._lock:
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise BudgetExceeded(f"call budget reached: {self.calls} model calls "
                                     f"(--max-calls {self.max_calls})")
            if self.max_cost is not None and self.cost >= self.max_cost:
                raise BudgetExceeded(f"cost budget reached: est. ${self.cost:.4f} "
                                     f"(--max-cost {self.max_cost})")
            self.calls += 1

    def release(self) -> None:
        """Give back a reservation whose call failed for good."""
        with self._lock:
            self.calls -= 1

    def spend(self, cost: float) -> None:
        with self._lock:
            self.cost += cost

    def to_dict(self) -> dict[str, Any]:
        return {"max_cost": self.max_cost, "max_calls": self.max_calls, "calls": self.calls,
                "cost_usd": round(self.cost, 6)}

"""One chat client for every backend: persistent cache, retries with backoff, bounded
concurrency, token accounting and the run budget.

A *transport* does one raw call (`complete(request) -> ChatReply`): the official `openai`
client for OpenAI and OpenAI-compatible servers, or a local `transformers` model. The
:class:`ChatClient` around it adds everything else, identically for both.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from ..cache import Cache, request_key
from ..errors import BackendError, BudgetExceeded, missing_extra
from .usage import Budget, Usage


class GarbageReply(Exception):
    """The server answered, but not with a usable chat completion (retried)."""


@dataclass(frozen=True)
class ChatReply:
    """Text of the first choice; ``top_logprobs[i]`` maps candidate tokens at generated
    position ``i`` to their log-probabilities (None when the backend gives none)."""

    text: str
    top_logprobs: list[dict[str, float]] | None = None
    tokens_in: int = 0
    tokens_out: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "top_logprobs": self.top_logprobs,
                "tokens_in": self.tokens_in, "tokens_out": self.tokens_out}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChatReply:
        return cls(d["text"], d.get("top_logprobs"), int(d.get("tokens_in", 0)),
                   int(d.get("tokens_out", 0)))


class Transport(Protocol):
    #: cache namespace: backend and model, never a key or URL
    cache_name: str
    #: default number of requests in flight
    default_concurrency: int

    def complete(self, request: dict[str, Any]) -> ChatReply: ...

    def is_transient(self, exc: BaseException) -> bool: ...


def make_request(messages: Sequence[dict[str, str]], *, max_tokens: int = 256,
                 temperature: float = 0.0, logprobs: bool = False,
                 top_logprobs: int | None = None) -> dict[str, Any]:
    """The full, canonical request; its JSON is the cache key (with the model name)."""
    req: dict[str, Any] = {"messages": [{"role": m["role"], "content": m["content"]}
                                        for m in messages],
                           "max_tokens": int(max_tokens), "temperature": float(temperature)}
    if logprobs:
        req["logprobs"] = True
        req["top_logprobs"] = int(top_logprobs or 10)
    return req


class ChatClient:
    """Cached, retried, budgeted chat calls over one transport.

    Parameters
    ----------
    transport: the raw backend.
    cache: a :class:`wordlens.cache.Cache` (persistent by default in the factories) or None.
    usage: counters for this model and role; created when not given.
    budget: a run-wide :class:`Budget` shared by all clients of a run.
    max_attempts, backoff_initial, backoff_max: retry policy for timeouts, 429, 5xx and
        garbage replies (exponential backoff with jitter, via tenacity).
    concurrency: requests in flight at once in :meth:`chat_many`.
    """

    def __init__(self, transport: Transport, *, cache: Cache | None = None,
                 usage: Usage | None = None, budget: Budget | None = None,
                 max_attempts: int = 6, backoff_initial: float = 0.5,
                 backoff_max: float = 20.0, concurrency: int | None = None):
        self.transport = transport
        self.cache = cache
        self.usage = usage if usage is not None else Usage(transport.cache_name)
        self.budget = budget if budget is not None else Budget()
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.concurrency = concurrency or transport.default_concurrency
        self._lock = threading.Lock()

    # -- one call -------------------------------------------------------------------------
    def key(self, request: dict[str, Any]) -> str:
        return request_key("llm/" + self.transport.cache_name, request)

    def chat(self, request: dict[str, Any]) -> ChatReply:
        """Answer one request from the cache, or call the model (retrying) and cache it."""
        key = self.key(request)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.usage.add_cached()
                return ChatReply.from_dict(hit["reply"])
        self.budget.reserve()
        try:
            reply = self._call_with_retries(request)
        except BaseException:
            self.budget.release()
            raise
        self.budget.spend(self.usage.add(reply.tokens_in, reply.tokens_out))
        if self.cache is not None:
            # committed before the next call starts: a killed run never repeats this call
            self.cache.set(key, {"reply": reply.to_dict(),
                                 "request_sha": request_key("", request)[1:]})
        return reply

    def _call_with_retries(self, request: dict[str, Any]) -> ChatReply:
        try:
            import tenacity
        except ImportError:
            raise missing_extra("tenacity", "retrying model calls") from None

        def before_sleep(state: tenacity.RetryCallState) -> None:
            self.usage.add_retry()

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_attempts),
            # exponential backoff plus up to 1 s of jitter (wait_exponential_jitter's
            # `initial` is deprecated in tenacity 9 and its replacement absent from 8.x)
            wait=(tenacity.wait_exponential(multiplier=self.backoff_initial,
                                            max=self.backoff_max)
                  + tenacity.wait_random(0, 1)),
            retry=tenacity.retry_if_exception(self.transport.is_transient),
            before_sleep=before_sleep, reraise=True)
        try:
            return retrying(self.transport.complete, request)
        except (BackendError, BudgetExceeded):
            raise
        except Exception as exc:
            how = (f"gave up after {self.max_attempts} attempts"
                   if self.transport.is_transient(exc) else "failed")
            where = getattr(self.transport, "where", None)
            at = f" at {where}" if where else ""
            raise BackendError(f"{self.transport.cache_name}{at}: request {how}: "
                               f"{_one_line(exc)}{_cause(exc)}") from None

    # -- many calls -----------------------------------------------------------------------
    def chat_many(self, requests: Sequence[dict[str, Any]], *,
                  return_exceptions: bool = False) -> list[Any]:
        """Answer requests with at most ``concurrency`` in flight; order is preserved.

        Every request that finishes is cached even when another one fails. Without
        ``return_exceptions`` the first error (budget or backend) is raised after all
        in-flight requests have finished.
        """
        if not requests:
            return []
        if self.concurrency <= 1 or len(requests) == 1:
            results = [self._safe(r) for r in requests]
        else:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                results = list(pool.map(self._safe, requests))
        if not return_exceptions:
            for r in results:
                if isinstance(r, BaseException):
                    raise r
        return results

    def _safe(self, request: dict[str, Any]) -> Any:
        try:
            return self.chat(request)
        except (BackendError, BudgetExceeded) as exc:
            return exc

    def describe(self) -> dict[str, Any]:
        return {"usage": self.usage.to_dict(), "max_attempts": self.max_attempts,
                "concurrency": self.concurrency, "cached": self.cache is not None}


def _cause(exc: BaseException) -> str:
    """The root cause when it says more than the wrapper (e.g. 'Connection refused')."""
    root = exc
    for _ in range(8):
        nxt = root.__cause__ or root.__context__
        if nxt is None:
            break
        root = nxt
    if root is exc:
        return ""
    msg = " ".join(str(root).split())
    return f" ({msg[:200]})" if msg and msg not in str(exc) else ""


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {msg[:300]}"

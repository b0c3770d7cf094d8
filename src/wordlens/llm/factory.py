"""Build a cached, retried, budgeted chat client from a model spec. Judges and proposers
wrap one: :func:`wordlens.judges.llm.build_judge`, :func:`wordlens.proposers.llm.build_proposer`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..cache import Cache
from ..errors import InputError
from .client import ChatClient, Transport
from .spec import ModelSpec, load_config, parse_model_spec
from .usage import Budget, Usage, price_for

_DEFAULT_CACHE: Cache | None = None


def default_cache() -> Cache:
    """The persistent cache shared by every LLM call of the process."""
    global _DEFAULT_CACHE
    if _DEFAULT_CACHE is None:
        _DEFAULT_CACHE = Cache()
    return _DEFAULT_CACHE


def build_client(spec: str | ModelSpec, *, base_url: str | None = None,
                 cache: Cache | None | bool = True, cache_dir: str | Path | None = None,
                 budget: Budget | None = None, timeout: float | None = None,
                 max_attempts: int | None = None, backoff_initial: float | None = None,
                 concurrency: int | None = None, api_key_env: str | None = None,
                 transport: Transport | None = None) -> ChatClient:
    """A cached, retried, budgeted chat client for ``openai:``, ``openai-compatible:`` or
    ``transformers:`` specs. ``cache=True`` uses the persistent default cache (or
    ``cache_dir``); ``False``/``None`` disables caching. Unset retry settings come from
    ``$WORDLENS_LLM_TIMEOUT`` (seconds, default 60), ``$WORDLENS_LLM_MAX_ATTEMPTS`` (8) and
    ``$WORDLENS_LLM_BACKOFF`` (first wait in seconds, 0.5; doubles up to 20). The API key is
    chosen by :meth:`LLMConfig.key_for` (``api_key_env`` names an environment variable).
    ``transport`` replaces the backend the spec names (e.g. :class:`wordlens.testing.
    MockTransport`): cache, retries, budget and usage stay as for any model, and ``spec``
    only names it (no price is known for it)."""
    timeout = timeout if timeout is not None else _env("WORDLENS_LLM_TIMEOUT", 60.0)
    max_attempts = int(max_attempts if max_attempts is not None else
                       _env("WORDLENS_LLM_MAX_ATTEMPTS", 8))
    backoff_initial = (backoff_initial if backoff_initial is not None else
                       _env("WORDLENS_LLM_BACKOFF", 0.5))
    config = load_config()
    if transport is not None:
        usage = Usage(transport.cache_name, None)
    else:
        ms = spec if isinstance(spec, ModelSpec) else parse_model_spec(spec, base_url,
                                                                       config=config)
        transport = _transport(ms, config.key_for(ms, api_key_env), timeout)
        usage = Usage(ms.label, price_for(ms.model, config.prices))
    if cache is True:
        cache = Cache(cache_dir) if cache_dir else default_cache()
    budget = budget if budget is not None else Budget()
    budget.check_priced(usage)
    return ChatClient(transport, cache=cache or None, usage=usage, budget=budget,
                      max_attempts=max_attempts, backoff_initial=backoff_initial,
                      concurrency=concurrency)


def _transport(ms: ModelSpec, api_key: str | None, timeout: float) -> Transport:
    if ms.backend == "transformers":
        from .transformers_backend import TransformersTransport

        return TransformersTransport(ms)
    from .openai_backend import OpenAITransport

    return OpenAITransport(ms, api_key, timeout=timeout)


def _env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise InputError(f"${name}: expected a number, got {raw!r}") from None


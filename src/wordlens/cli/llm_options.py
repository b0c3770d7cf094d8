"""Glue between `wordlens diff` options and the LLM backends (keeps diff_cmd.py small)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..llm.usage import Budget


def build_from_options(*, model: str | None, proposer_model: str | None,
                       judge_model: str | None, base_url: str | None,
                       api_key_env: str | None = None,
                       max_cost: float | None, max_calls: int | None,
                       cache_dir: Path | None, no_cache: bool, judge_batch: int | None,
                       need_proposer: bool, judge_hypotheses_per_call: int = 1
                       ) -> tuple[Any, Any]:
    """(judge or None, proposer or None) from --model / --proposer-model / --judge-model.

    Both share one budget. Keys come from the environment or the config file only."""
    jm, pm = judge_model or model, (proposer_model or model) if need_proposer else None
    if base_url and not (jm or pm):
        raise InputError("--base-url needs --model, --judge-model or --proposer-model")
    if api_key_env and not (jm or pm):
        raise InputError("--api-key-env needs --model, --judge-model or --proposer-model")
    if (max_cost is not None or max_calls is not None) and not (jm or pm):
        raise InputError("--max-cost/--max-calls apply to LLM models: add --model")
    if max_cost is not None and max_cost <= 0 or max_calls is not None and max_calls <= 0:
        raise InputError("--max-cost/--max-calls must be positive")
    if judge_hypotheses_per_call != 1 and not jm:
        raise InputError("--judge-hypotheses-per-call applies to an LLM judge: add --model or "
                         "--judge-model")
    if not (jm or pm):
        return None, None
    from ..cache import Cache
    from ..judges.llm import build_judge
    from ..proposers.llm import build_proposer

    budget = Budget(max_cost=max_cost, max_calls=max_calls)
    cache: Any = False if no_cache else (Cache(cache_dir) if cache_dir else True)
    kw = {"base_url": base_url, "budget": budget, "cache": cache, "api_key_env": api_key_env}
    judge = build_judge(jm, batch_size=judge_batch,
                        hypotheses_per_call=judge_hypotheses_per_call, **kw) if jm else None
    proposer = build_proposer(pm, **kw) if pm else None
    return judge, proposer


def usage_lines(*parts: Any) -> list[str]:
    """One line per LLM component: calls, cache hits, retries, tokens, estimated cost."""
    lines = []
    for role, part in zip(("proposer", "judge"), parts):
        client = part.client if part is not None else None  # judges and proposers declare it
        if client is not None:
            lines.append(f"LLM {role} {client.usage.summary()}")
    return lines

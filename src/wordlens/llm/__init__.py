"""LLM backends: an OpenAI-compatible chat API or a local `transformers` model, behind one
cached, retried, budgeted chat client, plus a D3/D5-style proposer and a yes/no judge.

Nothing heavy is imported here: `openai`, `tenacity` and `transformers` load on first use.
"""

from __future__ import annotations

from .spec import ModelSpec, parse_model_spec
from .usage import Budget, Usage

__all__ = ["Budget", "ModelSpec", "Usage", "parse_model_spec", "build_judge", "build_proposer",
           "LLMJudge", "LLMProposer", "ChatClient"]


def __getattr__(name: str):  # lazy public names
    if name in ("build_judge", "build_proposer", "build_client"):
        from . import factory

        return getattr(factory, name)
    if name == "LLMJudge":
        from ..judges.llm import LLMJudge

        return LLMJudge
    if name == "LLMProposer":
        from ..proposers.llm import LLMProposer

        return LLMProposer
    if name == "ChatClient":
        from .client import ChatClient

        return ChatClient
    raise AttributeError(name)

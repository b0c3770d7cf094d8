"""Register the ``openai``, ``openai-compatible`` and ``transformers`` judge and proposer
specs (imported by `wordlens.registry` on first use; heavy imports stay inside factories)."""

from __future__ import annotations

from ..registry import register_judge, register_proposer

_HELP = {
    "openai": "OpenAI chat model, e.g. openai:gpt-4o-mini (key from $OPENAI_API_KEY)",
    "openai-compatible": "any OpenAI-compatible server (vLLM, Ollama, llama.cpp), e.g. "
                         "openai-compatible:NAME@http://localhost:8000/v1",
    "transformers": "local Hugging Face causal LM, e.g. transformers:/path/to/model",
}


def _judge(prefix: str):
    def factory(rest: str):
        from .factory import build_judge

        return build_judge(f"{prefix}:{rest}")
    return factory


def _proposer(prefix: str):
    def factory(rest: str):
        from .factory import build_proposer

        return build_proposer(f"{prefix}:{rest}")
    return factory


for _prefix, _help in _HELP.items():
    register_judge(_prefix, _judge(_prefix), "LLM judge: " + _help)
    register_proposer(_prefix, _proposer(_prefix), "LLM proposer: " + _help)

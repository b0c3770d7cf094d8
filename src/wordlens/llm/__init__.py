"""The LLM backend: an OpenAI-compatible chat API or a local `transformers` model behind one
cached, retried, budgeted chat client (:mod:`.client`, :mod:`.factory`), model specs, usage
and budgets, prompts and answer parsing. The LLM judge and proposer live with the other
judges and proposers (:mod:`wordlens.judges.llm`, :mod:`wordlens.proposers.llm`).

Nothing heavy is imported here: `openai`, `tenacity` and `transformers` load on first use.
"""

from __future__ import annotations

from .spec import ModelSpec, parse_model_spec
from .usage import Budget, Usage

__all__ = ["Budget", "ChatClient", "ModelSpec", "Usage", "build_client", "parse_model_spec"]

def __getattr__(name: str):  # lazy public names
    import importlib

    if name == "build_client":
        return importlib.import_module(".factory", __name__).build_client
    if name == "ChatClient":
        return importlib.import_module(".client", __name__).ChatClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

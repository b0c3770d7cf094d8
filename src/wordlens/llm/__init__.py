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

_MOVED = {"LLMJudge": "wordlens.judges.llm", "build_judge": "wordlens.judges.llm",
          "LLMProposer": "wordlens.proposers.llm", "build_proposer": "wordlens.proposers.llm"}


def __getattr__(name: str):  # lazy public names; deprecated aliases of moved ones
    import importlib

    if name == "build_client":
        return importlib.import_module(".factory", __name__).build_client
    if name == "ChatClient":
        return importlib.import_module(".client", __name__).ChatClient
    if name in _MOVED:
        import warnings

        warnings.warn(f"wordlens.llm.{name} moved to {_MOVED[name]} (this alias goes away in "
                      "the next release)", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

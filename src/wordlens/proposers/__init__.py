"""Every proposer: ``propose(texts_a, texts_b, goal) -> candidate hypotheses``.

Offline: :class:`OfflineProposer` (properties + topic inventory + contrastive phrases + target
stance) and its parts. :class:`LLMProposer` asks a chat model (D3/D5-style prompt);
:class:`LearnedProposer` is the amortized stochastic inverse trained with
``wordlens train-proposer``.
"""

from .base import Proposer
from .contrastive import ContrastivePhraseProposer
from .offline import OfflineProposer
from .properties import PropertyProposer
from .stance import TargetStanceProposer
from .topics import TopicProposer

__all__ = ["ContrastivePhraseProposer", "LLMProposer", "LearnedProposer", "OfflineProposer",
           "PropertyProposer", "Proposer", "TargetStanceProposer", "TopicProposer"]

_LAZY = {"LLMProposer": ".llm", "LearnedProposer": ".learned"}


def __getattr__(name: str):  # heavier proposers load on first use
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)

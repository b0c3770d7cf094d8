"""Every judge: ``judge(hypotheses, texts) -> [H x N]`` probabilities that each hypothesis
holds for each text.

Offline: :class:`OfflineJudge` (exact features, zero-shot embedding otherwise),
:class:`EmbeddingJudge`, :class:`FeatureJudge`. Expensive: :class:`LLMJudge` (any chat backend),
:class:`JointEncodingJudge` (a local stand-in teacher). Amortized: :class:`StudentJudge` and
:class:`FastStudentJudge` (distilled with :func:`wordlens.distill.distill`).
"""

from .base import Judge, JudgeTags, Meter
from .embedding import EmbeddingJudge
from .features import FeatureJudge
from .offline import OfflineJudge

__all__ = ["EmbeddingJudge", "FastStudentJudge", "FeatureJudge", "JointEncodingJudge", "Judge",
           "JudgeTags", "LLMJudge", "Meter", "OfflineJudge", "StudentJudge"]

_LAZY = {"LLMJudge": ".llm", "StudentJudge": ".student", "FastStudentJudge": ".student",
         "JointEncodingJudge": ".joint"}


def __getattr__(name: str):  # heavier judges load on first use
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)

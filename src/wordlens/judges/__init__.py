"""Judges (verifiers): decide whether a hypothesis holds for a text."""

from .base import Judge
from .embedding import EmbeddingJudge
from .features import FeatureJudge
from .offline import OfflineJudge

__all__ = ["EmbeddingJudge", "FeatureJudge", "Judge", "OfflineJudge"]

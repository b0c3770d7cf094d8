"""Proposers: turn samples of two corpora into candidate hypotheses."""

from .base import Proposer
from .contrastive import ContrastivePhraseProposer
from .offline import OfflineProposer
from .properties import PropertyProposer
from .topics import TopicProposer

__all__ = [
           "ContrastivePhraseProposer",
           "OfflineProposer",
           "PropertyProposer",
           "Proposer",
           "TopicProposer",
]

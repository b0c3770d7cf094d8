"""The learned proposer: a stochastic inverse that maps a pair of corpora to the hypotheses
that most likely separate them, ranked from a hypothesis bank in one forward pass.
Training it lives in :mod:`wordlens.learned`."""

from .bank import Bank
from .model import LearnedProposer, PairExample, PairSummary, summarize

__all__ = ["Bank", "LearnedProposer", "PairExample", "PairSummary", "summarize"]

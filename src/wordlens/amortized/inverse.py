"""Deprecated alias of :mod:`wordlens.proposers.learned.model`."""

from wordlens.proposers.learned.model import *  # noqa: F401,F403

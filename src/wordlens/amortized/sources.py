"""Deprecated alias of :mod:`wordlens.learned.sources`."""

from wordlens.learned.sources import *  # noqa: F401,F403

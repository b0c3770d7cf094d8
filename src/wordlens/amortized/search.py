"""Deprecated alias of :mod:`wordlens.learned.search`."""

from wordlens.learned.search import *  # noqa: F401,F403

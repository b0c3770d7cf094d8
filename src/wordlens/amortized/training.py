"""Deprecated alias of :mod:`wordlens.learned.training`."""

from wordlens.learned.training import *  # noqa: F401,F403

"""Deprecated alias of :mod:`wordlens.learned.replay`."""

from wordlens.learned.replay import *  # noqa: F401,F403

"""Deprecated alias of :mod:`wordlens.learned.evaluate`."""

from wordlens.learned.evaluate import *  # noqa: F401,F403

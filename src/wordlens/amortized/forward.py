"""Deprecated alias of :mod:`wordlens.learned.synthetic`."""

from wordlens.learned.synthetic import *  # noqa: F401,F403

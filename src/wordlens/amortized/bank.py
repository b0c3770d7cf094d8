"""Deprecated alias of :mod:`wordlens.learned.bank`."""

from wordlens.learned.bank import *  # noqa: F401,F403

"""Deprecated alias of :mod:`wordlens.proposers.learned.sketch`."""

from wordlens.proposers.learned.sketch import *  # noqa: F401,F403

"""Deprecated: renamed. Training lives in :mod:`wordlens.learned`, the proposer in
:mod:`wordlens.proposers.learned`. These aliases go away in the next release."""

import warnings

warnings.warn("wordlens.amortized is renamed: use wordlens.learned (training) and "
              "wordlens.proposers.learned (the proposer)", DeprecationWarning, stacklevel=2)

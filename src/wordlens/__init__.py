"""wordlens: describe in plain words, with honest statistics, how two text corpora differ."""

from .corpus import Corpus, as_corpus, load_corpus
from .diff import DiffConfig, diff
from .errors import BackendError, BudgetExceeded, InputError, WordlensError
from .hypothesis import Hypothesis
from .result import DiffResult, HypothesisResult
from .split import Split
from .version import __version__

__all__ = [
           "BackendError",
           "BudgetExceeded",
           "Corpus",
           "DiffConfig",
           "DiffResult",
           "Hypothesis",
           "HypothesisResult",
           "InputError",
           "Split",
           "WordlensError",
           "__version__",
           "as_corpus",
           "diff",
           "load_corpus",
           "load_surrogate",
]


def load_surrogate(path, judge=None):
    """Load a surrogate saved by ``wordlens explain --save-surrogate``; apply it with
    ``.predict(texts)`` / ``.predict_proba(texts)``."""
    from .explain import surrogate

    return surrogate.load_surrogate(path, judge)
